#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes container image fixtures for the tests, with tarfile and json only.

    image_fixtures.py OUT
    image_fixtures.py --seeds DIR    (the seeds of tests/fuzz/fuzz_image.c)

OUT/oci      an OCI image layout (image-spec image-layout.md) holding two
             images: "app:1.0" (a nested index with linux/amd64 and
             linux/arm64/v8 manifests, two layers: a gzip base and a plain
             tar with a whiteout and an opaque directory) and "2.0" (one
             manifest, named by a bare tag as skopeo writes it)
OUT/docker   the JSON and layers of a `docker save` tarball, extracted
             (manifest.json, <id>.json, <id>/layer.tar)
OUT/expect   "key value" lines: the digests the tests compare with
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar(entries):
    """entries: (name, kind, data): kind 'd' directory, 'f' file, 'l' link."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if kind == "d":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                t.addfile(info)
            elif kind == "l":
                info.type, info.linkname = tarfile.SYMTYPE, data
                t.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


BASE = [
    ("usr/", "d", None),
    ("usr/lib/", "d", None),
    ("usr/lib/libold.so.1", "f", b"old"),
    ("usr/lib/libkeep.so.1", "f", b"keep"),
    ("etc/", "d", None),
    ("etc/conf/", "d", None),
    ("etc/conf/a", "f", b"a"),
    ("etc/conf/sub/", "d", None),
    ("etc/conf/sub/b", "f", b"b"),
    ("opt/", "d", None),
    ("opt/gone/", "d", None),
    ("opt/gone/x", "f", b"x"),
]
# The opaque marker comes after the layer's own entry of that directory:
# image-spec layer.md says it applies first whatever the order.
TOP = [
    ("usr/lib/.wh.libold.so.1", "f", b""),
    ("usr/lib/libnew.so.1", "f", b"new"),
    ("etc/conf/c", "f", b"c"),
    ("etc/conf/.wh..wh..opq", "f", b""),
    ("opt/.wh.gone", "f", b""),
]


class Layout:
    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "blobs", "sha256"), exist_ok=True)

    def blob(self, data):
        digest = sha(data)
        path = os.path.join(self.root, "blobs", "sha256", digest[7:])
        with open(path, "wb") as f:
            f.write(data)
        return {"digest": digest, "size": len(data)}

    def json_blob(self, obj, media_type):
        d = self.blob(json.dumps(obj, indent=1).encode())
        d["mediaType"] = media_type
        return d


def image(lay, arch, variant, layers):
    """Writes a config and a manifest; returns the manifest's descriptor."""
    config = {
        "architecture": arch,
        "os": "linux",
        "rootfs": {
            "type": "layers",
            "diff_ids": [sha(t) for t, _ in layers],
        },
    }
    if variant:
        config["variant"] = variant
    descs = []
    for t, gz in layers:
        d = lay.blob(gzip.compress(t, mtime=0) if gz else t)
        d["mediaType"] = "application/vnd.oci.image.layer.v1.tar" + (
            "+gzip" if gz else "")
        descs.append(d)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": lay.json_blob(config,
                                "application/vnd.oci.image.config.v1+json"),
        "layers": descs,
    }
    return lay.json_blob(manifest,
                         "application/vnd.oci.image.manifest.v1+json"), descs


def write_oci(out, expect):
    lay = Layout(os.path.join(out, "oci"))
    base, top = tar(BASE), tar(TOP)
    amd, layers = image(lay, "amd64", None, [(base, True), (top, False)])
    amd["platform"] = {"os": "linux", "architecture": "amd64"}
    arm, _ = image(lay, "arm64", "v8", [(base, True)])
    arm["platform"] = {"os": "linux", "architecture": "arm64",
                       "variant": "v8"}
    nested = lay.json_blob(
        {"schemaVersion": 2,
         "mediaType": "application/vnd.oci.image.index.v1+json",
         "manifests": [amd, arm]},
        "application/vnd.oci.image.index.v1+json")
    nested["annotations"] = {
        "io.containerd.image.name": "registry.example.com/team/app:1.0",
        "org.opencontainers.image.ref.name": "1.0"}
    other, _ = image(lay, "amd64", None, [(base, True)])
    other["annotations"] = {"org.opencontainers.image.ref.name": "2.0"}
    with open(os.path.join(lay.root, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(lay.root, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [nested, other]}, f)
    expect["oci.amd64"] = amd["digest"]
    expect["oci.arm64"] = arm["digest"]
    expect["oci.other"] = other["digest"]
    expect["layer0"] = layers[0]["digest"]
    expect["layer1"] = layers[1]["digest"]
    expect["diff0"] = sha(base)
    expect["diff1"] = sha(top)


def write_docker(out, expect):
    root = os.path.join(out, "docker")
    os.makedirs(root, exist_ok=True)
    paths = []
    tars = [tar(BASE), tar(TOP)]
    for t in tars:
        layer_id = hashlib.sha256(b"id" + t).hexdigest()
        os.makedirs(os.path.join(root, layer_id), exist_ok=True)
        with open(os.path.join(root, layer_id, "layer.tar"), "wb") as f:
            f.write(t)
        paths.append(layer_id + "/layer.tar")
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(t) for t in tars]},
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    with open(os.path.join(root, config_name), "wb") as f:
        f.write(config)
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump([{"Config": config_name, "RepoTags": ["alpine:3.19"],
                    "Layers": paths}], f)
    expect["docker.config"] = sha(config)


