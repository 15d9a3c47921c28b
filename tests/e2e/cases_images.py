"""End-to-end cases of container images as inputs (issue 12, point 5).
Registered by run.py.

The images are written here with tarfile, gzip and json from real system
binaries (/usr/bin/true, false and echo, the host's libc.so.6 and
ld-linux), an ld.so.cache made by `ldconfig -r` and a dpkg database naming
libc6, in every form the tool reads: an OCI layout, an OCI archive, a
docker save tarball plain and gzip'd. Layer 2 whites out a file of layer 1,
makes a directory opaque, replaces a file and adds a hard link and
symlinks. The reference is the same two layers extracted on disk by
tests/input_image_fixtures.py's apply() (whiteouts applied) and scanned
with --root: the image's SBOM must equal it.

Every run gets its own TMPDIR, which must be empty afterwards (the
private directory is removed on every exit path).
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import tarfile
import time
import zipfile

import elfgen
from archive_fixtures import cpio_newc
import image_fixtures
import input_image_fixtures as F

SDE = "1700000000"
IMAGE_MTIME = 1600000000  # 2020-09-13T12:26:40Z
MULTIARCH = "lib/x86_64-linux-gnu"
NAME = "registry.example.com/team/demo"
LAYER_PROPS = ("bindep:layer-digest", "bindep:layer-diff-id")


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def host_file(path):
    with open(os.path.realpath(path), "rb") as f:
        return f.read()


# ---- the two layers ---------------------------------------------------


def stage_one(stage, libc):
    """Layer 1 on disk first, so that ldconfig -r writes its cache."""
    files = {
        "etc/os-release": b'ID=debian\nVERSION_ID="12"\n'
                          b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
        "etc/ld.so.conf": b"include /etc/ld.so.conf.d/*.conf\n",
        "etc/ld.so.conf.d/x86_64-linux-gnu.conf":
            b"/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n",
        MULTIARCH + "/libc.so.6": libc,
        MULTIARCH + "/ld-linux-x86-64.so.2":
            host_file("/lib64/ld-linux-x86-64.so.2"),
    }
    F.write_dir(stage, files)
    os.makedirs(os.path.join(stage, "lib64"), exist_ok=True)
    link = os.path.join(stage, "lib64/ld-linux-x86-64.so.2")
    if not os.path.islink(link):
        os.symlink("/" + MULTIARCH + "/ld-linux-x86-64.so.2", link)
    subprocess.run(["ldconfig", "-r", stage, "-X"], check=True)
    with open(os.path.join(stage, "etc/ld.so.cache"), "rb") as f:
        return files, f.read()


DPKG_STATUS = (b"Package: libc6\nStatus: install ok installed\n"
               b"Priority: optional\nSection: libs\n"
               b"Architecture: amd64\nMulti-Arch: same\nSource: glibc\n"
               b"Version: 2.36-9+deb12u14\n\n")
DPKG_LIST = ("/.\n/lib\n/%s\n/%s/libc.so.6\n/%s/ld-linux-x86-64.so.2\n"
             "/lib64\n/lib64/ld-linux-x86-64.so.2\n"
             % (MULTIARCH, MULTIARCH, MULTIARCH)).encode()


def build_layers(work):
    """(layer 1 tar, layer 2 tar, {content sha256: layer index})."""
    true, false, echo = (host_file("/usr/bin/" + n)
                         for n in ("true", "false", "echo"))
    # The image's libc is not the host's: the wheel case can tell them
    # apart by hash (bytes past the end of an ELF file change nothing).
    libc = host_file("/lib/x86_64-linux-gnu/libc.so.6") + b"\0image libc"
    stage = os.path.join(work, "stage1")
    files, cache = stage_one(stage, libc)
    one = [("etc/", "d", None), ("etc/ld.so.conf.d/", "d", None)]
    one += [(n, "f", files[n]) for n in ("etc/os-release", "etc/ld.so.conf",
            "etc/ld.so.conf.d/x86_64-linux-gnu.conf")]
    one += [("etc/ld.so.cache", "f", cache),
            ("lib/", "d", None), (MULTIARCH + "/", "d", None),
            (MULTIARCH + "/libc.so.6", "f", libc),
            (MULTIARCH + "/ld-linux-x86-64.so.2", "f",
             files[MULTIARCH + "/ld-linux-x86-64.so.2"]),
            ("lib64/", "d", None),
            ("lib64/ld-linux-x86-64.so.2", "l",
             "/" + MULTIARCH + "/ld-linux-x86-64.so.2"),
            ("usr/", "d", None), ("usr/bin/", "d", None),
            ("usr/bin/true", "f", true),
            ("usr/bin/false", "f", false),
            ("usr/bin/echo", "f", echo),
            ("opt/", "d", None), ("opt/app/", "d", None),
            ("opt/app/bin/", "d", None),
            ("opt/app/bin/old", "f", true + b"\0old"),
            ("opt/app/bin/old-sub/", "d", None),
            ("opt/app/bin/old-sub/deep", "f", true + b"\0deep"),
            ("var/", "d", None), ("var/lib/", "d", None),
            ("var/lib/dpkg/", "d", None),
            ("var/lib/dpkg/status", "f", DPKG_STATUS),
            ("var/lib/dpkg/info/", "d", None),
            ("var/lib/dpkg/info/libc6:amd64.list", "f", DPKG_LIST)]
    two = [("usr/", "d", None), ("usr/bin/", "d", None),
           ("usr/bin/.wh.false", "f", b""),
           # replaced: echo with other bytes after its end
           ("usr/bin/echo", "f", echo + b"\0layer 2"),
           ("usr/bin/echo-hard", "h", "usr/bin/echo"),
           ("usr/bin/echo-sym", "l", "echo"),
           ("usr/local/", "d", None), ("usr/local/bin/", "d", None),
           ("usr/local/bin/true-link", "l", "/usr/bin/true"),
           ("opt/", "d", None), ("opt/app/", "d", None),
           ("opt/app/bin/", "d", None),
           ("opt/app/bin/new", "f", true + b"\0new"),
           # after an entry of its directory: it hides lower layers only
           ("opt/app/bin/.wh..wh..opq", "f", b"")]
    origin = {}
    for k, entries in enumerate((one, two)):
        for name, kind, data in entries:
            if kind == "f" and data.startswith(b"\x7fELF"):
                origin[hashlib.sha256(data).hexdigest()] = k
    return F.tar(one), F.tar(two), origin


# ---- the forms of one image ---------------------------------------------


def docker_save(layers, tag):
    """A docker save tarball (before docker 25) of the layers:
    <id>/VERSION, <id>/json, <id>/layer.tar, <config>.json, manifest.json
    and repositories last. Returns (bytes, config digest)."""
    files, order, paths = {}, [], []
    for i, t in enumerate(layers):
        layer_id = hashlib.sha256(b"id%d" % i + t).hexdigest()
        for part, data in (("VERSION", b"1.0"), ("json", b"{}"),
                           ("layer.tar", t)):
            files[layer_id + "/" + part] = data
            order.append(layer_id + "/" + part)
        paths.append(layer_id + "/layer.tar")
    cfg = F.config(layers)
    cfg_name = sha(cfg)[7:] + ".json"
    files[cfg_name] = cfg
    files["manifest.json"] = json.dumps(
        [{"Config": cfg_name, "RepoTags": [tag], "Layers": paths}]).encode()
    repo, version = tag.rsplit(":", 1)
    files["repositories"] = json.dumps(
        {repo: {version: paths[-1].split("/")[0]}}).encode()
    return (F.tar_of(files, order + [cfg_name, "manifest.json",
                                     "repositories"]), sha(cfg))



def multi_platform(root, l1, l2, arm, other):
    """An OCI layout of two images (image_fixtures' shape): "1.0", a
    nested index of linux/amd64 (the two layers) and linux/arm64/v8 (the
    arm layer), named by containerd's annotation too; "2.0", one amd64
    manifest. Returns {key: manifest digest}."""
    lay = image_fixtures.Layout(root)
    amd, _ = image_fixtures.image(lay, "amd64", None, [(l1, True), (l2, False)])
    amd["platform"] = {"os": "linux", "architecture": "amd64"}
    a64, _ = image_fixtures.image(lay, "arm64", "v8", [(arm, True)])
    a64["platform"] = {"os": "linux", "architecture": "arm64",
                       "variant": "v8"}
    nested = lay.json_blob(
        {"schemaVersion": 2, "mediaType": image_fixtures.IDX,
         "manifests": [amd, a64]}, image_fixtures.IDX)
    nested["annotations"] = {
        "io.containerd.image.name": NAME + ":1.0",
        "org.opencontainers.image.ref.name": "1.0"}
    two, _ = image_fixtures.image(lay, "amd64", None, [(other, True)])
    two["annotations"] = {"org.opencontainers.image.ref.name": "2.0"}
    F.write_dir(root, {
        "oci-layout": b'{"imageLayoutVersion": "1.0.0"}',
        "index.json": json.dumps({"schemaVersion": 2,
                                  "manifests": [nested, two]}).encode()})
    return {"amd64": amd["digest"], "arm64": a64["digest"],
            "other": two["digest"]}


def corrupt(files, blob, marker):
    """files with one byte of blob's marker changed."""
    bad = dict(files)
    data = bytearray(bad[blob])
    data[data.index(marker)] ^= 0x20
    bad[blob] = bytes(data)
    return bad


def hostile_layer(true, outside):
    """A layer that tries to write outside the private directory, and one
    good file."""
    return F.tar([
        ("../../../../escape-bd", "f", true + b"\0escape"),
        ("/abs-escape-bd", "f", true + b"\0absolute"),
        ("dev/", "d", None),
        ("dev/null2", "c", None),
        ("dev/fifo", "p", None),
        ("esc", "l", "../" * 8 + outside.lstrip("/")),
        ("out", "l", outside),
        ("out/planted-bd", "f", true + b"\0planted"),
        ("usr/", "d", None), ("usr/bin/", "d", None),
        ("usr/bin/true", "f", true)])


def wheel(path):
    """A wheel with an extension needing libc.so.6."""
    ext, _ = elfgen.build(needed=["libc.so.6"])
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("pkg/__init__.py", "")
        z.writestr("pkg/_ext.cpython-311-x86_64-linux-gnu.so", ext)
        z.writestr("pkg-1.0.dist-info/METADATA",
                   "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n")
        z.writestr("pkg-1.0.dist-info/WHEEL",
                   "Wheel-Version: 1.0\nRoot-Is-Purelib: false\n"
                   "Tag: cp311-cp311-linux_x86_64\n")
        z.writestr("pkg-1.0.dist-info/RECORD", "")
    return path


class Image:
    """The fixture image in every form, and its variants; built once."""

    def __init__(self, work):
        self.dir = os.path.join(work, "images")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.l1, self.l2, self.origin = build_layers(self.dir)
        self.host_libc = sha(host_file("/lib/x86_64-linux-gnu/libc.so.6"))
        files = {}
        self.manifest, blobs = F.layout(
            files, [(self.l1, True), (self.l2, False)], "1.0",
            {"io.containerd.image.name": NAME + ":1.0"})
        self.layer_digest = ["sha256:" + b[13:] for b in blobs]
        self.diff_id = [sha(self.l1), sha(self.l2)]
        self.oci = self.path("oci")
        F.write_dir(self.oci, files)
        names = sorted(n for n in files if n.startswith("blobs/"))
        order = names + ["index.json", "oci-layout"]
        self.oci_tar = self.write("demo-oci.tar", F.tar_of(files, order))
        docker, self.config = docker_save([self.l1, self.l2], "demo:1.0")
        self.docker = self.write("demo-docker.tar", docker)
        self.docker_gz = self.write("demo-docker.tar.gz",
                                    gzip.compress(docker, mtime=0))
        for p in (self.oci, self.oci_tar, self.docker, self.docker_gz):
            os.utime(p, (IMAGE_MTIME, IMAGE_MTIME))
        self.ref = self.path("ref")
        os.makedirs(self.ref)
        for layer in (self.l1, self.l2):
            F.apply(self.ref, layer)
        self.variants(files, blobs, order, docker)

    def variants(self, files, blobs, order, docker):
        true = host_file("/usr/bin/true")
        # the top layer (a plain tar) not what its digest says
        self.corrupt_layer = blobs[1]
        self.corrupt_oci = self.write("corrupt-oci.tar", F.tar_of(
            corrupt(files, blobs[1], b"layer 2"), order))
        self.corrupt_docker = self.write("corrupt-docker.tar", F.tar(
            [(m.name, "f", d.replace(b"layer 2", b"lAyer 2"))
             for m, d in tar_files(docker)]))
        self.outside = self.path("outside")
        os.makedirs(self.outside)
        hfiles = {}
        F.layout(hfiles, [(hostile_layer(true, self.outside), True)], "1.0",
                 {"io.containerd.image.name": "hostile:1.0"})
        horder = sorted(hfiles)
        horder.insert(horder.index("index.json"),
                      ("../outer-escape-bd", "f", b"x"))
        self.hostile = self.write("hostile.tar", F.tar_of(hfiles, horder))
        arm, _ = elfgen.build(machine=elfgen.EM_AARCH64,
                              etype=elfgen.ET_EXEC, needed=["libc.so.6"])
        self.multi = self.path("multi")
        self.multi_digest = multi_platform(
            self.multi, self.l1, self.l2,
            F.tar([("usr/", "d", None), ("usr/bin/", "d", None),
                   ("usr/bin/arm-tool", "f", arm)]),
            F.tar([("usr/", "d", None), ("usr/bin/", "d", None),
                   ("usr/bin/two", "f", true + b"\0two")]))
        # a release tarball that starts as an OCI archive would
        self.plain = self.write("release.tar", F.tar([
            ("blobs/", "d", None), ("blobs/readme.txt", "f", b"hi\n"),
            ("bin/", "d", None), ("bin/true", "f", true)]))
        self.wheel = wheel(self.path("pkg-1.0-cp311-cp311-linux_x86_64.whl"))

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, data):
        F.write(self.path(name), data)
        return self.path(name)


