"""Go build information, written as the Go toolchain writes it, for the
tests (no Go compiler is needed): the module list as runtime/debug's
BuildInfo.String() formats it, framed by cmd/go's sentinels, and the blob
as cmd/link's Link.buildinfo lays it out (Go 1.18 and later: the strings
inline after the 32-byte header) or as Go 1.17 and earlier did (two
pointers to Go string headers). Go's sources: src/runtime/debug/mod.go,
src/debug/buildinfo/buildinfo.go, src/cmd/link/internal/ld/data.go,
src/cmd/go/internal/modload/build.go.

Then ways to put a blob into an ELF file: a C program compiled here with
a placeholder .go.buildinfo section that objcopy --update-section fills
(elf_with_blob), a program whose pointers the static linker resolves
(elf_with_pointer_blob), and the section headers removed as sstrip does
(strip_section_headers)."""
import os
import struct
import subprocess

MAGIC = b"\xff Go buildinf:"
HEADER = 32
# cmd/go/internal/modload: infoStart and infoEnd.
INFO_START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
INFO_END = bytes.fromhex("f932433186182072008242104116d8f2")
FLAG_BIG_ENDIAN, FLAG_INLINE = 1, 2


def uvarint(n):
    """encoding/binary.PutUvarint."""
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def go_quote(s):
    """strconv.Quote for the ASCII text the tests use."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out) + '"'


def _quote_key(key):
    # runtime/debug quoteKey
    return not key or any(c in key for c in "= \t\r\n\"`")


def _quote_value(value):
    # runtime/debug quoteValue
    return any(c in value for c in " \t\r\n\"`")


def _module(word, mod):
    """formatMod: (path, version, sum) or (path, version, sum, replacement),
    a replacement being (path, version, sum)."""
    path, version, summ = mod[:3]
    replace = mod[3] if len(mod) > 3 else None
    line = "%s\t%s\t%s" % (word, path, version)
    if replace is None:
        return line + "\t" + (summ or "") + "\n"
    return line + "\n" + _module("=>", replace)


def modinfo(path=None, main=None, deps=(), settings=()):
    """BuildInfo.String() without its "go" line (which the module list does
    not hold): settings are (key, value) pairs, quoted as Go quotes them."""
    text = ""
    if path:
        text += "path\t%s\n" % path
    if main:
        text += _module("mod", main)
    for dep in deps:
        text += _module("dep", dep)
    for key, value in settings:
        key = go_quote(key) if _quote_key(key) else key
        value = go_quote(value) if _quote_value(value) else value
        text += "build\t%s=%s\n" % (key, value)
    return text


def framed(text):
    """The module list as the binary holds it (modload.ModInfoData)."""
    if isinstance(text, str):
        text = text.encode()
    return INFO_START + text + INFO_END


def inline_blob(version, mod, ptrsize=8, big_endian=False):
    """The blob of Go 1.18 and later: header, then each string as a varint
    length and its bytes, padded to 16 bytes as the linker pads it. mod is
    the framed module list (b"" when the build had none)."""
    if isinstance(version, str):
        version = version.encode()
    flags = FLAG_INLINE | (FLAG_BIG_ENDIAN if big_endian else 0)
    data = bytearray(MAGIC + bytes([ptrsize, flags]) + bytes(16))
    data += uvarint(len(version)) + version + uvarint(len(mod)) + mod
    while len(data) % 16:
        data.append(0)
    return bytes(data)


def pointer_blob(base, version, mod, ptrsize=8, big_endian=False):
    """Go 1.17 and earlier, laid out at virtual address base: the header
    with two pointers, the two Go string headers (data, length), then the
    strings' bytes."""
    if isinstance(version, str):
        version = version.encode()
    end = ">" if big_endian else "<"
    ptr = end + ("Q" if ptrsize == 8 else "I")
    headers = HEADER
    strings = headers + 4 * ptrsize
    data = bytearray(MAGIC + bytes([ptrsize, FLAG_BIG_ENDIAN if big_endian else 0]))
    data += struct.pack(ptr, base + headers) + struct.pack(ptr, base + headers + 2 * ptrsize)
    data += bytes(HEADER - len(data))
    data += struct.pack(ptr, base + strings) + struct.pack(ptr, len(version))
    data += struct.pack(ptr, base + strings + len(version)) + struct.pack(ptr, len(mod))
    data += version + mod
    return bytes(data)


# ---- into ELF files ------------------------------------------------------------

PROGRAM = """int main(void) { return 0; }
__attribute__((section(".go.buildinfo"), aligned(16), used))
char go_buildinfo[%d] = { 1 };
__attribute__((used)) const char go_text[%d] = { 1 };
"""


def elf_with_blob(work, name, blob, cc="cc", extra=(), pad=1):
    """A program compiled here whose writable .go.buildinfo section, in
    its data segment as the Go linker puts it, holds blob: a placeholder
    of the blob's size, filled by objcopy --update-section. pad: bytes of
    read-only data before it (a large program's code)."""
    src = os.path.join(work, name + ".c")
    out = os.path.join(work, name)
    raw = os.path.join(work, name + ".blob")
    with open(src, "w") as f:
        f.write(PROGRAM % (len(blob), pad))
    with open(raw, "wb") as f:
        f.write(blob)
    subprocess.run([cc, "-O1", "-o", out, src, *extra], check=True)
    subprocess.run(["objcopy", "--update-section", ".go.buildinfo=" + raw,
                    out], check=True)
    os.unlink(src)
    os.unlink(raw)
    return out


POINTER_PROGRAM = """struct gostring { const char *data; unsigned long len; };
static const char version[] = "%s";
static const char mod[] = "%s";
struct gostring go_version = { version, sizeof version - 1 };
struct gostring go_modinfo = { mod, sizeof mod - 1 };
__attribute__((section(".go.buildinfo"), aligned(16), used))
struct { char magic[14]; unsigned char ptrsize, flags; void *vers, *mod; }
go_buildinfo = { "\\xff Go buildinf:", sizeof(void *), 0,
                 &go_version, &go_modinfo };
int main(void) { return 0; }
"""


def _c_bytes(data):
    return "".join("\\x%02x" % b for b in data)


def elf_with_pointer_blob(work, name, version, mod, cc="cc"):
    """A program in the pointer format of Go 1.17 and earlier: the header's
    pointers and the string headers' are addresses the static linker
    writes (-no-pie: no relocation left for the loader, as in Go's
    binaries), the strings in read-only data."""
    src = os.path.join(work, name + ".c")
    out = os.path.join(work, name)
    with open(src, "w") as f:
        f.write(POINTER_PROGRAM % (_c_bytes(version.encode()), _c_bytes(mod)))
    subprocess.run([cc, "-O1", "-no-pie", "-o", out, src], check=True)
    os.unlink(src)
    return out


def strip_section_headers(path):
    """The section header table dropped from the ELF header, as sstrip
    (ELFkickers) leaves a file: only the segments remain to be read."""
    with open(path, "r+b") as f:
        ident = f.read(16)
        is64, end = ident[4] == 2, ">" if ident[5] == 2 else "<"
        if is64:
            f.seek(0x28)
            f.write(struct.pack(end + "Q", 0))
            f.seek(0x3C)
        else:
            f.seek(0x20)
            f.write(struct.pack(end + "I", 0))
            f.seek(0x30)
        f.write(struct.pack(end + "HH", 0, 0))
