"""End-to-end cases of the third adversarial review (registered by run.py):
artifacts and images that lost data, or named the wrong thing, without a
word.

- a bad PATH beside an artifact PATH is one warning, not exit 1;
- an uncompressed tarball cut short inside an entry that is skipped is
  said to be truncated;
- an image whose manifest or config blob is missing is a broken image
  (exit 1, the blob named), as a layout and as an archive, never a plain
  tarball;
- image metadata with a key twice (cJSON reads the first, Go's readers
  the last, case ignored) is refused;
- a .deb inside a tarball is read as a package;
- a .deb whose data.tar is corrupt keeps the name its control gives;
- a wheel whose local header hides the next entry (pip installs it, by
  the central directory) is said to hide it, once;
- an unreadable ld.so.cache, ld.so.conf file, os-release or package
  database under --root is one warning, not one from the walk and one
  from its reader.

Every input is written here, at test time, with tarfile, zipfile, gzip and
an ar writer.
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import tarfile
import zipfile
import zlib

import archive_fixtures as AF
import elfgen

WHEEL = "good_pkg-1.0-py3-none-linux_x86_64.whl"


def elf(soname):
    return elfgen.build(soname=soname, needed=["libc.so.6"])[0]


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar_bytes(entries):
    """entries: (name, data); data None makes a directory."""
    return AF.tar_bytes([(name, "dir" if data is None else "file", data)
                         for name, data in entries], tarfile.PAX_FORMAT)


def deb(package, data_tar_gz):
    control = tar_bytes([("./control", (
        "Package: %s\nVersion: 1.0\nArchitecture: amd64\n"
        "Maintainer: t <t@example.org>\nDescription: d\n" % package).encode())])
    return AF.ar_bytes([("debian-binary", b"2.0\n"),
                     ("control.tar.gz", gzip.compress(control, mtime=0)),
                     ("data.tar.gz", data_tar_gz)])


def wheel():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("good_pkg/_good.so", elf("libgood.so"))
        z.writestr("good_pkg-1.0.dist-info/METADATA",
                   "Metadata-Version: 2.1\nName: good_pkg\nVersion: 1.0\n")
        z.writestr("good_pkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
        z.writestr("good_pkg-1.0.dist-info/RECORD", "")
    return buf.getvalue()


def oci_files(files, soname, ref="1.0"):
    """An OCI layout's blobs for one layer holding soname, added to files;
    returns the manifest's descriptor (index.json is the caller's)."""
    def blob(data, media_type):
        files["blobs/sha256/" + digest(data)[7:]] = data
        return {"mediaType": media_type, "digest": digest(data),
                "size": len(data)}

    layer = tar_bytes([("usr/", None), ("usr/lib/", None),
                       ("usr/lib/" + soname, elf(soname))])
    lay = blob(gzip.compress(layer, mtime=0),
               "application/vnd.oci.image.layer.v1.tar+gzip")
    cfg = blob(json.dumps({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [digest(layer)]}}).encode(),
        "application/vnd.oci.image.config.v1+json")
    man = blob(json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": cfg, "layers": [lay]}).encode(),
        "application/vnd.oci.image.manifest.v1+json")
    man["platform"] = {"os": "linux", "architecture": "amd64"}
    man["annotations"] = {"org.opencontainers.image.ref.name": ref}
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    return man, cfg


def write_tree(root, files):
    shutil.rmtree(root, ignore_errors=True)
    for name, data in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def zip_hiding(entries, hide, count=None):
    """A zip of entries (name bytes, data, mode) whose local header of
    entry hide claims the bytes of the entry after it too, so that a
    stream of local headers never sees that one; the central directory
    lists them all (its end record says count entries, by default the
    true number)."""
    def local(name, claimed):
        return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21,
                           zlib.crc32(claimed), len(claimed), len(claimed),
                           len(name), 0) + name

    body, offsets = b"", []
    for i, (name, data, _) in enumerate(entries):
        offsets.append(len(body))
        claimed = data
        if i == hide:
            nxt = entries[i + 1]
            claimed = data + local(nxt[0], nxt[1]) + nxt[1]
        body += local(name, claimed) + data
    central = b""
    for (name, data, mode), off in zip(entries, offsets):
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 0, 0, 0x21,
            zlib.crc32(data), len(data), len(data), len(name), 0, 0, 0, 0,
            mode << 16, off) + name
    n = len(entries) if count is None else count
    return body + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n,
                                        len(central), len(body), 0)


def register(case, h):

    def new_dir(t, name):
        return h.fresh_dir(t, "review3", name)

    def names(sbom):
        return sorted(c["name"] for c in h.comps(sbom))

    @case
    def review3_bad_path_beside_artifact(t):
        """A FIFO, a link to /dev/zero, a link loop and a missing file,
        each beside a wheel: one warning, exit 0, the wheel's library in
        the SBOM (it was exit 1, "none of the paths given can be scanned",
        and no SBOM)."""
        d = new_dir(t, "badpath")
        with open(os.path.join(d, WHEEL), "wb") as f:
            f.write(wheel())
        os.mkfifo(os.path.join(d, "fifo"))
        os.symlink("/dev/zero", os.path.join(d, "zero"))
        os.symlink("loop", os.path.join(d, "loop"))
        for bad, why in (("fifo", "a FIFO"), ("zero", "a character device"),
                         ("loop", "symlink loop"),
                         ("missing", "no such file")):
            r = t.run(bad, WHEEL, cwd=d)
            h.check(r.code == 0 and r.sbom is not None,
                    "%s: exit %d: %s" % (bad, r.code, r.err.decode()))
            w = r.warnings()
            h.check(len(w) == 1 and ("'%s'" % bad) in w[0] and why in w[0],
                    "%s: %r" % (bad, w))
            h.check("libgood.so" in names(r.sbom), "%s: %s" % (bad, names(r.sbom)))
        r = t.run("fifo", "missing", cwd=d)
        h.check(r.code == 1, "no PATH at all can be scanned: exit %d" % r.code)

    @case
    def review3_truncated_plain_tar_in_skipped_entry(t):
        """An uncompressed tarball cut inside an entry that is not ELF
        (skipped by seeking past it): the truncation is warned about,
        naming that entry, and the ELF file before it is kept."""
        d = new_dir(t, "cut")
        raw = tar_bytes([("r/lib/a.so", elf("liba.so")),
                         ("r/lib/pad.bin", os.urandom(200000)),
                         ("r/lib/b.so", elf("libb.so"))])
        with open(os.path.join(d, "cut-1.0.tar"), "wb") as f:
            f.write(raw[:100000])
        r = t.run("cut-1.0.tar", cwd=d)
        h.check(r.code == 0 and r.sbom is not None, r.err.decode())
        w = r.warnings()
        h.check(len(w) == 1 and "'cut-1.0.tar!/r/lib/pad.bin'" in w[0] and
                "truncated" in w[0], "%r" % w)
        h.check("liba.so" in names(r.sbom), names(r.sbom))

    @case
    def review3_image_missing_blob(t):
        """An OCI layout whose manifest blob, or config blob, is missing:
        exit 1 naming the blob; as an OCI archive the same (it was read as
        a plain tarball, exit 0, without a word)."""
        d = new_dir(t, "blob")
        for which in ("manifest", "config"):
            files = {}
            man, cfg = oci_files(files, "liba.so.1")
            files["index.json"] = json.dumps(
                {"schemaVersion": 2, "manifests": [man]}).encode()
            gone = (man if which == "manifest" else cfg)["digest"][7:]
            del files["blobs/sha256/" + gone]
            write_tree(os.path.join(d, which), files)
            tarball = os.path.join(d, which + ".tar")
            with open(tarball, "wb") as f:
                f.write(tar_bytes([(n, files[n]) for n in sorted(files)]))
            for path, shown in ((which, which + "/"), (which + ".tar",
                                                       which + ".tar!/")):
                r = t.run(path, cwd=d, validate_sbom=False)
                err = r.err.decode()
                h.check(r.code == 1 and r.sbom is None,
                        "%s: exit %d: %s" % (path, r.code, err))
                h.check("'%sblobs/sha256/%s': missing from the image"
                        % (shown, gone) in err, "%s: %s" % (path, err))

    @case
    def review3_image_key_twice(t):
        """index.json with "manifests" twice (cJSON reads the first image,
        docker and containerd the second), and a manifest with "Layers"
        beside "layers" (Go matches keys whatever their case): refused,
        exit 1, the key named."""
        d = new_dir(t, "twice")
        files = {}
        man_a, _ = oci_files(files, "libbenign.so.1")
        man_b, _ = oci_files(files, "libpayload.so.1")
        files["index.json"] = ('{"schemaVersion":2,"manifests":%s,'
                               '"manifests":%s}' % (json.dumps([man_a]),
                                                    json.dumps([man_b]))).encode()
        write_tree(os.path.join(d, "index"), files)
        r = t.run("index", cwd=d, validate_sbom=False)
        err = r.err.decode()
        h.check(r.code == 1 and r.sbom is None, "exit %d: %s" % (r.code, err))
        h.check("'index/index.json': the key \"manifests\" is given twice"
                in err, err)
        # Labels that differ by case are two (a Go map keeps keys as they
        # are): the image is read.
        files2 = {}
        man_c, cfg_c = oci_files(files2, "libc1.so.1")
        cpath = "blobs/sha256/" + cfg_c["digest"][7:]
        cdoc = json.loads(files2.pop(cpath))
        cdoc["config"] = {"Labels": {"maintainer": "a", "Maintainer": "b"}}
        cdata = json.dumps(cdoc).encode()
        files2["blobs/sha256/" + digest(cdata)[7:]] = cdata
        mpath = "blobs/sha256/" + man_c["digest"][7:]
        mdoc = json.loads(files2.pop(mpath))
        mdoc["config"].update(digest=digest(cdata), size=len(cdata))
        mdata = json.dumps(mdoc).encode()
        files2["blobs/sha256/" + digest(mdata)[7:]] = mdata
        man_c.update(digest=digest(mdata), size=len(mdata))
        files2["index.json"] = json.dumps(
            {"schemaVersion": 2, "manifests": [man_c]}).encode()
        write_tree(os.path.join(d, "labels"), files2)
        r = t.run("labels", cwd=d)
        h.check(r.code == 0 and "libc1.so.1" in names(r.sbom),
                "exit %d: %s" % (r.code, r.err.decode()))
        # U+017F folds to 's' for Go (bytes.EqualFold): the same key.
        files["index.json"] = ('{"schemaVersion":2,"manifests":%s,'
                               '"manife\u017fts":%s}' % (json.dumps([man_a]),
                                                         json.dumps([man_b]))
                               ).encode()
        write_tree(os.path.join(d, "fold"), files)
        r = t.run("fold", cwd=d, validate_sbom=False)
        err = r.err.decode()
        h.check(r.code == 1 and "is given twice" in err, "exit %d: %s" %
                (r.code, err))
        # The manifest blob itself, with a case variant of "layers".
        files = {}
        man, _ = oci_files(files, "liba.so.1")
        path = "blobs/sha256/" + man["digest"][7:]
        doc = json.loads(files.pop(path))
        text = json.dumps(doc)[:-1] + ', "Layers": []}'
        data = text.encode()
        files["blobs/sha256/" + digest(data)[7:]] = data
        man.update(digest=digest(data), size=len(data))
        files["index.json"] = json.dumps(
            {"schemaVersion": 2, "manifests": [man]}).encode()
        write_tree(os.path.join(d, "case"), files)
        r = t.run("case", cwd=d, validate_sbom=False)
        err = r.err.decode()
        h.check(r.code == 1 and "is given twice" in err and
                digest(data)[7:] in err, "exit %d: %s" % (r.code, err))

    @case
    def review3_image_ref_past_255_bytes_ignored(t):
        """README's limit: an image reference (here the index's ref
        name) of 255 bytes is the image's tag; one of 256 is ignored with
        one warning naming the image, which is read all the same."""
        d = new_dir(t, "long-ref")
        for n in (255, 256):
            files = {}
            tag = "t" * (n - len("example.com/app:"))
            man, _ = oci_files(files, "liba.so.1",
                               ref="example.com/app:" + tag)
            files["index.json"] = json.dumps(
                {"schemaVersion": 2, "manifests": [man]}).encode()
            write_tree(os.path.join(d, "ref%d" % n), files)
            r = t.run("ref%d" % n, cwd=d)
            h.check(r.code == 0 and "liba.so.1" in names(r.sbom),
                    "%d: exit %d: %s" % (n, r.code, r.err[-300:]))
            want = [] if n == 255 else [
                "bindep-sbom: warning: 'ref256': image reference is not a "
                "valid name, ignored"]
            h.check(r.warnings() == want, "%d: %r" % (n, r.warnings()))
            h.check(("&tag=" + tag in json.dumps(r.sbom)) == (n == 255),
                    "%d: the tag in the purl only within the limit" % n)

    @case
    def review3_deb_inside_tarball(t):
        """A .deb in a release tarball (an offline bundle) is read as a
        package: its name and its library are in the SBOM (it was skipped
        as a static library, without a word)."""
        d = new_dir(t, "nested-deb")
        data = tar_bytes([("./usr/", None), ("./usr/lib/", None),
                          ("./usr/lib/libinnerdeb.so.1",
                           elf("libinnerdeb.so.1"))])
        inner = deb("libinner", gzip.compress(data, mtime=0))
        bundle = tar_bytes([("bundle-1.0/", None), ("bundle-1.0/debs/", None),
                            ("bundle-1.0/debs/libinner_1.0_amd64.deb", inner),
                            ("bundle-1.0/bin/tool", elf("libtool.so"))])
        with open(os.path.join(d, "bundle-1.0.tar"), "wb") as f:
            f.write(bundle)
        r = t.run("bundle-1.0.tar", cwd=d)
        h.check(r.code == 0 and r.sbom is not None and not r.warnings(),
                r.err.decode())
        got = names(r.sbom)
        h.check("libinner" in got and "libinnerdeb.so.1" in got, got)
        pkg = h.by_name(r.sbom, "libinner")
        h.check(pkg.get("purl", "").startswith("pkg:deb/debian/libinner@1.0"),
                pkg.get("purl"))

    @case
    def review3_deb_bad_data_keeps_name(t):
        """A .deb whose data.tar.gz is corrupt: one warning naming it, and
        the package still named by its control (it became a file named
        after the .deb, with no purl)."""
        d = new_dir(t, "bad-data")
        with open(os.path.join(d, "pgood_1.0_amd64.deb"), "wb") as f:
            f.write(deb("pgood", b"\x1f\x8b\x08" + b"garbage" * 10))
        r = t.run("pgood_1.0_amd64.deb", cwd=d)
        h.check(r.code == 0 and r.sbom is not None, r.err.decode())
        w = r.warnings()
        h.check(len(w) == 1 and "'pgood_1.0_amd64.deb!/data.tar.gz'" in w[0],
                "%r" % w)
        pkg = h.by_name(r.sbom, "pgood")
        h.check(pkg is not None and pkg.get("purl") ==
                "pkg:deb/debian/pgood@1.0?arch=amd64", names(r.sbom))

    @case
    def review3_unreadable_root_files_warned_once(t):
        """Loader and package files of mode 000, scanned as uid 65534 (the
        mode bits do not stop root): each is one warning, as the walk
        says it (the reader said it again, with ", skipping" or ", using
        ld.so.conf instead")."""
        h.check(os.geteuid() == 0, "needs root to run as another user")
        d = new_dir(t, "unreadable")
        root = os.path.join(d, "root")
        files = {"etc/ld.so.conf": b"include /etc/ld.so.conf.d/*.conf\n",
                 "etc/ld.so.conf.d/a.conf": b"/opt/lib\n",
                 "etc/ld.so.cache": b"glibc-ld.so.cache1.1" + bytes(28),
                 "etc/os-release": b"ID=debian\nVERSION_ID=12\n",
                 "var/lib/dpkg/status": b"Package: a\nStatus: install ok "
                                        b"installed\nVersion: 1\n\n",
                 "lib/apk/db/installed": b"P:a\nV:1\n\n"}
        write_tree(root, files)
        h.put_elf(root, "/usr/lib/libok.so.1", "libok.so.1")
        for dirpath, dirs, names in os.walk(d):
            os.chmod(dirpath, 0o755)
            for n in names:
                os.chmod(os.path.join(dirpath, n), 0o644)
        shut = [n for n in files if n != "etc/ld.so.conf"]
        for n in shut:
            os.chmod(os.path.join(root, n), 0)
        # Each level above must let uid 65534 through.
        up = d
        while up != "/":
            up = os.path.dirname(up)
            os.chmod(up, os.stat(up).st_mode | 0o001)
        out = os.path.join(d, "out.json")
        with open(out, "w"):
            pass
        os.chown(out, 65534, 65534)
        os.chown(d, 65534, 65534)
        proc = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             t.binary, "-o", out, "--root", root],
            capture_output=True, timeout=120,
            env=dict(os.environ, SOURCE_DATE_EPOCH="1"))
        err = proc.stderr.decode()
        h.check(proc.returncode == 0, "exit %d: %s" % (proc.returncode, err))
        warns = [line for line in err.splitlines()
                 if line.startswith("bindep-sbom: warning: ")]
        want = sorted("bindep-sbom: warning: '/%s': cannot open: Permission "
                      "denied" % n for n in shut)
        h.check(sorted(warns) == want, "\n".join(warns))

    @case
    def review3_wheel_entry_hidden_by_local_header(t):
        """The local header of pkg/_a.so claims the bytes of the entry
        after it, pkg/_hidden.so; the central directory lists both, and
        pip (zipfile) installs both. One warning names the hidden entry
        and says the SBOM lacks it (it was lost without a word). The same
        wheel stopped by --max-unpacked before its end is not looked at
        again: the cap's warning alone."""
        d = new_dir(t, "hidden")

        def local(name, data, claimed):
            n = name.encode()
            return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21,
                               zlib.crc32(claimed), len(claimed),
                               len(claimed), len(n), 0) + n

        entries = [("pkg-1.0.dist-info/METADATA",
                    b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n"),
                   ("pkg/_a.so", elf("liba_visible.so")),
                   ("pkg/_hidden.so", elf("libhidden_vendored.so")),
                   ("pkg-1.0.dist-info/RECORD", b"")]
        body, offsets = b"", []
        for i, (name, data) in enumerate(entries):
            offsets.append(len(body))
            if i == 1:
                after = local(*entries[2], entries[2][1]) + entries[2][1]
                body += local(name, data, data + after) + data
            else:
                body += local(name, data, data) + data
        central = b""
        for (name, data), off in zip(entries, offsets):
            n = name.encode()
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 0, 0, 0x21,
                zlib.crc32(data), len(data), len(data), len(n), 0, 0, 0, 0,
                0o100755 << 16, off) + n
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries),
                          len(entries), len(central), len(body), 0)
        wheel_path = os.path.join(d, "pkg-1.0-py3-none-linux_x86_64.whl")
        with open(wheel_path, "wb") as f:
            f.write(body + central + end)
        with zipfile.ZipFile(wheel_path) as z:
            h.check("pkg/_hidden.so" in z.namelist(), "zipfile lists it")
        r = t.run(os.path.basename(wheel_path), cwd=d)
        h.check(r.code == 0 and r.sbom is not None, r.err.decode())
        h.check("liba_visible.so" in names(r.sbom), names(r.sbom))
        w = r.warnings()
        h.check(len(w) == 1 and "its central directory lists "
                "'pkg/_hidden.so', which its local headers hide" in w[0] and
                "is not all in the SBOM" in w[0], "%r" % w)
        # The hidden header named as the one that hides it: the central
        # directory lists pkg/_a.so once, at the hidden one (zipfile, so
        # pip, installs libhidden_same.so).
        meta = entries[0][1]
        evil = elf("libhidden_same.so")
        decoy = elf("libdecoy_visible.so")
        hidden = local("pkg/_a.so", evil, evil) + evil
        body = local(entries[0][0], meta, meta) + meta
        at = len(body)
        body += local("pkg/_a.so", decoy, decoy + hidden) + decoy
        hidden_at = len(body)
        body += hidden
        central = b""
        for name, data, off in ((entries[0][0], meta, 0),
                                ("pkg/_a.so", evil, hidden_at)):
            n = name.encode()
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 0, 0, 0x21,
                zlib.crc32(data), len(data), len(data), len(n), 0, 0, 0, 0,
                0o100755 << 16, off) + n
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central),
                          len(body), 0)
        same = os.path.join(d, "same-1.0-py3-none-linux_x86_64.whl")
        with open(same, "wb") as f:
            f.write(body + central + end)
        with zipfile.ZipFile(same) as z:
            h.check(z.read("pkg/_a.so") == evil and at > 0, "zipfile reads it")
        r = t.run(os.path.basename(same), cwd=d)
        w = r.warnings()
        h.check(r.code == 0 and len(w) == 1 and "lists 'pkg/_a.so', which "
                "its local headers hide" in w[0], "%r" % w)
        r = t.run("--max-unpacked", "1K", os.path.basename(wheel_path), cwd=d)
        w = r.warnings()
        h.check(r.code == 0 and len(w) == 1 and "stopped" in w[0] and
                "central directory" not in w[0], "%r" % w)

    @case
    def review3_hidden_zip_entries_hostile(t):
        """Hidden entries that are themselves hostile: a name of invalid
        UTF-8 (said escaped), a symlink out of the wheel (said, never
        made or followed); the same wheel cut inside its central
        directory (the stream's end is all there is: nothing said of
        hidden entries); an end record that claims 65,535 entries."""
        d = new_dir(t, "hidden-hostile")
        meta = (b"pkg-1.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n", 0o100644)
        visible = (b"pkg/_a.so", elf("liba_visible.so"), 0o100755)
        cases = {
            "utf8": [meta, visible, (b"pkg/\xff\xfe.so",
                                     elf("libbad_name.so"), 0o100755)],
            "link": [meta, visible, (b"pkg/libz.so.1", b"/etc/passwd",
                                     0o120777)],
        }
        for key, entries in cases.items():
            path = os.path.join(d, "%s-1.0-py3-none-any.whl" % key)
            data = zip_hiding(entries, 1)
            with open(path, "wb") as f:
                f.write(data)
            r = t.run(os.path.basename(path), cwd=d)
            w = r.warnings()
            h.check(r.code == 0 and len(w) == 1 and
                    "its local headers hide" in w[0], "%s: %r" % (key, w))
            if key == "utf8":
                h.check("'pkg/\\xff\\xfe.so'" in w[0], w[0])
            with open(path, "wb") as f:
                f.write(data[:-30])  # in the central directory
            r = t.run(os.path.basename(path), cwd=d)
            h.check(r.code == 0 and not [x for x in r.warnings()
                                         if "central directory" in x],
                    "%s cut: %r" % (key, r.warnings()))
        path = os.path.join(d, "count-1.0-py3-none-any.whl")
        with open(path, "wb") as f:
            f.write(zip_hiding(cases["utf8"], 1, count=65535))
        r = t.run(os.path.basename(path), cwd=d)
        h.check(r.code == 0 and r.sbom is not None and
                "liba_visible.so" in names(r.sbom), r.err.decode())
        h.check(not os.path.exists(os.path.join(d, "etc")), "nothing made")

