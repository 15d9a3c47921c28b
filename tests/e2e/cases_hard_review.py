"""End-to-end cases answering the adversarial review of the merged
hardening (issue 11); registered by run.py.

Each case builds its hostile input at test time: many large wheel RECORDs
beside libraries, roots and arguments reached through symlinks, arguments
that are no file or directory, trees nested deep enough to overflow a
message, out-of-range SOURCE_DATE_EPOCH, an empty --output.
"""
import os
import subprocess

RUN_TIMEOUT = 120  # seconds; the old code took 7.5 s per library and more
WRAPPED_TIMEOUT = 900  # under valgrind


def register(case, h):
    def new_dir(t, name):
        return h.fresh_dir(t, "hard-review", name)

    # bare=True: resource limits, not memory errors: under valgrind (make
    # check-valgrind) such a case runs the tool bare; the ASan/UBSan pass covers
    # these paths, and valgrind on gigabytes of input would take an hour.
    def run(t, *args, env=None, bare=False):
        """Runs the tool (-o into the work directory), bounded in time."""
        out = os.path.join(t.work, "review-%d.json" % (t.count + 1))
        t.count += 1
        if os.path.exists(out):
            os.unlink(out)
        full_env = dict(os.environ)
        full_env.pop("SOURCE_DATE_EPOCH", None)
        full_env.update(env or {})
        wrapper = [] if bare else t.wrapper
        cmd = wrapper + [t.binary, "-o", out] + list(args)
        limit = WRAPPED_TIMEOUT if wrapper else RUN_TIMEOUT
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=limit,
                                  cwd=t.work, env=full_env)
        except subprocess.TimeoutExpired:
            raise h.Failure("no result within %d s" % limit)
        if t.wrapper:
            h.check(proc.returncode != 99,
                    "valgrind found errors:\n" + proc.stderr.decode())
        return h.Result(proc, out)

    def small_root(t, name):
        root = new_dir(t, name)
        h.put_elf(root, "/usr/bin/app", None, needed=["libx.so.1"],
                  interp="/lib64/ld-linux-x86-64.so.2")
        h.put_elf(root, "/usr/lib/libx.so.1", "libx.so.1")
        return root

    def names(sbom):
        return sorted(c["name"] for c in h.comps(sbom))

    # ---- 1. the bundle search reads each manifest once, within a budget --

    @case
    def review_bundle_manifest_budget(t):
        """100 wheel RECORDs of 4 MiB (sparse) beside two libraries: read
        once, not once per library, and at most 256 MiB of manifests per
        run, with one warning."""
        root = new_dir(t, "budget")
        site = os.path.join(root, "opt", "site")
        for i in range(100):
            d = os.path.join(site, "p%d.dist-info" % i)
            os.makedirs(d)
            with open(os.path.join(d, "RECORD"), "wb") as f:
                f.truncate(4 << 20)
        h.put_elf(root, "/opt/site/liba.so.1", "liba.so.1")
        h.put_elf(root, "/opt/site/libb.so.1", "libb.so.1")
        r = run(t, "--root", root, bare=True)
        h.check(r.code == 0 and r.sbom is not None, r.err)
        budget = [w for w in r.warnings() if "manifest" in w and "256 MiB" in w]
        h.check(len(budget) == 1, r.warnings())
        h.check(len(r.warnings()) == 1, r.warnings())

    @case
    def review_bundle_dist_info_cap(t):
        """1,100 dist-info directories in one directory: 1,024 are looked
        at, with one warning naming the directory."""
        root = new_dir(t, "distinfo")
        site = os.path.join(root, "opt", "site")
        for i in range(1100):
            os.makedirs(os.path.join(site, "p%d.dist-info" % i))
        h.put_elf(root, "/opt/site/liba.so.1", "liba.so.1")
        h.put_elf(root, "/opt/site/libb.so.1", "libb.so.1")
        r = run(t, "--root", root, bare=True)
        h.check(r.code == 0 and r.sbom is not None, r.err)
        cap = [w for w in r.warnings() if "dist-info" in w]
        h.check(len(cap) == 1 and "'/opt/site'" in cap[0], r.warnings())

    # ---- 2. the manifest is named inside the root -------------------------

    @case
    def review_bundle_manifest_inside_root(t):
        root = new_dir(t, "npmroot")
        h.put_file(root, "/opt/app/node_modules/x/package.json",
                   '{"name":"x","version":"1.0.0"}')
        h.put_elf(root, "/opt/app/node_modules/x/lib/libx.so.1", "libx.so.1")
        r = run(t, "--root", root)
        h.check(r.code == 0, r.err)
        c = h.by_name(r.sbom, "libx.so.1")
        h.check(h.prop(c, "bindep:bundled-in") == "pkg:npm/x@1.0.0",
                h.prop(c, "bindep:bundled-in"))
        h.check(h.prop(c, "bindep:bundled-in-manifest") ==
                "/opt/app/node_modules/x/package.json",
                h.prop(c, "bindep:bundled-in-manifest"))
        # Without --root: the host path, as before.
        r = run(t, os.path.join(root, "opt", "app"))
        c = h.by_name(r.sbom, "libx.so.1")
        want = os.path.realpath(os.path.join(
            root, "opt/app/node_modules/x/package.json"))
        h.check(h.prop(c, "bindep:bundled-in-manifest") == want,
                h.prop(c, "bindep:bundled-in-manifest"))

    # ---- 3. --root and PATH through symlinks ------------------------------

    @case
    def review_root_through_symlink(t):
        root = small_root(t, "symroot")
        # Inside the root, /lib is an absolute link: root + /usr/lib.
        h.put_link(root, "/lib", "/usr/lib")
        base = os.path.dirname(root)
        for link, target in (("rl", root), ("usrl", os.path.join(root, "usr"))):
            p = os.path.join(base, link)
            if os.path.lexists(p):
                os.unlink(p)
            os.symlink(target, p)
        rl = os.path.join(base, "rl")
        r = run(t, "--root", rl)
        h.check(r.code == 0 and not r.warnings(), r.err)
        h.check("app" in names(r.sbom) and "libx.so.1" in names(r.sbom),
                names(r.sbom))
        for args in ((root, rl + "/usr/bin/app"),
                     (rl, rl + "/usr/bin/app"),
                     (rl, root + "/usr/bin/app"),
                     (root, base + "/usrl/bin/app")):
            r = run(t, "--root", *args)
            h.check(r.code == 0 and not r.warnings(), (args, r.err))
            app = h.by_name(r.sbom, "app")
            h.check("/usr/bin/app" in h.locations(app), h.locations(app))
        # The part inside the root is still resolved inside it.
        r = run(t, "--root", root, rl + "/lib/libx.so.1")
        h.check(r.code == 0 and not r.warnings(), r.err)
        h.check("/lib/libx.so.1" in h.locations(h.by_name(r.sbom, "libx.so.1")),
                h.comps(r.sbom))

    # ---- 4. arguments that cannot be scanned ------------------------------

    @case
    def review_unscannable_arguments(t):
        d = new_dir(t, "special")
        fifo = os.path.join(d, "fifo")
        os.mkfifo(fifo)
        r = run(t, "/dev/zero")
        h.check(r.code == 1 and r.raw is None, (r.code, r.err))
        h.check(r.warnings() == ["bindep-sbom: warning: '/dev/zero': a "
                                 "character device, not scanned"], r.err)
        r = run(t, fifo)
        h.check(r.code == 1 and r.warnings() == [
            "bindep-sbom: warning: '%s': a FIFO, not scanned" % fifo], r.err)
        # With something else to scan: the SBOM, and the warning.
        lib = h.put_elf(d, "/libx.so.1", "libx.so.1")
        r = run(t, fifo, lib)
        h.check(r.code == 0 and len(r.warnings()) == 1, r.err)
        # Under --root: a FIFO, and a link out of the root.
        root = small_root(t, "special-root")
        os.mkfifo(os.path.join(root, "usr/lib/fifo"))
        h.put_link(root, "/usr/lib/out", "/nonexistent-outside")
        r = run(t, "--root", root, root + "/usr/lib/fifo")
        h.check(r.code == 1 and r.warnings() == [
            "bindep-sbom: warning: '/usr/lib/fifo': a FIFO, not scanned"],
            r.err)
        r = run(t, "--root", root, root + "/usr/lib/out")
        h.check(r.code == 1 and len(r.warnings()) == 1 and
                "'/usr/lib/out'" in r.warnings()[0], r.err)

    # ---- 5. long warnings keep their reason -------------------------------

    @case
    def review_long_warnings_keep_reason(t):
        d = new_dir(t, "deep")
        # Deeper than BD_WALK_MAX_DEPTH (256), the path over 512 bytes.
        cur = d
        for _ in range(300):
            cur = os.path.join(cur, "dd")
        os.makedirs(cur)
        r = run(t, d)
        w = r.warnings()
        h.check(len(w) == 1 and
                w[0].endswith("': directories nested too deep, not entered")
                and "\u2026" in w[0] and w[0].startswith(
                    "bindep-sbom: warning: '" + d), w)
        # Names of 200 bytes: the path outgrows PATH_MAX.
        d = new_dir(t, "longnames")
        fd = os.open(d, os.O_RDONLY)
        try:
            for _ in range(30):
                os.mkdir("d" * 200, dir_fd=fd)
                nfd = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = nfd
        finally:
            os.close(fd)
        r = run(t, d)
        w = r.warnings()
        h.check(w, "a warning")
        for line in w:
            h.check(len(line.encode()) < 600 and "\u2026" in line and
                    ("': cannot" in line or "': directories" in line), line)

    # ---- 6, 7. the command line and environment --------------------------

    @case
    def review_source_date_epoch_range(t):
        root = small_root(t, "sde")
        ok = run(t, "--root", root, env={"SOURCE_DATE_EPOCH": "253402300799"})
        h.check(ok.code == 0, ok.err)
        h.check(ok.sbom["metadata"]["timestamp"] == "9999-12-31T23:59:59Z",
                ok.sbom["metadata"]["timestamp"])
        # Digits only, and said before the scan (a dangling link in the
        # root would be warned about by the walk).
        os.symlink("missing", os.path.join(root, "dangling"))
        for v in ("253402300800", "9223372036854775807", " 1700000000",
                  "+1700000000", "1700000000 ", "", "-1"):
            bad = run(t, "--root", root, env={"SOURCE_DATE_EPOCH": v})
            h.check(bad.code == 1 and b"SOURCE_DATE_EPOCH" in bad.err and
                    b"dangling" not in bad.err and bad.raw is None,
                    (v, bad.code, bad.err))

    @case
    def review_empty_output(t):
        root = small_root(t, "emptyout")
        proc = subprocess.run([t.binary, "-o", "", "--root", root],
                              capture_output=True, cwd=t.work)
        h.check(proc.returncode == 2 and b"--output" in proc.stderr,
                (proc.returncode, proc.stderr))
