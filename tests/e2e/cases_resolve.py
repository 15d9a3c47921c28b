"""End-to-end cases of the loader-accurate resolver (registered by run.py).

Two kinds of case:
- one small root per search rule, made with tests/elfgen.py and scanned
  with --root, so that the expected file is known exactly;
- differential cases on binaries compiled here, where our edges are
  compared with what the real loader maps (`ld.so --list`, which the tests
  may run; bindep-sbom itself never runs anything).
"""
import os
import shutil
import subprocess

import elfgen as E

RTLD = "/lib64/ld-linux-x86-64.so.2"


def register(case, h):
    """h is the run module: its helpers (check, by_name, ...)."""

    # ---- roots made of generated files ---------------------------------

    def lib(root, path, soname, **kw):
        h.put_elf(root, path, soname, **kw)

    link = h.put_link

    def new_root(t, name):
        return h.fresh_dir(t, "roots", name)

    def scan_root(t, root, *paths, args=()):
        r = t.run(*args, "--root", root, *[os.path.join(root, p.lstrip("/"))
                                          for p in paths])
        h.check(r.code in (0, 3), "exit %d: %s" % (r.code, r.err))
        return r

    found = h.need_found

    @case
    def relative_file_path_keeps_found_files_relative(t):
        """A relative file PATH whose RUNPATH $ORIGIN finds its library:
        the library is shown relative to the current directory, as the
        PATH is, and the SBOM is the same bytes from any directory. It was
        this machine's absolute path. So is a manifest's path. An absolute
        PATH keeps absolute paths, and so does a file outside the top
        directories of the PATHs (libc, found from /usr for bin/ls)."""
        outs = []
        for where in ("one", "two"):
            d = new_root(t, "relative-" + where)
            lib(d, "/ch/libc1.so", "libc1.so")
            lib(d, "/ch/app", None, etype=E.ET_EXEC, needed=["libc1.so"],
                runpath="$ORIGIN")
            r = t.run("ch/app", cwd=d, env={"SOURCE_DATE_EPOCH": "1"})
            h.check(r.code == 0, "exit %d: %s" % (r.code, r.err))
            outs.append(r.raw)
            h.check(d.encode() not in r.raw, "%s in the SBOM" % d)
            h.check(found(r.sbom, "app", "libc1.so") ==
                    (["ch/libc1.so"], "runpath"),
                    "%r" % (found(r.sbom, "app", "libc1.so"),))
            a = t.run(os.path.join(d, "ch/app"), cwd=d)
            h.check(found(a.sbom, "app", "libc1.so")[0] ==
                    [os.path.realpath(os.path.join(d, "ch/libc1.so"))],
                    "absolute PATH: %r" % (found(a.sbom, "app", "libc1.so"),))
        h.check(outs[0] == outs[1], "the SBOM depends on the directory")
        # A manifest of the tree scanned is named as its files are.
        d = new_root(t, "relative-npm")
        lib(d, "/node_modules/foo/build/foo.node", "foo.node")
        with open(os.path.join(d, "node_modules/foo/package.json"), "w") as f:
            f.write('{"name": "foo", "version": "1.0.0"}')
        r = t.run("node_modules", cwd=d)
        h.check(r.code == 0 and d.encode() not in r.raw,
                "%s in the SBOM" % d)
        foo = h.by_name(r.sbom, "foo.node")
        h.check(h.prop(foo, "bindep:bundled-in-manifest") ==
                "node_modules/foo/package.json",
                "%r" % h.prop(foo, "bindep:bundled-in-manifest"))
        # A system library found from a parent of its directory (/usr,
        # scanning bin/ls) keeps its absolute path: it is not of the tree
        # scanned, whatever the current directory.
        r = t.run("bin/ls", cwd="/usr")
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        libc = h.by_name(r.sbom, "libc.so.6")
        h.check(all(p.startswith("/") for p in h.locations(libc)),
                "libc relative: %r" % h.locations(libc))
        h.check(h.locations(h.by_name(r.sbom, "ls")) == ["bin/ls"],
                "%r" % h.locations(h.by_name(r.sbom, "ls")))

    @case
    def rule_rpath_inherited_along_the_chain(t):
        root = new_root(t, "rpath-chain")
        lib(root, "/app/bin/app", None, etype=E.ET_EXEC, needed=["libA.so"],
            rpath="$ORIGIN/../liba:$ORIGIN/../libb")
        lib(root, "/app/liba/libA.so", "libA.so", needed=["libB.so"])
        lib(root, "/app/libb/libB.so", "libB.so")
        s = scan_root(t, root, "/app/bin/app").sbom
        h.check(found(s, "libA.so", "libB.so") == (["/app/libb/libB.so"], "rpath"),
                "libA uses app's RPATH: %r" % (found(s, "libA.so", "libB.so"),))

    @case
    def read_ahead_changes_nothing(t):
        """The libraries the search finds are read ahead by the scanning
        threads: whatever their number, the SBOM and the warnings are the
        same bytes, in the same order, as the search reading them."""
        root = new_root(t, "read-ahead")
        corpus = os.path.join(h.ROOT, "tests", "malformed", "corpus")
        dl = E.json_note(E.NT_FDO_DLOPEN_METADATA, '[{"soname":'
                         '["libnone.so.9","libd.so.1"],"feature":"d"}]')
        for i in range(6):
            lib(root, "/usr/bin/prog%d" % i, None, etype=E.ET_EXEC,
                interp="/lib64/ld-linux-x86-64.so.2",
                needed=["liba.so.1", "libw.so", "liblink.so", "libb.so.1"][i % 4:],
                runpath="$ORIGIN/../lib/app", notes=[dl] if i == 2 else ())
        lib(root, "/lib64/ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2")
        lib(root, "/usr/lib/app/liba.so.1", "liba.so.1",
            needed=["libbroken.so.1", "libb.so.1"])
        # the first libw.so is of another class, the loader skips it
        lib(root, "/lib64/libw.so", "libw.so", cls=32, machine=E.EM_386)
        lib(root, "/usr/lib64/libw.so", "libw.so", needed=["libb.so.1"])
        # the first libb.so.1 is no ELF file
        h.put_file(root, "/lib64/libb.so.1", "not an ELF file\n")
        lib(root, "/usr/lib64/libb.so.1", "libb.so.1")
        link(root, "/usr/lib64/liblink.so", "libb.so.1")
        lib(root, "/usr/lib64/libd.so.1", "libd.so.1")
        with open(os.path.join(corpus, "needed-offset-out-of-range.so"), "rb") as f:
            h.put_file(root, "/usr/lib64/libbroken.so.1", f.read())
        runs = [scan_root(t, root, "/usr/bin", args=("-v", "-j", j))
                for j in ("1", "2", "3", "8", "2")]
        for r in runs[1:]:
            h.check(r.raw == runs[0].raw, "-j changes the SBOM")
            h.check(r.err == runs[0].err, "-j changes stderr:\n%s\n%s"
                    % (runs[0].err.decode(), r.err.decode()))
        err = runs[0].err.decode()
        h.check(err.count("'/usr/lib64/libbroken.so.1': DT_NEEDED string "
                          "offset") == 1, err)
        h.check("6 files walked, 6 ELF files" in err and
                "6 files found by the loader search" in err, err)
        s = runs[0].sbom
        h.check(found(s, "prog1", "libw.so") == (["/usr/lib64/libw.so"], "default"),
                found(s, "prog1", "libw.so"))
        h.check(found(s, "prog3", "libb.so.1") == (
            ["/usr/lib64/libb.so.1", "/usr/lib64/liblink.so"], "default"),
            found(s, "prog3", "libb.so.1"))
        # liblink.so is libb.so.1: one component, reached by both names
        h.check(found(s, "prog2", "libb.so.1") == found(s, "prog3", "libb.so.1"),
                found(s, "prog2", "libb.so.1"))
        h.check(len([c for c in h.comps(s) if c["name"] == "libb.so.1"]) == 1,
                "one libb.so.1")

    @case
    def rule_biarch_loader_directories(t):
        """Debian's biarch i386 and x32 libraries (libc6-i386, lib32*,
        libc6-x32 on amd64), in a root without ld.so.cache: their loader,
        /lib/ld-linux.so.2 leading to /lib32 (or /libx32/ld-linux-x32.so.2),
        searches /lib32:/usr/lib32:/lib:/usr/lib (measured: its --help,
        glibc 2.36-9+deb12u14). The multiarch i386 directories were
        searched, and x32's /lib:/usr/lib: libc.so.6 unfound. Where
        /lib/ld-linux.so.2 leads to Debian's i386 multiarch loader, its
        directories stay."""
        for machine, loader, real, libdir, tag in (
                (E.EM_386, "/lib/ld-linux.so.2", "/lib32/ld-linux.so.2",
                 "lib32", "i386"),
                (E.EM_X86_64, "/libx32/ld-linux-x32.so.2",
                 "/libx32/ld-linux-x32.so.2", "libx32", "x32")):
            kw = dict(cls=32, machine=machine)
            root = new_root(t, "biarch-" + tag)
            # An amd64 multiarch root: usr-merged, its own libc.
            lib(root, "/usr/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6")
            for top in ("lib", "lib32", "libx32"):
                os.makedirs(os.path.join(root, "usr", top), exist_ok=True)
                os.symlink("usr/" + top, os.path.join(root, top))
            lib(root, real, "ld-linux.so.2", **kw)
            if loader != real:
                link(root, loader, real)
            lib(root, "/usr/%s/libc.so.6" % libdir, "libc.so.6", **kw)
            lib(root, "/usr/%s/libstdc++.so.6" % libdir, "libstdc++.so.6",
                needed=["libc.so.6"], **kw)
            lib(root, "/usr/bin/app32", None, etype=E.ET_EXEC,
                needed=["libstdc++.so.6", "libc.so.6"], interp=loader, **kw)
            r = scan_root(t, root, "/usr/bin/app32",
                          "/usr/%s/libstdc++.so.6" % libdir)
            want = "/usr/%s/libc.so.6" % libdir
            got = [found(r.sbom, "app32", "libstdc++.so.6"),
                   found(r.sbom, "app32", "libc.so.6"),
                   found(r.sbom, "libstdc++.so.6", "libc.so.6")]
            h.check([bool(g[0]) and w in g[0] for g, w in zip(
                got, ("/usr/%s/libstdc++.so.6" % libdir, want, want))] ==
                [True] * 3 and all(g[1] == "default" for g in got),
                "%s: %r" % (tag, got))
        # The process's own PT_INTERP decides, not /lib/ld-linux.so.2: a
        # program whose interpreter is /lib32's in a root without that
        # link, and one whose interpreter is the multiarch loader in a
        # root where the link leads to /lib32.
        root = new_root(t, "biarch-own-interp")
        kw = dict(cls=32, machine=E.EM_386)
        lib(root, "/lib32/ld-linux.so.2", "ld-linux.so.2", **kw)
        lib(root, "/lib32/libc.so.6", "libc.so.6", rodata=b"biarch", **kw)
        lib(root, "/usr/lib32/libf.so", "libf.so", **kw)
        lib(root, "/lib/i386-linux-gnu/ld-linux.so.2", "ld-linux.so.2",
            rodata=b"multiarch", **kw)
        lib(root, "/lib/i386-linux-gnu/libc.so.6", "libc.so.6",
            rodata=b"multiarch", **kw)
        lib(root, "/usr/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6")
        lib(root, "/usr/bin/own32", None, etype=E.ET_EXEC,
            needed=["libf.so", "libc.so.6"], interp="/lib32/ld-linux.so.2",
            **kw)
        lib(root, "/usr/bin/multi32", None, etype=E.ET_EXEC,
            needed=["libc.so.6"], interp="/lib/i386-linux-gnu/ld-linux.so.2",
            **kw)
        # A relative one, from "/" as its interpreter's edge takes it.
        lib(root, "/usr/bin/rel32", None, etype=E.ET_EXEC,
            needed=["libf.so"], interp="lib32/ld-linux.so.2", **kw)
        r = scan_root(t, root, "/usr/bin/own32", "/usr/bin/multi32",
                      "/usr/bin/rel32")
        got = [found(r.sbom, "own32", "libf.so")[0],
               found(r.sbom, "own32", "libc.so.6")[0],
               found(r.sbom, "multi32", "libc.so.6")[0]]
        h.check(got == [["/usr/lib32/libf.so"], ["/lib32/libc.so.6"],
                        ["/lib/i386-linux-gnu/libc.so.6"]] and
                found(r.sbom, "rel32", "libf.so")[0] == ["/usr/lib32/libf.so"],
                "own interpreter, no /lib/ld-linux.so.2: %r %r"
                % (got, found(r.sbom, "rel32", "libf.so")))
        link(root, "/lib/ld-linux.so.2", "/lib32/ld-linux.so.2")
        r = scan_root(t, root, "/usr/bin/own32", "/usr/bin/multi32")
        got2 = [found(r.sbom, "own32", "libf.so")[0],
                found(r.sbom, "own32", "libc.so.6")[0],
                found(r.sbom, "multi32", "libc.so.6")[0]]
        h.check(got2 == got, "/lib/ld-linux.so.2 to /lib32: %r" % (got2,))
        # i386's loader leading to the multiarch one: those directories.
        root = new_root(t, "biarch-multiarch")
        kw = dict(cls=32, machine=E.EM_386)
        lib(root, "/usr/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6")
        lib(root, "/usr/lib/i386-linux-gnu/ld-linux.so.2", "ld-linux.so.2",
            **kw)
        os.makedirs(os.path.join(root, "usr/lib32"))
        lib(root, "/usr/lib32/libc.so.6", "libc.so.6", **kw)
        lib(root, "/usr/lib/i386-linux-gnu/libc.so.6", "libc.so.6", **kw)
        link(root, "/usr/lib/ld-linux.so.2", "i386-linux-gnu/ld-linux.so.2")
        os.symlink("usr/lib", os.path.join(root, "lib"))
        lib(root, "/usr/bin/app32", None, etype=E.ET_EXEC,
            needed=["libc.so.6"], interp="/lib/ld-linux.so.2", **kw)
        r = scan_root(t, root, "/usr/bin/app32")
        got = found(r.sbom, "app32", "libc.so.6")
        h.check(got[0] and all(p.endswith("/i386-linux-gnu/libc.so.6")
                               for p in got[0]), "multiarch: %r" % (got,))

    @case
    def rule_biarch_loader_hostile(t):
        """The link a biarch decision follows, made hostile: a loop, and a
        link to the host's /lib32 (not followed out of the root): no
        loader in /lib32, so no biarch directories (the i386 libc in
        /usr/lib32 unfound); a FIFO there as the loader (never opened,
        the scan not held up): its directory is /lib32's."""
        kw = dict(cls=32, machine=E.EM_386)
        for kind, want in (("loop", None), ("host", None),
                           ("fifo", ["/usr/lib32/libc.so.6"])):
            root = new_root(t, "biarch-hostile-" + kind)
            lib(root, "/usr/lib32/libc.so.6", "libc.so.6", **kw)
            os.makedirs(os.path.join(root, "lib32"))
            if kind == "loop":
                link(root, "/lib/ld-linux.so.2", "ld-linux.so.2")
            elif kind == "host":
                host = h.fresh_dir(t, "biarch-host")
                lib(host, "/lib32/ld-linux.so.2", "ld-linux.so.2", **kw)
                link(root, "/lib/ld-linux.so.2",
                     os.path.join(host, "lib32/ld-linux.so.2"))
            else:
                os.mkfifo(os.path.join(root, "lib32/ld-linux.so.2"))
                link(root, "/lib/ld-linux.so.2", "/lib32/ld-linux.so.2")
            lib(root, "/usr/bin/app32", None, etype=E.ET_EXEC,
                needed=["libc.so.6"], interp="/lib/ld-linux.so.2", **kw)
            r = scan_root(t, root, "/usr/bin/app32")
            got = found(r.sbom, "app32", "libc.so.6")[0]
            h.check(got == want, "%s: %r" % (kind, got))

    @case
    def rule_runpath_not_inherited(t):
        root = new_root(t, "runpath")
        lib(root, "/app/bin/app", None, etype=E.ET_EXEC, needed=["libA.so"],
            runpath="$ORIGIN/../liba:$ORIGIN/../libb")
        lib(root, "/app/liba/libA.so", "libA.so", needed=["libB.so"])
        lib(root, "/app/libb/libB.so", "libB.so")
        r = scan_root(t, root, "/app/bin/app", args=("--strict",))
        h.check(found(r.sbom, "app", "libA.so")[1] == "runpath", "runpath")
        h.check(found(r.sbom, "libA.so", "libB.so") == (None, None),
                "RUNPATH is the requester's only")
        h.check(r.code == 3, "--strict: a needed library is missing")
        h.check(b"--strict: 1 needed library not found (run with -v to "
                b"list them)\n" in r.err, r.err)
        h.check(r.sbom is not None, "the SBOM is written all the same")
        v = scan_root(t, root, "/app/bin/app", args=("--strict", "-v"))
        h.check(v.code == 3 and
                b"--strict: 1 needed library not found\n" in v.err, v.err)
        v = scan_root(t, root, "/app/bin/app", args=("-v",))
        h.check(b"'/app/liba/libA.so': needed library 'libB.so' not found" in v.err,
                v.err)
        h.check(v.code == 0, "without --strict, exit 0")

    @case
    def rule_rpath_ignored_with_runpath(t):
        root = new_root(t, "both")
        lib(root, "/app", None, etype=E.ET_EXEC, needed=["libx.so.1"],
            rpath="/d1", runpath="/d2")
        lib(root, "/d1/libx.so.1", "libx.so.1")
        lib(root, "/d2/libx.so.1", "libx.so.1", needed=["liby.so"])
        s = scan_root(t, root, "/app").sbom
        h.check(found(s, "app", "libx.so.1") == (["/d2/libx.so.1"], "runpath"),
                found(s, "app", "libx.so.1"))

    @case
    def rule_origin_lib_and_braces(t):
        root = new_root(t, "tokens")
        lib(root, "/opt/a/bin/app", None, etype=E.ET_EXEC,
            needed=["libo.so", "libl.so", "libb.so"],
            rpath="${ORIGIN}/../lib:/opt/$LIB:$ORIGIN/sub")
        lib(root, "/opt/a/lib/libo.so", "libo.so")
        lib(root, "/opt/lib64/libl.so", "libl.so")  # not Debian: $LIB=lib64
        lib(root, "/opt/a/bin/sub/libb.so", "libb.so")
        s = scan_root(t, root, "/opt/a/bin/app").sbom
        h.check(found(s, "app", "libo.so")[0] == ["/opt/a/lib/libo.so"], "${ORIGIN}")
        h.check(found(s, "app", "libl.so")[0] == ["/opt/lib64/libl.so"], "$LIB")
        h.check(found(s, "app", "libb.so")[0] == ["/opt/a/bin/sub/libb.so"], "$ORIGIN")
        deb = new_root(t, "tokens-debian")
        os.makedirs(os.path.join(deb, "etc"))
        open(os.path.join(deb, "etc", "debian_version"), "w").write("12.0\n")
        lib(deb, "/app", None, etype=E.ET_EXEC, needed=["libl.so"], rpath="/opt/$LIB")
        lib(deb, "/opt/lib/x86_64-linux-gnu/libl.so", "libl.so")
        s = scan_root(t, deb, "/app").sbom
        h.check(found(s, "app", "libl.so")[0] ==
                ["/opt/lib/x86_64-linux-gnu/libl.so"], "Debian's $LIB")

    @case
    def rule_empty_element_is_the_current_directory(t):
        root = new_root(t, "empty-element")
        # "$ORIGIN:" as real npm packages ship: the second element is ""
        lib(root, "/pkg/bin/tool", None, etype=E.ET_EXEC, needed=["libcwd.so"],
            runpath="$ORIGIN:")
        lib(root, "/libcwd.so", "libcwd.so")  # the program runs in "/"
        s = scan_root(t, root, "/pkg/bin/tool").sbom
        h.check(found(s, "tool", "libcwd.so") == (["/libcwd.so"], "runpath"),
                found(s, "tool", "libcwd.so"))

    @case
    def rule_origin_of_a_library_is_where_it_was_opened(t):
        """glibc's $ORIGIN for a library is the directory of the path it was
        opened by, its symlinks not resolved (_dl_new_object); only the
        program's is resolved (measured: ld.so 2.36 fails to find a library
        that sits only beside the link's target)."""
        root = new_root(t, "origin-link")
        lib(root, "/b/libx.so.1", "libx.so.1", needed=["liby.so"], runpath="$ORIGIN")
        lib(root, "/b/liby.so", "liby.so")
        link(root, "/a/libx.so.1", "../b/libx.so.1")
        lib(root, "/bin/m", None, etype=E.ET_EXEC, needed=["libx.so.1"], runpath="/a")
        s = scan_root(t, root, "/bin/m").sbom
        h.check(found(s, "libx.so.1", "liby.so") == (None, None),
                "not found beside the target: %r" % (found(s, "libx.so.1", "liby.so"),))
        lib(root, "/a/liby.so", "liby.so", needed=["libz.so.1"])
        s = scan_root(t, root, "/bin/m").sbom
        h.check(found(s, "libx.so.1", "liby.so") == (["/a/liby.so"], "runpath"),
                found(s, "libx.so.1", "liby.so"))
        # The program's own $ORIGIN is resolved: a link to it changes nothing.
        lib(root, "/bin/libp.so", "libp.so")
        lib(root, "/bin/p", None, etype=E.ET_EXEC, needed=["libp.so"], runpath="$ORIGIN")
        link(root, "/c/p-link", "../bin/p")
        s = scan_root(t, root, "/c/p-link").sbom
        h.check(found(s, "p-link", "libp.so") == (["/bin/libp.so"], "runpath"),
                found(s, "p-link", "libp.so"))

    @case
    def rule_program_origin_deep_through_a_linked_directory(t):
        """A program's $ORIGIN is its directory with every link resolved,
        however deep and however it was reached: through an argument that
        is a link to a directory, by a link beside it, or walked in its
        own tree. "$ORIGIN/../../lib" then leads past the link's target,
        not to the lexical /opt/lib (a decoy). The directories are resolved
        once per thread (issue 13), each from its parent's canonical form:
        the same answers as a walk from "/"."""
        root = new_root(t, "origin-deep")
        deep = "/srv/x/y/z/w/v/u"
        lib(root, deep + "/app/bin/prog", None, etype=E.ET_EXEC,
            needed=["libd.so"], runpath="$ORIGIN/../../lib")
        lib(root, deep + "/lib/libd.so", "libd.so", needed=["libe.so"],
            runpath="$ORIGIN/e")
        lib(root, deep + "/lib/e/libe.so", "libe.so")
        lib(root, "/opt/lib/libd.so", "libd.so")  # the decoy
        link(root, "/opt/app", deep + "/app")
        link(root, "/opt/rel", "../srv/x/y/z/w/v/u/app")
        link(root, deep + "/app/bin/prog-link", "prog")
        for args in (("/opt/app",), ("/opt/rel/bin",), ("/srv",),
                     ("/opt/app", "/srv")):
            s = scan_root(t, root, *args).sbom
            h.check(found(s, "prog", "libd.so") ==
                    ([deep + "/lib/libd.so"], "runpath"),
                    "%r: %r" % (args, found(s, "prog", "libd.so")))
            h.check(found(s, "libd.so", "libe.so") ==
                    ([deep + "/lib/e/libe.so"], "runpath"),
                    "%r: %r" % (args, found(s, "libd.so", "libe.so")))
        # Listed as reached (the tree is walked once, by the first path).
        locs = h.locations(h.by_name(s, "prog"))
        h.check(locs == ["/opt/app/bin/prog", "/opt/app/bin/prog-link"], locs)

    @case
    def rule_cache_then_conf(t):
        for with_cache in (True, False):
            root = new_root(t, "cache-%s" % with_cache)
            lib(root, "/usr/bin/app", None, etype=E.ET_EXEC, needed=["libc1.so.1"])
            lib(root, "/opt/extra/libc1.so.1", "libc1.so.1")
            os.makedirs(os.path.join(root, "etc", "ld.so.conf.d"))
            with open(os.path.join(root, "etc", "ld.so.conf"), "w") as f:
                f.write("include /etc/ld.so.conf.d/*.conf\n")
            with open(os.path.join(root, "etc", "ld.so.conf.d", "x.conf"), "w") as f:
                f.write("/opt/extra\n")
            if with_cache:
                subprocess.run(["ldconfig", "-r", root], check=True)
                h.check(os.path.exists(os.path.join(root, "etc", "ld.so.cache")),
                        "ldconfig -r made a cache")
            s = scan_root(t, root, "/usr/bin/app").sbom
            via = "ld.so.cache" if with_cache else "ld.so.conf"
            h.check(found(s, "app", "libc1.so.1") == (["/opt/extra/libc1.so.1"], via),
                    "%s: %r" % (via, found(s, "app", "libc1.so.1")))

    @case
    def rule_cache_hwcaps_best_level(t):
        """ldconfig lists a soname's glibc-hwcaps entries as x86-64-v2,
        x86-64-v3, then the plain one; ld.so (glibc 2.36, search_cache)
        takes the best level it supports, and every level is assumed
        supported: v3 (the first entry, v2, was taken)."""
        root = new_root(t, "cache-hwcaps")
        lib(root, "/usr/bin/app", None, etype=E.ET_EXEC, needed=["libh.so.1"])
        for sub in ("", "glibc-hwcaps/x86-64-v2/", "glibc-hwcaps/x86-64-v3/"):
            path = "/opt/h/%slibh.so.1" % sub
            lib(root, path, "libh.so.1")
            with open(os.path.join(root, path.lstrip("/")), "ab") as f:
                f.write(sub.encode() or b"plain")  # each file its own
        os.makedirs(os.path.join(root, "etc"))
        with open(os.path.join(root, "etc", "ld.so.conf"), "w") as f:
            f.write("/opt/h\n")
        subprocess.run(["ldconfig", "-r", root], check=True)
        listed = subprocess.run(
            ["ldconfig", "-p", "-C", os.path.join(root, "etc/ld.so.cache")],
            check=True, capture_output=True, text=True).stdout
        h.check(listed.index("x86-64-v2") < listed.index("x86-64-v3"),
                "ldconfig lists v2 first: " + listed)
        s = scan_root(t, root, "/usr/bin/app").sbom
        h.check(found(s, "app", "libh.so.1") ==
                (["/opt/h/glibc-hwcaps/x86-64-v3/libh.so.1"], "ld.so.cache"),
                found(s, "app", "libh.so.1"))

    @case
    def rule_broken_candidate_said(t):
        """A first candidate that is no loadable ELF file (a text, a file
        of 4 bytes, a big-endian one for a little-endian program): glibc's
        ld.so stops at it and the program does not start (open_verify only
        searches past another class or machine). One warning names it; the
        search goes on to the library the SBOM can name. Another class is
        passed without a word. The rest of the header is checked as glibc
        2.36 checks it, which this machine's ld.so showed on a real library
        so patched: e_version before the machine (a bad version of another
        machine stops it too), e_phentsize last."""
        first = "/first/libk.so.1"
        for i, (body, why) in enumerate((
                (b"not an ELF file, but a text long enough to be one\n" * 2,
                 "invalid ELF header"),
                (b"\x7fELF", "file too short"),
                (None, "ELF file data encoding not little-endian"),
                ({20: b"\0\0\0\0"},
                 "ELF file version does not match current one"),
                ({20: b"\0\0\0\0", 18: b"\xb7\0"},
                 "ELF file version does not match current one"),
                ({54: b"\x20\0"}, "ELF file's phentsize not the expected "
                 "size"),
                ({7: b"\x09"}, "ELF file OS ABI invalid"))):
            root = new_root(t, "broken-%d" % i)
            lib(root, "/app", None, etype=E.ET_EXEC, needed=["libk.so.1"],
                runpath="/first:/second")
            if body is None:
                lib(root, first, "libk.so.1", msb=True)
            elif isinstance(body, dict):
                lib(root, first, "libk.so.1")
                with open(os.path.join(root, first[1:]), "r+b") as f:
                    for off, data in body.items():
                        f.seek(off)
                        f.write(data)
            else:
                path = os.path.join(root, "first", "libk.so.1")
                os.makedirs(os.path.dirname(path))
                with open(path, "wb") as f:
                    f.write(body)
            lib(root, "/second/libk.so.1", "libk.so.1")
            lib(root, "/first/libw.so", "libw.so", cls=32, machine=E.EM_386)
            r = scan_root(t, root, "/app")
            h.check(found(r.sbom, "app", "libk.so.1") ==
                    (["/second/libk.so.1"], "runpath"),
                    found(r.sbom, "app", "libk.so.1"))
            w = r.warnings()
            h.check(len(w) == 1 and "'/first/libk.so.1': %s: ld.so stops at"
                    % why in w[0], "%r" % w)
            # Scanned itself (the whole root), it is still not what /app
            # loads: a component of the right class is passed over too.
            whole = scan_root(t, root)
            h.check(found(whole.sbom, "app", "libk.so.1") ==
                    (["/second/libk.so.1"], "runpath"),
                    "%s: %r" % (why, found(whole.sbom, "app", "libk.so.1")))

    @case
    def rule_directory_candidate_said(t):
        """A directory where the RUNPATH's first directory would hold the
        library: glibc's open_verify opens it, its read fails (EISDIR:
        "cannot read file data") and the load fails. One warning, for
        each program that searches there; the search goes on to the
        library the SBOM can name."""
        root = new_root(t, "dir-candidate")
        for prog in ("/app", "/app2"):
            lib(root, prog, None, etype=E.ET_EXEC, needed=["libk.so.1"],
                runpath="/first:/second")
        os.makedirs(os.path.join(root, "first", "libk.so.1"))
        lib(root, "/second/libk.so.1", "libk.so.1")
        for paths in (("/app",), ("/app", "/app2")):
            r = scan_root(t, root, *paths)
            h.check(found(r.sbom, "app", "libk.so.1") ==
                    (["/second/libk.so.1"], "runpath"),
                    found(r.sbom, "app", "libk.so.1"))
            w = r.warnings()
            h.check(len(w) == 1 and all(
                "'/first/libk.so.1': cannot read file data (a directory): "
                "ld.so stops at" in x for x in w), "%r: %r" % (paths, w))

    @case
    def rule_broken_candidate_said_to_each(t):
        """A little-endian library first in the RUNPATH of a big-endian
        program (s390x) and of a little-endian one: the big-endian ld.so
        stops at it, whichever program met it first. One warning, in a
        scan of the whole root as of the one program."""
        root = new_root(t, "broken-order")
        for prog, msb, machine in (("/a-le", False, E.EM_X86_64),
                                   ("/b-be", True, E.EM_S390)):
            lib(root, prog, None, etype=E.ET_EXEC, needed=["libk.so.1"],
                runpath="/first:/second", msb=msb, machine=machine)
        lib(root, "/first/libk.so.1", "libk.so.1")
        lib(root, "/second/libk.so.1", "libk.so.1", msb=True,
            machine=E.EM_S390)
        for paths in ((), ("/b-be",), ("/a-le", "/b-be")):
            r = scan_root(t, root, *paths)
            w = r.warnings()
            h.check(len(w) == 1 and "'/first/libk.so.1': ELF file data "
                    "encoding not big-endian: ld.so stops at" in w[0],
                    "%r: %r" % (paths, w))

    @case
    def rule_wrong_class_skipped(t):
        root = new_root(t, "wrong-class")
        lib(root, "/app", None, etype=E.ET_EXEC, needed=["libw.so"], rpath="/d32:/dbe:/d64")
        lib(root, "/d32/libw.so", "libw.so", cls=32, machine=E.EM_386)
        lib(root, "/dbe/libw.so", "libw.so", msb=True)
        lib(root, "/d64/libw.so", "libw.so")
        s = scan_root(t, root, "/app").sbom
        h.check(found(s, "app", "libw.so") == (["/d64/libw.so"], "rpath"),
                found(s, "app", "libw.so"))
        h.check(not [c for c in h.comps(s) if "/d32/libw.so" in h.locations(c)],
                "a skipped candidate is no component")

    @case
    def rule_hwcaps_first(t):
        root = new_root(t, "hwcaps")
        lib(root, "/app", None, etype=E.ET_EXEC, needed=["libh.so"], rpath="/l")
        lib(root, "/l/libh.so", "libh.so")
        lib(root, "/l/glibc-hwcaps/x86-64-v3/libh.so", "libh.so", needed=["libv3.so"])
        s = scan_root(t, root, "/app").sbom
        h.check(found(s, "app", "libh.so")[0] == ["/l/glibc-hwcaps/x86-64-v3/libh.so"],
                found(s, "app", "libh.so"))

    @case
    def rule_symlinks_inside_the_root(t):
        root = new_root(t, "symlinks")
        lib(root, "/usr/lib/x86_64-linux-gnu/libreal.so.1.2.3", "libreal.so.1")
        link(root, "/usr/lib/x86_64-linux-gnu/libreal.so.1", "libreal.so.1.2.3")
        link(root, "/lib", "usr/lib")  # merged /usr
        link(root, "/opt/abs/libabs.so", "/usr/lib/x86_64-linux-gnu/libreal.so.1.2.3")
        link(root, "/opt/loop/libloop.so", "libloop2.so")
        link(root, "/opt/loop/libloop2.so", "libloop.so")
        os.makedirs(os.path.join(root, "etc"))
        open(os.path.join(root, "etc", "debian_version"), "w").write("12\n")
        lib(root, "/usr/bin/app", None, etype=E.ET_EXEC,
            needed=["libreal.so.1", "libabs.so", "libloop.so"], rpath="/opt/abs:/opt/loop")
        r = scan_root(t, root, "/usr/bin/app")
        s = r.sbom
        real = found(s, "app", "libreal.so.1")
        h.check(real[1] == "default" and "/lib/x86_64-linux-gnu/libreal.so.1" in real[0]
                and "/usr/lib/x86_64-linux-gnu/libreal.so.1.2.3" in real[0],
                "merged /usr and a relative link: %r" % (real,))
        # libabs.so is an absolute link to the same file: one component,
        # reached by one more path, inside the root (not the host's /usr).
        same = [c for c in h.comps(s) if "/opt/abs/libabs.so" in h.locations(c)]
        h.check(len(same) == 1 and same[0]["name"] == "libreal.so.1",
                "an absolute link stays inside the root: %r" % same)
        h.check(found(s, "app", "libloop.so") == (None, None), "a loop is not found")
        # It ends the list it is in (glibc's open_path): said once.
        h.check(r.code == 0 and r.warnings() == [
            "bindep-sbom: warning: '/opt/loop/libloop.so': a symlink loop: "
            "ld.so searches no further directory of the list it is in"],
            r.err)

    @case
    def rule_soname_already_loaded(t):
        """libB would find its own libshared by RUNPATH, but the loader
        reuses the libshared that libA's search loaded first."""
        root = new_root(t, "loaded")
        lib(root, "/app", None, etype=E.ET_EXEC, needed=["libA.so", "libB.so"],
            rpath="/a:/b")
        lib(root, "/a/libA.so", "libA.so", needed=["libshared.so"])
        lib(root, "/a/libshared.so", "libshared.so")
        lib(root, "/b/libB.so", "libB.so", needed=["libshared.so"], runpath="/b/own")
        lib(root, "/b/own/libshared.so", "libshared.so", needed=["libother.so"])
        s = scan_root(t, root, "/app").sbom
        h.check(found(s, "libB.so", "libshared.so")[0] == ["/a/libshared.so"],
                found(s, "libB.so", "libshared.so"))
        h.check(not [c for c in h.comps(s) if "/b/own/libshared.so" in h.locations(c)],
                "the other copy is never loaded")

    @case
    def rule_library_path_and_nodeflib(t):
        root = new_root(t, "libpath")
        lib(root, "/app", None, etype=E.ET_EXEC, needed=["libp.so"], runpath="/rp")
        lib(root, "/lp/libp.so", "libp.so")
        lib(root, "/rp/libp.so", "libp.so")
        s = scan_root(t, root, "/app", args=("--library-path", "/nowhere:/lp")).sbom
        h.check(found(s, "app", "libp.so") == (["/lp/libp.so"], "library-path"),
                "library path before RUNPATH")
        nodef = new_root(t, "nodeflib")
        lib(nodef, "/app", None, etype=E.ET_EXEC, needed=["libd.so"],
            extra_dyn=[(E.DT_FLAGS_1, 0x800)])  # DF_1_NODEFLIB
        lib(nodef, "/usr/lib64/libd.so", "libd.so")
        s = scan_root(t, nodef, "/app").sbom
        h.check(found(s, "app", "libd.so") == (None, None), "no default dirs")
        lib(nodef, "/app2", None, etype=E.ET_EXEC, needed=["libd.so"])
        s = scan_root(t, nodef, "/app2").sbom
        h.check(found(s, "app2", "libd.so") == (["/usr/lib64/libd.so"], "default"),
                found(s, "app2", "libd.so"))

    @case
    def whole_root_without_paths(t):
        root = new_root(t, "whole")
        lib(root, "/usr/bin/app", None, etype=E.ET_EXEC, needed=["libq.so"],
            interp="/lib64/ld-linux-x86-64.so.2")
        lib(root, "/usr/lib64/libq.so", "libq.so")
        lib(root, "/usr/lib64/ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2")
        link(root, "/lib64", "usr/lib64")
        r = t.run("--root", root)
        h.check(r.code == 0, r.err)
        s = r.sbom
        h.check(s["metadata"]["component"]["name"] == "whole", "named after the root")
        app = h.by_name(s, "app")
        h.check(h.locations(app) == ["/usr/bin/app"], "paths inside the root")
        h.check(found(s, "app", "ld-linux-x86-64.so.2")[1] == "direct-path", "PT_INTERP")
        rtld = h.by_name(s, "ld-linux-x86-64.so.2")
        h.check(sorted(h.locations(rtld)) ==
                ["/lib64/ld-linux-x86-64.so.2", "/usr/lib64/ld-linux-x86-64.so.2"],
                h.locations(rtld))
        outside = t.run("--root", root, os.path.join(t.work, "dist"))
        h.check(outside.code == 1 and b"not inside --root" in outside.err, outside.err)

    # ---- differential cases: the real loader as the oracle ---------------

    rtld_real = os.path.realpath(RTLD)

    def loader_map(path, cwd=None, root=None):
        """(real files mapped, names not found) from ld.so --list, run in a
        chroot of root when given; None when the loader refuses the file."""
        cmd = [RTLD, "--list", path]
        if root:
            cmd = ["chroot", root] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
        if proc.returncode:
            return None
        files, missing = set(), set()
        for line in proc.stdout.splitlines():
            parts = line.split()
            if "=>" not in parts:
                continue  # the vdso, the loader itself
            if parts[2] == "not":
                missing.add(parts[0])
            else:
                files.add(os.path.realpath((root or "") + parts[2]))
        files.discard(rtld_in(root) if root else rtld_real)
        return files, missing

    def system_loader_maps(paths):
        """{path: loader_map(path)} for files of this machine, asked once per
        make check."""
        def ask(p):
            m = loader_map(p)
            return None if m is None else [sorted(m[0]), sorted(m[1])]
        maps = h.remembered("ld.so-list", paths, ask,
                            (RTLD, "/etc/ld.so.cache"))
        return {p: None if m is None else (set(m[0]), set(m[1]))
                for p, m in maps.items()}

    def our_map(s, requester_path, prefix=None, rtld=None):
        """The same, from our dependencies: the closure of one input over
        what is not optional (dlopen targets are loaded later, if ever).
        Locations are taken relative to prefix (a root, or the work dir)."""
        base = prefix if prefix is not None else t_work[0]
        files, missing = set(), set()
        for c in h.loaded_closure(s, requester_path):
            if h.props(c, "bindep:resolved"):
                missing.add(c["name"])
                continue
            loc = h.locations(c)[0]
            files.add(os.path.realpath(base + loc if prefix is not None
                                       else os.path.join(base, loc)))
        files.discard(rtld or rtld_real)
        return files, missing

    t_work = [None]

    def compare(t, paths, cwd=None, args=()):
        t_work[0] = cwd or t.work
        r = t.run(*args, *paths, cwd=cwd or t.work)
        h.check(r.code == 0, r.err)
        bad = []
        for p in paths:
            want = loader_map(os.path.join(cwd or t.work, p), cwd=cwd or t.work)
            got = our_map(r.sbom, p)
            if want != got:
                bad.append("%s: loader %r\n  ours %r" % (p, want, got))
        h.check(not bad, "\n".join(bad[:5]))
        return r

    def cc(*args):
        subprocess.run(["cc", "-O1", *args], check=True)

    @case
    def differential_npm_native_module(t):
        """sharp-style: an addon whose RPATH climbs into a sibling package,
        and vendored libraries with '$ORIGIN:' runpaths."""
        base = os.path.join(t.work, "npm", "node_modules")
        shutil.rmtree(os.path.join(t.work, "npm"), ignore_errors=True)
        vips = os.path.join(base, "@img", "sharp-libvips-linux-x64", "lib")
        addon = os.path.join(base, "@img", "sharp-linux-x64", "lib")
        os.makedirs(vips)
        os.makedirs(addon)
        src = os.path.join(h.TESTS, "fixtures")
        cc("-shared", "-fPIC", "-o", os.path.join(vips, "libdep.so.1"),
           os.path.join(src, "libdep.c"), "-Wl,-soname,libdep.so.1",
           "-Wl,--enable-new-dtags,-rpath,$ORIGIN:")
        cc("-shared", "-fPIC", "-o", os.path.join(vips, "libvips-cpp.so.42"),
           os.path.join(src, "libfoo.c"), "-Wl,-soname,libvips-cpp.so.42",
           "-L" + vips, "-l:libdep.so.1", "-Wl,--enable-new-dtags,-rpath,$ORIGIN:")
        cc("-shared", "-fPIC", "-o", os.path.join(addon, "sharp-linux-x64.node"),
           os.path.join(src, "app.c"), "-L" + vips, "-l:libvips-cpp.so.42",
           "-Wl,--disable-new-dtags,-rpath,$ORIGIN/../../sharp-libvips-linux-x64/lib")
        r = compare(t, ["npm/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node"])
        s = r.sbom
        vendored = h.by_name(s, "libvips-cpp.so.42")
        h.check(h.prop(vendored, "bindep:resolved-via") == "rpath", "via RPATH")

    @case
    def differential_auditwheel_tree(t):
        """auditwheel repair: a hashed copy of the system's libz under
        pkg.libs, reached through $ORIGIN/../pkg.libs."""
        wheel = os.path.join(t.work, "wheel")
        shutil.rmtree(wheel, ignore_errors=True)
        libs = os.path.join(wheel, "pkg.libs")
        pkg = os.path.join(wheel, "pkg")
        os.makedirs(libs)
        os.makedirs(pkg)
        vend = os.path.join(libs, "libz-abc12345.so.1.2.13")
        shutil.copy(os.path.realpath("/lib/x86_64-linux-gnu/libz.so.1"), vend)
        subprocess.run(["patchelf", "--set-soname", "libz-abc12345.so.1.2.13", vend],
                       check=True)
        ext = os.path.join(pkg, "_ext.cpython-311-x86_64-linux-gnu.so")
        with open(os.path.join(t.work, "ext.c"), "w") as f:
            f.write("#include <zlib.h>\nconst char *v(void){return zlibVersion();}\n")
        cc("-shared", "-fPIC", "-o", ext, os.path.join(t.work, "ext.c"), "-lz")
        # Two calls: patchelf 0.14 garbles the file given both at once.
        subprocess.run(["patchelf", "--replace-needed", "libz.so.1",
                        "libz-abc12345.so.1.2.13", ext], check=True)
        subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../pkg.libs", ext],
                       check=True)
        dyn = subprocess.run(["readelf", "-d", ext], capture_output=True,
                             text=True).stdout
        h.check("[libz-abc12345.so.1.2.13]" in dyn and "[$ORIGIN/../pkg.libs]" in dyn,
                "the tree is auditwheel's: " + dyn)
        r = compare(t, ["wheel/pkg/_ext.cpython-311-x86_64-linux-gnu.so"])
        z = h.by_name(r.sbom, "libz-abc12345.so.1.2.13")
        # Relative, as the PATH given (relative_file_path_keeps_found_
        # files_relative).
        h.check(h.locations(z) == ["wheel/pkg.libs/libz-abc12345.so.1.2.13"],
                "the vendored copy, not the system's: %r" % h.locations(z))
        h.check(h.prop(z, "bindep:resolved-via") == "runpath", "patchelf sets RUNPATH")

    @case
    def differential_fixture_tree(t):
        compare(t, ["dist/bin/app", "dist/bin/app-runpath", "dist/lib/libfoo.so.1",
                    "dist/lib/libloader.so.1"])

    def elf_files(directory, limit=None):
        files = []
        for name in sorted(os.listdir(directory)):
            p = os.path.join(directory, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                if f.read(4) != b"\x7fELF":
                    continue
            files.append(p)
        return files[:limit] if limit else files

    @case
    def differential_system_directories(t):
        """Every ELF file of /usr/bin and /usr/lib/x86_64-linux-gnu: each
        edge points at the file the real loader maps. (Under valgrind, a
        sample.)"""
        limit = 40 if t.wrapper else None
        t_work[0] = t.work
        for d in ("/usr/bin", "/usr/lib/x86_64-linux-gnu"):
            files = elf_files(d, limit)
            h.check(len(files) > 10, "%s: %d ELF files" % (d, len(files)))
            # Not checked against the schemas here: the SBOMs of these two
            # directories are, by purls_round_trip_on_real_inputs (6 s of
            # the two validators for these 4 MB).
            r = t.run(*files, "-q", validate_sbom=False)
            h.check(r.code == 0, r.err)
            bad, compared = [], 0
            wants = system_loader_maps(files)
            for p in files:
                want = wants[p]
                if want is None:
                    continue  # the loader itself refuses it
                compared += 1
                got = our_map(r.sbom, p)
                if want != got:
                    bad.append("%s: loader %r\n  ours %r" % (p, want, got))
            h.check(compared > 10, "%s: compared %d" % (d, compared))
            h.check(not bad, "\n".join(bad[:3]) + "\n(%d of %d files differ)"
                    % (len(bad), compared))

    # ---- a Debian root made of packages, against its own loader ----------

    DEBIAN_PACKAGES = ["libc6", "gcc-12-base", "libgcc-s1", "libstdc++6", "zlib1g",
                       "liblzma5", "liblz4-1", "libzstd1", "libbz2-1.0", "zstd",
                       "libmagic1", "libmagic-mgc", "file"]

    def debian_root(t):
        """Extract the packages (cached in build/debs) into a root and let
        ldconfig -r write its cache. Packages come from Debian's archive
        through apt, as the project's own installs do."""
        return h.root_of_debs(t, "debian", DEBIAN_PACKAGES, "debs")

    def rtld_in(root):
        """The loader's real file in the root (its link is absolute)."""
        path = root + RTLD
        for _ in range(10):
            if not os.path.islink(path):
                break
            target = os.readlink(path)
            path = (root + target if target.startswith("/")
                    else os.path.join(os.path.dirname(path), target))
        return os.path.realpath(path)

    @case
    def debian_root_equals_chroot_loader(t):
        root = debian_root(t)
        inputs = []
        for d in ("usr/bin", "lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu"):
            full = os.path.join(root, d)
            inputs += [p for p in elf_files(full)] if os.path.isdir(full) else []
        h.check(len(inputs) >= 10, "%d ELF files in the root" % len(inputs))
        r = t.run("--root", root, *inputs)
        h.check(r.code == 0, r.err)
        t_work[0] = root
        bad, compared = [], 0
        for p in inputs:
            inside = "/" + os.path.relpath(p, root)
            want = loader_map(inside, root=root)
            if want is None:
                continue
            compared += 1
            got = our_map(r.sbom, inside, prefix=root, rtld=rtld_in(root))
            if want != got:
                bad.append("%s: chroot loader %r\n  ours %r" % (inside, want, got))
        h.check(compared >= 10, "compared %d files" % compared)
        h.check(not bad, "\n".join(bad[:3]) + "\n(%d of %d differ)" % (len(bad), compared))
        zstd = [c for c in h.comps(r.sbom) if "/usr/bin/zstd" in h.locations(c)][0]
        h.check(zstd["type"] == "application", "zstd is a program")
