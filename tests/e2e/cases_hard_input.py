"""End-to-end cases from the adversarial review of the artifact input stage
(issue 12, points 2, 3 and 7); registered by run.py.

Every hostile artifact is written here at test time (zipfile, tarfile and
an ar writer for .deb files): a symlink chain that leaves the private
directory through a link to "..", a package that plants files in another
artifact's tree, a refused entry of one package that would name another
package's file, artifacts with --root, a walked directory holding the
private directory, many artifacts with 4 MiB manifests, a kill of the
whole process group mid-extraction, and a second image among the PATHs.
"""
import glob
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time

import archive_fixtures as AF
import zipfile

RUN_TIMEOUT = 300  # seconds
WRAPPED_TIMEOUT = 1200  # under valgrind

# An open in an `strace -y` log: its directory descriptor, with the path
# strace gives it, and the path opened from there.
OPEN_RE = re.compile(
    r'\bopen(?:at)?\((?:(?:AT_FDCWD|\d+)(?:<([^>]*)>)?, )?"((?:[^"\\]|\\.)*)"')


def opened_paths(log):
    """(path, line) for each open in an `strace -y` log. A file opened
    by its name in a directory kept open (openat(fd, "name")) is named by
    that directory's path, which strace gives, and the name."""
    out = []
    with open(log) as f:
        for line in f:
            m = OPEN_RE.search(line)
            if not m:
                continue
            where, path = m.group(1), m.group(2)
            if where and not path.startswith("/"):
                path = os.path.join(where, path)
            out.append((path, line))
    return out


