"""End-to-end cases of rpm's Berkeley DB database, var/lib/rpm/Packages
(rpm < 4.16: RHEL/CentOS 7 and 8, Amazon Linux 2), and of its NDB database,
Packages.db (SUSE), at the end; registered by run.py.

The databases are real Berkeley DB hash files written at test time by
db5.3_load (Debian's db5.3-util) from a dump this file writes: the keys
are header instance numbers as 4-byte integers in the writer's byte
order, the values rpm header blobs, taken from an rpmdb.sqlite that
Debian's rpm installed rpmbuild's packages into, or made here. Each
database is checked first with rpm itself (rpm 4.18's read-only bdb_ro
backend) to list the packages it should. The hostile cases then damage
such a file where a page's layout (libdb's db_page.h) says.
"""
import os
import re
import shutil
import sqlite3
import struct
import subprocess

import rpm_header

RUN_TIMEOUT = 60  # seconds


def register(case, h):

    def tools():
        for tool in ("rpmbuild", "rpm", "db5.3_load"):
            h.check(shutil.which(tool), "%s is needed (contrib/install-deps "
                    "--test)" % tool)

    def new_dir(t, *parts):
        d = os.path.join(t.work, "rpmbdb", *parts)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    def rpm_qa(dbdir, backend):
        """What rpm itself lists of a database: name-version-release.arch,
        sorted."""
        p = subprocess.run(["rpm", "--dbpath", dbdir, "--define",
                            "_db_backend " + backend, "-qa"],
                           capture_output=True, text=True)
        h.check(p.returncode == 0, "rpm -qa (%s): %s" % (backend, p.stderr))
        return sorted(p.stdout.split())

    def bdb_load(path, records, order="<", pagesize=4096):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return rpm_header.bdb_load(path, records, order, pagesize)

    SPEC = """Name: NAME
Version: 2.1.6
Release: 2.el8
Summary: a test package
License: MIT
BuildArch: x86_64
%description
A test package.
%install
mkdir -p %{buildroot}/usr/lib64 %{buildroot}/usr/share/NAME
cp LIBRARY %{buildroot}/usr/lib64/SONAME
for i in $(seq 1 FILLERS); do
  echo $i > %{buildroot}/usr/share/NAME/a-file-with-a-long-name-$i.txt
done
%files
/usr/lib64/SONAME
/usr/share/NAME
"""

    def build_rpm(t, top, name, soname, fillers):
        """rpmbuild's package NAME owning /usr/lib64/SONAME (a library
        built here) and FILLERS other files."""
        src = os.path.join(top, name + ".c")
        lib = os.path.join(top, soname)
        with open(src, "w") as f:
            f.write("int %s(void) { return 1; }\n" % name)
        subprocess.run(["cc", "-shared", "-fPIC", "-Wl,-soname," + soname,
                        "-o", lib, src], check=True)
        spec = os.path.join(top, name + ".spec")
        with open(spec, "w") as f:
            f.write(SPEC.replace("NAME", name).replace("SONAME", soname)
                    .replace("LIBRARY", lib).replace("FILLERS", str(fillers)))
        subprocess.run(["rpmbuild", "--quiet", "-bb", "--define",
                        "_topdir " + top, spec], check=True,
                       capture_output=True)
        return os.path.join(top, "RPMS", "x86_64",
                            "%s-2.1.6-2.el8.x86_64.rpm" % name)

    def installed_root(t):
        """A root rpm installed two packages into (rpmdb.sqlite): tinyz,
        one library, and manyz, a library and 600 files, whose header
        is larger than a page and so on overflow pages. Returns the root
        and its database's records."""
        top = new_dir(t, "build")
        rpms = [build_rpm(t, top, "tinyz", "libtinyz.so.1", 0),
                build_rpm(t, top, "manyz", "libmanyz.so.1", 600)]
        root = new_dir(t, "sqlite-root")
        h.put_file(root, "/etc/os-release", "ID=centos\nVERSION_ID=8\n")
        subprocess.run(["rpm", "--root", root, "--dbpath", "/var/lib/rpm",
                        "--initdb"], check=True)
        subprocess.run(["rpm", "--root", root, "--dbpath", "/var/lib/rpm",
                        "-i", "--nodeps", "--noscripts", "--ignorearch",
                        "--ignoreos"] + rpms, check=True, capture_output=True)
        db = sqlite3.connect(os.path.join(root, "var/lib/rpm/rpmdb.sqlite"))
        records = db.execute("SELECT hnum, blob FROM Packages "
                             "ORDER BY hnum").fetchall()
        db.close()
        return root, records

    def bdb_root(t, name, sqlite_root, records, **kw):
        """sqlite_root's files, its database written as Packages."""
        root = os.path.join(t.work, "rpmbdb", name)
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(sqlite_root, root, symlinks=True)
        shutil.rmtree(os.path.join(root, "var/lib/rpm"))
        bdb_load(os.path.join(root, "var/lib/rpm/Packages"), records, **kw)
        return root

    def purls(sbom):
        return sorted((c["name"], c.get("purl")) for c in h.comps(sbom))

    @case
    def rpm_bdb_database_read_directly(t):
        """A root whose rpm database is Berkeley DB's Packages, in either
        byte order and page size: its packages own their files as the same
        root's rpmdb.sqlite says, a header of 600 files (on overflow pages)
        included; rpm's own bdb_ro backend lists the same packages."""
        tools()
        sroot, records = installed_root(t)
        h.check(max(len(b) for _, b in records) > 4 * 4096,
                "manyz's header spans pages")
        want = rpm_qa(os.path.join(sroot, "var/lib/rpm"), "sqlite")
        h.check(want == ["manyz-2.1.6-2.el8.x86_64",
                         "tinyz-2.1.6-2.el8.x86_64"], want)
        r = t.run("--root", sroot, os.path.join(sroot, "usr/lib64"))
        h.check(r.code == 0 and not r.err, r.err)
        from_sqlite = purls(r.sbom)
        for name, kw in (("le-4096", dict(order="<", pagesize=4096)),
                         ("be-512", dict(order=">", pagesize=512)),
                         ("le-65536", dict(order="<", pagesize=65536))):
            root = bdb_root(t, name, sroot, records, **kw)
            dbdir = os.path.join(root, "var/lib/rpm")
            h.check(rpm_qa(dbdir, "bdb_ro") == want, "%s: rpm -qa" % name)
            before = sorted(os.listdir(dbdir))
            r = t.run("--root", root, os.path.join(root, "usr/lib64"))
            h.check(r.code == 0 and not r.err, "%s: %s" % (name, r.err))
            h.check(purls(r.sbom) == from_sqlite,
                    "%s: %r != %r" % (name, purls(r.sbom), from_sqlite))
            z = h.by_name(r.sbom, "libtinyz.so.1")
            h.check(z.get("purl") == "pkg:rpm/centos/tinyz@2.1.6-2.el8"
                    "?arch=x86_64&distro=centos-8", z.get("purl"))
            h.check(h.identity(z, "purl")["methods"][0]["value"] ==
                    "rpm:/var/lib/rpm/Packages", "which database")
            m = h.by_name(r.sbom, "libmanyz.so.1")
            h.check(m.get("purl") == "pkg:rpm/centos/manyz@2.1.6-2.el8"
                    "?arch=x86_64&distro=centos-8", m.get("purl"))
            h.check(sorted(os.listdir(dbdir)) == before, "untouched")

    # ---- hostile files ---------------------------------------------------

    OWNER = rpm_header.blob([(1000, 6, b"xlib"), (1001, 6, b"1.0"),
                             (1002, 6, b"1"), (1022, 6, b"x86_64"),
                             (1116, 4, [0]),
                             (1117, 8, [b"libx.so.1"]), (1118, 8, [b"/opt/x/"])])

    def filler(i):
        """Package fill<i>, its header on overflow pages of 512 bytes."""
        return rpm_header.blob([(1000, 6, b"fill%d" % i), (1001, 6, b"1"),
                                (1002, 6, b"1"), (1022, 6, b"noarch"),
                                (1014, 6, b"x" * 1500)])

    RECORDS = [(1, OWNER)] + [(i, filler(i)) for i in range(2, 31)]

    def hostile_root(t, name):
        """A root whose /usr/bin/app needs /opt/x/libx.so.1, which package
        1 of a Berkeley DB Packages of 512-byte pages owns; fill2 to fill30
        come after it."""
        root = new_dir(t, "hostile-" + name)
        h.put_elf(root, "/usr/bin/app", None, etype=0x2, needed=["libx.so.1"])
        h.put_elf(root, "/opt/x/libx.so.1", "libx.so.1")
        h.put_file(root, "/etc/ld.so.conf", "/opt/x\n")
        bdb_load(os.path.join(root, "var/lib/rpm/Packages"), RECORDS,
                 pagesize=512)
        return root

    def pages(path):
        with open(path, "rb") as f:
            data = bytearray(f.read())
        size = struct.unpack_from("<I", data, 20)[0]
        return data, size

    def page_of(data, size, want_type, marker=None):
        """The first page of a type (db_page.h: byte 25), holding marker
        if given."""
        for n in range(1, len(data) // size):
            p = data[n * size:(n + 1) * size]
            if p[25] == want_type and (marker is None or marker in p):
                return n
        raise h.Failure("no page of type %d" % want_type)

    def damage(root, how):
        path = os.path.join(root, "var/lib/rpm/Packages")
        data, size = pages(path)
        how(data, size)
        with open(path, "wb") as f:
            f.write(data)

    def scan(t, root):
        r = h.scan_root_bare(t, root, "/usr/bin/app", timeout=RUN_TIMEOUT)
        return r, r.warnings()

    def owned(r):
        return h.by_name(r.sbom, "libx.so.1").get("purl") == \
            "pkg:rpm/fedora/xlib@1.0-1?arch=x86_64"

    P = "bindep-sbom: warning: '/var/lib/rpm/Packages': "

    @case
    def rpm_bdb_hostile_metadata(t):
        """A metadata page that cannot be rpm's: each one warning naming
        the file and the problem, nothing read, the scan goes on."""
        tools()

        def meta(off, value):
            return lambda d, s: struct.pack_into("<I", d, off, value)

        def zeros(d, s):
            d[:] = bytes(4096)

        for name, how, said in (
                ("pagesize-1000", meta(20, 1000), "page size 1000 is not a "
                 "power of two from 512 to 65536"),
                ("pagesize-128k", meta(20, 131072), "page size 131072 is "
                 "not a power of two from 512 to 65536"),
                ("pagesize-256", meta(20, 256), "page size 256 is not a "
                 "power of two from 512 to 65536"),
                ("zeros", zeros, "not a Berkeley DB hash database"),
                ("btree", meta(12, 0x053162),
                 "not a Berkeley DB hash database"),
                ("version", meta(16, 7),
                 "a hash metadata page of an unknown version (7)"),
                ("meta-type", lambda d, s: d.__setitem__(25, 9),
                 "its first page is no hash metadata page (type 9)"),
                ("buckets", meta(72, 0xffffffff),
                 "its last bucket, 4294967295, is past its last page"),
                ("checksummed", lambda d, s: d.__setitem__(26, 1),
                 "encrypted or checksummed pages, which rpm does not "
                 "write")):
            root = hostile_root(t, name)
            damage(root, how)
            r, w = scan(t, root)
            h.check(len(w) == 1 and w[0].startswith(P + said) and
                    w[0].endswith(", skipping the rpm database"),
                    "%s: %r" % (name, w))
            h.check(h.by_name(r.sbom, "libx.so.1").get("purl") is None,
                    "%s: owned by none" % name)

    @case
    def rpm_bdb_hostile_pages(t):
        """Damaged pages after the owner's record was found: one warning
        naming the file and the page; what was read before it is kept
        (xlib owns libx.so.1)."""
        tools()

        def last_filler_overflow(d, s):
            """fill30 is handed over last: its first overflow page."""
            return page_of(d, s, 7, b"fill30\0")

        def set_type(d, s):
            d[last_filler_overflow(d, s) * s + 25] = 0xff

        def loop_to_itself(d, s):
            n = last_filler_overflow(d, s)
            struct.pack_into("<I", d, n * s + 16, n)

        def loop_back(d, s):
            n = last_filler_overflow(d, s)
            nxt = struct.unpack_from("<I", d, n * s + 16)[0]
            struct.pack_into("<I", d, nxt * s + 16, n)

        def chain_off_the_end(d, s):
            n = last_filler_overflow(d, s)
            struct.pack_into("<I", d, n * s + 16, 0x7fffffff)

        def truncate(d, s):
            del d[last_filler_overflow(d, s) * s:]

        for name, how, said in (
                ("not-overflow", set_type, r"page \d+ is no overflow page "
                 r"of package 30's 1607 bytes"),
                ("loop-self", loop_to_itself, r"page \d+ is linked to twice "
                 r"\(a loop\)"),
                ("loop-back", loop_back, r"page \d+ is linked to twice "
                 r"\(a loop\)"),
                ("past-last", chain_off_the_end, r"a link to page "
                 r"2147483647, past its last page \(\d+\)"),
                ("truncated", truncate, r"page \d+ is past the end of the "
                 r"file \(truncated\)")):
            root = hostile_root(t, name)
            damage(root, how)
            r, w = scan(t, root)
            h.check(len(w) == 1 and re.fullmatch(
                re.escape(P) + said + " after 29 packages, the rest not "
                "read", w[0]), "%s: %r" % (name, w))
            h.check(owned(r), "%s: read before the damage" % name)

    @case
    def rpm_bdb_hostile_items(t):
        """A bucket page whose items lie outside it, or whose chain loops,
        and overflow records longer than the file: one warning each."""
        tools()

        def bucket_page(d, s):
            return page_of(d, s, 13)

        def item_outside(d, s):
            struct.pack_into("<H", d, bucket_page(d, s) * s + 26, 0xffff)

        def odd_items(d, s):
            n = bucket_page(d, s)
            count = struct.unpack_from("<H", d, n * s + 20)[0]
            struct.pack_into("<H", d, n * s + 20, count | 1)

        def bucket_loop(d, s):
            n = bucket_page(d, s)
            struct.pack_into("<I", d, n * s + 16, n)

        def huge_record(d, s):
            """Every overflow record (HOFFPAGE, 12 bytes, type 3) says it
            is 2 GiB long."""
            for n in range(1, len(d) // s):
                if d[n * s + 25] != 13:
                    continue
                count = struct.unpack_from("<H", d, n * s + 20)[0]
                for i in range(1, count, 2):
                    off = struct.unpack_from("<H", d, n * s + 26 + 2 * i)[0]
                    if d[n * s + off] == 3:
                        struct.pack_into("<I", d, n * s + off + 8, 1 << 31)

        for name, how, said in (
                ("item-outside", item_outside,
                 r"page \d+: item 0 lies outside its page"),
                ("odd-items", odd_items, r"page \d+: \d+ items do not make "
                 r"key/data pairs in the page"),
                ("bucket-loop", bucket_loop,
                 r"page \d+ is linked to twice \(a loop\)"),
                ("huge-record", huge_record, r"package 1's record of "
                 r"2147483648 bytes cannot be a header in this file")):
            root = hostile_root(t, name)
            damage(root, how)
            r, w = scan(t, root)
            h.check(len(w) == 1 and re.fullmatch(
                re.escape(P) + said + r"( after \d+ packages, the rest not "
                r"read|, skipping the rpm database)", w[0]),
                "%s: %r" % (name, w))
            h.check(r.sbom is not None, "%s: the scan goes on" % name)

    @case
    def rpm_bdb_not_a_file(t):
        """A FIFO in place of Packages is not opened for reading (one
        warning); a symlink out of the root means root + target, so the
        host's file there is never read."""
        tools()
        root = hostile_root(t, "fifo")
        path = os.path.join(root, "var/lib/rpm/Packages")
        os.unlink(path)
        os.mkfifo(path)
        r, w = scan(t, root)
        h.check(w == [P + "a FIFO, skipping the rpm "
                      "database"], w)
        outside = new_dir(t, "outside")
        evil = [(1, rpm_header.blob([(1000, 6, b"evil"), (1001, 6, b"6.6.6"),
                                     (1116, 4, [0]), (1117, 8, [b"libx.so.1"]),
                                     (1118, 8, [b"/opt/x/"])]))]
        bdb_load(os.path.join(outside, "Packages"), evil)
        root = hostile_root(t, "link-out")
        path = os.path.join(root, "var/lib/rpm/Packages")
        os.unlink(path)
        os.symlink(os.path.join(outside, "Packages"), path)
        r, w = scan(t, root)
        h.check(b"evil" not in r.raw and not w, w)

    @case
    def rpm_bdb_empty_bucket(t):
        """A bucket libdb never wrote to is a page of zeros: libdb's own
        walk (__ham_traverse) takes it for an empty bucket, and so does
        this reader (rpm's bdb_ro refuses the whole database for it). One
        package on two buckets leaves one of them so."""
        tools()
        root = new_dir(t, "empty-bucket")
        h.put_elf(root, "/opt/x/libx.so.1", "libx.so.1")
        path = os.path.join(root, "var/lib/rpm/Packages")
        dump = path + ".dump"
        os.makedirs(os.path.dirname(path))
        with open(dump, "w") as f:  # no record under key 0
            f.write("VERSION=3\nformat=bytevalue\ntype=hash\n"
                    "db_pagesize=4096\nHEADER=END\n %s\n %s\nDATA=END\n"
                    % (struct.pack("<I", 1).hex(), OWNER.hex()))
        subprocess.run(["db5.3_load", "-f", dump, path], check=True)
        os.unlink(dump)
        data, size = pages(path)
        h.check(any(data[n * size:n * size + 26] == bytes(26)
                    for n in range(1, len(data) // size)), "a page of zeros")
        r = t.run("--root", root, os.path.join(root, "opt/x"))
        h.check(r.code == 0 and not r.err, r.err)
        h.check(owned(r), h.by_name(r.sbom, "libx.so.1").get("purl"))

    # ---- NDB (Packages.db) -----------------------------------------------

    def ndb_write(path, records, slotpages=1):
        """Packages.db as rpm's lib/backend/ndb/rpmpkg.c lays it out. No
        tool here writes or reads one (Debian's rpm has no ndb backend),
        so this writer follows rpmpkg.c: a 32-byte header ("RpmP", version
        0, generation, slot pages, next index), 4 KiB slot pages of 16-byte
        slots ("Slot", index, block offset, block count; the header takes
        the first two), then each blob in 16-byte blocks: "BlbS", index,
        generation, length, the blob, zeros, and a tail of the Adler-32 of
        all that, the length and "BlbE". The slots are written in the
        reverse order of the records, a free slot (a package erased)
        between them. (rpmpkg.c itself, built apart with stubs for rpm's
        logging and allocation, once listed, read and verified what this
        writes, and refused a blob with one bit changed.)"""
        import zlib
        block = slotpages * 4096 // 16
        slots, blobs = [], []
        for idx, blob in records:
            count = (16 + len(blob) + 12 + 15) // 16
            body = struct.pack("<4sIII", b"BlbS", idx, 1, len(blob)) + blob
            body += bytes(count * 16 - 12 - len(body))
            blobs += [body, struct.pack("<II4s", zlib.adler32(body),
                                        len(blob), b"BlbE")]
            slots.append(struct.pack("<4sIII", b"Slot", idx, block, count))
            block += count
        slots = slots[::-1]
        slots.insert(1, struct.pack("<4sIII", b"Slot", 0, 0, 0))
        total = slotpages * 256 - 2
        h.check(len(slots) <= total, "slots fit")
        slots += [struct.pack("<4sIII", b"Slot", 0, 0, 0)] * (total - len(slots))
        head = struct.pack("<4sIIII", b"RpmP", 0, 1, slotpages,
                           max(i for i, _ in records) + 1) + bytes(12)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(head + b"".join(slots) + b"".join(blobs))
        return path

    NDB = "/usr/lib/sysimage/rpm/Packages.db"

    @case
    def rpm_ndb_database_read_directly(t):
        """SUSE's NDB Packages.db (written here as rpmpkg.c lays it out):
        its packages own their files as the same root's rpmdb.sqlite says,
        in either slot page count."""
        tools()
        sroot, records = installed_root(t)
        r = t.run("--root", sroot, os.path.join(sroot, "usr/lib64"))
        h.check(r.code == 0 and not r.err, r.err)
        from_sqlite = purls(r.sbom)
        for pages in (1, 3):
            root = os.path.join(t.work, "rpmbdb", "ndb-%d" % pages)
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(sroot, root, symlinks=True)
            shutil.rmtree(os.path.join(root, "var/lib/rpm"))
            ndb_write(os.path.join(root, NDB.lstrip("/")), records, pages)
            r = t.run("--root", root, os.path.join(root, "usr/lib64"))
            h.check(r.code == 0 and not r.err, "%d: %s" % (pages, r.err))
            h.check(purls(r.sbom) == from_sqlite,
                    "%d: %r != %r" % (pages, purls(r.sbom), from_sqlite))
            z = h.by_name(r.sbom, "libmanyz.so.1")
            h.check(h.identity(z, "purl")["methods"][0]["value"] ==
                    "rpm:" + NDB, "which database")

    def ndb_root(t, name):
        """hostile_root's packages in a Packages.db: package 1 (xlib, owner
        of libx.so.1) in the last slot, fill30 in the first."""
        root = new_dir(t, "ndb-" + name)
        h.put_elf(root, "/usr/bin/app", None, etype=0x2, needed=["libx.so.1"])
        h.put_elf(root, "/opt/x/libx.so.1", "libx.so.1")
        h.put_file(root, "/etc/ld.so.conf", "/opt/x\n")
        ndb_write(os.path.join(root, NDB.lstrip("/")), RECORDS)
        return root

    def ndb_damage(root, how):
        path = os.path.join(root, NDB.lstrip("/"))
        with open(path, "rb") as f:
            data = bytearray(f.read())
        how(data)
        with open(path, "wb") as f:
            f.write(data)

    def blob_of(d, idx):
        """The block offset of package idx's blob, from its slot."""
        for at in range(32, 4096, 16):
            if d[at:at + 4] == b"Slot" and \
                    struct.unpack_from("<I", d, at + 4)[0] == idx:
                return struct.unpack_from("<I", d, at + 8)[0] * 16
        raise h.Failure("no slot for %d" % idx)

    Q = "bindep-sbom: warning: '%s': " % NDB

    @case
    def rpm_ndb_hostile(t):
        """Damaged NDB files: one warning each naming the file and the
        problem; the packages read before it are kept."""
        tools()

        def poke(off, fmt, value):
            return lambda d: struct.pack_into(fmt, d, off, value)

        def last_blob(change):
            """fill30's blob, read last (the blobs go in index order)."""
            return lambda d: change(d, blob_of(d, 30))

        def flip_byte(d, at):
            d[at + 20] ^= 1

        def wrong_index(d, at):
            struct.pack_into("<I", d, at + 4, 31)

        def long_length(d, at):
            struct.pack_into("<I", d, at + 12, 1 << 20)

        def cut(d):
            del d[blob_of(d, 30) + 20:]
            d.extend(bytes(-len(d) % 16))

        def slot_magic(d):
            """The slot after fill30's first (the free one) broken: the
            slots after it are not read, fill30's is."""
            d[48:52] = b"Xlot"

        for name, how, said, after in (
                ("magic", poke(0, "<I", 0), "not an rpm NDB package "
                 "database", None),
                ("version", poke(4, "<I", 1), "NDB version 1, not 0", None),
                ("slot-pages", poke(12, "<I", 1 << 20), "1048576 slot "
                 "pages, past the end of the file", None),
                ("no-slot-pages", poke(12, "<I", 0), "0 slot pages, past "
                 "the end of the file", None),
                ("odd-size", lambda d: d.extend(b"x"), "not a whole number "
                 "of 16-byte blocks (truncated)", None),
                ("checksum", last_blob(flip_byte), "package 30's blob fails "
                 "its checksum", 29),
                ("index", last_blob(wrong_index), "package 30's blob is "
                 "malformed", 29),
                ("length", last_blob(long_length), "package 30's blob is "
                 "malformed", 29),
                ("truncated", cut, "package 30's blob is past the end of "
                 "the file (truncated)", 29),
                ("slot-magic", slot_magic, "slot 3 has no slot magic", 1)):
            root = ndb_root(t, name)
            ndb_damage(root, how)
            r, w = scan(t, root)
            end = ", skipping the rpm database" if after is None else \
                " after %d packages, the rest not read" % after
            h.check(w == [Q + said + end], "%s: %r" % (name, w))
            h.check(owned(r) == (after == 29), "%s: %r" % (
                name, h.by_name(r.sbom, "libx.so.1").get("purl")))

    @case
    def rpm_ndb_overlapping_blobs(t):
        """Slots whose blobs share blocks, which rpmpkg.c never writes (its
        rpmpkgFindEmptyOffset refuses them: "slots overlap"): one warning
        naming both slots, the packages before it kept, and no block read
        twice. A table of 100,000 slots at one 250 MiB blob was read as
        100,000 packages, 25 TB of reading and checksumming."""
        tools()

        def copy_slot(d, slot, idx):
            """The free slot 3 made a copy of package idx's slot, under
            package number slot if given."""
            at = blob_of(d, idx)
            for src in range(32, 4096, 16):
                if struct.unpack_from("<I", d, src + 8)[0] * 16 == at:
                    break
            d[48:64] = d[src:src + 16]
            if slot is not None:
                struct.pack_into("<I", d, 52, slot)

        def inner_blob(d):
            """fill30's blob holds, in its description, a whole blob of
            package 31 (fill30's checksum made again), and slot 3 points
            at it."""
            import zlib
            at = blob_of(d, 30)
            length = struct.unpack_from("<I", d, at + 12)[0]
            count = (16 + length + 12 + 15) // 16
            inner = struct.pack("<4sIII", b"BlbS", 31, 1, 16) + OWNER[:16]
            inner += struct.pack("<II4s", zlib.adler32(inner), 16, b"BlbE")
            end = at + count * 16 - 12
            inner_at = (end - 100 - len(inner)) // 16 * 16
            d[inner_at:inner_at + len(inner)] = inner  # in its description
            struct.pack_into("<I", d, end, zlib.adler32(bytes(d[at:end])))
            struct.pack_into("<4sIII", d, 48, b"Slot", 31, inner_at // 16,
                             len(inner) // 16)

        for name, how, said, after in (
                # slot 3, a copy of package 1's (slot 32): of two at one
                # offset the later slot is refused
                ("same-blob", lambda d: copy_slot(d, None, 1),
                 "slot 32's blob overlaps slot 3's", 1),
                ("same-blob-other-index", lambda d: copy_slot(d, 31, 30),
                 "slot 3's blob overlaps slot 2's", 30),
                ("inside-another", inner_blob,
                 "slot 3's blob overlaps slot 2's", 30)):
            root = ndb_root(t, name)
            ndb_damage(root, how)
            r, w = scan(t, root)
            h.check(w == [Q + said + " after %d packages, the rest not "
                          "read" % after], "%s: %r" % (name, w))
            h.check(owned(r), "%s: %r" % (
                name, h.by_name(r.sbom, "libx.so.1").get("purl")))

    def bdb_tiny_records(path, n, pagesize=65536):
        """A Packages of n one-byte records (no headers), as many to a page
        of 64 KiB as fit (5,955), in one bucket's chain: written here, as
        db5.3_load spreads records over buckets."""
        per = (pagesize - 26) // 11
        npages = (n + per - 1) // per
        meta = bytearray(pagesize)
        struct.pack_into("<IIII", meta, 12, 0x061561, 9, pagesize, 0)
        meta[25] = 8  # P_HASHMETA
        struct.pack_into("<I", meta, 32, npages)  # last page
        struct.pack_into("<I", meta, 96, 1)  # spares[0]: bucket 0 at 1
        out, hnum = [bytes(meta)], 1
        for pg in range(1, npages + 1):
            p = bytearray(pagesize)
            count = min(per, n - hnum + 1)
            struct.pack_into("<IIIH", p, 8, pg, 0,
                             pg + 1 if pg < npages else 0, 2 * count)
            p[25] = 13  # P_HASH
            end = pagesize
            for i in range(count):
                key, data = end - 5, end - 7
                struct.pack_into("<BI", p, key, 1, hnum)
                p[data:data + 2] = b"\x01\x00"
                struct.pack_into("<HH", p, 26 + 4 * i, key, data)
                end, hnum = data, hnum + 1
            out.append(bytes(p))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"".join(out))

    @case
    def rpm_bdb_inline_records_read_once(t):
        """100,005 records of a byte each on 17 pages of 64 KiB: each
        record's bytes are read, not its whole page again, 6.5 GB read
        from a file of 1.1 MB (the read counted by the kernel, rchar of
        the shell that waited for the run)."""
        root = new_dir(t, "tiny-records")
        h.put_elf(root, "/usr/bin/app", None, etype=0x2)
        bdb_tiny_records(os.path.join(root, "var/lib/rpm/Packages"), 100005)
        out = os.path.join(t.work, "tiny-records.json")
        p = subprocess.run(["sh", "-c", '"$0" --root "$1" -o "$2" '
                            '"$1/usr/bin/app"; echo "exit=$?" >&2; '
                            'grep ^rchar: /proc/$$/io >&2',
                            t.binary, root, out], capture_output=True,
                           timeout=RUN_TIMEOUT)
        err = p.stderr.decode()
        h.check("exit=0" in err, err[-600:])
        said = "bindep-sbom: warning: '/var/lib/rpm/Packages': "
        h.check(said + "more than 100000 packages, the rest not read" in err,
                err[-600:])
        rchar = int(re.search(r"rchar: (\d+)", err).group(1))
        h.check(rchar < 100 << 20, "%d bytes read" % rchar)

    @case
    def rpm_bdb_ndb_too_many_records(t):
        """100,005 records that are no headers, in a Packages and in a
        Packages.db: two warnings each, the malformed ones counted and the
        record limit, not 100,005 (as for rpmdb.sqlite)."""
        tools()
        bad = [(i, b"\0\0") for i in range(1, 100006)]
        for path, write in (("/var/lib/rpm/Packages", bdb_load),
                            (NDB, ndb_write)):
            root = new_dir(t, "many-" + os.path.basename(path))
            h.put_elf(root, "/usr/bin/app", None, etype=0x2,
                      needed=["libx.so.1"])
            h.put_elf(root, "/opt/x/libx.so.1", "libx.so.1")
            h.put_file(root, "/etc/ld.so.conf", "/opt/x\n")
            if write is ndb_write:
                write(os.path.join(root, path.lstrip("/")), bad, 392)
            else:
                write(os.path.join(root, path.lstrip("/")), bad)
            r, w = scan(t, root)
            said = "bindep-sbom: warning: '%s': " % path
            h.check(len(w) == 2 and re.fullmatch(
                re.escape(said) + r"100000 packages with a malformed header "
                r"skipped \(the first: package \d+\)", w[0]) and
                w[1] == said + "more than 100000 packages, the rest not "
                "read", "%s: %r" % (path, w))
