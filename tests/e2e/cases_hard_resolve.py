"""Hostile ELF files against the scan and the resolver (issue 11): caps
that must not cost the SBOM, search work that must stay bounded, notes
parsed once, and libraries judged in the process that loads them.
Registered by run.py; every fixture is generated here with elfgen."""
import os
import re
import shutil
import struct

import elfgen as E


def register(case, h):
    def new_dir(t, name):
        return h.fresh_dir(t, "hard-resolve", name)

    put = h.put_file

    def lib(root, path, soname, **kw):
        return h.put_elf(root, path, soname, **kw)

    def warnings_about(r, text):
        return [w for w in r.warnings() if text in w]

    # ---- caps never end the run -----------------------------------------

    @case
    def hard_resolve_too_many_needed_keeps_the_sbom(t):
        d = new_dir(t, "many-needed")
        big = lib(d, "big.so", "big.so",
                  needed=["libn%d.so" % i for i in range(5000)])
        small = lib(d, "small.so", "small.so", needed=["libc.so.6"])
        # Not checked against the schemas (as cargo_many_packages_capped):
        # 4,096 unresolved components took node's CycloneDX validator 7 s
        # (its uniqueItems compares every pair), and such a component, a
        # file marked with bindep:error and an incomplete composition are
        # checked in every other case. Counted, and their bom-refs unique.
        r = t.run(big, small, validate_sbom=False)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        h.check(r.sbom is not None, "the SBOM is written")
        names = {c["name"] for c in h.comps(r.sbom)}
        h.check({"big.so", "small.so"} <= names, "both files listed: %r"
                % sorted(names)[:5])
        w = warnings_about(r, "DT_NEEDED")
        h.check(len(w) == 1, "one warning: %r" % w)
        h.check("'%s': more than 4096 DT_NEEDED entries, keeping the first "
                "4096" % big in w[0] or
                "more than 4096 DT_NEEDED entries, keeping the first 4096"
                in w[0], w[0])
        bigc = h.by_name(r.sbom, "big.so")
        h.check(len(h.depends(r.sbom, bigc)) == 4096,
                "the first 4096 kept: %d" % len(h.depends(r.sbom, bigc)))
        refs = [c["bom-ref"] for c in h.comps(r.sbom)]
        h.check(len(refs) == len(set(refs)) > 4096, "%d bom-refs, %d unique"
                % (len(refs), len(set(refs))))
        h.check(h.props(bigc, "bindep:error"), "marked incomplete")
        h.check(bigc["bom-ref"] in h.incomplete(r.sbom)["assemblies"],
                "in the incomplete composition")

    # ---- note sections: each byte range read once, and a cap -------------

    def with_note_sections(data, lay, ranges):
        """data with its section header table moved to the end and one
        SHT_NOTE header appended per (offset, size) in ranges."""
        import struct
        end = lay.end
        shoff, = struct.unpack_from(end + "Q", data, 0x28)
        shnum, = struct.unpack_from(end + "H", data, 0x3C)
        table = bytes(data[shoff:shoff + 64 * shnum])
        name_off = 0  # no name: the scan goes by type
        for off, size in ranges:
            table += struct.pack(end + "IIQQQQIIQQ", name_off, E.SHT_NOTE, 2,
                                 off, off, size, 0, 0, 4, 0)
        out = bytearray(data)
        while len(out) % 8:
            out.append(0)
        new_shoff = len(out)
        out += table
        struct.pack_into(end + "Q", out, 0x28, new_shoff)
        struct.pack_into(end + "H", out, 0x3C, shnum + len(ranges))
        return bytes(out)

    @case
    def hard_resolve_note_read_once_through_many_sections(t):
        d = new_dir(t, "note-sections")
        text = ('[{"feature":"f%d","soname":["libplug%d.so.1"],'
                '"priority":"suggested"}]')
        notes = [E.json_note(E.NT_FDO_DLOPEN_METADATA,
                             "[" + ",".join(text[1:-1] % (i, i)
                                            for i in range(3)) + "]")]
        data, lay = E.build(soname="libnotes.so", needed=["libc.so.6"],
                            notes=notes)
        size = len(data) - lay.notes  # the notes, then the rest: bounded
        import struct
        nsz, dsz = struct.unpack_from("<II", data, lay.notes)
        size = 12 + ((nsz + 3) & ~3) + ((dsz + 3) & ~3)
        path = put(d, "libnotes.so",
                   with_note_sections(data, lay, [(lay.notes, size)] * 10000))
        r = t.run("-f", "text", path)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        h.check(not r.warnings(), "no warning: %r" % r.warnings()[:3])
        r = t.run(path)
        c = h.by_name(r.sbom, "libnotes.so")
        deps = h.depends(r.sbom, c)
        h.check(deps.count("libplug0.so.1") == 1 and len(deps) == 4,
                "each entry once: %r" % deps)
        for i in range(3):
            plug = h.by_name(r.sbom, "libplug%d.so.1" % i)
            h.check(h.props(plug, "bindep:dlopen:feature") == ["f%d" % i],
                    "one entry: %r" % h.props(plug, "bindep:dlopen:feature"))

    @case
    def hard_resolve_note_sections_capped(t):
        d = new_dir(t, "note-cap")
        notes = [("GNU", 0x4242, b"%04d" % i) for i in range(300)]
        data, lay = E.build(soname="libmany.so", notes=notes)
        ranges = [(lay.notes + part, 20) for part in lay.note_parts]
        path = put(d, "libmany.so", with_note_sections(data, lay, ranges))
        r = t.run(path)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        w = warnings_about(r, "note sections")
        h.check(len(w) == 1 and len(r.warnings()) == 1,
                "one warning: %r" % r.warnings()[:3])
        h.check("'%s': more than 256 note sections, reading the first 256"
                % path in w[0], w[0])

    def padded_note(kind, text, close, size):
        """A JSON note of kind whose descriptor (text, spaces, close, NUL)
        is size bytes."""
        text += " " * (size - len(text) - 2) + close
        note = E.json_note(kind, text)
        assert len(note[2]) == size
        return note

    def dlopen_note_of(size, soname):
        """A .note.dlopen of size bytes naming soname."""
        return padded_note(E.NT_FDO_DLOPEN_METADATA,
                           '[{"soname":["%s"],"priority":"suggested"}'
                           % soname, "]", size)

    @case
    def hard_resolve_dlopen_note_json_capped(t):
        # README's limit: a note's JSON of 64 KiB is read, one byte more
        # is skipped with one warning, and the file's other notes are read.
        d = new_dir(t, "note-json-cap")
        edge = put(d, "libedge.so", E.build(
            soname="libedge.so",
            notes=[dlopen_note_of(64 * 1024, "libatcap.so.1")])[0])
        big = put(d, "libbig.so", E.build(
            soname="libbig.so",
            notes=[dlopen_note_of(64 * 1024 + 1, "libhuge.so.1"),
                   dlopen_note_of(100, "libsmall.so.1")])[0])
        r = t.run(edge, big)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        h.check(r.warnings() == [
            "bindep-sbom: warning: '%s': dlopen note of 65537 bytes is too "
            "large" % big], "one warning, naming the file: %r"
            % r.warnings()[:3])
        h.check(h.depends(r.sbom, h.by_name(r.sbom, "libedge.so")) ==
                ["libatcap.so.1"], "a note of 64 KiB is read")
        h.check(h.depends(r.sbom, h.by_name(r.sbom, "libbig.so")) ==
                ["libsmall.so.1"], "the large note skipped, the next read")

    def package_note_of(size, name):
        """A .note.package of size bytes naming the package name."""
        return padded_note(E.NT_FDO_PACKAGING_METADATA,
                           '{"type":"rpm","name":"%s","version":"1.0"'
                           % name, "}", size)

    @case
    def hard_resolve_package_note_json_capped_and_once(t):
        # The same 64 KiB for a package note; of two package notes the
        # first counts, the second said once.
        d = new_dir(t, "package-note-cap")
        files = {
            "libedge.so": [package_note_of(64 * 1024, "edge")],
            "libbig.so": [package_note_of(64 * 1024 + 1, "big")],
            "libtwo.so": [package_note_of(100, "first"),
                          package_note_of(100, "second"),
                          package_note_of(100, "third")],
        }
        paths = {name: put(d, name, E.build(soname=name, notes=notes)[0])
                 for name, notes in files.items()}
        r = t.run(*paths.values())
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        h.check(sorted(r.warnings()) == sorted([
            "bindep-sbom: warning: '%s': package note of 65537 bytes is too "
            "large" % paths["libbig.so"],
            "bindep-sbom: warning: '%s': more than one package note, using "
            "the first" % paths["libtwo.so"]]),
            "two warnings, each naming its file: %r" % r.warnings()[:4])
        for name, want in (("libedge.so", ["edge"]), ("libbig.so", []),
                           ("libtwo.so", ["first"])):
            got = h.props(h.by_name(r.sbom, name), "bindep:package-note:name")
            h.check(got == want, "%s: %r" % (name, got))

    # ---- a library judged in the process that loads it -------------------

    def private_root(t, name, loaders):
        """A program with RUNPATH to a private directory holding libA and
        libB; libA needs libB and has no RUNPATH (libsystemd-core and
        libsystemd-shared under systemd). loaders: extra programs."""
        root = os.path.join(t.work, "hard-resolve", name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        lib(root, "/usr/bin/prog", None, etype=E.ET_EXEC,
            needed=["libA.so", "libB.so"], runpath="/usr/lib/private")
        lib(root, "/usr/lib/private/libA.so", "libA.so", needed=["libB.so"])
        lib(root, "/usr/lib/private/libB.so", "libB.so")
        for path, kw in loaders:
            lib(root, path, None, etype=E.ET_EXEC, **kw)
        return root

    def need_of(s, requester, name):
        """The components requester's dependencies name `name`."""
        comp = h.by_name(s, requester)
        byref = {c["bom-ref"]: c for c in h.comps(s)}
        refs = [d for d in s["dependencies"] if d["ref"] == comp["bom-ref"]]
        return [byref[x] for x in refs[0].get("dependsOn", [])
                if byref[x]["name"] == name]

    @case
    def hard_resolve_library_judged_in_its_loader(t):
        root = private_root(t, "loaded-inside", [])
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(b"0 needed libraries not found" in r.err, r.err[-300:])
        got = need_of(r.sbom, "libA.so", "libB.so")
        h.check(len(got) == 1, "one edge: %r" % [c["bom-ref"] for c in got])
        h.check(not h.props(got[0], "bindep:resolved"), "resolved")
        h.check(h.locations(got[0]) == ["/usr/lib/private/libB.so"],
                h.locations(got[0]))
        h.check(h.prop(got[0], "bindep:resolved-via")
                == "loaded-by:/usr/bin/prog (runpath)",
                h.props(got[0], "bindep:resolved-via"))
        h.check(not [c for c in h.comps(r.sbom)
                     if c["name"] == "libB.so" and h.props(c, "bindep:resolved")],
                "no unresolved libB.so component")

    @case
    def hard_resolve_library_fails_in_one_loader(t):
        # prog2 loads libA through its RUNPATH but not libB: there the
        # need really fails.
        root = private_root(t, "loaded-one-fails", [
            ("/usr/bin/prog2", dict(needed=["libA.so"],
                                    runpath="/usr/lib/private"))])
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code == 3, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(b"1 needed library not found" in r.err, r.err[-300:])
        h.check(b"'/usr/lib/private/libA.so': needed library 'libB.so' not found"
                in r.err, r.err[-600:])
        got = need_of(r.sbom, "libA.so", "libB.so")
        h.check(len(got) == 2 and sum(bool(h.props(c, "bindep:resolved"))
                                      for c in got) == 1,
                "found in prog, not in prog2: %r" % [c["bom-ref"] for c in got])

    @case
    def hard_resolve_interpreter_missing(t):
        """A program whose interpreter the root lacks (an image layer that
        whited out /lib64) cannot start: an edge to an unresolved
        component named by the PT_INTERP, said with -v and counted by
        --strict as a needed library is. It was dropped in silence."""
        root = new_dir(t, "no-interp")
        interp = "/lib64/ld-linux-x86-64.so.2"
        lib(root, "/usr/bin/prog", None, etype=E.ET_EXEC, interp=interp)
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code == 3, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(b"'/usr/bin/prog': its interpreter '%s' not found" % interp.encode()
                in r.err and b"1 needed library not found" in r.err, r.err[-600:])
        got = need_of(r.sbom, "prog", interp)
        h.check(len(got) == 1 and h.props(got[0], "bindep:resolved") == ["false"],
                [c["bom-ref"] for c in got])
        # With it there: its edge, nothing unresolved.
        lib(root, interp, "ld-linux-x86-64.so.2")
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        got = need_of(r.sbom, "prog", "ld-linux-x86-64.so.2")
        h.check(len(got) == 1 and not h.props(got[0], "bindep:resolved"),
                [c["bom-ref"] for c in got])

    @case
    def hard_resolve_required_dlopen_missing_is_strict(t):
        """A .note.dlopen entry of priority "required": "the binary will
        not work if it cannot be found" (UAPI.12's priority table), as a
        needed library: said with -v, counted by --strict (exit 3). Any
        one of its sonames, alternatives, meets it; a recommended or
        suggested entry missing fails nothing. It passed --strict."""
        root = new_dir(t, "dlopen-required")
        note = ('[{"feature":"core","priority":"required",'
                '"soname":["libreq.so.1","libreq.so.0"]},'
                '{"priority":"recommended","soname":["librec.so.1"]},'
                '{"priority":"suggested","soname":["libsug.so.1"]}]')
        lib(root, "/usr/bin/prog", None, etype=E.ET_EXEC, runpath="/opt/req",
            notes=[E.json_note(E.NT_FDO_DLOPEN_METADATA, note)])
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code == 3, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(b"'/usr/bin/prog': required dlopen library 'libreq.so.1' "
                b"not found" in r.err, r.err[-600:])
        h.check(b"librec.so.1' not found" not in r.err
                and b"libsug.so.1' not found" not in r.err, r.err[-600:])
        h.check(b"0 needed libraries not found, 1 required dlopen library "
                b"not found" in r.err, r.err[-600:])
        h.check(b"error: --strict: 1 required dlopen library not found"
                in r.err, r.err[-600:])
        # Its second alternative there: met, nothing required missing.
        lib(root, "/opt/req/libreq.so.0", "libreq.so.0")
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(b"required dlopen" not in r.err, r.err[-600:])
        # With a needed library missing too, both are said.
        lib(root, "/usr/bin/prog2", None, etype=E.ET_EXEC,
            needed=["libgone.so.1"],
            notes=[E.json_note(E.NT_FDO_DLOPEN_METADATA,
                               '[{"priority":"required",'
                               '"soname":["libreq.so.2"]}]')])
        r = t.run("--strict", "--root", root)
        h.check(r.code == 3, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(b"error: --strict: 1 needed library and 1 required dlopen "
                b"library not found" in r.err, r.err[-600:])

    def note8(owner, ntype, desc):
        """A note in the gABI's 8-byte layout (.note.gnu.property's): its
        descriptor 8-byte aligned and padded to 8."""
        name = owner.encode() + b"\0"
        head = struct.pack("<III", len(name), len(desc), ntype) + name
        head += b"\0" * (-len(head) % 8)
        return head + desc + b"\0" * (-len(desc) % 8)

    @case
    def hard_resolve_fdo_notes_declared_8_aligned(t):
        """UAPI.8 and UAPI.12 lay their notes out 4-byte aligned. A note
        section or PT_NOTE declaring 8 (a linker script's ALIGN(8)) holds
        them all the same: systemd-analyze reads a PT_NOTE 4-byte aligned
        whatever it declares, dlopen-notes.py (pyelftools) a section. The
        8-byte layout is still read where it is what the notes are. Each
        was "note at offset 0 overruns its section" and no purl."""
        d = new_dir(t, "note-align-8")
        # Descriptors of 59 and 33 bytes: their 8-byte padding (64, 40)
        # runs past the 4-byte layout's (60, 36).
        pkg = E.json_note(E.NT_FDO_PACKAGING_METADATA,
                          '{"type":"deb","os":"debian","name":"al8",'
                          '"version":"1.000"}')
        dl = E.json_note(E.NT_FDO_DLOPEN_METADATA,
                         '[{"soname":["libal8dl.so.1"]}]')
        four = b"".join(E.note(*n)[0] for n in (pkg, dl))
        build_id = bytes(range(1, 21))
        eight = note8("GNU", E.NT_GNU_BUILD_ID, build_id) + note8(*pkg)
        for sections in (True, False):
            for layout, notes in (("4", four), ("8", eight)):
                name = "lib%s%s.so" % (layout, "" if sections else "-nosec")
                put(d, name, E.build(soname=name, notes=notes, note_align=8,
                                     sections=sections)[0])
        r = t.run(d)
        h.check(r.code == 0 and not r.warnings(), r.err.decode())
        for sections in (True, False):
            for layout in ("4", "8"):
                name = "lib%s%s.so" % (layout, "" if sections else "-nosec")
                c = h.by_name(r.sbom, name)
                h.check(c.get("purl") == "pkg:deb/debian/al8@1.000?arch=source",
                        "%s: %r" % (name, c.get("purl")))
                if layout == "8":
                    h.check(h.prop(c, "bindep:build-id") == build_id.hex(),
                            h.props(c, "bindep:build-id"))
        h.check(h.by_name(r.sbom, "libal8dl.so.1"), "dlopen entry")

    @case
    def hard_resolve_interpreter_missing_hostile(t):
        """Interpreters the root lacks by hostile means, each an unresolved
        interpreter, the run not held up, nothing raw in a message: one of
        invalid UTF-8 with a terminal escape, a FIFO at the interpreter's
        path (never opened), a link out of the root (to this machine's real
        loader: followed inside the root, where nothing is), a loop, and a
        path of 3,000 bytes."""
        root = new_dir(t, "no-interp-hostile")
        os.makedirs(os.path.join(root, "lib64"))
        os.mkfifo(os.path.join(root, "lib64/fifo.so"))
        os.symlink(os.path.realpath("/lib64/ld-linux-x86-64.so.2"),
                   os.path.join(root, "lib64/out.so"))
        os.symlink("loop.so", os.path.join(root, "lib64/loop.so"))
        odd = b"/lib64/\xff\x1b[31mld.so"
        interps = {"odd": odd, "fifo": b"/lib64/fifo.so",
                   "out": b"/lib64/out.so", "loop": b"/lib64/loop.so",
                   "long": b"/lib64/" + b"d/" * 1500 + b"ld.so"}
        for name, interp in interps.items():
            lib(root, "/usr/bin/" + name, None, etype=E.ET_EXEC, interp=interp)
        r = t.run("--strict", "-v", "--root", root, timeout=60)
        h.check(r.code == 3, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(b"\x1b" not in r.err and b"\xff" not in r.err and
                b"\x1b" not in r.raw and b"\xff" not in r.raw, "raw bytes")
        h.check(b"%d needed libraries not found" % len(interps) in r.err,
                r.err[-600:])
        for name, interp in interps.items():
            got = h.loaded_closure(r.sbom, "/usr/bin/" + name)
            h.check(len(got) == 1 and h.props(got[0], "bindep:resolved") == ["false"],
                    "%s: %r" % (name, [c["name"] for c in got]))

    @case
    def hard_resolve_library_alone_judged_alone(t):
        """A library no program loads is judged alone: its libB.so, which
        no search finds, is not found. libB.so is in another directory:
        beside libA.so it would be met by its soname, as a program that
        dlopen()s libA.so loads it first (cases_preload)."""
        root = os.path.join(t.work, "hard-resolve", "alone")
        shutil.rmtree(root, ignore_errors=True)
        lib(root, "/usr/lib/private/libA.so", "libA.so", needed=["libB.so"])
        lib(root, "/usr/lib/other/libB.so", "libB.so")
        r = t.run("--strict", "--root", root)
        h.check(r.code == 3, "nothing loads libA: judged alone, exit %d" % r.code)
        got = need_of(r.sbom, "libA.so", "libB.so")
        h.check(len(got) == 1 and h.props(got[0], "bindep:resolved"),
                "not found: %r" % [c["bom-ref"] for c in got])

    @case
    def hard_resolve_systemd_on_this_machine(t):
        prog = "/usr/lib/systemd/systemd"
        if not os.path.exists(prog):
            print("# skipped: no systemd here")
            return
        r = t.run("--strict", prog)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        libs = [os.path.join(d, f)
                for d in ("/usr/lib/systemd", "/usr/lib/x86_64-linux-gnu/systemd")
                if os.path.isdir(d)
                for f in os.listdir(d) if f.startswith("libsystemd-")]
        h.check(libs, "systemd's private libraries")
        r = t.run("--strict", "-v", prog, *libs)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        core = [c for c in h.comps(r.sbom) if c["name"].startswith("libsystemd-core")]
        shared = need_of(r.sbom, core[0]["name"],
                         core[0]["name"].replace("core", "shared"))
        h.check(len(shared) == 1 and not h.props(shared[0], "bindep:resolved"),
                "one resolved edge")
        h.check(h.prop(shared[0], "bindep:resolved-via").startswith(
            "loaded-by:/usr/lib/systemd/systemd ("), shared[0].get("properties"))

    # ---- a Debian root with systemd, scanned whole ------------------------

    SYSTEMD_PACKAGES = [
        "systemd", "libsystemd-shared", "libsystemd0", "libc6", "gcc-12-base",
        "libgcc-s1", "libacl1", "libapparmor1", "libaudit1", "libcap-ng0",
        "libblkid1", "libcap2", "libcrypt1", "libgcrypt20", "libgpg-error0",
        "libip4tc2", "libkmod2", "liblz4-1", "liblzma5", "libmount1",
        "libpam0g", "libseccomp2", "libselinux1", "libpcre2-8-0", "libssl3",
        "libzstd1", "zlib1g"]
    RTLD = "/lib64/ld-linux-x86-64.so.2"

    def systemd_root(t):
        """systemd and the libraries of libsystemd-shared, from Debian's
        archive through apt (cached in build/debs-systemd, apart from the
        debian_root cases' packages), with ldconfig -r's cache. Whatever
        else systemd's programs need is missing on purpose."""
        return h.root_of_debs(t, "debian-systemd", SYSTEMD_PACKAGES,
                              "debs-systemd")

    def elf_files(root):
        for d, _, files in os.walk(root):
            for f in files:
                p = os.path.join(d, f)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                with open(p, "rb") as fh:
                    if fh.read(4) == b"\x7fELF":
                        yield p

    def chroot_missing(root, inside):
        """Names the real loader, chrooted, does not find for one file
        (it may stop at the first); None when it refuses the file."""
        import re
        import subprocess
        proc = subprocess.run(["chroot", root, RTLD, "--list", inside],
                              capture_output=True, text=True)
        missing = {line.split()[0] for line in proc.stdout.splitlines()
                   if "=> not found" in line}
        missing |= set(re.findall(r"error while loading shared libraries: "
                                  r"([^:]+): cannot open", proc.stderr))
        if proc.returncode and not missing:
            return None
        return missing

    @case
    def hard_resolve_debian_systemd_root_counts_only_missing(t):
        import re
        root = systemd_root(t)
        core = [p for p in elf_files(root) if "libsystemd-core-" in p]
        h.check(core, "libsystemd-core in the root")
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code in (0, 3), "exit %d: %s" % (r.code, r.err[-600:]))
        ours = set(re.findall(r"'([^']*)': needed library '([^']*)' not found",
                              r.err.decode()))
        h.check(not [x for x in ours if "libsystemd-core" in x[0]],
                "libsystemd-core's need is met inside systemd: %r" % sorted(ours))
        summary = re.search(r"(\d+) needed librar(?:y|ies) not found", r.err.decode())
        h.check(summary and int(summary.group(1)) == len(ours),
                "one count per missing need: %r" % (summary and summary.group(0)))
        h.check((r.code == 3) == bool(ours), "--strict exits 3 iff any")
        # Truly missing: no file of that name anywhere in the root.
        present = {f for _, _, files in os.walk(root) for f in files}
        names = {n for _, n in ours}
        h.check(not names & present, "reported, but in the root: %r"
                % sorted(names & present))
        programs, compared = set(), 0
        for p in elf_files(root):
            if ".so" in os.path.basename(p):
                continue
            miss = chroot_missing(root, "/" + os.path.relpath(p, root))
            if miss is not None:
                compared += 1
                programs |= miss
        h.check(compared >= 20, "compared %d programs" % compared)
        h.check(programs <= names, "missing for a program, not reported: %r"
                % sorted(programs - names))
        # bookworm's package is not merged-/usr: /lib/systemd/systemd
        r = t.run("--strict", "--root", root, root + "/lib/systemd/systemd")
        h.check(r.code == 0, "systemd's closure: exit %d %s" % (r.code, r.err[-400:]))

    # ---- search work per object is bounded ---------------------------------

    @case
    def hard_resolve_runpath_times_missing_is_bounded(t):
        d = new_dir(t, "search-work")
        runpath = ":".join("/nx/dir%d" % i for i in range(3000))
        path = lib(d, "libwide.so", "libwide.so", runpath=runpath,
                   needed=["libmiss%d.so" % i for i in range(400)])
        # the timeout is only a guard: the assertions are on the limits
        r = t.run("-v", path)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        w = r.warnings()
        dirs = [x for x in w if "library search directories" in x]
        probes = [x for x in w if "candidate files" in x]
        h.check(len(dirs) == 1 and "'%s': more than 256 library search "
                "directories, searching the first 256" % path in dirs[0],
                "one warning for the search list: %r" % w)
        h.check(len(probes) == 1 and "'%s': more than 65536 candidate files "
                "tried for its libraries, the rest not searched" % path
                in probes[0], "one warning for the probes: %r" % w)
        c = h.by_name(r.sbom, "libwide.so")
        h.check(len(h.depends(r.sbom, c)) == 400, "every need listed, not found")

    @case
    def hard_resolve_bad_notes_warned_about_boundedly(t):
        d = new_dir(t, "bad-notes")
        # 2,000 GNU build-id notes of 0 bytes: each one a problem
        notes = [("GNU", E.NT_GNU_BUILD_ID, b"")] * 2000
        data, _ = E.build(soname="libbad.so", notes=notes)
        path = put(d, "libbad.so", data)
        r = t.run(path)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        # The 32 problems reported are the same one, said once (a
        # warning is said once per file and problem), then the cap.
        w = [x for x in r.warnings() if path in x]
        h.check(len(w) == 2 and "GNU build-id note of 0 bytes" in w[0],
                "the problem once, then the cap: %r" % w)
        h.check(w[-1].endswith("'%s': more than 32 problems, not reporting "
                               "the rest" % path), w[-1])
        h.check(h.props(h.by_name(r.sbom, "libbad.so"), "bindep:error"),
                "the first problem is kept")

    @case
    def hard_resolve_library_judged_in_its_loader_chain(t):
        # prog -> libM (RUNPATH) -> libA (none) -> libB, which prog loads:
        # libM's process alone would miss libB for libA, but libM too is
        # only ever loaded by prog.
        root = private_root(t, "loaded-chain", [])
        lib(root, "/usr/bin/prog", None, etype=E.ET_EXEC,
            needed=["libM.so", "libB.so"], runpath="/usr/lib/private")
        lib(root, "/usr/lib/private/libM.so", "libM.so", needed=["libA.so"],
            runpath="/usr/lib/private")
        r = t.run("--strict", "-v", "--root", root)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        got = need_of(r.sbom, "libA.so", "libB.so")
        h.check(len(got) == 1 and not h.props(got[0], "bindep:resolved"),
                "one resolved edge: %r" % [c["bom-ref"] for c in got])

    @case
    def hard_resolve_dst_needed_expanded_once_and_bounded(t):
        """A needed name with $ORIGIN is expanded once (dl-deps.c): in a
        directory literally named "$ORIGIN" its expansion holds the token
        again, and is not expanded again and again; one that expands past
        PATH_MAX (a thousand $ORIGIN) is not found, nothing so long kept."""
        d = new_dir(t, "dst-needed")
        lib(d, "/$ORIGIN/libx.so", "libx.so")
        lib(d, "/$ORIGIN/liba.so", "liba.so", needed=["$ORIGIN/libx.so"])
        lib(d, "/opt/libhuge.so", "libhuge.so",
            needed=["$ORIGIN" * 1000 + "/libz.so"])
        r = t.run("--root", d)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-400:]))
        h.check(h.need_found(r.sbom, "liba.so", "libx.so")
                == (["/$ORIGIN/libx.so"], "direct-path"),
                h.need_found(r.sbom, "liba.so", "libx.so"))
        huge = h.depends(r.sbom, h.by_name(r.sbom, "libhuge.so"))
        h.check(len(huge) == 1 and len(r.raw) < 1 << 20, "not found: %r"
                % [x[:40] for x in huge])

    @case
    def hard_resolve_dst_expansion_cut_at_path_max(t):
        """A needed name of 20,000 $ORIGIN in a library 3,000 bytes deep
        would expand to 60 MB, a path no loader can open: the expansion
        stops at PATH_MAX, whatever expands it (the search, the guess of
        what to read ahead). It cost 4 GB of memory and 7 s, 60 such
        names 4 GB and 13 s; the name is not found either way."""
        d = new_dir(t, "dst-path-max")
        deep = "/" + "/".join(["d" * 250] * 12)
        name = "$ORIGIN" * 20000 + "/libz.so"
        lib(d, deep + "/libhuge.so", "libhuge.so", needed=[name] * 60)
        r = h.scan_root_bare(t, d, timeout=60, measure=True)
        m = re.search(r"maxrss=(\d+)", r.err.decode())
        h.check(m, "peak memory reported: %r" % r.err[-300:])
        h.check(int(m.group(1)) < 200 * 1024, "peak memory %s KiB"
                % m.group(1))
        huge = h.depends(r.sbom, h.by_name(r.sbom, "libhuge.so"))
        h.check(len(huge) == 1, "one need, not found: %r"
                % [x[:40] for x in huge])
