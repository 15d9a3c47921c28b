"""End-to-end cases of hostile and unusual package artifacts other than
wheels and .debs: rpm (lead, headers, cpio payload), Alpine .apk, conda
(.tar.bz2, .conda) and Java archives. Registered by run.py.

Each case writes its packages at test time (an rpm is put together here
byte by byte, as rpmbuild lays it out: the lead, the signature header
padded to 8 bytes, the header, a gzip'd newc cpio) and runs the tool on
dist/. It asserts exit 0, no sanitizer report, nothing written outside the
case's directory, and what the case is about.
"""
import gzip
import json
import os
import struct

import elfgen
from artifact_fixtures import tar_bytes, zip_bytes, zstd


def elf(soname=None, needed=("libc.so.6",), runpath=None):
    return elfgen.build(soname=soname, needed=list(needed), runpath=runpath)[0]


# ---- rpm, byte by byte ---------------------------------------------------------

RPM_STRING, RPM_INT32 = 6, 4


def rpm_lead(name=b"demo"):
    lead = b"\xed\xab\xee\xdb\x03\x00" + struct.pack(">HH", 0, 1)
    lead += name[:65].ljust(66, b"\0") + struct.pack(">HH", 1, 5) + bytes(16)
    assert len(lead) == 96
    return lead


def rpm_header(tags, pad=False):
    """tags: (tag, type, value): an int32 list or a string (bytes)."""
    store, index = b"", b""
    for tag, typ, value in tags:
        if typ == RPM_INT32:
            store += bytes(-len(store) % 4)
            off = len(store)
            store += b"".join(struct.pack(">I", v) for v in value)
            count = len(value)
        else:
            off, count = len(store), 1
            store += value + b"\0"
        index += struct.pack(">IIII", tag, typ, off, count)
    h = (b"\x8e\xad\xe8\x01" + bytes(4) + struct.pack(">II", len(tags), len(store))
         + index + store)
    return h + bytes(-len(h) % 8) if pad else h


def cpio_newc(name, mode, data=b"", ino=1, nlink=1):
    """One newc entry; rpm writes a set of hard links as entries of one
    inode, the data with the last of them only."""
    n = name.encode() + b"\0"
    h = b"070701" + b"".join(b"%08X" % v for v in (
        ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(n), 0)) + n
    return h + bytes(-len(h) % 4) + data + bytes(-len(data) % 4)


def rpm_bytes(entries, name=b"demo", version=b"1.0", release=b"1",
              arch=b"x86_64", payload=None):
    """entries: cpio_newc's arguments. payload: the payload's bytes as
    they are (else the entries, gzip'd)."""
    if payload is None:
        payload = gzip.compress(b"".join(cpio_newc(*e) for e in entries) +
                                cpio_newc("TRAILER!!!", 0, ino=0), mtime=0)
    tags = [(1000, RPM_STRING, name), (1001, RPM_STRING, version),
            (1002, RPM_STRING, release), (1022, RPM_STRING, arch)]
    return (rpm_lead(name) + rpm_header([(1000, RPM_INT32, [0])], pad=True) +
            rpm_header(tags) + payload)


