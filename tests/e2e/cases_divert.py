"""End-to-end cases of dpkg's diversions (registered by run.py): a file a
package lists at a diverted path is where dpkg installed it, and the
tool's owner of each file is the package dpkg-query --search says
installed it there. Roots made by hand (a status, info/*.list and a
diversions file), the host's own database copied into one, and the host
itself (--root /). The test runs dpkg-query; the tool never does."""
import os
import re
import shutil
import subprocess

import elfgen as E

PG = "/usr/bin/pg_config"
PG_MOVED = "/usr/bin/pg_config.libpq-dev"
DIVERSIONS = "/var/lib/dpkg/diversions"
# postgresql-common diverts libpq-dev's pg_config (both list it) to
# pg_config.libpq-dev, and puts a program of its own at pg_config.
PG_DIVERSION = "%s\n%s\npostgresql-common\n" % (PG, PG_MOVED)
# dpkg-query --search's line of a diversion (src/query/main.c,
# searchoutput): "diversion by <pkg> from: <path>", "local diversion to: ...".
DIVERSION_LINE = re.compile(r"^(?:diversion by (\S+)|local diversion) "
                            r"(from|to): (.*)$")
STATUS = "".join(
    "Package: %s\nStatus: install ok installed\nMaintainer: t <t@example.org>\n"
    "Architecture: %s\nVersion: %s\nDescription: t\n\n" % p
    for p in (("libpq-dev", "amd64", "15.14-0+deb12u1"),
              ("postgresql-common", "all", "248")))


