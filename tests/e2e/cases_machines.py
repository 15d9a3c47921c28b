"""End-to-end cases of names missing for several machines (registered by
run.py).

The loader's search skips a candidate of another class, byte order or
machine (glibc's open_verify, elf/dl-load.c), so a name missing is missing
for one ELF kind: aarch64's libc.so.6 is not x86-64's, and a tree that
holds both builds of a package (node-gyp-build's prebuilds/linux-x64/ and
prebuilds/linux-arm64/, a multiarch root's i386 and amd64 programs, x32's
ELF32 EM_X86_64 beside x86-64's ELF64) has one unresolved component per
kind and name, keyed soname:<machine>:<class>:<byte order>:<name>. A kind
nothing of which was found in the run (no library, no interpreter) and of
which the root holds no file (no loader, nothing its ld.so.cache names;
where it holds none of any kind, when something of another kind was
found) is a root of another machine, not a broken install: one warning
says so, and its components' bindep:unresolved:reason is
no-libraries-for-machine.
--strict fails as before. The files are made by tests/elfgen.py.
"""
import os

import artifact_fixtures as A
import elfgen as E

X64_LOADER = "/lib64/ld-linux-x86-64.so.2"
I386_LOADER = "/lib/ld-linux.so.2"
X32_LOADER = "/libx32/ld-linux-x32.so.2"
ARM64_LOADER = "/lib/ld-linux-aarch64.so.1"
ABSENT = "no-libraries-for-machine"
NOT_FOUND = "not-found"
SDE = {"SOURCE_DATE_EPOCH": "1700000000"}
KINDS = {"x86_64": dict(), "aarch64": dict(machine=E.EM_AARCH64),
         "i386": dict(cls=32, machine=E.EM_386),
         "x32": dict(cls=32, machine=E.EM_X86_64),
         "ppc": dict(cls=32, msb=True, machine=E.EM_PPC),
         "s390": dict(cls=32, msb=True, machine=E.EM_S390)}
TAGS = {"x86_64": "x86_64:ELF64:little-endian",
        "aarch64": "aarch64:ELF64:little-endian",
        "i386": "i386:ELF32:little-endian", "x32": "x86_64:ELF32:little-endian",
        "ppc": "ppc:ELF32:big-endian", "s390": "s390:ELF32:big-endian"}
WARNING = ("needs libraries no %s file of the root provides (%s): the root "
           "holds nothing for that machine; give --root of such a system to "
           "search them")


