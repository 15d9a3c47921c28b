"""Build small ELF files from scratch, of any class, byte order and machine.

The tests use it for what the host compiler cannot make (foreign
architectures, files without section headers) and as the base of the
malformed corpus (tests/malformed/generate.py), where each file carries one
defect. Only what bindep-sbom reads is laid out: headers, PT_LOAD, PT_INTERP,
PT_DYNAMIC with its string table, PT_NOTE, and section headers naming them.
"""
import struct

ET_EXEC, ET_DYN = 2, 3
EM_386, EM_PPC, EM_S390, EM_ARM, EM_X86_64, EM_AARCH64 = 3, 20, 22, 40, 62, 183
EM_68K, EM_MIPS, EM_SH, EM_OPENRISC, EM_RISCV, EM_MICROBLAZE = 4, 8, 42, 92, 243, 189
EM_LOONGARCH = 258
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE = 1, 2, 3, 4
SHT_STRTAB, SHT_DYNAMIC, SHT_NOTE, SHT_PROGBITS = 3, 6, 7, 1
DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_SONAME, DT_RPATH = 0, 1, 5, 10, 14, 15
DT_RUNPATH, DT_FLAGS_1 = 29, 0x6FFFFFFB
NT_GNU_BUILD_ID = 3
NT_FDO_PACKAGING_METADATA = 0xCAFE1A7E
NT_FDO_DLOPEN_METADATA = 0x407C0C0A


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def note(owner, ntype, desc):
    """One note: header, owner and descriptor, each padded to 4 bytes."""
    name = owner.encode() + b"\0"
    return (struct.pack("<III", len(name), len(desc), ntype) + pad4(name)
            + pad4(desc), len(name), len(desc))


def json_note(ntype, text):
    """An FDO note whose descriptor is NUL-terminated JSON (UAPI 8/12)."""
    return ("FDO", ntype, text.encode() + b"\0")


class Layout:
    """Where each part ended up, so that mutations can find it."""