def register(case, h):

    def query_search(paths, admindir=None):
        """dpkg-query --search's lines for each path ([] when none)."""
        args = ["dpkg-query"] + (["--admindir=" + admindir] if admindir else [])
        out = {}
        for p in paths:
            r = subprocess.run(args + ["--search", p], capture_output=True,
                               text=True)
            out[p] = r.stdout.splitlines()
        return out

    def listers(lines, path):
        """The packages dpkg-query names as listing path."""
        for line in lines:
            if line.endswith(": " + path) and not DIVERSION_LINE.match(line):
                return [p.split(":")[0]
                        for p in line[:-len(path) - 2].split(", ")]
        return []

    def diversion(lines):
        """(from, to, package or None) of a diversion dpkg-query names."""
        got = {}
        for line in lines:
            m = DIVERSION_LINE.match(line)
            if m:
                got[m.group(2)] = m.group(3)
                got["by"] = m.group(1)
        return (got["from"], got["to"], got["by"]) if got else None

    def installed_by(path, admindir=None):
        """The package whose file is at path, read from dpkg-query
        --search's answers: the path's one lister; for a diverted path,
        the diverting package if it lists the path (its own file stays
        there), else nobody; for the path diverted to, the package other
        than the diverting one that lists the path diverted from (its
        file was moved there: dpkg-query names the diversion and the
        listers, not the move)."""
        lines = query_search([path], admindir)[path]
        div = diversion(lines)
        if div is None:
            names = listers(lines, path)
            return names[0] if len(names) == 1 else None
        src, _, by = div
        names = listers(query_search([src], admindir)[src], src)
        if path == src:
            return by if by in names else None
        moved = [n for n in names if n != by]
        h.check(len(moved) <= 1, "more than one package's file moved: %r" % names)
        return moved[0] if moved else None

    def pg_root(d, diversions=PG_DIVERSION):
        """A root laid out as postgresql-common and libpq-dev leave it,
        libpq-dev's list read first, two ELF programs (not the same
        bytes: two components)."""
        root = os.path.join(d, "root")
        h.put_file(root, "/etc/os-release", "ID=debian\nVERSION_ID=12\n")
        h.put_file(root, "/var/lib/dpkg/status", STATUS)
        h.put_file(root, "/var/lib/dpkg/info/libpq-dev.list", PG + "\n")
        h.put_file(root, "/var/lib/dpkg/info/postgresql-common.list", PG + "\n")
        os.makedirs(os.path.join(root, "var/lib/dpkg/updates"))
        h.put_elf(root, PG, "pg_config", etype=E.ET_EXEC)
        h.put_elf(root, PG_MOVED, "pg_config.libpq-dev", etype=E.ET_EXEC)
        if diversions is not None:
            h.put_file(root, DIVERSIONS, diversions)
        return root

    def named(sbom, paths):
        """{path: its component's deb package name or None}."""
        got = {}
        for c in h.comps(sbom):
            purl = c.get("purl") or ""
            for p in set(paths) & set(h.locations(c)):
                got[p] = (purl.split("@")[0].rsplit("/", 1)[1]
                          if purl.startswith("pkg:deb/") else None)
        return got

    def owners(t, root, paths):
        """{path: package name or None} as the tool says, and the run."""
        r = t.run("--root", root, *(os.path.join(root, p.lstrip("/"))
                                     for p in paths))
        h.check(r.code == 0, r.err)
        got = named(r.sbom, paths)
        h.check(sorted(got) == sorted(paths), "not all scanned: %r" % got)
        return got, r

    @case
    def dpkg_diversion_moves_a_packages_file(t):
        """postgresql-common diverts /usr/bin/pg_config, which libpq-dev
        lists (and lists first), to pg_config.libpq-dev: libpq-dev's
        program is there, and pg_config is postgresql-common's own, as
        dpkg-query --search says of the same root. Without the diversions
        file, pg_config is libpq-dev's (the first to list it) and
        pg_config.libpq-dev nobody's."""
        d = h.fresh_dir(t, "divert", "pg")
        root = pg_root(d)
        admin = os.path.join(root, "var/lib/dpkg")
        said = query_search([PG], admin)[PG]
        h.check("diversion by postgresql-common to: %s" % PG_MOVED in said,
                said)
        want = {PG: "postgresql-common", PG_MOVED: "libpq-dev"}
        h.check({p: installed_by(p, admin) for p in want} == want, said)
        got, r = owners(t, root, list(want))
        h.check(got == want, got)
        h.check(r.warnings() == [], r.err)
        os.unlink(os.path.join(root, DIVERSIONS.lstrip("/")))
        got, _ = owners(t, root, list(want))
        h.check(got == {PG: "libpq-dev", PG_MOVED: None}, got)

    @case
    def dpkg_diversions_hostile_file_one_warning(t):
        """A diversions file dpkg would refuse whole (a path diverted to
        itself, one not UTF-8, a path of an earlier diversion, a record
        cut short) among good records: one warning naming it, its first
        problem and how many more, and the good records still applied. A
        FIFO in its place, or a link to one outside the root, leaves the
        lists as they are, the FIFO with one warning, never opened for
        reading (the run would hang)."""
        d = h.fresh_dir(t, "divert", "hostile")
        text = (b"/usr/bin/a\n/usr/bin/a\np\n/usr/bin/b\n/usr/bin/\xe9\np\n" +
                (PG_DIVERSION + PG + "\n/usr/bin/c\np\n/usr/bin/d\n").encode())
        root = pg_root(d, text)
        want = {PG: "postgresql-common", PG_MOVED: "libpq-dev"}
        got, r = owners(t, root, list(want))
        h.check(got == want, got)
        h.check(r.warnings() == [
            "bindep-sbom: warning: '/var/lib/dpkg/diversions': diversion 1 "
            "(line 1): a path diverted to itself, not taken (and 3 more "
            "problems)"], r.err)
        with open(os.path.join(root, DIVERSIONS.lstrip("/")), "wb") as f:
            f.write(PG_DIVERSION.encode().replace(b"common\n", b"comm\xff\n"))
        got, r = owners(t, root, list(want))
        h.check(got == {PG: "libpq-dev", PG_MOVED: None}, got)
        h.check(len(r.warnings()) == 1 and "not UTF-8" in r.warnings()[0],
                r.err)
        div = os.path.join(root, DIVERSIONS.lstrip("/"))
        os.unlink(div)
        os.mkfifo(div)
        got, r = owners(t, root, list(want))
        h.check(got == {PG: "libpq-dev", PG_MOVED: None}, got)
        h.check(len(r.warnings()) == 1 and
                "'/var/lib/dpkg/diversions': " in r.warnings()[0], r.err)
        os.unlink(div)
        outside = h.put_file(d, "outside/diversions", PG_DIVERSION)
        os.symlink(outside, div)
        got, r = owners(t, root, list(want))
        h.check(got == {PG: "libpq-dev", PG_MOVED: None}, got)
        h.check(r.warnings() == [], r.err)

    @case
    def dpkg_list_lines_keyed_as_dpkg_query_keys_them(t):
        """A list's lines as dpkg keys them, each owner the one dpkg-query
        --search gives of the same root: a trailing '/' dropped, leading
        '/' and './' skipped ('usr/lib/libc.so', '//usr/lib/libb.so',
        './usr/lib/libf.so' are files of their packages), '/./usr/lib/libd.so'
        diverted locally to libd.so.moved; '/usr/lib/libe.so//' names no
        file."""
        d = h.fresh_dir(t, "divert", "keyed")
        root = os.path.join(d, "root")
        lines = {"a": "/usr/lib/liba.so/", "b": "//usr/lib/libb.so",
                 "c": "usr/lib/libc.so", "d": "/./usr/lib/libd.so",
                 "e": "/usr/lib/libe.so//", "f": "./usr/lib/libf.so"}
        h.put_file(root, "/etc/os-release", "ID=debian\nVERSION_ID=12\n")
        h.put_file(root, "/var/lib/dpkg/status", "".join(
            "Package: %s\nStatus: install ok installed\nMaintainer: t "
            "<t@example.org>\nArchitecture: amd64\nVersion: 1\n"
            "Description: t\n\n" % p for p in sorted(lines)))
        for p, line in lines.items():
            h.put_file(root, "/var/lib/dpkg/info/%s.list" % p, line + "\n")
        os.makedirs(os.path.join(root, "var/lib/dpkg/updates"))
        h.put_file(root, DIVERSIONS,
                   "/usr/lib/libd.so\n/usr/lib/libd.so.moved\n:\n")
        paths = ["/usr/lib/lib%s.so" % p for p in sorted(lines)]
        paths.append("/usr/lib/libd.so.moved")
        for i, p in enumerate(paths):
            h.put_elf(root, p, "lib%d.so" % i)
        admin = os.path.join(root, "var/lib/dpkg")
        want = {p: installed_by(p, admin) for p in paths}
        h.check(want == {"/usr/lib/liba.so": "a", "/usr/lib/libb.so": "b",
                         "/usr/lib/libc.so": "c", "/usr/lib/libd.so": None,
                         "/usr/lib/libd.so.moved": "d",
                         "/usr/lib/libe.so": None, "/usr/lib/libf.so": "f"},
                "dpkg-query: %r" % want)
        got, r = owners(t, root, paths)
        h.check(got == want, got)
        h.check(r.warnings() == [], r.err)

    @case
    def dpkg_diversion_of_pg_config_from_this_host(t):
        """This host's own records of libpq-dev and postgresql-common
        (their status stanzas, file lists and the whole diversions file,
        as dpkg wrote them) in a root, ELF programs put at pg_config and
        pg_config.libpq-dev (the real pg_config of Debian 12's libpq-dev
        is a Perl script, which no SBOM of ELF files names): the tool's
        owners are those dpkg-query --search gives, of that root and of
        the host. Skipped where libpq-dev is not installed, or not
        diverted."""
        host = "/var/lib/dpkg"
        status = subprocess.run(["dpkg-query", "--status", "libpq-dev",
                                 "postgresql-common"], capture_output=True)
        lists = [os.path.join(host, "info", n + ".list")
                 for n in ("libpq-dev", "postgresql-common")]
        if status.returncode != 0 or not all(map(os.path.isfile, lists)):
            print("  skipped: libpq-dev or postgresql-common not installed")
            return
        with open(os.path.join(host, "diversions")) as f:
            if PG_DIVERSION not in f.read():
                print("  skipped: %s not diverted here" % PG)
                return
        d = h.fresh_dir(t, "divert", "host-db")
        root = pg_root(d, None)
        admin = os.path.join(root, "var/lib/dpkg")
        h.put_file(root, "/var/lib/dpkg/status", status.stdout)
        for path in lists + [os.path.join(host, "diversions")]:
            shutil.copy(path, os.path.join(admin, path[len(host) + 1:]))
        want = {p: installed_by(p) for p in (PG, PG_MOVED)}
        h.check(want == {PG: "postgresql-common", PG_MOVED: "libpq-dev"},
                "the host's dpkg-query: %r" % want)
        h.check({p: installed_by(p, admin) for p in want} == want,
                query_search(want, admin))
        got, r = owners(t, root, list(want))
        h.check(got == want, got)
        h.check(r.warnings() == [], r.err)

    @case
    def dpkg_diversions_of_this_host(t):
        """--root /: every diverted path of this host that is an ELF file
        (not through a link: /usr/bin/perf, which linux-perf diverts to
        perf.wrapper and ships itself), and every path diverted to that
        is one, is owned by the package dpkg-query --search says installed
        it. Skipped where no diversion names an ELF file."""
        path = "/var/lib/dpkg/diversions"
        if not os.path.isfile(path):
            print("  skipped: no %s" % path)
            return
        with open(path, "rb") as f:
            lines = f.read().decode(errors="replace").split("\n")
        records = [lines[i:i + 3] for i in range(0, len(lines) - 2, 3)]
        paths = []
        for p in [r[0] for r in records] + [r[1] for r in records]:
            if os.path.realpath(p) == p and not os.path.islink(p) and \
                    os.path.isfile(p):
                with open(p, "rb") as f:
                    if f.read(4) == b"\x7fELF":
                        paths.append(p)
        if not paths:
            print("  skipped: no diversion of an ELF file here")
            return
        want = {p: installed_by(p) for p in sorted(set(paths))}
        r = t.run("--root", "/", *want)
        h.check(r.code == 0, r.err)
        got = named(r.sbom, want)
        h.check(got == want, "tool %r, dpkg-query %r" % (got, want))
