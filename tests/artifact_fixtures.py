#!/usr/bin/python3
"""Release artifacts for the e2e cases of issue 12 and for `make bench`.

usage: artifact_fixtures.py DIST [--wheel-set N]

Every artifact is written at test time into a directory (nothing is
downloaded): tiny C sources compiled with cc, packed by the tool each
ecosystem uses where this machine has it (dpkg-deb, rpmbuild, pip and
setuptools, zstd) and by Python's zipfile/tarfile where the format is
simple (a wheel, an npm tarball, an .apk, a jar, conda packages).

Each builder takes the output directory (and a Build, the scratch
directory where objects are compiled) and returns a dict describing what
it wrote: the artifact's file name, its purl and artifact type, and the
entry paths of its ELF files, so that a test asserts against the same
names the builder used.
"""
import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

CC = os.environ.get("CC", "cc")
HOST_PYTHON = "/usr/bin/python3"


class Build:
    """A scratch directory of compiled objects: a library compiled once is
    linked against by name (-l:SONAME) by the objects that need it."""

    def __init__(self, scratch):
        self.dir = scratch
        os.makedirs(scratch, exist_ok=True)

    def _cc(self, out, source, args):
        src = out + ".c"
        with open(src, "w") as f:
            f.write(source)
        subprocess.run([CC, "-O1", "-o", out, src, "-L" + self.dir,
                        "-Wl,--no-as-needed"] + args, check=True)
        with open(out, "rb") as f:
            return f.read()

    @staticmethod
    def symbol(soname):
        return "f_" + re.sub(r"\W", "_", soname)

    @staticmethod
    def _paths(runpath, rpath):
        if runpath:
            return ["-Wl,--enable-new-dtags,-rpath," + runpath]
        if rpath:
            return ["-Wl,--disable-new-dtags,-rpath," + rpath]
        return []

    def lib(self, soname, needed=(), runpath=None, rpath=None, tag=""):
        """A shared library whose DT_SONAME is soname, needing the
        libraries named (compiled before); returns its bytes."""
        calls = "".join("extern int %s(void);\n" % self.symbol(n)
                        for n in needed)
        body = " + ".join(["%s()" % self.symbol(n) for n in needed] + ["1"])
        source = ('%sconst char bd_tag_%s[] = "%s %s";\n'
                  "int %s(void) { return %s; }\n"
                  % (calls, self.symbol(soname), soname, tag,
                     self.symbol(soname), body))
        out = os.path.join(self.dir, soname)
        return self._cc(out, source, ["-shared", "-fPIC",
                                      "-Wl,-soname," + soname]
                        + ["-l:" + n for n in needed]
                        + self._paths(runpath, rpath))

    def exe(self, name, needed=(), runpath=None, rpath=None, tag=""):
        """A program needing the libraries named (compiled before)."""
        calls = "".join("extern int %s(void);\n" % self.symbol(n)
                        for n in needed)
        body = " + ".join(["%s()" % self.symbol(n) for n in needed] + ["0"])
        source = ('%sconst char bd_tag[] = "%s %s";\n'
                  "int main(void) { return %s; }\n" % (calls, name, tag, body))
        out = os.path.join(self.dir, "exe-" + name)
        return self._cc(out, source, ["-l:" + n for n in needed]
                        + self._paths(runpath, rpath))


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    with open(path, "rb") as f:
        return sha256_bytes(f.read())


