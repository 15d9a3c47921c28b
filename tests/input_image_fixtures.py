#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Image inputs for tests/unit/test_input_image.c, with tarfile, gzip and json.

    input_image_fixtures.py OUT OUTSIDE   writes the fixtures below
    input_image_fixtures.py --seeds DIR   the seeds of
                                          tests/fuzz/fuzz_input_image.c
    input_image_fixtures.py --compare REF TREE
        compares TREE (bd_input_image_read's rootfs) with REF (the layers
        extracted bottom-up by tarfile, whiteouts applied) file for file:
        every directory, symlink (its target), ELF file and wanted file
        (WANTED below) of REF is in TREE, with its content, hard links
        shared as in REF, and TREE has nothing else. Prints the
        differences; exits 1 when there are any.

OUT/oci/            an OCI image layout of the two layers BASE and TOP
OUT/oci.tar         the same as an OCI archive (blobs first, as skopeo)
OUT/docker.tar      docker save before docker 25: <id>/layer.tar, <id>.json,
                    manifest.json last; two empty layers on top, the second
                    a symlink to the first (docker shares them so)
OUT/podman.tar.gz   podman save, compressed: <diffID>.tar, manifest first
OUT/docker25.tar    docker 25: an OCI layout and manifest.json, named apart
OUT/ref/            the reference tree
OUT/hostile.tar     an OCI archive with "../outer-escape" before its
                    index.json, whose layer has "../escape" and "/abs"
                    (kept as "escape" and "abs", from the root), a
                    device node, a FIFO, a symlink climbing past the root
                    (kept: '..' stops there), an absolute symlink to
                    OUTSIDE and a file below it (written where the link
                    leads inside the root), and usr/lib/ok.so.1 (kept)
OUT/corrupt.tar     an OCI archive whose top layer is not its digest
OUT/plain.tar       a plain tarball starting with "blobs/"
OUT/plain2.tar      a plain tarball starting with "blobs/sha256/<hex>" (1 MiB),
                    then "../evil" (warned were it an image), "src/main.c"
                    and another 1 MiB blob (not to be stored)
OUT/plain3.tar      an OCI archive with 300 entries "../x<n>" before its
                    metadata: an image, 256 warnings said and one count
OUT/plain4.tar      the same without oci-layout and index.json: a plain
                    tarball, nothing said
OUT/expect          "key value" lines: digests the tests compare with
"""
import gzip
import hashlib
import io
import json
import os
import posixpath
import shutil
import stat
import sys
import tarfile


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def elf(tag):
    """Enough of an ELF file for the magic test: the magic and a tag."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + tag.encode()


