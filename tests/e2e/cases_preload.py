"""End-to-end cases of libraries a program loads by path before what
needs them (registered by run.py).

glibc's _dl_map_object (elf/dl-load.c) takes a needed name for an object
already loaded whose name or DT_SONAME it is, before it searches
(_dl_name_match_p, elf/dl-misc.c). The java launcher dlopen()s
lib/server/libjvm.so by its path before anything loads lib/libjava.so,
whose RUNPATH $ORIGIN does not reach it; firefox loads libxul.so's
libraries from dependentlibs.list; Python packages with
ctypes.CDLL(path). Such a need was "not found" and failed --strict; it
is now met by the one library of its unit that has that soname, and says
how ("preloaded").

The trees with an oracle are compiled with cc: `ld.so --preload PATH
--list FILE` is the loader with that library loaded first, as the program
would have it (the tests run it; the tool never runs anything). The
negative cases are roots of tests/elfgen.py files.
"""
import os
import subprocess

import artifact_fixtures as A
import elfgen as E

RTLD = "/lib64/ld-linux-x86-64.so.2"
PRELOADED = "preloaded"
SAID = "matched by soname, loaded by path first"


def register(case, h):
    check = h.check

    def put(d, path, data, mode=0o755):
        full = h.put_file(d, path, data)
        os.chmod(full, mode)
        return full

    def loader_list(path, preload=(), cwd=None):
        """(real files mapped, names not found) as ld.so --list says, with
        the files of preload loaded first; None when the load fails."""
        cmd = [RTLD]
        if preload:
            cmd += ["--preload", ":".join(preload)]
        proc = subprocess.run(cmd + ["--list", path], capture_output=True,
                              text=True, cwd=cwd)
        if proc.returncode:
            return None
        files, missing = set(), set()
        for line in proc.stdout.splitlines():
            parts = line.split()
            if "vdso" in line or not parts:
                continue
            if "=>" not in parts:
                files.add(os.path.realpath(os.path.join(cwd or ".", parts[0])))
            elif parts[2] == "not":
                missing.add(parts[0])
            else:
                files.add(os.path.realpath(os.path.join(cwd or ".",
                                                        parts[2])))
        files.discard(os.path.realpath(RTLD))
        files.discard(os.path.realpath(os.path.join(cwd or ".", path)))
        return files, missing

    def our_list(s, location, cwd):
        """The same from the SBOM: the closure of the file at location."""
        files, missing = set(), set()
        for c in h.loaded_closure(s, location):
            if h.props(c, "bindep:resolved"):
                missing.add(c["name"])
            else:
                files.add(os.path.realpath(os.path.join(cwd,
                                                        h.locations(c)[0])))
        files.discard(os.path.realpath(RTLD))
        return files, missing

    def unresolved(s):
        return sorted(c["name"] for c in h.comps(s)
                      if h.props(c, "bindep:resolved"))

    def jdk_tree(t, name, provider_soname="libjvm.so"):
        """A JDK as Temurin lays it out, compiled here: bin/java's RUNPATH
        reaches lib/libjli.so; lib/libjava.so and lib/libnet.so need
        libjvm.so, which their RUNPATH $ORIGIN does not reach: it is
        lib/server/libjvm.so (DT_SONAME provider_soname)."""
        d = h.fresh_dir(t, "preload", name)
        b = A.Build(os.path.join(d, "scratch"))
        b.lib("libjvm.so", tag="jvm linked against")
        jvm = b.lib(provider_soname, tag="jvm")
        put(d, "jdk/lib/server/libjvm.so", jvm)
        put(d, "jdk/lib/libjava.so",
            b.lib("libjava.so", needed=["libjvm.so"], runpath="$ORIGIN"))
        put(d, "jdk/lib/libnet.so",
            b.lib("libnet.so", needed=["libjava.so", "libjvm.so"],
                  runpath="$ORIGIN"))
        put(d, "jdk/lib/libjli.so", b.lib("libjli.so"))
        put(d, "jdk/bin/java", b.exe("java", needed=["libjli.so"],
                                      runpath="$ORIGIN/../lib"))
        return d

    @case
    def preload_jdk_lib_server_libjvm(t):
        """Temurin's tree: libjava.so's and libnet.so's libjvm.so is
        lib/server/libjvm.so, matched by its soname ("preloaded"), as the
        loader maps it once the launcher has loaded it by path (ld.so
        --preload); without it the loader fails. Nothing is missing,
        --strict passes, -v says each match and the run's summary counts
        them; the SBOM is the same bytes at -j 1, 2 and 4."""
        d = jdk_tree(t, "jdk")
        runs = [t.run("-v", "--strict", "-j", j, "jdk", cwd=d)
                for j in ("1", "2", "4")]
        r = runs[0]
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        for other in runs[1:]:
            check(other.raw == r.raw, "-j changes the SBOM")
        s = r.sbom
        for lib in ("libjava.so", "libnet.so"):
            check(h.need_found(s, lib, "libjvm.so") ==
                  (["jdk/lib/server/libjvm.so"], PRELOADED),
                  "%s: %r" % (lib, h.need_found(s, lib, "libjvm.so")))
        check(h.need_found(s, "libnet.so", "libjava.so") ==
              (["jdk/lib/libjava.so"], "runpath"),
              h.need_found(s, "libnet.so", "libjava.so"))
        check(unresolved(s) == [], unresolved(s))
        err = r.err.decode()
        check("0 needed libraries not found, 2 needed libraries %s" % SAID
              in err, err)
        check("'jdk/lib/libjava.so': needed library 'libjvm.so' not found "
              "by the loader's search: matched by soname to "
              "'jdk/lib/server/libjvm.so', which the program must load by "
              "path first" in err, err)
        jvm = os.path.join(d, "jdk/lib/server/libjvm.so")
        for lib in ("jdk/lib/libjava.so", "jdk/lib/libnet.so"):
            check(loader_list(lib, cwd=d) is None,
                  "%s loads without libjvm.so" % lib)
            want = loader_list(lib, [jvm], cwd=d)
            check(want is not None and want == our_list(s, lib, d),
                  "%s: loader %r\n  ours %r" % (lib, want, our_list(s, lib, d)))

    @case
    def preload_said_by_every_view(t):
        """The text view says it on the edge, the summary names the
        library, SPDX 2.3 on the relationship, SPDX 3 on the link
        relationship; every format gives the library bindep:resolved-via
        preloaded."""
        d = jdk_tree(t, "views")
        text = t.run("--format", "text", "-o", "-", "jdk", cwd=d)
        check(text.code == 0, text.err)
        check(("libjvm.so => jdk/lib/server/libjvm.so  [%s: %s]"
               % (PRELOADED, SAID)).encode() in text.out, text.out)
        summary = t.run("--format", "summary", "-o", "-", "jdk", cwd=d)
        check(summary.code == 0, summary.err)
        lines = [line for line in summary.out.decode().splitlines()
                 if line.startswith(PRELOADED)]
        check(lines == ["preloaded     1: libjvm.so (%s)" % SAID], lines)
        check(b"missing       none" in summary.out, summary.out)
        spdx = t.run("--format", "spdx", "jdk", cwd=d).sbom
        ids = {p["SPDXID"]: p["name"] for p in spdx["packages"]}
        links = [(ids[x["spdxElementId"]], ids[x["relatedSpdxElement"]],
                  x.get("comment")) for x in spdx["relationships"]
                 if x["relationshipType"] == "DYNAMIC_LINK" and
                 ids[x["relatedSpdxElement"]].startswith(("libjava",
                                                          "libjvm"))]
        check(sorted(links) == [
            ("libjava.so", "libjvm.so", "%s: %s" % (PRELOADED, SAID)),
            ("libnet.so", "libjava.so", None),
            ("libnet.so", "libjvm.so", "%s: %s" % (PRELOADED, SAID))],
            sorted(links))
        spdx3 = t.run("--format", "spdx3", "jdk", cwd=d)
        check(spdx3.code == 0, spdx3.err)
        check(("%s: %s: libjvm.so" % (PRELOADED, SAID)).encode() in spdx3.raw,
              "no SPDX 3 comment")
        check(b'"bindep:resolved-via"' in spdx3.raw and
              b'"preloaded"' in spdx3.raw, "no SPDX 3 property")

    @case
    def preload_firefox_directory(t):
        """Firefox's directory: libxul.so has no RUNPATH; its
        libmozsqlite3.so and libmozgtk.so beside it are loaded first by
        path (dependentlibs.list). The program's own needs are loaded
        before it runs: a program needing libmozgtk.so stays missing."""
        d = h.fresh_dir(t, "preload", "firefox")
        b = A.Build(os.path.join(d, "scratch"))
        libs = ["libmozsqlite3.so", "libmozgtk.so"]
        for lib in libs:
            put(d, "firefox/" + lib, b.lib(lib))
        put(d, "firefox/libxul.so", b.lib("libxul.so", needed=libs))
        put(d, "firefox/firefox", b.exe("firefox"))
        r = t.run("--strict", "firefox", cwd=d)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        for lib in libs:
            check(h.need_found(r.sbom, "libxul.so", lib) ==
                  (["firefox/" + lib], PRELOADED),
                  h.need_found(r.sbom, "libxul.so", lib))
        want = loader_list("firefox/libxul.so",
                           [os.path.join(d, "firefox", x) for x in libs], d)
        check(want == our_list(r.sbom, "firefox/libxul.so", d),
              "loader %r\n  ours %r" % (want, our_list(r.sbom,
                                                       "firefox/libxul.so", d)))
        put(d, "firefox/firefox-bin", b.exe("firefox-bin",
                                             needed=["libmozgtk.so"]))
        r = t.run("-v", "--strict", "firefox", cwd=d)
        check(r.code == 3, "exit %d: %s" % (r.code, r.err))
        check(h.need_found(r.sbom, "firefox-bin", "libmozgtk.so") ==
              (None, None), h.need_found(r.sbom, "firefox-bin", "libmozgtk.so"))
        check(h.need_found(r.sbom, "libxul.so", "libmozgtk.so")[1] ==
              PRELOADED, "the library's need is still met")
        check("1 needed library not found, 2 needed libraries %s" % SAID
              in r.err.decode(), r.err)

    @case
    def preload_not_by_file_name(t):
        """A library named libjvm.so whose DT_SONAME is another name is not
        taken: ld.so matches a loaded object by the name it was loaded by
        (a path) or its DT_SONAME, never by its file's last name. The
        loader with it loaded first still fails."""
        d = jdk_tree(t, "file-name", provider_soname="libjvm-other.so")
        r = t.run("--strict", "jdk", cwd=d)
        check(r.code == 3, "exit %d: %s" % (r.code, r.err))
        check(h.need_found(r.sbom, "libjava.so", "libjvm.so") == (None, None),
              h.need_found(r.sbom, "libjava.so", "libjvm.so"))
        check(loader_list("jdk/lib/libjava.so",
                          [os.path.join(d, "jdk/lib/server/libjvm.so")],
                          d) is None, "the loader takes it by file name")

    # ---- what is not matched: roots of generated files ------------------

    def gen(root, path, soname=None, **kw):
        h.put_elf(root, path, soname, **kw)

    def java_root(t, name):
        """A root of /opt/jdk/lib/libjava.so, which needs libjvm.so
        (RUNPATH $ORIGIN), with an ld.so.cache-less glibc layout."""
        root = h.fresh_dir(t, "preload", name)
        gen(root, "/opt/jdk/lib/libjava.so", "libjava.so",
            needed=["libjvm.so"], runpath="$ORIGIN")
        return root

    def libjava_missing(t, root, why, *paths):
        paths = paths or ("/opt/jdk",)
        r = t.run("-v", "--strict", "--root", root,
                  *(os.path.join(root, p.lstrip("/")) for p in paths))
        check(r.code == 3, "%s: exit %d: %s" % (why, r.code, r.err))
        check(h.need_found(r.sbom, "libjava.so", "libjvm.so") == (None, None),
              "%s: %r" % (why, h.need_found(r.sbom, "libjava.so",
                                            "libjvm.so")))
        check("libjvm.so" in unresolved(r.sbom), why)
        check(b"matched by soname" not in r.err, "%s: %s" % (why, r.err))
        return r

    @case
    def preload_two_providers_stay_missing(t):
        """lib/server and lib/client each hold a libjvm.so: which one the
        launcher loads depends on its options. Neither is taken, and -v
        says why."""
        root = java_root(t, "two")
        gen(root, "/opt/jdk/lib/server/libjvm.so", "libjvm.so")
        gen(root, "/opt/jdk/lib/client/libjvm.so", "libjvm.so", rpath="/c")
        r = libjava_missing(t, root, "two providers")
        check(b"'/opt/jdk/lib/libjava.so': needed library 'libjvm.so': 2 "
              b"libraries in its unit have that soname, none is taken"
              in r.err, r.err)

    @case
    def preload_needs_the_requesters_class_and_machine(t):
        """A 32-bit libjvm.so, or one of another machine: the program's
        dlopen() of it fails (wrong ELF class), nothing is loaded first."""
        root = java_root(t, "class")
        gen(root, "/opt/jdk/lib/server/libjvm.so", "libjvm.so", cls=32,
            machine=E.EM_386)
        libjava_missing(t, root, "32-bit")
        gen(root, "/opt/jdk/lib/server/libjvm.so", "libjvm.so",
            machine=E.EM_AARCH64)
        libjava_missing(t, root, "aarch64")
        gen(root, "/opt/jdk/lib/server/libjvm.so", "libjvm.so", msb=True)
        libjava_missing(t, root, "big-endian")

    @case
    def preload_only_in_the_requesters_unit(t):
        """The provider is in the requester's directory or up to two
        levels below it: a sibling directory's (/opt/jdk/other), or one
        three levels down, is another unit's."""
        root = java_root(t, "unit")
        # Each its own file: the same bytes would be one component.
        gen(root, "/opt/jdk/other/libjvm.so", "libjvm.so", rpath="/1")
        gen(root, "/opt/jdk/lib/a/b/c/libjvm.so", "libjvm.so", rpath="/2")
        libjava_missing(t, root, "outside the unit")
        gen(root, "/opt/jdk/lib/a/b/libjvm.so", "libjvm.so", rpath="/3")
        r = t.run("--strict", "--root", root, os.path.join(root, "opt/jdk"))
        check(r.code == 0, "two levels down: exit %d: %s" % (r.code, r.err))
        check(h.need_found(r.sbom, "libjava.so", "libjvm.so") ==
              (["/opt/jdk/lib/a/b/libjvm.so"], PRELOADED),
              h.need_found(r.sbom, "libjava.so", "libjvm.so"))

    @case
    def preload_not_past_a_file_the_search_met(t):
        """The search met a libjvm.so it does not take (another class in
        the RUNPATH directory): that is no name nothing provides, and it
        stays missing, as the loader's search says."""
        root = java_root(t, "met")
        gen(root, "/opt/jdk/lib/libjvm.so", "libjvm.so", cls=32,
            machine=E.EM_386)
        gen(root, "/opt/jdk/lib/server/libjvm.so", "libjvm.so")
        libjava_missing(t, root, "a file met", "/opt/jdk/lib/libjava.so",
                        "/opt/jdk/lib/server/libjvm.so")

    @case
    def preload_not_for_a_programs_own_needs(t):
        """A program's needs are loaded before it runs any code: none can
        be loaded first by path. Nor a library's a program loads at its
        start (judged in the program's process)."""
        root = java_root(t, "program")
        gen(root, "/opt/jdk/lib/server/libjvm.so", "libjvm.so")
        gen(root, "/opt/jdk/bin/javaw", None, etype=E.ET_EXEC,
            needed=["libjvm.so"], runpath="$ORIGIN/../lib")
        gen(root, "/opt/jdk/bin/javat", None, etype=E.ET_EXEC,
            needed=["libjava.so"], runpath="$ORIGIN/../lib")
        r = t.run("--strict", "--root", root, os.path.join(root, "opt/jdk"))
        check(r.code == 3, "exit %d: %s" % (r.code, r.err))
        check(h.need_found(r.sbom, "javaw", "libjvm.so") == (None, None),
              h.need_found(r.sbom, "javaw", "libjvm.so"))
        check(h.need_found(r.sbom, "libjava.so", "libjvm.so") == (None, None),
              h.need_found(r.sbom, "libjava.so", "libjvm.so"))

    @case
    def preload_not_under_musl(t):
        """musl's loader takes a loaded library for a needed name only by
        the name its search found it by, never by DT_SONAME, and one
        dlopen()ed by a path by none (load_library: no shortname): an
        Alpine root's libjava.so stays missing."""
        root = java_root(t, "musl")
        gen(root, "/opt/jdk/lib/server/libjvm.so", "libjvm.so")
        gen(root, "/lib/ld-musl-x86_64.so.1", "libc.musl-x86_64.so.1")
        libjava_missing(t, root, "musl")

    # ---- inside artifacts --------------------------------------------------

    def artifacts(t, name, alien=False):
        """dist/ with a wheel whose extension needs libpre.so.1 (no
        RUNPATH), which its package loads first with ctypes.CDLL from
        preloadpkg/lib/, and an npm tarball whose addon needs
        libnative.so.1 from build/Release/libs/. alien: another wheel puts
        a libalien.so.1 the extension needs into preloadpkg/lib/ too."""
        d = h.fresh_dir(t, "preload", name)
        b = A.Build(os.path.join(d, "scratch"))
        needs = ["libpre.so.1"] + (["libalien.so.1"] if alien else [])
        b.lib("libalien.so.1")
        ext = "preloadpkg/_core.cpython-311-x86_64-linux-gnu.so"
        put(d, "dist/" + A.wheel_name("preloadpkg", "1.0"),
            A.wheel_bytes("preloadpkg", "1.0", [
                ("preloadpkg/__init__.py",
                 b"import ctypes, os\nctypes.CDLL(os.path.join("
                 b"os.path.dirname(__file__), 'lib', 'libpre.so.1'))\n", 0o644),
                ("preloadpkg/lib/libpre.so.1", b.lib("libpre.so.1"), 0o755),
                (ext, b.lib("_core.cpython-311-x86_64-linux-gnu.so",
                            needed=needs), 0o755)]), 0o644)
        if alien:
            put(d, "dist/" + A.wheel_name("alien", "1.0"),
                A.wheel_bytes("alien", "1.0", [
                    ("preloadpkg/lib/libalien.so.1", b.lib("libalien.so.1"),
                     0o755)]), 0o644)
        put(d, "dist/native-2.0.0.tgz", A.npm_tarball("native", "2.0.0", [
            ("build/Release/libs/libnative.so.1", b.lib("libnative.so.1"),
             0o755),
            ("build/Release/addon.node",
             b.lib("addon.node", needed=["libnative.so.1"]), 0o755)]), 0o644)
        return d

    @case
    def preload_inside_a_wheel_and_an_npm_tarball(t):
        """In a wheel and in an npm tarball, each its own unit: the
        extension's libpre.so.1 is its wheel's preloadpkg/lib/libpre.so.1,
        the addon's libnative.so.1 its tarball's. A library another wheel
        puts into the same directory is not taken."""
        d = artifacts(t, "artifacts")
        r = t.run("--strict", "dist/", cwd=d,
                  env={"TMPDIR": h.fresh_dir(t, "preload", "tmp")})
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        whl = "dist/" + A.wheel_name("preloadpkg", "1.0") + "!/"
        ext = "_core.cpython-311-x86_64-linux-gnu.so"
        check(h.need_found(r.sbom, ext, "libpre.so.1") ==
              ([whl + "preloadpkg/lib/libpre.so.1"], PRELOADED),
              h.need_found(r.sbom, ext, "libpre.so.1"))
        check(h.need_found(r.sbom, "addon.node", "libnative.so.1") ==
              (["dist/native-2.0.0.tgz!/package/build/Release/libs/"
                "libnative.so.1"], PRELOADED),
              h.need_found(r.sbom, "addon.node", "libnative.so.1"))
        d = artifacts(t, "alien", alien=True)
        r = t.run("--strict", "dist/", cwd=d,
                  env={"TMPDIR": h.fresh_dir(t, "preload", "tmp")})
        check(r.code == 3, "exit %d: %s" % (r.code, r.err))
        check(h.need_found(r.sbom, ext, "libalien.so.1") == (None, None),
              h.need_found(r.sbom, ext, "libalien.so.1"))
        check(h.need_found(r.sbom, ext, "libpre.so.1")[1] == PRELOADED,
              h.need_found(r.sbom, ext, "libpre.so.1"))
