"""End-to-end cases of musl's loader rules (registered by run.py).

A program whose interpreter is musl's (/lib/ld-musl-<arch>.so.1) is
searched for as musl 1.2's ldso/dynlink.c searches, which differs from
glibc's in six ways, one case each here on a small generated root:
- the library path (LD_LIBRARY_PATH, our --library-path) comes first;
- each object's own list is its DT_RUNPATH, else its DT_RPATH, and the
  lists of the objects that loaded it are searched after its own, RUNPATH
  too (glibc inherits only RPATH, and not past a RUNPATH);
- a list with a '$' token other than $ORIGIN is not used at all;
- no ld.so.cache and no ld.so.conf: /etc/ld-musl-<arch>.path, when the
  root has it, replaces the default /lib:/usr/local/lib:/usr/lib;
- empty elements are skipped (glibc: the current directory);
- a file found that it cannot load (another class) stops the loader.
Then one differential case: real musl programs built with musl-gcc,
compared with what musl's loader, chrooted, maps (`ld-musl --list`).
"""
import os
import shutil
import subprocess

import cases_images
import elfgen as E

MUSL = "/lib/ld-musl-x86_64.so.1"
CC = os.environ.get("CC", "cc")


def register(case, h):

    def lib(root, path, soname, **kw):
        h.put_elf(root, path, soname, **kw)

    def app(root, path, needed, **kw):
        h.put_elf(root, path, None, etype=E.ET_EXEC, needed=needed,
                  interp=MUSL, **kw)

    def musl_root(t, name):
        root = h.fresh_dir(t, "roots", "musl-" + name)
        lib(root, MUSL, "libc.musl-x86_64.so.1")
        return root

    def found(r, requester, name):
        """(locations, resolved-via) of requester's need, (None, None)
        when not found."""
        where, via = h.need_found(r.sbom, requester, name)
        if where is None:
            return None, None
        return [w[len(r.root):] if r.root and w.startswith(r.root + "/")
                else w for w in where], via

    def scan(t, root, *paths, args=()):
        r = t.run(*args, "--root", root,
                  *[os.path.join(root, p.lstrip("/")) for p in paths])
        h.check(r.code in (0, 3), "exit %d: %s" % (r.code, r.err))
        r.root = os.path.realpath(root)
        return r

    @case
    def musl_library_path_first(t):
        """musl searches LD_LIBRARY_PATH before DT_RPATH (glibc after)."""
        root = musl_root(t, "library-path")
        lib(root, "/opt/r/libx.so", "libx.so")
        lib(root, "/opt/lp/libx.so", "libx.so")
        app(root, "/usr/bin/app", ["libx.so"], rpath="/opt/r")
        r = scan(t, root, "/usr/bin/app", args=("--library-path", "/opt/lp"))
        h.check(found(r, "app", "libx.so") ==
                (["/opt/lp/libx.so"], "library-path"),
                "%r" % (found(r, "app", "libx.so"),))

    @case
    def musl_runpath_of_the_loader_is_searched(t):
        """A library without a list of its own is searched for in the
        RUNPATH of the program that loaded it (musl walks needed_by up);
        glibc would not find libdep.so."""
        root = musl_root(t, "runpath-up")
        lib(root, "/opt/a/libdep.so", "libdep.so")
        lib(root, "/opt/a/libmid.so", "libmid.so", needed=["libdep.so"])
        app(root, "/usr/bin/app", ["libmid.so"], runpath="/opt/a")
        r = scan(t, root, "/usr/bin/app")
        h.check(found(r, "libmid.so", "libdep.so") ==
                (["/opt/a/libdep.so"], "runpath"),
                "%r" % (found(r, "libmid.so", "libdep.so"),))

    @case
    def musl_own_list_is_runpath_else_rpath(t):
        """An object's own list is DT_RUNPATH when it has one (its DT_RPATH
        is not used), searched before its loader's; the loader's DT_RPATH
        is searched after it (glibc: not at all past a DT_RUNPATH)."""
        root = musl_root(t, "own-list")
        lib(root, "/opt/own/libx.so", "libx.so")
        lib(root, "/opt/up/libx.so", "libx.so")
        lib(root, "/opt/rp/liby.so", "liby.so")
        lib(root, "/opt/up/libz.so", "libz.so")
        lib(root, "/opt/own/libmid.so", "libmid.so",
            needed=["libx.so", "liby.so", "libz.so"],
            runpath="/opt/own", rpath="/opt/rp")
        app(root, "/usr/bin/app", ["libmid.so"], rpath="/opt/up:/opt/own")
        r = scan(t, root, "/usr/bin/app")
        h.check(found(r, "libmid.so", "libx.so") ==
                (["/opt/own/libx.so"], "runpath"),
                "its own first: %r" % (found(r, "libmid.so", "libx.so"),))
        h.check(found(r, "libmid.so", "liby.so") == (None, None),
                "its DT_RPATH beside a DT_RUNPATH: %r"
                % (found(r, "libmid.so", "liby.so"),))
        h.check(found(r, "libmid.so", "libz.so") ==
                (["/opt/up/libz.so"], "rpath"),
                "its loader's DT_RPATH, past its DT_RUNPATH: %r"
                % (found(r, "libmid.so", "libz.so"),))

    @case
    def musl_token_other_than_origin_drops_the_list(t):
        """A list with $LIB or $PLATFORM is not used at all by musl (it
        expands only $ORIGIN); $ORIGIN and ${ORIGIN} are."""
        root = musl_root(t, "tokens")
        lib(root, "/opt/ok/libx.so", "libx.so")
        lib(root, "/usr/bin/sub/liby.so", "liby.so")
        app(root, "/usr/bin/app", ["libx.so"], runpath="/opt/ok:$LIB")
        app(root, "/usr/bin/app2", ["liby.so"], runpath="/nx:${ORIGIN}/sub")
        r = scan(t, root, "/usr/bin/app", "/usr/bin/app2")
        h.check(found(r, "app", "libx.so") == (None, None),
                "$LIB: %r" % (found(r, "app", "libx.so"),))
        h.check(found(r, "app2", "liby.so") ==
                (["/usr/bin/sub/liby.so"], "runpath"),
                "${ORIGIN}: %r" % (found(r, "app2", "liby.so"),))

    @case
    def musl_origin_is_expanded_wherever_it_ends(t):
        """musl replaces the seven bytes $ORIGIN whatever follows them
        (fixup_rpath): $ORIGIN_sub is /usr/bin_sub for /usr/bin/app, and
        $ORIGINX/x is /usr/binX/x. glibc's rule (a token ends where a
        name does) kept them as they were, and liba.so was not found
        where musl's loader maps it. The list is expanded whole, then
        split: $ORIGIN/lib for /usr/a:b/app2 is /usr/a and b/lib."""
        root = musl_root(t, "origin-ends")
        lib(root, "/usr/bin_sub/liba.so", "liba.so")
        lib(root, "/usr/binX/x/libb.so", "libb.so")
        lib(root, "/usr/a/libc2.so", "libc2.so")
        app(root, "/usr/bin/app", ["liba.so", "libb.so"],
            runpath="$ORIGIN_sub:$ORIGINX/x")
        app(root, "/usr/a:b/app2", ["libc2.so"], runpath="$ORIGIN/lib")
        r = scan(t, root, "/usr/bin/app", "/usr/a:b/app2")
        h.check(found(r, "app2", "libc2.so") ==
                (["/usr/a/libc2.so"], "runpath"),
                "%r" % (found(r, "app2", "libc2.so"),))
        h.check(found(r, "app", "liba.so") ==
                (["/usr/bin_sub/liba.so"], "runpath"),
                "%r" % (found(r, "app", "liba.so"),))
        h.check(found(r, "app", "libb.so") ==
                (["/usr/binX/x/libb.so"], "runpath"),
                "%r" % (found(r, "app", "libb.so"),))

    @case
    def musl_path_longer_than_its_buffer_is_passed_by(t):
        """musl's path_open builds "dir/name" in load_library's buffer of
        2 * NAME_MAX + 2 = 512 bytes and passes by a directory where it
        does not fit: libx.so in a directory of 504 bytes (512 with
        "/libx.so") is not opened, from a RUNPATH, --library-path or the
        path file alike, and the search goes on to /opt/ok; in one of 503
        (511) it is found. musl's --list, chrooted, maps /opt/ok/libx.so
        for the first; we took the long directory's."""
        root = musl_root(t, "long-dir")
        d504 = "/opt/" + "a" * 249 + "/" + "b" * 249
        d503 = d504[:-1]
        for d in (d504, d503, "/opt/ok"):
            lib(root, d + "/libx.so", "libx.so", rodata=d.encode())
        app(root, "/usr/bin/app", ["libx.so"], runpath=d504 + ":/opt/ok")
        app(root, "/usr/bin/app2", ["libx.so"], runpath=d503 + ":/opt/ok")
        app(root, "/usr/bin/app3", ["libx.so"])
        h.put_file(root, "etc/ld-musl-x86_64.path", d504 + "\n/opt/ok\n")
        r = scan(t, root, "/usr/bin/app", "/usr/bin/app2")
        h.check(found(r, "app", "libx.so") == (["/opt/ok/libx.so"], "runpath"),
                "512 bytes: %r" % (found(r, "app", "libx.so"),))
        h.check(found(r, "app2", "libx.so") == ([d503 + "/libx.so"], "runpath"),
                "511 bytes: %r" % (found(r, "app2", "libx.so"),))
        r = scan(t, root, "/usr/bin/app3")
        h.check(found(r, "app3", "libx.so") ==
                (["/opt/ok/libx.so"], "ld-musl-path"),
                "the path file: %r" % (found(r, "app3", "libx.so"),))
        r = scan(t, root, "/usr/bin/app3", args=("--library-path", d504))
        h.check(found(r, "app3", "libx.so") ==
                (["/opt/ok/libx.so"], "ld-musl-path"),
                "--library-path: %r" % (found(r, "app3", "libx.so"),))

    @case
    def musl_path_file_replaces_the_defaults(t):
        """/etc/ld-musl-x86_64.path (':' or newline separated) replaces
        /lib:/usr/local/lib:/usr/lib; without it those three are searched,
        and ld.so.cache and ld.so.conf never are."""
        root = musl_root(t, "path-file")
        lib(root, "/opt/sys/liba.so", "liba.so")
        lib(root, "/lib/libb.so", "libb.so")
        lib(root, "/usr/local/lib/libc2.so", "libc2.so")
        lib(root, "/opt/conf/libd.so", "libd.so")
        h.put_file(root, "etc/ld.so.conf", "/opt/conf\n")
        app(root, "/usr/bin/app", ["liba.so", "libb.so", "libc2.so", "libd.so"])
        r = scan(t, root, "/usr/bin/app")
        h.check([found(r, "app", n)[0] for n in
                 ("liba.so", "libb.so", "libc2.so", "libd.so")] ==
                [None, ["/lib/libb.so"], ["/usr/local/lib/libc2.so"], None],
                "the defaults: %r" % ([found(r, "app", n) for n in
                                       ("liba.so", "libb.so", "libc2.so",
                                        "libd.so")],))
        h.check(found(r, "app", "libb.so")[1] == "default", "via")
        h.put_file(root, "etc/ld-musl-x86_64.path", "/opt/sys\n/usr/local/lib::\n")
        r = scan(t, root, "/usr/bin/app")
        h.check([found(r, "app", n)[0] for n in
                 ("liba.so", "libb.so", "libc2.so", "libd.so")] ==
                [["/opt/sys/liba.so"], None, ["/usr/local/lib/libc2.so"], None],
                "the path file: %r" % ([found(r, "app", n) for n in
                                        ("liba.so", "libb.so", "libc2.so",
                                         "libd.so")],))
        h.check(found(r, "app", "liba.so")[1] == "ld-musl-path", "via")
        # A loader in /usr/lib reads /usr/etc's file (the etc/ beside its
        # directory's parent), not /etc's.
        lib(root, "/usr/lib/ld-musl-x86_64.so.1", "libc.musl-x86_64.so.1")
        lib(root, "/opt/usr/libu.so", "libu.so")
        h.put_file(root, "usr/etc/ld-musl-x86_64.path", "/opt/usr\n")
        h.put_elf(root, "/usr/bin/uapp", None, etype=E.ET_EXEC,
                  needed=["libu.so", "liba.so"],
                  interp="/usr/lib/ld-musl-x86_64.so.1")
        r = scan(t, root, "/usr/bin/uapp")
        h.check([found(r, "uapp", n) for n in ("libu.so", "liba.so")] ==
                [(["/opt/usr/libu.so"], "ld-musl-path"), (None, None)],
                "/usr/etc: %r" % ([found(r, "uapp", n)
                                   for n in ("libu.so", "liba.so")],))

    @case
    def musl_path_file_dangling_link_is_no_file(t):
        """A path file that is a link to nothing fails to open with
        ENOENT, which musl takes as no path file: the defaults are
        searched (ldso/dynlink.c, load_library: only another errno makes
        the system path empty). /lib/libb.so was not found, with a
        warning."""
        root = musl_root(t, "path-dangling")
        lib(root, "/lib/libb.so", "libb.so")
        app(root, "/usr/bin/app", ["libb.so"])
        os.makedirs(os.path.join(root, "etc"))
        os.symlink("/nx/ld-musl-x86_64.path",
                   os.path.join(root, "etc/ld-musl-x86_64.path"))
        r = scan(t, root, "/usr/bin/app")
        h.check(found(r, "app", "libb.so") == (["/lib/libb.so"], "default"),
                "%r" % (found(r, "app", "libb.so"),))
        h.check(not r.warnings(), "%r" % r.warnings())

    @case
    def musl_path_file_of_its_own_loader_only(t):
        """musl reads one path file, its own arch's, when a search first
        reaches the system directories. Every ld-musl-*.path in /etc was
        read when the run began, whatever loader used it, in any root: a
        warning for each that could not be read (a directory, a FIFO),
        and a root with thousands of them read them all."""
        root = musl_root(t, "path-own")
        lib(root, "/opt/sys/liba.so", "liba.so")
        app(root, "/usr/bin/app", ["liba.so"])
        h.put_file(root, "etc/ld-musl-x86_64.path", "/opt/sys\n")
        for i in range(40):
            os.makedirs(os.path.join(root, "etc/ld-musl-junk%d.path" % i))
        os.mkfifo(os.path.join(root, "etc/ld-musl-aarch64.path"))
        os.makedirs(os.path.join(root.encode(),
                                 b"etc/ld-musl-\x1b[1mx\xff.path"))
        r = scan(t, root, "/usr/bin/app")
        h.check(found(r, "app", "liba.so") ==
                (["/opt/sys/liba.so"], "ld-musl-path"),
                "%r" % (found(r, "app", "liba.so"),))
        h.check(not r.warnings(), "%r" % r.warnings()[:3])
        # Its own, unreadable: said once.
        os.unlink(os.path.join(root, "etc/ld-musl-x86_64.path"))
        os.mkfifo(os.path.join(root, "etc/ld-musl-x86_64.path"))
        app(root, "/usr/bin/app2", ["liba.so"])
        r = scan(t, root, "/usr/bin/app", "/usr/bin/app2")
        h.check(found(r, "app", "liba.so") == (None, None),
                "%r" % (found(r, "app", "liba.so"),))
        said = [w for w in r.warnings() if "ld-musl-" in w]
        h.check(len(said) == 1 and "ld-musl-x86_64.path" in said[0],
                "%r" % r.warnings())

    @case
    def musl_path_file_ends_at_a_nul(t):
        """musl reads the path file into a string and searches it as one:
        a NUL byte ends the list (path_open), so /opt/sys after it is not
        searched. It was: liba.so found where musl's loader fails."""
        root = musl_root(t, "path-nul")
        lib(root, "/opt/sys/liba.so", "liba.so")
        lib(root, "/opt/first/libb.so", "libb.so")
        app(root, "/usr/bin/app", ["liba.so", "libb.so"])
        h.put_file(root, "etc/ld-musl-x86_64.path",
                   b"/opt/first\n\0/opt/sys\n")
        r = scan(t, root, "/usr/bin/app")
        h.check(found(r, "app", "libb.so") ==
                (["/opt/first/libb.so"], "ld-musl-path"),
                "before the NUL: %r" % (found(r, "app", "libb.so"),))
        h.check(found(r, "app", "liba.so") == (None, None),
                "after the NUL: %r" % (found(r, "app", "liba.so"),))

    @case
    def musl_loader_in_a_debian_root_loads_no_library_alone(t):
        """Debian's musl package puts /lib/ld-musl-x86_64.so.1 in a root of
        glibc's. Without ld.so.cache, that root's libraries no program
        loads were taken for musl's: libc.so.6 became the musl loader
        (musl-builtin) and libz.so.1 in /usr/lib/x86_64-linux-gnu was not
        found. A Debian root (multiarch) keeps glibc's rules, as before
        musl's were modelled."""
        def make(name, musl):
            root = h.fresh_dir(t, "roots", name)
            h.put_file(root, "etc/debian_version", "12.5\n")
            d = "/usr/lib/x86_64-linux-gnu/"
            lib(root, d + "libc.so.6", "libc.so.6")
            lib(root, d + "libz.so.1", "libz.so.1", needed=["libc.so.6"])
            lib(root, d + "libfoo.so.1", "libfoo.so.1",
                needed=["libz.so.1", "libc.so.6"])
            if musl:
                lib(root, "/usr/lib/x86_64-linux-musl/libc.so", "libc.so")
                os.makedirs(os.path.join(root, "lib"))
                os.symlink("/usr/lib/x86_64-linux-musl/libc.so",
                           os.path.join(root, MUSL.lstrip("/")))
            return scan(t, root)
        plain, musl = make("debian", False), make("debian-musl", True)
        for n in ("libz.so.1", "libc.so.6"):
            h.check(found(musl, "libfoo.so.1", n) ==
                    found(plain, "libfoo.so.1", n) ==
                    (["/usr/lib/x86_64-linux-gnu/" + n], "default"),
                    "%s: %r, without musl %r" % (n, found(musl, "libfoo.so.1", n),
                                                 found(plain, "libfoo.so.1", n)))

    @case
    def musl_path_file_of_an_image(t):
        """An image's /etc/ld-musl-x86_64.path is read as its root's is:
        the layers kept only ELF files and the files the scan reads by
        name, which did not name it, and liba.so in /opt/sys was
        unresolved in the image where its root found it."""
        ld, _ = E.build(soname="libc.musl-x86_64.so.1")
        liba, _ = E.build(soname="liba.so")
        prog, _ = E.build(etype=E.ET_EXEC, needed=["liba.so"], interp=MUSL)
        layer = [("lib/", "d", None), ("lib/ld-musl-x86_64.so.1", "f", ld),
                 ("etc/", "d", None),
                 ("etc/ld-musl-x86_64.path", "f", b"/opt/sys\n"),
                 ("opt/", "d", None), ("opt/sys/", "d", None),
                 ("opt/sys/liba.so", "f", liba),
                 ("usr/", "d", None), ("usr/bin/", "d", None),
                 ("usr/bin/app", "f", prog)]
        image = h.fresh_dir(t, "musl-image")
        cases_images.small_image(image, [layer])
        tmp = h.fresh_dir(t, "musl-image-tmp")
        r = t.run(image, env={"TMPDIR": tmp})
        h.check(r.code == 0, r.err)
        r.root = ""
        h.check(found(r, "app", "liba.so") ==
                (["/opt/sys/liba.so"], "ld-musl-path"),
                "%r" % (found(r, "app", "liba.so"),))

    @case
    def musl_empty_element_is_skipped(t):
        """An empty element of a list is skipped by musl; glibc takes the
        current directory (without --root: bindep-sbom's, which holds
        libx.so)."""
        root = h.fresh_dir(t, "roots", "musl-empty")
        cwd = h.fresh_dir(t, "musl-empty-cwd")
        lib(cwd, "/libx.so", "libx.so")
        app(root, "/app", ["libx.so"], runpath=":/nx")
        app(root, "/glibc-app", ["libx.so"], runpath=":/nx")
        h.put_elf(root, "/glibc-app", None, etype=E.ET_EXEC,
                  needed=["libx.so"], runpath=":/nx",
                  interp="/lib64/ld-linux-x86-64.so.2")
        r = t.run(os.path.join(root, "app"), os.path.join(root, "glibc-app"),
                  cwd=cwd)
        h.check(r.code == 0, r.err)
        r.root = ""
        h.check(found(r, "app", "libx.so") == (None, None),
                "musl: %r" % (found(r, "app", "libx.so"),))
        h.check(found(r, "glibc-app", "libx.so")[1] == "runpath",
                "glibc: %r" % (found(r, "glibc-app", "libx.so"),))

    @case
    def musl_unloadable_file_stops_the_loader(t):
        """musl opens the first file of the name and fails if it cannot
        load it; glibc skips a file of another class and searches on. As
        for glibc's own stops: one warning, and the search goes on to a
        library the SBOM can name."""
        root = musl_root(t, "class")
        lib(root, "/opt/a/libx.so", "libx.so", cls=32, machine=E.EM_386)
        lib(root, "/opt/b/libx.so", "libx.so")
        app(root, "/usr/bin/app", ["libx.so"], runpath="/opt/a:/opt/b")
        h.put_elf(root, "/usr/bin/gapp", None, etype=E.ET_EXEC,
                  needed=["libx.so"], runpath="/opt/a:/opt/b",
                  interp="/lib64/ld-linux-x86-64.so.2")
        r = scan(t, root, "/usr/bin/app", "/usr/bin/gapp")
        h.check(found(r, "app", "libx.so") == (["/opt/b/libx.so"], "runpath"),
                "%r" % (found(r, "app", "libx.so"),))
        said = [w for w in r.warnings() if "musl's loader cannot load it" in w]
        h.check(len(said) == 1 and "/opt/a/libx.so" in said[0],
                "one warning, for musl's program: %r" % r.warnings())

    @case
    def musl_root_loads_a_library_alone(t):
        """A library no scanned program loads, in a root of musl's (its
        loader in /lib, no ld.so.cache), is searched for as musl's loader
        of its machine would: libz.so.1 in /lib. glibc's rules for a
        64-bit root without multiarch looked in /lib64 and /usr/lib64
        only, and every such library of an Alpine image missed its
        needs."""
        root = musl_root(t, "alone")
        lib(root, "/lib/libz.so.1", "libz.so.1")
        lib(root, "/usr/lib/libfoo.so.1", "libfoo.so.1", needed=["libz.so.1"])
        r = scan(t, root)
        h.check(found(r, "libfoo.so.1", "libz.so.1") ==
                (["/lib/libz.so.1"], "default"),
                "%r" % (found(r, "libfoo.so.1", "libz.so.1"),))
        # A 32-bit library: no loader of its machine in the root.
        lib(root, "/usr/lib32/libbar.so", "libbar.so", cls=32,
            machine=E.EM_386, needed=["libz32.so"])
        lib(root, "/lib/libz32.so", "libz32.so", cls=32, machine=E.EM_386)
        r = scan(t, root, "/usr/lib32/libbar.so")
        h.check(found(r, "libbar.so", "libz32.so") ==
                (["/lib/libz32.so"], "default"),
                "glibc's rules for i386 without a loader: %r"
                % (found(r, "libbar.so", "libz32.so"),))

    @case
    def musl_root_loads_a_library_alone_on_every_variant(t):
        """A lone library's loader is found under musl's variant names
        (ld-musl-$(ARCH)$(SUBARCH).so.1 as musl's configure makes them:
        soft-float, single-precision, r6, n32, big-endian, no FPU), and
        its path file is read: only the base names were tried, so such
        an image's libraries fell back to glibc's rules."""
        variants = [  # (machine, class, msb, arch)
            (E.EM_MIPS, 32, False, "mipsel-sf"),
            (E.EM_MIPS, 32, True, "mipsn32r6"),
            (E.EM_MIPS, 64, False, "mips64r6el-sf"),
            (E.EM_RISCV, 64, False, "riscv64-sp"),
            (E.EM_LOONGARCH, 64, False, "loongarch64-sf"),
            (E.EM_PPC, 32, True, "powerpc-sf"),
            (E.EM_68K, 32, True, "m68k-fp64"),
            (E.EM_SH, 32, True, "sheb-nofpu-fdpic"),
            (E.EM_MICROBLAZE, 32, False, "microblazeel"),
            (E.EM_OPENRISC, 32, True, "or1k"),
        ]
        for machine, cls, msb, arch in variants:
            kw = dict(machine=machine, cls=cls, msb=msb)
            root = h.fresh_dir(t, "roots", "musl-variant-" + arch)
            lib(root, "/lib/ld-musl-%s.so.1" % arch, "libc.so", **kw)
            h.put_file(root, "etc/ld-musl-%s.path" % arch, "/opt/z\n")
            lib(root, "/opt/z/libz.so.1", "libz.so.1", **kw)
            lib(root, "/usr/lib/libfoo.so.1", "libfoo.so.1",
                needed=["libz.so.1"], **kw)
            r = scan(t, root, "/usr/lib/libfoo.so.1")
            h.check(found(r, "libfoo.so.1", "libz.so.1") ==
                    (["/opt/z/libz.so.1"], "ld-musl-path"),
                    "%s: %r" % (arch, found(r, "libfoo.so.1", "libz.so.1")))

    @case
    def musl_loader_by_a_glibc_name(t):
        """A program built against glibc in a root of musl's whose
        glibc-named loader is a link to musl's (Alpine's libc6-compat and
        gcompat: /lib64/ld-linux-x86-64.so.2 -> /lib/libc.musl-x86_64.so.1
        -> ld-musl-x86_64.so.1) is loaded by musl: its libc.so.6 is the
        loader itself, its other needs are searched in the path file (of
        the prefix of PT_INTERP as written, and musl's own arch), else
        /lib:/usr/local/lib:/usr/lib. glibc's rules were applied: libc.so.6
        and libstdc++.so.6 in /usr/lib unfound (/lib64, /usr/lib64)."""
        root = musl_root(t, "gcompat")
        os.symlink("ld-musl-x86_64.so.1",
                   os.path.join(root, "lib/libc.musl-x86_64.so.1"))
        os.makedirs(os.path.join(root, "lib64"))
        os.symlink("/lib/libc.musl-x86_64.so.1",
                   os.path.join(root, "lib64/ld-linux-x86-64.so.2"))
        lib(root, "/usr/lib/libstdc++.so.6", "libstdc++.so.6")
        lib(root, "/opt/p/libpf.so.1", "libpf.so.1")
        h.put_elf(root, "/usr/bin/gapp", None, etype=E.ET_EXEC,
                  needed=["libc.so.6", "libm.so.6", "libstdc++.so.6",
                          "libpf.so.1"],
                  interp="/lib64/ld-linux-x86-64.so.2")
        def deps(r):
            """gapp's dependencies by name: (locations, resolved-via)."""
            return {n: found(r, "gapp", n) for n in
                    ("libc.musl-x86_64.so.1", "libc.so.6", "libm.so.6",
                     "libstdc++.so.6", "libpf.so.1")
                    if n in [c["name"] for c in h.comps(r.sbom)]}

        r = scan(t, root, "/usr/bin/gapp")
        # libc.so.6 and libm.so.6 are the loader (its soname's component,
        # the interpreter), no need left unfound.
        h.check(deps(r) == {
            "libc.musl-x86_64.so.1": (["/lib/ld-musl-x86_64.so.1",
                                       "/lib64/ld-linux-x86-64.so.2"],
                                      "direct-path"),
            "libstdc++.so.6": (["/usr/lib/libstdc++.so.6"], "default"),
            "libpf.so.1": (None, None)}, "defaults: %r" % (deps(r),))
        # The path file: etc/ beside the parent of PT_INTERP's directory,
        # named by the arch of the musl that loads it.
        h.put_file(root, "etc/ld-musl-x86_64.path", "/opt/p\n")
        r = scan(t, root, "/usr/bin/gapp")
        h.check(found(r, "gapp", "libpf.so.1") ==
                (["/opt/p/libpf.so.1"], "ld-musl-path") and
                found(r, "gapp", "libstdc++.so.6") == (None, None),
                "path file: %r" % ([found(r, "gapp", n) for n in
                                    ("libpf.so.1", "libstdc++.so.6")],))
        # A relative PT_INTERP, taken from "/" as its interpreter's edge
        # is: the same process (the loader was named, the search glibc's).
        h.put_elf(root, "/usr/bin/rapp", None, etype=E.ET_EXEC,
                  needed=["libc.so.6", "libpf.so.1"],
                  interp="lib64/ld-linux-x86-64.so.2")
        r = scan(t, root, "/usr/bin/rapp")
        h.check(found(r, "rapp", "libpf.so.1") ==
                (["/opt/p/libpf.so.1"], "ld-musl-path") and
                "libc.so.6" not in [c["name"] for c in h.comps(r.sbom)],
                "relative: %r" % (found(r, "rapp", "libpf.so.1"),))
        # A glibc loader that is no link to musl's keeps glibc's rules.
        os.unlink(os.path.join(root, "lib64/ld-linux-x86-64.so.2"))
        lib(root, "/lib64/ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2")
        r = scan(t, root, "/usr/bin/gapp")
        h.check(deps(r).get("libc.so.6") == (None, None),
                "glibc's loader: %r" % (deps(r),))

    @case
    def musl_loaded_library_not_matched_by_soname(t):
        """musl takes a loaded library for a name only by the name its
        search found it by (load_library's shortname), never by its
        DT_SONAME as glibc does: libx.so.1, whose SONAME is liby.so.2, is
        not the program's liby.so.2, which musl's loader maps from
        /usr/lib/liby.so.2 (checked chrooted with musl-gcc libraries)."""
        root = musl_root(t, "soname")
        lib(root, "/usr/lib/libx.so.1", "liby.so.2", rodata=b"x")
        lib(root, "/usr/lib/liby.so.2", "liby.so.2", rodata=b"y")
        app(root, "/usr/bin/app", ["libx.so.1", "liby.so.2"])
        r = scan(t, root, "/usr/bin/app")
        by_ref = {c["bom-ref"]: c for c in h.comps(r.sbom)}
        app_ref = [c["bom-ref"] for c in h.comps(r.sbom)
                   if c["name"] == "app"]
        needs = [d.get("dependsOn", []) for d in r.sbom["dependencies"]
                 if d["ref"] in app_ref]
        h.check(len(needs) == 1, "%r" % needs)
        # Both files are named liby.so.2, by their SONAME.
        where = sorted(
            [w[len(r.root):] if w.startswith(r.root + "/") else w
             for w in h.locations(by_ref[ref])]
            for ref in needs[0] if by_ref[ref]["name"] == "liby.so.2")
        h.check(where == [["/usr/lib/libx.so.1"], ["/usr/lib/liby.so.2"]],
                "%r" % where)

    @case
    def musl_library_found_again_takes_no_new_name(t):
        """musl's load_library, when a search finds a library loaded
        before (the same inode), takes it by no new name; one loaded by a
        path, and taken by none so far, is from then on taken by the last
        part of that path (shortname from p->name). app: /lib/libw.so.1,
        loaded by its path, is found again as libw.so (a link to it), and
        liba.so's libw.so.1 is then it, unsearched (we searched liba.so's
        RUNPATH: /opt/o's). app2: libv.so.1 finds libv.so's file, which
        keeps the name libv.so: libb.so's libv.so.1 is searched for, and
        is /opt/o's (we took /lib's by the name libv.so.1). As musl's
        --list, chrooted, maps them for musl-gcc programs."""
        root = musl_root(t, "found-again")
        for d in ("/lib", "/opt/o"):
            for n in ("libw.so.1", "libv.so.1"):
                lib(root, d + "/" + n, n, rodata=(d + n).encode())
        os.symlink("libw.so.1", os.path.join(root, "lib/libw.so"))
        os.symlink("libv.so.1", os.path.join(root, "lib/libv.so"))
        lib(root, "/lib/liba.so", "liba.so", needed=["libw.so.1"],
            runpath="/opt/o")
        lib(root, "/lib/libb.so", "libb.so", needed=["libv.so.1"],
            runpath="/opt/o")
        app(root, "/usr/bin/app", ["/lib/libw.so.1", "libw.so", "liba.so"])
        app(root, "/usr/bin/app2", ["libv.so", "libv.so.1", "libb.so"])
        r = scan(t, root, "/usr/bin/app")
        where, _ = found(r, "liba.so", "libw.so.1")
        h.check(where and "/lib/libw.so.1" in where,
                "by the name of its path: %r" % (where,))
        r = scan(t, root, "/usr/bin/app2")
        where, _ = found(r, "libb.so", "libv.so.1")
        h.check(where == ["/opt/o/libv.so.1"],
                "not by the name searched: %r" % (where,))

    @case
    def musl_need_not_found_is_searched_again(t):
        """musl's loader keeps no failed name (glibc's faked object):
        libb.so's libx.so is searched for in libb.so's own DT_RUNPATH
        although liba.so's search for it failed before, and found
        (chrooted, musl's --list maps /opt/x/libx.so; the program does
        not start, for liba.so's need)."""
        root = musl_root(t, "not-found-again")
        lib(root, "/opt/x/libx.so", "libx.so")
        lib(root, "/usr/lib/liba.so", "liba.so", needed=["libx.so"])
        lib(root, "/usr/lib/libb.so", "libb.so", needed=["libx.so"],
            runpath="/opt/x")
        app(root, "/usr/bin/app", ["liba.so", "libb.so"])
        r = scan(t, root, "/usr/bin/app")
        h.check(found(r, "liba.so", "libx.so") == (None, None),
                "%r" % (found(r, "liba.so", "libx.so"),))
        h.check(found(r, "libb.so", "libx.so") ==
                (["/opt/x/libx.so"], "runpath"),
                "%r" % (found(r, "libb.so", "libx.so"),))

    @case
    def musl_path_file_unopenable_is_empty(t):
        """A path file that cannot be opened for another reason than not
        being there (a symlink loop: ELOOP; /etc a file: ENOTDIR) leaves
        musl's loader no system directory (sys_path ""; chrooted, its
        --list finds nothing), where a missing one means the defaults:
        the defaults were searched."""
        for kind in ("loop", "notdir"):
            root = musl_root(t, "unopenable-" + kind)
            lib(root, "/lib/libx.so", "libx.so")
            app(root, "/usr/bin/app", ["libx.so"])
            if kind == "loop":
                os.makedirs(os.path.join(root, "etc"))
                os.symlink("ld-musl-x86_64.path",
                           os.path.join(root, "etc/ld-musl-x86_64.path"))
            else:
                h.put_file(root, "etc", "a file\n")
            r = scan(t, root, "/usr/bin/app")
            h.check(found(r, "app", "libx.so") == (None, None),
                    "%s: %r" % (kind, found(r, "app", "libx.so")))
            said = [w for w in r.warnings() if "ld-musl-x86_64.path" in w]
            h.check(len(said) == 1 and "cannot be opened" in said[0] and
                    "searches no system directory" in said[0],
                    "%s: one warning: %r" % (kind, r.warnings()))

    # ---- against musl's own loader -------------------------------------

    MUSL_LIBC = "/usr/lib/x86_64-linux-musl/libc.so"

    def musl_gcc(*args):
        subprocess.run(["musl-gcc"] + list(args), check=True,
                       capture_output=True)

    def musl_list(root, program):
        """The files musl's loader, chrooted, maps for a program (its
        --list), by path; None when it fails."""
        proc = subprocess.run(["chroot", root, MUSL, "--list", program],
                              capture_output=True, text=True)
        if proc.returncode:
            return None
        paths = set()
        for line in proc.stdout.splitlines():
            words = line.split()
            if "=>" in words:
                paths.add(words[words.index("=>") + 1])
            elif words and words[0].startswith("/"):
                paths.add(words[0])
        return paths

    def real_musl_root(t, name):
        """A root holding musl's own loader (this machine's musl-tools),
        and a directory for sources: (root, src)."""
        if not shutil.which("musl-gcc") or not os.path.exists(MUSL_LIBC):
            raise h.Failure("musl-gcc missing: contrib/install-deps --test "
                            "installs musl-tools")
        root = h.fresh_dir(t, "roots", name)
        src = h.fresh_dir(t, name + "-src")
        os.makedirs(os.path.join(root, "lib"))
        shutil.copy(MUSL_LIBC, os.path.join(root, MUSL.lstrip("/")))
        return root, src

    def glibc_program(root, src):
        """A program and its library built by this machine's compiler
        (glibc's PT_INTERP and libc.so.6): /usr/bin/gapp needing
        /opt/p/libpf.so, which only the path file /etc/ld-musl-x86_64.path
        names."""
        with open(os.path.join(src, "pf.c"), "w") as f:
            f.write("int pf(void) { return 1; }\n")
        with open(os.path.join(src, "gapp.c"), "w") as f:
            f.write("int pf(void);\nint main(void) { return pf(); }\n")
        subprocess.run([CC, "-shared", "-fPIC", "-o",
                        os.path.join(root, "opt/p/libpf.so"),
                        "-Wl,-soname,libpf.so", os.path.join(src, "pf.c")],
                       check=True, capture_output=True)
        subprocess.run([CC, "-o", os.path.join(root, "usr/bin/gapp"),
                        os.path.join(src, "gapp.c"),
                        "-L" + os.path.join(root, "opt/p"), "-lpf"],
                       check=True, capture_output=True)
        h.put_file(root, "etc/ld-musl-x86_64.path", "/opt/p\n")

    def links_end(root, paths):
        """Where each path's links lead in the root (absolute ones are the
        root's, as for a chrooted loader)."""
        def inside(p):
            for _ in range(40):
                full = os.path.join(root, p.lstrip("/"))
                if not os.path.islink(full):
                    return os.path.normpath(p)
                to = os.readlink(full)
                p = to if to.startswith("/") else os.path.join(
                    os.path.dirname(p), to)
            return p
        return {inside(p) for p in paths}

    def against_musl(t, root, program, want):
        """What we say program needs, all the way down, is what musl's
        loader maps for it chrooted, and want, by where links lead; the
        scan's result."""
        r = scan(t, root, program)
        theirs = musl_list(root, program)
        h.check(theirs is not None, "musl's loader failed")
        ours = closure(r.sbom, program)
        h.check(links_end(root, ours) == links_end(root, theirs) == want,
                "ours %r, musl's %r" % (sorted(ours), sorted(theirs)))
        return r

    def closure(doc, program):
        """The locations of what a program's component needs, all the way
        down, as the SBOM's dependencies say."""
        by_ref = {c["bom-ref"]: c for c in h.comps(doc)}
        deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
        start = [c["bom-ref"] for c in h.comps(doc)
                 if program in h.locations(c)]
        h.check(len(start) == 1, "%s: %r" % (program, start))
        seen, todo = set(), list(deps.get(start[0], []))
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            todo.extend(deps.get(ref, []))
        return {loc for ref in seen for loc in h.locations(by_ref[ref])}

    @case
    def musl_differential_real_loader(t):
        """Programs built with musl-gcc in a root of musl's own loader:
        what it maps for each (chrooted, --list) is what the SBOM says
        each needs, through a RUNPATH one level up, the path file, a
        DT_RPATH with $LIB (not used: libx.so found in the path file's
        directory instead) and libc.so, which is the loader itself."""
        root, src = real_musl_root(t, "musl-real")
        sources = {
            "dep.c": "int dep(void) { return 1; }\n",
            "mid.c": "int dep(void);\nint mid(void) { return dep(); }\n",
            "sys.c": "int sys(void) { return 2; }\n",
            "app.c": "int mid(void);\nint main(void) { return mid(); }\n",
            "app2.c": "int sys(void);\nint main(void) { return sys(); }\n",
        }
        for name, text in sources.items():
            with open(os.path.join(src, name), "w") as f:
                f.write(text)

        def at(path):
            full = os.path.join(root, path.lstrip("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            return full

        s = lambda n: os.path.join(src, n)  # noqa: E731
        musl_gcc("-shared", "-fPIC", "-o", at("/opt/a/libdep.so"),
                 "-Wl,-soname,libdep.so", s("dep.c"))
        musl_gcc("-shared", "-fPIC", "-o", at("/opt/a/libmid.so"),
                 "-Wl,-soname,libmid.so", s("mid.c"),
                 "-L" + os.path.join(root, "opt/a"), "-ldep")
        musl_gcc("-o", at("/usr/bin/app"), s("app.c"), "-L" + os.path.join(root, "opt/a"),
                 "-lmid", "-Wl,--enable-new-dtags,-rpath,/opt/a",
                 "-Wl,-rpath-link," + os.path.join(root, "opt/a"))
        musl_gcc("-shared", "-fPIC", "-o", at("/opt/sys/libsys.so"),
                 "-Wl,-soname,libsys.so", s("sys.c"))
        with open(s("sys3.c"), "w") as f:
            f.write("int sys(void) { return 3; }\n")
        musl_gcc("-shared", "-fPIC", "-o", at("/opt/lib/libsys.so"),
                 "-Wl,-soname,libsys.so", s("sys3.c"))
        musl_gcc("-o", at("/usr/bin/app2"), s("app2.c"),
                 "-L" + os.path.join(root, "opt/sys"), "-lsys",
                 "-Wl,--disable-new-dtags,-rpath,/opt/$LIB")
        h.put_file(root, "etc/ld-musl-x86_64.path", "/opt/sys\n")
        r = scan(t, root)
        h.check(r.code == 0, r.err)
        compared = 0
        for program in ("/usr/bin/app", "/usr/bin/app2"):
            theirs = musl_list(root, program)
            h.check(theirs is not None, "%s: musl's loader failed" % program)
            ours = closure(r.sbom, program)
            h.check(ours == theirs, "%s: ours %r, musl's %r"
                    % (program, sorted(ours), sorted(theirs)))
            compared += 1
        h.check(compared == 2, "compared")

    @case
    def musl_differential_glibc_named_loader(t):
        """A program and library built by this machine's gcc (glibc's
        PT_INTERP /lib64/ld-linux-x86-64.so.2, libc.so.6) in a root whose
        glibc-named loader is a link to musl's (Alpine's libc6-compat and
        gcompat): what musl's loader maps for it, chrooted (--list, which
        takes the PT_INTERP as its own name, as the kernel's start does),
        is what the SBOM says, its libpf.so found through the path file
        of PT_INTERP's prefix, /etc/ld-musl-x86_64.path, its libc.so.6 the
        loader. Files compared by where their links lead."""
        root, src = real_musl_root(t, "musl-glibc-named")
        for d in ("lib64", "opt/p", "usr/bin"):
            os.makedirs(os.path.join(root, d))
        os.symlink("ld-musl-x86_64.so.1",
                   os.path.join(root, "lib/libc.musl-x86_64.so.1"))
        os.symlink("/lib/libc.musl-x86_64.so.1",
                   os.path.join(root, "lib64/ld-linux-x86-64.so.2"))
        glibc_program(root, src)
        against_musl(t, root, "/usr/bin/gapp",
                     {"/lib/ld-musl-x86_64.so.1", "/opt/p/libpf.so"})

    @case
    def musl_loader_by_a_glibc_name_among_many_interpreters(t):
        """Which loader a glibc-named PT_INTERP leads to is the root's to
        say, not the other files': past 16 other interpreters met first
        (programs of other toolchains, or planted ones naming nothing),
        the link to musl's loader was no longer looked at, and a program
        built against glibc in Alpine's gcompat layout fell back to glibc's
        rules, its libraries unfound, silently."""
        root = musl_root(t, "many-interps")
        os.makedirs(os.path.join(root, "lib64"))
        os.symlink(MUSL, os.path.join(root, "lib64/ld-linux-x86-64.so.2"))
        lib(root, "/opt/p/libpf.so.1", "libpf.so.1")
        h.put_file(root, "etc/ld-musl-x86_64.path", "/opt/p\n")
        for i in range(20):
            h.put_elf(root, "/usr/bin/a%02d" % i, None, etype=E.ET_EXEC,
                      needed=[], interp="/opt/x%02d/ld.so" % i)
        h.put_elf(root, "/usr/bin/gapp", None, etype=E.ET_EXEC,
                  needed=["libc.so.6", "libpf.so.1"],
                  interp="/lib64/ld-linux-x86-64.so.2")
        r = scan(t, root, "/usr/bin")
        h.check(found(r, "gapp", "libpf.so.1") ==
                (["/opt/p/libpf.so.1"], "ld-musl-path") and
                b"libc.so.6" not in r.err,
                "%r: %s" % (found(r, "gapp", "libpf.so.1"), r.err.decode()))

    @case
    def musl_differential_glibc_named_loader_through_its_link(t):
        """musl as its own `make install` lays it out (Void's musl): the
        loader is /usr/lib/libc.so, /lib/ld-musl-x86_64.so.1 a link to it;
        a glibc-named loader links to that link. Only a step of the way
        names musl's loader, not the file it ends at: what musl's loader
        maps, chrooted (--list), is what the SBOM says. The name of the
        last file alone was read: glibc's rules, libpf.so and libc.so.6
        unfound."""
        root, src = real_musl_root(t, "musl-make-install")
        for d in ("lib64", "opt/p", "usr/bin", "usr/lib"):
            os.makedirs(os.path.join(root, d))
        os.rename(os.path.join(root, MUSL.lstrip("/")),
                  os.path.join(root, "usr/lib/libc.so"))
        os.symlink("../usr/lib/libc.so", os.path.join(root, MUSL.lstrip("/")))
        os.symlink(MUSL, os.path.join(root, "lib64/ld-linux-x86-64.so.2"))
        glibc_program(root, src)
        r = against_musl(t, root, "/usr/bin/gapp",
                         {"/usr/lib/libc.so", "/opt/p/libpf.so"})
        h.check(b"not found" not in r.err, r.err.decode())

    @case
    def musl_path_file_too_many_directories(t):
        """A path file of 2,000 directories: the first 1,024 are searched,
        with one warning naming the file (they were dropped without a
        word)."""
        root = musl_root(t, "many-dirs")
        lib(root, "/d5/liba.so", "liba.so")
        lib(root, "/d1500/libb.so", "libb.so")
        app(root, "/usr/bin/app", ["liba.so", "libb.so"])
        h.put_file(root, "etc/ld-musl-x86_64.path",
                   "".join("/d%d\n" % i for i in range(2000)))
        r = scan(t, root, "/usr/bin/app")
        said = [w for w in r.warnings() if "ld-musl-x86_64.path" in w]
        h.check(len(said) == 1 and "more than 1024 directories" in said[0],
                "%r" % r.warnings())
        h.check([found(r, "app", n)[0] for n in ("liba.so", "libb.so")] ==
                [["/d5/liba.so"], None],
                "%r" % [found(r, "app", n) for n in ("liba.so", "libb.so")])

    @case
    def musl_path_file_invalid_utf8(t):
        """Entries of invalid UTF-8, terminal escapes and CRs in a path
        file are directories like any (none of them there): searched and
        passed by without a word; the entry after them is searched, and
        the SBOM holds none of those bytes."""
        root = musl_root(t, "utf8")
        lib(root, "/opt/sys/liba.so", "liba.so")
        app(root, "/usr/bin/app", ["liba.so"])
        path = os.path.join(root, "etc", "ld-musl-x86_64.path")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"/\xff\xfe/x\n/\x1b[31m/evil\r\n/opt/sys\n")
        r = scan(t, root, "/usr/bin/app")
        h.check(not r.warnings(), "%r" % r.warnings())
        h.check(found(r, "app", "liba.so") ==
                (["/opt/sys/liba.so"], "ld-musl-path"),
                "%r" % (found(r, "app", "liba.so"),))
        h.check(b"\xff" not in r.raw and b"\x1b" not in r.raw, "in the SBOM")

    @case
    def musl_interp_chain_hostile(t):
        """The links a PT_INTERP is followed through to learn whether it is
        musl's loader, made hostile: a loop and a chain past the kernel's
        40 links (no loader: glibc's rules, as the kernel could start
        none), a link climbing out of the root (confined: /lib's loader
        inside it) and one to a host path (not followed out: none), a
        FIFO named as musl's loader (named so: musl; never opened, the
        scan not held up), and a PT_INTERP of invalid UTF-8 and a terminal
        escape (musl; its bytes escaped in every message). Each scan ends
        with a valid SBOM."""
        root = musl_root(t, "interp-hostile")
        lib(root, "/lib/libb.so", "libb.so")
        rb = root.encode()
        os.makedirs(os.path.join(root, "lib64"))
        os.makedirs(os.path.join(root, "opt"))
        os.symlink("loop.so", os.path.join(root, "lib64/loop.so"))
        for i in range(45):
            os.symlink("c%d.so" % (i + 1) if i < 44 else MUSL,
                       os.path.join(root, "lib64/c%d.so" % i))
        os.symlink("/../../../../../../lib/ld-musl-x86_64.so.1",
                   os.path.join(root, "lib64/climb.so"))
        host = h.fresh_dir(t, "interp-host")
        lib(host, "/ld-musl-x86_64.so.1", "libc.musl-x86_64.so.1")
        os.symlink(os.path.join(host, "ld-musl-x86_64.so.1"),
                   os.path.join(root, "lib64/host.so"))
        os.mkfifo(os.path.join(root, "opt/ld-musl-x86_64.so.1"))
        os.symlink("/opt/ld-musl-x86_64.so.1",
                   os.path.join(root, "lib64/fifo.so"))
        odd = b"/lib64/\xff\x1b[31m.so"
        os.symlink(MUSL.encode(), rb + odd)
        cases = {"loop": ("/lib64/loop.so", False),
                 "chain": ("/lib64/c0.so", False),
                 "climb": ("/lib64/climb.so", True),
                 "host": ("/lib64/host.so", False),
                 "fifo": ("/lib64/fifo.so", True),
                 "odd": (odd, True)}
        for name, (interp, musl) in cases.items():
            h.put_elf(root, "/usr/bin/" + name, None, etype=E.ET_EXEC,
                      needed=["libb.so"], interp=interp)
            r = scan(t, root, "/usr/bin/" + name)
            got = found(r, name, "libb.so")
            h.check(got == ((["/lib/libb.so"], "default") if musl
                            else (None, None)),
                    "%s: %r %s" % (name, got, r.err.decode()[-400:]))
            h.check(b"\x1b" not in r.err and b"\xff" not in r.err,
                    "%s: raw bytes in a message" % name)

    @case
    def musl_path_file_hostile(t):
        """A path file that is a FIFO or past 64 KiB is not read: one
        warning naming it, and musl's loader searches no system directory
        (it reads such a file as empty). The scan is not held up by the
        FIFO. A link out of the root leads inside it, where nothing is:
        the defaults, as musl chrooted finds, and the file outside (which
        lists no /lib) is not read."""
        for kind in ("fifo", "link-out", "huge"):
            root = musl_root(t, "hostile-" + kind)
            lib(root, "/lib/libb.so", "libb.so")
            app(root, "/usr/bin/app", ["libb.so"])
            path = os.path.join(root, "etc", "ld-musl-x86_64.path")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if kind == "fifo":
                os.mkfifo(path)
            elif kind == "link-out":
                outside = os.path.join(h.fresh_dir(t, "musl-outside"), "p")
                with open(outside, "w") as f:
                    f.write("/nx\n")
                os.symlink(outside, path)
            else:
                with open(path, "w") as f:
                    f.write("/lib\n" + ":" * (70 << 10))
            r = scan(t, root, "/usr/bin/app")
            said = [w for w in r.warnings() if "ld-musl-x86_64.path" in w]
            if kind == "link-out":
                h.check(not said and found(r, "app", "libb.so") ==
                        (["/lib/libb.so"], "default"),
                        "%s: %r %r" % (kind, r.warnings(),
                                       found(r, "app", "libb.so")))
                continue
            h.check(len(said) == 1 and "searches no system directory" in
                    said[0], "%s: %r" % (kind, r.warnings()))
            h.check(found(r, "app", "libb.so") == (None, None),
                    "%s: %r" % (kind, found(r, "app", "libb.so")))

    # ---- an Alpine-like image ---------------------------------------------

    APK_INSTALLED = """C:Q1abc=
P:musl
V:1.2.3-r0
A:x86_64
o:musl
L:MIT
F:lib
R:ld-musl-x86_64.so.1
R:libc.musl-x86_64.so.1

C:Q1def=
P:zlib
V:1.3.1-r2
A:x86_64
o:zlib
L:Zlib
F:lib
R:libz.so.1

P:foo-libs
V:2.0-r1
A:x86_64
o:foo
L:MIT
F:usr/lib
R:libfoo.so.1

P:app-tools
V:0.1-r0
A:x86_64
o:app
L:MIT
F:usr/bin
R:app
"""

    @case
    def musl_alpine_image(t):
        """An image of musl's (an OCI archive: the loader, apk's database,
        programs and libraries built with musl-gcc): its SBOM names each
        file's apk package and finds what each needs as musl's loader
        does, for the program and for a library no program loads. The
        program's closure is what musl's loader, chrooted in the same tree
        unpacked, maps."""
        import tarfile
        import input_image_fixtures as F
        if not shutil.which("musl-gcc") or not os.path.exists(MUSL_LIBC):
            raise h.Failure("musl-gcc missing: contrib/install-deps --test "
                            "installs musl-tools")
        src = h.fresh_dir(t, "alpine-src")
        built = {}
        for name, text, args in (
                ("libz.so.1", "int z(void) { return 1; }\n",
                 ["-shared", "-fPIC", "-Wl,-soname,libz.so.1"]),
                ("libfoo.so.1", "int z(void);\nint foo(void) { return z(); }\n",
                 ["-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", "LIBZ"]),
                ("app", "int z(void);\nint main(void) { return z(); }\n",
                 ["LIBZ"])):
            c = os.path.join(src, name + ".c")
            with open(c, "w") as f:
                f.write(text)
            out = os.path.join(src, name)
            musl_gcc(*[a if a != "LIBZ" else os.path.join(src, "libz.so.1")
                       for a in args], "-o", out, c)
            with open(out, "rb") as f:
                built[name] = f.read()
        with open(MUSL_LIBC, "rb") as f:
            loader = f.read()
        layer = F.tar([
            ("etc/", "d", None),
            ("etc/os-release", "f",
             b"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n"),
            ("lib/", "d", None),
            ("lib/ld-musl-x86_64.so.1", "f", loader),
            ("lib/libc.musl-x86_64.so.1", "l", "ld-musl-x86_64.so.1"),
            ("lib/libz.so.1", "f", built["libz.so.1"]),
            ("lib/apk/", "d", None), ("lib/apk/db/", "d", None),
            ("lib/apk/db/installed", "f", APK_INSTALLED.encode()),
            ("usr/", "d", None), ("usr/lib/", "d", None),
            ("usr/lib/libfoo.so.1", "f", built["libfoo.so.1"]),
            ("usr/bin/", "d", None),
            ("usr/bin/app", "f", built["app"])])
        files = {}
        F.layout(files, [(layer, True)], "3.20",
                 {"io.containerd.image.name": "example.org/alpine-app:3.20"})
        names = sorted(n for n in files if n.startswith("blobs/"))
        archive = os.path.join(src, "alpine-oci.tar")
        with open(archive, "wb") as f:
            f.write(F.tar_of(files, names + ["index.json", "oci-layout"]))
        r = t.run(archive)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        h.check(not [w for w in r.warnings() if "not found" in w],
                "%r" % r.warnings())
        s = r.sbom
        z = h.by_name(s, "libz.so.1")
        h.check(z.get("purl", "").startswith("pkg:apk/alpine/zlib@1.3.1-r2"),
                z.get("purl"))
        foo = h.by_name(s, "libfoo.so.1")
        h.check(foo.get("purl", "").startswith("pkg:apk/alpine/foo-libs@2.0-r1"),
                foo.get("purl"))
        # Debian's build of musl's loader has no soname: named by its file.
        rtld = h.by_name(s, "ld-musl-x86_64.so.1")
        h.check(rtld.get("purl", "").startswith("pkg:apk/alpine/musl@1.2.3-r0"),
                rtld.get("purl"))
        for who in ("app", "libfoo.so.1"):
            h.check(h.depends(s, h.by_name(s, who)) ==
                    ["ld-musl-x86_64.so.1", "libz.so.1"],
                    "%s: %r" % (who, h.depends(s, h.by_name(s, who))))
        # The tree unpacked, and musl's loader in it.
        tree = h.fresh_dir(t, "alpine-tree")
        with tarfile.open(fileobj=__import__("io").BytesIO(layer)) as tf:
            tf.extractall(tree)
        # The layer says 0644: the loader is run here, as a program.
        os.chmod(os.path.join(tree, MUSL.lstrip("/")), 0o755)
        theirs = musl_list(tree, "/usr/bin/app")
        h.check(theirs == {"/lib/ld-musl-x86_64.so.1", "/lib/libz.so.1"},
                "musl's loader: %r" % (theirs,))

    @case
    def musl_symlink_loop_stops_its_loader(t):
        """A candidate that is a symlink loop stops musl's loader (its
        path_open: an open() error but ENOENT, ENOTDIR, EACCES and
        ENAMETOOLONG inhibits any further search, and the load fails, as
        the chrooted loader shows): one warning, and the search goes on
        to the library the SBOM can name, as for a file musl cannot load.
        Nothing was said."""
        root, src = real_musl_root(t, "musl-loop")
        with open(os.path.join(src, "q.c"), "w") as f:
            f.write("int q(void) { return 1; }\n")
        with open(os.path.join(src, "app.c"), "w") as f:
            f.write("int main(void) { return 0; }\n")
        for d in ("a", "b", "usr/bin"):
            os.makedirs(os.path.join(root, d))
        musl_gcc("-shared", "-fPIC", "-o", os.path.join(root, "b/libq.so"),
                 os.path.join(src, "q.c"), "-Wl,-soname,libq.so")
        os.symlink("loop1", os.path.join(root, "a/libq.so"))
        os.symlink("libq.so", os.path.join(root, "a/loop1"))
        musl_gcc("-o", os.path.join(root, "usr/bin/app"),
                 os.path.join(src, "app.c"), "-Wl,--no-as-needed",
                 "-L" + os.path.join(root, "b"), "-lq", "-Wl,-rpath,/a:/b")
        proc = subprocess.run(["chroot", root, MUSL, "--list", "/usr/bin/app"],
                              capture_output=True, text=True)
        h.check(proc.returncode and "libq.so: Symbolic link loop"
                in proc.stderr, "the loader: %r" % proc.stderr)
        r = scan(t, root, "/usr/bin/app")
        h.check(found(r, "app", "libq.so")[0] == ["/b/libq.so"],
                found(r, "app", "libq.so"))
        h.check(r.warnings() == [
            "bindep-sbom: warning: '/a/libq.so': a symlink loop: musl's "
            "loader stops at it when it searches for it, and does not start "
            "what needs it; searched on past it"], r.warnings())
