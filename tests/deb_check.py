#!/usr/bin/python3
"""make deb-check: build the Debian package, install it into a fresh root
and run it there.

1. The source tree (the files git knows, committed or not, and the new
   ones it does not ignore) is copied to build/deb-check/src/, where
   `dpkg-buildpackage -us -uc -b` builds the .deb: this tree is left alone.
2. The package holds the program, the man page, every mapping file and
   both completions at the paths Debian's bash-completion and zsh read;
   debian/changelog's version is the Makefile's; lintian, when installed,
   reports no error and no warning (debian/bindep-sbom.lintian-overrides
   says why for the two it would).
3. A fresh root is made of the packages the .deb depends on, resolved by
   apt as for an empty system and downloaded once into
   build/deb-check/debs/ (45 packages, 20 MB): each is extracted with
   dpkg-deb and recorded in the root's dpkg database (status and file
   lists) as installed. Then dpkg itself installs the .deb into it
   (dpkg --root ROOT -i).
4. In that root (chroot): `bindep-sbom --version` prints the Makefile's
   version; `bindep-sbom /usr/bin/bindep-sbom` writes a valid SBOM with no
   warning, in which the program is identified as the bindep-sbom package
   (from the dpkg database dpkg just wrote), each library it needs as
   the package that ships it, and none is missing. The same is asked from
   outside, with --root ROOT, and must name the same packages.

It needs debhelper (and lintian to check the package), the build
dependencies of debian/control, and apt's package lists (`apt-get update`)
with a reachable mirror the first time. It prints "deb-check: ok" last.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import validate  # noqa: E402

WORK = os.path.join(ROOT, "build", "deb-check")
DEBS = os.path.join(WORK, "debs")
SDE = "1700000000"


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(cmd, **kw):
    """Run cmd, its output captured; fail with its end on a non-zero exit."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    check(proc.returncode == 0, "%s: exit %d\n%s%s" % (
        " ".join(cmd), proc.returncode, proc.stdout[-2000:],
        proc.stderr[-2000:]))
    return proc


def makefile_version():
    with open(os.path.join(ROOT, "Makefile")) as f:
        m = re.search(r"^VERSION := (\S+)$", f.read(), re.M)
    check(m, "no VERSION in the Makefile")
    return m.group(1)


# ---- 1. build -------------------------------------------------------------


def source_files():
    """The tree's files as a release would hold them: what git tracks
    (as it is now in the tree) and the new files it does not ignore."""
    if os.path.isdir(os.path.join(ROOT, ".git")) or \
            os.path.isfile(os.path.join(ROOT, ".git")):
        out = run(["git", "ls-files", "-z", "--cached", "--others",
                   "--exclude-standard"], cwd=ROOT).stdout
        names = sorted(set(n for n in out.split("\0") if n))
        return [n for n in names if os.path.lexists(os.path.join(ROOT, n))]
    skip = {"build", ".fixtures", "bindep-sbom", ".git"}
    names = []
    for d, dirs, files in os.walk(ROOT):
        rel = os.path.relpath(d, ROOT)
        dirs[:] = sorted(x for x in dirs if rel != "." or x not in skip)
        names += [os.path.normpath(os.path.join(rel, f)) for f in files
                  if rel != "." or f not in skip]
    return sorted(names)


def build(version):
    src = os.path.join(WORK, "src", "bindep-sbom-" + version)
    shutil.rmtree(os.path.join(WORK, "src"), ignore_errors=True)
    os.makedirs(src)
    for name in source_files():
        dest = os.path.join(src, name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, name), dest, follow_symlinks=False)
    env = dict(os.environ, DEB_BUILD_OPTIONS="parallel=%d" % (
        os.cpu_count() or 1))
    print("deb-check: dpkg-buildpackage -us -uc -b in %s"
          % os.path.relpath(src, ROOT), flush=True)
    proc = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b"],
                          cwd=src, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    with open(os.path.join(WORK, "build.log"), "w") as f:
        f.write(proc.stdout)
    check(proc.returncode == 0, "dpkg-buildpackage: exit %d (build/deb-check/"
          "build.log)\n%s" % (proc.returncode, proc.stdout[-3000:]))
    check("Run Summary" in proc.stdout, "the unit tests did not run")
    arch = run(["dpkg-architecture", "-qDEB_HOST_ARCH"]).stdout.strip()
    deb = os.path.join(WORK, "src", "bindep-sbom_%s_%s.deb" % (version, arch))
    changes = deb[:-4] + ".changes"
    check(os.path.isfile(deb), "no %s" % deb)
    return src, deb, changes


# ---- 2. the package -----------------------------------------------------------


def contents(deb):
    listing = run(["sh", "-c", 'dpkg-deb --fsys-tarfile "$1" | tar -t',
                   "sh", deb]).stdout
    return {"/" + os.path.normpath(n).lstrip("./") for n in listing.split()
            if n not in ("./", ".")}