def tar_files(data):
    """(member, bytes) of a tarball's regular files, in order."""
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        return [(m, t.extractfile(m).read()) for m in t.getmembers()
                if m.isfile()]


# ---- small images, built by each case --------------------------------------


def libfoo(tag):
    """libfoo.so.1, told apart by the bytes after its end."""
    return elfgen.build(soname="libfoo.so.1")[0] + b"\0" + tag.encode()


def app_and_libfoo(tag="lower"):
    """A layer: /usr/bin/app needing libfoo.so.1, and /usr/lib/libfoo.so.1."""
    app, _ = elfgen.build(etype=elfgen.ET_EXEC, needed=["libfoo.so.1"])
    return [("usr/", "d", None), ("usr/bin/", "d", None),
            ("usr/bin/app", "f", app), ("usr/lib/", "d", None),
            ("usr/lib/libfoo.so.1", "f", libfoo(tag))]


def small_image(root, layers):
    """An OCI layout of the layers (lists of F.tar entries), gzip'd.
    Returns its {name: bytes}."""
    files = {}
    F.layout(files, [(F.tar(entries), True) for entries in layers], "1.0")
    shutil.rmtree(root, ignore_errors=True)
    F.write_dir(root, files)
    return files


def libfoo_digests(sbom):
    """{location: content digest} of the libfoo.so.1 components with a
    file."""
    return {loc: c["hashes"][0]["content"] for c in sbom.get("components", [])
            if c["name"] == "libfoo.so.1" and c.get("hashes")
            for loc in [o["location"] for o in
                        c.get("evidence", {}).get("occurrences", [])]}