def tar(entries):
    """entries: (name, kind, data): 'd' directory, 'f' file, 'l' symlink,
    'h' hard link, 'c' character device, 'p' FIFO."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.mode = 0o755 if kind == "d" else 0o644
            if kind == "d":
                info.type = tarfile.DIRTYPE
            elif kind == "l":
                info.type, info.linkname = tarfile.SYMTYPE, data
            elif kind == "h":
                info.type, info.linkname = tarfile.LNKTYPE, data
            elif kind == "c":
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            elif kind == "p":
                info.type = tarfile.FIFOTYPE
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
                continue
            t.addfile(info)
    return buf.getvalue()


# The non-ELF files a --root scan reads (bd_input_root_wanted) among the
# fixture's files; every other non-ELF file is skipped.
WANTED = {"etc/os-release", "var/lib/dpkg/status",
          "var/lib/dpkg/info/zlib1g:amd64.list",
          "usr/lib/python3/dist-packages/pkg-1.0.dist-info/METADATA",
          "usr/lib/libscript.so", "etc/ld.so.conf.d/x.conf"}

BASE = [
    ("usr/", "d", None),
    ("usr/lib/", "d", None),
    ("usr/lib/libz.so.1", "f", elf("zlib v1")),
    ("usr/lib/libkeep.so.1", "f", elf("keep")),
    ("usr/lib/libkeep.so", "l", "libkeep.so.1"),
    ("usr/lib/abs.so", "l", "/usr/lib/libkeep.so.1"),
    ("usr/lib/libgone.so.1", "f", elf("gone")),
    ("usr/lib/libscript.so", "f", b"/* GNU ld script */ INPUT(libkeep.so.1)"),
    ("usr/bin/", "d", None),
    ("usr/bin/tool", "f", elf("tool")),
    ("usr/bin/tool-link", "h", "usr/bin/tool"),
    ("usr/bin/old", "f", elf("old")),
    # A hard link to a file the top layer replaces: it keeps the old data.
    ("usr/bin/old-hard", "h", "./usr/bin/old"),
    ("usr/lib/python3/", "d", None),
    ("usr/lib/python3/dist-packages/", "d", None),
    ("usr/lib/python3/dist-packages/pkg-1.0.dist-info/", "d", None),
    ("usr/lib/python3/dist-packages/pkg-1.0.dist-info/METADATA", "f",
     b"Name: pkg\nVersion: 1.0\n"),
    ("usr/lib/python3/dist-packages/pkg/", "d", None),
    ("usr/lib/python3/dist-packages/pkg/util.py", "f", b"print(1)\n"),
    ("etc/", "d", None),
    ("etc/os-release", "f", b"ID=debian\nVERSION_ID=12\n"),
    ("etc/motd", "f", b"hello\n"),
    ("etc/ld.so.conf.d/", "d", None),
    ("etc/ld.so.conf.d/x.conf", "f", b"/opt/x/lib\n"),
    ("var/", "d", None),
    ("var/lib/", "d", None),
    ("var/lib/dpkg/", "d", None),
    ("var/lib/dpkg/status", "f",
     b"Package: zlib1g\nStatus: install ok installed\nVersion: 1\n"),
    ("var/lib/dpkg/info/", "d", None),
    ("var/lib/dpkg/info/zlib1g:amd64.list", "f", b"/usr/lib/libz.so.1\n"),
    ("var/lib/dpkg/info/zlib1g:amd64.md5sums", "f", b"0  usr/lib/libz.so.1\n"),
    ("opt/", "d", None),
    ("opt/gone/", "d", None),
    ("opt/gone/x.so", "f", elf("opt gone")),
    ("data/", "d", None),
    ("data/opq/", "d", None),
    ("data/opq/a.so", "f", elf("opaque a")),
    ("data/opq/sub/", "d", None),
    ("data/opq/sub/b.so", "f", elf("opaque b")),
    ("README", "f", b"not kept\n"),
]
# Whiteouts and the opaque marker after entries of their directory: they
# apply to the lower layers only, whatever the order.
TOP = [
    ("usr/", "d", None),
    ("usr/lib/", "d", None),
    ("usr/lib/libz.so.1", "f", elf("zlib v2")),
    ("usr/lib/libnew.so.1", "f", elf("new")),
    ("usr/lib/.wh.libgone.so.1", "f", b""),
    ("usr/bin/", "d", None),
    ("usr/bin/old", "f", elf("old, replaced")),
    ("opt/", "d", None),
    ("opt/.wh.gone", "f", b""),
    ("data/", "d", None),
    ("data/opq/", "d", None),
    ("data/opq/c.so", "f", elf("opaque c")),
    ("data/opq/.wh..wh..opq", "f", b""),
    ("etc/", "d", None),
    ("etc/notes.txt", "f", b"skipped\n"),
]
EMPTY = tar([])

OCI_MT = "application/vnd.oci.image.manifest.v1+json"
CFG_MT = "application/vnd.oci.image.config.v1+json"


def config(tars, diff_ids=None):
    return json.dumps({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers",
                   "diff_ids": diff_ids or [sha(t) for t in tars]},
    }).encode()


def layout(files, layers, ref, extra_ann=None, diff_ids=None):
    """An OCI layout as {name: bytes}; layers: (tar, gzip?). Returns the
    manifest digest and the layer blob names."""
    blobs = {}

    def blob(data):
        blobs["blobs/sha256/" + sha(data)[7:]] = data
        return {"digest": sha(data), "size": len(data)}

    descs = []
    for t, gz in layers:
        d = blob(gzip.compress(t, mtime=0) if gz else t)
        d["mediaType"] = ("application/vnd.oci.image.layer.v1.tar" +
                          ("+gzip" if gz else ""))
        descs.append(d)
    cfg = blob(config([t for t, _ in layers], diff_ids))
    cfg["mediaType"] = CFG_MT
    man = blob(json.dumps({"schemaVersion": 2, "mediaType": OCI_MT,
                           "config": cfg, "layers": descs}).encode())
    man["mediaType"] = OCI_MT
    man["platform"] = {"os": "linux", "architecture": "amd64"}
    man["annotations"] = {"org.opencontainers.image.ref.name": ref}
    man["annotations"].update(extra_ann or {})
    files.update(blobs)
    files["index.json"] = json.dumps(
        {"schemaVersion": 2, "manifests": [man]}).encode()
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    return man["digest"], ["blobs/sha256/" + d["digest"][7:] for d in descs]


def tar_of(files, order):
    """A tarball of {name: bytes or ('l', target)} in the given order,
    directories made before their files; an item of order may also be an
    entry of tar() as it is."""
    entries, made = [], set()
    for name in order:
        if isinstance(name, tuple):
            entries.append(name)
            continue
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in made:
                made.add(d)
                entries.append((d + "/", "d", None))
        v = files[name]
        if isinstance(v, tuple):
            entries.append((name, "l", v[1]))
        else:
            entries.append((name, "f", v))
    return tar(entries)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def write_dir(root, files):
    for name, data in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write(path, data)


def oci_forms(out, expect):
    base, top = tar(BASE), tar(TOP)
    files = {}
    expect["oci.manifest"], names = layout(
        files, [(base, True), (top, False)], "1.0")
    write_dir(os.path.join(out, "oci"), files)
    blobs = sorted(n for n in files if n.startswith("blobs/"))
    write(os.path.join(out, "oci.tar"),
          tar_of(files, blobs + ["index.json", "oci-layout"]))
    expect["layer0"] = "sha256:" + names[0][13:]
    expect["layer1"] = "sha256:" + names[1][13:]
    expect["diff0"] = sha(base)
    expect["diff1"] = sha(top)
    # A corrupt top layer: one byte of a file's data changed.
    bad = dict(files)
    data = bytearray(bad[names[1]])
    data[data.index(b"zlib v2")] ^= 0x20
    bad[names[1]] = bytes(data)
    write(os.path.join(out, "corrupt.tar"),
          tar_of(bad, sorted(bad)))
    expect["corrupt"] = names[1]


def docker_forms(out, expect):
    base, top = tar(BASE), tar(TOP)
    tars = [base, top, EMPTY, EMPTY]
    files, order, paths = {}, [], []
    for i, t in enumerate(tars):
        layer_id = hashlib.sha256(b"id%d" % i + t).hexdigest()
        files[layer_id + "/VERSION"] = b"1.0"
        files[layer_id + "/json"] = b"{}"
        if i == 3:
            files[layer_id + "/layer.tar"] = ("l", "../%s/layer.tar"
                                              % paths[2].split("/")[0])
        else:
            files[layer_id + "/layer.tar"] = t
        order += [layer_id + "/VERSION", layer_id + "/json",
                  layer_id + "/layer.tar"]
        paths.append(layer_id + "/layer.tar")
    cfg = config(tars)
    cfg_name = sha(cfg)[7:] + ".json"
    files[cfg_name] = cfg
    files["manifest.json"] = json.dumps(
        [{"Config": cfg_name, "RepoTags": ["demo:1.0"],
          "Layers": paths}]).encode()
    files["repositories"] = b'{"demo":{"1.0":"x"}}'
    write(os.path.join(out, "docker.tar"),
          tar_of(files, order + [cfg_name, "manifest.json", "repositories"]))
    expect["docker.config"] = sha(cfg)

    # podman: layers "<diffID>.tar", the outer tarball gzip'd.
    files, paths = {}, []
    for t in (base, top):
        paths.append(sha(t)[7:] + ".tar")
        files[paths[-1]] = t
    cfg = config([base, top])
    cfg_name = sha(cfg)[7:] + ".json"
    files[cfg_name] = cfg
    files["manifest.json"] = json.dumps(
        [{"Config": cfg_name, "RepoTags": ["localhost/demo:2.0"],
          "Layers": paths}]).encode()
    write(os.path.join(out, "podman.tar.gz"), gzip.compress(
        tar_of(files, ["manifest.json"] + paths + [cfg_name]), mtime=0))

    # docker 25: an OCI layout whose manifest.json names it otherwise.
    files = {}
    _, names = layout(files, [(base, False), (top, False)], "1.0", {
        "io.containerd.image.name": "docker.io/library/oci-name:1.0"})
    cfg_name = [n for n in files if n.startswith("blobs/")
                and b'"diff_ids"' in files[n]][0]
    files["manifest.json"] = json.dumps(
        [{"Config": cfg_name, "RepoTags": ["docker-name:1.0"],
          "Layers": names}]).encode()
    write(os.path.join(out, "docker25.tar"), tar_of(files, sorted(files)))


def hostile(out, outside):
    layer = tar([
        ("../escape", "f", elf("escape")),
        ("/abs", "f", elf("absolute")),
        ("dev/", "d", None),
        ("dev/null2", "c", None),
        ("dev/fifo", "p", None),
        ("esc", "l", "../../../../../../../../" + outside.lstrip("/")),
        ("out", "l", outside),
        ("out/planted.so", "f", elf("planted")),
        ("usr/", "d", None),
        ("usr/lib/", "d", None),
        ("usr/lib/ok.so.1", "f", elf("ok")),
    ])
    files = {}
    layout(files, [(layer, True)], "1.0")
    # An entry of the tarball itself leaving it, before the metadata: held
    # until index.json shows an image, then warned.
    order = sorted(files)
    order.insert(order.index("index.json"),
                 ("../outer-escape", "f", b"x"))
    write(os.path.join(out, "hostile.tar"), tar_of(files, order))


def implied(out):
    """Directories that no entry lists (bd_archive_implied): two under the
    top layer's link, three for each lower file the top layer's opaque
    root hides, put aside for the lower layer's hard links."""
    lower = tar([("d%d/a/b/x.so" % i, "f", elf("d%d" % i))
                 for i in (1, 2, 3)])
    top = tar([(".wh..wh..opq", "f", b""), ("usr/", "d", None),
               ("usr/lib/", "d", None),
               ("usr/lib/libtop.so.1", "f", elf("top")),
               ("l", "l", "deep/er"), ("l/x.so", "f", elf("below"))])
    files = {}
    layout(files, [(lower, True), (top, True)], "1.0")
    write_dir(os.path.join(out, "implied"), files)