def register(case, h):
    check = h.check

    class Setup:
        def __init__(self, t, name):
            self.t = t
            self.dir = h.fresh_dir(t, "hardpkgs", name)
            self.dist = os.path.join(self.dir, "dist")
            self.tmp = os.path.join(self.dir, "tmp")
            os.makedirs(self.dist)
            os.makedirs(self.tmp)

        def write(self, name, data):
            with open(os.path.join(self.dist, name), "wb") as f:
                f.write(data)

        def run(self, *args, code=0):
            before = sorted(os.listdir(self.dir))
            r = self.t.run(*args, "dist/", cwd=self.dir, env={"TMPDIR": self.tmp},
                           timeout=60)
            check(sorted(os.listdir(self.dir)) == before, "wrote beside dist/")
            check(os.listdir(self.tmp) == [], "left in TMPDIR: %r" % os.listdir(self.tmp))
            check(r.code == code, "exit %d: %s" % (r.code, r.err[-1500:]))
            check(b"Sanitizer" not in r.err and b"runtime error" not in r.err,
                  "sanitizer report: %s" % r.err[-1500:])
            check(r.sbom is not None, "an SBOM is written")
            return r

        def artifact(self, r, file):
            found = [c for c in h.comps(r.sbom)
                     if h.locations(c) == ["dist/" + file]]
            check(len(found) == 1, "one component of dist/%s: %d" % (file, len(found)))
            return found[0]

    # ---- rpm ------------------------------------------------------------------

    @case
    def hardpkg_rpm_hard_links_all_named(t):
        """rpmbuild writes a file's hard links as newc entries of one
        inode, its data with the last one only: every name is the file
        (as rpm installs it), and a program that needs the library by an
        earlier name finds it."""
        s = Setup(t, "rpmhardlinks")
        lib = elf("libhl.so.1")
        app = elf(needed=("libhl-alt.so.1", "libc.so.6"), runpath="$ORIGIN/../lib64")
        s.write("hl.rpm", rpm_bytes([
            ("./usr/bin/app", 0o100755, app, 1),
            ("./usr/lib64/libhl-alt.so.1", 0o100755, b"", 2, 3),
            ("./usr/lib64/libhl-b.so.1", 0o100755, b"", 2, 3),
            ("./usr/lib64/libhl.so.1", 0o100755, lib, 2, 3),
            # a set whose data never comes: nothing, and no harm
            ("./usr/lib64/empty-a", 0o100644, b"", 3, 2)], name=b"hl"))
        r = s.run("--strict")
        c = h.by_name(r.sbom, "libhl.so.1")
        check(h.locations(c) == ["dist/hl.rpm!/usr/lib64/%s" % n for n in
                                 ("libhl-alt.so.1", "libhl-b.so.1", "libhl.so.1")],
              "every name of the hard-linked library: %r" % h.locations(c))
        # --strict: exit 0, app's libhl-alt.so.1 is found (it is libhl.so.1)
        check("libhl.so.1" in h.depends(r.sbom, h.by_name(r.sbom, "app")),
              "app depends on the library")
        check(r.warnings() == [], "no warning: %r" % r.warnings())

    @case
    def hardpkg_rpm_absolute_payload_names_installed(t):
        """nfpm and goreleaser (google/rpmpack) write the payload's names
        as the installed paths, "/usr/bin/app", where rpmbuild writes
        "./usr/bin/app": rpm takes both (rpmfnFindFN drops a "./", then a
        "/"), so the files are the package's, at those paths, with no
        warning; a hard link's target is read so too. A name that still
        leaves the root is skipped, as rpm finds it in no header."""
        s = Setup(t, "rpmabsolute")
        lib = elf("libabs.so.1")
        app = elf(needed=("libabs-alt.so.1", "libc.so.6"),
                  runpath="$ORIGIN/../lib64")
        s.write("abs.rpm", rpm_bytes([
            ("/usr/bin/app", 0o100755, app, 1),
            ("/usr/lib64/libabs-alt.so.1", 0o100755, b"", 2, 2),
            ("/usr/lib64/libabs.so.1", 0o100755, lib, 2, 2),
            ("/../etc/evil.so", 0o100755, elf("libevil.so.1"), 3)],
            name=b"abs"))
        r = s.run("--strict")
        app_c = h.by_name(r.sbom, "app")
        check(h.locations(app_c) == ["dist/abs.rpm!/usr/bin/app"],
              "the program at its installed path: %r" % h.locations(app_c))
        c = h.by_name(r.sbom, "libabs.so.1")
        check(h.locations(c) == ["dist/abs.rpm!/usr/lib64/%s" % n for n in
                                 ("libabs-alt.so.1", "libabs.so.1")],
              "the library under both names: %r" % h.locations(c))
        check("libabs.so.1" in h.depends(r.sbom, app_c),
              "app finds its library in the rpm")
        check(r.warnings() == ["bindep-sbom: warning: 'dist/abs.rpm!//../etc/"
                               "evil.so': entry name leaves the archive, "
                               "skipped"],
              "one warning, for the name out of the root: %r" % r.warnings())

    @case
    def hardpkg_rpm_odd_entries_skipped(t):
        """A payload's socket, symlink without a target and entry of no
        type cpio knows are not made: one warning each naming the rpm
        and the entry, and the rest of the payload (a program and the
        library it finds there) and the other inputs are read."""
        s = Setup(t, "rpmodd")
        s.write("odd.rpm", rpm_bytes([
            ("./run/sock", 0o140644),
            ("./usr/lib64/nowhere", 0o120777),
            ("./usr/lib64/typeless", 0o000644, b"x"),
            ("./usr/bin/app", 0o100755,
             elf(needed=("libodd.so.1",), runpath="$ORIGIN/../lib64")),
            ("./usr/lib64/libodd.so.1", 0o100755, elf("libodd.so.1"))],
            name=b"odd"))
        s.write("libother.so.2", elf("libother.so.2"))
        r = s.run("--strict")
        check(r.warnings() == ["bindep-sbom: warning: 'dist/odd.rpm!/%s': %s" % w
                               for w in (
                                   ("run/sock", "a socket, skipped"),
                                   ("usr/lib64/nowhere",
                                    "symlink without a target, skipped"),
                                   ("usr/lib64/typeless",
                                    "an entry of unknown type, skipped"))],
              "one warning each: %r" % r.warnings())
        app = h.by_name(r.sbom, "app")
        check(h.locations(app) == ["dist/odd.rpm!/usr/bin/app"], h.locations(app))
        check(h.depends(r.sbom, app) == ["libodd.so.1"], h.depends(r.sbom, app))
        check(h.locations(h.by_name(r.sbom, "libodd.so.1")) ==
              ["dist/odd.rpm!/usr/lib64/libodd.so.1"], "the library after them")
        check(h.locations(h.by_name(r.sbom, "libother.so.2")) ==
              ["dist/libother.so.2"], "the other input")
        named = [l for c in h.comps(r.sbom) for l in h.locations(c)]
        check(not [l for l in named if l.endswith(("sock", "nowhere", "typeless"))],
              "nothing of the skipped entries: %r" % named)

    @case
    def hardpkg_rpm_unreadable_payload_keeps_its_header(t):
        """An rpm whose payload cannot be read (cut short; compressed by
        what is not linked in) is still named by its header, which is
        read in place: one warning, about the payload, and its purl. One
        whose header is broken too gets that one warning alone."""
        s = Setup(t, "rpmpayload")
        lib = ("./usr/lib64/libp.so.1", 0o100755, elf("libp.so.1"))
        s.write("cut.rpm", rpm_bytes([lib], name=b"cut")[:-100])
        s.write("lz4.rpm", rpm_bytes([], name=b"lz4", payload=b"\x04\x22\x4d\x18" +
                                     bytes(64)))
        broken = rpm_bytes([], name=b"broken", payload=b"\x04\x22\x4d\x18" + bytes(64))
        # the header's index count: 0, which no header has
        at = 96 + len(rpm_header([(1000, RPM_INT32, [0])], pad=True)) + 8
        s.write("broken.rpm", broken[:at] + bytes(4) + broken[at + 4:])
        r = s.run()
        for name in ("cut", "lz4"):
            c = s.artifact(r, name + ".rpm")
            check(c.get("purl") == "pkg:rpm/fedora/%s@1.0-1?arch=x86_64" % name,
                  "%s.rpm keeps its purl: %r" % (name, c.get("purl")))
        check(s.artifact(r, "broken.rpm").get("purl") is None, "no purl")
        for name in ("cut", "lz4", "broken"):
            w = [x for x in r.warnings() if "'dist/%s.rpm" % name in x]
            check(len(w) == 1, "one warning for %s.rpm: %r" % (name, w))
            check("purl unknown" not in w[0], w)

    # ---- conda ----------------------------------------------------------------

    def conda_index(name):
        return json.dumps({"name": name, "version": "1.0", "build": "h0_0",
                           "subdir": "linux-64"}).encode()

    @case
    def hardpkg_conda_index_only_from_info_tarball(t):
        """A .conda's metadata is its info- tarball's (conda's package
        format v2; pkg- holds the files to install): an info/index.json
        in its pkg- tarball, which comes first in the zip as conda writes
        it, names nothing, with one warning, whatever the order."""
        s = Setup(t, "condainfo")
        lib = elf("libc1.so.1")
        for stem, first in (("c1-1.0-h0_0", "pkg"), ("c2-1.0-h0_0", "info")):
            name = stem.split("-")[0]
            pkg = ("pkg-%s.tar.zst" % stem, zstd(tar_bytes([
                ("lib/lib%s.so.1" % name, lib, 0o755),
                ("info/index.json", conda_index("evil"), 0o644)])), 0o644)
            info = ("info-%s.tar.zst" % stem, zstd(tar_bytes([
                ("info/index.json", conda_index(name), 0o644)])), 0o644)
            members = [pkg, info] if first == "pkg" else [info, pkg]
            s.write(stem + ".conda", zip_bytes(
                [("metadata.json", b'{"conda_pkg_format_version": 2}', 0o644)] +
                members, stored=True))
        r = s.run()
        for stem in ("c1-1.0-h0_0", "c2-1.0-h0_0"):
            c = s.artifact(r, stem + ".conda")
            want = "pkg:conda/%s@1.0?build=h0_0&subdir=linux-64" % stem.split("-")[0]
            check(c.get("purl") == want, "%s: %r" % (stem, c.get("purl")))
            w = [x for x in r.warnings() if "'dist/%s.conda" % stem in x]
            check(len(w) == 1 and "'dist/%s.conda!/info/index.json'" % stem in w[0],
                  "one warning naming the pkg- tarball's index.json: %r" % w)