# ---- the cases ------------------------------------------------------------


def register(case, h):
    """h is the run module: its helpers (check, comps, props, ...)."""

    check = h.check
    built = {}

    def image(t):
        if t.work not in built:
            built[t.work] = Image(t.work)
        return built[t.work]

    def run(t, *args, sde=True, env=None, tmp=("image-tmp",), **kw):
        """The tool with a TMPDIR of its own, which must be empty after
        the run, whatever its outcome (the private directory is removed
        on every exit path)."""
        tmp = h.fresh_dir(t, *tmp)
        full = {"TMPDIR": tmp}
        full["SOURCE_DATE_EPOCH"] = SDE if sde else None
        full.update(env or {})
        r = t.run(*args, env=full, **kw)
        left = os.listdir(tmp)
        check(not left, "%r left in TMPDIR: %r" % (args, left))
        return r

    def ok(t, *args, **kw):
        """A run that writes an SBOM and exits 0."""
        r = run(t, *args, **kw)
        check(r.code == 0, "%r: exit %d: %s" % (args, r.code, r.err))
        check(r.sbom is not None, "%r: no SBOM" % (args,))
        return r

    def refused(t, code, what, *args):
        """Exit code, a message holding each string of what, no SBOM."""
        r = run(t, *args, validate_sbom=False)
        err = r.err.decode()
        check(r.code == code, "%r: exit %d, not %d: %s"
              % (args, r.code, code, err[:400]))
        for w in what:
            check(w in err, "%r: %r not in %r" % (args, w, err))
        check(r.raw is None, "%r: an SBOM was written" % (args,))
        return err

    def without(comp, names):
        c = dict(comp)
        c["properties"] = [p for p in comp.get("properties", [])
                           if p["name"] not in names]
        return c

    def same_components(a, b, label, drop=()):
        """a's components and edges are b's, file for file, hash for hash,
        edge for edge (properties named in drop aside)."""
        ca = {c["bom-ref"]: without(c, drop) for c in h.comps(a)}
        cb = {c["bom-ref"]: without(c, drop) for c in h.comps(b)}
        check(sorted(ca) == sorted(cb), "%s: components %r != %r"
              % (label, sorted(ca), sorted(cb)))
        for ref in ca:
            check(ca[ref] == cb[ref], "%s: %s differs:\n%s\n%s"
                  % (label, ref, json.dumps(ca[ref], sort_keys=True),
                     json.dumps(cb[ref], sort_keys=True)))
        check(a["dependencies"] == b["dependencies"], "%s: dependencies: "
              "%r != %r" % (label, a["dependencies"], b["dependencies"]))
        check(compositions(a) == compositions(b), "%s: compositions" % label)

    def compositions(s):
        """The compositions, the described target left out: an image has a
        version (its digest) where its root tree has none (issue 15)."""
        out = []
        for c in s.get("compositions", []):
            c = dict(c, assemblies=[r for r in c.get("assemblies", [])
                                    if r != "target"])
            if c["assemblies"] or c.get("dependencies"):
                out.append(c)
        return out

    def named(s, name):
        return h.by_name(s, name)

    def digest_of(c):
        return c["hashes"][0]["content"]

    # 1 --------------------------------------------------------------------

    @case
    def image_equals_its_root(t):
        """An OCI layout and a docker save of the same two layers give
        the --root SBOM of the tree extracted on disk."""
        im = image(t)
        ref = t.run("--root", im.ref, env={"SOURCE_DATE_EPOCH": SDE})
        check(ref.code == 0 and not ref.warnings(), ref.err)
        s = ref.sbom
        names = sorted(c["name"] for c in h.comps(s))
        check(names == ["echo", "ld-linux-x86-64.so.2", "libc.so.6", "new",
                        "true"], "the merged tree: %r" % names)
        echo = named(s, "echo")
        check(h.locations(echo) == ["/usr/bin/echo", "/usr/bin/echo-hard",
                                    "/usr/bin/echo-sym"], h.locations(echo))
        check(digest_of(echo) == sha(host_file("/usr/bin/echo") +
                                     b"\0layer 2")[7:], "layer 2's echo")
        check(h.locations(named(s, "true")) ==
              ["/usr/bin/true", "/usr/local/bin/true-link"], "true")
        libc = named(s, "libc.so.6")
        check(libc["purl"].startswith(
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64"),
            "libc6 from the image's dpkg database: %r" % libc.get("purl"))
        check(h.prop(libc, "bindep:resolved-via") == "ld.so.cache",
              "the image's ld.so.cache")
        check(h.depends(s, echo) == ["ld-linux-x86-64.so.2", "libc.so.6"],
              h.depends(s, echo))
        for form in (im.oci, im.docker):
            r = ok(t, form)
            check(not r.warnings(), "%s: %r" % (form, r.warnings()))
            same_components(r.sbom, s, form, LAYER_PROPS)

    # 2 --------------------------------------------------------------------

    @case
    def image_layer_of_each_file(t):
        """Each file names the layer its content came from: the replaced
        echo and the files added on top layer 2, the rest layer 1."""
        im = image(t)
        s = ok(t, im.oci).sbom
        want = {"echo": 1, "new": 1, "true": 0, "libc.so.6": 0,
                "ld-linux-x86-64.so.2": 0}
        for c in h.comps(s):
            k = im.origin[digest_of(c)]
            check(k == want[c["name"]], "fixture: %s" % c["name"])
            check(h.prop(c, "bindep:layer-digest") == im.layer_digest[k],
                  "%s: layer digest %r, not layer %d's"
                  % (c["name"], h.props(c, "bindep:layer-digest"), k + 1))
            check(h.prop(c, "bindep:layer-diff-id") == im.diff_id[k],
                  "%s: diffID %r, not layer %d's"
                  % (c["name"], h.props(c, "bindep:layer-diff-id"), k + 1))
        check(im.layer_digest[0] != im.diff_id[0], "layer 1 is gzip'd")
        # docker save: the layer.tar is the uncompressed layer, its digest
        # the diffID (a layer-digest, when given, can only be that).
        for form in (im.docker, im.docker_gz):
            for c in h.comps(ok(t, form).sbom):
                k = want[c["name"]]
                check(h.prop(c, "bindep:layer-diff-id") == im.diff_id[k],
                      "%s: %s: diffID" % (form, c["name"]))
                check(h.props(c, "bindep:layer-digest") in
                      ([], [im.diff_id[k]]), "%s: %s: layer digest %r"
                      % (form, c["name"],
                         h.props(c, "bindep:layer-digest")))

    # 3 --------------------------------------------------------------------

    @case
    def image_layer_diff_id_checked(t):
        """A layer's diffID is the digest of its uncompressed tar: a config
        whose rootfs.diff_ids says another (containerd refuses it: "wrong
        diff id calculated on extraction") is an error, no SBOM; the SBOM
        said bindep:layer-diff-id as the config claimed it. An
        uncompressed layer is its own diffID; a compressed one (gzip, zstd)
        is checked over what it decompresses to, the zero blocks after
        the tar's end too, which the diffID covers and libarchive's tar
        reader never asks for."""
        im = image(t)
        d = h.fresh_dir(t, "images", "diff-id")
        padded = im.l1 + bytes(10240)  # past the end-of-archive blocks
        for name, layer, how in (("plain", im.l1, None), ("gz", im.l1, True),
                                 ("zst", im.l1, "zstd"),
                                 ("gz-padded", padded, True)):
            for good in (False, True):
                files = {}
                F.layout(files, [(layer, how is not None)], "1.0",
                         {"io.containerd.image.name": "x:1.0"},
                         diff_ids=[sha(layer) if good
                                   else "sha256:" + "ab" * 32])
                if how == "zstd":
                    recompress_zstd(files)
                path = os.path.join(d, "%s-%s" % (name, good))
                F.write_dir(path, files)
                if good:
                    r = ok(t, path)
                    ids = {p["value"] for c in h.comps(r.sbom)
                           for p in c.get("properties", [])
                           if p["name"] == "bindep:layer-diff-id"}
                    check(ids == {sha(layer)}, "%s: %r" % (name, ids))
                else:
                    refused(t, 1, ["diffID"], path)

    @case
    def image_layer_unreadable_not_a_diff_id(t):
        """A layer blob that is what the manifest says but cannot be read
        (a gzip stream cut in its first header, a text, a tar gzip'd
        twice, which containerd's one decompression makes no tar) is
        refused for what it is, not as a diffID mismatch: what was
        decompressed of it is no layer's tar to compare."""
        im = image(t)
        d = h.fresh_dir(t, "images", "unreadable")
        gz = gzip.compress(im.l1, mtime=0)
        for name, blob, what in (
                ("cut", gz[:40], "truncated or corrupt"),
                ("text", b"just some text\n" * 64, "not an archive"),
                ("twice", gzip.compress(gz, mtime=0), "compressed twice")):
            files = {}
            F.layout(files, [(blob, False)], "1.0",
                     {"io.containerd.image.name": "x:1.0"},
                     diff_ids=[sha(im.l1)])
            path = os.path.join(d, name)
            F.write_dir(path, files)
            err = refused(t, 1, [what], path)
            check("diffID" not in err, "%s: %r" % (name, err))

    @case
    def image_layer_damaged_diff_id_of_it_all(t):
        """A compressed layer whose tar is damaged after its first entry
        (a header's checksum) is kept with a warning, as an uncompressed
        one is: its diffID is still over all it decompresses to. The tar
        reader stopped at the damage, and the rest of the stream was not
        decompressed for the digest: a right diffID was refused as "not
        its diffID" (a small layer, read whole at once, was not). A gzip
        stream cut after its first entry is refused for the cut, not as
        a diffID mismatch."""
        d = h.fresh_dir(t, "images", "damaged")
        true = host_file("/usr/bin/true")
        bio = io.BytesIO()
        with tarfile.open(fileobj=bio, mode="w",
                          format=tarfile.USTAR_FORMAT) as tf:
            for name, data in (("usr/bin/true", true),
                               ("etc/a", b"a\n"),
                               ("etc/big", os.urandom(3 << 20))):
                ti = tarfile.TarInfo(name)
                ti.size, ti.mode = len(data), 0o755
                tf.addfile(ti, io.BytesIO(data))
        good = bio.getvalue()
        bad = bytearray(good)
        at = 512 + (len(true) + 511) // 512 * 512
        check(bad[at:at + 5] == b"etc/a", "no second header at %d" % at)
        bad[at + 148:at + 156] = b"0000000\0"  # its checksum
        bad = bytes(bad)
        gz = gzip.compress(good, mtime=0)
        for name, blob, gzipped, diff_id in (
                ("plain", bad, False, sha(bad)),
                ("gz", bad, True, sha(bad)),
                ("gz-wrong", bad, True, "sha256:" + "ab" * 32),
                ("cut", gz[:len(gz) // 2], False, sha(good))):
            files = {}
            F.layout(files, [(blob, gzipped)], "1.0",
                     {"io.containerd.image.name": "x:1.0"},
                     diff_ids=[diff_id])
            path = os.path.join(d, name)
            F.write_dir(path, files)
            if name in ("plain", "gz"):
                r = ok(t, path)
                check(b"Damaged tar archive" in r.err, "%s: %r"
                      % (name, r.err))
                check(any(c["name"] == "true" for c in h.comps(r.sbom)),
                      "%s: no true" % name)
            elif name == "gz-wrong":
                refused(t, 1, ["diffID"], path)
            else:
                err = refused(t, 1, ["truncated gzip input"], path)
                check("diffID" not in err, "%s: %r" % (name, err))

    @case
    def image_layer_cpio_refused(t):
        """A layer is a tar: a cpio (plain, or gzip'd) was read as one by
        libarchive, its files in the SBOM, where containerd's tar reader
        refuses it (sniffing knows no cpio, and passed it as a tar
        without magic)."""
        d = h.fresh_dir(t, "images", "cpio-layer")
        true = host_file("/usr/bin/true")
        cpio = b"".join(cpio_newc(*m) for m in (
            ("usr", 0o40755, b""), ("usr/bin", 0o40755, b""),
            ("usr/bin/true", 0o100755, true), ("TRAILER!!!", 0, b"")))
        for name, gz in (("plain", False), ("gz", True)):
            files = {}
            F.layout(files, [(cpio, gz)], "1.0",
                     {"io.containerd.image.name": "x:1.0"})
            path = os.path.join(d, name)
            F.write_dir(path, files)
            refused(t, 1, ["not an archive"], path)

    def recompress_zstd(files):
        """The layout's one gzip'd layer made a zstd one: blob, manifest,
        index rewritten (the config, which names the diffID, stays)."""
        idx = json.loads(files["index.json"])
        man_name = "blobs/sha256/" + idx["manifests"][0]["digest"][7:]
        man = json.loads(files.pop(man_name))
        layer = man["layers"][0]
        old = "blobs/sha256/" + layer["digest"][7:]
        data = subprocess.run(["zstd", "-q", "-c"],
                              input=gzip.decompress(files.pop(old)),
                              capture_output=True, check=True).stdout
        files["blobs/sha256/" + sha(data)[7:]] = data
        layer.update(digest=sha(data), size=len(data),
                     mediaType="application/vnd.oci.image.layer.v1.tar+zstd")
        mdata = json.dumps(man).encode()
        files["blobs/sha256/" + sha(mdata)[7:]] = mdata
        idx["manifests"][0].update(digest=sha(mdata), size=len(mdata))
        files["index.json"] = json.dumps(idx).encode()

    @case
    def image_empty_layer_blob(t):
        """A layer blob of no bytes (media type tar, its digest and diffID
        the SHA-256 of nothing): containerd and moby read an empty stream
        as an empty layer, and the image runs. It was "not an archive"."""
        im = image(t)
        d = h.fresh_dir(t, "images", "empty-layer")
        files = {}
        F.layout(files, [(im.l1, True), (b"", False)], "1.0",
                 {"io.containerd.image.name": "x:1.0"})
        F.write_dir(d, files)
        r = ok(t, d)
        check(not r.warnings(), r.warnings())
        check(named(r.sbom, "echo"), "the lower layer's files are read")
        # gzip of nothing (its diffID the SHA-256 of nothing): Go's tar
        # reader meets the end at once, and containerd unpacks an empty
        # layer. It was "truncated or corrupt (Unrecognized archive
        # format)".
        files = {}
        F.layout(files, [(im.l1, True), (b"", True)], "1.0",
                 {"io.containerd.image.name": "x:1.0"})
        d = h.fresh_dir(t, "images", "empty-gzip-layer")
        F.write_dir(d, files)
        r = ok(t, d)
        check(not r.warnings(), r.warnings())
        check(named(r.sbom, "echo"), "the lower layer's files are read")

    @case
    def image_without_a_name_has_no_purl(t):
        """An untagged docker save (RepoTags null) and a layout whose
        ref.name is a bare tag name no repository: the image is named by
        its file ("untagged", "bare-layout"), and has no purl (an oci
        purl's name is the repository's). It was pkg:oci/image."""
        im = image(t)
        d = h.fresh_dir(t, "images", "unnamed")
        docker, _ = docker_save([im.l1, im.l2], "demo:1.0")
        files = {m.name: data for m, data in tar_files(docker)
                 if m.name != "repositories"}
        man = json.loads(files["manifest.json"])
        man[0]["RepoTags"] = None
        files["manifest.json"] = json.dumps(man).encode()
        untagged = os.path.join(d, "untagged.tar")
        with open(untagged, "wb") as f:
            f.write(F.tar_of(files, sorted(files)))
        layout = {}
        F.layout(layout, [(im.l1, True), (im.l2, False)], "1.0")
        bare = os.path.join(d, "bare-layout")
        F.write_dir(bare, layout)
        for path, name in ((untagged, "untagged"), (bare, "bare-layout")):
            mc = ok(t, path).sbom["metadata"]["component"]
            check(mc["name"] == name and mc["type"] == "container" and
                  "purl" not in mc, mc)
            x = ok(t, "--format", "spdx", path).sbom
            target = [p for p in x["packages"]
                      if p.get("primaryPackagePurpose") == "CONTAINER"]
            check(len(target) == 1 and target[0]["name"] == name and
                  not [r for r in target[0].get("externalRefs", [])
                       if r["referenceType"] == "purl"], target)

    @case
    def image_is_the_target(t):
        """metadata.component is the image (CycloneDX), the described
        package (SPDX); the image file's time stands for its files."""
        im = image(t)
        s = ok(t, im.oci).sbom
        # purl-spec: '/' in a qualifier value is percent-encoded.
        purl = ("pkg:oci/demo@%s?repository_url=%s&tag=1.0"
                % (im.manifest, NAME.replace("/", "%2F")))
        mc = s["metadata"]["component"]
        check(mc == {"type": "container", "bom-ref": "target", "name": NAME,
                     "version": im.manifest, "purl": purl}, mc)
        check(s["metadata"]["timestamp"] == "2023-11-14T22:13:20Z", "SDE")
        top = [d for d in s["dependencies"] if d["ref"] == "target"][0]
        check(sorted(top["dependsOn"]) ==
              sorted(c["bom-ref"] for c in h.comps(s)), "target holds all")
        d = ok(t, im.docker).sbom["metadata"]["component"]
        # docker save has no manifest digest: the version is the image ID
        # (its config's digest), the purl has none.
        check(d == {"type": "container", "bom-ref": "target", "name": "demo",
                    "version": im.config,
                    "purl": "pkg:oci/demo?repository_url="
                            "docker.io%2Flibrary%2Fdemo&tag=1.0"}, d)
        x = ok(t, "--format", "spdx", im.oci).sbom
        described = [r["relatedSpdxElement"] for r in x["relationships"]
                     if r["spdxElementId"] == "SPDXRef-DOCUMENT"
                     and r["relationshipType"] == "DESCRIBES"]
        check(len(described) == 1, described)
        pkg = [p for p in x["packages"] if p["SPDXID"] == described[0]][0]
        check(pkg["name"] == NAME and pkg["versionInfo"] == im.manifest, pkg)
        check(pkg["primaryPackagePurpose"] == "CONTAINER", pkg)
        check([r["referenceLocator"] for r in pkg.get("externalRefs", [])
               if r["referenceType"] == "purl"] == [purl], pkg)
        echo = [p for p in x["packages"] if p["name"] == "echo"][0]
        notes = [a["comment"] for a in echo.get("annotations", [])]
        check("bindep:layer-diff-id=" + im.diff_id[1] in notes, notes)
        # without SOURCE_DATE_EPOCH: when the SBOM was made, not the
        # image's mtime (issue 15), in both formats
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        for form in (im.oci, im.docker):
            before = time.strftime(fmt, time.gmtime(time.time()))
            r = ok(t, form, sde=False)
            after = time.strftime(fmt, time.gmtime(time.time() + 1))
            check(before <= r.sbom["metadata"]["timestamp"] <= after,
                  "%s: %s" % (form, r.sbom["metadata"]["timestamp"]))
        before = time.strftime(fmt, time.gmtime(time.time()))
        r = ok(t, "--format", "spdx", im.docker_gz, sde=False)
        after = time.strftime(fmt, time.gmtime(time.time() + 1))
        check(before <= r.sbom["creationInfo"]["created"] <= after,
              r.sbom["creationInfo"])

    # 4 --------------------------------------------------------------------

    @case
    def image_archive_forms_agree(t):
        """The layout tarred (an OCI archive) is the layout; docker save
        gzip'd is docker save; docker save is the OCI image but for the
        layer digests."""
        im = image(t)
        oci, docker = ok(t, im.oci), ok(t, im.docker)
        check(ok(t, im.oci_tar).raw == oci.raw, "OCI archive != layout")
        check(ok(t, im.docker_gz).raw == docker.raw, "gzip'd docker save")
        same_components(docker.sbom, oci.sbom, "docker save vs OCI",
                        ("bindep:layer-digest",))
        spdx = ok(t, "--format", "spdx", im.oci)
        check(ok(t, "--format", "spdx", im.oci_tar).raw == spdx.raw, "spdx")
        # SPDX 3.0.1 says what 2.3 says of an image: a container target.
        spdx3 = ok(t, "--format", "spdx3", im.oci)
        check(ok(t, "--format", "spdx3", im.oci_tar).raw == spdx3.raw, "spdx3")
        h.same_as_spdx2(spdx.sbom, spdx3.sbom)

    # 5 --------------------------------------------------------------------

    @case
    def image_schemes(t):
        """syft's schemes force a form; the wrong one is an error naming
        the file; a plain tarball starting with blobs/ is a tarball."""
        im = image(t)
        for scheme, path in (("oci-dir:", im.oci),
                             ("oci-archive:", im.oci_tar),
                             ("docker-archive:", im.docker),
                             ("docker-archive:", im.docker_gz)):
            check(ok(t, scheme + path).raw == ok(t, path).raw, scheme + path)
        for scheme, path, why in (
                ("oci-archive:", im.docker, "not an OCI archive"),
                ("docker-archive:", im.oci_tar, "not a docker-archive"),
                ("oci-dir:", im.oci_tar, "not an OCI image layout"),
                ("oci-archive:", im.oci, "not an OCI archive"),
                ("docker-archive:", im.oci, "not a docker-archive"),
                ("oci-dir:", im.ref, "not an OCI image layout"),
                ("oci-archive:", im.plain, "not an OCI archive")):
            refused(t, 1, ["error: '%s'" % path, why], scheme + path)
        r = ok(t, im.plain)
        check(r.err == b"", "no warning: %r" % r.err)
        mc = r.sbom["metadata"]["component"]
        check(mc["type"] == "application" and "purl" not in mc, mc)
        true = named(r.sbom, "true")
        check(h.locations(true) == [im.plain + "!/bin/true"],
              h.locations(true))
        check(not h.props(true, "bindep:layer-diff-id"), "no layer")
        art = named(r.sbom, "release.tar")
        check(h.locations(art) == [im.plain], h.locations(art))
        check(h.depends(r.sbom, art) == ["true"], "the tarball holds true")

    # 6 --------------------------------------------------------------------

    @case
    def image_platform_and_ref(t):
        """--image-ref picks an image of a layout, --platform a manifest of
        its index (linux/amd64 by default); a choice left to make or one
        that fits nothing is a usage error listing the choices."""
        im = image(t)
        d = im.multi_digest
        refused(t, 2, ["'%s': holds 2 images, choose one with --image-ref: "
                       "1.0, 2.0" % im.multi, "usage:"], im.multi)
        for args, key, present in (
                (("--image-ref", "1.0"), "amd64", "echo"),
                (("--image-ref", NAME + ":1.0"), "amd64", "echo"),
                (("--image-ref", "1.0", "--platform", "linux/amd64"),
                 "amd64", "echo"),
                (("--image-ref", "1.0", "--platform", "linux/arm64/v8"),
                 "arm64", "arm-tool"),
                (("--image-ref", "2.0"), "other", "two")):
            s = ok(t, *args, im.multi).sbom
            check(s["metadata"]["component"]["version"] == d[key],
                  "%r: %s, not the %s manifest"
                  % (args, s["metadata"]["component"]["version"], key))
            c = named(s, present)
            if key == "arm64":
                check(h.prop(c, "bindep:elf:machine") == "aarch64", "arm64")
                check(len(h.comps(s)) == 2, "arm64 alone: %r"
                      % [x["name"] for x in h.comps(s)])
        refused(t, 2, ["'%s': no image '3.0' (it has 1.0, 2.0)" % im.multi],
                "--image-ref", "3.0", im.multi)
        refused(t, 2, ["'%s': no image for platform linux/s390x (it has "
                       "linux/amd64, linux/arm64/v8)" % im.multi],
                "--image-ref", "1.0", "--platform", "linux/s390x", im.multi)
        refused(t, 2, ["linux/amd64", "linux/arm64/v8"],
                "--image-ref", "2.0", "--platform", "linux/arm64/v8",
                im.multi)
        refused(t, 2, ["--platform wants OS/ARCH[/VARIANT]"],
                "--platform", "amd64", im.oci)
        # docker save: its tags are its refs, its config its platform
        check(ok(t, "--image-ref", "demo:1.0", im.docker).sbom
              == ok(t, im.docker).sbom, "docker save: demo:1.0")
        refused(t, 2, ["'%s': no image 'demo:2.0' (it has demo:1.0)"
                       % im.docker], "--image-ref", "demo:2.0", im.docker)
        refused(t, 2, ["'%s'" % im.docker, "linux/amd64", "linux/arm64"],
                "--platform", "linux/arm64", im.docker)

    @case
    def image_usage_errors(t):
        """An image is the run's root: no --root with it, one image per
        run, no plain directory beside it."""
        im = image(t)
        refused(t, 2, ["'%s'" % im.oci, "--root", "usage:"],
                "--root", im.ref, im.oci)
        wrong = []
        for pair in ((im.oci_tar, im.docker), (im.oci, im.docker),
                     (im.oci, im.oci_tar), (im.docker, im.oci),
                     (im.docker_gz, im.oci_tar)):
            try:
                refused(t, 2, ["one image per run", "usage:"], *pair)
            except h.Failure as e:
                wrong.append(str(e))
        check(not wrong, "two images:\n" + "\n".join(wrong))
        plain = h.fresh_dir(t, "image-beside")
        refused(t, 2, ["'%s'" % plain, "usage:"], im.oci, plain)
        # The image options with no image among the PATHs (an image the
        # walk finds is an archive, read whole): said, not ignored.
        for args in (("--platform", "linux/arm64", plain),
                     ("--image-ref", "1.0", "--root", plain),
                     ("--image-ref", "1.0", im.plain)):
            refused(t, 2, ["bindep-sbom: %s is an option of an image, and no "
                           "PATH is one" % args[0], "usage:"], *args)

    # 7 --------------------------------------------------------------------

    @case
    def image_layer_digest_mismatch(t):
        """A layer that is not what its digest says fails the run, naming
        it; nothing is written."""
        im = image(t)
        refused(t, 1, ["error: '%s!/%s': digest mismatch"
                       % (im.corrupt_oci, im.corrupt_layer)], im.corrupt_oci)
        layer = [m.name for m, d in tar_files(host_file(im.corrupt_docker))
                 if m.name.endswith("/layer.tar") and b"lAyer 2" in d][0]
        refused(t, 1, ["error: '%s!/%s': digest mismatch"
                       % (im.corrupt_docker, layer)], im.corrupt_docker)

    @case
    def image_hostile_layer(t):
        """The tarball's entry leaving it, a device node, a FIFO: one
        warning each, the rest of the image kept (an absolute name, and
        one climbing past the root, from the image's root, as containerd
        applies them); a file below a symlink of its layer to a
        directory of this machine where the link leads inside the image's
        root, as containerd writes it; nothing written outside the
        private directory."""
        im = image(t)
        # deep enough that "../../../../x" from the private directory
        # would land in the work directory, where the canary looks
        r = ok(t, im.hostile, tmp=("image-deep",) + ("d",) * 8)
        w = [x[len("bindep-sbom: warning: "):] for x in r.warnings()]
        p = im.hostile
        check(any(x == "'%s!/../outer-escape-bd': entry name leaves the "
                  "archive, skipped" % p for x in w), w)
        for entry, why in (("dev/null2", "a device node, skipped"),
                           ("dev/fifo", "a FIFO, skipped")):
            hits = [x for x in w if x.startswith("'%s!/blobs/sha256/" % p)
                    and ("!/%s'" % entry) in x and x.endswith(why)]
            check(len(hits) == 1, "%s: %r" % (entry, w))
        # "esc" climbs past the root: kept, as '..' stops at the root in
        # the container and in the tree read confined; "/abs-escape-bd"
        # is the image's, from its root, as moby and containerd apply it,
        # and "../../../../escape-bd" too, as containerd applies it.
        check(len(w) == 3, "one warning each: %r" % w)
        true = named(r.sbom, "true")
        check(h.locations(true) == ["/usr/bin/true"], "the good file kept")
        absolute = named(r.sbom, "abs-escape-bd")
        check(h.locations(absolute) == ["/abs-escape-bd"],
              h.locations(absolute))
        climbing = named(r.sbom, "escape-bd")
        check(h.locations(climbing) == ["/escape-bd"], h.locations(climbing))
        planted = named(r.sbom, "planted-bd")
        check(h.locations(planted) == [im.outside + "/planted-bd"],
              h.locations(planted))
        # true's libc.so.6 and its interpreter: the image has neither.
        check(sorted(c["name"] for c in h.comps(r.sbom)) ==
              ["/lib64/ld-linux-x86-64.so.2", "abs-escape-bd", "escape-bd",
               "libc.so.6", "planted-bd", "true"],
              [c["name"] for c in h.comps(r.sbom)])
        check(os.listdir(im.outside) == [], "written outside: %r"
              % os.listdir(im.outside))
        check(not os.path.lexists("/abs-escape-bd"), "/abs-escape-bd")
        for top, dirs, files in os.walk(t.work):
            for n in dirs + files:
                check("escape-bd" not in n and "planted-bd" not in n,
                      "%s written" % os.path.join(top, n))

    # 8 --------------------------------------------------------------------

    @case
    def image_with_wheel(t):
        """A wheel given with the image resolves against the image's
        libraries: its extension's libc.so.6 is the image's."""
        im = image(t)
        for form in (im.oci, im.docker_gz):
            r = ok(t, form, im.wheel)
            s = r.sbom
            check(not r.warnings(), "%s: %r" % (form, r.warnings()))
            ext = named(s, "_ext.cpython-311-x86_64-linux-gnu.so")
            check(h.locations(ext) == [
                im.wheel + "!/pkg/_ext.cpython-311-x86_64-linux-gnu.so"],
                h.locations(ext))
            check(h.prop(ext, "bindep:bundled-in") == "pkg:pypi/pkg@1.0",
                  "bundled-in")
            check(not h.props(ext, "bindep:layer-diff-id"), "not a layer's")
            check(h.depends(s, ext) == ["libc.so.6"], h.depends(s, ext))
            libc = named(s, "libc.so.6")
            check(h.locations(libc) == ["/" + MULTIARCH + "/libc.so.6"],
                  h.locations(libc))
            check("sha256:" + digest_of(libc) != im.host_libc,
                  "the host's libc")
            check(im.origin[digest_of(libc)] == 0, "the image's libc")
            art = named(s, "pkg")
            check(art["purl"] == "pkg:pypi/pkg@1.0", art)
            check(h.depends(s, art) == [ext["name"]], h.depends(s, art))
            check(s["metadata"]["component"]["type"] == "container", "target")

    # 9 --------------------------------------------------------------------

    @case
    def image_private_dir_removed_when_killed(t):
        """SIGKILL in the middle of a run: the sentinel child removes the
        private directory all the same. Bare (never under the wrapper):
        the kill must reach the tool itself."""
        im = image(t)
        tmp = h.fresh_dir(t, "image-kill")
        env = dict(os.environ, TMPDIR=tmp)
        for attempt in range(20):
            proc = subprocess.Popen([t.binary, "-o", os.devnull, im.oci],
                                    env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            seen = None
            while proc.poll() is None and not seen:
                for n in os.listdir(tmp):
                    if n.startswith("bindep-sbom.") and os.path.isdir(
                            os.path.join(tmp, n, "root")):
                        seen = n
                if not seen:
                    time.sleep(0.001)
            if seen and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            if seen and proc.returncode == -signal.SIGKILL:
                break
        else:
            raise h.Failure("never caught a run in the middle")
        deadline = time.time() + 20
        while os.listdir(tmp) and time.time() < deadline:
            time.sleep(0.02)
        check(os.listdir(tmp) == [], "left after SIGKILL: %r"
              % os.listdir(tmp))

    # 10 -------------------------------------------------------------------

    @case
    def image_held_warnings_past_the_cap(t):
        """An OCI archive whose first entries are 257 unreferenced blobs,
        each stored twice (docker load and skopeo take it: the copies are
        the same bytes): still an image, its whiteout applied; the first
        256 warnings said, then one naming how many were not."""
        d = h.fresh_dir(t, "image-held")
        files = small_image(os.path.join(d, "oci"), [
            app_and_libfoo(),
            [("usr/", "d", None), ("usr/lib/", "d", None),
             ("usr/lib/.wh.libfoo.so.1", "f", b"")]])
        order = []
        for i in range(257):
            data = b"%d" % i
            name = "blobs/sha256/" + sha(data)[7:]
            order += [(name, "f", data), (name, "f", data)]
        order += sorted(files)
        tarball = os.path.join(d, "held.tar")
        F.write(tarball, F.tar_of(files, order))
        r = ok(t, tarball)
        check(r.sbom["metadata"]["component"]["type"] == "container",
              r.sbom["metadata"]["component"])
        check(libfoo_digests(r.sbom) == {}, "whited out: %r"
              % libfoo_digests(r.sbom))
        w = r.warnings()
        dups = [x for x in w if x.endswith("duplicate entry, the first "
                                           "is kept")]
        check(len(dups) == 256, "%d duplicates said" % len(dups))
        check(w[-1] == "bindep-sbom: warning: '%s': 1 more warning about "
              "its entries before its image metadata, not shown" % tarball,
              w[-3:])
        check(len(w) == 257, "%d warnings" % len(w))

    @case
    def image_metadata_file_twice(t):
        """manifest.json, index.json, oci-layout or repositories twice in
        an image tarball: docker load and skopeo keep the last, this
        reader would read the first, and the SBOM could describe another
        image than the one that runs: refused, exit 1, the file named. A
        blob twice is content-addressed: one warning, the image read."""
        d = h.fresh_dir(t, "image-twice")
        files = small_image(os.path.join(d, "oci"), [app_and_libfoo("a")])
        other = small_image(os.path.join(d, "oci-b"), [app_and_libfoo("b")])
        blobs = sorted(n for n in files if n.startswith("blobs/"))
        blob_b = sorted(n for n in other if n not in files)
        for twice, order in (
                ("index.json", blobs + [(n, "f", other[n]) for n in blob_b] +
                 ["oci-layout", "index.json",
                  ("index.json", "f", other["index.json"])]),
                ("oci-layout", blobs + ["oci-layout", "index.json",
                                        "oci-layout"])):
            tarball = os.path.join(d, "twice-%s.tar" % twice)
            F.write(tarball, F.tar_of(files, order))
            refused(t, 1, ["error: '%s!/%s': the file is given twice"
                           % (tarball, twice)], tarball)
        docker, _ = docker_save([F.tar(app_and_libfoo("a"))], "demo:1.0")
        docker_b, _ = docker_save([F.tar(app_and_libfoo("b"))], "demo:1.0")
        members = tar_files(docker)
        last = {m.name: data for m, data in tar_files(docker_b)}
        for twice in ("manifest.json", "repositories"):
            entries = [(m.name, "f", data) for m, data in members]
            entries += [(n, "f", last[n]) for n in sorted(last)
                        if n not in {m.name for m, _ in members}
                        or n == twice]
            tarball = os.path.join(d, "twice-%s.tar" % twice)
            F.write(tarball, F.tar(entries))
            refused(t, 1, ["error: '%s!/%s': the file is given twice"
                           % (tarball, twice)], tarball)
        # index.json a directory (after the file, or before it), or a
        # link: docker load fails; refused too.
        for tag, extra in (("dir-after", ["index.json",
                                          ("index.json/", "d", None)]),
                           ("dir-before", [("index.json/", "d", None),
                                           "index.json"]),
                           ("link", [("index.json", "l", "oci-layout")])):
            tarball = os.path.join(d, "odd-%s.tar" % tag)
            F.write(tarball, F.tar_of(files, blobs + ["oci-layout"] + extra))
            refused(t, 1, ["error: '%s!/index.json': not a file" % tarball],
                    tarball)
        # index.json a FIFO: the archive reader makes none; the image
        # has no index, an error naming it, and no SBOM.
        tarball = os.path.join(d, "odd-fifo.tar")
        F.write(tarball, F.tar_of(files, blobs + ["oci-layout",
                                                  ("index.json", "p", None)]))
        refused(t, 1, ["index.json"], tarball)
        tarball = os.path.join(d, "blob-twice.tar")
        F.write(tarball, F.tar_of(files, [blobs[0]] + blobs +
                                  ["oci-layout", "index.json"]))
        r = ok(t, tarball)
        check(r.warnings() == ["bindep-sbom: warning: '%s!/%s': duplicate "
                               "entry, the first is kept"
                               % (tarball, blobs[0])], r.warnings())
        check(list(libfoo_digests(r.sbom)) == ["/usr/lib/libfoo.so.1"],
              libfoo_digests(r.sbom))

    @case
    def image_special_file_hides_lower(t):
        """A FIFO, a device node in an upper layer, where a lower layer
        has libfoo.so.1: the container has no libfoo there (a layer's
        entry replaces the path, whatever its type), so neither has the
        SBOM. The entry is warned about, and nothing is made of it."""
        d = h.fresh_dir(t, "image-special")
        for kind, why in (("p", "a FIFO, skipped"),
                          ("c", "a device node, skipped")):
            root = os.path.join(d, kind)
            small_image(root, [app_and_libfoo(), [
                ("usr/", "d", None), ("usr/lib/", "d", None),
                ("usr/lib/libfoo.so.1", kind, None)]])
            r = ok(t, root)
            check(libfoo_digests(r.sbom) == {}, "%s: %r"
                  % (kind, libfoo_digests(r.sbom)))
            w = r.warnings()
            check(len(w) == 1 and w[0].endswith("!/usr/lib/libfoo.so.1': "
                                                + why), w)
            # A hard link to it later in the layer is no file either.
            small_image(root, [app_and_libfoo(), [
                ("usr/", "d", None), ("usr/lib/", "d", None),
                ("usr/lib/libfoo.so.1", kind, None),
                ("usr/lib/libfoo.so.2", "h", "usr/lib/libfoo.so.1")]])
            r = ok(t, root)
            check(libfoo_digests(r.sbom) == {}, "%s: %r"
                  % (kind, libfoo_digests(r.sbom)))

    @case
    def image_special_then_directory_hides_lower(t):
        """An upper layer with usr/lib as a FIFO, a device or a file, then
        usr/lib/ a directory and a file in it: the first removed the lower
        layer's usr/lib whole (moby and containerd remove what is there
        unless both are directories), so the new directory holds only the
        upper layer's files: the lower libfoo is not in the container."""
        d = h.fresh_dir(t, "image-special-dir")
        upper = hashlib.sha256(libfoo("upper")).hexdigest()
        for kind in ("p", "c", "f"):
            root = os.path.join(d, kind)
            small_image(root, [app_and_libfoo("lower"), [
                ("usr/", "d", None),
                ("usr/lib", kind, b"text" if kind == "f" else None),
                ("usr/lib/", "d", None),
                ("usr/lib/libfoo.so.2", "f", libfoo("upper"))]])
            r = ok(t, root)
            check(libfoo_digests(r.sbom) == {"/usr/lib/libfoo.so.2": upper},
                  "%s: %r" % (kind, libfoo_digests(r.sbom)))

    @case
    def image_symlink_climbing_past_the_root(t):
        """usr/lib/libfoo.so.1 -> ../../../../../../../../usr/lib/
        libfoo.so.1.0 in a layer: in the container '..' stops at '/', and
        the link leads to the image's /usr/lib/libfoo.so.1.0. Kept as
        written, it is resolved inside the image, never outside: a decoy
        libfoo.so.1.0 where the link would lead from the private
        directory on the host is never read. In an upper layer, it
        replaces the lower layer's libfoo.so.1."""
        d = h.fresh_dir(t, "image-overshoot")
        deep = ("image-overshoot",) + ("d",) * 8
        for i in range(len(deep)):
            decoy = os.path.join(t.work, *deep[:i + 1])
            F.write_dir(decoy, {"usr/lib/libfoo.so.1.0": libfoo("decoy")})
        decoy_digest = hashlib.sha256(libfoo("decoy")).hexdigest()
        real = hashlib.sha256(libfoo("upper")).hexdigest()
        link = ("usr/lib/libfoo.so.1", "l",
                "../" * 8 + "usr/lib/libfoo.so.1.0")
        one = [e for e in app_and_libfoo("lower")
               if e[0] != "usr/lib/libfoo.so.1"]
        one += [("usr/lib/libfoo.so.1.0", "f", libfoo("upper")), link]
        upper = [("usr/", "d", None), ("usr/lib/", "d", None),
                 ("usr/lib/libfoo.so.1.0", "f", libfoo("upper")), link]
        for tag, layers in (("one", [one]),
                            ("upper", [app_and_libfoo("lower"), upper])):
            root = os.path.join(d, tag)
            small_image(root, layers)
            r = ok(t, root, tmp=deep + ("tmp",))
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))
            got = libfoo_digests(r.sbom)
            check(got == {"/usr/lib/libfoo.so.1": real,
                          "/usr/lib/libfoo.so.1.0": real},
                  "%s: %r (the decoy is %s)" % (tag, got, decoy_digest))
            app = named(r.sbom, "app")
            check(h.depends(r.sbom, app) == ["libfoo.so.1"],
                  h.depends(r.sbom, app))

    @case
    def image_absolute_entry_names(t):
        """"/usr/lib/libfoo.so.1" and "/usr/lib/.wh.libfoo.so.1" in a
        layer: moby and containerd apply a name (and a hard link's target)
        from the root, the leading '/' dropped: the first replaces the
        lower libfoo.so.1, the second whites it out."""
        d = h.fresh_dir(t, "image-absname")
        upper = hashlib.sha256(libfoo("upper")).hexdigest()
        for tag, top, want in (
                ("file", [("/usr/lib/libfoo.so.1", "f", libfoo("upper"))],
                 {"/usr/lib/libfoo.so.1": upper}),
                ("slashes", [("//usr/lib/libfoo.so.1", "f",
                              libfoo("upper"))],
                 {"/usr/lib/libfoo.so.1": upper}),
                ("hard", [("/usr/lib/libfoo.so.1", "f", libfoo("upper")),
                          ("/usr/lib/libfoo-hard.so.1", "h",
                           "/usr/lib/libfoo.so.1")],
                 {"/usr/lib/libfoo.so.1": upper,
                  "/usr/lib/libfoo-hard.so.1": upper}),
                ("whiteout", [("/usr/lib/.wh.libfoo.so.1", "f", b"")], {}),
                # filepath.Clean first: "/.." is "/" (moby, containerd)
                ("dotdot", [("/../usr/lib/libfoo.so.1", "f",
                             libfoo("upper")),
                            ("/usr/../../usr/lib/libfoo.so.2", "h",
                             "/../usr/lib/libfoo.so.1")],
                 {"/usr/lib/libfoo.so.1": upper,
                  "/usr/lib/libfoo.so.2": upper})):
            root = os.path.join(d, tag)
            small_image(root, [app_and_libfoo("lower"), top])
            r = ok(t, root)
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))
            check(libfoo_digests(r.sbom) == want, "%s: %r"
                  % (tag, libfoo_digests(r.sbom)))

    @case
    def image_path_twice_in_a_layer(t):
        """The same path twice in one layer: tar, moby and containerd
        remove the first and write the last, so the last is the
        container's. A hard link made to the first before the second
        keeps the first's bytes (its inode), one made after it the
        last's; in a layer an upper one hides, the same for the hard
        links kept. A directory between the two is removed too (file,
        directory, file: the last file; cases_hard_images2's
        image_directory_and_file_at_one_path_in_a_layer)."""
        d = h.fresh_dir(t, "image-twice-in-layer")
        first = hashlib.sha256(libfoo("first")).hexdigest()
        last = hashlib.sha256(libfoo("last")).hexdigest()
        twice = [("usr/", "d", None), ("usr/lib/", "d", None),
                 ("usr/lib/libfoo.so.1", "f", libfoo("first")),
                 ("usr/lib/libfoo-early.so.1", "h", "usr/lib/libfoo.so.1"),
                 ("usr/lib/libfoo.so.1", "f", libfoo("last")),
                 ("usr/lib/libfoo-late.so.1", "h", "usr/lib/libfoo.so.1")]
        app = [e for e in app_and_libfoo() if "libfoo" not in e[0]]
        both = {"/usr/lib/libfoo.so.1": last,
                "/usr/lib/libfoo-late.so.1": last,
                "/usr/lib/libfoo-early.so.1": first}
        hidden = {"/usr/lib/libfoo-late.so.1": last,
                  "/usr/lib/libfoo-early.so.1": first}
        for tag, layers, want in (
                ("one", [app + twice], both),
                ("upper", [app_and_libfoo("lower"), twice], both),
                ("hidden", [app + twice, [
                    ("usr/", "d", None), ("usr/lib/", "d", None),
                    ("usr/lib/.wh.libfoo.so.1", "f", b"")]], hidden)):
            root = os.path.join(d, tag)
            small_image(root, layers)
            r = ok(t, root)
            check(not r.warnings(), "%s: %r" % (tag, r.warnings()))
            check(libfoo_digests(r.sbom) == want, "%s: %r"
                  % (tag, libfoo_digests(r.sbom)))
        root = os.path.join(d, "dir")
        small_image(root, [[("opt/", "d", None), ("opt/x", "f", b"text"),
                            ("opt/x/", "d", None),
                            ("opt/x", "f", libfoo("after a directory"))]])
        r = ok(t, root)
        check(not r.warnings(), r.warnings())
        check(libfoo_digests(r.sbom) == {"/opt/x": hashlib.sha256(
            libfoo("after a directory")).hexdigest()}, libfoo_digests(r.sbom))