# Seeds for tests/fuzz/fuzz_image.c: parts separated by "\n----\n"; part 0
# is index.json (manifest.json when it starts with '['), the others blobs;
# "@@k" is the digest of part k, "##k" its hex.
IDX = "application/vnd.oci.image.index.v1+json"
MAN = "application/vnd.oci.image.manifest.v1+json"
CFG = "application/vnd.oci.image.config.v1+json"
TGZ = "application/vnd.oci.image.layer.v1.tar+gzip"
LAYER = "sha256:" + "a" * 64


def manifest(config_ref, layers=1, mt=TGZ):
    return json.dumps({"schemaVersion": 2, "mediaType": MAN,
                       "config": {"mediaType": CFG, "digest": config_ref},
                       "layers": [{"mediaType": mt, "digest": LAYER,
                                   "size": 10}] * layers})


def config(arch, n=1, variant=None):
    c = {"os": "linux", "architecture": arch,
         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "b" * 64] * n}}
    if variant:
        c["variant"] = variant
    return json.dumps(c)


SEEDS = {
    "nested-two-platforms": [
        json.dumps({"manifests": [{"mediaType": IDX, "digest": "@@1",
                                   "annotations": {
                                       "org.opencontainers.image.ref.name":
                                       "1.0"}}]}),
        json.dumps({"manifests": [
            {"mediaType": MAN, "digest": "@@2",
             "platform": {"os": "linux", "architecture": "amd64"}},
            {"mediaType": MAN, "digest": "@@3",
             "platform": {"os": "linux", "architecture": "arm64",
                          "variant": "v8"}}]}),
        manifest("@@4"), manifest("@@5", 2), config("amd64"),
        config("arm64", 2, "v8")],
    "two-refs": [
        json.dumps({"manifests": [
            {"mediaType": MAN, "digest": "@@1", "annotations": {
                "io.containerd.image.name": "docker.io/library/a:1.0",
                "org.opencontainers.image.ref.name": "1.0"}},
            {"mediaType": MAN, "digest": "@@1", "annotations": {
                "org.opencontainers.image.ref.name": "b:2"}}]}),
        manifest("@@2"), config("amd64")],
    "docker-save": [
        json.dumps([{"Config": "blobs/sha256/##1", "RepoTags": ["alpine:3.19"],
                     "Layers": ["0123/layer.tar"]}]),
        config("amd64")],
    "docker-dotdot": [json.dumps([{"Config": "../../etc/passwd",
                                   "Layers": ["../x"]}])],
    "digest-dotdot": [json.dumps({"manifests": [
        {"mediaType": MAN, "digest": "sha256:../../../etc/passwd"}]})],
    "wrong-types": [json.dumps({"manifests": [
        {"mediaType": MAN, "digest": "@@1", "size": "big"}, 7, None]}),
        json.dumps({"config": [], "layers": {}})],
    "bad-layer": [json.dumps({"manifests": [{"mediaType": MAN,
                                             "digest": "@@1"}]}),
                  manifest("@@2", 1, "application/zip"), config("amd64")],
    "deep": [json.dumps({"manifests": [{"mediaType": IDX, "digest": "@@1"}]})]
    + [json.dumps({"manifests": [{"mediaType": IDX, "digest": f"@@{k + 1}"}]})
       for k in range(1, 7)] + ['{"manifests":[]}'],
}


def write_seeds(out):
    os.makedirs(out, exist_ok=True)
    for name, parts in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write("\n----\n".join(parts).encode())
    with open(os.path.join(out, "merge-layers"), "wb") as f:
        f.write(b"#merge\n" + "\n".join(
            ["opt/new", "var/d/.wh.new", "---"]
            + [n for n, _, _ in TOP] + ["var/", "var/d/", "var/d/new", "---"]
            + [n for n, _, _ in BASE]
            + [".wh..wh..opq", "../x", "a//b", "x/.wh..", "---", "a"]).encode())
    # A layer's own links: relative, absolute, climbing, a chain, a loop,
    # a link replaced, a directory above one replaced, a hard link below.
    with open(os.path.join(out, "merge-links"), "wb") as f:
        f.write(b"#merge\n" + "\n".join([
            "lib -> usr/lib", "lib/x.so", "lib/.wh.y", "abs -> /opt/a/",
            "abs/z", "up -> ../../../etc", "up/p", "a -> b", "b -> a",
            "a/loop", "c -> ./c", "c/self", "h => lib/x.so", "lib/", "lib/w",
            "d/e -> /srv", "d", "d/", "d/e/f", "---", "lib -> usr/lib",
            "usr/lib/x.so", "lib/v", "lib/.wh..wh..opq",
            "t/u -> " + "../" * 300 + "v", "t/u/w"]).encode())
    with open(os.path.join(out, "invalid-utf8"), "wb") as f:
        f.write(b'{"manifests":[{"mediaType":"' + MAN.encode() +
                b'","digest":"sha256:' + b"c" * 64 + b'","annotations":'
                b'{"org.opencontainers.image.ref.name":"\xff\xfe\x1b"}}]}')


def main():
    if sys.argv[1] == "--seeds":
        write_seeds(sys.argv[2])
        return
    out = sys.argv[1]
    expect = {}
    write_oci(out, expect)
    write_docker(out, expect)
    with open(os.path.join(out, "expect"), "w") as f:
        for k, v in expect.items():
            f.write(f"{k} {v}\n")


if __name__ == "__main__":
    main()