def listed(out):
    """Directories entries list (bd_archive_limits.listed): four in the
    top layer, eight in the lower one, which has a file below the last
    two."""
    lower = tar([("l%02d/" % i, "d", None) for i in range(6)] +
                [("deep/", "d", None), ("deep/a/", "d", None),
                 ("deep/a/x.so", "f", elf("deep"))])
    top = tar([("usr/", "d", None), ("usr/lib/", "d", None),
               ("usr/lib/libtop.so.1", "f", elf("top")),
               ("t1/", "d", None), ("t2/", "d", None)])
    files = {}
    layout(files, [(lower, True), (top, True)], "1.0")
    write_dir(os.path.join(out, "listed"), files)


def written(out):
    """Files and links written (bd_archive_limits.written): three files
    and a symlink in the top layer, three files in the lower one, one at
    a path of the top layer's."""
    lower = tar([("lo1.so", "f", elf("lo1")), ("lo2.so", "f", elf("lo2")),
                 ("shared.so", "f", elf("lower"))])
    top = tar([("t1.so", "f", elf("t1")), ("t2.so", "f", elf("t2")),
               ("shared.so", "f", elf("top")), ("t3", "l", "t1.so")])
    files = {}
    layout(files, [(lower, True), (top, True)], "1.0")
    write_dir(os.path.join(out, "written"), files)


