"""End-to-end cases of hostile archives given as inputs (issue 12, point 7).
Registered by run.py.

Each case writes, at test time, one or two archives holding good ELF files
and one kind of hostile entry, beside a good wheel, and runs the tool on
dist/ with TMPDIR set deep inside the case's directory, so that every
"../" an entry can climb from the private directory lands inside the case's
directory, where a canary file sits at each level. It asserts:

- exit 0, no sanitizer report, and a warning naming the archive
  ("bindep-sbom: warning: 'dist/x.tar!/../canary': ...");
- the good files of that archive (before and, where the archive can go
  on, after the hostile entry) and of the good wheel are in the SBOM;
- nothing in the case's directory was created, changed or linked to
  (canaries included), and no bindep-sbom.* directory is left in TMPDIR.

The decompression bombs and the SIGTERM case run bare under valgrind (as
tests/e2e/cases_hard_budget.py's cases do): the ASan/UBSan pass covers them.
"""
import hashlib
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import time
import zipfile
import zlib

import archive_fixtures as AF
import elfgen

DEPTH = 8  # levels of directories between the case's directory and TMPDIR
ALONGSIDE = "good_pkg-1.0-py3-none-linux_x86_64.whl"
ALONGSIDE_ELF = "good_pkg/_good.so"


def elf(soname, pad=0):
    """A small shared library (tests/elfgen.py) whose soname makes it
    unique, with pad bytes after it."""
    data, _ = elfgen.build(soname=soname, needed=["libc.so.6"])
    return data + bytes(pad)


def tar_of(entries, fmt=tarfile.PAX_FORMAT):
    return AF.tar_bytes(entries, fmt)


def gz(data):
    return zlib.compress(data, wbits=31)