def check_package(deb, changes, version):
    files = contents(deb)
    want = {
        "/usr/bin/bindep-sbom",
        "/usr/share/man/man1/bindep-sbom.1.gz",
        "/usr/share/bash-completion/completions/bindep-sbom",
        "/usr/share/zsh/vendor-completions/_bindep-sbom",
        "/usr/share/doc/bindep-sbom/copyright",
        "/usr/share/bindep-sbom/ci/bindep-sbom-ci",
    }
    want |= {"/usr/share/bindep-sbom/mappings/" + n
             for n in os.listdir(os.path.join(ROOT, "mappings"))}
    missing = sorted(want - files)
    check(not missing, "not in the package: %r" % missing)
    changelog = run(["dpkg-parsechangelog", "-S", "Version"],
                    cwd=ROOT).stdout.strip()
    check(changelog == version, "debian/changelog says %s, the Makefile %s"
          % (changelog, version))
    if shutil.which("lintian"):
        proc = subprocess.run(["lintian", "-I", "-E", "--pedantic",
                               "--fail-on", "error,warning", changes],
                              capture_output=True, text=True)
        tags = [x for x in proc.stdout.splitlines() if re.match(r"[EWIPX]: ", x)]
        print("deb-check: lintian: %s" % ("; ".join(tags) or "no tags"))
        check(proc.returncode == 0, "lintian: exit %d\n%s%s"
              % (proc.returncode, proc.stdout, proc.stderr))
    else:
        print("deb-check: lintian is not installed, not run "
              "(contrib/install-deps --deb)")


# ---- 3. a fresh root ------------------------------------------------------------


def dependencies(deb):
    """The packages apt would install with the .deb on an empty system."""
    empty = os.path.join(WORK, "empty-status")
    open(empty, "w").close()
    proc = run(["apt-get", "-s", "-o", "Dir::State::status=" + empty,
                "-o", "APT::Install-Recommends=false", "install", deb])
    pkgs = [line.split()[1] for line in proc.stdout.splitlines()
            if line.startswith("Inst ")]
    pkgs = [p for p in pkgs if p != "bindep-sbom"]
    check(len(pkgs) > 5, "apt resolves %r" % pkgs)
    return pkgs


def download(pkgs):
    os.makedirs(DEBS, exist_ok=True)
    have = os.listdir(DEBS)
    missing = [p for p in pkgs if not any(f.startswith(p + "_") for f in have)]
    if missing:
        print("deb-check: apt-get download %d packages" % len(missing),
              flush=True)
        run(["apt-get", "download", *missing], cwd=DEBS)
    debs = []
    for p in pkgs:
        found = sorted(f for f in os.listdir(DEBS) if f.startswith(p + "_"))
        check(found, "%s was not downloaded" % p)
        debs.append(os.path.join(DEBS, found[-1]))
    return debs


def record_installed(root, deb):
    """Extract deb into root and record it in root's dpkg database as
    installed, as dpkg would have: its status entry, its file list."""
    run(["dpkg-deb", "-x", deb, root])
    fields = run(["dpkg-deb", "-f", deb]).stdout
    name = run(["dpkg-deb", "-f", deb, "Package"]).stdout.strip()
    multi = run(["dpkg-deb", "-f", deb, "Multi-Arch"]).stdout.strip()
    arch = run(["dpkg-deb", "-f", deb, "Architecture"]).stdout.strip()
    lines = fields.rstrip("\n").split("\n")
    entry = [lines[0], "Status: install ok installed"] + lines[1:]
    admin = os.path.join(root, "var", "lib", "dpkg")
    with open(os.path.join(admin, "status"), "a") as f:
        f.write("\n".join(entry) + "\n\n")
    listing = run(["sh", "-c", 'dpkg-deb --fsys-tarfile "$1" | tar -t',
                   "sh", deb]).stdout.split()
    paths = ["/." if n in ("./", ".") else
             "/" + os.path.normpath(n).lstrip("./") for n in listing]
    key = "%s:%s" % (name, arch) if multi == "same" else name
    with open(os.path.join(admin, "info", key + ".list"), "w") as f:
        f.write("\n".join(paths) + "\n")


