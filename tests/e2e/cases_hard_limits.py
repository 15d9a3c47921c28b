"""End-to-end cases of the limits on loader configuration and package
databases (issue 11, "quadratic or unbounded work"); registered by run.py.

Each case builds a hostile input at test time under a --root and checks
that the run finishes with one warning naming the file. The runs get a
subprocess timeout (RUN_TIMEOUT) far above what the fixed code needs and
far below what the old code took: no case measures time itself.
"""
import os
import shutil
import struct

import elfgen as E
import rpm_header

RUN_TIMEOUT = 60  # seconds; the old code took minutes, or forever


def register(case, h):
    """h is the run module: its helpers (check, comps, props, ...)."""

    def lib(root, path, soname, **kw):
        h.put_elf(root, path, soname, **kw)

    write = h.put_file

    def new_root(t, name):
        root = os.path.join(t.work, "roots", "limits-" + name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        return root

    def scan_root(t, root, *paths):
        return h.scan_root_bare(t, root, *paths, timeout=RUN_TIMEOUT)

    def resolved_via(s, requester, name):
        comp = [c for c in h.comps(s) if c["name"] == requester]
        h.check(comp, "no component %s" % requester)
        byref = {c["bom-ref"]: c for c in h.comps(s)}
        for d in s["dependencies"]:
            if d["ref"] != comp[0]["bom-ref"]:
                continue
            for ref in d.get("dependsOn", []):
                c = byref[ref]
                if c["name"] == name:
                    via = h.props(c, "bindep:resolved-via")
                    return sorted(h.locations(c)), via[0] if via else None
        raise h.Failure("%s does not depend on %s" % (requester, name))

    def app_root(t, name):
        """A root whose /usr/bin/app needs libx.so.1 in /opt/x, listed in
        ld.so.conf."""
        root = new_root(t, name)
        lib(root, "/usr/bin/app", None, etype=E.ET_EXEC, needed=["libx.so.1"])
        lib(root, "/opt/x/libx.so.1", "libx.so.1")
        write(root, "/etc/ld.so.conf", "/opt/x\n")
        return root

    # ---- ld.so.cache ---------------------------------------------------

    @case
    def limits_ldcache_strings_to_the_end(t):
        """A 3 MB cache: 65,536 entries whose key and value strings all
        start at the same place and run to the last byte of the file. The
        old code scanned, then hashed, each to the end: minutes."""
        root = app_root(t, "ldcache-long")
        n = 65536
        strings = 48 + 24 * n
        tail = 3 * 1024 * 1024 - strings
        head = bytearray(b"glibc-ld.so.cache1.1")
        head += struct.pack("<III", n, 0, 2)  # nlibs, len_strings, flags
        head += bytes(48 - len(head))
        entry = struct.pack("<iIIIQ", 0x0303, strings, strings, 0, 0)
        data = bytes(head) + entry * n + b"l" * (tail - 1) + b"\0"
        write(root, "/etc/ld.so.cache", data)
        r = scan_root(t, root, "/usr/bin/app")
        warns = [w for w in r.warnings() if "ld.so.cache" in w]
        h.check(len(warns) == 1 and "too long" in warns[0]
                and "using ld.so.conf instead" in warns[0],
                "one warning: %r" % r.warnings())
        h.check(resolved_via(r.sbom, "app", "libx.so.1")
                == (["/opt/x/libx.so.1"], "ld.so.conf"),
                resolved_via(r.sbom, "app", "libx.so.1"))

    # ---- ld.so.conf ----------------------------------------------------

    @case
    def limits_ldconf_many_directories(t):
        """285,000 directories in three included files (the old code
        compared each with all before it: 120,000 took 51 s)."""
        root = app_root(t, "ldconf-many")
        write(root, "/etc/ld.so.conf", "/opt/x\ninclude /etc/ld.so.conf.d/*.conf\n")
        for k in range(3):
            write(root, "/etc/ld.so.conf.d/%d.conf" % k,
                  "".join("/d%d/%05d\n" % (k, i) for i in range(95000)))
        r = scan_root(t, root, "/usr/bin/app")
        h.check(len(r.warnings()) == 1 and
                "'/etc/ld.so.conf.d/0.conf': more than 1024 library "
                "directories, the rest ignored" in r.warnings()[0],
                "one warning: %r" % r.warnings())
        h.check(resolved_via(r.sbom, "app", "libx.so.1")
                == (["/opt/x/libx.so.1"], "ld.so.conf"),
                resolved_via(r.sbom, "app", "libx.so.1"))

    # ---- rpmdb.sqlite --------------------------------------------------

    def rpmdb(root, *sql):
        import sqlite3
        path = os.path.join(root, "var/lib/rpm/rpmdb.sqlite")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        db = sqlite3.connect(path)
        for stmt in sql:
            if isinstance(stmt, tuple):
                db.executemany(*stmt)
            else:
                db.execute(stmt)
        db.commit()
        db.close()

    @case
    def limits_rpm_recursive_view(t):
        """Packages as an endless recursive view: the old code's ORDER BY
        never finished. The schema is checked first."""
        root = app_root(t, "rpm-view")
        rpmdb(root, "CREATE VIEW Packages AS WITH RECURSIVE r(hnum, blob) AS "
              "(SELECT 1, x'00' UNION ALL SELECT hnum + 1, blob FROM r) "
              "SELECT hnum, blob FROM r")
        r = scan_root(t, root, "/usr/bin/app")
        h.check(r.warnings() == [
            "bindep-sbom: warning: '/var/lib/rpm/rpmdb.sqlite': no Packages "
            "table of rpm's schema, skipping"], "one warning: %r" % r.warnings())

    @case
    def limits_rpm_schema_unreadable(t):
        """A database whose header fits its size but whose first page,
        the schema, is damaged: SQLite cannot open it; one warning giving
        SQLite's reason (it said only "cannot read"), and the scan goes on
        without it."""
        root = app_root(t, "rpm-schema")
        rpmdb(root, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY "
              "AUTOINCREMENT, blob BLOB NOT NULL)")
        path = os.path.join(root, "var/lib/rpm/rpmdb.sqlite")
        with open(path, "r+b") as f:  # page 1's b-tree page type
            f.seek(100)
            f.write(b"\xff")
        r = scan_root(t, root, "/usr/bin/app")
        h.check(r.code == 0 and r.sbom is not None,
                "exit %d: %s" % (r.code, r.err[-400:]))
        h.check(r.warnings() == [
            "bindep-sbom: warning: '/var/lib/rpm/rpmdb.sqlite': database "
            "disk image is malformed, skipping the rpm database"],
            "one warning: %r" % r.warnings())
        h.check(resolved_via(r.sbom, "app", "libx.so.1")[0]
                == ["/opt/x/libx.so.1"], "the scan goes on")

    @case
    def limits_rpm_too_many_rows(t):
        """A real Packages table of 100,005 malformed headers: one warning
        for the malformed ones and one for the row limit, not 100,005."""
        root = app_root(t, "rpm-rows")
        rpmdb(root, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY "
              "AUTOINCREMENT, blob BLOB NOT NULL)",
              ("INSERT INTO Packages VALUES (?, x'0000')",
               ((i,) for i in range(1, 100006))))
        r = scan_root(t, root, "/usr/bin/app")
        w = r.warnings()
        h.check(len(w) == 2, "two warnings: %r" % w[:5])
        h.check("'/var/lib/rpm/rpmdb.sqlite': more than 100000 packages, "
                "the rest not read" in w[1], w)
        h.check("'/var/lib/rpm/rpmdb.sqlite': 100000 packages with a "
                "malformed header skipped (the first: package 1)" in w[0], w)


    @case
    def limits_rpm_corrupt_page(t):
        """A database whose last page is damaged: SQLite's error, once,
        naming the file and how many packages were read before it; those
        are kept (the first owns libx.so.1) and the scan goes on."""
        root = app_root(t, "rpm-corrupt")
        owner = rpm_header.blob([(1000, 6, b"xlib"), (1001, 6, b"1.0"),
                                 (1002, 6, b"1"), (1022, 6, b"x86_64"),
                                 (1116, 4, [0]), (1117, 8, [b"libx.so.1"]),
                                 (1118, 8, [b"/opt/x/"])])
        fill = [(i, rpm_header.blob([(1000, 6, b"fill%d" % i),
                                     (1014, 6, b"x" * 2000)]))
                for i in range(2, 302)]
        rpmdb(root, "PRAGMA page_size = 4096",
              "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY "
              "AUTOINCREMENT, blob BLOB NOT NULL)",
              ("INSERT INTO Packages VALUES (?, ?)", [(1, owner)] + fill))
        path = os.path.join(root, "var/lib/rpm/rpmdb.sqlite")
        with open(path, "r+b") as f:  # the last leaf's page type
            f.seek(os.path.getsize(path) - 4096)
            f.write(b"\xff")
        r = scan_root(t, root, "/usr/bin/app")
        h.check(r.code == 0 and r.sbom is not None,
                "exit %d: %s" % (r.code, r.err[-400:]))
        w = r.warnings()
        import re
        m = re.fullmatch(r"bindep-sbom: warning: '/var/lib/rpm/rpmdb\.sqlite"
                         r"': database disk image is malformed after "
                         r"(\d+) packages, the rest not read", w[0]) \
            if len(w) == 1 else None
        h.check(m and 0 < int(m.group(1)) < 301, "one warning: %r" % w)
        x = h.by_name(r.sbom, "libx.so.1")
        h.check(x.get("purl") == "pkg:rpm/fedora/xlib@1.0-1?arch=x86_64",
                "read before the damage: %r" % x.get("purl"))