def register(case, h):
    check = h.check

    def elf(root, path, kind, **kw):
        return h.put_elf(root, path, **dict(KINDS[kind], **kw))

    def x86_64_root(t, name):
        """A Debian amd64 root: its loader and libc in the multiarch
        directory ld.so.conf lists."""
        root = h.fresh_dir(t, "machines", name)
        lib = "/lib/x86_64-linux-gnu"
        elf(root, lib + "/ld-linux-x86-64.so.2", "x86_64",
            soname="ld-linux-x86-64.so.2")
        h.put_link(root, X64_LOADER, lib + "/ld-linux-x86-64.so.2")
        elf(root, lib + "/libc.so.6", "x86_64", soname="libc.so.6",
            needed=["ld-linux-x86-64.so.2"])
        h.put_file(root, "/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
        h.put_file(root, "/etc/ld.so.conf.d/x86_64-linux-gnu.conf", lib + "\n")
        return root

    def unresolved(s):
        """{key: (machine, class, byte order, reason)} of the names
        missing."""
        return {c["bom-ref"]: (h.prop(c, "bindep:elf:machine"),
                               h.prop(c, "bindep:elf:class"),
                               h.prop(c, "bindep:elf:byte-order"),
                               h.prop(c, "bindep:unresolved:reason"))
                for c in h.comps(s) if h.props(c, "bindep:resolved")}

    def under(root, *paths):
        """--root and the PATHs inside it, as the host names them."""
        return ("--root", root) + tuple(os.path.join(root, p.lstrip("/"))
                                        for p in paths)

    def key(kind, name):
        return "soname:%s:%s" % (TAGS[kind], name)

    def facts(kind, reason):
        machine, cls, order = TAGS[kind].split(":")
        return (machine, cls, order, reason)

    def view(t, fmt, *args, cwd=None):
        r = t.run("--format", fmt, "-o", "-", *args, cwd=cwd)
        check(r.code == 0, "%s: exit %d: %s" % (fmt, r.code, r.err))
        return r.out.decode()

    def line(text, label):
        found = [x for x in text.splitlines() if x.startswith(label)]
        check(len(found) == 1, "%s: %r" % (label, text))
        return found[0]

    @case
    def machines_npm_prebuilds_x64_and_arm64(t):
        """A multi-platform npm package (node-gyp-build's prebuilds for
        linux-x64 and linux-arm64) scanned on an x86-64 root: the x64
        addon's libfoo.so.1 and the arm64 addon's are two components,
        the arm64 one's libc.so.6 a third; only aarch64 has nothing in the
        root, said once, its components no-libraries-for-machine; the
        summary, the text view and the graph's nodes say which machine
        each name is missing for; every format agrees; -j changes no byte;
        --strict fails."""
        root = x86_64_root(t, "npm")
        needs = ["libfoo.so.1", "libc.so.6"]
        files = [("prebuilds/linux-%s/addon.node" % d,
                  E.build(soname="addon.node", needed=needs, **KINDS[k])[0],
                  0o755) for d, k in (("x64", "x86_64"), ("arm64", "aarch64"))]
        A.put(os.path.join(root, "dist", "addon-1.0.0.tgz"),
              A.npm_tarball("addon", "1.0.0", files))
        args = under(root, "/dist")
        runs = [t.run("-j", j, *args) for j in ("1", "2", "4")]
        r = runs[0]
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        for other in runs[1:]:
            check(other.raw == r.raw and other.err == r.err, "-j changes the run")
        check(unresolved(r.sbom) == {
            key("aarch64", "libc.so.6"): facts("aarch64", ABSENT),
            key("aarch64", "libfoo.so.1"): facts("aarch64", ABSENT),
            key("x86_64", "libfoo.so.1"): facts("x86_64", NOT_FOUND)},
            unresolved(r.sbom))
        arm = "/dist/addon-1.0.0.tgz!/package/prebuilds/linux-arm64/addon.node"
        check(r.warnings() == ["bindep-sbom: warning: '%s': " % arm + WARNING % (
            "aarch64 (ELF64, little-endian)", "libc.so.6, libfoo.so.1")],
            r.err)
        libc = [c for c in h.comps(r.sbom) if c["name"] == "libc.so.6" and
                not h.props(c, "bindep:resolved")]
        check(len(libc) == 1 and h.prop(libc[0], "bindep:elf:machine") == "x86_64",
              "the x64 addon's libc found: %r" % libc)
        summary = view(t, "summary", *args)
        check(line(summary, "missing") ==
              "missing       2: libc.so.6 (aarch64), libfoo.so.1 (aarch64, x86_64)",
              summary)
        text = view(t, "text", *args)
        check("    libc.so.6 => not found (aarch64)  [needed]\n" in text and
              "    libfoo.so.1 => not found (x86_64)  [needed]\n" in text, text)
        check(text.rstrip().endswith("3 not found, 0 unidentified"), text[-200:])
        dot = view(t, "dot", *args)
        check(all(dot.count('[label="%s\\nnot found"' % label) == 1 for label in (
            "libc.so.6 (aarch64)", "libfoo.so.1 (aarch64)", "libfoo.so.1 (x86_64)")),
            dot)
        h.formats_agree(t, *args)
        strict = t.run("--strict", *args)
        check(strict.code == 3, "--strict passed: %d" % strict.code)

    @case
    def machines_multiarch_32_and_64_bit_pair(t):
        """A multiarch root's amd64 and i386 programs need libfoo.so.1,
        which neither has: two components, both not-found while the root
        holds libc6:i386 (no warning); without it the i386 program's
        misses, its loader among them, are no-libraries-for-machine, said
        once with its loader's name."""
        root = x86_64_root(t, "multiarch")
        elf(root, "/usr/bin/prog64", "x86_64", interp=X64_LOADER,
            needed=["libfoo.so.1", "libc.so.6"])
        elf(root, "/usr/bin/prog32", "i386", interp=I386_LOADER,
            needed=["libfoo.so.1", "libc.so.6"])
        lib32 = "/lib/i386-linux-gnu"
        elf(root, lib32 + "/ld-linux.so.2", "i386", soname="ld-linux.so.2")
        h.put_link(root, I386_LOADER, lib32 + "/ld-linux.so.2")
        elf(root, lib32 + "/libc.so.6", "i386", soname="libc.so.6")
        h.put_file(root, "/etc/ld.so.conf.d/i386-linux-gnu.conf", lib32 + "\n")
        args = under(root, "/usr/bin")
        r = t.run(*args)
        check(r.code == 0 and not r.warnings(), r.err)
        check(unresolved(r.sbom) == {
            key("i386", "libfoo.so.1"): facts("i386", NOT_FOUND),
            key("x86_64", "libfoo.so.1"): facts("x86_64", NOT_FOUND)},
            unresolved(r.sbom))
        h.formats_agree(t, *args)
        summary = view(t, "summary", *args)
        check(line(summary, "missing") ==
              "missing       1: libfoo.so.1 (i386, x86_64)", summary)
        for path in (lib32 + "/libc.so.6", lib32 + "/ld-linux.so.2", I386_LOADER):
            os.unlink(os.path.join(root, path.lstrip("/")))
        r = t.run(*args)
        check(unresolved(r.sbom) == {
            key("i386", I386_LOADER): facts("i386", ABSENT),
            key("i386", "libc.so.6"): facts("i386", ABSENT),
            key("i386", "libfoo.so.1"): facts("i386", ABSENT),
            key("x86_64", "libfoo.so.1"): facts("x86_64", NOT_FOUND)},
            unresolved(r.sbom))
        check(r.warnings() == ["bindep-sbom: warning: '/usr/bin/prog32': " + WARNING % (
            "i386 (ELF32, little-endian)",
            "%s, libc.so.6, libfoo.so.1" % I386_LOADER)], r.err)

    @case
    def machines_x32_apart_from_x86_64(t):
        """x32 (ELF32, EM_X86_64: Debian's perf-read-vdsox32) is its own
        machine: on an amd64 root without libc6-x32 its libc.so.6 and its
        loader are missing for "x86_64 ELF32", no-libraries-for-machine,
        and the x86-64 libc beside it counts for nothing; with libc6-x32's
        libc (its ld.so.conf.d file) but no loader, the loader is
        not-found, and no warning. --strict fails both ways."""
        root = x86_64_root(t, "x32")
        elf(root, "/usr/bin/prog64", "x86_64", interp=X64_LOADER,
            needed=["libc.so.6"])
        elf(root, "/usr/lib/perf-core/perf-read-vdsox32", "x32",
            interp=X32_LOADER, needed=["libc.so.6"])
        args = under(root, "/usr/bin", "/usr/lib/perf-core")
        r = t.run(*args)
        check(r.code == 0, r.err)
        check(unresolved(r.sbom) == {
            key("x32", X32_LOADER): facts("x32", ABSENT),
            key("x32", "libc.so.6"): facts("x32", ABSENT)}, unresolved(r.sbom))
        check(r.warnings() == [
            "bindep-sbom: warning: '/usr/lib/perf-core/perf-read-vdsox32': " +
            WARNING % ("x86_64 (ELF32, little-endian)", "%s, libc.so.6" % X32_LOADER)],
            r.err)
        summary = view(t, "summary", *args)
        check(line(summary, "missing") ==
              "missing       2: %s (x86_64 ELF32), libc.so.6 (x86_64 ELF32)"
              % X32_LOADER, summary)
        check(t.run("--strict", *args).code == 3, "--strict passed")
        elf(root, "/usr/libx32/libc.so.6", "x32", soname="libc.so.6")
        h.put_file(root, "/etc/ld.so.conf.d/zz_x32-biarch-compat.conf",
                   "/usr/libx32\n/libx32\n")
        r = t.run(*args)
        check(r.code == 0 and not r.warnings(), r.err)
        check(unresolved(r.sbom) == {key("x32", X32_LOADER): facts("x32", NOT_FOUND)},
              unresolved(r.sbom))
        check(t.run("--strict", *args).code == 3, "--strict passed")

    @case
    def machines_dlopen_note_and_loader_path_on_two_machines(t):
        """A .note.dlopen entry missing for x86-64 and aarch64 is two
        components (the summary: one name, both machines, its priority);
        /lib/ld.so.1, the loader of 32-bit PowerPC and of 31-bit s390, is
        one path and two components."""
        root = x86_64_root(t, "dlopen")
        note = E.json_note(E.NT_FDO_DLOPEN_METADATA,
                           '[{"soname":["libplug.so.1"],"priority":"suggested"}]')
        # x86-64's libc is found: the root has things of that machine.
        for kind in ("x86_64", "aarch64"):
            elf(root, "/opt/%s/libhost.so" % kind, kind, soname="libhost.so",
                notes=[note], needed=["libc.so.6"] if kind == "x86_64" else ())
        for kind in ("ppc", "s390"):
            elf(root, "/opt/%s/prog" % kind, kind, interp="/lib/ld.so.1",
                etype=E.ET_EXEC)
        args = under(root, "/opt")
        r = t.run(*args)
        check(r.code == 0, r.err)
        check(unresolved(r.sbom) == {
            key("aarch64", "libplug.so.1"): facts("aarch64", ABSENT),
            key("x86_64", "libplug.so.1"): facts("x86_64", NOT_FOUND),
            key("ppc", "/lib/ld.so.1"): facts("ppc", ABSENT),
            key("s390", "/lib/ld.so.1"): facts("s390", ABSENT)},
            unresolved(r.sbom))
        check(len(r.warnings()) == 3 and
              all("the root holds nothing" in w for w in r.warnings()), r.err)
        for c in h.comps(r.sbom):
            if c["name"] == "libplug.so.1":
                check(c.get("scope") == "optional", c)
        summary = view(t, "summary", *args)
        check(line(summary, "missing") ==
              "missing       2: /lib/ld.so.1 (ppc, s390), libplug.so.1 "
              "(aarch64, x86_64; dlopen: suggested)", summary)
        h.formats_agree(t, *args)

    @case
    def machines_root_machines_from_its_loaders(t):
        """The root's machines are those of its loaders (and ld.so.cache's
        files): an aarch64 program alone against an amd64 root, nothing of
        either machine found in the run, is a machine the root holds
        nothing for, warned of; an i386 library whose libfoo.so.1 is
        missing on a root with i386's loader is a miss of a root of its
        machine, not-found and no warning, though nothing i386 was found
        and amd64's libc was."""
        root = x86_64_root(t, "alone")
        elf(root, "/opt/arm/prog", "aarch64", interp=ARM64_LOADER,
            needed=["libc.so.6"], etype=E.ET_EXEC)
        r = t.run(*under(root, "/opt/arm"))
        check(r.code == 0, r.err)
        check(unresolved(r.sbom) == {
            key("aarch64", ARM64_LOADER): facts("aarch64", ABSENT),
            key("aarch64", "libc.so.6"): facts("aarch64", ABSENT)},
            unresolved(r.sbom))
        check(r.warnings() == ["bindep-sbom: warning: '/opt/arm/prog': " + WARNING % (
            "aarch64 (ELF64, little-endian)", "%s, libc.so.6" % ARM64_LOADER)],
            r.err)
        elf(root, "/lib/i386-linux-gnu/ld-linux.so.2", "i386",
            soname="ld-linux.so.2")
        h.put_link(root, I386_LOADER, "/lib/i386-linux-gnu/ld-linux.so.2")
        elf(root, "/opt/i386/libbar.so", "i386", soname="libbar.so",
            needed=["libfoo.so.1"])
        elf(root, "/usr/bin/prog64", "x86_64", interp=X64_LOADER,
            needed=["libc.so.6"])
        r = t.run(*under(root, "/opt/i386", "/usr/bin"))
        check(r.code == 0 and not r.warnings(), r.err)
        check(unresolved(r.sbom) == {
            key("i386", "libfoo.so.1"): facts("i386", NOT_FOUND)},
            unresolved(r.sbom))

    @case
    def machines_one_machine_said_as_before(t):
        """A run of one machine: the views say a name missing as they
        always did, no warning, its component not-found."""
        root = x86_64_root(t, "one")
        elf(root, "/usr/bin/prog", "x86_64", interp=X64_LOADER,
            needed=["libfoo.so.1", "libc.so.6"])
        args = under(root, "/usr/bin")
        r = t.run(*args)
        check(r.code == 0 and not r.err, r.err)
        check(unresolved(r.sbom) == {key("x86_64", "libfoo.so.1"):
                                     facts("x86_64", NOT_FOUND)}, unresolved(r.sbom))
        check(line(view(t, "summary", *args), "missing") ==
              "missing       1: libfoo.so.1", "summary")
        check("    libfoo.so.1 => not found  [needed]\n" in view(t, "text", *args),
              "text")
        spdx = t.run("--format", "spdx", *args).sbom
        missing = [p for p in spdx["packages"] if p["name"] == "libfoo.so.1"][0]
        said = [a["comment"] for a in missing["annotations"]]
        check(["bindep:resolved=false", "bindep:unresolved:reason=not-found",
               "bindep:elf:class=ELF64", "bindep:elf:machine=x86_64",
               "bindep:elf:byte-order=little-endian"] ==
              [a for a in said if a.startswith(("bindep:resolved", "bindep:unres",
                                                "bindep:elf"))], said)
