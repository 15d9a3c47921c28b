"""End-to-end cases of --attach (issue 16, item 1: PEP 770), registered by
run.py.

Wheels are built here with Python's zipfile: an extension compiled from a
tiny C source that loads a vendored library through $ORIGIN, stored and
deflated entries. After --attach, Debian's own tools must accept the
wheel: `python3 -m wheel unpack` (python3-wheel) checks every RECORD hash,
and `pip install --no-index --no-deps` installs it into a venv
(python3-venv). The SBOM put inside is validated like the main output and
must describe that wheel and nothing else.
"""
import base64
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import time
import zipfile
import zlib

import validate

CC = os.environ.get("CC", "cc")
# Debian's interpreter, whose python3-wheel and python3-venv the tests use
# (install-deps --test), whatever python3 runs this file.
SYSTEM_PYTHON = "/usr/bin/python3"
OURS = "sboms/bindep-sbom.cdx.json"
WHEEL_SUFFIX = "-cp311-cp311-linux_x86_64.whl"


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def register(case, h):
    check = h.check

    def compile_ext(d, name):
        """_<name>.so needing lib<name>vend.so.1, found in
        <name>.libs/ through $ORIGIN (as auditwheel lays it out), and the
        system's libc."""
        vend = os.path.join(d, "v.c")
        ext = os.path.join(d, "e.c")
        with open(vend, "w") as f:
            f.write("int %s_vend(void) { return 42; }\n" % name)
        with open(ext, "w") as f:
            f.write("#include <unistd.h>\nint %s_vend(void);\n"
                    "int PyInit__%s(void) { return %s_vend() + "
                    "(int)getpid(); }\n" % (name, name, name))
        lib = "lib%svend.so.1" % name
        h.sh(CC, "-shared", "-fPIC", "-o", os.path.join(d, lib),
             "-Wl,-soname," + lib, vend)
        h.sh(CC, "-shared", "-fPIC", "-o", os.path.join(d, "_x.so"), ext,
             os.path.join(d, lib),
             "-Wl,-rpath,$ORIGIN/../%s.libs" % name)
        with open(os.path.join(d, "_x.so"), "rb") as f:
            so = f.read()
        with open(os.path.join(d, lib), "rb") as f:
            vendored = f.read()
        return so, lib, vendored

    def one_file_deb(base, out, fields, path, data):
        """A .deb of one file (path, data) whose control starts with
        fields; dpkg-deb's checks off (a control without Version)."""
        tree = os.path.join(base, "tree")
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(os.path.join(tree, "DEBIAN"))
        os.makedirs(os.path.dirname(os.path.join(tree, path)))
        with open(os.path.join(tree, "DEBIAN/control"), "w") as f:
            f.write(fields + "Architecture: amd64\nMaintainer: T "
                    "<t@example.org>\nDescription: x\n x\n")
        with open(os.path.join(tree, path), "wb") as f:
            f.write(data)
        h.sh("dpkg-deb", "--root-owner-group", "--nocheck", "--build", tree,
             out)

    def build_wheel(dist, name, version="1.0", extra=(), sign=None,
                    big=0):
        """dist/<name>-<version>-....whl: returns its path. extra: more
        (entry, bytes) in the .dist-info (written before RECORD and listed
        in it); sign: "jws" or "p7s", a signature after RECORD; big: a
        deflated entry of that many random bytes."""
        scratch = os.path.join(dist, "..", "scratch-" + name)
        os.makedirs(scratch, exist_ok=True)
        so, lib, vendored = compile_ext(scratch, name)
        di = "%s-%s.dist-info" % (name, version)
        files = [
            ("%s/__init__.py" % name, b"from ._x import *\n"),
            ("%s/_x.cpython-311-x86_64-linux-gnu.so" % name, so),
            ("%s.libs/%s" % (name, lib), vendored),
            (di + "/METADATA", ("Metadata-Version: 2.1\nName: %s\n"
                                "Version: %s\n\n" % (name, version)).encode()),
            (di + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: test\n"
             b"Root-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n\n"),
        ]
        if big:
            files.insert(1, ("%s/blob.bin" % name, os.urandom(big)))
        files += [(di + "/" + n, d) for n, d in extra]
        path = os.path.join(dist, name + "-" + version + WHEEL_SUFFIX)
        record = []
        with zipfile.ZipFile(path, "w") as z:
            for i, (n, data) in enumerate(files):
                # Alternate: every other entry stored.
                method = zipfile.ZIP_DEFLATED if i % 2 else zipfile.ZIP_STORED
                z.writestr(n, data, compress_type=method)
                record.append("%s,%s,%d" % (n, record_hash(data), len(data)))
            record.append(di + "/RECORD,,")
            z.writestr(di + "/RECORD", "\n".join(record) + "\n",
                       compress_type=zipfile.ZIP_DEFLATED)
            if sign:
                z.writestr(di + "/RECORD." + sign, b"signature",
                           compress_type=zipfile.ZIP_STORED)
        return path

    def entries(path):
        with zipfile.ZipFile(path) as z:
            return [(i.filename, i.compress_type, z.read(i.filename))
                    for i in z.infolist()]

    def attached(path, name="demo", version="1.0"):
        """The SBOM in the wheel, validated like the main output."""
        entry = "%s-%s.dist-info/%s" % (name, version, OURS)
        with zipfile.ZipFile(path) as z:
            names = [i.filename for i in z.infolist()]
            check(names.count(entry) == 1, "one %s in %r" % (entry, names))
            raw = z.read(entry)
        out = path + ".attached.json"
        with open(out, "wb") as f:
            f.write(raw)
        errs = validate.errors("cyclonedx", out)
        check(not errs, "the attached SBOM: schema errors:\n" +
              "\n".join(errs[:10]))
        sbom = json.loads(raw)
        target = sbom["metadata"]["component"]
        check((target["name"], target.get("version"), target.get("purl"),
               target["type"]) ==
              (name, version, "pkg:pypi/%s@%s" % (name, version), "library"),
              "the attached SBOM describes the wheel: %r" % target)
        return sbom

    def record_lines(path, name="demo", version="1.0"):
        with zipfile.ZipFile(path) as z:
            return z.read("%s-%s.dist-info/RECORD" % (name, version)) \
                .decode().splitlines()

    def unpacks(t, path):
        """Debian's `wheel unpack` checks every hash of RECORD."""
        d = h.fresh_dir(t, "unpacked")
        p = subprocess.run([SYSTEM_PYTHON, "-m", "wheel", "unpack", "-d", d,
                            path], capture_output=True)
        check(p.returncode == 0, "wheel unpack: %s" % p.stderr.decode()[-800:])

    def sha(path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    def same_entries(before, after, dropped=()):
        """Every entry but ours (and the dropped ones) and RECORD: same
        order, same compression, same bytes."""
        def keep(e):
            return not e[0].endswith("/" + OURS) and \
                not e[0].endswith("/RECORD") and e[0] not in dropped
        b = [e for e in before if keep(e)]
        a = [e for e in after if keep(e)]
        check([(n, m) for n, m, _ in a] == [(n, m) for n, m, _ in b],
              "entries or their compression changed:\n%r\n%r" %
              ([(n, m) for n, m, _ in b], [(n, m) for n, m, _ in a]))
        check(all(x[2] == y[2] for x, y in zip(a, b)), "contents changed")

    @case
    def attach_loaded_by_is_the_wheel_s_path(t):
        """liba needs libb and has no RUNPATH: libb is found only in the
        process of the extension that loads both, and resolved-via says
        so ("loaded-by:<extension> (runpath)"). In the wheel's own SBOM
        that is the extension's path in the wheel, not where the build
        machine had the wheel."""
        base = h.fresh_dir(t, "attach", "loaded-by")
        sc = os.path.join(base, "scratch")
        dist = os.path.join(base, "dist")
        os.makedirs(sc)
        os.makedirs(dist)

        def cc(name, src, *args):
            out = os.path.join(sc, name)
            with open(out + ".c", "w") as f:
                f.write(src)
            h.sh(CC, "-shared", "-fPIC", "-o", out, out + ".c", "-L" + sc,
                 "-Wl,--no-as-needed", *args)
            with open(out, "rb") as f:
                return f.read()
        lb = cc("libb.so.1", "int b(void) { return 1; }\n",
                "-Wl,-soname,libb.so.1")
        la = cc("liba.so.1", "int b(void);\nint a(void) { return b(); }\n",
                "-Wl,-soname,liba.so.1", "-l:libb.so.1")
        ext = cc("_e.so", "int a(void);\nint e(void) { return a(); }\n",
                 "-l:liba.so.1", "-l:libb.so.1",
                 "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../one.libs")
        path = os.path.join(dist, "one-1.0" + WHEEL_SUFFIX)
        di = "one-1.0.dist-info"
        with zipfile.ZipFile(path, "w") as z:
            for n, data in (("one/_e.so", ext), ("one.libs/liba.so.1", la),
                            ("one.libs/libb.so.1", lb),
                            (di + "/METADATA", b"Metadata-Version: 2.1\n"
                             b"Name: one\nVersion: 1.0\n"),
                            (di + "/WHEEL", b"Wheel-Version: 1.0\n")):
                z.writestr(n, data)
            z.writestr(di + "/RECORD", "")
        # The same wheel beside it, byte for byte: the scan names the
        # extension by the first's path; the second's SBOM by its own.
        os.makedirs(os.path.join(dist, "b"))
        twin = os.path.join(dist, "b", os.path.basename(path))
        shutil.copyfile(path, twin)
        r = t.run("--attach", "-o", os.devnull, "dist/", cwd=base,
                  validate_sbom=False)
        check(r.code == 0, r.err.decode()[-800:])
        for wheel in (path, twin):
            sbom = attached(wheel, "one", "1.0")
            libb = [c for c in h.comps(sbom) if c["name"] == "libb.so.1"][0]
            check(h.props(libb, "bindep:resolved-via") ==
                  ["loaded-by:one/_e.so (runpath)"],
                  "%s: %r" % (wheel, libb.get("properties")))

    @case
    def attach_file_a_deb_also_ships_is_the_wheel_s(t):
        """The wheel's vendored library is byte for byte a file of a .deb
        given beside it: one component, named by the .deb's package. In
        the wheel's own SBOM it is a file of the wheel, with no word of
        the .deb (its purl, its source package, its control's path)."""
        base = h.fresh_dir(t, "attach", "deb-twin")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        demo = build_wheel(dist, "demo")
        with zipfile.ZipFile(demo) as z:
            lib = z.read("demo.libs/libdemovend.so.1")
        one_file_deb(base, os.path.join(dist, "libdemovend1_3.0-1_amd64.deb"),
                     "Package: libdemovend1\nSource: demovend\n"
                     "Version: 3.0-1\n", "usr/lib/libdemovend.so.1", lib)
        r = t.run("--attach", "-o", os.devnull, "dist/", cwd=base,
                  validate_sbom=False)
        check(r.code == 0, r.err.decode()[-600:])
        sbom = attached(demo)
        vend = [c for c in h.comps(sbom)
                if c["name"] == "libdemovend.so.1"]
        check(len(vend) == 1 and vend[0].get("purl") == "pkg:pypi/demo@1.0"
              and not h.props(vend[0], "bindep:source-package"), vend)
        text = json.dumps(sbom)
        check("deb" not in text.replace("demo", ""), "the .deb in it")

    @case
    def attach_registry_name_stays_beside_a_deb(t):
        """The wheel vendors the host's libz.so.1, which the registry names
        pkg:github/madler/zlib; a .deb without a Version (no purl) ships
        the same bytes beside it. The wheel's SBOM keeps zlib's name: it
        was made the wheel's own (pkg:pypi/zw), and zlib's CVEs missed."""
        base = h.fresh_dir(t, "attach", "registry-deb")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        libz = open(os.path.realpath(
            "/usr/lib/x86_64-linux-gnu/libz.so.1"), "rb").read()
        path = os.path.join(dist, "zw-1.0" + WHEEL_SUFFIX)
        di = "zw-1.0.dist-info"
        with zipfile.ZipFile(path, "w") as z:
            for n, data in (("zw.libs/libz.so.1", libz),
                            (di + "/METADATA", b"Metadata-Version: 2.1\n"
                             b"Name: zw\nVersion: 1.0\n"),
                            (di + "/WHEEL", b"Wheel-Version: 1.0\n")):
                z.writestr(n, data)
            z.writestr(di + "/RECORD", "")
        one_file_deb(base, os.path.join(dist, "zlibcopy.deb"),
                     "Package: zlibcopy\n", "usr/lib/libz.so.1", libz)
        r = t.run("--attach", "-o", os.devnull, "dist/", cwd=base,
                  validate_sbom=False)
        check(r.code == 0, r.err.decode()[-600:])
        z = [c for c in h.comps(attached(path, "zw", "1.0"))
             if c["name"] == "libz.so.1"]
        check(len(z) == 1 and
              z[0].get("purl", "").startswith("pkg:github/madler/zlib@"), z)

    @case
    def attach_same_wheel_twice_is_one(t):
        """--attach W W, and ./W W: one wheel, attached once, exit 0. The
        second attempt found the wheel changed since it was scanned (its
        SBOM in it) and failed the run."""
        base = h.fresh_dir(t, "attach", "twice")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        demo = build_wheel(dist, "demo")
        rel = os.path.relpath(demo, base)
        for args in ((rel, rel), ("./" + rel, rel)):
            r = t.run("--attach", "-o", os.devnull, *args, cwd=base,
                      validate_sbom=False)
            check(r.code == 0, "%r: exit %d: %s"
                  % (args, r.code, r.err.decode()[-600:]))
            attached(demo)

    @case
    def attach_system_libraries_are_external(t):
        """What the wheel's extension needs from outside the wheel (libc,
        found on this machine) is the installing system's: in the
        attached SBOM it is the soname alone, bindep:external, with no
        version, purl, hash or supplier of the build machine's package,
        and nothing it needs in turn (ld.so). The main output still says
        which package it was here."""
        base = h.fresh_dir(t, "attach", "external")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        demo = build_wheel(dist, "demo")
        out = os.path.join(base, "all.json")
        r = t.run("--attach", "-o", out, demo, cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        with open(out) as f:
            main = json.load(f)
        host = [c for c in h.comps(main) if c["name"] == "libc.so.6"]
        check(len(host) == 1 and host[0].get("purl") and
              host[0].get("hashes"), "the main output: %r" % host)
        sbom = attached(demo)
        libc = [c for c in h.comps(sbom) if c["name"] == "libc.so.6"]
        check(len(libc) == 1, "libc.so.6 once: %r" % libc)
        c = libc[0]
        check(h.prop(c, "bindep:external") == "true", c.get("properties"))
        for field in ("purl", "version", "hashes", "supplier", "cpe",
                      "licenses"):
            check(field not in c, "%s of the build machine's: %r"
                  % (field, c.get(field)))
        check(not [x for x in h.comps(sbom)
                   if x["name"].startswith("ld-linux")],
              "what libc needs is the system's: %r"
              % [x["name"] for x in h.comps(sbom)])
        ext = [x for x in h.comps(sbom) if x["name"].startswith("_x.")][0]
        check("libc.so.6" in h.depends(sbom, ext), h.depends(sbom, ext))
        # Its needs unknown: no entry (an empty one says it needs nothing).
        deps = [d for d in sbom["dependencies"] if d["ref"] == c["bom-ref"]]
        check(not deps, deps)

    @case
    def attach_wheel_installs_and_verifies(t):
        """Two wheels attached in one run: each still installs and its
        RECORD verifies; each SBOM describes its own wheel, with its
        extension and vendored library, and not the other wheel's."""
        base = h.fresh_dir(t, "attach", "installs")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        demo = build_wheel(dist, "demo")
        other = build_wheel(dist, "other", "2.5")
        before = entries(demo)
        r = t.run("--attach", demo, other, cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        after = entries(demo)
        same_entries(before, after)
        names = [n for n, _, _ in after]
        ours = "demo-1.0.dist-info/" + OURS
        check(names.index(ours) == names.index("demo-1.0.dist-info/RECORD") - 1,
              "our file goes just before RECORD: %r" % names)
        data = dict((n, d) for n, _, d in after)[ours]
        line = "%s,%s,%d" % (ours, record_hash(data), len(data))
        check(record_lines(demo)[-1] == line,
              "RECORD's last line %r, want %r" % (record_lines(demo)[-1],
                                                   line))
        for path, name, version in ((demo, "demo", "1.0"),
                                    (other, "other", "2.5")):
            unpacks(t, path)
            sbom = attached(path, name, version)
            got = sorted(c["name"] for c in sbom.get("components", []))
            check("_x.cpython-311-x86_64-linux-gnu.so" in got and
                  "lib%svend.so.1" % name in got,
                  "%s's SBOM has its extension and vendored library: %r" %
                  (name, got))
            ext = [c for c in sbom["components"]
                   if c["name"] == "_x.cpython-311-x86_64-linux-gnu.so"][0]
            want = "%s/_x.cpython-311-x86_64-linux-gnu.so" % name
            check(h.locations(ext) == [want],
                  "located in the wheel, not where it was read: %r" %
                  h.locations(ext))
            foreign = "libothervend.so.1" if name == "demo" else \
                "libdemovend.so.1"
            check(foreign not in got and not any(
                c.get("type") == "file" or "whl" in c["name"]
                for c in sbom.get("components", [])),
                "%s's SBOM holds only its own: %r" % (name, got))
            # Where the scan found what the wheel needs (libc, on this
            # machine) is not the wheel's: a path of the build host in a
            # published wheel, which another machine would write
            # otherwise.
            where = [x for c in sbom.get("components", [])
                     for x in h.locations(c)]
            check(where and not [x for x in where
                                 if x.startswith("/") or "!/" in x],
                  "%s's SBOM has locations outside it: %r" % (name, where))
        venv = os.path.join(base, "venv")
        h.sh(SYSTEM_PYTHON, "-m", "venv", "--without-pip",
             "--system-site-packages", venv)
        p = subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip",
                            "install", "--no-index", "--no-deps",
                            "--disable-pip-version-check", demo],
                           capture_output=True)
        check(p.returncode == 0, "pip install: %s" %
              (p.stdout + p.stderr).decode()[-1500:])
        inst = subprocess.run(
            [os.path.join(venv, "bin", "python"), "-c",
             "import importlib.metadata as m; "
             "print('\\n'.join(str(f) for f in m.files('demo')))"],
            capture_output=True, check=True).stdout.decode().split()
        check("demo-1.0.dist-info/" + OURS in inst,
              "pip installed the SBOM: %r" % inst)

    @case
    def attach_twice_keeps_one_and_others_alone(t):
        """Attaching again replaces our file and its RECORD line; another
        tool's SBOM in sboms/ (auditwheel's) stays as it was."""
        base = h.fresh_dir(t, "attach", "twice")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        theirs = b'{"bomFormat": "CycloneDX", "specVersion": "1.4"}\n'
        demo = build_wheel(dist, "demo",
                           extra=[("sboms/auditwheel.cdx.json", theirs)])
        before = entries(demo)
        for n in (1, 2):
            r = t.run("--attach", demo, cwd=base,
                      env={"SOURCE_DATE_EPOCH": str(1700000000 + n)})
            check(r.code == 0, "run %d: exit %d: %s" % (n, r.code,
                                                         r.err[-800:]))
        after = entries(demo)
        same_entries(before, after)
        ours = [n for n, _, _ in after if n.endswith("/" + OURS)]
        check(len(ours) == 1, "one bindep SBOM: %r" % ours)
        lines = [x for x in record_lines(demo) if x.startswith(ours[0] + ",")]
        check(len(lines) == 1, "one RECORD line of ours: %r" % lines)
        check(dict((n, d) for n, _, d in after)[
            "demo-1.0.dist-info/sboms/auditwheel.cdx.json"] == theirs,
            "auditwheel's SBOM untouched")
        sbom = attached(demo)
        check(sbom["metadata"]["timestamp"] == "2023-11-14T22:13:22Z",
              "the second run's SBOM: %r" % sbom["metadata"]["timestamp"])
        unpacks(t, demo)

    @case
    def attach_signed_wheel_refused_unless_force(t):
        """RECORD.jws: refused, the wheel untouched; with --force the
        signature is dropped, with a warning, and the wheel verifies."""
        base = h.fresh_dir(t, "attach", "signed")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        demo = build_wheel(dist, "demo", sign="jws")
        digest = sha(demo)
        r = t.run("--attach", demo, cwd=base)
        check(r.code == 1, "exit %d" % r.code)
        check(b"signed wheel (RECORD.jws)" in r.err and b"--force" in r.err,
              "a clear error: %r" % r.err[-500:])
        check(sha(demo) == digest, "the signed wheel was changed")
        before = entries(demo)
        r = t.run("--attach", "--force", demo, cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        check(any("signature (RECORD.jws) dropped" in w
                  for w in r.warnings()), "warned: %r" % r.warnings())
        after = entries(demo)
        jws = "demo-1.0.dist-info/RECORD.jws"
        same_entries(before, after, dropped=(jws,))
        check(jws not in [n for n, _, _ in after], "signature dropped")
        attached(demo)
        unpacks(t, demo)

    @case
    def attach_dir_leaves_inputs(t):
        """--attach-dir: the wheel with its SBOM in DIR, the input as it
        was; without --attach, --attach-dir and --force are usage errors."""
        base = h.fresh_dir(t, "attach", "dir")
        dist = os.path.join(base, "dist")
        out = os.path.join(base, "out")
        os.makedirs(dist)
        os.makedirs(out)
        demo = build_wheel(dist, "demo")
        digest = sha(demo)
        r = t.run("--attach", "--attach-dir", out, demo, cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        check(sha(demo) == digest, "the input was changed")
        made = os.path.join(out, os.path.basename(demo))
        check(os.listdir(out) == [os.path.basename(demo)],
              "DIR holds the wheel only: %r" % os.listdir(out))
        same_entries(entries(demo), entries(made))
        attached(made)
        unpacks(t, made)
        for opt in (["--attach-dir", out], ["--force"]):
            r = t.run(*opt, demo, cwd=base)
            check(r.code == 2 and b"is an option of --attach" in r.err,
                  "%s alone: exit %d %r" % (opt[0], r.code, r.err))
        # A DIR that is missing or a file: one error naming the wheel and
        # DIR (not the temporary's random name), exit 1, nothing made.
        plain = os.path.join(base, "plain")
        with open(plain, "w") as f:
            f.write("x")
        for bad, why in (("missing", "No such file or directory"),
                         ("plain", "Not a directory")):
            r = t.run("-o", os.path.join(base, "x.json"), "--attach",
                      "--attach-dir", bad, demo, cwd=base)
            errs = [line for line in r.err.decode().splitlines()
                    if "error:" in line]
            check(r.code == 1 and errs == [
                "bindep-sbom: error: '%s': cannot create the new wheel "
                "in '%s': %s" % (demo, bad, why)], "%s: exit %d %r"
                  % (bad, r.code, r.err[-400:]))
        check(sha(demo) == digest and os.listdir(dist) ==
              [os.path.basename(demo)], "dist changed: %r" % os.listdir(dist))

    @case
    def attach_not_a_wheel_is_said(t):
        """A zip that is no wheel (no .dist-info/RECORD) is not changed;
        a run with no wheel warns."""
        base = h.fresh_dir(t, "attach", "nowheel")
        z = os.path.join(base, "plain.zip")
        with zipfile.ZipFile(z, "w") as f:
            f.writestr("a.txt", b"a")
        digest = sha(z)
        r = t.run("--attach", z, cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        check(any("no wheel among the inputs" in w for w in r.warnings()),
              "warned: %r" % r.warnings())
        check(sha(z) == digest, "the zip was changed")

    def writing_into(pid, dist):
        """Whether process pid has a new file open in dist: one with no
        name yet (O_TMPFILE: "dist/#inode (deleted)" in /proc), or a
        named temporary beside the wheel."""
        fds = "/proc/%d/fd" % pid
        try:
            links = [os.readlink(os.path.join(fds, n)) for n in os.listdir(fds)]
        except OSError:
            return False
        return any(l.startswith(dist + "/#") or l.startswith(dist + "/.")
                   for l in links)

    @case
    def attach_interrupted_leaves_the_wheel(t):
        """SIGTERM while the new wheel is being written: the original is
        intact, no temporary is left, and the signal is the exit. SIGKILL
        then leaves nothing either: the new wheel has no name until it is
        whole (a named temporary was left beside it, half written)."""
        base = h.fresh_dir(t, "attach", "kill")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        demo = build_wheel(dist, "demo", big=48 << 20)
        digest = sha(demo)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        cmd = t.wrapper + [t.binary, "-o", os.path.join(base, "main.json"),
                           "--attach", demo]
        for sig in (signal.SIGTERM, signal.SIGKILL):
            proc = subprocess.Popen(cmd, cwd=base, env=env,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
            deadline = time.monotonic() + 300
            seen = False
            while time.monotonic() < deadline and proc.poll() is None:
                if writing_into(proc.pid, dist):
                    seen = True
                    break
                time.sleep(0.005)
            check(seen, "no new wheel seen being written before the end "
                  "(exit %r)" % proc.poll())
            time.sleep(0.05)
            proc.send_signal(sig)
            err = proc.communicate(timeout=300)[1]
            check(proc.returncode == -sig,
                  "killed by %s: exit %r %r" % (sig.name, proc.returncode,
                                                err[-500:]))
            if sig == signal.SIGTERM:
                check(b"interrupted" in err, "said: %r" % err[-500:])
            check(sha(demo) == digest, "%s: the wheel was changed" % sig.name)
            left = sorted(os.listdir(dist))
            check(left == [os.path.basename(demo)],
                  "%s: left in dist: %r" % (sig.name, left))

    @case
    def attach_hostile_wheels_are_refused_untouched(t):
        """A bzip2 entry (a method the writer cannot keep), two
        .dist-info/RECORD, a wheel cut in half: an error naming the wheel
        in the project's words (libarchive's reason only in parentheses),
        the wheel as it was, no temporary; a good wheel of the same run is
        still done."""
        base = h.fresh_dir(t, "attach", "hostile")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        good = build_wheel(dist, "demo")
        bz = build_wheel(dist, "bz")
        with zipfile.ZipFile(bz, "a") as z:
            z.writestr("bz/data.txt", b"x" * 1000,
                       compress_type=zipfile.ZIP_BZIP2)
        two = build_wheel(dist, "two")
        with zipfile.ZipFile(two, "a") as z:
            z.writestr("extra-1.0.dist-info/RECORD", b"")
        cut = build_wheel(dist, "cut")
        with open(cut, "r+b") as f:
            f.truncate(os.path.getsize(cut) // 2)
        # Its RECORD a symlink (zip's Unix mode): written again, it was a
        # symlink to RECORD's lines ("cannot write (no reason given)").
        sym = build_wheel(dist, "sym")
        with zipfile.ZipFile(sym) as z:
            items = [(i, z.read(i)) for i in z.infolist()]
        with zipfile.ZipFile(sym, "w") as z:
            for i, data in items:
                if i.filename.endswith(".dist-info/RECORD"):
                    i.create_system = 3
                    i.external_attr = 0o120777 << 16
                    data = b"../../../etc/passwd"
                z.writestr(i, data)
        # An entry with an empty name: libarchive 3.6's zip writer failed
        # on it with no reason given, and leaked the writer's buffers.
        empty = build_wheel(dist, "empty")
        with zipfile.ZipFile(empty, "a") as z:
            z.writestr(zipfile.ZipInfo(""), b"x")
        # An entry whose central directory says 8 MiB where its local
        # header and data have none: copied, it came out with a local
        # header saying 8 MiB that libarchive could not read back (found
        # by fuzz_attach comparing the wheels).
        lie = build_wheel(dist, "lie")
        with zipfile.ZipFile(lie, "a") as z:
            z.writestr("lie/empty.txt", b"")
        with open(lie, "r+b") as f:
            b = bytearray(f.read())
            at = b.rfind(b"PK\x01\x02", 0, b.rfind(b"lie/empty.txt"))
            b[at + 24:at + 28] = (8 << 20).to_bytes(4, "little")
            f.seek(0)
            f.write(b)
        digests = {p: sha(p) for p in (bz, two, cut, sym, empty, lie)}
        r = t.run("-v", "--attach", bz, two, cut, sym, empty, lie, good,
                  cwd=base)
        check(r.code == 1, "exit %d: %s" % (r.code, r.err[-800:]))
        err = r.err.decode()
        check("bz/data.txt': compressed as" in err and
              os.path.basename(bz) in err, "bzip2 said: %r" % err)
        check("more than one .dist-info/RECORD" in err, "two said: %r" % err)
        check("'%s!/sym-1.0.dist-info/RECORD': a symlink, not a regular "
              "file" % sym in err, "symlink RECORD said: %r" % err)
        said = "'%s': not attached: the wheel could not be read" % cut
        # The summary counts every warning shown, the artifacts' too.
        shown = err.count("bindep-sbom: warning: ")
        check(shown and "%d warnings\n" % shown in err,
              "%d warnings shown, summary: %r" % (shown, err[-300:]))
        check(said in err, "cut said: %r" % err)
        check("'%s': an entry without a name" % empty in err,
              "empty name said: %r" % err)
        check("'%s!/lie/empty.txt': 0 bytes of data where its header says "
              "8388608" % lie in err, "lie said: %r" % err)
        for line in err.splitlines():
            why = line.split("': ", 1)[-1]
            check(not why[:1].isupper(), "not lowercase: %r" % line)
        for p, d in digests.items():
            check(sha(p) == d, "%s was changed" % p)
        left = [f for f in os.listdir(dist) if f.startswith(".")]
        check(not left, "temporaries left: %r" % left)
        attached(good)
        unpacks(t, good)

    def rename_raw(path, placeholder, raw, marked):
        """The entry named placeholder renamed to the bytes raw (of the
        same length), its name marked UTF-8 or not (general purpose flag
        bit 11), in its local header and in the central directory: what
        zipfile cannot write (it marks every name that is not ASCII)."""
        ph = placeholder.encode()
        check(len(raw) == len(ph), "same length")
        with open(path, "rb") as f:
            b = bytearray(f.read())
        at, done = 0, 0
        while (at := b.find(ph, at)) >= 0:
            # The name follows a 30-byte local header, whose flags are at
            # 6, or a 46-byte central header, whose flags are at 8.
            for size, sig, flags in ((30, b"PK\x03\x04", 6),
                                     (46, b"PK\x01\x02", 8)):
                h0 = at - size
                if h0 >= 0 and b[h0:h0 + 4] == sig:
                    f = int.from_bytes(b[h0 + flags:h0 + flags + 2], "little")
                    f = f | 0x800 if marked else f & ~0x800
                    b[h0 + flags:h0 + flags + 2] = f.to_bytes(2, "little")
                    b[at:at + len(ph)] = raw
                    done += 1
            at += 1
        check(done == 2, "renamed in both headers: %d" % done)
        with open(path, "wb") as f:
            f.write(b)

    def raw_names(path):
        """(name bytes, marked UTF-8) of each entry, in order."""
        with zipfile.ZipFile(path) as z:
            return [(i.orig_filename.encode("utf-8" if i.flag_bits & 0x800
                                            else "cp437"),
                     bool(i.flag_bits & 0x800)) for i in z.infolist()]

    def listed_wheel(dist, name, files):
        """dist/<name>-1.0-....whl of files ((entry name or ZipInfo, data,
        the bytes RECORD names it by, or None for its UTF-8)), its
        __init__.py and METADATA, and a RECORD listing them all."""
        di = "%s-1.0.dist-info/" % name
        path = os.path.join(dist, name + "-1.0" + WHEEL_SUFFIX)
        meta = ("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n\n" %
                name).encode()
        files = [(name + "/__init__.py", b"", None),
                 (di + "METADATA", meta, None)] + list(files)
        record = b""
        with zipfile.ZipFile(path, "w") as z:
            for n, d, raw in files:
                z.writestr(n, d, compress_type=zipfile.ZIP_DEFLATED)
                n = n.filename if isinstance(n, zipfile.ZipInfo) else n
                record += b"%s,%s,%d\n" % (raw or n.encode(),
                                           record_hash(d).encode(), len(d))
            z.writestr(di + "RECORD", record + (di + "RECORD,,\n").encode())
        return path

    def unicode_path_field(name, shown):
        """An Info-ZIP Unicode Path extra field (0x7075): shown as the
        entry's name, in UTF-8, for the header name name."""
        raw = shown.encode()
        body = struct.pack("<BI", 1, zlib.crc32(name.encode())) + raw
        return struct.pack("<HH", 0x7075, len(body)) + body

    @case
    def attach_keeps_names_as_marked(t):
        """Entry names that are not ASCII: one marked UTF-8 (as zipfile
        writes it, listed so in RECORD), one unmarked in CP437, one
        unmarked that happens to be valid UTF-8. Attached, each keeps its
        bytes and its mark (an installer decodes a marked name as UTF-8,
        an unmarked one as CP437), whatever the locale. Refused in the
        project's words, the wheel left as it was: a name marked UTF-8
        that is not; a marked name in Unicode NFD (libarchive reads it
        composed: its bytes would change); a name given by an Info-ZIP
        non-ASCII Unicode Path field (libarchive would take it over the
        header's); two spellings that read alike; an entry read under our
        SBOM's name beside ours. A file RECORD does not list (an ASCII
        Unicode Path field renamed it) is copied, with a warning."""
        base = h.fresh_dir(t, "attach", "names")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        # RECORD lists each name by the bytes it has in the zip.
        di = "uni-1.0.dist-info/"
        uni = listed_wheel(dist, "uni", [
            (di + "caf\u00e9.txt", b"marked", None),
            (di + "cp437-X.txt", b"cp437", di.encode() + b"cp437-\x82.txt"),
            (di + "utf8-XX.txt", b"unmarked utf-8",
             di.encode() + b"utf8-\xc3\xa9.txt")])
        rename_raw(uni, di + "cp437-X.txt", di.encode() + b"cp437-\x82.txt",
                   False)
        rename_raw(uni, di + "utf8-XX.txt", di.encode() + b"utf8-\xc3\xa9.txt",
                   False)
        bad = build_wheel(dist, "bad", extra=[("X.txt", b"x")])
        rename_raw(bad, "bad-1.0.dist-info/X.txt",
                   b"bad-1.0.dist-info/\xff.txt", True)
        nfd = build_wheel(dist, "nfd", extra=[("cafe\u0301.txt", b"nfd")])
        # Listed in RECORD as CSV quotes them (a comma, a quote); a
        # marked directory, listed by the files in it.
        quoted = os.path.join(dist, "quoted-1.0" + WHEEL_SUFFIX)
        with zipfile.ZipFile(quoted, "w") as z:
            rows = []
            z.writestr("quoted/donn\u00e9es/", b"")
            for n, d in (('quoted/caf\u00e9, "x".txt', b"q"),
                         ("quoted/donn\u00e9es/a.txt", b"a"),
                         ("quoted-1.0.dist-info/METADATA",
                          b"Metadata-Version: 2.1\nName: quoted\n"
                          b"Version: 1.0\n\n")):
                z.writestr(n, d)
                rows.append((n, record_hash(d), len(d)))
            rows.append(("quoted-1.0.dist-info/RECORD", "", ""))
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(rows)
            z.writestr("quoted-1.0.dist-info/RECORD", text.getvalue())
        # Two spellings libarchive reads alike (NFD, NFC); an ASCII
        # Unicode Path field renaming a listed file.
        twin = listed_wheel(dist, "twin", [
            ("twin/caf\u00e9.txt", b"nfc", None),
            ("twin/cafe\u0301.txt", b"nfd", None)])
        info = zipfile.ZipInfo("renamed/x.txt")
        info.extra = unicode_path_field("renamed/x.txt", "renamed/y.txt")
        renamed = listed_wheel(dist, "renamed", [(info, b"x", None)])
        # Attached before (RECORD lists our SBOM), and an entry whose
        # Unicode Path field names our SBOM: it is no copy of ours.
        ours_di = "again-1.0.dist-info/" + OURS
        info = zipfile.ZipInfo("again/evil.py")
        info.extra = unicode_path_field("again/evil.py", ours_di)
        again = listed_wheel(dist, "again", [(ours_di, b"{}", None),
                                             (info, b"payload", None)])
        upath = build_wheel(dist, "upath")
        with zipfile.ZipFile(upath, "a") as z:
            info = zipfile.ZipInfo("upath/cafe.txt")
            info.extra = unicode_path_field("upath/cafe.txt",
                                            "upath/caf\u00e9.txt")
            z.writestr(info, b"u")
        before, names = entries(uni), raw_names(uni)
        check((di.encode() + b"caf\xc3\xa9.txt", True) in names and
              (di.encode() + b"cp437-\x82.txt", False) in names and
              (di.encode() + b"utf8-\xc3\xa9.txt", False) in names,
              "the fixture: %r" % names)
        refused = {p: sha(p) for p in (bad, nfd, upath, twin, again)}
        for lc in ("C", "C.UTF-8"):
            r = t.run("--attach", uni, bad, nfd, upath, quoted, twin,
                      renamed, again, cwd=base,
                      env={"LC_ALL": lc, "LANG": None})
            check(r.code == 1, "exit %d: %s" % (r.code, r.err[-800:]))
            err = r.err.decode()
            for said in (
                    "'%s': an entry's name is marked UTF-8 but is not" % bad,
                    "'%s!/nfd-1.0.dist-info/caf\u00e9.txt': a name marked "
                    "UTF-8 that RECORD does not list as read" % nfd,
                    "'%s': an entry named by a Unicode Path field" % upath,
                    "'%s!/twin/caf\u00e9.txt': two entries read under this "
                    "name" % twin,
                    "'%s!/%s': two entries read under this name" %
                    (again, ours_di),
                    # Published wheels leave files out of RECORD: copied,
                    # with a warning.
                    "warning: '%s!/renamed/y.txt': a file RECORD does not "
                    "list (as read), copied as read" % renamed):
                check(said in err, "%r not said: %r" % (said, err))
            for p, digest in refused.items():
                check(sha(p) == digest, "%s was changed" % p)
            after = raw_names(uni)
            ours = [n for n in after if n[0].endswith(OURS.encode())]
            check([n for n in after if n not in ours] == names and
                  len(ours) == 1,
                  "names or marks changed:\n%r\n%r" % (names, after))
            same_entries(before, entries(uni))
            attached(uni, "uni")
            attached(quoted, "quoted")
        unpacks(t, quoted)
        left = [f for f in os.listdir(dist) if f.startswith(".")]
        check(not left, "temporaries left: %r" % left)

    @case
    def attach_many_entries(t):
        """20,000 tiny entries, a third of their names marked UTF-8, all
        listed in RECORD: attached, each name and mark kept, one SBOM
        added (the survey's marks, RECORD's sorted paths and the names
        written grow with the count)."""
        dist = os.path.join(h.fresh_dir(t, "attach", "many"), "dist")
        os.makedirs(dist)
        files = [("many/f%05d%s.txt" % (i, "\u00e9" if i % 3 == 0 else ""),
                  b"%d" % i, None) for i in range(20000)]
        many = listed_wheel(dist, "many", files)
        names = raw_names(many)
        r = t.run("--attach", many)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        after = raw_names(many)
        ours = [n for n in after if n[0].endswith(OURS.encode())]
        check([n for n in after if n not in ours] == names and
              len(ours) == 1 and sum(m for _, m in names) == 6667,
              "names or marks changed: %d before, %d after" %
              (len(names), len(after)))

    @case
    def attach_through_a_symlink_replaces_its_target(t):
        """dist/latest.whl -> real/demo-1.0-....whl: the file is replaced,
        the link stays a link; the file keeps its permission bits."""
        base = h.fresh_dir(t, "attach", "link")
        real = os.path.join(base, "real")
        dist = os.path.join(base, "dist")
        os.makedirs(real)
        os.makedirs(dist)
        demo = build_wheel(real, "demo")
        os.chmod(demo, 0o640)
        link = os.path.join(dist, os.path.basename(demo))
        os.symlink(os.path.join("..", "real", os.path.basename(demo)), link)
        r = t.run("--attach", link, cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        check(os.path.islink(link), "the link was replaced")
        check(os.stat(demo).st_mode & 0o777 == 0o640,
              "mode %o" % (os.stat(demo).st_mode & 0o777))
        attached(demo)
        unpacks(t, demo)

    @case
    def attach_is_reproducible(t):
        """The same wheel attached twice, from copies of different mtimes,
        with the same SOURCE_DATE_EPOCH: the same bytes."""
        base = h.fresh_dir(t, "attach", "repro")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        demo = build_wheel(dist, "demo")
        copies = []
        for n in (1, 2):
            d = os.path.join(base, "copy%d" % n)
            os.makedirs(d)
            p = os.path.join(d, os.path.basename(demo))
            with open(demo, "rb") as src, open(p, "wb") as dst:
                dst.write(src.read())
            os.utime(p, (1600000000 * n, 1600000000 * n))
            r = t.run("--attach", p, cwd=d)
            check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
            copies.append(sha(p))
        check(copies[0] == copies[1], "different bytes: %r" % copies)