def build(cls=64, msb=False, machine=EM_X86_64, etype=ET_DYN, needed=(),
          soname=None, rpath=None, runpath=None, interp=None, notes=(),
          sections=True, extra_dyn=(), rodata=None, note_align=4,
          godata=None, depdata=None):
    """Return (bytes, Layout) of a consistent ELF file. rodata: bytes of a
    .rodata section, in a read-only PT_LOAD of its own too. notes: a list
    of (owner, type, desc), laid out 4-byte aligned, or the bytes of the
    note section as they are; note_align: the alignment its section and
    segment declare. godata: the bytes of a writable .go.buildinfo section
    (16-byte aligned, in a read-write PT_LOAD of its own, as Go's linker
    puts it), or a function of its address giving them (a blob of
    pointers: tests/gobuildinfo.py). depdata: the bytes of a .dep-v0
    section of no flags, after the loaded contents and in no segment, as
    cargo-auditable's object file gives it (tests/cargoaudit.py)."""
    end = ">" if msb else "<"
    is64 = cls == 64
    ehsize, phentsize, shentsize = (64, 56, 64) if is64 else (52, 32, 40)
    addr = "Q" if is64 else "I"
    lay = Layout()

    # Contents, laid out after the program headers.
    dynstr = bytearray(b"\0")
    offsets = {}

    def s(text):
        if text not in offsets:
            offsets[text] = len(dynstr)
            dynstr.extend(text.encode() + b"\0")
        return offsets[text]

    dyn = [(DT_NEEDED, s(n)) for n in needed]
    if soname:
        dyn.append((DT_SONAME, s(soname)))
    if rpath:
        dyn.append((DT_RPATH, s(rpath)))
    if runpath:
        dyn.append((DT_RUNPATH, s(runpath)))
    dyn.extend(extra_dyn)
    has_dynamic = bool(dyn)
    phnum = 1 + bool(interp) + bool(has_dynamic) + bool(notes) + bool(rodata) \
        + (godata is not None)
    off = ehsize + phnum * phentsize

    body = bytearray()

    def place(data, align=8):
        nonlocal body
        while (off + len(body)) % align:
            body.append(0)
        start = off + len(body)
        body.extend(data)
        return start

    if isinstance(interp, str):
        interp = interp.encode()
    lay.interp = place(interp + b"\0", 1) if interp else None
    lay.dynstr = place(bytes(dynstr), 1) if has_dynamic else None
    dynent = 16 if is64 else 8
    dyn_bytes = b""
    if has_dynamic:
        full = dyn + [(DT_STRTAB, lay.dynstr), (DT_STRSZ, len(dynstr)),
                      (DT_NULL, 0)]
        for tag, val in full:
            dyn_bytes += struct.pack(end + ("qQ" if is64 else "iI"), tag, val)
        lay.dynamic = place(dyn_bytes)
        lay.dyn_entries = full
    note_bytes = b""
    lay.note_parts = []
    for owner, ntype, desc in (() if isinstance(notes, bytes) else notes):
        raw, _, _ = note(owner, ntype, desc)
        raw = struct.pack(end + "III", *struct.unpack("<III", raw[:12])) + raw[12:]
        lay.note_parts.append(len(note_bytes))
        note_bytes += raw
    if isinstance(notes, bytes):
        note_bytes = notes
    lay.notes = place(note_bytes, note_align) if notes else None
    lay.rodata = place(bytes(rodata), 8) if rodata else None
    lay.godata = None
    if godata is not None:
        while (off + len(body)) % 16:
            body.append(0)
        if callable(godata):
            godata = godata(off + len(body))
        godata = bytes(godata)
        lay.godata = place(godata, 16)

    shstr = bytearray(b"\0")
    shnames = {}
    for n in (".interp", ".dynstr", ".dynamic", ".note", ".shstrtab") + \
            ((".rodata",) if rodata else ()) + \
            ((".go.buildinfo",) if godata is not None else ()) + \
            ((".dep-v0",) if depdata is not None else ()):
        shnames[n] = len(shstr)
        shstr.extend(n.encode() + b"\0")
    lay.shstrtab = place(bytes(shstr), 1)
    total_before_sh = off + len(body)
    lay.depdata = place(bytes(depdata), 1) if depdata is not None else None

    # Section headers.
    shdrs = [(0, 0, 0, 0, 0, 0, 0, 0, 0)]
    idx_dynstr = None
    if interp:
        shdrs.append((shnames[".interp"], SHT_PROGBITS, 2, lay.interp,
                      lay.interp, len(interp) + 1, 0, 0, 1))
    if has_dynamic:
        idx_dynstr = len(shdrs)
        shdrs.append((shnames[".dynstr"], SHT_STRTAB, 2, lay.dynstr,
                      lay.dynstr, len(dynstr), 0, 0, 1))
        lay.dynamic_index = len(shdrs)
        shdrs.append((shnames[".dynamic"], SHT_DYNAMIC, 3, lay.dynamic,
                      lay.dynamic, len(dyn_bytes), idx_dynstr, 0, dynent))
    if notes:
        shdrs.append((shnames[".note"], SHT_NOTE, 2, lay.notes, lay.notes,
                      len(note_bytes), 0, 0, 0))
    if rodata:
        shdrs.append((shnames[".rodata"], SHT_PROGBITS, 2, lay.rodata,
                      lay.rodata, len(rodata), 0, 0, 0))
    if godata is not None:
        shdrs.append((shnames[".go.buildinfo"], SHT_PROGBITS, 3, lay.godata,
                      lay.godata, len(godata), 0, 0, 0))
    if depdata is not None:
        shdrs.append((shnames[".dep-v0"], SHT_PROGBITS, 0, 0, lay.depdata,
                      len(depdata), 0, 0, 0))
    aligns = {SHT_NOTE: note_align}
    if not notes:
        aligns = {}
    shstrndx = len(shdrs)
    shdrs.append((shnames[".shstrtab"], SHT_STRTAB, 0, 0, lay.shstrtab,
                  len(shstr), 0, 0, 1))
    if sections:
        while (off + len(body)) % 8:
            body.append(0)
        lay.shoff = off + len(body)
        for name, typ, flags, vaddr, foff, size, link, info, ent in shdrs:
            if is64:
                body += struct.pack(end + "IIQQQQIIQQ", name, typ, flags,
                                    vaddr, foff, size, link, info,
                                    aligns.get(typ, 8), ent)
            else:
                body += struct.pack(end + "IIIIIIIIII", name, typ, flags,
                                    vaddr, foff, size, link, info,
                                    aligns.get(typ, 4), ent)
        shnum = len(shdrs)
    else:
        lay.shoff, shnum, shstrndx = 0, 0, 0
    total = off + len(body)

    # Program headers.
    phdrs = [(PT_LOAD, 0, 0, total_before_sh, 5, 0x1000)]
    if interp:
        phdrs.append((PT_INTERP, lay.interp, lay.interp, len(interp) + 1, 4, 1))
    if has_dynamic:
        phdrs.append((PT_DYNAMIC, lay.dynamic, lay.dynamic, len(dyn_bytes), 6, 8))
    if notes:
        phdrs.append((PT_NOTE, lay.notes, lay.notes, len(note_bytes), 4,
                      note_align))
    if rodata:
        phdrs.append((PT_LOAD, lay.rodata, lay.rodata, len(rodata), 4, 8))
    if godata is not None:
        phdrs.append((PT_LOAD, lay.godata, lay.godata, len(godata), 6, 16))
    ph = b""
    for typ, foff, vaddr, size, flags, align in phdrs:
        if is64:
            ph += struct.pack(end + "IIQQQQQQ", typ, flags, foff, vaddr,
                              vaddr, size, size, align)
        else:
            ph += struct.pack(end + "IIIIIIII", typ, foff, vaddr, vaddr,
                              size, size, flags, align)
    lay.phoff = ehsize
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 2 if msb else 1, 1, 0]) + b"\0" * 8
    hdr = ident + struct.pack(
        end + "HHI" + addr * 3 + "IHHHHHH", etype, machine, 1, 0, ehsize,
        lay.shoff, 0, ehsize, phentsize, phnum, shentsize, shnum, shstrndx)
    data = bytearray(hdr + ph + bytes(body))
    assert len(data) == total
    lay.is64, lay.end = is64, end
    return data, lay
