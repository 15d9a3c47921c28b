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
import subprocess
import sys

import elfgen as E

RUN_TIMEOUT = 120  # seconds; the old code took minutes
WRAPPED_TIMEOUT = 900  # under valgrind


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
        """Runs the tool on the root, bounded by RUN_TIMEOUT. With measure,
        through a Python shim that reports the run's peak memory (KiB)."""
        out = os.path.join(t.work, "budget-%s.json" % os.path.basename(root))
        cmd = t.wrapper + [t.binary, "-o", out, "--root", root] + \
            [os.path.join(root, p.lstrip("/")) for p in paths]
        if measure:
            shim = ("import resource, subprocess, sys\n"
                    "p = subprocess.run(sys.argv[1:])\n"
                    "sys.stderr.write('\\nmaxrss=%d\\n' % resource.getrusage("
                    "resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                    "sys.exit(p.returncode)\n")
            cmd = [sys.executable, "-c", shim] + cmd
        limit = WRAPPED_TIMEOUT if t.wrapper else RUN_TIMEOUT
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=limit,
                                  cwd=t.work)
        except subprocess.TimeoutExpired:
            raise h.Failure("no result within %d s" % limit)
        r = h.Result(proc, out)
        h.check(r.code in (0, 3), "exit %d: %s" % (r.code, r.err[-600:]))
        h.check(r.sbom is not None, "an SBOM is written")
        return r

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
        if not t.wrapper:
            h.check(peak_kib(r) < 100 * 1024,
                    "peak memory %d KiB" % peak_kib(r))

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
        if not t.wrapper:
            h.check(peak_kib(r) < 100 * 1024,
                    "peak memory %d KiB" % peak_kib(r))