def put(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


# ---- containers ----------------------------------------------------------


def tar_bytes(entries, compress=None):
    """entries: (name, data, mode) for files, (name, None, target) for a
    symlink. compress: None, "gz", "bz2" or "xz"."""
    buf = io.BytesIO()
    mode = "w:" + compress if compress else "w"
    with tarfile.open(fileobj=buf, mode=mode, format=tarfile.GNU_FORMAT) as t:
        for name, data, extra in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 1700000000
            if data is None:
                ti.type, ti.linkname = tarfile.SYMTYPE, extra
                t.addfile(ti)
                continue
            ti.size, ti.mode = len(data), extra
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def zstd(data):
    """zstd-compressed data: the zstd program, or Python's zstandard."""
    if shutil.which("zstd"):
        return subprocess.run(["zstd", "-q", "-c"], input=data, check=True,
                              stdout=subprocess.PIPE).stdout
    import zstandard  # noqa: F401 - only where the program is missing
    return zstandard.ZstdCompressor().compress(data)


def zip_bytes(entries, stored=False):
    """entries: (name, data, mode)."""
    buf = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data, mode in entries:
            zi = zipfile.ZipInfo(name, (2023, 11, 14, 22, 13, 20))
            zi.external_attr = (0o100000 | mode) << 16
            zi.compress_type = method
            z.writestr(zi, data)
    return buf.getvalue()


# ---- wheels ----------------------------------------------------------------


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return "%s,sha256=%s,%d\n" % (name, digest.rstrip(b"=").decode(), len(data))


def wheel_bytes(dist_name, version, files, tag="cp311-cp311-manylinux_2_17_x86_64",
                headers=""):
    """A wheel as pip installs it: files (path, data, mode), then the
    .dist-info's METADATA (with headers, "Key: value\\n" lines, added),
    WHEEL and RECORD."""
    norm = re.sub(r"[-_.]+", "_", dist_name)
    info = "%s-%s.dist-info" % (norm, version)
    files = list(files) + [
        (info + "/METADATA", ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
                              "Summary: a test wheel\n%s"
                              % (dist_name, version, headers)).encode(),
         0o644),
        (info + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: bindep-tests\n"
                           "Root-Is-Purelib: false\nTag: %s\n" % tag).encode(), 0o644),
    ]
    record = "".join(record_line(n, d) for n, d, _ in files) + info + "/RECORD,,\n"
    files.append((info + "/RECORD", record.encode(), 0o644))
    return zip_bytes(files)


def wheel_name(dist_name, version, tag="cp311-cp311-manylinux_2_17_x86_64"):
    return "%s-%s-%s.whl" % (re.sub(r"[-_.]+", "_", dist_name), version, tag)


def wheel_vendored(out, b):
    """A C-extension wheel as auditwheel leaves it: the extension's RUNPATH
    $ORIGIN/../pkg.libs reaches the vendored, hash-named libfoo."""
    lib = "libfoo-1a2b3c4d.so.1"
    ext = "pkg/_core.cpython-311-x86_64-linux-gnu.so"
    libdata = b.lib(lib, tag="vendored")
    extdata = b.lib("_core.cpython-311-x86_64-linux-gnu.so", needed=[lib],
                    runpath="$ORIGIN/../pkg.libs", tag="extension")
    name = wheel_name("Pkg_Demo", "1.0")
    put(os.path.join(out, name), wheel_bytes("Pkg_Demo", "1.0", [
        ("pkg/__init__.py", b"from ._core import *\n", 0o644),
        (ext, extdata, 0o755),
        ("pkg.libs/" + lib, libdata, 0o755)]))
    return {"file": name, "purl": "pkg:pypi/pkg-demo@1.0", "type": "wheel",
            "elf": {"ext": ext, "lib": "pkg.libs/" + lib},
            "sha": {"ext": sha256_bytes(extdata), "lib": sha256_bytes(libdata)}}


def wheel_pair(out, b):
    """torch and nvidia-cublas-cu12 in small: the first wheel's extension
    reaches libcublas in the second through RUNPATH $ORIGIN/../nvidia/..."""
    cublas = b.lib("libcublas.so.12", tag="nvidia wheel")
    ext = b.lib("_C.cpython-311-x86_64-linux-gnu.so", needed=["libcublas.so.12"],
                runpath="$ORIGIN/../nvidia/cublas/lib", tag="torch")
    tname = wheel_name("torchlet", "2.1.0")
    nname = wheel_name("nvidia-cublas-cu12", "12.1.3.1", "py3-none-manylinux1_x86_64")
    put(os.path.join(out, tname), wheel_bytes("torchlet", "2.1.0", [
        ("torchlet/__init__.py", b"", 0o644),
        ("torchlet/_C.cpython-311-x86_64-linux-gnu.so", ext, 0o755)]))
    put(os.path.join(out, nname), wheel_bytes(
        "nvidia-cublas-cu12", "12.1.3.1",
        [("nvidia/__init__.py", b"", 0o644),
         ("nvidia/cublas/lib/libcublas.so.12", cublas, 0o755)],
        tag="py3-none-manylinux1_x86_64"))
    return {"torch": {"file": tname, "purl": "pkg:pypi/torchlet@2.1.0",
                      "type": "wheel",
                      "elf": {"ext": "torchlet/_C.cpython-311-x86_64-linux-gnu.so"}},
            "cublas": {"file": nname, "purl": "pkg:pypi/nvidia-cublas-cu12@12.1.3.1",
                       "type": "wheel",
                       "elf": {"lib": "nvidia/cublas/lib/libcublas.so.12"}}}


