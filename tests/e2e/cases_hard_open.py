"""End-to-end cases of the one safe open (issue 11, registered by run.py).

Every text file the tool reads under a root, and every manifest beside a
library, is made a FIFO, a device node or a symlink out of the root in turn;
the run must not hang, must not read what lies outside the root, must say
what it skipped once, and must still write the SBOM.
"""
import os
import stat
import struct
import threading
import time

import elfgen as E

# Generous: a FIFO that is opened blocks forever, so a pass is any finish.
HANG = int(os.environ.get("BD_TEST_HANG", "120"))

# The files read under --root, and what must be there for each to be read.
ROOT_TEXT_FILES = [
    "etc/ld.so.cache",
    "etc/os-release",
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "var/lib/rpm/rpmdb.sqlite",
    "var/lib/rpm/Packages",
    "usr/lib/sysimage/rpm/Packages.db",
]


def register(case, h):
    write = h.put_file

    def elf(root, path, soname, **kw):
        return h.put_elf(root, path, soname, **kw)

    def new_dir(t, name):
        return h.fresh_dir(t, "hard-open", name)

    def special(path, kind):
        """A FIFO or a character device (/dev/null's numbers) at path."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):
            os.unlink(path)
        if kind == "fifo":
            os.mkfifo(path)
        else:
            os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(1, 3))

    def small_root(t, name):
        root = new_dir(t, name)
        elf(root, "/usr/bin/app", None, needed=["libx.so.1"],
            interp="/lib64/ld-linux-x86-64.so.2")
        elf(root, "/usr/lib/x86_64-linux-gnu/libx.so.1", "libx.so.1")
        return root

    def run(t, *args, **kw):
        return t.run(*args, timeout=HANG, **kw)

    @case
    def special_files_at_every_root_text_path(t):
        """A FIFO or a device at each file read under --root: no hang, one
        warning naming it and what it is, the SBOM still written."""
        for kind, what in (("fifo", "a FIFO"), ("chr", "a character device")):
            for rel in ROOT_TEXT_FILES + ["etc/ld.so.conf"]:
                root = small_root(t, "special")
                special(os.path.join(root, rel), kind)
                r = run(t, "--root", root)
                h.check(r.code == 0, "%s %s: exit %d: %s" % (kind, rel, r.code, r.err))
                h.check(r.sbom is not None, "%s %s: no SBOM" % (kind, rel))
                h.by_name(r.sbom, "libx.so.1")
                named = [w for w in r.warnings() if rel in w]
                h.check(len(named) == 1 and what in named[0],
                        "%s %s: %r" % (kind, rel, r.warnings()))

    @case
    def special_manifests_beside_a_library(t):
        """package.json, a wheel's RECORD or METADATA as a FIFO or a device:
        no hang, one warning for the manifest (not one per library)."""
        for kind in ("fifo", "chr"):
            for rel in ("pkg/package.json", "site/w-1.dist-info/RECORD"):
                d = new_dir(t, "manifests")
                base = os.path.dirname(rel).split("/")[0]
                for n in (1, 2, 3):
                    elf(d, "%s/lib/liby%d.so.1" % (base, n), "liby%d.so.1" % n)
                if rel.endswith("RECORD"):
                    write(d, "site/w-1.dist-info/METADATA", b"Name: w\nVersion: 1\n")
                special(os.path.join(d, rel), kind)
                r = run(t, d)
                h.check(r.code == 0, "%s %s: %s" % (kind, rel, r.err))
                named = [w for w in r.warnings() if rel in w]
                h.check(len(named) == 1, "%s %s: %r" % (kind, rel, r.warnings()))
                h.by_name(r.sbom, "liby3.so.1")

    @case
    def database_links_out_of_the_root_stay_inside(t):
        """Absolute symlinks at the package databases, the loader cache and
        os-release mean root + target: what lies at that path on the host
        is never read."""
        outside = new_dir(t, "outside")
        write(outside, "rpm/rpmdb.sqlite", b"not a database at all")
        write(outside, "os-release", b"ID=evil\nVERSION_ID=6.6.6\n")
        write(outside, "dpkg/status",
              b"Package: evil\nStatus: install ok installed\n"
              b"Version: 1\nArchitecture: amd64\n\n")
        write(outside, "dpkg/info/evil.list",
              b"/usr/lib/x86_64-linux-gnu/libx.so.1\n")
        links = {
            "var/lib/rpm": os.path.join(outside, "rpm"),
            "etc/os-release": os.path.join(outside, "os-release"),
            "var/lib/dpkg": os.path.join(outside, "dpkg"),
        }
        for rel, target in links.items():
            root = small_root(t, "links")
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            os.symlink(target, os.path.join(root, rel))
            r = run(t, "--root", root)
            h.check(r.code == 0, r.err)
            raw = r.raw.decode()
            h.check("evil" not in raw and outside not in raw,
                    "%s: read outside the root" % rel)
            h.check(not [w for w in r.warnings() if "rpm" in w],
                    "%s: %r" % (rel, r.warnings()))
        # var/lib/rpm/rpmdb.sqlite itself as a link out.
        root = small_root(t, "links")
        os.makedirs(os.path.join(root, "var/lib/rpm"))
        os.symlink(os.path.join(outside, "rpm/rpmdb.sqlite"),
                   os.path.join(root, "var/lib/rpm/rpmdb.sqlite"))
        r = run(t, "--root", root)
        h.check(not [w for w in r.warnings() if "rpm" in w], r.warnings())

    @case
    def manifest_search_stays_inside_the_root(t):
        """A package.json above the root names nothing inside it, and no
        host path leaks into the SBOM."""
        top = new_dir(t, "above")
        write(top, "package.json", b'{"name":"leak","version":"6.6.6"}')
        root = os.path.join(top, "rootfs")
        elf(root, "/opt/lib/libunowned.so.1", "libunowned.so.1")
        r = run(t, "--root", root)
        h.check(r.code == 0, r.err)
        raw = r.raw.decode()
        h.check("leak" not in raw and top not in raw, "read above the root")

    @case
    def path_through_a_symlink_stays_inside_the_root(t):
        """A PATH whose middle directory is an absolute symlink inside the
        root: the link means root + target, never the host's file."""
        outside = new_dir(t, "host-secret")
        secret = elf(outside, "libsecret.so.1", "libsecret.so.1")
        root = small_root(t, "mid-link")
        os.symlink(outside, os.path.join(root, "opt"))
        r = run(t, "--root", root, os.path.join(root, "opt", "libsecret.so.1"))
        raw = (r.raw or b"").decode()
        h.check(h.sha256(secret) not in raw and "libsecret" not in raw,
                "the host's file was read")
        h.check(any("no such file" in w for w in r.warnings()), r.warnings())
        # A link inside the root is still followed inside it.
        elf(root, "/srv/real/libin.so.1", "libin.so.1")
        os.symlink("/srv/real", os.path.join(root, "srv", "alias"))
        r = run(t, "--root", root, os.path.join(root, "srv", "alias", "libin.so.1"))
        h.check(r.code == 0, r.err)
        h.check(h.locations(h.by_name(r.sbom, "libin.so.1")) == ["/srv/alias/libin.so.1"],
                "located by the path given")

    @case
    def shrinking_file_is_no_crash(t):
        """A file truncated while it is scanned: a mapping would raise SIGBUS
        and end the run; read into memory, the file is scanned as it was
        read and every other file is kept."""
        d = new_dir(t, "shrink")
        data, _ = E.build(soname="libbig.so.1")
        big = os.path.join(d, "libbig.so.1")
        size = 768 << 20
        # The section headers moved to the very end, so that the parser
        # goes there after the hash has read everything before.
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        table = data[shoff:shoff + shentsize * shnum]
        head = bytearray(data[:shoff])
        struct.pack_into("<Q", head, 0x28, size - len(table))
        with open(big, "wb") as f:
            f.write(head)
            f.truncate(size - len(table))
            f.seek(size - len(table))
            f.write(table)
        elf(d, "libsmall.so.1", "libsmall.so.1")
        def shrink():
            time.sleep(0.3)
            with open(big, "r+b") as f:
                f.truncate(4096)

        th = threading.Thread(target=shrink)
        th.start()
        try:
            # 768 MiB under valgrind would take minutes: bare.
            r = run(t, "-q", d, bare=True)
        finally:
            th.join()
        h.check(r.code == 0, "exit %d (a signal is negative): %s" % (r.code, r.err))
        h.by_name(r.sbom, "libsmall.so.1")

    @case
    def dangling_links_in_a_root_are_counted_not_warned(t):
        """systemd's masks (-> /dev/null, absent from an image) and the
        alternatives of what is not installed are normal in a root."""
        root = small_root(t, "dangling")
        os.makedirs(os.path.join(root, "etc/systemd/system"))
        os.symlink("/dev/null", os.path.join(root, "etc/systemd/system/x.service"))
        os.makedirs(os.path.join(root, "etc/alternatives"))
        os.symlink("/usr/bin/vim.basic", os.path.join(root, "etc/alternatives/vi"))
        r = run(t, "--root", root)
        h.check(r.code == 0 and not r.warnings(), r.warnings())
        r = run(t, "-v", "--root", root)
        h.check("x.service': dangling symlink, skipped" in r.err.decode(), r.err)
        # Outside a root, the user's own tree: still a warning.
        d = new_dir(t, "dangling-dist")
        os.symlink("missing.so.1", os.path.join(d, "libgone.so.1"))
        r = run(t, d)
        h.check(any("dangling symlink" in w for w in r.warnings()), r.warnings())

    @case
    def loader_files_are_not_called_libraries(t):
        """ld.so.cache and ld.so.conf are not "not an ELF file" warnings in a
        whole-root scan; a real library name on a non-ELF file still is."""
        root = small_root(t, "ldfiles")
        write(root, "etc/ld.so.conf", b"/opt/lib\n")
        write(root, "etc/ld.so.cache", b"garbage, not a cache")
        write(root, "usr/lib/libfake.so.2", b"not elf")
        r = run(t, "--root", root)
        ws = r.warnings()
        h.check(not [w for w in ws if "not an ELF" in w and "ld.so" in w], ws)
        h.check([w for w in ws if "libfake.so.2" in w and "not an ELF" in w], ws)

    @case
    def special_files_given_as_options(t):
        """A FIFO or a device as --mapping: no hang, one warning, the SBOM
        written."""
        for kind, what in (("fifo", "a FIFO"), ("chr", "a character device")):
            d = new_dir(t, "option-files")
            elf(d, "lib/libx.so.1", "libx.so.1")
            m = os.path.join(d, "map.yml")
            special(m, kind)
            r = run(t, "--mapping", m, os.path.join(d, "lib"))
            h.check(r.code == 0, r.err)
            named = [w for w in r.warnings() if "map.yml" in w]
            h.check(len(named) == 1 and what in named[0], r.warnings())
            h.by_name(r.sbom, "libx.so.1")

    def cut_listing(t, listed, when, *args):
        """The tool run with the listing of the directory listed failing
        (EIO) at its when-th getdents64 call ("2+": that and every later
        one), by strace's fault injection (-P: only the calls on that
        directory count)."""
        import shutil
        strace = shutil.which("strace")
        if not strace:
            raise h.Failure("strace is not installed")
        # LeakSanitizer cannot work under ptrace.
        asan = ":".join(o for o in (os.environ.get("ASAN_OPTIONS"),
                                    "detect_leaks=0") if o)
        return run(t, *args, env={"ASAN_OPTIONS": asan}, prefix=(
            strace, "-f", "-qq", "-o", os.devnull, "-P", listed,
            "-e", "trace=getdents64",
            "-e", "inject=getdents64:error=EIO:when=%s" % when))

    def cut_short(r, shown):
        said = [w for w in r.warnings() if "listing cut short" in w]
        h.check(said == ["bindep-sbom: warning: '%s': directory listing cut "
                         "short: Input/output error" % shown],
                "one warning naming %r: %r" % (shown, r.warnings()))

    @case
    def listing_cut_short_is_said(t):
        """A directory whose listing fails part-way (an I/O error from
        getdents64, injected by strace): one warning naming it, however
        many readers list it, what was listed before the error kept, the
        SBOM written. For the walk, the
        wheel search beside a library, ld.so.conf's include and the
        mappings directory; each run first without the fault, to show what
        the fault takes away."""
        d = new_dir(t, "listing")
        for n in (1, 2):
            elf(d, "walked/liby%d.so.1" % n, "liby%d.so.1" % n)
        walked = os.path.join(d, "walked")
        r = run(t, walked)
        h.check(r.code == 0 and not r.warnings(), r.err)
        # The first call lists both names; the second, which would say
        # the end, fails.
        r = cut_listing(t, walked, 2, walked)
        h.check(r.code == 0, r.err)
        cut_short(r, walked)
        h.by_name(r.sbom, "liby1.so.1")
        h.by_name(r.sbom, "liby2.so.1")
        # Every listing of it after the first call failing: the walk's,
        # the wheel search's, the carried-SBOM search's; said once.
        r = cut_listing(t, walked, "2+", walked)
        h.check(r.code == 0, r.err)
        cut_short(r, walked)

        # The library given alone: only the wheel search lists site/.
        site = os.path.join(d, "site")
        lib = os.path.join(site, "w", "libw.so.1")
        elf(d, "site/w/libw.so.1", "libw.so.1")
        write(d, "site/w-1.dist-info/METADATA", b"Name: w\nVersion: 1\n")
        write(d, "site/w-1.dist-info/RECORD", b"w/libw.so.1,,\n")
        r = run(t, lib)
        h.check(h.by_name(r.sbom, "libw.so.1").get("purl") == "pkg:pypi/w@1"
                and not r.warnings(), r.err)
        r = cut_listing(t, site, 1, lib)
        h.check(r.code == 0, r.err)
        cut_short(r, site)
        h.check("purl" not in h.by_name(r.sbom, "libw.so.1"), "not named")

        root = new_dir(t, "listing-root")
        elf(root, "/usr/bin/app", None, needed=["libx.so.1"])
        elf(root, "/opt/lib/libx.so.1", "libx.so.1")
        write(root, "/etc/ld.so.conf", b"include /etc/ld.so.conf.d/*.conf\n")
        write(root, "/etc/ld.so.conf.d/opt.conf", b"/opt/lib\n")
        confd = os.path.join(root, "etc/ld.so.conf.d")
        r = run(t, "--root", root, os.path.join(root, "usr/bin"))
        h.check(h.by_name(r.sbom, "libx.so.1") and not r.warnings(), r.err)
        r = cut_listing(t, confd, 1, "--root", root,
                        os.path.join(root, "usr/bin"))
        h.check(r.code == 0, r.err)
        cut_short(r, "/etc/ld.so.conf.d")

        maps = os.path.join(d, "maps")
        write(d, "maps/y.yml", b"libraries:\n  - name: \"y\"\n"
              b"    purl: \"pkg:generic/y\"\n"
              b"    files: [\"liby1.so*\"]\n")
        r = run(t, "--mappings-dir", maps, walked)
        h.check(h.by_name(r.sbom, "liby1.so.1").get("purl") ==
                "pkg:generic/y" and not r.warnings(), r.err)
        r = cut_listing(t, maps, 1, "--mappings-dir", maps, walked)
        h.check(r.code == 0, r.err)
        cut_short(r, maps)
        h.check("purl" not in h.by_name(r.sbom, "liby1.so.1"), "not named")
