#!/usr/bin/python3
"""Write the seed corpora of the fuzz harnesses (committed; re-run and commit
after changing). scan/: consistent ELF files of several classes, byte orders
and layouts from tests/elfgen.py; notes/: note texts, the first byte choosing
the parser (even: .note.package, odd: .note.dlopen); planned/: some of
scan/'s, and libraries with a dynamic symbol table; rpmdb/: rpm's Berkeley
DB Packages files, written by db5.3_load (db5.3-util) when it is there, and
NDB Packages.db files; copyright/: Debian copyright files, in the
machine-readable format and not; gobuildinfo/: Go module lists and blobs
(the first byte choosing, fuzz_gobuildinfo.c), and scan/ and planned/ hold
Go binaries of both formats, with and without section headers;
cargoaudit/: cargo-auditable dependency lists and the zlib streams of
.dep-v0 sections (the first byte choosing, fuzz_cargoaudit.c), and scan/
and planned/ hold Rust programs with a .dep-v0, whole, cut, of another
class and byte order, without section headers."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import elfgen as E  # noqa: E402
import cargoaudit as C  # noqa: E402
import gobuildinfo as G  # noqa: E402
import rpm_header  # noqa: E402

PKG = '{"type":"deb","os":"debian","osVersion":"12","name":"zlib","version":"1:1.2.13.dfsg-1","architecture":"amd64"}'
DLOPEN = ('[{"feature":"fido2","description":"FIDO2","priority":"required",'
          '"soname":["libfido2.so.1"]},{"soname":["liblz4.so.1","liblz4.so.0"]}]')

# Read-only data the string rules of fuzz_scan.c find.
RODATA = (b"\0 deflate 1.2.13 Copyright 1995\0OpenSSL 3.0.19 27 Jan 2026\0"
          b"\0001.5.4\0\xffw1.9.4\0\0database disk image is malformed\0")

NOTES8 = b"".join(E.note(*n)[0] for n in (
    E.json_note(E.NT_FDO_PACKAGING_METADATA, PKG + "  "),
    E.json_note(E.NT_FDO_DLOPEN_METADATA, '[{"soname":["libn8dl.so.1"]}]')))

SCAN = {
    "lib64-notes": dict(needed=["libz.so.1", "libc.so.6"], soname="libx.so.1",
                        runpath="$ORIGIN", notes=[
                            E.json_note(E.NT_FDO_PACKAGING_METADATA, PKG),
                            E.json_note(E.NT_FDO_DLOPEN_METADATA, DLOPEN),
                            ("GNU", E.NT_GNU_BUILD_ID, bytes(range(20)))]),
    "exe64-interp": dict(etype=E.ET_EXEC, interp="/lib64/ld-linux-x86-64.so.2",
                         needed=["libc.so.6"], rpath="$ORIGIN/../lib"),
    "ppc32-msb": dict(cls=32, msb=True, machine=E.EM_PPC, soname="libppc.so.1",
                      needed=["libc.so.6"]),
    "arm32-nosections": dict(cls=32, machine=E.EM_ARM, needed=["libm.so.6"],
                             sections=False, notes=[
                                 E.json_note(E.NT_FDO_DLOPEN_METADATA, DLOPEN)]),
    "s390x-msb-nosections": dict(msb=True, machine=E.EM_S390, soname="libs.so",
                                 sections=False),
    "lib64-rodata": dict(soname="libr.so.1", rodata=RODATA),
    # FDO notes in the 4-byte layout their specifications give, in a
    # section and segment that declare 8 (read in the 4-byte one). A
    # dlopen entry of their own: the corpus is a root other cases count
    # the declarers of DLOPEN's entries in.
    "lib64-notes-declared-8": dict(soname="libn8.so.1", note_align=8, notes=NOTES8),
    "lib64-notes-declared-8-nosections": dict(sections=False, note_align=8, notes=NOTES8),
    "exe64-rodata-nosections": dict(etype=E.ET_EXEC, interp="/lib64/ld-linux-x86-64.so.2",
                                    sections=False, rodata=RODATA),
}

NOTES = {
    "package": b"\0" + PKG.encode(),
    "package-nested": b"\0" + b'{"a":{"b":[1,2,{"c":null}]},"d":true}',
    "package-bad": b"\0" + b'{"type":',
    "dlopen": b"\1" + DLOPEN.encode(),
    "dlopen-bad-entries": b"\1" + b'[1,{"soname":[]},{"soname":[""]},{"soname":["a"],"priority":"x"}]',
    "dlopen-deep": b"\1" + b"[" * 2000 + b"]" * 2000,
    # Not one strict JSON value: what follows it, a raw control character,
    # a \u0000 (and an escaped backslash before "u0000", which is fine).
    "dlopen-trailing": b"\1" + b'[{"soname":["a.so"]}] [{"soname":["b.so"]}]',
    "dlopen-raw-control": b"\1" + b'[{"feature":"a\nb","soname":["a.so"]}]',
    "dlopen-nul-escape": b"\1" + b'[{"soname":["a.so\\u0000b"]},{"soname":["c\\\\u0000"]}]',
    "package-trailing": b"\0" + b'{"name":"x"}{"name":"y"}',
    "dlopen-repeated-key": b"\1" + b'[{"soname":["a.so"],"x":1,"x":2,"soname":["b.so"]}]',
}


def dynsym_elf(strings_first):
    """An ELF64 library with a dynamic symbol table (SHT_DYNSYM), its
    string table and a dynamic section, no program headers: what a planned
    read streams past (fuzz_planned.c pads it past BD_SCAN_WHOLE).
    "dlopen" is the tail of a longer name, imported; dlmopen is defined."""
    SHT_DYNSYM = 11
    strs = b"\0libfoo.so.1\0__x_dlopen\0/opt/r\0dlmopen\0libbar.so.2\0"
    syms = [(0, 0), (17, 0), (1, 7), (31, 7)]  # (st_name, st_shndx)
    sym = b"".join(struct.pack("<IBBHQQ", n, 0x12, 0, x, 0, 0)
                   for n, x in syms)
    dyn = b"".join(struct.pack("<qQ", t, v) for t, v in
                   ((E.DT_NEEDED, 1), (E.DT_NEEDED, 39), (E.DT_RUNPATH, 24),
                    (E.DT_SONAME, 17), (E.DT_NULL, 0)))
    body, at = bytearray(64), {}
    for name, part in ((("str", strs), ("sym", sym)) if strings_first
                       else (("sym", sym), ("str", strs))) + (("dyn", dyn),):
        body.extend(b"\0" * (-len(body) % 8))
        at[name] = len(body)
        body.extend(part)
    body.extend(b"\0" * (-len(body) % 8))
    shoff = len(body)
    for sh in ((0, 0, 0, 0, 0, 0),
               (SHT_DYNSYM, at["sym"], len(sym), 2, 8, 24),
               (E.SHT_STRTAB, at["str"], len(strs), 0, 1, 0),
               (E.SHT_DYNAMIC, at["dyn"], len(dyn), 2, 8, 16)):
        body.extend(struct.pack("<IIQQQQIIQQ", 0, sh[0], 2, 0, sh[1], sh[2],
                                sh[3], 0, sh[4], sh[5]))
    body[0:64] = (b"\x7fELF\2\1\1" + b"\0" * 9
                  + struct.pack("<HHIQQQIHHHHHH", E.ET_DYN, E.EM_X86_64, 1,
                                0, 0, shoff, 0, 64, 56, 0, 64, 4, 0))
    return bytes(body)


# Go build information (tests/gobuildinfo.py): a module list as `go version
# -m` prints it, a replacement and quoted settings included.
GO_LIST = G.modinfo(
    path="example.com/app/cmd/app", main=("example.com/app", "(devel)", ""),
    deps=[("github.com/BurntSushi/toml", "v1.3.2", "h1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGnpq14hFpYlGK0mA="),
          ("github.com/spf13/cobra", "v1.8.0", "h1:a=",
           ("github.com/fork/cobra", "v1.8.1", "h1:b=")),
          ("github.com/local/x", "v1.0.0", "", ("../x", "", ""))],
    settings=[("-buildmode", "exe"), ("-ldflags", "-s -w"),
              ("CGO_ENABLED", "0"), ("GOARCH", "amd64"), ("GOOS", "linux"),
              ("vcs.revision", "0123456789abcdef")])
GO_MOD = G.framed(GO_LIST)

GO_SCAN = {
    "go-inline": dict(etype=E.ET_EXEC, godata=G.inline_blob("go1.21.5", GO_MOD)),
    "go-inline-nosections": dict(etype=E.ET_EXEC, sections=False,
                                 godata=G.inline_blob("go1.22.0", GO_MOD)),
    "go-pointer-ppc32-msb": dict(
        cls=32, msb=True, machine=E.EM_PPC, etype=E.ET_EXEC,
        godata=lambda a: G.pointer_blob(a, "go1.16.15", GO_MOD, 4, True)),
    "go-pointer-nosections": dict(
        etype=E.ET_EXEC, sections=False,
        godata=lambda a: G.pointer_blob(a, "go1.17.13", GO_MOD)),
    "go-inline-cut": dict(etype=E.ET_EXEC,
                          godata=G.inline_blob("go1.21.5", GO_MOD)[:-40]),
}
SCAN.update(GO_SCAN)


def go_find_seed(flags, addr, size, loads, data):
    """fuzz_gobuildinfo.c's find mode: 64 bytes of segments and section,
    then the file."""
    head = struct.pack("<BIIB", flags, addr, size, len(loads))
    for vaddr, off, filesz, pflags in loads:
        head += struct.pack("<IIIB3x", vaddr, off, filesz, pflags)
    return b"\1" + head.ljust(64, b"\0") + data


GO_BLOB = G.inline_blob("go1.21.5", GO_MOD)
GOBUILDINFO = {
    "list": b"\0" + GO_MOD,
    "list-hostile": b"\0" + G.framed(
        "path\tx\xff\ndep\tx.org/a\ndep\tx.org/b\tv1\tv2\tv3\n=>\tx\n"
        "dep\tx.org/c\tv1\x1b\n=>\tx.org/r\tv2\th1:y=\n=>\tx.org/s\tv3\th1:z=\n"
        "build\tGOOS\nbuild\t\"GOOS=linux\nbuild\tGOARCH=\"a\\u00e9\\ud800\"\n"
        "build\tvcs.revision=`a`b`\n"),
    "list-unframed": b"\0mod\tx.org/y\tv1\n",
    # CRLF line ends (a '\r' kept at the end of each module line's last
    # field, a build line refused) and control characters kept.
    "list-crlf": b"\0" + G.framed(GO_LIST.replace("\n", "\r\n").encode()
                                  + b"dep\tx.org/c\x7f\tv1\x1b]0;t\x07\x00\n"),
    "find-section": go_find_seed(3, 0x400100, len(GO_BLOB), [(0x400000, 0, 0x1000, 6)],
                                 bytes(0x100) + GO_BLOB),
    "find-segment": go_find_seed(0, 0, 0, [(0x400000, 0, 0x100, 5), (0x401000, 0x100, 0x1000, 6)],
                                 bytes(0x100) + GO_BLOB),
    "find-pointer-msb": go_find_seed(3, 0x400040, 32, [(0x400000, 0, 0x1000, 6)],
                                     bytes(0x40) + G.pointer_blob(0x400040, "go1.16.5", GO_MOD, 4, True)),
    "find-huge-varint": go_find_seed(3, 0x400000, 64, [(0x400000, 0, 0x1000, 6)],
                                     G.inline_blob("go1", b"")[:32] + b"\xff" * 11),
}

# cargo-auditable data (tests/cargoaudit.py): a dependency list as
# `cargo auditable build` writes it, a proc macro and openssl-src among
# its build dependencies, crates from git, a path and another registry.
CARGO_DOC = C.document([
    C.package("app", "0.1.0", "local", deps=[1, 2, 5, 6], root=True),
    C.package("serde", "1.0.197", deps=[3]),
    C.package("openssl-sys", "0.9.102", deps=[4]),
    C.package("serde_derive", "1.0.197", kind="build"),
    C.package("openssl-src", "300.2.3+3.2.1", kind="build"),
    C.package("fork", "0.2.0", "git"),
    C.package("internal", "1.0.0", "registry")])
CARGO_PAYLOAD = C.payload(CARGO_DOC)
_SMALL_WINDOW = zlib.compressobj(9, zlib.DEFLATED, 9)
CARGOAUDIT = {
    "list": b"\0" + C.json_text(CARGO_DOC),
    "list-hostile": b"\0" + (
        '{"format":-1,"packages":[7,{"name":"a\\u001b","version":"1",'
        '"source":"local"},{"name":"b","name":"c","version":"2","source":"git",'
        '"kind":"dev","root":"yes","dependencies":[0,99,-1,0.5,"x"]},'
        '{"name":"r1","version":"1","source":"local","root":true},'
        '{"name":"r2","version":"1","source":"local","root":true,'
        '"dependencies":7},{"name":"\xff","version":"1","source":"local"}]}'
    ).encode("latin-1"),
    # Dependencies: a package's own, given twice, out of range, on a
    # package skipped, a cycle; a crate listed as both kinds.
    "list-deps-hostile": b"\0" + C.json_text(C.document([
        C.package("a", "1", "local", deps=[0, 1, 1, 9, 2, 3], root=True),
        C.package("b", "2", deps=[0]),
        {"name": 7},
        C.package("b", "2", kind="build", deps=[1])])),
    "stream": b"\1" + CARGO_PAYLOAD,
    # Bytes after the stream: text, and a gzip member after 4 bytes.
    "stream-trailing": b"\1" + CARGO_PAYLOAD + b"garbage",
    "stream-then-member": b"\1" + CARGO_PAYLOAD + b"\0" * 4 +
    b"\x1f\x8b\x08\0\0\0\0\0\0\xff\xcb\xc8\xe4\x02\0" + b"\0" * 8,
    "stream-stored": b"\1" + C.payload(CARGO_DOC, 0),
    "stream-small-window": b"\1" + _SMALL_WINDOW.compress(
        C.json_text(CARGO_DOC)) + _SMALL_WINDOW.flush(),
    "stream-cut": b"\1" + CARGO_PAYLOAD[:-9],
    "stream-dictionary": b"\1\x78\xbb" + CARGO_PAYLOAD[2:],
    # Over the 8 MiB cap: stopped there.
    "stream-bomb": b"\1" + zlib.compress(b" " * (9 << 20), 9),
}

# Rust programs with the list in their .dep-v0 (elfgen depdata: in no
# segment, as cargo-auditable's linker output has it).
CARGO_SCAN = {
    "cargo-dep": dict(etype=E.ET_EXEC, interp="/lib64/ld-linux-x86-64.so.2",
                      needed=["libc.so.6"], depdata=CARGO_PAYLOAD),
    "cargo-dep-ppc32-msb": dict(cls=32, msb=True, machine=E.EM_PPC,
                                soname="librs.so", depdata=CARGO_PAYLOAD),
    "cargo-dep-cut": dict(etype=E.ET_EXEC, depdata=CARGO_PAYLOAD[:-20]),
    "cargo-dep-trailing": dict(etype=E.ET_EXEC, depdata=CARGO_PAYLOAD + b"xy"),
    "cargo-dep-nosections": dict(etype=E.ET_EXEC, sections=False,
                                 depdata=CARGO_PAYLOAD),
}
SCAN.update(CARGO_SCAN)

PLANNED = {
    "dynsym-after-strings": dynsym_elf(True),
    "dynsym-before-strings": dynsym_elf(False),
    "lib64-notes": SCAN["lib64-notes"],
    "lib64-notes-declared-8": SCAN["lib64-notes-declared-8"],
    "lib64-rodata": SCAN["lib64-rodata"],
    "exe64-rodata-nosections": SCAN["exe64-rodata-nosections"],
}
PLANNED.update(GO_SCAN)
PLANNED.update(CARGO_SCAN)




OWNER = rpm_header.blob([(1000, 6, b"xlib"), (1001, 6, b"1.0"),
                         (1002, 6, b"1"), (1022, 6, b"x86_64"),
                         (1116, 4, [0, 0]),
                         (1117, 8, [b"libx.so.1", b"libx.so"]),
                         (1118, 8, [b"/opt/x/"])])
FILLERS = [(i, rpm_header.blob([(1000, 6, b"fill%d" % i), (1014, 6, b"x" * 700)]))
           for i in (2, 3)]

# name: (byte order, page size, records); the keys are instance numbers
# in the writer's byte order, key 0 the next one, as rpm < 4.16 wrote.
BDB = {
    "bdb-le-512-overflow": ("<", 512, [(1, OWNER)] + FILLERS),
    "bdb-be-512-overflow": (">", 512, [(1, OWNER)] + FILLERS),
    "bdb-le-4096-inline": ("<", 4096, [(1, OWNER)]),
}


def bdb_seed(order, pagesize, records):
    with tempfile.TemporaryDirectory() as d:
        out = rpm_header.bdb_load(os.path.join(d, "Packages"), records,
                                  order, pagesize)
        with open(out, "rb") as f:
            return f.read()


def bdb_seeds():
    """libdb writes a new file ID into each file, and leaves a page's free
    space as its buffer had it: a file written again is never the same, so
    the seeds committed are kept, and only those missing written."""
    have = os.listdir(os.path.join(HERE, "corpus", "rpmdb"))
    if all(name in have for name in list(BDB) + ["bdb-le-512-overflow-loop"]):
        return {}
    if not shutil.which("db5.3_load"):
        print("seeds.py: no db5.3_load (db5.3-util): rpmdb/bdb-* not written")
        return {}
    seeds = {name: bdb_seed(*spec) for name, spec in BDB.items()}
    # An overflow chain that leads back to itself: the next_pgno
    # (db_page.h, offset 16) of a P_OVERFLOW page that has a next made its
    # own number.
    loop = bytearray(seeds["bdb-le-512-overflow"])
    for n in range(1, len(loop) // 512):
        if loop[n * 512 + 25] == 7 and \
                struct.unpack_from("<I", loop, n * 512 + 16)[0]:
            struct.pack_into("<I", loop, n * 512 + 16, n)
            break
    seeds["bdb-le-512-overflow-loop"] = bytes(loop)
    return seeds


def ndb_seed(records, slotpages=1):
    """Packages.db as rpm's lib/backend/ndb/rpmpkg.c lays it out (see
    tests/e2e/cases_rpmbdb.py's ndb_write)."""
    import zlib
    block = slotpages * 4096 // 16
    slots, blobs = [], b""
    for idx, blob in records:
        count = (16 + len(blob) + 12 + 15) // 16
        body = struct.pack("<4sIII", b"BlbS", idx, 1, len(blob)) + blob
        body += bytes(count * 16 - 12 - len(body))
        blobs += body + struct.pack("<II4s", zlib.adler32(body), len(blob),
                                    b"BlbE")
        slots.append(struct.pack("<4sIII", b"Slot", idx, block, count))
        block += count
    free = struct.pack("<4sIII", b"Slot", 0, 0, 0)
    slots += [free] * (slotpages * 256 - 2 - len(slots))
    head = struct.pack("<4sIIII", b"RpmP", 0, 1, slotpages,
                       max(i for i, _ in records) + 1) + bytes(12)
    return head + b"".join(slots) + blobs