def register(case, h):
    def new_dir(t, name):
        return h.fresh_dir(t, "hard-input", name)

    def elf(soname, **kw):
        return h.elfgen.build(soname=soname, **kw)[0]

    def run(t, *args, env=None, bare=False, cwd=None):
        """The tool (-o into the work directory), bounded in time; the
        SBOM is validated by the caller when it matters."""
        t.count += 1
        out = os.path.join(t.work, "input-%d.json" % t.count)
        if os.path.exists(out):
            os.unlink(out)
        full_env = dict(os.environ, SOURCE_DATE_EPOCH=h.SDE_DEFAULT)
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        wrapper = [] if bare else t.wrapper
        cmd = wrapper + [t.binary, "-o", out] + list(args)
        limit = WRAPPED_TIMEOUT if wrapper else RUN_TIMEOUT
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=limit,
                                  cwd=cwd or t.work, env=full_env)
        except subprocess.TimeoutExpired:
            raise h.Failure("no result within %d s" % limit)
        if wrapper:
            h.check(proc.returncode != 99,
                    "valgrind found errors:\n" + proc.stderr.decode())
        return h.Result(proc, out)

    def wheel(path, name, files, version="1.0"):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("%s-%s.dist-info/METADATA" % (name, version),
                       "Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
                       % (name, version))
            for n, data in files:
                z.writestr(n, data)
        return path

    def tar_bytes(entries, mode="w:gz"):
        """entries: (name, kind, payload): kind "file" (bytes), "dir",
        "symlink" (target)."""
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode=mode) as t:
            for name, kind, payload in entries:
                ti = tarfile.TarInfo(name)
                ti.mode = 0o755
                if kind == "dir":
                    ti.type = tarfile.DIRTYPE
                    t.addfile(ti)
                elif kind == "symlink":
                    ti.type, ti.linkname = tarfile.SYMTYPE, payload
                    t.addfile(ti)
                else:
                    ti.size = len(payload)
                    t.addfile(ti, io.BytesIO(payload))
        return buf.getvalue()

    def deb(path, package, data_entries):
        control = ("Package: %s\nVersion: 1.0\nArchitecture: amd64\n"
                   "Maintainer: t <t@t>\nDescription: d\n" % package).encode()
        with open(path, "wb") as f:
            f.write(AF.ar_bytes([
                ("debian-binary", b"2.0\n"),
                ("control.tar.gz",
                 tar_bytes([("./control", "file", control)])),
                ("data.tar.gz", tar_bytes(data_entries)),
            ]))
        return path

    def by_soname(sbom, soname):
        return [c for c in h.comps(sbom)
                if soname in h.props(c, "bindep:soname")]

    def all_locations(sbom):
        return [loc for c in h.comps(sbom) for loc in h.locations(c)]

    # ---- 1. artifacts with --root: their files are scanned ------------------

    @case
    def input_artifact_under_root(t):
        """--root R with a wheel: the wheel's extension is read from the
        private directory (not refused as "outside the root") and its
        library resolves in R."""
        d = new_dir(t, "under-root")
        root = os.path.join(d, "root")
        h.put_elf(root, "/usr/lib/libdep.so.1", "libdep.so.1")
        h.put_file(root, "/etc/ld.so.conf", "/usr/lib\n")
        whl = wheel(os.path.join(d, "w-1.0-py3-none-any.whl"), "w",
                    [("w/_x.so", elf("_x.so", needed=["libdep.so.1"]))])
        r = run(t, "--root", root, whl)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        h.check(not any("outside the root" in w for w in r.warnings()),
                "an artifact's file is refused: %s" % r.warnings())
        x = by_soname(r.sbom, "_x.so")
        h.check(len(x) == 1, "the extension is listed once: %d" % len(x))
        h.check(h.locations(x[0]) == [whl + "!/w/_x.so"],
                "located in the wheel: %s" % h.locations(x[0]))
        dep = by_soname(r.sbom, "libdep.so.1")
        h.check(len(dep) == 1 and h.depends(r.sbom, x[0]) == ["libdep.so.1"],
                "the extension needs R's libdep: %s" % h.depends(r.sbom, x[0]))
        h.check(h.locations(dep[0]) == ["/usr/lib/libdep.so.1"],
                "libdep is R's: %s" % h.locations(dep[0]))

    # ---- 2. no link leads out of the private directory ---------------------

    def escaping_chain(outside):
        """A relative target that stays inside the archive when read
        lexically ("d/up/" adds two levels, "../" takes one), and leaves it
        on the host, where d/up is "..": 30 levels up (to "/" from the
        private directory under the work directory), then outside. The
        kernel follows 40 links in one lookup: these are 16."""
        return "d/up/" * 15 + "../" * 30 + outside.lstrip("/")

    @case
    def input_symlink_chain_stays_private(t):
        """A tarball whose "lib" is a chain of links through "d/up -> .."
        to a host directory, then an ELF file and a wheel below "lib"
        (refused: their parent is a symlink): the host's files are never
        read as the artifact's, neither scanned nor read as nested."""
        d = new_dir(t, "chain")
        outside = os.path.join(d, "outside")
        h.put_elf(outside, "/libcanary.so", "libcanary.so")
        wheel(os.path.join(outside, "inner.whl"), "inner",
              [("inner/_c.so", elf("libcanary2.so"))])
        data = tar_bytes([
            ("d", "dir", None),
            ("d/up", "symlink", ".."),
            ("lib", "symlink", escaping_chain(outside)),
            ("lib/libcanary.so", "file", elf("libinside.so")),
            ("lib/inner.whl", "file",
             open(os.path.join(outside, "inner.whl"), "rb").read()),
        ])
        rel = h.put_file(d, "rel-1.0.tar.gz", data)
        tmp = os.path.join(d, "tmp")
        os.makedirs(tmp)
        r = run(t, rel, env={"TMPDIR": tmp})
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        for soname in ("libcanary.so", "libcanary2.so", "libinside.so"):
            h.check(not by_soname(r.sbom, soname),
                    "%s is in the SBOM: %s" % (soname, all_locations(r.sbom)))
        h.check(any("a parent is a symlink" in w for w in r.warnings()),
                "the refused entries are warned about: %s" % r.warnings())
        h.check(not any("inner" in loc for loc in all_locations(r.sbom)),
                "a host wheel is read as nested: %s" % all_locations(r.sbom))

    @case
    def input_refused_entry_not_listed(t):
        """Two packages given together: b's usr/lib is a symlink, so its
        usr/lib/libq.so.1 is refused; a's libq.so.1, at the same installed
        path, is a's alone and never named b's."""
        d = new_dir(t, "refused")
        a = deb(os.path.join(d, "a_1.0_amd64.deb"), "a", [
            ("./usr/lib/libq.so.1", "file", elf("libq.so.1")),
        ])
        b = deb(os.path.join(d, "b_1.0_amd64.deb"), "b", [
            ("./opt", "dir", None),
            ("./usr", "dir", None),
            ("./usr/lib", "symlink", "../opt"),
            ("./usr/lib/libq.so.1", "file", elf("libq.so.1", needed=["x"])),
        ])
        r = run(t, a, b)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        q = by_soname(r.sbom, "libq.so.1")
        h.check(len(q) == 1, "one libq: %d" % len(q))
        h.check(h.locations(q[0]) == [a + "!/usr/lib/libq.so.1"],
                "libq is a's only: %s" % h.locations(q[0]))
        h.check(q[0].get("purl", "").startswith("pkg:deb/debian/a@"),
                "libq is a's package's: %s" % q[0].get("purl"))

    # ---- 3. a package cannot plant files in another artifact ---------------

    @case
    def input_package_cannot_plant(t):
        """A .deb holding .bindep-sbom/tree/1/w/_x.so (where the next
        artifact, a wheel, is streamed) and .bindep-sbom/site-packages/
        w/_y.so: the wheel's files stay the wheel's own bytes."""
        d = new_dir(t, "plant")
        real = elf("_x.so", needed=["libc.so.6"])
        evil = deb(os.path.join(d, "evil_1.0_amd64.deb"), "evil", [
            ("./.bindep-sbom/tree/1/w/_x.so", "file", elf("EVIL.so")),
            ("./.bindep-sbom/site-packages/w/_y.so", "file",
             elf("EVIL2.so")),
        ])
        whl = wheel(os.path.join(d, "w-1.0-py3-none-any.whl"), "w",
                    [("w/_x.so", real)])
        r = run(t, evil, whl)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        h.check(not any("duplicate entry" in w for w in r.warnings()),
                "the wheel's own entry is refused: %s" % r.warnings())
        x = [c for c in h.comps(r.sbom)
             if any(loc.endswith("w-1.0-py3-none-any.whl!/w/_x.so")
                    for loc in h.locations(c))]
        h.check(len(x) == 1, "the wheel's _x.so: %d" % len(x))
        want = hashlib.sha256(real).hexdigest()
        got = [hh["content"] for hh in x[0].get("hashes", [])
               if hh["alg"] == "SHA-256"]
        h.check(got == [want], "the wheel's _x.so has its own bytes: %s, "
                "soname %s" % (got, h.props(x[0], "bindep:soname")))
        for c in by_soname(r.sbom, "EVIL2.so") + by_soname(r.sbom, "EVIL.so"):
            h.check(all("evil_1.0_amd64.deb!" in loc
                        for loc in h.locations(c)),
                    "a planted file is named another's: %s"
                    % h.locations(c))

    @case
    def input_package_absolute_link_stays_inside(t):
        """A .deb's absolute link (into /etc/alternatives, as Debian's
        alternatives do) is kept, without a warning, and resolves to the
        package's own file, never to the host's: the program of a second
        .deb needs the library through it."""
        d = new_dir(t, "abslink")
        lib = elf("libalt.so.1")
        pkg = deb(os.path.join(d, "alt_1.0_amd64.deb"), "alt", [
            ("./etc/alternatives/libalt.so.1", "file", lib),
            ("./usr/lib/x86_64-linux-gnu/libalt.so.1", "symlink",
             "/etc/alternatives/libalt.so.1"),
        ])
        app = deb(os.path.join(d, "app_1.0_amd64.deb"), "app", [
            ("./usr/bin/altapp", "file", elf("altapp",
                                             needed=["libalt.so.1"])),
        ])
        r = run(t, pkg, app)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        h.check(not r.warnings(), "warnings: %s" % r.warnings())
        c = by_soname(r.sbom, "libalt.so.1")
        h.check(len(c) == 1, "libalt.so.1: %d components" % len(c))
        locs = h.locations(c[0])
        h.check(all(loc.startswith(pkg + "!/") for loc in locs) and
                pkg + "!/usr/lib/x86_64-linux-gnu/libalt.so.1" in locs,
                "the link and the file are the package's: %s" % locs)
        h.check(not [x for x in h.comps(r.sbom)
                     if x.get("name") == "libalt.so.1" and
                     x.get("bom-ref", "").startswith("soname:")],
                "the need is met")

    # ---- 4. the private directory is never walked --------------------------

    @case
    def input_private_dir_not_walked(t):
        """TMPDIR inside a walked directory: the private directory's files
        are not scanned again as plain files (nor its nested archives read
        again as walked artifacts)."""
        d = new_dir(t, "walked")
        tmp = os.path.join(d, "tmp")
        os.makedirs(tmp)
        inner = io.BytesIO()
        wheel(inner, "n", [("n/_n.so", elf("_n.so"))])
        rel = h.put_file(d, "rel-1.0.tar.gz", tar_bytes([
            ("wheels/n-1.0-py3-none-any.whl", "file", inner.getvalue()),
            ("bin/app", "file", elf(None, needed=["libc.so.6"])),
        ]))
        r = run(t, rel, tmp, env={"TMPDIR": tmp})
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        locs = all_locations(r.sbom)
        h.check(not any("bindep-sbom." in loc for loc in locs),
                "the private directory is walked: %s" % locs)
        n = by_soname(r.sbom, "_n.so")
        h.check(len(n) == 1 and len(h.locations(n[0])) == 1,
                "the nested wheel's file once: %s"
                % [h.locations(c) for c in n])
        arts = [c for c in h.comps(r.sbom)
                if h.props(c, "bindep:artifact-type")]
        h.check(len(arts) == 2, "two artifacts: %s"
                % [(c["name"], h.locations(c)) for c in arts])
        h.check(not os.listdir(tmp), "the private directory is left: %s"
                % os.listdir(tmp))

    @case
    def input_private_dir_walked_jobs_agree(t):
        """TMPDIR inside a walked directory, between two of its
        directories in the walk's order: the private directory's files,
        listed and read ahead of the walk by the other threads, are
        dropped from the walk before its files are prepared, so the later
        files move down the list. Each keeps what was read for it: the
        SBOM and the warnings of -j2 and -j4 are those of -j1 (which reads
        nothing ahead), and the files after the private directory are all
        there."""
        d = new_dir(t, "private-jobs")
        tmp = os.path.join(d, "mid")
        os.makedirs(tmp)
        h.put_elf(d, "aaa/libfirst.so.1", "libfirst.so.1")
        app = h.put_elf(d, "zzz/app", None, needed=["libz1.so.1"],
                        runpath="$ORIGIN")
        for i in range(1, 5):
            h.put_elf(d, "zzz/libz%d.so.1" % i, "libz%d.so.1" % i)
            h.put_file(d, "zzz/libtext%d.so" % i, b"not ELF\n")
        whl = wheel(os.path.join(t.work, "w-1.0-py3-none-any.whl"), "w",
                    [("w/_x%d.so" % i, elf("_x%d.so" % i))
                     for i in range(6)])
        got = {}
        for jobs in ("1", "2", "4"):
            r = run(t, "-j", jobs, whl, d, env={"TMPDIR": tmp})
            err = r.err.decode()
            h.check(r.code == 0, "-j%s: exit %d: %s"
                    % (jobs, r.code, err[-800:]))
            got[jobs] = (r.raw, err)
        h.check(any(app in loc for loc in all_locations(r.sbom)),
                "%s not in the SBOM" % app)
        h.check(got["1"][1].count("not an ELF file") == 4,
                "-j1: the four texts named like libraries: %s" % got["1"][1])
        for jobs in ("2", "4"):
            h.check(got[jobs][1] == got["1"][1], "-j%s warns otherwise:\n%s"
                    "\n-j1:\n%s" % (jobs, got[jobs][1], got["1"][1]))
            h.check(got[jobs][0] == got["1"][0],
                    "-j%s: another SBOM than -j1's" % jobs)
        # What was read ahead is found again under the new indices, not
        # read a second time: each file of the tree opened once.
        import shutil
        if not shutil.which("strace"):
            raise h.Failure("strace is not installed")
        log = os.path.join(t.work, "private-jobs.strace")
        traced = dict(os.environ, TMPDIR=tmp, SOURCE_DATE_EPOCH="1")
        traced["ASAN_OPTIONS"] = ":".join(
            o for o in (os.environ.get("ASAN_OPTIONS"), "detect_leaks=0") if o)
        proc = subprocess.run(
            ["strace", "-f", "-qq", "-y", "-e", "trace=open,openat", "-o",
             log, t.binary, "-j", "2", "-o",
             os.path.join(t.work, "private-jobs.json"), whl, d],
            capture_output=True, timeout=RUN_TIMEOUT, env=traced)
        h.check(proc.returncode == 0, proc.stderr.decode()[-600:])
        opens = opened_paths(log)
        for sub in ("aaa", "zzz"):
            for name in os.listdir(os.path.join(d, sub)):
                path = os.path.join(d, sub, name)
                hits = [line for p, line in opens if p == path]
                h.check(len(hits) == 1, "-j2: %s opened %d times:\n%s"
                        % (path, len(hits), "".join(hits)))

    @case
    def input_links_every_order_jobs_agree(t):
        """A tree whose inodes repeat in every order (issue 13: the files
        read ahead of the walk): symlinks before and after their targets,
        in the same directory and across directories more than a batch of
        the walk apart (BD_WALK_TELL_EVERY files), chains, several links
        to one file, hard links of three names in different directories,
        hard links of symlinks, links to wheels and tarballs, text and
        empty files named like libraries, dangling links, loops, FIFOs
        and sockets. -j1 reads nothing ahead: -j2 and -j4 give its SBOM
        and warnings, on the host and with --root (absolute links)."""
        import random
        import socket
        rng = random.Random(14)
        d = new_dir(t, "every-order")
        elfs = [elf("libe%d.so.1" % i, needed=["libe%d.so.1" % (i - 1)]
                    if i else []) for i in range(4)]
        whl = io.BytesIO()
        wheel(whl, "w", [("w/_w.so", elfs[0])])
        tgz = tar_bytes([("lib/libt.so.1", "file", elfs[1])])
        dirs = ["a", "m", "z"]
        files = []
        for i in range(240):
            r = rng.random()
            sub = rng.choice(dirs)
            if r < 0.3:
                name, data = "lib%d.so.%d" % (i, i % 3), rng.choice(elfs)
            elif r < 0.35:
                name, data = "w%d-1.0-py3-none-any.whl" % i, whl.getvalue()
            elif r < 0.4:
                name, data = "t%d.tar.gz" % i, tgz
            elif r < 0.5:
                name, data = "libtext%d.so.1" % i, b"not ELF\n"
            elif r < 0.55:
                name, data = "libempty%d.so" % i, b""
            else:
                name, data = "f%d.txt" % i, b"text %d\n" % i
            files.append(h.put_file(d, "%s/%s" % (sub, name), data))
        for i in range(200):
            target = rng.choice(files)
            p = os.path.join(d, rng.choice(dirs), rng.choice(
                ["0", "k", "y"]) + "ln%d" % i + rng.choice(["", ".so.1"]))
            r = rng.random()
            if r < 0.3:
                os.link(target, p, follow_symlinks=rng.random() < 0.7)
                files.append(p)
            elif r < 0.8:
                if rng.random() < 0.5:
                    os.symlink(os.path.relpath(target, os.path.dirname(p)),
                               p)
                else:
                    os.symlink("/" + os.path.relpath(target, d), p)
                if rng.random() < 0.3:
                    files.append(p)  # chains
            elif r < 0.85:
                os.symlink("nowhere", p)
            elif r < 0.9:
                os.symlink(os.path.basename(p), p)
            elif r < 0.95:
                os.mkfifo(p)
            else:
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.bind(p)
                finally:
                    s.close()
        maps = ["--mappings-dir", os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..",
            "mappings")]
        # The last two walk a and m only: links into z reach files outside
        # the walk, which hard links in a and m may share (read ahead for
        # themselves when no file of the walk claims them).
        for args in ([d], ["--root", d], ["--root", d, os.path.join(d, "m"),
                                           os.path.join(d, "a/"),
                                           os.path.join(d, "m")],
                     [os.path.join(d, "m"), os.path.join(d, "a")]):
            got = {}
            for jobs in ("1", "2", "4"):
                r = run(t, "-v", "-j", jobs, *(maps + args))
                err = r.err.decode()
                h.check(r.code == 0, "%s -j%s: exit %d: %s"
                        % (args, jobs, r.code, err[-800:]))
                got[jobs] = (r.raw, err)
            h.check(len(h.comps(r.sbom)) > 5, "%s: %d components"
                    % (args, len(h.comps(r.sbom))))
            for jobs in ("2", "4"):
                h.check(got[jobs][1] == got["1"][1],
                        "%s -j%s warns otherwise:\n%s\n-j1:\n%s"
                        % (args, jobs, got[jobs][1], got["1"][1]))
                h.check(got[jobs][0] == got["1"][0],
                        "%s -j%s: another SBOM than -j1's" % (args, jobs))

    # ---- 5. manifests are not kept for the whole run -----------------------

    @case
    def input_manifests_not_kept(t):
        """A tarball of 150 wheels, each with a 4 MiB METADATA (within the
        ratio cap): the manifests are freed once each wheel is named, so
        the peak memory is far below 150 x 4 MiB."""
        d = new_dir(t, "manifests")
        meta = (b"Metadata-Version: 2.1\nName: w\nVersion: 1.0\n"
                b"Description: " + b"a" * (4 * 1024 * 1024 - 200) + b"\n")
        junk = os.urandom(24 * 1024)
        # One wheel deflated, its name written again in the bytes of
        # each (a zip's CRCs are of the contents): compressing 600 MiB
        # took 2.5 s of the case's 5 s of CPU.
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("w@@@-1.0.dist-info/METADATA", meta)
            z.writestr("w@@@/junk.bin", junk, zipfile.ZIP_STORED)
        wheel = b.getvalue()
        h.check(wheel.count(b"w@@@") == 4, "the name four times")
        entries = []
        for i in range(150):
            entries.append(("w/w%03d-1.0-py3-none-any.whl" % i, "file",
                            wheel.replace(b"w@@@", b"w%03d" % i)))
        rel = h.put_file(d, "many-1.0.tar", tar_bytes(entries, mode="w"))
        cmd = [sys.executable, "-c", h.MAXRSS_SHIM, t.binary, "-o",
               os.path.join(d, "out.json"), rel]
        # A sanitized build holds what is freed in its quarantine (256 MiB
        # by default): kept small, its peak is the tool's own.
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = dict(os.environ, ASAN_OPTIONS=(asan + ":" if asan else "") +
                   "quarantine_size_mb=8")
        proc = subprocess.run(cmd, capture_output=True, timeout=RUN_TIMEOUT,
                              cwd=t.work, env=env)
        err = proc.stderr.decode()
        h.check(proc.returncode == 0, "exit %d: %s"
                % (proc.returncode, err[-800:]))
        m = re.search(r"maxrss=(\d+)", err)
        h.check(m and int(m.group(1)) < 256 * 1024,
                "peak memory %s KiB for 150 manifests of 4 MiB"
                % (m.group(1) if m else "?"))

    # ---- 6. the private directory goes however the run ends ----------------

    def slow_artifact(t):
        """A tarball of 20,000 small ELF files: long enough to extract
        that a signal lands mid-way."""
        d = new_dir(t, "slow")
        e = elf("libt.so")
        return h.put_file(d, "slow-1.0.tar.gz", tar_bytes(
            [("lib/%d/libt%d.so" % (i // 1000, i), "file", e)
             for i in range(20000)]))

    def kill_mid_extraction(t, path, sig, group):
        tmp = new_dir(t, "sig-tmp")
        env = dict(os.environ, TMPDIR=tmp)
        p = subprocess.Popen([t.binary, "-o", os.path.join(tmp, "..",
                                                            "sig.json"),
                              path], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not glob.glob(os.path.join(tmp, "bindep-sbom.*")):
            h.check(time.time() < deadline and p.poll() is None,
                    "no private directory seen")
            time.sleep(0.005)
        time.sleep(0.2)
        if group:
            os.killpg(p.pid, sig)
        else:
            p.send_signal(sig)
        p.wait(timeout=60)
        h.check(p.returncode == -sig, "killed mid-extraction: exit %d"
                % p.returncode)
        deadline = time.time() + 10
        while glob.glob(os.path.join(tmp, "bindep-sbom.*")) and \
                time.time() < deadline:
            time.sleep(0.05)
        left = glob.glob(os.path.join(tmp, "bindep-sbom.*"))
        h.check(not left, "left behind after %s%s: %s"
                % (signal.Signals(sig).name, " to the group" if group else "",
                   left))

    @case
    def input_killed_leaves_nothing(t):
        """SIGTERM and SIGKILL to the tool, and SIGKILL to its whole
        process group (as `timeout -s KILL` and the shell's `kill -9 %1`
        send it), mid-extraction: the private directory is removed."""
        path = slow_artifact(t)
        kill_mid_extraction(t, path, signal.SIGTERM, False)
        kill_mid_extraction(t, path, signal.SIGKILL, False)
        kill_mid_extraction(t, path, signal.SIGKILL, True)

    @case
    def input_pipeline_ends(t):
        """`bindep-sbom x.whl | cat` ends when the tool does: the child
        that removes the private directory holds no pipe of ours, nor a
        descriptor it inherited beyond the standard three."""
        d = new_dir(t, "pipe")
        whl = wheel(os.path.join(d, "w-1.0-py3-none-any.whl"), "w",
                    [("w/_x.so", elf("_x.so"))])
        rfd, wfd = os.pipe()
        p = subprocess.Popen([t.binary, whl], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, pass_fds=(wfd,))
        os.close(wfd)
        out, _ = p.communicate(timeout=60)
        h.check(p.returncode == 0 and out.startswith(b"{"),
                "an SBOM on stdout: exit %d" % p.returncode)
        import select
        ready, _, _ = select.select([rfd], [], [], 10)
        h.check(ready and os.read(rfd, 1) == b"",
                "an inherited descriptor stays open after the tool ended")
        os.close(rfd)

    # ---- 7. one image per run, however it is given -------------------------

    @case
    def input_second_image_tarball(t):
        """An OCI layout then a docker save tarball: a usage error, as for
        two layouts, not the second image read as a plain tarball."""
        d = new_dir(t, "images")
        outside = new_dir(t, "images-outside")
        subprocess.run([sys.executable,
                        os.path.join(h.TESTS, "input_image_fixtures.py"), d,
                        outside], check=True, stdout=subprocess.DEVNULL)
        for order in (("oci", "docker.tar"), ("docker.tar", "oci.tar")):
            r = run(t, *[os.path.join(d, p) for p in order])
            h.check(r.code == 2, "%s: exit %d (%s)"
                    % (" then ".join(order), r.code, r.err[-400:]))
            h.check(b"one image per run" in r.err,
                    "the usage error says why: %s" % r.err[-400:])

    # ---- 8. a compressed file that is no archive is no artifact ------------

    @case
    def input_gzip_text_no_artifact(t):
        """A .deb's man page and changelog (gzip'd text, in every real
        .deb) and a wheel's gzip'd data file: not archives, so not
        artifacts of their own in the SBOM, and no warning."""
        import gzip
        d = new_dir(t, "gzip-text")
        page = gzip.compress(b".TH Q 1\n.SH NAME\nq\n")
        log = gzip.compress(b"q (1.0) unstable; urgency=low\n" * 50)
        pkg = deb(os.path.join(d, "q_1.0_amd64.deb"), "q", [
            ("./usr/lib/libq.so.1", "file", elf("libq.so.1")),
            ("./usr/share/man/man1/q.1.gz", "file", page),
            ("./usr/share/doc/q/changelog.Debian.gz", "file", log),
        ])
        whl = wheel(os.path.join(d, "w-1.0-py3-none-any.whl"), "w",
                    [("w/_x.so", elf("_x.so")),
                     ("w/data/table.json.gz", gzip.compress(b"{}" * 99))])
        r = run(t, pkg, whl)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        arts = sorted(c["name"] for c in h.comps(r.sbom)
                      if h.props(c, "bindep:artifact-type"))
        h.check(arts == ["q", "w"], "the artifacts: %s" % arts)
        h.check(not r.warnings(), "warnings: %s" % r.warnings())

    @case
    def input_artifact_with_image(t):
        """An OCI layout with a wheel: the image is the root, and the
        wheel's extension is read from the private directory (it was
        refused as "outside the root" of the image's tree)."""
        d = new_dir(t, "image-wheel")
        outside = new_dir(t, "image-wheel-outside")
        subprocess.run([sys.executable,
                        os.path.join(h.TESTS, "input_image_fixtures.py"), d,
                        outside], check=True, stdout=subprocess.DEVNULL)
        whl = wheel(os.path.join(d, "w-1.0-py3-none-any.whl"), "w",
                    [("w/_x.so", elf("_x.so"))])
        r = run(t, os.path.join(d, "oci"), whl)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        h.check(not any("outside the root" in w for w in r.warnings()),
                "an artifact's file is refused: %s" % r.warnings())
        x = by_soname(r.sbom, "_x.so")
        h.check(len(x) == 1 and h.locations(x[0]) == [whl + "!/w/_x.so"],
                "the wheel's extension: %s" % [h.locations(c) for c in x])
        h.check(not any(e.get("name") == "bindep:error"
                        for e in x[0].get("properties", [])),
                "read without an error: %s" % x[0].get("properties"))

    @case
    def input_walked_gzip_text_no_artifact(t):
        """A walked directory with man pages and a changelog (gzip'd text,
        as /usr/share holds thousands) beside a release tarball, and a
        gzip'd text given as a PATH: only the tarball is an artifact, and
        nothing is warned ("not an archive" was, once per file); a
        truncated .tar.gz still is."""
        import gzip
        d = new_dir(t, "walked-gzip")
        h.put_file(d, "share/man/man1/q.1.gz",
                   gzip.compress(b".TH Q 1\n.SH NAME\nq\n"))
        h.put_file(d, "share/doc/changelog.gz",
                   gzip.compress(b"q (1.0) unstable\n" * 40))
        h.put_file(d, "rel-1.0.tar.gz", tar_bytes([
            ("bin/app", "file", elf(None, needed=["libc.so.6"]))]))
        alone = h.put_file(t.work, "hard-input/notes.txt.gz",
                           gzip.compress(b"notes\n"))
        whole = tar_bytes([("bin/x", "file", elf("libx.so") * 40)])
        cut = h.put_file(t.work, "hard-input/cut-1.0.tar.gz", whole[:200])
        r = run(t, d, alone, cut)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        arts = sorted(c["name"] for c in h.comps(r.sbom)
                      if h.props(c, "bindep:artifact-type"))
        h.check(arts == ["cut-1.0.tar.gz", "rel"], "the artifacts: %s" % arts)
        w = r.warnings()
        h.check(len(w) == 1 and "cut-1.0.tar.gz': truncated or corrupt "
                "(truncated gzip input)" in w[0],
                "one warning, for the truncated tarball: %s" % w)

    @case
    def input_stdin_closed(t):
        """Run with its standard input closed (`<&-`, as some daemons and
        job runners start programs): the pipe to the sentinel is then
        descriptor 0, which the sentinel must not take for its own
        /dev/null; the private directory lasts the run (it was removed at
        once: "cannot use the private directory"), and goes after it."""
        d = new_dir(t, "stdin-closed")
        tmp = new_dir(t, "stdin-closed-tmp")
        whl = wheel(os.path.join(d, "w-1.0-py3-none-any.whl"), "w",
                    [("w/_x.so", elf("_x.so"))])
        out = os.path.join(d, "out.json")
        env = dict(os.environ, TMPDIR=tmp)
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run(["sh", "-c", 'exec "$0" "$@" <&-', t.binary,
                               "-o", out, whl], capture_output=True,
                              env=env, timeout=RUN_TIMEOUT)
        r = h.Result(proc, out)
        h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(len(by_soname(r.sbom, "_x.so")) == 1, "the wheel is read")
        deadline = time.time() + 10
        while os.listdir(tmp) and time.time() < deadline:
            time.sleep(0.05)
        h.check(not os.listdir(tmp), "left: %s" % os.listdir(tmp))

    @case
    def input_standard_descriptors_closed(t):
        """Run with standard input, output and error all closed (`<&- >&-
        2>&-`): none of our own descriptors may take their numbers. The
        pipe to the sentinel was descriptor 2: the warnings went into it,
        the sentinel took them for our end and left, and -v's summary
        then raised SIGPIPE (exit 141, the SBOM written, the private
        directory left behind)."""
        d = new_dir(t, "std-closed")
        tmp = new_dir(t, "std-closed-tmp")
        whl = wheel(os.path.join(d, "a-1.0-py3-none-any.whl"), "a",
                    [("a/_x.so", elf("_x.so"))])
        for i in range(5):
            h.put_file(d, "z/lib%d.so" % i, b"not an ELF file\n")
        out = os.path.join(d, "out.json")
        env = dict(os.environ, TMPDIR=tmp)
        proc = subprocess.run(["sh", "-c", 'exec "$0" "$@" <&- >&- 2>&-',
                               t.binary, "-v", "-o", out, whl,
                               os.path.join(d, "z")],
                              capture_output=True, env=env,
                              timeout=RUN_TIMEOUT)
        r = h.Result(proc, out)
        h.check(r.code == 0, "exit %d" % r.code)
        h.check(len(by_soname(r.sbom, "_x.so")) == 1, "the wheel is read")
        deadline = time.time() + 10
        while os.listdir(tmp) and time.time() < deadline:
            time.sleep(0.05)
        h.check(not os.listdir(tmp), "left: %s" % os.listdir(tmp))
        # A closed standard output is still an error to write to.
        proc = subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', t.binary,
                               "-o", "-", whl], capture_output=True,
                              env=env, timeout=RUN_TIMEOUT)
        h.check(proc.returncode == 1 and b"'<stdout>': cannot write: "
                in proc.stderr, "exit %d: %s" % (proc.returncode,
                                                 proc.stderr[-300:]))

    # ---- issue 13: every walked file opened once ------------------------

    @case
    def input_walked_files_opened_once(t):
        """A walked tree of ELF files, a link to one of them, a text file,
        a gzip'd text, a wheel, a .deb and a FIFO: under strace, each
        walked file that is no archive is opened once, by any of its
        paths (the O_PATH open of the safe open; its reopen goes through
        /proc/self/fd), whatever -j: the archive sniff and the scan share
        that open, and a link to a file of the tree is not opened again.
        The FIFO is never opened, and the archives are still read."""
        import gzip
        import shutil
        if not shutil.which("strace"):
            raise h.Failure("strace is not installed")
        d = new_dir(t, "opened-once")
        app = h.put_elf(d, "bin/app", None, needed=["libmark.so.1"],
                        runpath="$ORIGIN/../lib",
                        interp="/lib64/ld-linux-x86-64.so.2")
        lib = h.put_elf(d, "lib/libmark.so.1", "libmark.so.1")
        # Links sorting before and after their target, in the tree.
        link = os.path.join(d, "lib/libmark.so")
        os.symlink("libmark.so.1", link)
        os.symlink("../lib/libmark.so.1", os.path.join(d, "bin/zlink.so"))
        text = h.put_file(d, "share/notes.txt", b"just text\n")
        gz = h.put_file(d, "share/notes.txt.gz", gzip.compress(b"text\n" * 99))
        os.makedirs(os.path.join(d, "dist"))
        wheel(os.path.join(d, "dist/w-1.0-py3-none-any.whl"), "w",
              [("w/_x.so", elf("_x.so"))])
        deb(os.path.join(d, "dist/p_1.0_amd64.deb"), "p",
            [("./usr/lib/libp.so.1", "file", elf("libp.so.1"))])
        os.mkfifo(os.path.join(d, "share/pipe"))
        # Files outside the tree, reached by links from it (read ahead of
        # the walk's end for the first link), one also a hard link in
        # the tree after its links, one before its link.
        out = new_dir(t, "opened-once-outside")
        far = h.put_elf(out, "libfar.so.1", "libfar.so.1")
        hard = h.put_elf(out, "libhard.so.1", "libhard.so.1")
        hard2 = h.put_elf(out, "libhard2.so.1", "libhard2.so.1")
        far_links = [os.path.join(d, p) for p in (
            "lib/a-far.so", "lib/z-far.so", "bin/far.so")]
        for p in far_links:
            os.symlink(far, p)
        hard_names = [os.path.join(d, "lib/b-hard.so"),
                      os.path.join(d, "lib/c-hard.so")]
        os.symlink(hard, hard_names[0])
        os.link(hard, hard_names[1])
        hard2_names = [os.path.join(d, "lib/d-hard2.so"),
                       os.path.join(d, "lib/e-hard2.so")]
        os.link(hard2, hard2_names[0])
        os.symlink(hard2, hard2_names[1])
        # LeakSanitizer cannot run under ptrace: the leaks are checked on
        # the run that is not traced.
        traced = dict(os.environ)
        traced["ASAN_OPTIONS"] = ":".join(
            o for o in (os.environ.get("ASAN_OPTIONS"), "detect_leaks=0") if o)
        for jobs in ("1", "2", "4"):
            log = os.path.join(t.work, "opened-once-%s.strace" % jobs)
            r = run(t, "-j", jobs, d)
            h.check(r.code == 0, "exit %d: %s" % (r.code, r.err[-600:]))
            proc = subprocess.run(
                ["strace", "-f", "-qq", "-y", "-e", "trace=open,openat",
                 "-o", log, t.binary, "-j", jobs, "-o",
                 os.path.join(t.work, "opened-once.json"), d],
                capture_output=True, timeout=RUN_TIMEOUT, env=traced)
            h.check(proc.returncode == 0, proc.stderr.decode()[-600:])
            opens = opened_paths(log)
            names = {app: [app], lib: [lib, link,
                                      os.path.join(d, "bin/zlink.so")],
                     text: [text], gz: [gz], far: [far] + far_links,
                     hard: [hard] + hard_names,
                     hard2: [hard2] + hard2_names}
            for path, paths in names.items():
                hits = [line for p, line in opens if p in paths]
                h.check(len(hits) == 1, "-j%s: %s opened %d times:\n%s" % (
                    jobs, path, len(hits), "".join(hits)))
            pipe = os.path.join(d, "share/pipe")
            h.check(not [line for p, line in opens if p == pipe],
                    "the FIFO was opened")
            for name in ("libmark.so.1", "_x.so", "libp.so.1", "libfar.so.1",
                         "libhard.so.1", "libhard2.so.1"):
                h.check(len(by_soname(r.sbom, name)) == 1,
                        "-j%s: %s not in the SBOM" % (jobs, name))

    @case
    def input_links_scanned_without_proc(t):
        """Without /proc (a chroot that has not mounted it: simulated with
        a private mount namespace and /proc unmounted), the reopen of a
        file falls back to a second open by name: a file reached through a
        symlink (in the tree, or an argument; on the host and with
        --root /) is scanned as with /proc, not refused as a "symlink
        loop". Skipped where unshare cannot unmount /proc (not root)."""
        import shutil
        if not shutil.which("unshare"):
            print("# skipped: no unshare")
            return
        # The sanitizers' runtime reads its options (and LeakSanitizer the
        # threads) in /proc: a sanitized build cannot run without it.
        # So do valgrind's (make check-full): the probe runs as the case.
        probe = subprocess.run(["unshare", "-m", "sh", "-c",
                                'umount -l /proc && test ! -e /proc/self && '
                                'exec "$@"', "sh"] + t.wrapper +
                               [t.binary, "--version"],
                               capture_output=True)
        if probe.returncode != 0:
            print("# skipped: cannot run without /proc here: %r" %
                  probe.stderr[-200:])
            return
        d = new_dir(t, "no-proc")
        h.put_elf(d, "bin/app", None, needed=["libmark.so.1"],
                  runpath="$ORIGIN/../lib")
        h.put_elf(d, "lib/libmark.so.1", "libmark.so.1")
        os.symlink("libmark.so.1", os.path.join(d, "lib/libmark.so"))
        os.symlink("../lib/libmark.so.1", os.path.join(d, "bin/zlink.so"))
        # A link to a file outside the walked tree: read by its link.
        h.put_elf(d, "opt/libout.so.1", "libout.so.1")
        os.symlink("../opt/libout.so.1", os.path.join(d, "lib/libout.so"))
        d_all, d = d, os.path.join(d, "lib")
        env = {"SOURCE_DATE_EPOCH": "1"}
        # Named: the registry beside the program is found by /proc/self/exe.
        maps = ["--mappings-dir", os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..",
            "mappings")]
        for args in ([d], [os.path.join(d_all, "bin/zlink.so"), d],
                     ["--root", "/", d], ["--root", d_all, d]):
            args = maps + args
            with_proc = run(t, *args, env=env)
            h.check(with_proc.code == 0, with_proc.err[-600:])
            t.count += 1
            out = os.path.join(t.work, "input-%d.json" % t.count)
            full_env = dict(os.environ)
            full_env.update(env)
            proc = subprocess.run(
                ["unshare", "-m", "sh", "-c",
                 'umount -l /proc && exec "$@"', "sh"] + t.wrapper +
                [t.binary, "-o", out] + args,
                capture_output=True, timeout=RUN_TIMEOUT, env=full_env,
                cwd=t.work)
            no_proc = h.Result(proc, out)
            h.check(no_proc.code == 0, no_proc.err[-600:])
            h.check(no_proc.err == with_proc.err,
                    "%s: without /proc:\n%s\nwith it:\n%s" % (
                        args, no_proc.err.decode()[-800:],
                        with_proc.err.decode()[-800:]))
            h.check(no_proc.raw == with_proc.raw,
                    "%s: another SBOM without /proc" % args)

    def under_other_proc(t, shell, env, runs, real, decoy):
        """Runs the tool under shell (an unshare -m script that replaces
        /proc, then execs its arguments) for each list of arguments in
        runs: the SBOM must hold the real file's hash, never the decoy's.
        Skipped where unshare is missing or the binary cannot start so."""
        if not shutil.which("unshare"):
            print("# skipped: no unshare")
            return
        wrap = ["unshare", "-m", "sh", "-c", shell, "sh"] + t.wrapper
        probe = subprocess.run(wrap + [t.binary, "--version"], env=env,
                               capture_output=True)
        if probe.returncode != 0:
            print("# skipped: cannot run with that /proc here: %r" %
                  probe.stderr[-200:])
            return
        maps = ["--mappings-dir", os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..",
            "mappings")]
        for args in runs:
            t.count += 1
            out = os.path.join(t.work, "other-proc-%d.json" % t.count)
            proc = subprocess.run(
                wrap + [t.binary, "-o", out] + maps + args,
                capture_output=True, timeout=RUN_TIMEOUT,
                env=dict(env, SOURCE_DATE_EPOCH="1"), cwd=t.work)
            r = h.Result(proc, out)
            h.check(r.code == 0, r.err[-600:])
            c = h.by_name(r.sbom, "libreal.so.1")
            got = [x["content"] for x in c.get("hashes", [])]
            h.check(got == [h.sha256(real)],
                    "%s: hashed %r, the file is %s, the decoy %s" % (
                        args, got, h.sha256(real), h.sha256(decoy)))

    @case
    def input_fake_proc_not_trusted(t):
        """A /proc that is not the kernel's procfs (a tmpfs whose
        self/fd/N are links to a decoy, mounted in a private namespace) is
        not used to reopen a file: each file is reopened by its name and
        checked to be the file first opened, so the SBOM holds the real
        file's hash, never the decoy's. Skipped where /proc cannot be
        replaced, or the binary cannot run without the real one (the
        sanitizers read it)."""
        d = new_dir(t, "fake-proc")
        real = h.put_elf(d, "lib/libreal.so.1", "libreal.so.1")
        decoy = h.put_elf(new_dir(t, "fake-proc-decoy"), "decoy.so", "decoy.so")
        fake = ('umount -l /proc && mount -t tmpfs none /proc && '
                'mkdir -p /proc/self/fd && n=0 && while [ $n -lt 256 ]; do '
                'ln -s "$DECOY" /proc/self/fd/$n; n=$((n+1)); done && '
                'exec "$@"')
        under_other_proc(t, fake, dict(os.environ, DECOY=decoy),
                         ([os.path.join(d, "lib")],
                          ["--root", d, os.path.join(d, "lib")]),
                         real, decoy)

    @case
    def input_bound_proc_fd_not_trusted(t):
        """A real procfs, but another process's /proc/<pid>/fd bound over
        /proc/self/fd (every descriptor of it a decoy): no file is
        reopened through it and -o is not named through it. The SBOM, as
        a file and as -o, holds the real file's hash, never the decoy's.
        Skipped where mounts cannot be made."""
        d = new_dir(t, "bound-proc")
        real = h.put_elf(d, "lib/libreal.so.1", "libreal.so.1")
        decoy = h.put_elf(new_dir(t, "bound-proc-decoy"), "decoy.so",
                          "decoy.so")
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import os, sys, time\n"
             "fds = [os.open(sys.argv[1], os.O_RDONLY) for _ in range(200)]\n"
             "print(flush=True)\n"
             "time.sleep(600)\n", decoy], stdout=subprocess.PIPE)
        try:
            holder.stdout.readline()
            procdir = os.path.join(d, "realproc")
            os.makedirs(procdir)
            bind = ('mount -t proc proc "$PROCDIR" && '
                    'mount -t tmpfs none /proc && mkdir -p /proc/self/fd && '
                    'mount --bind "$PROCDIR/$HOLDER/fd" /proc/self/fd && '
                    'exec "$@"')
            under_other_proc(t, bind, dict(os.environ, PROCDIR=procdir,
                                           HOLDER=str(holder.pid)),
                             ([os.path.join(d, "lib")],), real, decoy)
        finally:
            holder.kill()
            holder.wait()

    @case
    def input_walk_without_d_type(t):
        """On a file system whose readdir gives no file types (ext2 made
        without its filetype feature: DT_UNKNOWN for every entry), every
        entry is stated by the walk (the path taken before the one-open
        scan): the SBOM and the warnings are those of the same tree on a
        file system that gives them, for -j1 and -j3, with hard links, links
        in and out of the tree, a truncated ELF file, a FIFO and a device.
        Skipped where a loop device cannot be mounted."""
        import shutil
        src = new_dir(t, "dtype-src")
        h.put_elf(src, "bin/app", None, needed=["libmark.so.1"],
                  runpath="$ORIGIN/../lib")
        lib = h.put_elf(src, "lib/libmark.so.1", "libmark.so.1")
        os.link(lib, os.path.join(src, "bin/hard.so"))
        os.symlink("libmark.so.1", os.path.join(src, "lib/libmark.so"))
        os.symlink("/etc/passwd", os.path.join(src, "lib/out"))
        with open(lib, "rb") as f:
            h.put_file(src, "lib/libcut.so.1", f.read()[:200])
        h.put_file(src, "lib/libtext.so", b"not ELF\n")
        os.mkfifo(os.path.join(src, "lib/fifo"))
        os.mknod(os.path.join(src, "lib/null"), 0o600 | 0o020000,
                 os.makedev(1, 3))
        img = os.path.join(t.work, "dtype.img")
        mnt = new_dir(t, "dtype-mnt")
        with open(img, "wb") as f:
            f.truncate(16 << 20)
        mk = subprocess.run(["mkfs.ext2", "-q", "-O", "^filetype", "-d", src,
                             img], capture_output=True) \
            if shutil.which("mkfs.ext2") and shutil.which("unshare") \
            else None
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c",
             'mount -o loop,ro "$1" "$2"', "sh", img, mnt],
            capture_output=True) if mk and mk.returncode == 0 else None
        if not probe or probe.returncode != 0:
            print("# skipped: cannot make and mount an ext2 image here")
            return
        maps = ["--mappings-dir", os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..",
            "mappings")]
        env = dict(os.environ, SOURCE_DATE_EPOCH="1")
        for jobs in ("1", "3"):
            got = {}
            for where, pre in ((src, []), (mnt, [
                    "unshare", "-m", "sh", "-c",
                    'mount -o loop,ro "$1" "$2" && shift 2 && exec "$@"',
                    "sh", img, mnt])):
                t.count += 1
                out = os.path.join(t.work, "input-%d.json" % t.count)
                proc = subprocess.run(
                    pre + t.wrapper + [t.binary, "-o", out, "-j", jobs] +
                    maps + ["--root", where, os.path.join(where, "lib"),
                            where],
                    capture_output=True, timeout=RUN_TIMEOUT, env=env,
                    cwd=t.work)
                r = h.Result(proc, out)
                h.check(r.code == 0, r.err[-600:])
                got[where] = (r.raw.replace(where.encode(), b"@"),
                              r.err.replace(where.encode(), b"@"))
            h.check(b"libcut.so.1" in got[src][1], got[src][1])
            h.check(got[src][1] == got[mnt][1],
                    "-j%s: warnings differ without d_type:\n%s\n---\n%s" % (
                        jobs, got[mnt][1].decode(), got[src][1].decode()))
            h.check(got[src][0] == got[mnt][0],
                    "-j%s: another SBOM without d_type" % jobs)

    @case
    def input_links_first_name_warned_any_jobs(t):
        """One damaged ELF file under five names: three hard links the walk
        lists without a stat, a symlink to it between them in the walk
        (stated), and the file itself as an argument; the arguments in
        several orders, on the host and with --root. Its warnings name the
        first of its paths in the walk, once, and the SBOM and stderr are
        the same bytes for -j1 to -j4."""
        d = new_dir(t, "first-name")
        full = h.elfgen.build(soname="libcut.so.1")[0]
        cut = h.put_file(d, "a/x1", full[:200])
        for name in ("c/x2", "lib/libq.so.1"):
            os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
            os.link(cut, os.path.join(d, name))
        os.symlink("a/x1", os.path.join(d, "b"))
        env = {"SOURCE_DATE_EPOCH": "1"}
        for args, first in (([d], "a/x1"),
                            ([os.path.join(d, "c"), d], "c/x2"),
                            ([os.path.join(d, "b"), d], "b"),
                            ([os.path.join(d, "lib"), os.path.join(d, "a")],
                             "lib/libq.so.1"),
                            (["--root", d, d], "/a/x1"),
                            (["--root", d, os.path.join(d, "c"),
                              os.path.join(d, "b")], "/c/x2")):
            seen = set()
            for jobs in ("1", "2", "3", "4"):
                r = run(t, "-j", jobs, *args, env=env)
                h.check(r.code == 0, r.err[-600:])
                seen.add((r.raw, r.err))
                w = [x for x in r.warnings() if "beyond end of file" in x]
                h.check(w and all(("/" + first.lstrip("/") + "'") in x
                                  for x in w) and len(w) == len(set(w)),
                        "%s -j%s: %s" % (args, jobs, w))
            h.check(len(seen) == 1, "%s: output differs with -j" % args)
