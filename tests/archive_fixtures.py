#!/usr/bin/python3
"""Write the archives tests/unit/test_archive.c reads, into OUTDIR.

usage: archive_fixtures.py OUTDIR OUTSIDE
OUTSIDE is the directory holding the canary, which hostile entries aim at.
Good archives of each kind (a wheel, tar.gz/xz/bz2/zst, an .apk, a .deb by
dpkg-deb, an rpm by rpmbuild) and one per hostile case of issue 12, point 7.
With --seeds, writes small copies for the fuzz corpus instead."""
import io
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile
import zlib

# An ELF magic and header: the first 64 bytes of /bin/true, padded.
with open("/bin/true", "rb") as f:
    ELF = f.read(64) + bytes(4096 - 64)
METADATA = b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n"


def tar_bytes(entries, fmt=tarfile.GNU_FORMAT):
    """entries: (name, kind, payload) with kind file/dir/sym/hard/chr/fifo;
    payload the data, or a link target."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt, encoding="utf-8",
                      errors="surrogateescape") as t:
        for name, kind, payload in entries:
            ti = tarfile.TarInfo(name)
            ti.mode = 0o755 if kind == "file" and payload[:4] == b"\x7fELF" else 0o644
            data = None
            if kind == "file":
                ti.size = len(payload)
                data = io.BytesIO(payload)
            elif kind == "dir":
                ti.type = tarfile.DIRTYPE
            elif kind == "sym":
                ti.type, ti.linkname = tarfile.SYMTYPE, payload
            elif kind == "hard":
                ti.type, ti.linkname = tarfile.LNKTYPE, payload
            elif kind == "chr":
                ti.type, ti.devmajor, ti.devminor = tarfile.CHRTYPE, 1, 3
            elif kind == "fifo":
                ti.type = tarfile.FIFOTYPE
            t.addfile(ti, data)
    return buf.getvalue()


def ar_bytes(members):
    """An ar archive as deb(5) has it: members (name, data), 2-aligned."""
    out = io.BytesIO()
    out.write(b"!<arch>\n")
    for name, data in members:
        out.write(b"%-16s%-12d%-6d%-6d%-8o%-10d`\n"
                  % (name.encode(), 0, 0, 0, 0o100644, len(data)))
        out.write(data)
        if len(data) % 2:
            out.write(b"\n")
    return out.getvalue()


def cpio_newc(name, mode, data, ino=1, nlink=1):
    """A cpio "newc" member: its header, name and data, 4-aligned."""
    name = name.encode() + b"\0"
    out = b"070701" + b"".join(b"%08X" % v for v in (
        ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(name), 0)) + name
    out += bytes(-len(out) % 4) + data
    return out + bytes(-len(out) % 4)


def put(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def zip_raw(entries):
    """A zip written by hand: entries (name, method, flags, crc, packed,
    size, data, mode); for what zipfile cannot write (encryption, a bomb)."""
    local, central = io.BytesIO(), io.BytesIO()
    for name, method, flags, crc, data, size, mode in entries:
        n = name.encode()
        off = local.tell()
        local.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method,
                                0, 0x21, crc, len(data), size, len(n), 0))
        local.write(n + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20,
                                  flags, method, 0, 0x21, crc, len(data), size,
                                  len(n), 0, 0, 0, 0, mode << 16, off))
        central.write(n)
    cd = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries),
                      len(entries), len(cd), local.tell(), 0)
    return local.getvalue() + cd + end


def zip_hidden():
    """A zip whose first local header claims the bytes of the second entry
    too: a stream of local headers sees a.txt (with b.txt's header and data
    in it) and then the end; the central directory, which pip installs by,
    lists both."""
    a, b = b"first", b"second"
    lb = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21,
                     zlib.crc32(b), len(b), len(b), 5, 0) + b"b.txt" + b
    la = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21,
                     zlib.crc32(a + lb), len(a + lb), len(a + lb), 5, 0)
    local = la + b"a.txt" + a + lb
    central = b""
    for name, data, off in ((b"a.txt", a, 0), (b"b.txt", b, len(la) + 5 + len(a))):
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0,
                               0, 0, 0x21, zlib.crc32(data), len(data),
                               len(data), len(name), 0, 0, 0, 0,
                               0o100644 << 16, off) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central),
                      len(local), 0)
    return local + central + end


def deflate_zeros(mib):
    """A raw deflate stream of mib MiB of zeros, made from one compressed
    MiB repeated (a full flush makes each MiB's bytes the same)."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    mb = bytes(1 << 20)
    first = co.compress(mb) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(mb) + co.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(mb, crc)
    return first + again * (mib - 1) + co.flush(), crc


def good(out):
    with zipfile.ZipFile(os.path.join(out, "wheel.whl"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        zi = zipfile.ZipInfo("pkg/_x.so")
        zi.external_attr = 0o100755 << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, ELF)
        z.writestr("pkg/__init__.py", "")
        z.writestr("pkg/caf\u00e9.txt", "utf-8")
        z.writestr("pkg-1.0.dist-info/METADATA", METADATA)
    tree = tar_bytes([("./bin/", "dir", None), ("./bin/app", "file", ELF),
                      ("./lib/libx.so.1", "file", ELF),
                      ("./lib/libx.so", "sym", "libx.so.1"),
                      ("./bin/app2", "hard", "./bin/app"),
                      ("./share/doc.txt", "file", b"text\n")])
    put(out, "tree.tar", tree)
    with tarfile.open(os.path.join(out, "tree.tar.gz"), "w:gz") as t, \
            tarfile.open(fileobj=io.BytesIO(tree)) as src:
        for ti in src:
            t.addfile(ti, src.extractfile(ti) if ti.isfile() else None)
    for ext, tool in (("xz", "xz"), ("bz2", "bzip2"), ("zst", "zstd")):
        if shutil.which(tool):
            put(out, "tree.tar." + ext,
                subprocess.run([tool, "-c"], input=tree, check=True,
                               stdout=subprocess.PIPE).stdout)
    # An Alpine .apk: gzip streams concatenated, the first a tar cut
    # before its end blocks (abuild's signature stream).
    sig = tar_bytes([(".SIGN.RSA.key.pub", "file", b"sig")])
    body = tar_bytes([(".PKGINFO", "file", b"pkgname = demo\n"),
                      ("usr/lib/libd.so.1", "file", ELF)])
    while sig.endswith(bytes(512)):
        sig = sig[:-512]
    put(out, "demo.apk", zlib.compress(sig, wbits=31) +
        zlib.compress(body, wbits=31))
    # gzip, but no tar in it: text that decompresses past a sniff's head.
    text = b"".join(b"line %d of a plain text file\n" % i for i in range(20000))
    put(out, "plain.gz", zlib.compress(text, wbits=31))
    deb(out)
    rpm(out)
    static(out)


def static(out):
    """A static library: ar with a symbol index ("/"), a long-name table
    ("//") and modes without a file type (ar D)."""
    if not (shutil.which("cc") and shutil.which("ar")):
        return
    src = os.path.join(out, "f.c")
    put(out, "f.c", b"int f(void) { return 1; }\n")
    objs = [os.path.join(out, n) for n in ("f.o", "a-member-with-a-long-name.o")]
    for o in objs:
        subprocess.run(["cc", "-c", "-o", o, src], check=True)
    subprocess.run(["ar", "rcsD", os.path.join(out, "static.a")] + objs,
                   check=True)
    for f in objs + [src]:
        os.unlink(f)


def deb(out):
    root = os.path.join(out, "debroot")
    os.makedirs(os.path.join(root, "DEBIAN"))
    os.makedirs(os.path.join(root, "usr/bin"))
    put(root, "DEBIAN/control", b"Package: demo\nVersion: 1.0\n"
        b"Architecture: amd64\nMaintainer: t <t@t>\nDescription: d\n d\n")
    put(root, "usr/bin/app", ELF)
    os.chmod(os.path.join(root, "usr/bin/app"), 0o755)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build",
                    root, os.path.join(out, "demo.deb")], check=True,
                   stdout=subprocess.DEVNULL)
    shutil.rmtree(root)


