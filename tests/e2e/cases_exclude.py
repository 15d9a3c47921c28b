"""End-to-end cases of --exclude GLOB (registered by run.py): what a run
leaves out, as syft's --exclude and trivy's --skip-dirs/--skip-files do.

A pattern is matched against the path the SBOM shows: a PATH's tree as
given ("dist/pkg/tests/x.so"), inside the root under --root and in an
image ("/usr/share/doc/x"), an artifact's entry by its location
("dist/x.whl!/x/tests/t.so"), so that "**/tests/**" works for all. A
directory matched is pruned whole; nothing excluded is warned about or
opened (strace says so); the loader search still finds an excluded
library that a scanned file needs; the SBOM names each pattern
(bindep:exclude). The fixtures are written here: programs and libraries
compiled with cc (artifact_fixtures.Build), broken and foreign ELF files
by elfgen, a wheel by zipfile, a .deb by dpkg-deb, an OCI layout by
input_image_fixtures.
"""
import os
import random
import re
import shutil

import artifact_fixtures as A
import elfgen
import input_image_fixtures as F

LIB = "usr/lib/x86_64-linux-gnu"


def broken_elf(tag):
    """An ELF file cut after its header: read, it is a warning."""
    return bytes(elfgen.build(soname="lib%s.so.1" % tag)[0][:80])


def good_elf(soname, **kw):
    return bytes(elfgen.build(soname=soname, **kw)[0])


