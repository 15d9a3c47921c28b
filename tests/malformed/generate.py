#!/usr/bin/python3
"""Write the malformed-ELF corpus: one file per defect.

usage: generate.py [OUTDIR]   (default: tests/malformed/corpus)

Every file starts as a consistent shared object from tests/elfgen.py and gets
exactly one defect, so that bindep-sbom must print exactly one warning naming
it (tests/e2e checks that against expected.txt). The corpus is committed so
that its bytes do not depend on this machine; run this again after changing
it and commit the result.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import elfgen as E  # noqa: E402

PKG = '{"type":"deb","os":"debian","name":"libgood","version":"1.0-1","architecture":"amd64"}'
DLOPEN = '[{"feature":"x","priority":"suggested","soname":["libx.so.1"]}]'


def base(**kw):
    args = dict(needed=["libc.so.6"], soname="libgood.so.1",
                notes=[E.json_note(E.NT_FDO_PACKAGING_METADATA, PKG)])
    args.update(kw)
    return E.build(**args)


def put(data, lay, off, fmt, *vals):
    struct.pack_into(lay.end + fmt, data, off, *vals)


def ehdr_field(lay, name):
    """Offset and format of an ELF header field."""
    table64 = {"phoff": (32, "Q"), "shoff": (40, "Q"), "phnum": (56, "H"),
               "shentsize": (58, "H"), "shnum": (60, "H")}
    table32 = {"phoff": (28, "I"), "shoff": (32, "I"), "phnum": (44, "H"),
               "shentsize": (46, "H"), "shnum": (48, "H")}
    return (table64 if lay.is64 else table32)[name]


def set_ehdr(data, lay, name, value):
    off, fmt = ehdr_field(lay, name)
    put(data, lay, off, fmt, value)


def dyn_entry_offset(lay, tag):
    for i, (t, _) in enumerate(lay.dyn_entries):
        if t == tag:
            return lay.dynamic + i * (16 if lay.is64 else 8)
    raise KeyError(tag)


def cases():
    d, l = base()
    yield "truncated-ident.so", d[:10]
    yield "truncated-header.so", d[:40]
    d, l = base(); d[4] = 7
    yield "bad-class.so", d
    d, l = base(); d[5] = 9
    yield "bad-data-encoding.so", d
    d, l = base(); set_ehdr(d, l, "shoff", len(d) + 4096)
    yield "shoff-beyond-eof.so", d
    d, l = base(); set_ehdr(d, l, "phoff", len(d) - 8)
    yield "phoff-beyond-eof.so", d
    d, l = base(); set_ehdr(d, l, "shentsize", 12)
    yield "bad-shentsize.so", d
    d, l = base(); put(d, l, dyn_entry_offset(l, E.DT_NEEDED) + (8 if l.is64 else 4),
                       "Q" if l.is64 else "I", 0x7FFFFFF0)
    yield "needed-offset-out-of-range.so", d
    d, l = base(); put(d, l, l.notes + 4, "I", 0xFFFFFF00)
    yield "note-absurd-size.so", d
    d, l = base(notes=[E.json_note(E.NT_FDO_PACKAGING_METADATA, '{"type":"deb",')])
    yield "package-note-bad-json.so", d
    d, l = base(notes=[E.json_note(E.NT_FDO_PACKAGING_METADATA, '["not", "an object"]')])
    yield "package-note-not-object.so", d
    d, l = base(notes=[E.json_note(E.NT_FDO_DLOPEN_METADATA, '[{"soname":["libx.so.1"]')])
    yield "dlopen-note-bad-json.so", d
    d, l = base(notes=[E.json_note(E.NT_FDO_DLOPEN_METADATA, '{"soname":["libx.so.1"]}')])
    yield "dlopen-note-not-array.so", d
    d, l = base(notes=[E.json_note(E.NT_FDO_DLOPEN_METADATA,
                                   '[{"feature":"x"},' + DLOPEN[1:])])
    yield "dlopen-note-entry-without-soname.so", d
    d, l = base(sections=False)
    phdr = l.phoff + 1 * (56 if l.is64 else 32)  # PT_LOAD, PT_DYNAMIC, ...
    put(d, l, phdr + (8 if l.is64 else 4), "Q" if l.is64 else "I", len(d) * 4)
    yield "dynamic-segment-beyond-eof.so", d
    d, l = base(sections=False)
    put(d, l, dyn_entry_offset(l, E.DT_STRTAB) + 8, "Q", 0x40000000)
    yield "strtab-in-no-segment.so", d
    d, l = base(interp="/lib64/ld-linux-x86-64.so.2", etype=E.ET_EXEC, soname=None)
    d[l.interp + len("/lib64/ld-linux-x86-64.so.2")] = ord("X")  # its NUL
    yield "interp-unterminated", d
    d, l = base()
    sh = l.shoff + l.dynamic_index * 64
    put(d, l, sh + 24, "Q", len(d) + 100)  # sh_offset of .dynamic
    yield "dynamic-section-beyond-eof.so", d
    yield "empty.so", b""
    yield "not-elf.so.1", b"this is a text file named like a library\n"


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[1] if len(argv) > 1 else os.path.join(here, "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in cases():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