def plains(out):
    write(os.path.join(out, "plain.tar"), tar([
        ("blobs/", "d", None), ("blobs/readme.txt", "f", b"hi\n"),
        ("src/", "d", None), ("src/main.c", "f", b"int main;\n")]))
    write(os.path.join(out, "plain2.tar"), tar([
        ("blobs/sha256/" + "0" * 64, "f", b"\0" * (1 << 20)),
        ("../evil", "f", b"x"), ("src/main.c", "f", b"int main;\n"),
        ("blobs/sha256/" + "1" * 64, "f", b"\0" * (1 << 20))]))
    # More hostile entries than are held before an image's metadata.
    files = {}
    layout(files, [(tar(BASE), True)], "1.0")
    order = sorted(files)
    for i in range(300):
        order.insert(1, ("../x%d" % i, "f", b"x"))
    write(os.path.join(out, "plain3.tar"), tar_of(files, order))
    write(os.path.join(out, "plain4.tar"), tar_of(files, [
        n for n in order if n not in ("index.json", "oci-layout")]))


# ---- the reference tree -------------------------------------------------

def remove(path):
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
    else:
        shutil.rmtree(path)


def apply(root, data):
    """One layer on root, as a container runtime applies it: its
    whiteouts first (they hide lower content only), then its entries, each
    replacing what was at its path unless both are directories."""
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        members = t.getmembers()
        for m in members:
            d, b = posixpath.split(m.name.rstrip("/"))
            target = os.path.join(root, d)
            if b == ".wh..wh..opq" and os.path.isdir(target):
                for n in os.listdir(target):
                    remove(os.path.join(target, n))
            elif b.startswith(".wh.") and os.path.lexists(
                    os.path.join(target, b[4:])):
                remove(os.path.join(target, b[4:]))
        for m in members:
            name = posixpath.normpath(m.name)
            if posixpath.basename(name).startswith(".wh."):
                continue
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.lexists(path) and not (
                    m.isdir() and os.path.isdir(path)
                    and not os.path.islink(path)):
                remove(path)
            if m.isdir():
                os.makedirs(path, exist_ok=True)
            elif m.issym():
                os.symlink(m.linkname, path)
            elif m.islnk():
                os.link(os.path.join(root, posixpath.normpath(m.linkname)),
                        path)
            else:
                write(path, t.extractfile(m).read())


