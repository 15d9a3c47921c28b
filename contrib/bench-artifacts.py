#!/usr/bin/python3
"""Inputs for make bench's artifact cases (issue 12, point 8), from this
machine's own ELF files, into OUTDIR:

  OUTDIR/image/      an OCI image layout of two gzip'd layers (the second
                     replaces some files of the first and whites one out)
  OUTDIR/layers/     the same layers' blobs, to time their decompression
  OUTDIR/tree/       the image's merged tree, extracted on disk
  OUTDIR/dist/       a set of wheels, each with an extension and vendored
                     libraries (auditwheel's layout)
  OUTDIR/unpacked/   the same wheels unzipped side by side

usage: bench-artifacts.py OUTDIR [MIB]   (MIB: about how much ELF to use)
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import zipfile

SRC = "/usr/lib/x86_64-linux-gnu"


def elf_files(limit):
    """Regular ELF files of SRC, sorted, up to limit bytes."""
    out, total = [], 0
    for name in sorted(os.listdir(SRC)):
        p = os.path.join(SRC, name)
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        with open(p, "rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        size = os.path.getsize(p)
        if total + size > limit:
            continue
        out.append(p)
        total += size
    return out


def layer(members):
    """An uncompressed tar of (name, bytes-or-None for a directory)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            if data is None:
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(ti)
            else:
                ti.size, ti.mode = len(data), 0o755
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def blob(root, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(root, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest


def image(out, files):
    lib = "usr/lib/x86_64-linux-gnu/"
    dirs = [("usr", None), ("usr/lib", None), ("usr/lib/x86_64-linux-gnu",
                                                None)]
    half = len(files) // 2
    first = dirs + [(lib + os.path.basename(p), open(p, "rb").read())
                    for p in files]
    # The upper layer replaces half the files (with their own bytes: the
    # content does not matter, the replacement does) and whites one out.
    second = [(lib + os.path.basename(p), open(p, "rb").read())
              for p in files[:half]]
    second.append((lib + ".wh." + os.path.basename(files[-1]), b""))
    layers = [layer(first), layer(second)]
    root = os.path.join(out, "image")
    os.makedirs(os.path.join(root, "blobs", "sha256"))
    os.makedirs(os.path.join(out, "layers"))
    gz = []
    for i, data in enumerate(layers):
        z = gzip.compress(data, compresslevel=6, mtime=0)
        gz.append(z)
        with open(os.path.join(out, "layers", "%d.tar.gz" % i), "wb") as f:
            f.write(z)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [
            "sha256:" + hashlib.sha256(d).hexdigest() for d in layers]},
    }).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": blob(root, config), "size": len(config)},
        "layers": [{"mediaType":
                    "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": blob(root, z), "size": len(z)} for z in gz],
    }).encode()
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": blob(root, manifest), "size": len(manifest),
        "annotations": {"org.opencontainers.image.ref.name": "bench:1"}}]}
    with open(os.path.join(root, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(root, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion": "1.0.0"}')
    tree = os.path.join(out, "tree")
    for data in layers:
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            for m in t.getmembers():
                base = os.path.basename(m.name)
                if base.startswith(".wh."):
                    os.remove(os.path.join(tree, os.path.dirname(m.name),
                                           base[4:]))
                else:
                    t.extract(m, tree)


def wheels(out, files):
    """Twenty wheels; each an extension needing its vendored copies (the
    libraries are real ELF files, renamed as auditwheel does)."""
    dist = os.path.join(out, "dist")
    os.makedirs(dist)
    per = max(1, len(files) // 20)
    for i in range(20):
        name = "bench%02d" % i
        path = os.path.join(dist, "%s-1.0-cp311-cp311-manylinux_2_17_x86_64"
                            ".whl" % name)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("%s-1.0.dist-info/METADATA" % name,
                       "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n"
                       % name)
            z.writestr("%s-1.0.dist-info/WHEEL" % name,
                       "Wheel-Version: 1.0\n")
            z.writestr("%s/__init__.py" % name, "")
            for p in files[i * per:(i + 1) * per]:
                z.write(p, "%s.libs/%s" % (name, os.path.basename(p)))
            z.write("/usr/bin/true", "%s/_core.so" % name)
        with zipfile.ZipFile(path) as z:
            z.extractall(os.path.join(out, "unpacked"))


def main():
    out = sys.argv[1]
    mib = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    files = elf_files(mib << 20)
    image(out, files)
    wheels(out, elf_files((mib // 4) << 20))


if __name__ == "__main__":
    main()