def rpm(out):
    if not shutil.which("rpmbuild"):
        return
    top = os.path.join(out, "rpmtop")
    spec = os.path.join(out, "demo.spec")
    put(out, "demo.spec", b"""Name: demo
Version: 1.0
Release: 1
Summary: demo
License: MIT
BuildArch: noarch
%global _binaries_in_noarch_packages_terminate_build 0
%global debug_package %{nil}
%global __os_install_post %{nil}
%description
demo
%install
mkdir -p %{buildroot}/usr/bin
cp """ + os.path.join(out, "elf").encode() + b""" %{buildroot}/usr/bin/app
chmod 755 %{buildroot}/usr/bin/app
ln -s app %{buildroot}/usr/bin/app-link
%files
/usr/bin/app
/usr/bin/app-link
""")
    put(out, "elf", ELF)
    subprocess.run(["rpmbuild", "-bb", "--quiet", "--define", "_topdir " + top,
                    "--define", "_rpmfilename demo.rpm", spec], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.move(os.path.join(top, "RPMS", "demo.rpm"),
                os.path.join(out, "demo.rpm"))
    shutil.rmtree(top)
    os.unlink(spec)
    os.unlink(os.path.join(out, "elf"))


def hostile(out, outside):
    canary = os.path.join(outside, "canary")
    put(out, "dotdot.tar", tar_bytes([
        ("../outside/evil", "file", b"x"), ("a/../../outside/evil2", "file", b"x"),
        ("a/../ok.txt", "file", b"ok"), ("./b/./c.txt", "file", b"c"),
        ("d/" * 128 + "deep", "file", b"x"), ("d/" * 127 + "ok", "file", b"x"),
        ("x" * 4097, "file", b"x")]))
    # Directories no entry lists (bd_archive_implied): a, a/b, a/b/c for
    # x, l/m for z (l is listed); d for w, p for the link: past a cap of 4.
    put(out, "implied.tar", tar_bytes([
        ("a/b/c/x", "file", b"x"), ("a/b/y", "file", b"y"),
        ("l/", "dir", None), ("l/m/z", "file", b"z"), ("d/e/w", "file", b"w"),
        ("a/v", "file", b"v"), ("l/n/", "dir", None), ("p/q", "sym", "../a"),
        ("l/k", "file", b"k")]))
    # Directories entries list (bd_archive_limits.listed), past a cap of
    # 3: a, a/b, c made; a/b again is there; c/d not, until c/d/x makes
    # it as an implied one; e and e/f not at all. The same as a cpio (an
    # rpm's payload), and a zip's "x/" entries.
    listed = [("a/", "dir", None), ("a/b/", "dir", None), ("c/", "dir", None),
              ("a/b/", "dir", None), ("c/d/", "dir", None),
              ("c/d/x", "file", b"x"), ("e/", "dir", None),
              ("e/f/", "dir", None)]
    put(out, "listed.tar", tar_bytes(listed))
    put(out, "listed.cpio", b"".join(
        cpio_newc(n.rstrip("/"), 0o40755 if k == "dir" else 0o100644,
                  d or b"", ino=i + 1)
        for i, (n, k, d) in enumerate(listed)) +
        cpio_newc("TRAILER!!!", 0, b""))
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        for n, k, d in listed:
            if n in z.namelist():
                continue
            if k == "dir":
                z.writestr(zipfile.ZipInfo(n), b"")
            else:
                z.writestr(n, d)
    put(out, "listed.zip", zbuf.getvalue())
    # Files and links written (bd_archive_limits.written), past a cap of
    # 3: a/f1, a/s1, a/f2 written; a/s2, a/f3 not (and a/h1 in the tar);
    # e, a directory, made all the same. The same as a cpio (an rpm's
    # payload), and a zip whose symlinks are Unix ones.
    written = [("a/", "dir", None), ("a/f1", "file", b"1"),
               ("a/s1", "sym", "f1"), ("a/f2", "file", b"2"),
               ("a/s2", "sym", "f2"), ("e/", "dir", None),
               ("a/f3", "file", b"3")]
    put(out, "written.tar", tar_bytes(written + [("a/h1", "hard", "a/f1")]))
    put(out, "written.cpio", b"".join(
        cpio_newc(n.rstrip("/"), {"dir": 0o40755, "sym": 0o120777}.get(
            k, 0o100644), d.encode() if k == "sym" else d or b"", ino=i + 1)
        for i, (n, k, d) in enumerate(written)) +
        cpio_newc("TRAILER!!!", 0, b""))
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        for n, k, d in written:
            zi = zipfile.ZipInfo(n)
            zi.create_system = 3
            if k == "sym":
                zi.external_attr = 0o120777 << 16
                z.writestr(zi, d)
            else:
                zi.external_attr = (0o40755 if k == "dir" else 0o100644) << 16
                z.writestr(zi, d or b"")
    put(out, "written.zip", zbuf.getvalue())
    put(out, "absolute.tar", tar_bytes([
        (os.path.join(outside, "abs"), "file", b"x"), ("ok.txt", "file", b"ok")],
        fmt=tarfile.PAX_FORMAT))
    put(out, "symlinks.tar", tar_bytes([
        ("up", "sym", "../outside"), ("d/up2", "sym", "../../outside/canary"),
        ("abs", "sym", outside), ("abs/evil", "file", b"x"),
        ("sub/", "dir", None), ("in", "sym", "sub"), ("in/evil", "file", b"x"),
        ("d/ok", "sym", "../sub"), ("up/evil", "file", b"x")]))
    put(out, "hardlinks.tar", tar_bytes([
        ("h1", "hard", "../outside/canary"), ("h2", "hard", canary),
        ("h3", "hard", "later"), ("later", "file", b"l"),
        ("h4", "hard", "later")]))
    put(out, "devices.tar", tar_bytes([
        ("dev/null", "chr", None), ("fifo", "fifo", None), ("ok.txt", "file", b"ok")]))
    put(out, "dup.tar", tar_bytes([
        ("dup.txt", "file", b"first"), ("dup.txt", "file", b"second"),
        ("./dup.txt", "file", b"third"), ("ok.txt", "file", b"ok")]))
    # Names that are no UTF-8 (bytes kept as tar has them): one twice, one
    # other, and a hard link to it.
    put(out, "dupraw.tar", tar_bytes([
        (os.fsdecode(b"lib\xff.txt"), "file", b"first"),
        (os.fsdecode(b"lib\xff.txt"), "file", b"second"),
        (os.fsdecode(b"lib\xfe.txt"), "file", b"other"),
        ("h", "hard", os.fsdecode(b"lib\xfe.txt"))]))
    data = b"secret"
    crc = zlib.crc32(data)
    put(out, "encrypted.zip", zip_raw([
        ("enc.txt", 0, 1, crc, data, len(data), 0o100644),
        ("ok.txt", 0, 0, zlib.crc32(b"ok"), b"ok", 2, 0o100644)]))
    put(out, "hidden.zip", zip_hidden())
    put(out, "badcrc.zip", zip_raw([
        ("bad.txt", 0, 0, crc ^ 1, data, len(data), 0o100644),
        ("ok.txt", 0, 0, zlib.crc32(b"ok"), b"ok", 2, 0o100644)]))
    # A manifest too large to take (4 MiB at most).
    put(out, "bigmeta.tar", tar_bytes([
        ("x.dist-info/METADATA", "file", b"Name: x\n" + bytes(5 << 20)),
        ("ok.txt", "file", b"ok")]))
    with zipfile.ZipFile(os.path.join(out, "dotdot.zip"), "w") as z:
        z.writestr("../outside/evil", "x")
        z.writestr("/abs/evil", "x")
        z.writestr("ok.txt", "ok")
    packed, crc = deflate_zeros(1024)
    put(out, "bomb.zip", zip_raw([
        ("ok.txt", 0, 0, zlib.crc32(b"ok"), b"ok", 2, 0o100644),
        ("zeros", 8, 0, crc, packed, 1 << 30, 0o100644)]))
    # Incompressible entries, cut in the third: the first two stay (libarchive
    # decompresses 64 KiB ahead: the cut is farther from the second's end).
    rnd = [os.urandom(100 * 1024) for _ in range(3)]
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as t:
        for i, r in enumerate(rnd):
            ti = tarfile.TarInfo("f%d" % i)
            ti.size = len(r)
            t.addfile(ti, io.BytesIO(r))
    put(out, "truncated.tar.gz", tgz.getvalue()[:290 * 1024])
    # A pax header of 48 MiB in a 48 KiB file: refused by libarchive.
    ti = tarfile.TarInfo("x")
    ti.pax_headers = {"path": "a/" * (8 << 20) + "f", "comment": "c" * (32 << 20)}
    ti.size = 1
    pax = io.BytesIO()
    with tarfile.open(fileobj=pax, mode="w:gz", format=tarfile.PAX_FORMAT) as t:
        t.addfile(ti, io.BytesIO(b"x"))
    put(out, "paxhuge.tar.gz", pax.getvalue())
    put(out, "many.tar", tar_bytes([("e%d" % i, "file", b"") for i in range(10)]))
    # A cpio with 128 MiB of zeros between two entries, in 128 KiB:
    # libarchive's newc reader decompresses them while it looks for the
    # next header.
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    scan = co.compress(cpio_newc("a.txt", 0o100644, b"hi\n"))
    for _ in range(128):
        scan += co.compress(bytes(1 << 20))
    put(out, "scan.cpio.gz", scan + co.compress(
        cpio_newc("ok.txt", 0o100644, b"ok") +
        cpio_newc("TRAILER!!!", 0, b"")) + co.flush())
    # One file of 4,100 names as rpm's cpio stores them (the data with
    # the last): past 4,096 names waiting for it, the rest are not made.
    n = 4100
    put(out, "hardlinks-many.cpio", b"".join(
        cpio_newc("l%04d" % i, 0o100644, b"data\n" if i == n - 1 else b"",
                  ino=7, nlink=n) for i in range(n)) +
        cpio_newc("TRAILER!!!", 0, b""))
    # A GNU dumpdir ('D'): a directory with data (its listing), 16 MiB
    # of zeros in 16 KiB; libarchive skips it at the next header.
    ti = tarfile.TarInfo("d")
    ti.type, ti.size = b"D", 16 << 20
    dumpdir = ti.tobuf(format=tarfile.GNU_FORMAT) + bytes(16 << 20)
    put(out, "dumpdir.tar.gz", zlib.compress(
        dumpdir + tar_bytes([("ok.txt", "file", b"ok")]), 9, wbits=31))
    put(out, "notarchive.bin", b"just some text, not an archive\n" * 20)


def seeds(out):
    """Small archives for the fuzz corpus: each kind, and hostile ones."""
    good(out)
    hostile(out, "/tmp/outside")
    for big in ("bomb.zip", "truncated.tar.gz", "plain.gz", "bigmeta.tar"):
        os.unlink(os.path.join(out, big))
    packed, crc = deflate_zeros(4)
    put(out, "bomb-small.zip", zip_raw([("zeros", 8, 0, crc, packed, 4 << 20,
                                         0o100644)]))


def main():
    if sys.argv[1] == "--seeds":
        seeds(os.path.abspath(sys.argv[2]))
        return
    out, outside = os.path.abspath(sys.argv[1]), sys.argv[2]
    good(out)
    hostile(out, outside)


if __name__ == "__main__":
    main()