def ndb_seeds():
    good = ndb_seed([(1, OWNER)] + FILLERS)
    bad = bytearray(good)
    bad[-20] ^= 1  # the last blob's checksum fails
    # the first free slot a copy of package 1's: two slots, one blob
    overlap = bytearray(good)
    free = 32 + 16 * (1 + len(FILLERS))
    overlap[free:free + 16] = good[32:48]
    return {"ndb-one-page": good, "ndb-checksum": bytes(bad),
            "ndb-two-pages": ndb_seed([(1, OWNER)], 2),
            "ndb-overlap": bytes(overlap)}


DEP5 = b"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"

COPYRIGHT = {
    "files": DEP5 + b"Upstream-Name: x\n\nFiles: *\nCopyright: x\nLicense: GPL-2+\n"
             b"\nFiles: lib/*\nLicense: LGPL-2.1+ or MPL-1.1\n"
             b"\nFiles: a/*\nLicense: GPL-2 or GPL-3, and Expat\n"
             b"\nLicense: GPL-2+\n The text.\n .\n More.\n",
    "header-perl-crlf": DEP5.replace(b"\n", b"\r\n") + b"License: Perl\r\n\r\n"
                        b"Files: *\r\nLicense: BSD-3-clause\r\n",
    "not-dep5": b"This package was debianized by t.\n\nLicense: GPL-2+\n",
    "with-exceptions": DEP5 + b"\nFiles: *\nLicense: GPL-2+ with OpenSSL exception\n"
                       b"\nFiles: f\nLicense: GPL-2 with Font exception\n"
                       b"\nFiles: p\nLicense: public-domain\n",
    "hostile": DEP5 + b"\nFiles: *\nLicense: MIT\xff\x1b[31m\x00 or\n"
               b"\nFiles: x\nLicense: ((, and with exception or\n",
}