def register(case, h):
    check = h.check

    def new_dir(t, name):
        return h.fresh_dir(t, "exclude", name)

    def run(t, d, *args, **kw):
        """The tool in d, with a private TMPDIR it must leave empty."""
        tmp = os.path.join(d, "tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        env = dict(kw.pop("env", {}), TMPDIR=tmp)
        r = t.run(*args, cwd=d, env=env, **kw)
        check(not os.listdir(tmp), "left in TMPDIR: %r" % os.listdir(tmp))
        return r

    def ok(r, what=""):
        check(r.code == 0 and r.sbom is not None,
              "%s: exit %d: %s" % (what, r.code, r.err.decode()[-800:]))
        return r.sbom

    def all_locations(s):
        return sorted(x for c in h.comps(s) for x in h.locations(c))

    def verbose_count(r):
        """-v's count of the paths excluded, or None when not said."""
        m = re.search(rb"\b([0-9,]+) paths? excluded\b", r.err)
        return int(m.group(1).replace(b",", b"")) if m else None

    def traced(t, log):
        """strace's prefix: every open, its directory descriptor shown as
        its path (-y), into log."""
        strace = shutil.which("strace")
        if not strace:
            raise h.Failure("strace is not installed")
        # LeakSanitizer cannot run under ptrace (a fatal error, exit 1, in
        # make check's ASan/UBSan pass): leaks are checked by the same
        # cases' other runs and by valgrind, not in the traced one.
        given = os.environ.get("ASAN_OPTIONS")
        asan = (given + ":" if given else "") + "detect_leaks=0"
        return (strace, "-f", "-qq", "-y", "-o", log,
                "-E", "ASAN_OPTIONS=" + asan,
                "-e", "trace=open,openat,openat2,creat")

    def opened(log, *what):
        """The lines of the strace log that open something one of what
        names: a path, or a directory descriptor's path and a name
        ('pkg>, "tests"')."""
        with open(log) as f:
            return [line for line in f if any(w in line for w in what)]

    def tree_with_tests(d):
        """dist/pkg: a program needing a library of its own, and tests/
        holding what a scan warns about: ELF files cut short, a FIFO named
        like a library, one more below."""
        b = A.Build(os.path.join(d, "scratch"))
        pkg = os.path.join(d, "dist", "pkg")
        A.put(os.path.join(pkg, "lib", "libkeep.so.1"), b.lib("libkeep.so.1"))
        A.put(os.path.join(pkg, "bin", "prog"),
              b.exe("prog", needed=["libkeep.so.1"], runpath="$ORIGIN/../lib"))
        os.chmod(os.path.join(pkg, "bin", "prog"), 0o755)
        A.put(os.path.join(pkg, "tests", "libbroken.so.1"), broken_elf("b"))
        A.put(os.path.join(pkg, "tests", "deep", "libcut.so.2"),
              broken_elf("c"))
        os.mkfifo(os.path.join(pkg, "tests", "libfifo.so.1"))
        return pkg

    @case
    def exclude_tree_tests_pruned_unopened(t):
        """A PATH's tests/ excluded, by its path as given and by
        "**/tests/**": none of its files is in the SBOM or warned about,
        and nothing under it is opened (strace), the directory not even
        listed; a FIFO given as a PATH and excluded is not said either. -v
        counts the two paths left out (the directory, pruned whole, and
        the FIFO) and names the pattern that matched nothing."""
        d = new_dir(t, "tree")
        tree_with_tests(d)
        tests = ("dist/pkg/tests", 'dist/pkg>, "tests"')
        fifo = "dist/pkg/tests/libfifo.so.1"
        r = run(t, d, "dist/pkg", fifo)
        s = ok(r, "without --exclude")
        said = "\n".join(r.warnings())
        check("dist/pkg/tests/libbroken.so.1" in said and
              "dist/pkg/tests/deep/libcut.so.2" in said and
              "'%s': a FIFO, not scanned" % fifo in said, said)
        check(any("/tests/" in x for x in all_locations(s)),
              all_locations(s))
        for pattern in ("dist/pkg/tests/**", "**/tests/**", "./dist/pkg/tests"):
            log = os.path.join(d, "strace.log")
            r = run(t, d, "-v", "--exclude", pattern, "--exclude",
                    "nothing/**", "dist/pkg", fifo, prefix=traced(t, log))
            s = ok(r, pattern)
            check(r.warnings() == [], "%s: %r" % (pattern, r.warnings()))
            mine = [x for x in all_locations(s) if x.startswith("dist/")]
            check(mine == ["dist/pkg/bin/prog", "dist/pkg/lib/libkeep.so.1"],
                  "%s: %r" % (pattern, mine))
            check(verbose_count(r) == 2, "%s: %s" % (pattern, r.err))
            check(b"--exclude 'nothing/**' matched nothing" in r.err and
                  b"'%s' matched nothing" % pattern.encode() not in r.err,
                  r.err)
            check(not opened(log, *tests), "%s: opened under tests/: %r"
                  % (pattern, opened(log, *tests)[:5]))
            check(opened(log, "dist/pkg/lib/libkeep.so.1",
                         'lib>, "libkeep.so.1"'),
                  "the trace shows no open of the library walked")

    @case
    def exclude_root_usr_share_doc(t):
        """--root: patterns are paths inside the root. /usr/share/doc/**
        leaves out its files (one cut short, one a program), the program
        and its library stay; "usr/share/doc/**" (relative) matches no
        path of a root, and -v says so. A PATH under an excluded
        directory is left out too, not said missing nor scanned: the SBOM
        is empty, the run is not a failure."""
        d = new_dir(t, "root")
        root = os.path.join(d, "rootfs")
        h.put_elf(root, "usr/bin/app", etype=elfgen.ET_EXEC,
                  needed=["libfoo.so.1"],
                  interp="/lib64/ld-linux-x86-64.so.2")
        h.put_elf(root, LIB + "/libfoo.so.1", soname="libfoo.so.1")
        h.put_file(root, "usr/share/doc/pkg/libcut.so.1", broken_elf("d"))
        h.put_elf(root, "usr/share/doc/pkg/examples/demo",
                  etype=elfgen.ET_EXEC)
        r = run(t, d, "--root", root)
        s = ok(r, "without --exclude")
        check(any(x.startswith("/usr/share/doc/") for x in all_locations(s)),
              all_locations(s))
        check([w for w in r.warnings() if "/usr/share/doc/" in w],
              r.warnings())
        r = run(t, d, "-v", "--root", root, "--exclude", "/usr/share/doc/**",
                "--exclude", "usr/share/doc/**")
        s = ok(r, "excluded")
        check(r.warnings() == [], r.warnings())
        check(not [x for x in all_locations(s) if "/usr/share/doc" in x],
              all_locations(s))
        check(h.need_found(s, "app", "libfoo.so.1")[0] ==
              ["/" + LIB + "/libfoo.so.1"], "libfoo not found")
        check(verbose_count(r) == 1, r.err)
        check(b"--exclude 'usr/share/doc/**' matched nothing" in r.err, r.err)
        r = run(t, d, "-v", "--root", root, "--exclude", "/usr/share/doc/",
                os.path.join(root, "usr/share/doc/pkg/libcut.so.1"))
        s = ok(r, "a PATH excluded")
        check(r.warnings() == [] and not h.comps(s), r.err)
        check(verbose_count(r) == 1, r.err)

    @case
    def exclude_artifact_not_read(t):
        """An artifact matched is not read, nor opened (strace): given as a
        PATH (matched as given) or met in a directory walked. Here a wheel
        cut in half, which read is a warning."""
        d = new_dir(t, "artifact")
        b = A.Build(os.path.join(d, "scratch"))
        whl = A.wheel_name("cut", "1.0")
        data = A.wheel_bytes("cut", "1.0", [
            ("cut/_c.cpython-311-x86_64-linux-gnu.so",
             b.lib("_c.cpython-311-x86_64-linux-gnu.so"), 0o755)])
        A.put(os.path.join(d, "dist", whl), data[:len(data) // 2])
        A.put(os.path.join(d, "dist", "lib", "libkeep.so.1"),
              b.lib("libkeep.so.1"))
        r = run(t, d, "dist")
        ok(r, "without --exclude")
        check([w for w in r.warnings() if whl in w], r.warnings())
        for args in (["dist"], ["dist", "dist/" + whl]):
            log = os.path.join(d, "strace.log")
            r = run(t, d, "--exclude", "**/*.whl", *args,
                    prefix=traced(t, log))
            s = ok(r, " ".join(args))
            check(r.warnings() == [], r.warnings())
            check([x for x in all_locations(s) if x.startswith("dist/")] ==
                  ["dist/lib/libkeep.so.1"], all_locations(s))
            check(not opened(log, whl), opened(log, whl)[:3])

    def wheel_with_tests(out, b):
        """A wheel whose x/tests/ holds an extension, an ELF file cut
        short and a zip of 2 MiB (a nested archive, read as an artifact:
        stored, incompressible)."""
        noise = random.Random(7).randbytes(2 << 20)
        inner = A.zip_bytes([("blob.bin", noise, 0o644),
                             ("libinner.so.1", good_elf("libinner.so.1"),
                              0o755)], stored=True)
        name = A.wheel_name("xpkg", "1.0")
        A.put(os.path.join(out, name), A.wheel_bytes("xpkg", "1.0", [
            ("x/__init__.py", b"", 0o644),
            ("x/_core.cpython-311-x86_64-linux-gnu.so",
             b.lib("_core.cpython-311-x86_64-linux-gnu.so"), 0o755),
            ("x/tests/_t.cpython-311-x86_64-linux-gnu.so",
             b.lib("_t.cpython-311-x86_64-linux-gnu.so"), 0o755),
            ("x/tests/libcut.so.1", broken_elf("w"), 0o755),
            ("x/tests/data.zip", inner, 0o644)]))
        return name

    @case
    def exclude_wheel_and_deb_entries(t):
        """Inside artifacts, a pattern is matched against the location:
        "**/tests/**" leaves out a wheel's x/tests/ entries (no component,
        no warning for the one cut short, the nested zip not read) and
        "**/usr/share/doc/**" a .deb's documentation program. The zip of
        2 MiB under tests/ is not even extracted: with --max-unpacked 1M
        the wheel unpacks to less than the cap, where it does not
        without the pattern."""
        d = new_dir(t, "artifacts")
        dist = os.path.join(d, "dist")
        b = A.Build(os.path.join(d, "scratch"))
        whl = wheel_with_tests(dist, b)
        deb = A.dpkg_deb(dist, os.path.join(d, "scratch"), "libdemo3", "2.0-1", [
            ("/" + LIB + "/libdemo.so.3", b.lib("libdemo.so.3"), 0o644),
            ("/usr/share/doc/libdemo3/examples/demo",
             b.exe("demo", needed=["libdemo.so.3"]), 0o755)])
        r = run(t, d, "dist")
        s = ok(r, "without --exclude")
        locs = all_locations(s)
        check("dist/%s!/x/tests/data.zip" % whl in locs and
              "dist/%s!/usr/share/doc/libdemo3/examples/demo" % deb in locs,
              locs)
        check([w for w in r.warnings() if "x/tests/libcut.so.1" in w],
              r.warnings())
        r = run(t, d, "-v", "--exclude", "**/tests/**", "--exclude",
                "**/usr/share/doc/**", "dist")
        s = ok(r, "excluded")
        check(r.warnings() == [], r.warnings())
        locs = all_locations(s)
        check(not [x for x in locs if "/tests/" in x or "/doc/" in x], locs)
        check("dist/%s!/x/_core.cpython-311-x86_64-linux-gnu.so" % whl in locs
              and "dist/%s!/%s/libdemo.so.3" % (deb, LIB) in locs, locs)
        # The wheel: its three tests/ entries; the .deb: the
        # documentation's directories and file.
        check(verbose_count(r) is not None and verbose_count(r) >= 4, r.err)
        capped = [w for w in run(t, d, "--max-unpacked", "1M", "dist")
                  .warnings() if "unpacks to more than" in w]
        check(capped, "the fixture does not reach the cap")
        r = run(t, d, "--max-unpacked", "1M", "--exclude", "**/tests/**",
                "dist")
        ok(r, "capped, excluded")
        check(r.warnings() == [], r.warnings())

    @case
    def exclude_library_still_found(t):
        """An excluded library a scanned file needs is found all the same,
        where the loader finds it, and is that file's dependency: a tree's
        lib/ (RUNPATH $ORIGIN/../lib), a wheel's vendored pkg.libs/ (as
        auditwheel leaves it), --strict satisfied. It is no input: the
        target does not list it, as it lists the files walked. The
        wheel's is shown by its location in the wheel, as a file walked
        there would be."""
        d = new_dir(t, "found")
        b = A.Build(os.path.join(d, "scratch"))
        A.put(os.path.join(d, "app", "lib", "libdep.so.1"), b.lib("libdep.so.1"))
        A.put(os.path.join(d, "app", "bin", "prog"),
              b.exe("prog", needed=["libdep.so.1"], runpath="$ORIGIN/../lib"))
        w = A.wheel_vendored(os.path.join(d, "dist"), b)

        def target_refs(s):
            ref = s["metadata"]["component"]["bom-ref"]
            return [x for e in s["dependencies"] if e["ref"] == ref
                    for x in e.get("dependsOn", [])]

        r = run(t, d, "--strict", "--exclude", "app/lib/**", "app")
        s = ok(r, "tree")
        check(h.need_found(s, "prog", "libdep.so.1") ==
              (["app/lib/libdep.so.1"], "runpath"),
              h.need_found(s, "prog", "libdep.so.1"))
        dep = h.by_name(s, "libdep.so.1")
        check(dep["bom-ref"] not in target_refs(s) and
              h.by_name(s, "prog")["bom-ref"] in target_refs(s),
              target_refs(s))
        r = run(t, d, "--strict", "--exclude", "**/pkg.libs/**",
                "dist/" + w["file"])
        s = ok(r, "wheel")
        lib = "dist/%s!/%s" % (w["file"], w["elf"]["lib"])
        ext = [c for c in h.comps(s) if "dist/%s!/%s" % (w["file"], w["elf"]["ext"])
               in h.locations(c)]
        check(len(ext) == 1, all_locations(s))
        found = [c for c in h.comps(s) if lib in h.locations(c)]
        check(len(found) == 1 and
              h.props(found[0], "bindep:resolved-via") == ["runpath"],
              all_locations(s))
        # Shown by its location, never by the private tree's path.
        check(b"/.bindep-sbom/" not in r.raw, "the private tree shows")
        check(found[0]["bom-ref"] in [x for e in s["dependencies"]
                                      if e["ref"] == ext[0]["bom-ref"]
                                      for x in e.get("dependsOn", [])],
              "the extension does not depend on the vendored library")

    @case
    def exclude_image_paths(t):
        """An image: patterns are paths inside it. /opt/** and
        /usr/share/doc/** leave out what is there (a library, a file cut
        short); an excluded /usr/lib/** still gives the program its
        library, where the loader finds it."""
        d = new_dir(t, "image")
        app = good_elf(None, etype=elfgen.ET_EXEC, needed=["libfoo.so.1"])
        layer = [("usr/", "d", None), ("usr/bin/", "d", None),
                 ("usr/bin/app", "f", app), ("usr/lib/", "d", None),
                 (LIB + "/", "d", None),
                 (LIB + "/libfoo.so.1", "f", good_elf("libfoo.so.1")),
                 ("opt/", "d", None), ("opt/tests/", "d", None),
                 ("opt/tests/libt.so.1", "f", good_elf("libt.so.1")),
                 ("usr/share/", "d", None), ("usr/share/doc/", "d", None),
                 ("usr/share/doc/libcut.so.1", "f", broken_elf("i"))]
        files = {}
        F.layout(files, [(F.tar(layer), True)], "1.0")
        img = os.path.join(d, "img")
        F.write_dir(img, files)
        s = ok(run(t, d, "img"), "without --exclude")
        check("/opt/tests/libt.so.1" in all_locations(s), all_locations(s))
        r = run(t, d, "--exclude", "/opt/**", "--exclude",
                "/usr/share/doc/**", "img")
        s = ok(r, "excluded")
        check(r.warnings() == [], r.warnings())
        check(all_locations(s) == ["/usr/bin/app", "/" + LIB + "/libfoo.so.1"],
              all_locations(s))
        s = ok(run(t, d, "--exclude", "/usr/lib/**", "img"), "lib excluded")
        check(h.need_found(s, "app", "libfoo.so.1")[0] ==
              ["/" + LIB + "/libfoo.so.1"], all_locations(s))

    @case
    def exclude_recorded_in_every_format(t):
        """The SBOM says its scope: each pattern, in the order given, as
        bindep:exclude on the described target (CycloneDX 1.6 and 1.7
        metadata.component's properties, an SPDX 2.3 annotation of the
        target, an SPDX 3 extension property), every document valid (the
        run validates each). The excluded empty.so is then not warned
        about. Without --exclude, no such property."""
        pats = ["dist/lib/empty.so", "**/*.txt"]
        args = [a for p in pats for a in ("--exclude", p)]
        plain = ok(t.run("dist/lib", cwd=t.work))
        check(not h.props(plain["metadata"]["component"], "bindep:exclude"),
              plain["metadata"]["component"])
        for version in ("1.6", "1.7"):
            r = t.run("--spec-version", version, *args, "dist/lib",
                      cwd=t.work)
            s = ok(r, version)
            check(h.props(s["metadata"]["component"], "bindep:exclude")
                  == pats, s["metadata"]["component"])
            check(not [w for w in r.warnings() if "empty.so" in w],
                  r.warnings())
        s = ok(t.run("--format", "spdx", *args, "dist/lib", cwd=t.work))
        tp = [p for p in s["packages"] if p["SPDXID"] == "SPDXRef-Target"][0]
        notes = [a["comment"] for a in tp.get("annotations", [])]
        check(notes == ["bindep:exclude=" + p for p in pats], notes)
        s = ok(t.run("--format", "spdx3", *args, "dist/lib", cwd=t.work))
        target = [e for e in s["@graph"]
                  if e.get("spdxId", "").endswith("SPDXRef-Target")][0]
        ext = [(p["extension_cdxPropName"], p["extension_cdxPropValue"])
               for x in target.get("extension", [])
               for p in x.get("extension_cdxProperty", [])]
        check(ext == [("bindep:exclude", p) for p in pats], ext)

    @case
    def exclude_said_in_text_and_summary(t):
        """The text view and the summary say what the run left out, as
        the other formats record it: each pattern, in the order given,
        escaped for the terminal (a pattern holding an ESC shows
        "\\x1b"), the text view a line each before its closing count, the
        summary one closing line. Without --exclude, neither says it."""
        pats = ["dist/lib/empty.so", "**/*.txt", "x\x1b]0;t\x07, y"]
        args = [a for p in pats for a in ("--exclude", p)]
        for fmt in ("text", "summary"):
            plain = t.run("--format", fmt, "dist/lib", cwd=t.work)
            check(plain.code == 0 and b"excluded" not in plain.raw,
                  plain.raw.decode())
        r = t.run("--format", "text", *args, "dist/lib", cwd=t.work)
        check(r.code == 0, r.err.decode()[-800:])
        text = r.raw.decode()
        said = "excluded: dist/lib/empty.so\nexcluded: **/*.txt\n" \
               "excluded: x\\x1b]0;t\\x07, y\n\n"
        check(said in text and text.index(said) + len(said) ==
              text.rindex("\n", 0, len(text) - 1) + 1, text)
        r = t.run("--format", "summary", *args, "dist/lib", cwd=t.work)
        check(r.code == 0, r.err.decode()[-800:])
        summary = r.raw.decode()
        check(summary.endswith(
            "\nexcluded      3: dist/lib/empty.so, **/*.txt, "
            "x\\x1b]0;t\\x07, y\n"), summary)
        check("\x1b" not in text + summary and "\x07" not in text + summary,
              "escaped")

    @case
    def exclude_usage_errors(t):
        """An empty pattern, one longer than PATH_MAX and one whose '['
        is not closed are usage errors (exit 2, no SBOM); a pattern that
        matches nothing is no error and no warning."""
        for pattern, said in (("", "empty"), ("a" * 4097, "longer than"),
                              ("lib[0-9.so", "'['"), ("x\\", "lone")):
            out = os.path.join(t.work, "exclude-usage.json")
            if os.path.exists(out):
                os.remove(out)
            r = t.run("-o", out, "--exclude", pattern, "dist/lib",
                      cwd=t.work, validate_sbom=False)
            err = r.err.decode()
            check(r.code == 2 and "usage:" in err and said in err and
                  not os.path.exists(out),
                  "%r: exit %d: %s" % (pattern[:20], r.code, err))
        r = t.run("--exclude", "no/such/**", "dist/lib", cwd=t.work)
        ok(r, "a pattern matching nothing")
        check(not [w for w in r.warnings() if "exclude" in w], r.warnings())

    @case
    def exclude_link_to_directory_given(t):
        """A PATH that is a link to a directory is walked as the directory
        it names, its files shown below it (t/link/libr.so): a pattern of
        a directory ("t/link/") leaves it out as it does the directory
        itself, where the link's own lstat, no directory, let it through.
        Under --root the same, the link followed inside the root (an
        absolute link to /etc is the root's /etc, never the host's)."""
        d = new_dir(t, "link")
        h.put_elf(d, "t/real/libr.so", "libr.so")
        os.symlink("real", os.path.join(d, "t", "link"))
        h.put_elf(d, "root/opt/real/libo.so", "libo.so")
        os.symlink("/opt/real", os.path.join(d, "root", "opt", "link"))
        s = ok(run(t, d, "t/link"), "without --exclude")
        check(all_locations(s) == ["t/link/libr.so"], all_locations(s))
        for pattern in ("t/link/", "t/link", "**/link/"):
            r = run(t, d, "-v", "--exclude", pattern, "t/link")
            s = ok(r, pattern)
            check(all_locations(s) == [], (pattern, all_locations(s)))
            check(verbose_count(r) == 1, (pattern, r.err.decode()[-300:]))
        s = ok(run(t, d, "--root", "root", "root/opt/link"), "root")
        check(all_locations(s) == ["/opt/link/libo.so"], all_locations(s))
        r = run(t, d, "--exclude", "/opt/link/", "--root", "root",
                "root/opt/link")
        s = ok(r, "root, excluded")
        check(all_locations(s) == [], all_locations(s))
        # A pattern of a directory is not one of a file: the link to a
        # file given stays.
        os.symlink("real/libr.so", os.path.join(d, "t", "flink.so"))
        s = ok(run(t, d, "--exclude", "t/flink.so/", "t/flink.so"), "file")
        check(all_locations(s) == ["t/flink.so"], all_locations(s))

    def tree_with_links_to_tests(d):
        """t/: bin/app (runpath $ORIGIN/../lib) needing libt.so; lib/libt.so
        and lib/libu.so, links to tests/libt.so and tests/libu.so; nothing
        needs libu.so. The same as a tarball, rel.tar, and in a root at
        /opt/t."""
        files = [("tests/libt.so", good_elf("libt.so")),
                 ("tests/libu.so", good_elf("libu.so")),
                 ("bin/app", good_elf(None, etype=elfgen.ET_EXEC,
                                      needed=["libt.so"],
                                      runpath="$ORIGIN/../lib"))]
        links = [("lib/libt.so", "../tests/libt.so"),
                 ("lib/libu.so", "../tests/libu.so")]
        for top in ("t", "root/opt/t"):
            for name, data in files:
                A.put(os.path.join(d, top, name), data)
            for name, target in links:
                os.makedirs(os.path.join(d, top, "lib"), exist_ok=True)
                os.symlink(target, os.path.join(d, top, name))
        F.write(os.path.join(d, "rel.tar"), F.tar(
            [(n, "f", data) for n, data in files] +
            [(n, "l", target) for n, target in links]))

    @case
    def exclude_link_to_an_excluded_file(t):
        """A link that no pattern matches, to a file one does: the link
        leads to what was left out, and is no input either, in a
        directory walked, under --root and inside an artifact alike, as
        syft's index (which never holds the excluded file) and trivy
        (which follows no link) leave it out. lib/libu.so, which nothing
        needs, is not in the SBOM (a directory listed it, read through
        the link, where the tarball did not). lib/libt.so, which app's
        runpath finds, is app's dependency all the same, found where the
        loader finds it: through the link, the file behind it named too,
        in all three; no input of the target. The link given as a PATH is
        taken as asked, and leads to nothing scanned."""
        d = new_dir(t, "link-to-excluded")
        tree_with_links_to_tests(d)

        def target_refs(s):
            ref = s["metadata"]["component"]["bom-ref"]
            return [x for e in s["dependencies"] if e["ref"] == ref
                    for x in e.get("dependsOn", [])]

        for tag, args, top in (("directory", ["t"], "t/"),
                               ("artifact", ["rel.tar"], "rel.tar!/"),
                               ("root", ["--root", "root"], "/opt/t/")):
            # The SBOMs' schemas are checked by the other cases.
            s = ok(run(t, d, *args, validate_sbom=False),
                   tag + " without --exclude")
            locs = all_locations(s)
            check(top + "lib/libu.so" in locs and top + "tests/libu.so" in
                  locs, (tag, locs))
            r = run(t, d, "--exclude", "**/tests/**", *args,
                    validate_sbom=False)
            s = ok(r, tag)
            check(r.warnings() == [], (tag, r.warnings()))
            locs = all_locations(s)
            check(not [x for x in locs if "libu.so" in x], (tag, locs))
            check(h.need_found(s, "app", "libt.so") ==
                  ([top + "lib/libt.so", top + "tests/libt.so"], "runpath"),
                  (tag, h.need_found(s, "app", "libt.so")))
            refs = target_refs(s)
            check(h.by_name(s, "libt.so")["bom-ref"] not in refs and
                  (tag == "artifact" or
                   h.by_name(s, "app")["bom-ref"] in refs), (tag, refs))
        # The link given as a PATH: taken as asked, leading to nothing.
        for args in (["t/lib/libu.so"], ["--root", "root",
                                         "root/opt/t/lib/libu.so"]):
            r = run(t, d, "-v", "--exclude", "**/tests/**", *args,
                    validate_sbom=False)
            s = ok(r, " ".join(args))
            check(all_locations(s) == [] and r.warnings() == [],
                  (args, all_locations(s), r.warnings()))
            check(verbose_count(r) == 1, (args, r.err.decode()[-300:]))