def listing(root, only_kept):
    """{path: (kind, content or target)} and the hard-link groups."""
    items, inodes = {}, {}
    for dirpath, dirs, names in os.walk(root):
        for n in dirs + names:
            path = os.path.join(dirpath, n)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                items[rel] = ("symlink", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                items[rel] = ("dir", "")
            else:
                with open(path, "rb") as f:
                    data = f.read()
                if only_kept and not data.startswith(b"\x7fELF") \
                        and rel not in WANTED:
                    continue
                items[rel] = ("file", hashlib.sha256(data).hexdigest())
                inodes.setdefault(st.st_ino, []).append(rel)
    groups = {tuple(sorted(g)) for g in inodes.values() if len(g) > 1}
    return items, groups


def compare(ref, tree):
    want, want_groups = listing(ref, True)
    got, got_groups = listing(tree, False)
    bad = 0
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            print(f"{k}: want {want.get(k)}, got {got.get(k)}")
            bad += 1
    if want_groups != got_groups:
        print(f"hard links: want {sorted(want_groups)}, "
              f"got {sorted(got_groups)}")
        bad += 1
    return bad


SEPARATOR = b"\n----LAYER----\n"


def trimmed(data):
    """A tar without its record padding: the two end blocks kept."""
    while data.endswith(bytes(1536)):
        data = data[:-512]
    return data


def write_seeds(out):
    os.makedirs(out, exist_ok=True)
    gz = [gzip.compress(tar(layer), mtime=0) for layer in (BASE, TOP)]
    write(os.path.join(out, "two-layers-gz"), SEPARATOR.join(gz))
    base = trimmed(tar([
        ("usr/", "d", None), ("usr/lib/", "d", None),
        ("usr/lib/libx.so.1", "f", elf("x")),
        ("usr/lib/libx.so", "l", "libx.so.1"),
        ("usr/bin/a", "f", elf("a")), ("usr/bin/b", "h", "usr/bin/a"),
        ("d/", "d", None), ("d/e.so", "f", elf("e")),
        ("etc/os-release", "f", b"ID=x\n")]))
    top = trimmed(tar([
        ("usr/bin/a", "f", elf("a2")), ("usr/lib/.wh.libx.so.1", "f", b""),
        ("d/.wh..wh..opq", "f", b""), ("d/f.so", "f", elf("f")),
        (".wh.etc", "f", b"")]))
    write(os.path.join(out, "two-layers-plain"), base + SEPARATOR + top)
    write(os.path.join(out, "hostile-layer"), gzip.compress(tar([
        ("../escape", "f", elf("escape")), ("/abs", "f", elf("abs")),
        ("dev/null2", "c", None), ("esc", "l", "../../.."),
        ("out", "l", "/tmp"), ("out/planted.so", "f", elf("planted")),
        ("x.so", "h", "../y"), ("ok.so", "f", elf("ok"))]), mtime=0))
    # Entries below the layer's own links, which lead where containerd
    # writes them: relative, absolute, climbing, round in a loop; a hard
    # link through one; the layer below has its own.
    write(os.path.join(out, "own-links"), trimmed(tar([
        ("lib", "l", "usr/lib"), ("lib/v.so", "f", elf("v"))])) +
        SEPARATOR + trimmed(tar([
            ("usr/", "d", None), ("usr/lib/", "d", None),
            ("lib", "l", "usr/lib"), ("lib/x.so", "f", elf("x")),
            ("abs", "l", "/opt/a"), ("abs/y.so", "f", elf("y")),
            ("up", "l", "../../../srv"), ("up/z.so", "f", elf("z")),
            ("a", "l", "b"), ("b", "l", "a"), ("a/loop.so", "f", elf("l")),
            ("h.so", "h", "lib/x.so"), ("lib/.wh.w.so", "f", b"")])))
    # Links to deep targets, an entry below each (the directories they
    # imply are capped); a whiteout of a link and of a file the layer
    # made before it, which remove them, and one before its file.
    deep = "/".join(["a"] * 40)
    write(os.path.join(out, "links-deep-whiteout-own"), trimmed(tar(
        [("l%d" % i, "l", "d%d/%s" % (i, deep)) for i in range(4)] +
        [("l%d/x.so" % i, "f", elf("x")) for i in range(4)] +
        [("lib", "l", "usr/lib"), (".wh.lib", "f", b""),
         ("lib/y.so", "f", elf("y")), ("f.so", "f", elf("f")),
         (".wh.f.so", "f", b""), (".wh.g.so", "f", b""),
         ("g.so", "f", elf("g"))])))
    files = {}
    layout(files, [(base, True), (top, True)], "1.0")
    write(os.path.join(out, "outer-oci"), b"#outer\n" + gzip.compress(
        tar_of(files, sorted(files)), mtime=0))
    files, paths = {}, []
    for t in (base, top):
        paths.append(sha(t)[7:] + ".tar")
        files[paths[-1]] = t
    cfg = config([base, top])
    files[sha(cfg)[7:] + ".json"] = cfg
    files["manifest.json"] = json.dumps(
        [{"Config": sha(cfg)[7:] + ".json", "RepoTags": ["x:1"],
          "Layers": paths}]).encode()
    write(os.path.join(out, "outer-docker"), b"#outer\n" + gzip.compress(
        tar_of(files, sorted(files)), mtime=0))
    write(os.path.join(out, "outer-plain"), b"#outer\n" + trimmed(tar([
        ("blobs/sha256/" + "0" * 64, "f", b"x"), ("../evil", "f", b"x"),
        ("src/main.c", "f", b"int main;\n")])))


def main():
    if sys.argv[1] == "--seeds":
        write_seeds(sys.argv[2])
        return
    if sys.argv[1] == "--compare":
        sys.exit(1 if compare(sys.argv[2], sys.argv[3]) else 0)
    out, outside = sys.argv[1], sys.argv[2]
    expect = {}
    oci_forms(out, expect)
    docker_forms(out, expect)
    hostile(out, outside)
    implied(out)
    listed(out)
    written(out)
    plains(out)
    ref = os.path.join(out, "ref")
    os.makedirs(ref)
    for layer in (BASE, TOP):
        apply(ref, tar(layer))
    with open(os.path.join(out, "expect"), "w") as f:
        for k, v in expect.items():
            f.write(f"{k} {v}\n")


if __name__ == "__main__":
    main()