SETUP_PY = """from setuptools import setup, Extension
setup(name="Pkg_Setup", version="0.3.1", packages=["pkgsetup"],
      ext_modules=[Extension("pkgsetup._speed", ["speed.c"], libraries=["m"])])
"""
SPEED_C = """#include <Python.h>
#include <math.h>
static PyObject *root(PyObject *self, PyObject *arg)
{
	return PyFloat_FromDouble(sqrt(PyFloat_AsDouble(arg)));
}
static PyMethodDef methods[] = {{"root", root, METH_O, NULL}, {0}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "_speed", NULL, -1,
				 methods};
PyMODINIT_FUNC PyInit__speed(void) { return PyModule_Create(&mod); }
"""


def setuptools_wheel(out, scratch):
    """A wheel built by setuptools, offline, as a new user's `pip wheel .`
    does. Returns the record, or a string saying why it cannot be built."""
    pythons = [p for p in (HOST_PYTHON, sys.executable) if p and os.path.exists(p)]
    why = "no python3"
    for py in pythons:
        probe = subprocess.run(
            [py, "-c", "import setuptools, wheel, pip, sysconfig, os; "
             "print(os.path.join(sysconfig.get_paths()['include'], 'Python.h'))"],
            capture_output=True, text=True)
        if probe.returncode != 0 or not os.path.exists(probe.stdout.strip()):
            why = "%s lacks setuptools, wheel, pip or Python.h" % py
            continue
        src = os.path.join(scratch, "setuptools-src")
        shutil.rmtree(src, ignore_errors=True)
        put(os.path.join(src, "setup.py"), SETUP_PY)
        put(os.path.join(src, "speed.c"), SPEED_C)
        put(os.path.join(src, "pkgsetup", "__init__.py"), "")
        env = dict(os.environ, TMPDIR=scratch, PIP_NO_INDEX="1",
                   PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_CACHE_DIR="1")
        proc = subprocess.run(
            [py, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
             "--no-index", "-q", "-w", out, src],
            capture_output=True, text=True, env=env, cwd=src)
        whls = [f for f in os.listdir(out) if f.startswith("Pkg_Setup-")]
        if proc.returncode == 0 and len(whls) == 1:
            with zipfile.ZipFile(os.path.join(out, whls[0])) as z:
                ext = [n for n in z.namelist() if n.endswith(".so")]
                data = z.read(ext[0]) if ext else b""
            return {"file": whls[0], "purl": "pkg:pypi/pkg-setup@0.3.1",
                    "type": "wheel", "elf": {"ext": ext[0]} if ext else {},
                    "needed": needed_of(put(os.path.join(scratch, "ext.so"), data))}
        why = "%s -m pip wheel failed: %s" % (py, (proc.stderr or proc.stdout)[-300:])
    return why