def zip_of(entries):
    """entries: (name, data); stored, mode 0755."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, (2023, 11, 14, 22, 13, 20))
            zi.external_attr = 0o100755 << 16
            z.writestr(zi, data)
    return buf.getvalue()


def stored(name, data, flags=0):
    """A zip_raw entry, stored."""
    return (name, 0, flags, zlib.crc32(data), data, len(data), 0o100755)


def deflated_bomb(name, mib):
    """A zip_raw entry: an ELF header then mib MiB of zeros, deflated to
    about a thousandth (each MiB after the first compresses to the same
    bytes after a full flush)."""
    head = elf("libbomb.so.1")
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    first = co.compress(head + zeros[len(head):]) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(zeros) + co.flush(zlib.Z_FULL_FLUSH)
    packed = first + again * (mib - 1) + co.flush()
    crc = zlib.crc32(head + zeros[len(head):])
    for _ in range(mib - 1):
        crc = zlib.crc32(zeros, crc)
    return (name, 8, 0, crc, packed, mib << 20, 0o100755)


def gz_bomb(mib):
    """A .tar.gz of a good library, then an ELF header and mib MiB of
    zeros (gzip's deflate: about 1000:1)."""
    head = elf("libbomb.so.1")
    size = mib << 20
    ti = tarfile.TarInfo("lib/libbomb.so.1")
    ti.size, ti.mode = size, 0o755
    good = elf("libgood-gzbomb.so.1")
    gi = tarfile.TarInfo("lib/libgood-gzbomb.so.1")
    gi.size, gi.mode = len(good), 0o755
    raw = io.BytesIO()
    raw.write(gi.tobuf(tarfile.GNU_FORMAT) + good + bytes(-len(good) % 512))
    raw.write(ti.tobuf(tarfile.GNU_FORMAT))
    co = zlib.compressobj(6, zlib.DEFLATED, 31)
    out = [co.compress(raw.getvalue()), co.compress(head)]
    zeros = bytes(1 << 20)
    left = size - len(head)
    while left:
        n = min(left, len(zeros))
        out.append(co.compress(zeros[:n]))
        left -= n
    out.append(co.compress(bytes(1024)))  # the end blocks
    out.append(co.flush())
    return b"".join(out)


def register(case, h):
    """h is the run module: its helpers (check, comps, props, ...)."""

    check = h.check

    class Setup:
        """A case's directory: dist/ with the good wheel, TMPDIR DEPTH
        levels down, a canary at each level."""

        def __init__(self, t, name):
            self.t = t
            self.dir = h.fresh_dir(t, "hostile", name)
            self.dist = os.path.join(self.dir, "dist")
            os.makedirs(self.dist)
            levels = [self.dir]
            for i in range(DEPTH):
                levels.append(os.path.join(levels[-1], "t%d" % i))
            self.tmp = os.path.join(levels[-1], "tmp")
            os.makedirs(self.tmp)
            for d in levels:
                with open(os.path.join(d, "canary"), "w") as f:
                    f.write("canary\n")
                os.utime(os.path.join(d, "canary"), (1000000000, 1000000000))
            self.canary = os.path.join(self.dir, "canary")
            self.write(ALONGSIDE, zip_of([
                (ALONGSIDE_ELF, elf("libgood-alongside.so.1")),
                ("good_pkg-1.0.dist-info/METADATA",
                 b"Metadata-Version: 2.1\nName: good-pkg\nVersion: 1.0\n")]))

        def write(self, name, data):
            with open(os.path.join(self.dist, name), "wb") as f:
                f.write(data)

        def snapshot(self):
            """Every name under the case's directory but TMPDIR: its kind,
            mode, links, size, times, inode and content."""
            snap = {}
            for d, dirs, files in os.walk(self.dir):
                if d == self.tmp:
                    dirs[:] = []
                    continue
                for n in dirs + files:
                    p = os.path.join(d, n)
                    if p == self.tmp:
                        continue  # its times change; it must end empty
                    st = os.lstat(p)
                    data = None
                    if stat.S_ISREG(st.st_mode):
                        with open(p, "rb") as f:
                            data = hashlib.sha256(f.read()).hexdigest()
                    elif stat.S_ISLNK(st.st_mode):
                        data = os.readlink(p)
                    snap[p] = (st.st_mode, st.st_nlink, st.st_size, st.st_mtime_ns,
                               st.st_ino, data)
            return snap

        def run(self, *args, bare=False, measure=False):
            before = self.snapshot()
            prefix = (sys.executable, "-c", h.MAXRSS_SHIM) if measure else ()
            r = self.t.run(*args, "dist/", cwd=self.dir, env={"TMPDIR": self.tmp},
                           bare=bare or measure, prefix=prefix, timeout=300)
            after = self.snapshot()
            changed = sorted(p for p in set(before) | set(after)
                             if before.get(p) != after.get(p))
            check(not changed, "changed outside the private directory: %r" % changed[:10])
            check(os.listdir(self.tmp) == [], "left in TMPDIR: %r" % os.listdir(self.tmp))
            check(r.code == 0, "exit %d: %s" % (r.code, r.err[-1500:]))
            check(b"Sanitizer" not in r.err and b"runtime error" not in r.err,
                  "sanitizer report: %s" % r.err[-1500:])
            check(r.sbom is not None, "an SBOM is written")
            self.has(r, ALONGSIDE, ALONGSIDE_ELF)
            return r

        def has(self, r, archive, entry):
            loc = "dist/%s!/%s" % (archive, entry)
            found = [c for c in h.comps(r.sbom) if loc in h.locations(c)]
            check(len(found) == 1, "%s is in the SBOM (%d); inside artifacts: %r"
                  % (loc, len(found), sorted(x for c in h.comps(r.sbom)
                                             for x in h.locations(c) if "!/" in x)))
            return found[0]

        def has_not(self, r, archive, entry):
            loc = "dist/%s!/%s" % (archive, entry)
            check(not [c for c in h.comps(r.sbom) if loc in h.locations(c)],
                  "%s is not in the SBOM" % loc)

    def warned(r, archive, entry_level=True, about=None):
        """At least one warning names the archive (and an entry in it)."""
        lead = "bindep-sbom: warning: 'dist/%s%s" % (archive, "!/" if entry_level else "")
        w = [x for x in r.warnings() if x.startswith(lead)]
        check(w, "a warning starting %r; warnings: %r" % (lead, r.warnings()))
        if about:
            check(any(about in x for x in w), "a warning about %r: %r" % (about, w))
        return w

    def ups(k):
        return "../" * k

    # ---- entries leaving the archive -----------------------------------------

    def dotdot_archives(s):
        good = [("lib/libgood-dd1.so.1", "file", elf("libgood-dd1.so.1"))]
        evil = []
        for k in range(1, DEPTH + 3):
            evil.append((ups(k) + "canary", "file", b"pwned"))
            evil.append((ups(k) + "evil-dotdot-%d" % k, "file", elf("libevil.so.1")))
            evil.append(("lib/" + ups(k + 1) + "canary", "file", b"pwned"))
        after = [("lib/libgood-dd2.so.1", "file", elf("libgood-dd2.so.1"))]
        s.write("dotdot.tar", tar_of(good + evil + after))
        s.write("dotdot.zip", zip_of([(n, d) for n, _, d in good + evil + after]))

    @case
    def hardarchive_dotdot_entry(t):
        s = Setup(t, "dotdot")
        dotdot_archives(s)
        r = s.run()
        for a in ("dotdot.tar", "dotdot.zip"):
            warned(r, a, about="leaves the archive")
            s.has(r, a, "lib/libgood-dd1.so.1")
            s.has(r, a, "lib/libgood-dd2.so.1")
        check(not [x for c in h.comps(r.sbom) for x in h.locations(c) if "evil" in x],
              "no entry that leaves the archive is in the SBOM")

    def absolute_archives(s):
        good = [("lib/libgood-abs1.so.1", "file", elf("libgood-abs1.so.1"))]
        evil = [(s.canary, "file", b"pwned"),
                (os.path.join(s.dir, "evil-absolute"), "file", elf("libevil.so.1")),
                ("/" + os.path.join(s.dir, "t0", "canary").lstrip("/"), "file", b"pwned")]
        after = [("lib/libgood-abs2.so.1", "file", elf("libgood-abs2.so.1"))]
        s.write("absolute.tar", tar_of(good + evil + after))
        s.write("absolute.zip", zip_of([(n, d) for n, _, d in good + evil + after]))

    @case
    def hardarchive_absolute_entry(t):
        s = Setup(t, "absolute")
        absolute_archives(s)
        r = s.run()
        for a in ("absolute.tar", "absolute.zip"):
            warned(r, a, about="absolute")
            s.has(r, a, "lib/libgood-abs1.so.1")
            s.has(r, a, "lib/libgood-abs2.so.1")

    def symlink_archive(s):
        entries = [("lib/libgood-sym1.so.1", "file", elf("libgood-sym1.so.1"))]
        for k in range(1, DEPTH + 3):
            # a directory link out, then an entry through it
            entries += [("up%d" % k, "sym", ups(k)), ("up%d/canary" % k, "file", b"pwned"),
                        ("up%d/evil-through-link" % k, "file", b"pwned")]
            # a link to the canary, then the same name as a file: written
            # through the link if it were followed
            entries += [("c%d" % k, "sym", ups(k) + "canary"), ("c%d" % k, "file", b"pwned")]
        entries += [("abs", "sym", s.dir), ("abs/canary", "file", b"pwned"),
                    ("abs/evil-abs-link", "file", b"pwned"),
                    ("cabs", "sym", s.canary), ("cabs", "file", b"pwned"),
                    ("lib/libgood-sym2.so.1", "file", elf("libgood-sym2.so.1")),
                    # a link inside the archive is no warning
                    ("lib/libgood-sym.so", "sym", "libgood-sym2.so.1")]
        s.write("symlinks.tar", tar_of(entries))

    @case
    def hardarchive_symlink_out(t):
        s = Setup(t, "symlink")
        symlink_archive(s)
        r = s.run()
        warned(r, "symlinks.tar", about="symlink to")
        s.has(r, "symlinks.tar", "lib/libgood-sym1.so.1")
        s.has(r, "symlinks.tar", "lib/libgood-sym2.so.1")
        check(not [w for w in r.warnings() if "lib/libgood-sym.so'" in w],
              "a link inside the archive is no warning: %r" % r.warnings())

    @case
    def hardarchive_warning_names_as_the_sbom(t):
        """An entry stored as "./lib/x" (as rpm's cpio and `tar -C dir .`
        store them) is named "lib/x" in the SBOM, and so in its warnings
        (README, Inputs: the name in every warning is the SBOM's); a name
        that is refused stays as it was stored."""
        s = Setup(t, "dotnames")
        s.write("dots.tar", tar_of([
            ("./lib/libgood-dots.so.1", "file", elf("libgood-dots.so.1")),
            ("./lib/./libgood-dots.so.1", "file", elf("libgood-dots.so.1", 8)),
            ("./lib/../../escape", "file", b"pwned")]))
        r = s.run()
        s.has(r, "dots.tar", "lib/libgood-dots.so.1")
        w = sorted(r.warnings())
        lead = "bindep-sbom: warning: 'dist/dots.tar!/"
        check(w == [lead + "./lib/../../escape': entry name leaves the archive, skipped",
                    lead + "lib/libgood-dots.so.1': duplicate entry, the first is kept"], w)

    @case
    def hardarchive_symlink_loop(t):
        """Links inside an archive that lead round in a circle (a, b ->
        a; self -> self) are one warning each, as in a directory walked;
        a link to a file of the archive, or to one that was not unpacked
        (a text file), is none; the rest is scanned."""
        s = Setup(t, "symloop")
        s.write("loops.tar", tar_of([
            ("lib/libgood-loop.so.1", "file", elf("libgood-loop.so.1")),
            ("lib/libgood-loop.so", "sym", "libgood-loop.so.1"),
            ("lib/liba.so", "sym", "libb.so"),
            ("lib/libb.so", "sym", "liba.so"),
            ("lib/libself.so", "sym", "libself.so"),
            ("README", "file", b"read me\n"),
            ("lib/README", "sym", "../README")]))
        r = s.run()
        loops = sorted(w for w in r.warnings() if "symlink loop" in w)
        check(loops == ["bindep-sbom: warning: 'dist/loops.tar!/lib/%s': "
                        "symlink loop" % n
                        for n in ("liba.so", "libb.so", "libself.so")],
              "warnings: %r" % r.warnings())
        check(not [w for w in r.warnings() if "README" in w or
                   "libgood-loop.so'" in w], r.warnings())
        good = s.has(r, "loops.tar", "lib/libgood-loop.so.1")
        check("dist/loops.tar!/lib/libgood-loop.so" in h.locations(good),
              h.locations(good))

    def hardlink_archive(s):
        entries = [("lib/libgood-hl1.so.1", "file", elf("libgood-hl1.so.1"))]
        for k in range(1, DEPTH + 3):
            entries += [("h%d" % k, "hard", ups(k) + "canary"), ("h%d" % k, "file", b"pwned")]
        entries += [("habs", "hard", s.canary), ("habs", "file", b"pwned"),
                    ("lib/libgood-hl2.so.1", "file", elf("libgood-hl2.so.1")),
                    # a hard link to an entry before it stays fine
                    ("lib/libgood-hl2-copy.so.1", "hard", "lib/libgood-hl2.so.1")]
        s.write("hardlinks.tar", tar_of(entries))

    @case
    def hardarchive_hardlink_out(t):
        s = Setup(t, "hardlink")
        hardlink_archive(s)
        r = s.run()
        warned(r, "hardlinks.tar", about="hard link to")
        s.has(r, "hardlinks.tar", "lib/libgood-hl1.so.1")
        c = s.has(r, "hardlinks.tar", "lib/libgood-hl2.so.1")
        check(os.lstat(s.canary).st_nlink == 1, "the canary has no new link")
        check("dist/hardlinks.tar!/lib/libgood-hl2-copy.so.1" in h.locations(c),
              "a hard link inside the archive is kept: %r" % h.locations(c))

    # ---- entries that are no files --------------------------------------------

    def device_archive(s):
        s.write("devices.tar", tar_of([
            ("lib/libgood-dev1.so.1", "file", elf("libgood-dev1.so.1")),
            ("dev/null", "chr", None), ("dev/fifo", "fifo", None),
            ("lib/libgood-dev2.so.1", "file", elf("libgood-dev2.so.1"))]))

    @case
    def hardarchive_device_node(t):
        s = Setup(t, "device")
        device_archive(s)
        r = s.run()
        w = warned(r, "devices.tar", about="device")
        check(any("dev/null" in x for x in w), "the device is named: %r" % w)
        s.has(r, "devices.tar", "lib/libgood-dev1.so.1")
        s.has(r, "devices.tar", "lib/libgood-dev2.so.1")

    def duplicate_archive(s):
        first, second = elf("libdup.so.1", 16), elf("libdup.so.1", 32)
        s.write("dup.tar", tar_of([
            ("lib/libdup.so.1", "file", first), ("lib/libdup.so.1", "file", second),
            ("./lib/libdup.so.1", "file", second),
            ("lib/libgood-dup.so.1", "file", elf("libgood-dup.so.1"))]))
        return hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()

    @case
    def hardarchive_duplicate_entry(t):
        s = Setup(t, "duplicate")
        first, second = duplicate_archive(s)
        r = s.run()
        warned(r, "dup.tar", about="duplicate")
        c = s.has(r, "dup.tar", "lib/libdup.so.1")
        check(c["hashes"] == [{"alg": "SHA-256", "content": first}],
              "the first of the duplicates is kept")
        check(not [x for x in h.comps(r.sbom)
                   if {"alg": "SHA-256", "content": second} in x.get("hashes", [])],
              "the second is in no component")
        s.has(r, "dup.tar", "lib/libgood-dup.so.1")

    def encrypted_archive(s):
        secret = elf("libsecret.so.1")
        s.write("encrypted.zip", AF.zip_raw([
            stored("lib/libgood-enc1.so.1", elf("libgood-enc1.so.1")),
            # PKWARE encryption: bit 0; a 12-byte header before the data.
            # Stored as "./lib/...": warned about by its SBOM name.
            ("./lib/libsecret.so.1", 0, 1, zlib.crc32(secret), os.urandom(12) + secret,
             len(secret), 0o100755),
            stored("lib/libgood-enc2.so.1", elf("libgood-enc2.so.1"))]))

    @case
    def hardarchive_encrypted_zip_entry(t):
        s = Setup(t, "encrypted")
        encrypted_archive(s)
        r = s.run()
        w = warned(r, "encrypted.zip", about="encrypted")
        check(w == ["bindep-sbom: warning: 'dist/encrypted.zip!/lib/"
                    "libsecret.so.1': encrypted entry, skipped"], w)
        s.has(r, "encrypted.zip", "lib/libgood-enc1.so.1")
        s.has(r, "encrypted.zip", "lib/libgood-enc2.so.1")
        s.has_not(r, "encrypted.zip", "lib/libsecret.so.1")

    # ---- bombs, nesting, broken archives ----------------------------------------

    def peak_kib(r):
        text = r.err.decode()
        check("maxrss=" in text, "peak memory reported")
        return int(text.rsplit("maxrss=", 1)[1].split()[0])

    def bounded(t, r, *args):
        """The bomb's run took less than 32 MiB beyond the same run on the
        good wheel alone (the bomb unpacks to 64 MiB; a sanitizer's own
        overhead is in both)."""
        base = Setup(t, "bomb-baseline").run(*args, measure=True)
        check(peak_kib(r) < peak_kib(base) + 32 * 1024, "peak memory %d KiB, %d KiB "
              "without the bomb" % (peak_kib(r), peak_kib(base)))

    @case
    def hardarchive_bomb_over_max_unpacked(t):
        """A zip entry of 64 MiB of zeros in 64 KiB, with --max-unpacked 1M:
        stopped at the cap; memory stays small."""
        s = Setup(t, "bomb")
        s.write("bomb.zip", AF.zip_raw([
            stored("lib/libgood-bomb.so.1", elf("libgood-bomb.so.1")),
            deflated_bomb("lib/libbomb.so.1", 64)]))
        r = s.run("--max-unpacked", "1M", measure=True)
        warned(r, "bomb.zip", entry_level=False, about="more than 1 MiB")
        s.has(r, "bomb.zip", "lib/libgood-bomb.so.1")
        bounded(t, r, "--max-unpacked", "1M")

    @case
    def hardarchive_bomb_ratio_by_default(t):
        """A .tar.gz unpacking to 1000 times its size, default caps: the
        ratio stops it."""
        s = Setup(t, "bomb-ratio")
        s.write("ratio.tar.gz", gz_bomb(64))
        r = s.run(measure=True)
        warned(r, "ratio.tar.gz", entry_level=False, about="times its size")
        s.has(r, "ratio.tar.gz", "lib/libgood-gzbomb.so.1")
        bounded(t, r)

    NEST = 8

    def nest_archive(s):
        """n1.tar.gz holds lib/libn1.so.1 and nest/n2.tar.gz, which holds
        ... down to n8.tar.gz."""
        inner = None
        for k in range(NEST, 0, -1):
            entries = [("lib/libn%d.so.1" % k, "file", elf("libn%d.so.1" % k))]
            if inner is not None:
                entries.append(("nest/n%d.tar.gz" % (k + 1), "file", inner))
            inner = gz(tar_of(entries))
        s.write("n1.tar.gz", inner)

    def nest_location(k):
        return "".join("nest/n%d.tar.gz!/" % i for i in range(2, k + 1)) + \
            "lib/libn%d.so.1" % k

    @case
    def hardarchive_nesting_too_deep(t):
        """Archives in archives 8 deep: 4 levels are read, the deeper ones
        are not, with a warning naming the archive."""
        s = Setup(t, "nesting")
        nest_archive(s)
        r = s.run()
        warned(r, "n1.tar.gz", entry_level=False, about="nested")
        for k in range(1, 5):
            s.has(r, "n1.tar.gz", nest_location(k))
        for k in range(6, NEST + 1):
            s.has_not(r, "n1.tar.gz", nest_location(k))

    def broken_archives(s):
        # a .tar.gz cut in its second entry (incompressible: the cut lies
        # far past the first entry's end, beyond libarchive's read-ahead)
        good = elf("libgood-trunc.so.1")
        blob = os.urandom(300 * 1024)
        tgz = gz(tar_of([("lib/libgood-trunc.so.1", "file", good),
                         ("share/blob", "file", blob),
                         ("lib/liblost.so.1", "file", elf("liblost.so.1"))]))
        s.write("truncated.tar.gz", tgz[:200 * 1024])
        # a wheel cut in its second entry
        whl = zip_of([("cut/_good.so", elf("libgood-cutwhl.so.1")),
                      ("cut/blob.bin", os.urandom(200 * 1024)),
                      ("cut/_lost.so", elf("liblost2.so.1"))])
        s.write("cut-1.0-py3-none-any.whl", whl[:100 * 1024])
        # a tar whose second header is damaged
        tar = bytearray(tar_of([("lib/libgood-corrupt.so.1", "file", elf("libgood-corrupt.so.1")),
                                ("lib/libafter.so.1", "file", elf("libafter.so.1"))],
                               fmt=tarfile.GNU_FORMAT))
        second = 512 + (len(elf("libgood-corrupt.so.1")) + 511) // 512 * 512
        tar[second + 148:second + 156] = b"9999999\0"  # a bad checksum
        s.write("corrupt.tar", bytes(tar))
        # zip and gzip magic, then garbage
        s.write("garbage.zip", b"PK\x03\x04" + os.urandom(4000))
        # a small .tar.gz cut in half: libarchive's first read meets the
        # end (it was "not an archive")
        small = gz(tar_of([("lib/libsmall.so.1", "file", elf("libsmall.so.1"))]))
        s.write("small-cut.tar.gz", small[:len(small) // 2])

    BROKEN = ("truncated.tar.gz", "cut-1.0-py3-none-any.whl", "corrupt.tar",
              "garbage.zip", "small-cut.tar.gz")

    @case
    def hardarchive_truncated_and_corrupt(t):
        """A broken archive is one warning; what was read of it is kept;
        and it is marked as not read whole, as an unreadable file is: its
        bindep:error, and the SBOM's incomplete composition."""
        s = Setup(t, "broken")
        broken_archives(s)
        r = s.run()
        s.has(r, "truncated.tar.gz", "lib/libgood-trunc.so.1")
        s.has(r, "cut-1.0-py3-none-any.whl", "cut/_good.so")
        s.has(r, "corrupt.tar", "lib/libgood-corrupt.so.1")
        for a in BROKEN:
            warned(r, a, entry_level=False)
            art = [c for c in h.comps(r.sbom)
                   if "dist/" + a in h.locations(c)]
            check(len(art) == 1 and h.props(art[0], "bindep:error"),
                  "%s: %r" % (a, art))
            check(art[0]["bom-ref"] in h.incomplete(r.sbom)["assemblies"],
                  "%s is not incomplete" % a)
        small = [w for w in r.warnings() if "small-cut.tar.gz" in w]
        check(small and "not an archive" not in small[0] and
              "truncated" in small[0], small)
        # The wheel alongside was read whole.
        good = [c for c in h.comps(r.sbom) if "dist/" + ALONGSIDE in h.locations(c)]
        check(good and not h.props(good[0], "bindep:error"), good)

    @case
    def hardarchive_corrupt_gzip(t):
        """gzip's magic, then bytes that do not decompress: a corrupt
        archive, as garbage after a zip's magic is. And a good .tar.gz
        followed by a damaged gzip member: its good file kept. (libarchive
        decompresses 64 KiB ahead when it opens a stream: a damaged member
        within the first 64 KiB fails the open, and is warned about.)"""
        s = Setup(t, "badgzip")
        # The first deflate block says type 3, which does not exist (RFC
        # 1951, 3.2.3): random bytes there sometimes make a short valid
        # block instead, a gzip'd text that is no archive.
        s.write("garbage.tar.gz", b"\x1f\x8b\x08\x00" + bytes(6) + b"\x07" +
                os.urandom(3989))
        good = [("lib/libgood-gz.so.1", "file", elf("libgood-gz.so.1"))]
        small = gz(tar_of(good))
        big = gz(tar_of(good + [("share/pad", "file", os.urandom(200000))]))
        # a good gzip stream, then a damaged deflate block in a second member
        tail = b"\x1f\x8b\x08\x00\0\0\0\0\0\xff" + b"\x07" + os.urandom(1999)
        s.write("damaged.tar.gz", big + tail)
        s.write("damaged-small.tar.gz", small + tail)
        r = s.run()
        warned(r, "garbage.tar.gz", entry_level=False)
        warned(r, "damaged-small.tar.gz", entry_level=False)
        s.has(r, "damaged.tar.gz", "lib/libgood-gz.so.1")

    @case
    def hardarchive_all_together(t):
        """Every hostile archive but the bombs in one dist/: each warned
        about, every good file kept, nothing written outside."""
        s = Setup(t, "together")
        dotdot_archives(s)
        absolute_archives(s)
        symlink_archive(s)
        hardlink_archive(s)
        device_archive(s)
        duplicate_archive(s)
        encrypted_archive(s)
        nest_archive(s)
        broken_archives(s)
        r = s.run()
        for a, e in (("dotdot.tar", "lib/libgood-dd2.so.1"),
                     ("absolute.zip", "lib/libgood-abs2.so.1"),
                     ("symlinks.tar", "lib/libgood-sym2.so.1"),
                     ("hardlinks.tar", "lib/libgood-hl2.so.1"),
                     ("devices.tar", "lib/libgood-dev2.so.1"),
                     ("dup.tar", "lib/libgood-dup.so.1"),
                     ("encrypted.zip", "lib/libgood-enc2.so.1"),
                     ("n1.tar.gz", nest_location(3)),
                     ("truncated.tar.gz", "lib/libgood-trunc.so.1"),
                     ("corrupt.tar", "lib/libgood-corrupt.so.1")):
            s.has(r, a, e)
        for a, entry in (("dotdot.tar", True), ("dotdot.zip", True),
                         ("absolute.tar", True), ("absolute.zip", True),
                         ("symlinks.tar", True), ("hardlinks.tar", True),
                         ("devices.tar", True), ("dup.tar", True),
                         ("encrypted.zip", True), ("n1.tar.gz", False),
                         ("truncated.tar.gz", False), ("corrupt.tar", False),
                         ("cut-1.0-py3-none-any.whl", False),
                         ("garbage.zip", False)):
            warned(r, a, entry_level=entry)

    # ---- the private directory on a signal ------------------------------------------

    def killed(t, name, ready, then=None):
        """Runs the tool on three wheels of 24 MiB, stops it (SIGSTOP) as
        soon as ready(private directory) holds, so that the signal lands
        there however fast the machine is, then sends SIGTERM. Returns the
        case's Setup once the tool is gone."""
        s = Setup(t, name)
        for i in range(3):
            s.write("big%d-1.0-py3-none-any.whl" % i, zip_of([
                ("big%d/_big.so" % i, elf("libbig%d.so.1" % i) + os.urandom(24 << 20))]))
        env = dict(os.environ, TMPDIR=s.tmp)
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.Popen([t.binary, "-o", "out.json", "dist/"], cwd=s.dir, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        caught = False
        try:
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                mine = [n for n in os.listdir(s.tmp) if n.startswith("bindep-sbom")]
                if mine and ready(os.path.join(s.tmp, mine[0])):
                    proc.send_signal(signal.SIGSTOP)
                    caught = proc.poll() is None
                    if caught and then:
                        then(os.path.join(s.tmp, mine[0]))
                    break
                time.sleep(0.0005)
            check(caught, "the tool was not caught at the moment wanted "
                  "(exit %r)" % proc.poll())
            proc.send_signal(signal.SIGTERM)
            proc.send_signal(signal.SIGCONT)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        err = proc.stderr.read()
        check(b"Sanitizer" not in err, err[-1000:])
        check(proc.returncode != 0, "killed, not finished")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and \
                any(n.startswith("bindep-sbom") for n in os.listdir(s.tmp)):
            time.sleep(0.05)
        left = [n for n in os.listdir(s.tmp) if n.startswith("bindep-sbom")]
        check(not left, "left in TMPDIR 5 s after SIGTERM: %r" % left)
        check(not [n for n in os.listdir(s.dir) if n.startswith("out.json")],
              "no output, partial or whole: %r" % os.listdir(s.dir))
        return s

    @case
    def hardarchive_private_dir_removed_on_sigterm(t):
        """Killed with SIGTERM while it extracts (its private directory in
        use), the tool leaves no directory (within 5 s) and no output."""
        killed(t, "sigterm", lambda d: os.path.isdir(d) and os.listdir(d))

    @case
    def hardarchive_private_dir_removed_wide_and_deep(t):
        """The sentinel's removal (getdents64 into a stack buffer, no
        malloc) of a private directory holding, when the tool is killed,
        12,000 entries in one directory (many getdents64 batches, entries
        unlinked while the directory is read) and directories nested
        1,000 levels deep, a file at each level, a symlink to a file
        outside at the bottom: all gone within 5 s, the file outside
        kept."""
        def populate(priv):
            wide = os.path.join(priv, "wide")
            os.mkdir(wide)
            for i in range(12000):
                open(os.path.join(wide, "entry-%05d" % i), "w").close()
            fd = os.open(priv, os.O_RDONLY | os.O_DIRECTORY)
            try:
                for i in range(1000):
                    os.mkdir("d", dir_fd=fd)
                    os.close(os.open("f%d" % i, os.O_CREAT | os.O_WRONLY,
                                     0o600, dir_fd=fd))
                    sub = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                    os.close(fd)
                    fd = sub
                os.symlink(outside, "out", dir_fd=fd)
            finally:
                os.close(fd)

        outside = os.path.join(h.fresh_dir(t, "hostile", "wide-outside"),
                               "keep")
        with open(outside, "w") as f:
            f.write("keep\n")
        killed(t, "wide-deep", lambda d: os.path.isdir(d) and os.listdir(d),
               then=populate)
        check(os.path.isfile(outside), "the file outside was removed")

    @case
    def hardarchive_private_dir_removed_on_sigterm_at_creation(t):
        """The same, the signal landing as the private directory is made:
        strace delivers SIGTERM when the first mkdir(2) (mkdtemp's)
        returns. 'Removed on every exit path, signals included' holds from
        the directory's first instant."""
        strace = shutil.which("strace")
        if not strace:
            print("skip - hardarchive_private_dir_removed_on_sigterm_at_creation: "
                  "no strace")
            return
        s = Setup(t, "sigterm-mkdir")
        env = dict(os.environ, TMPDIR=s.tmp)
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run(
            [strace, "-f", "-qq", "-o", os.path.join(s.dir, "strace.txt"),
             "-e", "trace=mkdir", "-e", "inject=mkdir:signal=SIGTERM:when=1",
             t.binary, "-o", "out.json", "dist/"],
            cwd=s.dir, env=env, capture_output=True, timeout=120)
        with open(os.path.join(s.dir, "strace.txt")) as f:
            trace = f.read()
        if "mkdir(" not in trace:
            print("skip - hardarchive_private_dir_removed_on_sigterm_at_creation: "
                  "strace cannot trace here: %r" % proc.stderr[-300:])
            return
        check("bindep-sbom." in trace and "SIGTERM" in trace,
              "the signal followed the private directory's mkdir: %s" % trace[-600:])
        check(proc.returncode != 0, "killed, not finished")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and os.listdir(s.tmp):
            time.sleep(0.05)
        check(not os.listdir(s.tmp), "left in TMPDIR 5 s after a SIGTERM "
              "at its creation: %r" % os.listdir(s.tmp))