# dpkg's diversions files (fuzz_dpkgdivert.c): as dpkg-divert writes them
# (a package's, a local one; nvidia's driver packages divert libGL the
# same way), then what dpkg would refuse or could not have written.
DIVERT_OK = (b"/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\npostgresql-common\n"
             b"/usr/lib/x86_64-linux-gnu/libGL.so.1\n"
             b"/usr/lib/mesa-diverted/x86_64-linux-gnu/libGL.so.1\n"
             b"glx-diversions\n"
             b"/bin/sh\n/bin/sh.distrib\ndash\n"
             b"/etc/issue\n/etc/issue.orig\n:\n")
DPKGDIVERT = {
    "real": DIVERT_OK,
    "relative": b"usr/bin/a\n./usr/bin/a.x\np\n//usr/bin/b\n/./usr/bin/b.x\n:\n",
    "cut-short": DIVERT_OK + b"/usr/bin/x\n/usr/bin/x.orig\n",
    "no-final-newline": DIVERT_OK + b"/usr/bin/x\n/usr/bin/x.orig\np",
    "empty-fields": b"\n/b\np\n/a\n\np\n/a\n/b\n\n/\n./\np\n" + DIVERT_OK,
    "nul-and-not-utf8": (b"/a\0b\n/c\np\n/a\xff\n/c\np\n/a\n/c\np\xc3\n"
                         + DIVERT_OK),
    "itself-and-conflicts": (b"/a\n/a\np\n/a\na\np\n" + DIVERT_OK +
                             b"/usr/bin/pg_config\n/x\np\n/y\n/bin/sh.distrib\nq\n"
                             b"/bin/sh.distrib\n/z\nr\n/etc/issue.orig\n/w\n:\n"),
    "long-lines": (b"/" + b"a" * 1021 + b"\n/b\np\n/" + b"c" * 1022 +
                   b"\n/d\np\n" + DIVERT_OK),
    "crlf": DIVERT_OK.replace(b"\n", b"\r\n"),
    "many": b"".join(b"/f%d\n/t%d\np%d\n" % (i, i, i % 3) for i in range(12)),
}


def main():
    for sub, table in (("scan", SCAN), ("notes", NOTES), ("copyright", COPYRIGHT),
                       ("dpkgdivert", DPKGDIVERT),
                       ("planned", PLANNED), ("gobuildinfo", GOBUILDINFO),
                       ("cargoaudit", CARGOAUDIT),
                       ("rpmdb", dict(bdb_seeds(), **ndb_seeds()))):
        out = os.path.join(HERE, "corpus", sub)
        os.makedirs(out, exist_ok=True)
        for name, spec in table.items():
            data = E.build(**spec)[0] if isinstance(spec, dict) else spec
            with open(os.path.join(out, name), "wb") as f:
                f.write(bytes(data))


if __name__ == "__main__":
    main()
