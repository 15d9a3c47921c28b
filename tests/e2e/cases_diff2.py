"""End-to-end cases found by a large differential run (registered by
run.py): what bindep-sbom gives against what the real loader, chrooted,
maps (ld.so --list) for two Debian roots of packages, one finding a case.
"""
import os
import shutil
import subprocess

import elfgen as E

RTLD = "/lib64/ld-linux-x86-64.so.2"
CC = os.environ.get("CC", "cc")


def register(case, h):

    def cc(*args):
        subprocess.run([CC, "-O1", *args], check=True)

    def write(path, text):
        with open(path, "w") as f:
            f.write(text)

    def glibc_root(t, name):
        """A Debian-style root holding this machine's libc and loader, at
        the paths the program's search and PT_INTERP name."""
        root = h.fresh_dir(t, "roots", "diff2-" + name)
        h.put_file(root, "/etc/debian_version", "12.0\n")
        for p in (RTLD, "/lib/x86_64-linux-gnu/libc.so.6"):
            os.makedirs(os.path.dirname(root + p), exist_ok=True)
            shutil.copy(os.path.realpath(p), root + p)
        return root

    def resolve_in(root, path):
        """The real file of path inside root (absolute links are the
        root's)."""
        parts, out, hops = [x for x in path.split("/") if x], [], 0
        while parts:
            p = parts.pop(0)
            if p == ".":
                continue
            if p == "..":
                out = out[:-1]
                continue
            full = root + "/" + "/".join(out + [p])
            if os.path.islink(full) and hops < 40:
                hops += 1
                target = os.readlink(full)
                out = [] if target.startswith("/") else out
                parts = [x for x in target.split("/") if x] + parts
                continue
            out.append(p)
        return "/" + "/".join(out)

    def loader_files(root, inside):
        """The real files the chrooted loader maps for inside, itself left
        out."""
        proc = subprocess.run(["chroot", root, RTLD, "--list", inside],
                              capture_output=True, text=True)
        h.check(proc.returncode == 0, "the loader refuses %s: %s"
                % (inside, proc.stderr))
        files = set()
        for line in proc.stdout.splitlines():
            parts = line.split()
            if "=>" in parts and parts[2] != "not":
                files.add(resolve_in(root, parts[2]))
        files.discard(resolve_in(root, RTLD))
        return files

    def our_files(root, s, inside):
        """The real files of inside's closure in the SBOM: needed
        libraries, not dlopen notes; the loader left out."""
        files = {resolve_in(root, h.locations(c)[0])
                 for c in h.loaded_closure(s, inside)
                 if not h.props(c, "bindep:resolved")}
        files.discard(resolve_in(root, RTLD))
        return files

    @case
    def diff2_library_judged_where_loaded_not_by_its_own_origin(t):
        """libx.so.1 (RUNPATH $ORIGIN) lives in /opt/real beside a liby;
        the program finds it through a link in /usr/lib, where $ORIGIN is
        /usr/lib and another liby is. Scanned whole, the root gives libx a
        process of its own too, where $ORIGIN is /opt/real: that liby is
        no file of the program's process, and no edge of libx."""
        root = glibc_root(t, "origin-by-link")
        src = os.path.join(t.work, "diff2-origin-src")
        shutil.rmtree(src, ignore_errors=True)
        os.makedirs(src)
        write(os.path.join(src, "y1.c"), "int y(void) { return 1; }\n")
        write(os.path.join(src, "y2.c"), "int y(void) { return 2; }\n")
        write(os.path.join(src, "x.c"), "int y(void);\nint x(void) { return y(); }\n")
        write(os.path.join(src, "app.c"), "int x(void);\nint main(void) { return x(); }\n")
        real, usr = root + "/opt/real", root + "/usr/lib"
        os.makedirs(real)
        os.makedirs(usr)
        os.makedirs(root + "/usr/bin")
        cc("-shared", "-fPIC", "-o", real + "/liby.so.1", src + "/y1.c",
           "-Wl,-soname,liby.so.1")
        cc("-shared", "-fPIC", "-o", usr + "/liby.so.1", src + "/y2.c",
           "-Wl,-soname,liby.so.1")
        cc("-shared", "-fPIC", "-o", real + "/libx.so.1", src + "/x.c",
           "-Wl,-soname,libx.so.1", "-L" + real, "-l:liby.so.1",
           "-Wl,--enable-new-dtags,-rpath,$ORIGIN")
        os.symlink("/opt/real/libx.so.1", usr + "/libx.so.1")
        cc("-o", root + "/usr/bin/app", src + "/app.c", "-L" + real, "-l:libx.so.1")
        want = loader_files(root, "/usr/bin/app")
        h.check(want == {"/usr/lib/liby.so.1", "/opt/real/libx.so.1",
                         "/lib/x86_64-linux-gnu/libc.so.6"},
                "the loader's $ORIGIN is the link's directory: %r" % sorted(want))
        # Alone, by its real path, libx finds its neighbour: the oracle
        # differs by process, as the SBOM cannot (one component a file).
        alone = loader_files(root, "/opt/real/libx.so.1")
        h.check("/opt/real/liby.so.1" in alone, sorted(alone))
        r = t.run("--root", root)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        got = our_files(root, r.sbom, "/usr/bin/app")
        h.check(got == want, "chroot loader %r\n  ours %r" % (sorted(want), sorted(got)))
        # Given alone, libx is judged alone, by its own $ORIGIN.
        r = t.run("--root", root, real + "/libx.so.1")
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        got = our_files(root, r.sbom, "/opt/real/libx.so.1")
        h.check(got == alone, "alone: chroot loader %r\n  ours %r"
                % (sorted(alone), sorted(got)))
        # Both given, its neighbour not: the file its own $ORIGIN found
        # is reached by nothing else, and stays its edge.
        r = t.run("--root", root, root + "/usr/bin/app", real + "/libx.so.1")
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        targets = {x for d in r.sbom["dependencies"] for x in d.get("dependsOn", [])}
        loose = [h.locations(c) for c in h.comps(r.sbom)
                 if c["bom-ref"] not in targets]
        h.check(not loose, "components nothing depends on: %r" % loose)

    @case
    def diff2_interpreter_needs_judged_alone(t):
        """The interpreter's own needs are linked in no program's process
        (a loader maps itself): given too, it is judged alone. What it
        finds stays its edge, what it misses is reported."""
        root = h.fresh_dir(t, "roots", "diff2-interp-needs")
        h.put_elf(root, "/usr/bin/app", None, etype=E.ET_EXEC, needed=["libq.so"],
                  interp="/lib64/ld-odd.so.2")
        h.put_elf(root, "/lib64/ld-odd.so.2", "ld-odd.so.2",
                  needed=["libq.so", "libgone.so"])
        h.put_elf(root, "/lib64/libq.so", "libq.so")
        r = t.run("-v", "--root", root)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(h.depends(r.sbom, h.by_name(r.sbom, "ld-odd.so.2"))
                == ["libgone.so", "libq.so"],
                h.depends(r.sbom, h.by_name(r.sbom, "ld-odd.so.2")))
        h.check(b"'/lib64/ld-odd.so.2': needed library 'libgone.so' not found"
                in r.err and b"1 needed library not found" in r.err, r.err[-600:])

    # ---- glibc 2.36's search, clause by clause (elf/dl-load.c, dl-deps.c)

    def loader_list(root, inside, env=None, trace=False):
        """(real files, names not found) the chrooted loader lists for
        inside, itself left out; (None, {name}) when it stops at a
        needed library it does not find. trace: the program is started
        with LD_TRACE_LOADED_OBJECTS (ldd's way), which lists every
        library not found and goes on, where --list stops at the first
        one the program itself needs."""
        import re
        env = dict(os.environ, **(env or {}))
        if trace:  # for the program only, not the chroot command
            env["LD_TRACE_LOADED_OBJECTS"] = "1"
            proc = subprocess.run([inside], capture_output=True, text=True,
                                  env=env, preexec_fn=lambda: (
                                      os.chroot(root), os.chdir("/")))
        else:
            proc = subprocess.run(["chroot", root, RTLD, "--list", inside],
                                  capture_output=True, text=True, env=env)
        stop = re.findall(r"error while loading shared libraries: "
                          r"([^:]+): cannot open", proc.stderr)
        if proc.returncode and stop:
            return None, set(stop)
        h.check(proc.returncode == 0, "the loader refuses %s: %s"
                % (inside, proc.stderr))
        files, missing = set(), set()
        for line in proc.stdout.splitlines():
            parts = line.split()
            if "=>" in parts and parts[2] == "not":
                missing.add(parts[0])
            elif "=>" in parts:
                files.add(resolve_in(root, parts[2]))
            elif parts and not parts[0].startswith("linux-vdso"):
                # name and path the same: loaded by a path, or found by
                # one relative to the current directory ("/")
                files.add(resolve_in(root, parts[0]))
        files.discard(resolve_in(root, RTLD))
        return files, missing

    def our_list(root, s, inside):
        files, missing = set(), set()
        for c in h.loaded_closure(s, inside):
            if h.props(c, "bindep:resolved"):
                missing.add(c["name"])
            else:
                files.add(resolve_in(root, h.locations(c)[0]))
        files.discard(resolve_in(root, RTLD))
        return files, missing

    def same_as_loader(t, root, programs, want=None, library_path=None,
                       trace=False):
        """Each program's closure in the SBOM of the whole root is what
        the chrooted loader lists (and want[program], when given), with
        library_path as --library-path and LD_LIBRARY_PATH."""
        lp = ["--library-path", library_path] if library_path else []
        r = t.run(*lp, "--root", root)
        h.check(r.code in (0, 3), "exit %d: %s" % (r.code, r.err[-600:]))
        for p in programs:
            real = loader_list(root, p, library_path and
                               {"LD_LIBRARY_PATH": library_path}, trace)
            if want and p in want:
                h.check(real == want[p], "%s: the loader lists %r" % (p, real))
            got = our_list(root, r.sbom, p)
            if real[0] is None:  # stopped at the first missing library
                got = (None, got[1] & real[1])
            h.check(got == real, "%s: chroot loader %r\n  ours %r"
                    % (p, real, got))
        return r

    def sources(t, name, **files):
        src = os.path.join(t.work, "diff2-src-" + name)
        shutil.rmtree(src, ignore_errors=True)
        os.makedirs(src)
        for f, text in files.items():
            write(os.path.join(src, f + ".c"), text)
        return src

    MAIN = "int main(void) { return 0; }\n"
    FUNC = "int f(void) { return 1; }\n"

    @case
    def diff2_dst_in_needed_name_expanded_per_requester(t):
        """A DT_NEEDED name with $ORIGIN is expanded before the loaded
        objects are matched (dl-deps.c expand_dst): two libraries that
        each need "$ORIGIN/libx.so" get the one beside each, where the
        first one's was taken for both by the name as written."""
        root = glibc_root(t, "dst-needed")
        src = sources(t, "dst-needed", f=FUNC, app=MAIN)
        for d in ("/opt/a", "/opt/b", "/usr/bin"):
            os.makedirs(root + d, exist_ok=True)
        for d, soname in (("/opt/a", "libxa.so"), ("/opt/b", "libxb.so")):
            cc("-shared", "-fPIC", "-o", root + d + "/libx.so",
               src + "/f.c", "-Wl,-soname," + soname)
        for d, lib in (("/opt/a", "liba.so"), ("/opt/b", "libb.so")):
            cc("-shared", "-fPIC", "-o", root + d + "/" + lib, src + "/f.c",
               "-Wl,-soname," + lib)
            subprocess.run(["patchelf", "--add-needed", "$ORIGIN/libx.so",
                            root + d + "/" + lib], check=True)
        cc("-o", root + "/usr/bin/app", src + "/app.c", "-Wl,--no-as-needed",
           "-L" + root + "/opt/a", "-L" + root + "/opt/b", "-la", "-lb",
           "-Wl,--disable-new-dtags,-rpath,/opt/a:/opt/b")
        same_as_loader(t, root, ["/usr/bin/app"], {"/usr/bin/app": (
            {"/opt/a/liba.so", "/opt/b/libb.so", "/opt/a/libx.so",
             "/opt/b/libx.so", "/lib/x86_64-linux-gnu/libc.so.6"}, set())})

    @case
    def diff2_empty_rpath_string_searches_nothing(t):
        """An empty DT_RPATH or DT_RUNPATH string is no search list at all
        (decompose_rpath: "Ignore empty rpaths"), where one empty element
        among others (":") is the current directory: the empty string was
        taken for the current directory too."""
        root = glibc_root(t, "empty-rpath")
        src = sources(t, "empty-rpath", q=FUNC, app=MAIN)
        os.makedirs(root + "/usr/bin")
        cc("-shared", "-fPIC", "-o", root + "/libq.so", src + "/q.c",
           "-Wl,-soname,libq.so")
        programs = []
        for name, tags, rpath in (("rp-empty", "--disable-new-dtags", ""),
                                  ("run-empty", "--enable-new-dtags", ""),
                                  ("rp-colon", "--disable-new-dtags", ":"),
                                  ("run-colon", "--enable-new-dtags", ":")):
            p = "/usr/bin/" + name
            cc("-o", root + p, src + "/app.c", "-Wl,--no-as-needed",
               "-L" + root, "-lq", "-Wl," + tags + ",-rpath,/x")
            subprocess.run(["patchelf", "--set-rpath", rpath]
                           + (["--force-rpath"] if "disable" in tags else [])
                           + [root + p], check=True)
            programs.append(p)
        libc = "/lib/x86_64-linux-gnu/libc.so.6"
        same_as_loader(t, root, programs, {
            "/usr/bin/rp-empty": (None, {"libq.so"}),
            "/usr/bin/run-empty": (None, {"libq.so"}),
            "/usr/bin/rp-colon": ({libc, "/libq.so"}, set())})

    @case
    def diff2_library_path_split_at_semicolons_too(t):
        """LD_LIBRARY_PATH's elements are separated by ';' as well as ':'
        (_dl_init_paths: fillin_rpath with ":;"); --library-path is read
        the same: "/nx;/lp" was one directory that does not exist."""
        root = glibc_root(t, "library-path-semicolon")
        src = sources(t, "library-path-semicolon", q=FUNC, app=MAIN)
        for d in ("/lp", "/usr/bin"):
            os.makedirs(root + d)
        cc("-shared", "-fPIC", "-o", root + "/lp/libq.so", src + "/q.c",
           "-Wl,-soname,libq.so")
        cc("-o", root + "/usr/bin/app", src + "/app.c", "-Wl,--no-as-needed",
           "-L" + root + "/lp", "-lq")
        same_as_loader(t, root, ["/usr/bin/app"], {"/usr/bin/app": (
            {"/lp/libq.so", "/lib/x86_64-linux-gnu/libc.so.6"}, set())},
            library_path="/nx;/lp")

    @case
    def diff2_symlink_loop_ends_its_search_list(t):
        """A candidate that is a symlink loop (open: ELOOP, neither ENOENT
        nor EACCES) ends the list it is in (open_path returns): the rest
        of that DT_RPATH is not searched, and the search goes on with the
        next list (here the DT_RPATH of the program, then the defaults). A
        loop in a glibc-hwcaps subdirectory, tried before the directory
        itself, ends nothing, nor does a directory that is a loop (the
        loader finds it is no directory). It was passed as missing."""
        root = glibc_root(t, "loop-ends-list")
        src = sources(t, "loop-ends-list", q=FUNC, r=FUNC, app=MAIN)
        for d in ("/a", "/b", "/c", "/d/glibc-hwcaps/x86-64-v2", "/usr/bin",
                  "/lib/x86_64-linux-gnu"):
            os.makedirs(root + d, exist_ok=True)
        for d, c in (("/b", "q"), ("/c", "r")):  # two files, not one
            cc("-shared", "-fPIC", "-o", root + d + "/libq.so",
               src + "/%s.c" % c, "-Wl,-soname,libq.so")
        cc("-shared", "-fPIC", "-o", root + "/lib/x86_64-linux-gnu/libr.so",
           src + "/r.c", "-Wl,-soname,libr.so")
        cc("-shared", "-fPIC", "-o", root + "/b/libr.so", src + "/r.c",
           "-Wl,-soname,libr.so")
        for d in ("/a", "/d/glibc-hwcaps/x86-64-v2"):
            os.symlink("loop1", root + d + "/libq.so")
            os.symlink("libq.so", root + d + "/loop1")
            os.symlink("loop1", root + d + "/libr.so") if d == "/a" else None
        os.symlink("dloop", root + "/dloop")
        # libm needs libq with an RPATH of its own; the program's RPATH
        # is searched after it.
        cc("-shared", "-fPIC", "-o", root + "/b/libm1.so", src + "/r.c",
           "-Wl,-soname,libm1.so", "-Wl,--no-as-needed", "-L" + root + "/b",
           "-lq",
           "-Wl,--disable-new-dtags,-rpath,/a:/b")
        cc("-o", root + "/usr/bin/app", src + "/app.c", "-Wl,--no-as-needed",
           "-L" + root + "/b", "-lm1", "-lr",
           "-Wl,--disable-new-dtags,-rpath,/c:/b")
        cc("-o", root + "/usr/bin/app2", src + "/app.c",
           "-Wl,--no-as-needed", "-L" + root + "/b", "-lq", "-lr",
           "-Wl,--disable-new-dtags,-rpath,/dloop:/d:/a:/b")
        libc = "/lib/x86_64-linux-gnu/libc.so.6"
        r = same_as_loader(t, root, ["/usr/bin/app", "/usr/bin/app2"], {
            # libq: /a loops, /b not tried; the program's /c finds it.
            # libr (the program's need): /b, no loop on the way.
            "/usr/bin/app": ({"/b/libm1.so", "/c/libq.so", "/b/libr.so",
                              libc}, set()),
            # /dloop is no directory; /d's hwcaps loop ends nothing; /a
            # ends the list: libq not found, libr from the defaults.
            "/usr/bin/app2": (None, {"libq.so"})})
        # The same directories, one list or two: libm2's own RPATH
        # /a:/b ends at /a (its program's RUNPATH /b is not inherited);
        # libm3's /a, then its program's RPATH /b, does not. Both
        # searches have the same directories: they are told apart by
        # their lists, not taken as one.
        # libm4's RPATH /a:/b ends at /a, and so does its program's
        # /a:/c, /a tried again (fillin_rpath drops a repeat within one
        # list only): /c is not searched.
        for lib, own, tags in (("libm2.so", "/a:/b", "--enable-new-dtags"),
                               ("libm3.so", "/a", "--disable-new-dtags"),
                               ("libm4.so", "/a:/b", "--disable-new-dtags")):
            cc("-shared", "-fPIC", "-o", root + "/b/" + lib, src + "/r.c",
               "-Wl,-soname," + lib, "-Wl,--no-as-needed",
               "-L" + root + "/b", "-lq",
               "-Wl,--disable-new-dtags,-rpath," + own)
            cc("-o", root + "/usr/bin/app-" + lib[3:5], src + "/app.c",
               "-Wl,--no-as-needed", "-L" + root + "/b", "-l:" + lib,
               "-Wl," + tags + ",-rpath," + ("/a:/c:/b" if lib == "libm4.so"
                                             else "/b"))
        r = same_as_loader(t, root, ["/usr/bin/app-m2", "/usr/bin/app-m3",
                                     "/usr/bin/app-m4"], {
            "/usr/bin/app-m2": (None, {"libq.so"}),
            "/usr/bin/app-m3": ({"/b/libm3.so", "/b/libq.so", libc}, set()),
            "/usr/bin/app-m4": (None, {"libq.so"})})
        said = [w for w in r.warnings() if "ld.so searches no further" in w]
        h.check(said == ["bindep-sbom: warning: '/a/%s': a symlink loop: "
                         "ld.so searches no further directory of the list "
                         "it is in" % n for n in ("libq.so", "libr.so")],
                said)

    @case
    def diff2_socket_ends_its_search_list_fifo_blocks(t):
        """A socket at a candidate ends its list as a loop does (open:
        ENXIO); a FIFO makes the loader wait for a writer (not run here):
        each is one warning, and the search goes on past the FIFO. Both
        were passed as missing, silently."""
        import socket
        root = glibc_root(t, "socket-fifo")
        src = sources(t, "socket-fifo", q=FUNC, app=MAIN)
        for d in ("/a", "/b", "/usr/bin"):
            os.makedirs(root + d)
        for name in ("libs.so", "libf.so"):
            cc("-shared", "-fPIC", "-o", root + "/b/" + name, src + "/q.c",
               "-Wl,-soname," + name)
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.bind(root + "/a/libs.so")
        finally:
            sock.close()
        os.mkfifo(root + "/a/libf.so")
        for name in ("libs.so", "libf.so"):
            cc("-o", root + "/usr/bin/app-" + name[3], src + "/app.c",
               "-Wl,--no-as-needed", "-L" + root + "/b", "-l:" + name,
               "-Wl,--disable-new-dtags,-rpath,/a:/b")
        r = same_as_loader(t, root, ["/usr/bin/app-s"], {
            "/usr/bin/app-s": (None, {"libs.so"})})
        h.check(h.need_found(r.sbom, "app-f", "libf.so")[0] == ["/b/libf.so"],
                h.need_found(r.sbom, "app-f", "libf.so"))
        h.check(sorted(r.warnings()) == [
            "bindep-sbom: warning: '/a/libf.so': a FIFO: the loader waits "
            "at it when it searches for it, and does not start what needs "
            "it; searched on past it",
            "bindep-sbom: warning: '/a/libs.so': a socket: ld.so searches "
            "no further directory of the list it is in"], r.warnings())

    @case
    def diff2_device_at_a_candidate_stops_the_loader(t):
        """A character device (/dev/null's numbers) where the RPATH's first
        directory would hold a library: the loader's open_verify opens
        it, calling its driver, reads no ELF header ("file too short")
        and the program does not start; a block device's bytes are no ELF
        file either (its driver's, never read here). Each is one warning,
        as a FIFO's or a directory's, and the search goes on past it to
        the library the SBOM can name: both were passed silently. mknod
        needs root (CAP_MKNOD): without it the case checks nothing."""
        import stat
        root = glibc_root(t, "device")
        src = sources(t, "device", q=FUNC, app=MAIN)
        for d in ("/a", "/b", "/usr/bin"):
            os.makedirs(root + d)
        try:
            os.mknod(root + "/a/libd.so", 0o644 | stat.S_IFCHR,
                     os.makedev(1, 3))
            os.mknod(root + "/a/libk.so", 0o644 | stat.S_IFBLK,
                     os.makedev(7, 0))
        except PermissionError:
            return  # no device nodes made here: nothing to check
        for name in ("libd.so", "libk.so"):
            cc("-shared", "-fPIC", "-o", root + "/b/" + name, src + "/q.c",
               "-Wl,-soname," + name)
            cc("-o", root + "/usr/bin/app-" + name[3], src + "/app.c",
               "-Wl,--no-as-needed", "-L" + root + "/b", "-l:" + name,
               "-Wl,--disable-new-dtags,-rpath,/a:/b")
        # On a nodev mount the open fails (EACCES) and the loader goes on.
        if not os.statvfs(root).f_flag & os.ST_NODEV:
            proc = subprocess.run(["chroot", root, RTLD, "--list",
                                   "/usr/bin/app-d"], capture_output=True,
                                  text=True)
            h.check(proc.returncode != 0 and
                    "/a/libd.so: file too short" in proc.stderr,
                    "the loader: %d %s" % (proc.returncode, proc.stderr))
        r = t.run("--root", root)
        h.check(r.code in (0, 3), "exit %d: %s" % (r.code, r.err[-600:]))
        for n in "dk":
            h.check(h.need_found(r.sbom, "app-" + n, "lib%s.so" % n)[0] ==
                    ["/b/lib%s.so" % n],
                    h.need_found(r.sbom, "app-" + n, "lib%s.so" % n))
        said = "ld.so stops at it when it searches for it, and does not " \
               "start what needs it; searched on past it"
        h.check(sorted(r.warnings()) == [
            "bindep-sbom: warning: '/a/libd.so': no ELF file (a character "
            "device): " + said,
            "bindep-sbom: warning: '/a/libk.so': no ELF file (a block "
            "device): " + said], r.warnings())

    @case
    def diff2_cache_gives_one_path(t):
        """ld.so.cache gives one path for a name, the first entry of the
        loader's ABI (flags) in it (dl-cache.c, search_cache); when that
        file is gone (a stale cache: a layer deleted it, ldconfig not run
        again), the loader goes on to the default directories, never to
        the next entry: /opt/two's copy was taken. A DF_1_NODEFLIB object
        whose one path is in a default directory gets none from the cache,
        where the next entry was taken too."""
        root = glibc_root(t, "cache-one-path")
        src = sources(t, "cache-one-path", q=FUNC, r=MAIN, app=MAIN)
        multi = "/lib/x86_64-linux-gnu"
        for d in ("/opt/one", "/opt/two", "/usr/bin"):
            os.makedirs(root + d, exist_ok=True)
        # A default directory listed first puts its entries first.
        write(root + "/etc/ld.so.conf", multi + "\n/opt/one\n/opt/two\n")
        for d, c, name in (("/opt/one", "q", "libq.so.1"),
                           ("/opt/two", "r", "libq.so.1"),
                           (multi, "q", "libn.so.1"),
                           ("/opt/two", "r", "libn.so.1")):
            cc("-shared", "-fPIC", "-o", root + d + "/" + name,
               src + "/%s.c" % c, "-Wl,-soname," + name)
        cc("-o", root + "/usr/bin/app", src + "/app.c", "-Wl,--no-as-needed",
           "-L" + root + "/opt/one", "-l:libq.so.1")
        cc("-o", root + "/usr/bin/app-nodeflib", src + "/app.c",
           "-Wl,--no-as-needed", "-L" + root + "/opt/two", "-l:libn.so.1")
        # DF_1_NODEFLIB (ld's -z nodeflib is for shared objects only)
        subprocess.run(["patchelf", "--no-default-lib",
                        root + "/usr/bin/app-nodeflib"], check=True)
        subprocess.run(["ldconfig", "-r", root], check=True)
        os.unlink(root + "/opt/one/libq.so.1")  # the cache is stale
        same_as_loader(t, root, ["/usr/bin/app", "/usr/bin/app-nodeflib"], {
            "/usr/bin/app": (None, {"libq.so.1"}),
            "/usr/bin/app-nodeflib": (None, {"libn.so.1"})})

    @case
    def diff2_missing_name_searched_again_by_each_requester(t):
        """A name not found is no loaded object: the loader's placeholder
        for it (l_faked) is passed by when the next object needing that
        name is matched against the loaded ones (_dl_map_object), and the
        name is searched again from that object, whose own DT_RUNPATH may
        find it (as ldd lists). It was taken as not found for all."""
        root = glibc_root(t, "missing-searched-again")
        src = sources(t, "missing-searched-again", f=FUNC, app=MAIN)
        for d in ("/a/own", "/usr/bin"):
            os.makedirs(root + d)
        cc("-shared", "-fPIC", "-o", root + "/a/own/libmiss.so",
           src + "/f.c", "-Wl,-soname,libmiss.so")
        cc("-shared", "-fPIC", "-o", root + "/a/libA.so", src + "/f.c",
           "-Wl,-soname,libA.so", "-Wl,--no-as-needed",
           "-L" + root + "/a/own", "-lmiss",
           "-Wl,--enable-new-dtags,-rpath,/a/own")
        cc("-o", root + "/usr/bin/app", src + "/app.c", "-Wl,--no-as-needed",
           "-L" + root + "/a", "-lA", "-L" + root + "/a/own", "-lmiss",
           "-Wl,--enable-new-dtags,-rpath,/a")
        r = same_as_loader(t, root, ["/usr/bin/app"], {"/usr/bin/app": (
            {"/a/libA.so", "/a/own/libmiss.so",
             "/lib/x86_64-linux-gnu/libc.so.6"}, {"libmiss.so"})},
            trace=True)
        h.check(h.need_found(r.sbom, "libA.so", "libmiss.so")
                == (["/a/own/libmiss.so"], "runpath"),
                h.need_found(r.sbom, "libA.so", "libmiss.so"))
        h.check(h.need_found(r.sbom, "app", "libmiss.so") == (None, None),
                "the program's own need is not found")

