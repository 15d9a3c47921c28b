"""End-to-end cases of the work budgets (issue 11, adversarial review):
tiny hostile roots whose package databases or library search paths cost
minutes or gigabytes. Registered by run.py.

Each case builds its root at test time (sparse files: a few KiB on disk)
and asserts warnings, counts or memory, never time: the subprocess
timeout (RUN_TIMEOUT) is only a guard against the old code's minutes.
"""
import os
import re
import shutil


RUN_TIMEOUT = 120  # seconds; the old code took minutes


def register(case, h):
    """h is the run module: its helpers (check, comps, props, ...)."""

    write = h.put_file

    def new_root(t, name):
        root = os.path.join(t.work, "roots", "budget-" + name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        h.put_elf(root, "/usr/bin/app", None, needed=["libc.so.6"])
        return root

    def sparse(root, path, size):
        full = write(root, path, b"")
        os.truncate(full, size)
        return full

    def scan_root(t, root, *paths, measure=False):
        return h.scan_root_bare(t, root, *paths, timeout=RUN_TIMEOUT,
                                measure=measure)

    def status(names):
        return "".join("Package: %s\nStatus: install ok installed\n"
                       "Version: 1\nArchitecture: amd64\n\n" % n
                       for n in names)

    # ---- dpkg ------------------------------------------------------------

    @case
    def budget_dpkg_sparse_file_lists(t):
        """300 packages, each info/<pkg>.list a 64 MiB sparse file: the old
        code read 19 GB of zeros. A list is capped at 16 MiB; the first is
        warned about, the others counted in one more warning."""
        root = new_root(t, "dpkg-lists")
        names = ["p%d" % i for i in range(300)]
        write(root, "/var/lib/dpkg/status", status(names))
        for n in names:
            sparse(root, "/var/lib/dpkg/info/%s.list" % n, 64 << 20)
        r = scan_root(t, root, "/usr/bin/app")
        w = r.warnings()
        h.check(len(w) == 2, "two warnings: %r" % w[:4])
        h.check("'/var/lib/dpkg/info/p0.list': larger than 16 MiB (dpkg's "
                "file lists are under 2 MiB), skipping" in w[0], w)
        h.check("'/var/lib/dpkg/info/p0.list': 299 more package database "
                "files like it over their size limit, skipped" in w[1], w)

    @case
    def budget_dpkg_info_flooded(t):
        """var/lib/dpkg/info holds 1,100 empty *.list files beside the one
        package's list: more names than one package can have (two, and
        1,024 to spare), so the listing that looks the lists up is not
        held (a hostile root's millions would be), and the list is read
        the careful way (by O_PATH, strace shows). Without the flood it is
        opened from the listing's descriptor. The package owns its file
        either way."""
        import shutil as sh
        import subprocess
        if not sh.which("strace"):
            raise h.Failure("strace is not installed")

        def opens_of_list(flood):
            root = new_root(t, "info-%d" % flood)
            write(root, "/var/lib/dpkg/status", status(["libq1"]))
            write(root, "/var/lib/dpkg/info/libq1.list",
                  "/usr/lib/libq.so.1\n")
            h.put_elf(root, "/usr/lib/libq.so.1", "libq.so.1")
            info = os.path.join(root, "var/lib/dpkg/info")
            for i in range(flood):
                os.close(os.open(os.path.join(info, "f%06d.list" % i),
                                 os.O_CREAT | os.O_WRONLY, 0o644))
            log = os.path.join(t.work, "info-%d.strace" % flood)
            out = os.path.join(t.work, "info-%d.json" % flood)
            env = dict(os.environ)
            env["ASAN_OPTIONS"] = ":".join(
                o for o in (env.get("ASAN_OPTIONS"), "detect_leaks=0") if o)
            proc = subprocess.run(
                ["strace", "-f", "-qq", "-e", "trace=openat,openat2", "-o", log,
                 t.binary, "-o", out, "--root", root,
                 os.path.join(root, "usr/lib")],
                capture_output=True, timeout=RUN_TIMEOUT, env=env)
            h.check(proc.returncode == 0, proc.stderr.decode()[-600:])
            r = h.Result(proc, out)
            q = [c for c in h.comps(r.sbom) if c["name"] == "libq.so.1"]
            h.check(q and q[0].get("purl", "").startswith("pkg:deb/"),
                    "libq.so.1 owned by its package: %r" % q)
            with open(log) as f:
                return [line for line in f if "libq1.list" in line]
        quiet = opens_of_list(0)
        h.check(len(quiet) == 1 and "O_PATH" not in quiet[0] and
                "O_NOFOLLOW" in quiet[0], "from the listing: %r" % quiet)
        flooded = opens_of_list(1100)
        h.check(flooded and "O_PATH" in flooded[0],
                "the careful way: %r" % flooded)

    @case
    def budget_dpkg_total_bytes(t):
        """40 file lists of 15 MiB each (under the list cap): 600 MiB in
        all. Past 512 MiB nothing more is read, with one warning."""
        root = new_root(t, "dpkg-total")
        names = ["p%02d" % i for i in range(40)]
        write(root, "/var/lib/dpkg/status", status(names))
        for n in names:
            sparse(root, "/var/lib/dpkg/info/%s.list" % n, 15 << 20)
        r = scan_root(t, root, "/usr/bin/app")
        w = r.warnings()
        h.check(len(w) == 1, "one warning: %r" % w[:4])
        # 34 lists and the status fit in 512 MiB; the 35th does not
        h.check("'/var/lib/dpkg/info/p34.list': package databases larger "
                "than 512 MiB in all, the rest not read" in w[0], w)

    @case
    def budget_dpkg_package_count(t):
        """100,005 installed packages in status: 100,000 are read, one
        warning."""
        root = new_root(t, "dpkg-count")
        names = ["p%d" % i for i in range(100005)]
        write(root, "/var/lib/dpkg/status", status(names))
        write(root, "/var/lib/dpkg/info/p99999.list", "/usr/bin/app\n")
        r = scan_root(t, root, "/usr/bin/app")
        w = r.warnings()
        h.check(w and len(w) == 1, "one warning: %r" % w[:4])
        h.check("'/var/lib/dpkg/status': more than 100000 packages, the "
                "rest not read" in w[0], w)
        # the last package read still owns its files
        app = h.by_name(r.sbom, "app")
        h.check("pkg:deb/" in str(app) and "p99999" in str(app),
                "app owned by p99999: %r" % app)

    @case
    def budget_apk_package_count(t):
        root = new_root(t, "apk-count")
        write(root, "/lib/apk/db/installed",
              "".join("P:p%d\nV:1\nA:x86_64\n\n" % i for i in range(100005)))
        r = scan_root(t, root, "/usr/bin/app")
        w = r.warnings()
        h.check(w and len(w) == 1, "one warning: %r" % w[:4])
        h.check("'/lib/apk/db/installed': more than 100000 packages, the "
                "rest not read" in w[0], w)

    # ---- rpm -------------------------------------------------------------

    def peak_kib(r):
        m = re.search(r"maxrss=(\d+)", r.err.decode())
        h.check(m, "peak memory reported: %r" % r.err[-300:])
        return int(m.group(1))

    @case
    def budget_rpm_sparse_sqlite(t):
        """truncate -s 1000M rpmdb.sqlite: the old code read 1 GB and held
        2 GB before SQLite refused it. The header is checked first."""
        root = new_root(t, "rpm-sparse")
        sparse(root, "/var/lib/rpm/rpmdb.sqlite", 1000 << 20)
        r = scan_root(t, root, "/usr/bin/app", measure=True)
        w = r.warnings()
        h.check(len(w) == 1, "one warning: %r" % w)
        h.check("'/var/lib/rpm/rpmdb.sqlite': no SQLite database header "
                "that fits its size, skipping the rpm database" in w[0], w)
        h.check(peak_kib(r) < 100 * 1024, "peak memory %d KiB" % peak_kib(r))

    @case
    def budget_rpm_header_disagrees_with_size(t):
        """A real SQLite header (one 4 KiB page) on a 600 MiB file: the
        page count does not match the size, nothing more is read."""
        import sqlite3
        root = new_root(t, "rpm-header")
        path = os.path.join(root, "var/lib/rpm/rpmdb.sqlite")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY "
                   "AUTOINCREMENT, blob BLOB NOT NULL)")
        db.commit()
        db.close()
        os.truncate(path, 600 << 20)
        r = scan_root(t, root, "/usr/bin/app", measure=True)
        w = r.warnings()
        h.check(len(w) == 1, "one warning: %r" % w)
        h.check("'/var/lib/rpm/rpmdb.sqlite': no SQLite database header "
                "that fits its size, skipping the rpm database" in w[0], w)
        h.check(peak_kib(r) < 100 * 1024, "peak memory %d KiB" % peak_kib(r))

    # ---- library search ---------------------------------------------------

    def chain_root(t, name):
        """A root whose /l38 is a chain of 38 symlinks to the directory
        /r (ln -s r l1; ln -s l1 l2; ... l38)."""
        root = os.path.join(t.work, "roots", "budget-" + name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(os.path.join(root, "r"))
        prev = "r"
        for i in range(1, 39):
            os.symlink(prev, os.path.join(root, "l%d" % i))
            prev = "l%d" % i
        return root

    def probe_warnings(r):
        return [w for w in r.warnings() if "candidate files" in w]

    @case
    def budget_resolve_repeated_runpath_searched_once(t):
        """RUNPATH '/l38' sixteen times (a 38-link chain), 4,000 missing
        needs in each of three files: the old code tried every candidate
        in every copy of the directory and ran out of probes (one warning
        a file). A directory listed twice is searched once, as ld.so does
        (fillin_rpath), so the same needs cost a sixteenth."""
        root = chain_root(t, "chain")
        paths = []
        for k in range(3):
            rel = "/usr/bin/app%d" % k
            h.put_elf(root, rel, None, runpath=":".join(["/l38"] * 16),
                      needed=["libm%d_%d.so" % (k, i) for i in range(4000)])
            paths.append(rel)
        r = scan_root(t, root, *paths)
        h.check(probe_warnings(r) == [], "no probe limit hit: %r"
                % probe_warnings(r))
        for k in range(3):
            c = h.by_name(r.sbom, "app%d" % k)
            h.check(len(h.depends(r.sbom, c)) == 4000,
                    "every need listed, not found: %d"
                    % len(h.depends(r.sbom, c)))

    @case
    def budget_resolve_found_through_the_chain(t):
        """The memoised directory still finds what the loader finds: a
        library in /r through RUNPATH /l38, and a library that is itself a
        symlink in that directory."""
        root = chain_root(t, "chain-found")
        h.put_elf(root, "/r/libreal.so.1", "libreal.so.1")
        os.symlink("libreal.so.1", os.path.join(root, "r/libalias.so"))
        h.put_elf(root, "/usr/bin/app", None, runpath="/l38:/nx:/l38",
                  needed=["libreal.so.1", "libalias.so", "libnone.so"])
        r = scan_root(t, root, "/usr/bin/app")
        app = h.by_name(r.sbom, "app")
        deps = h.depends(r.sbom, app)
        real = h.by_name(r.sbom, "libreal.so.1")
        # libalias.so is the same file: the same component, one edge
        h.check(sorted(deps) == ["libnone.so", "libreal.so.1"],
                "libreal found, libnone not: %r" % deps)
        h.check("libalias.so" not in [x["name"] for x in h.comps(r.sbom)],
                "no component of its own for the alias")
        vias = h.props(real, "bindep:resolved-via")
        h.check(any("runpath" in v for v in vias), "via runpath: %r" % vias)

    @case
    def budget_resolve_run_probe_budget(t):
        """Twenty files, each 4,000 missing needs over 17 absent RUNPATH
        directories: each runs out of its 65,536 probes, and past
        1,000,000 in the run nothing more is searched, with one
        warning."""
        root = os.path.join(t.work, "roots", "budget-run-probes")
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        runpath = ":".join("/nx/d%d" % i for i in range(17))
        paths = []
        for k in range(20):
            rel = "/usr/bin/app%02d" % k
            h.put_elf(root, rel, None, runpath=runpath,
                      needed=["libq%d_%d.so" % (k, i) for i in range(4000)])
            paths.append(rel)
        r = scan_root(t, root, *paths)
        w = probe_warnings(r)
        run = [x for x in w if "tried in this run" in x]
        h.check(len(run) == 1, "one warning for the run: %r" % w)
        h.check(re.search(r"'[^']*/usr/bin/app\d\d': more than 1000000 "
                          r"candidate files tried in this run, the rest not "
                          r"searched", run[0]), run[0])
        # 15 files spend 65,536 each (983,040); the 16th meets the run's
        # limit; the four after it search nothing.
        each = [x for x in w if "for its libraries" in x]
        h.check(len(each) == 15, "15 files ran out on their own: %d"
                % len(each))
        for k in range(20):
            c = h.by_name(r.sbom, "app%02d" % k)
            h.check(len(h.depends(r.sbom, c)) == 4000, "every need listed")