def needed_of(path):
    """The DT_NEEDED entries of an ELF file, as readelf shows them."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True,
                         check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def wheel_set(out, b, count):
    """count wheels of one extension and one vendored library each, for
    `make bench` (the same objects in each: the tool hashes them once)."""
    lib = b.lib("libbench-0a1b2c3d.so.1", tag="bench")
    ext = b.lib("_b.cpython-311-x86_64-linux-gnu.so", needed=["libbench-0a1b2c3d.so.1"],
                runpath="$ORIGIN/libs", tag="bench")
    for i in range(count):
        put(os.path.join(out, wheel_name("bench%d" % i, "1.0")), wheel_bytes(
            "bench%d" % i, "1.0",
            [("bench%d/_b.cpython-311-x86_64-linux-gnu.so" % i, ext, 0o755),
             ("bench%d/libs/libbench-0a1b2c3d.so.1" % i, lib, 0o755)]))


# ---- npm -------------------------------------------------------------------


def npm_tarball(name, version, files):
    """`npm pack`'s layout: a gzip'd tar of package/..., package.json
    first."""
    pj = json.dumps({"name": name, "version": version, "license": "Apache-2.0"},
                    indent=2).encode()
    return tar_bytes([("package/package.json", pj, 0o644)]
                     + [("package/" + n, d, m) for n, d, m in files], "gz")


def npm_pair(out, b):
    """sharp and its libvips: sharp.node's RPATH climbs from
    node_modules/sharp/build/Release to node_modules (../../..) and into
    the scoped sibling package."""
    vips = b.lib("libvips-cpp.so.42", tag="libvips 8.15.1")
    addon = b.lib("sharp-linux-x64.node", needed=["libvips-cpp.so.42"],
                  rpath="$ORIGIN/../../../@img/sharp-libvips-linux-x64/lib",
                  tag="sharp")
    sname, vname = "sharp-0.33.0.tgz", "img-sharp-libvips-linux-x64-1.0.4.tgz"
    put(os.path.join(out, sname), npm_tarball("sharp", "0.33.0", [
        ("lib/index.js", b"module.exports = 1;\n", 0o644),
        ("build/Release/sharp.node", addon, 0o755)]))
    put(os.path.join(out, vname), npm_tarball("@img/sharp-libvips-linux-x64", "1.0.4", [
        ("lib/libvips-cpp.so.42", vips, 0o755),
        ("versions.json", b"{}\n", 0o644)]))
    return {"sharp": {"file": sname, "purl": "pkg:npm/sharp@0.33.0", "type": "npm",
                      "elf": {"addon": "package/build/Release/sharp.node"}},
            "vips": {"file": vname, "purl": "pkg:npm/%40img/sharp-libvips-linux-x64@1.0.4",
                     "type": "npm", "elf": {"lib": "package/lib/libvips-cpp.so.42"}}}


# ---- system packages ---------------------------------------------------------


def dpkg_deb(out, scratch, package, version, files, fields=""):
    """A .deb by dpkg-deb --build: files (installed path, data, mode);
    fields: more control fields, each ending in a newline."""
    root = os.path.join(scratch, "deb-" + package)
    shutil.rmtree(root, ignore_errors=True)
    put(os.path.join(root, "DEBIAN", "control"),
        "Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: T <t@example.org>\n"
        "%sSection: libs\nPriority: optional\nDescription: test package\n a test\n"
        % (package, version, fields))
    for path, data, mode in files:
        full = put(os.path.join(root, path.lstrip("/")), data)
        os.chmod(full, mode)
    name = "%s_%s_amd64.deb" % (package, version)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", root,
                    os.path.join(out, name)], check=True, stdout=subprocess.DEVNULL)
    return name


MULTIARCH = "usr/lib/x86_64-linux-gnu"


def deb_pair(out, b):
    """demo-tool's program needs libdemo.so.3 and libz.so.1, both shipped
    by the second .deb at /usr/lib/x86_64-linux-gnu (the host has a libz.so.1
    too: the sibling package's must win)."""
    libdemo = b.lib("libdemo.so.3", tag="deb library")
    libz = b.lib("libz.so.1", tag="not zlib: a deb's own libz.so.1")
    tool = b.exe("demo-tool", needed=["libdemo.so.3", "libz.so.1"], tag="deb program")
    lname = dpkg_deb(out, b.dir, "libdemo3", "2.0-1", [
        (MULTIARCH + "/libdemo.so.3", libdemo, 0o644),
        (MULTIARCH + "/libz.so.1", libz, 0o644)])
    tname = dpkg_deb(out, b.dir, "demo-tool", "1.0-1", [
        ("usr/bin/demo-tool", tool, 0o755)])
    return {"lib": {"file": lname, "purl": "pkg:deb/debian/libdemo3@2.0-1?arch=amd64",
                    "type": "deb", "elf": {"lib": MULTIARCH + "/libdemo.so.3",
                                           "libz": MULTIARCH + "/libz.so.1"}},
            "tool": {"file": tname, "purl": "pkg:deb/debian/demo-tool@1.0-1?arch=amd64",
                     "type": "deb", "elf": {"exe": "usr/bin/demo-tool"}}}


RPM_SPEC = """Name: demo-rpm
Version: 1.4
Release: 2
Summary: a test package
License: MIT
AutoReqProv: no
%%global debug_package %%{nil}
%%global __os_install_post %%{nil}
%%global _build_id_links none
%%description
a test package
%%install
mkdir -p %%{buildroot}/usr/bin %%{buildroot}/usr/lib64
cp %(exe)s %%{buildroot}/usr/bin/demo-rpm
cp %(lib)s %%{buildroot}/usr/lib64/libdemorpm.so.1
chmod 755 %%{buildroot}/usr/bin/demo-rpm %%{buildroot}/usr/lib64/libdemorpm.so.1
%%files
/usr/bin/demo-rpm
/usr/lib64/libdemorpm.so.1
"""


def rpm_package(out, b):
    """An rpm by rpmbuild (binary payload, x86_64), its program reaching
    its library through $ORIGIN/../lib64."""
    b.lib("libdemorpm.so.1", tag="rpm library")
    b.exe("demo-rpm", needed=["libdemorpm.so.1"], runpath="$ORIGIN/../lib64",
          tag="rpm program")
    spec = put(os.path.join(b.dir, "demo.spec"), RPM_SPEC % {
        "exe": os.path.join(b.dir, "exe-demo-rpm"),
        "lib": os.path.join(b.dir, "libdemorpm.so.1")})
    top = os.path.join(b.dir, "rpmtop")
    subprocess.run(["rpmbuild", "-bb", "--quiet", "--target", "x86_64",
                    "--define", "_topdir " + top,
                    "--define", "_rpmfilename %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm",
                    spec], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    name = "demo-rpm-1.4-2.x86_64.rpm"
    shutil.move(os.path.join(top, "RPMS", name), os.path.join(out, name))
    return {"file": name, "purl": "pkg:rpm/fedora/demo-rpm@1.4-2?arch=x86_64",
            "type": "rpm", "elf": {"exe": "usr/bin/demo-rpm",
                                   "lib": "usr/lib64/libdemorpm.so.1"}}


def apk_package(out, b):
    """An Alpine .apk as abuild writes it: three gzip streams, a signature
    tar and the control tar (.PKGINFO), both cut before their end blocks,
    then the data tar."""
    lib = b.lib("libdemoapk.so.1", tag="apk library")
    exe = b.exe("demo-apk", needed=["libdemoapk.so.1"], runpath="$ORIGIN/../lib",
                tag="apk program")
    sig = tar_bytes([(".SIGN.RSA.demo.rsa.pub", b"not a signature", 0o644)])
    while sig.endswith(bytes(512)):
        sig = sig[:-512]
    control = tar_bytes([(".PKGINFO", b"# Generated by abuild\npkgname = demo-apk\n"
                          b"pkgver = 3.2-r1\narch = x86_64\norigin = demo-apk\n"
                          b"pkgdesc = a test package\nlicense = MIT\n", 0o644)])
    # abuild-tar --cut: the signature and control tars end without their
    # end-of-archive blocks, so that the streams read as one tar.
    while control.endswith(bytes(512)):
        control = control[:-512]
    data = tar_bytes([("usr/bin/demo-apk", exe, 0o755),
                      ("usr/lib/libdemoapk.so.1", lib, 0o755)])
    import gzip
    name = "demo-apk-3.2-r1.apk"
    put(os.path.join(out, name), b"".join(gzip.compress(x, mtime=0)
                                          for x in (sig, control, data)))
    return {"file": name, "purl": "pkg:apk/alpine/demo-apk@3.2-r1?arch=x86_64",
            "type": "apk", "elf": {"exe": "usr/bin/demo-apk",
                                   "lib": "usr/lib/libdemoapk.so.1"}}


# ---- conda, maven, plain tarballs ----------------------------------------------


def conda_index(name, version, build):
    return json.dumps({"arch": "x86_64", "build": build, "build_number": 0,
                       "depends": [], "license": "MIT", "name": name,
                       "platform": "linux", "subdir": "linux-64",
                       "timestamp": 1700000000000, "version": version},
                      indent=2).encode()


def conda_pair(out, b):
    """A conda .tar.bz2 and a .conda (a stored zip of metadata.json and two
    zstd'd tars, info-*.tar.zst and pkg-*.tar.zst)."""
    libx = b.lib("libx.so.1", tag="conda tar.bz2")
    liby = b.lib("liby.so.2", tag="conda v2")
    bz = "libx-1.0-h1234_0.tar.bz2"
    put(os.path.join(out, bz), tar_bytes([
        ("info/index.json", conda_index("libx", "1.0", "h1234_0"), 0o644),
        ("info/files", b"lib/libx.so.1\n", 0o644),
        ("lib/libx.so.1", libx, 0o755),
        ("lib/libx.so", None, "libx.so.1")], "bz2"))
    stem = "liby-2.0-h5678_1"
    inner_pkg = "pkg-%s.tar.zst" % stem
    put(os.path.join(out, stem + ".conda"), zip_bytes([
        ("metadata.json", b'{"conda_pkg_format_version": 2}', 0o644),
        (inner_pkg, zstd(tar_bytes([("lib/liby.so.2", liby, 0o755)])), 0o644),
        ("info-%s.tar.zst" % stem, zstd(tar_bytes([
            ("info/index.json", conda_index("liby", "2.0", "h5678_1"), 0o644)])), 0o644),
    ], stored=True))
    return {"bz2": {"file": bz, "purl": "pkg:conda/libx@1.0?build=h1234_0&subdir=linux-64",
                    "type": "conda", "elf": {"lib": "lib/libx.so.1"}},
            "conda": {"file": stem + ".conda",
                      "purl": "pkg:conda/liby@2.0?build=h5678_1&subdir=linux-64",
                      "type": "conda", "elf": {"lib": "lib/liby.so.2"},
                      "member": inner_pkg}}


def jar(out, b):
    """A jar with a JNI library and Maven's pom.properties."""
    lib = b.lib("libdemo.so", tag="jni")
    name = "demo-1.0.jar"
    put(os.path.join(out, name), zip_bytes([
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nCreated-By: tests\r\n\r\n", 0o644),
        ("META-INF/maven/org.example/demo/pom.properties",
         b"#Generated by Maven\ngroupId=org.example\nartifactId=demo\nversion=1.0\n", 0o644),
        ("META-INF/maven/org.example/demo/pom.xml", b"<project/>\n", 0o644),
        ("org/example/Demo.class", b"\xca\xfe\xba\xbe\x00\x00\x00\x34", 0o644),
        ("native/linux-x86_64/libdemo.so", lib, 0o644)]))
    return {"file": name, "purl": "pkg:maven/org.example/demo@1.0", "type": "jar",
            "elf": {"lib": "native/linux-x86_64/libdemo.so"}}


def release_tarball(out, b):
    """app-1.2.3.tar.gz: its own tree, bin/app reaching lib/ through
    $ORIGIN/../lib."""
    lib = b.lib("libapp.so.1", tag="release")
    exe = b.exe("app", needed=["libapp.so.1"], runpath="$ORIGIN/../lib", tag="release")
    name = "app-1.2.3.tar.gz"
    put(os.path.join(out, name), tar_bytes([
        ("app-1.2.3/README", b"app\n", 0o644),
        ("app-1.2.3/bin/app", exe, 0o755),
        ("app-1.2.3/lib/libapp.so.1", lib, 0o755),
        ("app-1.2.3/lib/libapp.so", None, "libapp.so.1")], "gz"))
    return {"file": name, "purl": "pkg:generic/app@1.2.3", "type": "tarball",
            "elf": {"exe": "app-1.2.3/bin/app", "lib": "app-1.2.3/lib/libapp.so.1"}}


def tarball_with_wheel(out, b):
    """rel.tar.gz holding wheels/x-...whl: the wheel is an artifact inside
    an artifact (no version in rel.tar.gz's name: no generic purl)."""
    ext = b.lib("_y.so", tag="nested wheel")
    wname = wheel_name("x", "1.0", "py3-none-linux_x86_64")
    whl = wheel_bytes("x", "1.0", [("x/__init__.py", b"", 0o644),
                                   ("x/_y.so", ext, 0o755)], "py3-none-linux_x86_64")
    name = "rel.tar.gz"
    put(os.path.join(out, name), tar_bytes([
        ("rel/README", b"release notes\n", 0o644),
        ("rel/wheels/" + wname, whl, 0o644)], "gz"))
    return {"file": name, "type": "tarball", "purl": None,
            "wheel": {"entry": "rel/wheels/" + wname, "purl": "pkg:pypi/x@1.0",
                      "type": "wheel", "sha": sha256_bytes(whl)},
            "elf": {"ext": "rel/wheels/%s!/x/_y.so" % wname}}


def tarball_with_plain_tar(out, b):
    """bundle-2.0.tar.gz holding an uncompressed tar (its magic at offset
    257, past the first bytes of an entry)."""
    exe = b.exe("inner-tool", tag="plain tar")
    inner = tar_bytes([("bin/inner-tool", exe, 0o755)])
    name = "bundle-2.0.tar.gz"
    put(os.path.join(out, name), tar_bytes([
        ("bundle-2.0/README", b"a bundle\n", 0o644),
        ("bundle-2.0/parts/inner.tar", inner, 0o644)], "gz"))
    return {"file": name, "type": "tarball", "purl": "pkg:generic/bundle@2.0",
            "inner": {"entry": "bundle-2.0/parts/inner.tar", "sha": sha256_bytes(inner),
                      "type": "tarball"},
            "elf": {"exe": "bundle-2.0/parts/inner.tar!/bin/inner-tool"}}


def plain_zip(out, b):
    """A .zip of a prebuilt tool: artifact type zip, no purl."""
    exe = b.exe("ziptool", tag="zip")
    name = "tools.zip"
    put(os.path.join(out, name), zip_bytes([("tools/bin/ziptool", exe, 0o755),
                                            ("tools/README.txt", b"hi\n", 0o644)]))
    return {"file": name, "type": "zip", "purl": None, "elf": {"exe": "tools/bin/ziptool"}}


def build_all(out, scratch):
    """Every artifact of the e2e cases into out (one dist/); returns the
    records by key."""
    b = Build(scratch)
    os.makedirs(out, exist_ok=True)
    rec = {"wheel": wheel_vendored(out, b)}
    pair = wheel_pair(out, b)
    rec["torch"], rec["cublas"] = pair["torch"], pair["cublas"]
    npm = npm_pair(out, b)
    rec["sharp"], rec["vips"] = npm["sharp"], npm["vips"]
    debs = deb_pair(out, b)
    rec["deblib"], rec["debtool"] = debs["lib"], debs["tool"]
    rec["rpm"] = rpm_package(out, b)
    rec["apk"] = apk_package(out, b)
    conda = conda_pair(out, b)
    rec["condabz2"], rec["conda"] = conda["bz2"], conda["conda"]
    rec["jar"] = jar(out, b)
    rec["release"] = release_tarball(out, b)
    rec["rel"] = tarball_with_wheel(out, b)
    rec["zip"] = plain_zip(out, b)
    return rec


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    out = os.path.abspath(args[0])
    with tempfile.TemporaryDirectory(prefix="bd-artifacts-") as scratch:
        if "--wheel-set" in args:
            wheel_set(out, Build(scratch), int(args[args.index("--wheel-set") + 1]))
        else:
            json.dump(build_all(out, scratch), sys.stdout, indent=1)
            print()


if __name__ == "__main__":
    main()