def fresh_root(deb):
    root = os.path.join(WORK, "root")
    shutil.rmtree(root, ignore_errors=True)
    admin = os.path.join(root, "var", "lib", "dpkg")
    for d in ("info", "updates", "triggers"):
        os.makedirs(os.path.join(admin, d))
    for d in ("tmp", "var/log", "etc"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    open(os.path.join(admin, "status"), "w").close()
    open(os.path.join(admin, "available"), "w").close()
    pkgs = dependencies(deb)
    for path in download(pkgs):
        record_installed(root, path)
    # What base-files and libc-bin would bring: the distribution's name,
    # the loader's configuration and its cache (ldconfig -r, run from here).
    shutil.copy("/etc/os-release", os.path.join(root, "etc", "os-release"))
    with open(os.path.join(root, "etc", "ld.so.conf"), "w") as f:
        f.write("include /etc/ld.so.conf.d/*.conf\n")
    run(["ldconfig", "-r", root])
    run(["dpkg", "--root=" + root, "--log=/dev/null", "-i", deb])
    status = run(["dpkg-query", "--admindir=" + admin, "-W",
                  "-f=${Status} ${Version}", "bindep-sbom"]).stdout
    check(status == "install ok installed " + makefile_version(),
          "dpkg-query says %r" % status)
    return root, pkgs


# ---- 4. run in it -----------------------------------------------------------


def sbom_facts(path):
    with open(path) as f:
        doc = json.load(f)
    errs = validate.errors("cyclonedx", path)
    check(not errs, "schema errors:\n" + "\n".join(errs[:10]))
    comps = {}
    for c in doc.get("components", []):
        props = {p["name"]: p["value"] for p in c.get("properties", [])}
        for occ in c.get("evidence", {}).get("occurrences", []):
            comps[occ["location"]] = (c.get("purl", ""), props)
    return doc, comps


def package_of(purl):
    m = re.match(r"pkg:deb/debian/([^@?]+)@", purl)
    return urllib.parse.unquote(m.group(1)) if m else None


def check_self_scan(path, version, pkgs, where):
    doc, comps = sbom_facts(path)
    check("/usr/bin/bindep-sbom" in comps, "%s: /usr/bin/bindep-sbom is not "
          "in the SBOM: %r" % (where, sorted(comps)[:20]))
    purl, _ = comps["/usr/bin/bindep-sbom"]
    check(purl.startswith("pkg:deb/debian/bindep-sbom@%s?arch=" % version),
          "%s: the program is %r" % (where, purl))
    libs = {loc: package_of(p) for loc, (p, _) in comps.items()
            if loc != "/usr/bin/bindep-sbom"}
    unowned = sorted(loc for loc, p in libs.items() if p not in pkgs)
    check(not unowned, "%s: not identified as a package of the root: %r"
          % (where, unowned))
    check(len(libs) >= 9, "%s: %d libraries" % (where, len(libs)))
    # The registry was found (/usr/share/bindep-sbom/mappings): it names
    # the upstream projects.
    upstream = {props.get("bindep:upstream") for _, props in comps.values()}
    check({"curl", "sqlite", "libarchive"} <= upstream,
          "%s: upstream projects %r" % (where, sorted(upstream - {None})))
    return libs


def run_in_root(root, version, pkgs):
    # PATH is for the program in the root; chroot is found here first.
    env = dict(os.environ, SOURCE_DATE_EPOCH=SDE, PATH="/usr/bin:/bin")
    chroot = shutil.which("chroot")
    check(chroot, "no chroot")
    proc = run([chroot, root, "/usr/bin/bindep-sbom", "--version"], env=env)
    check(version in proc.stdout, "--version: %r" % proc.stdout)
    print("deb-check: chroot: " + proc.stdout.strip())
    # --strict: exit 3 if a library it needs is not found.
    proc = run([chroot, root, "/usr/bin/bindep-sbom", "--strict", "-o",
                "/tmp/self.cdx.json", "/usr/bin/bindep-sbom"], env=env)
    check(not proc.stderr, "warnings in the root: %r" % proc.stderr)
    inside = check_self_scan(os.path.join(root, "tmp", "self.cdx.json"),
                             version, pkgs, "in the root")
    out = os.path.join(WORK, "self-from-outside.cdx.json")
    # From outside, the registry is not where the program looks for it
    # (/usr/share/bindep-sbom/mappings, of this machine): it is named.
    mappings = os.path.join(root, "usr", "share", "bindep-sbom", "mappings")
    proc = run([os.path.join(root, "usr", "bin", "bindep-sbom"), "--strict",
                "--mappings-dir", mappings, "--root", root, "-o", out, os.path.join(root, "usr", "bin",
                                              "bindep-sbom")], env=env)
    check(not proc.stderr, "warnings from outside: %r" % proc.stderr)
    outside = check_self_scan(out, version, pkgs, "with --root")
    check(inside == outside, "inside %r\noutside %r" % (inside, outside))
    print("deb-check: /usr/bin/bindep-sbom is pkg:deb/debian/bindep-sbom@%s; "
          "the libraries it loads (%d paths) are those of %s"
          % (version, len(inside), ", ".join(sorted(set(inside.values())))))


def main():
    version = makefile_version()
    os.makedirs(WORK, exist_ok=True)
    try:
        src, deb, changes = build(version)
        check_package(deb, changes, version)
        root, pkgs = fresh_root(deb)
        run_in_root(root, version, pkgs)
    except Failure as e:
        print("deb-check: FAIL: %s" % e)
        return 1
    print("deb-check: ok (%s)" % os.path.relpath(deb, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
