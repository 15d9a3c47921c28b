"""End-to-end cases of the fourth review (registered by run.py): what a
scan of a live host must leave alone.

- the kernel's own file systems (proc, sysfs, devpts, cgroup, tracefs and
  the like) hold its state, not files of a release: a directory on one is
  not walked. Named as a PATH it is one warning; met below one (as /proc
  below "--root /") it is passed with a note under -v, and no warning.
  Before, `--root / /proc` gave 5,000 warnings and components named
  "auxv".
- separate debug information (what `objcopy --only-keep-debug` writes, and
  Debian's -dbg and -dbgsym packages install under /usr/lib/debug) is ELF
  with no code: not a binary of the release. It was one component each,
  with false warnings ("dynamic segment has no string table", "PT_INTERP
  beyond end of file"): 273 of them on this machine's root.
- "--root /" is a root like any other: a dangling symlink below a PATH is
  a note there, as in an image (openjdk's src.zip without its source
  package; a module list of a removed package). It was a warning, as in
  a tree given without --root, where it still is.
- a Mach-O or PE binary with a library's name (google-cloud-sdk ships
  crcmod's macOS "_crcfunext.so") is a binary of another system, not a
  broken library: a note that says which, not the warning "not an ELF
  file", which a text file so named still gets; and a README named after
  a library (libblas-dev's "README.if-you-look-for-libcblas.so.3") is no
  library's name.
- online answers: a URL that is no http(s) URL of RFC 3986's characters
  (javascript:, a space, a control) is left out of the SBOM with one
  warning (it made CycloneDX's iri-reference and SPDX's locators
  invalid), and a component keeps at most 64 funding links and 64
  maintainers (an answer with 160,000 took minutes, each added after a
  look through the list). An answer of more than 250,000 JSON values is
  not read (31 MiB of "0,0,..." took 1 GB of cJSON nodes, and a run of
  five, 5 GB from 155 KiB of gzip). A repository's owner_url names a
  host that goes into the next request's path: only a host's name
  ("x/hosts/../owners/x" asked for /api/v1/owners/x, and "a?admin=1"
  added a query).
- a program a wheel installs into its environment's bin (RECORD
  "../../../bin/x", as ruff's and uv's wheels do through .data/scripts)
  is the wheel's, as its extension modules are; it was unnamed.
- a server that answers nothing: after 8 lookups in a row without an
  answer, the rest are not asked (one warning), so that a run costs a few
  --timeout, not one per lookup (200 packages at 30 s: 25 minutes).
- an SBOM that bindep-sbom wrote (into dist/, with -o, as pipelines do) is
  not read back as one the release carries: the output changed on every
  run and kept what was gone from dist/.
"""
import copy
import json
import os
import shutil
import struct
import subprocess

import ecosystems


def mounts():
    """Mount points of this machine, with their file system types."""
    found = {}
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            sep = fields.index("-")
            found[fields[4]] = fields[sep + 1]
    return found


def write_wheel(h, path, name, soname, extra=()):
    """A wheel of one extension module (soname) and its dist-info, and
    the (name, bytes) of extra."""
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(name + "/_x.so", h.elfgen.build(soname=soname)[0])
        for entry, data in extra:
            z.writestr(entry, data)
        z.writestr(name + "-1.0.dist-info/METADATA",
                   "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name)
        z.writestr(name + "-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
        z.writestr(name + "-1.0.dist-info/RECORD", "")


def register(case, h):

    def new_dir(t, name):
        return h.fresh_dir(t, "review4", name)

    @case
    def review4_kernel_fs_named(t):
        """/proc, /proc/self (a link to a directory of it) and /sys named
        as PATHs: one warning each, naming the file system; alone, exit 1
        (nothing to scan); beside a directory that is, exit 0 and only
        that directory's files in the SBOM."""
        d = new_dir(t, "named")
        with open(os.path.join(d, "libgood.so"), "wb") as f:
            f.write(h.elfgen.build(soname="libgood.so")[0])
        for path, kind in (("/proc", "proc"), ("/proc/self", "proc"),
                           ("/sys", "sysfs")):
            if not os.path.isdir(path):
                continue
            r = t.run(path, cwd=d)
            w = r.warnings()
            h.check(r.code == 1 and len(w) == 1 and
                    ("'%s'" % path) in w[0] and
                    ("a %s file system" % kind) in w[0],
                    "%s: exit %d, %d warnings: %r" % (path, r.code, len(w),
                                                      w[:3]))
            r = t.run("--root", "/", path, os.path.join(d, "libgood.so"),
                      cwd=d)
            w = r.warnings()
            h.check(r.code == 0 and len(w) == 1 and
                    ("'%s'" % path) in w[0],
                    "%s beside: %d warnings: %r" % (path, len(w), w[:3]))
            names = sorted(c["name"] for c in h.comps(r.sbom))
            h.check(names == ["libgood.so"], "%s beside: %s" % (path, names))

    @case
    def review4_kernel_fs_below(t):
        """A kernel file system mounted below a walked directory (devpts
        on /dev/pts, mqueue on /dev/mqueue): passed with a note under -v,
        no warning, exit as for the rest of the directory."""
        below = {p: fs for p, fs in mounts().items()
                 if p.startswith("/dev/") and p.count("/") == 2 and
                 fs in ("devpts", "mqueue")}
        h.check(below, "no devpts or mqueue below /dev here: %r" % mounts())
        r = t.run("-v", "-o", os.devnull, "/dev", validate_sbom=False)
        h.check(not r.warnings(), "%r" % r.warnings())
        err = r.err.decode()
        for path, fs in sorted(below.items()):
            h.check(("'%s': a %s file system" % (path, fs)) in err and
                    "skipped" in err, "%s (%s) not said: %s" % (path, fs, err))

    @case
    def review4_debug_info_not_a_binary(t):
        """A library, an executable, and their debug files in Debian's
        .build-id layout and in Fedora's (named like the library, with
        .debug): the two binaries are components, the debug files are not;
        no warning; -v says each debug file was skipped."""
        d = new_dir(t, "debug")
        src = os.path.join(d, "src")
        os.makedirs(src)
        with open(os.path.join(src, "foo.c"), "w") as f:
            f.write("int foo(void) { return 42; }\n")
        with open(os.path.join(src, "app.c"), "w") as f:
            f.write("int foo(void);\nint main(void) { return foo(); }\n")
        root = os.path.join(d, "root")
        lib = os.path.join(root, "usr/lib/libfoo.so.1")
        app = os.path.join(root, "usr/bin/app")
        for p in (lib, app):
            os.makedirs(os.path.dirname(p), exist_ok=True)
        subprocess.run(["gcc", "-g", "-shared", "-fPIC", "-Wl,-soname,libfoo.so.1",
                        "-o", lib, os.path.join(src, "foo.c")], check=True)
        subprocess.run(["gcc", "-g", "-o", app, os.path.join(src, "app.c"),
                        lib], check=True)
        debug = [os.path.join(root, "usr/lib/debug/.build-id/ab/cdef.debug"),
                 os.path.join(root, "usr/lib/debug/usr/lib/libfoo.so.1.debug"),
                 os.path.join(root, "usr/lib/debug/usr/bin/app.debug")]
        for out, of in zip(debug, (lib, lib, app)):
            os.makedirs(os.path.dirname(out), exist_ok=True)
            subprocess.run(["objcopy", "--only-keep-debug", of, out],
                           check=True)
        r = t.run("-v", "root", cwd=d)
        h.check(r.code == 0 and not r.warnings(),
                "exit %d: %r" % (r.code, r.warnings()))
        names = sorted(c["name"] for c in h.comps(r.sbom)
                       if any(loc.startswith("root/") for loc in
                              h.locations(c)))
        h.check(names == ["app", "libfoo.so.1"], names)
        err = r.err.decode()
        for out in debug:
            shown = os.path.relpath(out, d)
            h.check(("'%s': separate debug information" % shown) in err,
                    "%s not said: %s" % (shown, err))

    @case
    def review4_host_root_dangling_links(t):
        """--root / and a directory with a dangling symlink: no warning, a
        note under -v; the same directory without --root: the warning."""
        d = new_dir(t, "dangling")
        tree = os.path.join(d, "tree")
        os.makedirs(tree)
        with open(os.path.join(tree, "libgood.so"), "wb") as f:
            f.write(h.elfgen.build(soname="libgood.so")[0])
        os.symlink("../absent/src.zip", os.path.join(tree, "src.zip"))
        r = t.run("-v", "--root", "/", tree, cwd=d)
        h.check(r.code == 0 and not r.warnings(), "%r" % r.warnings())
        h.check("src.zip': dangling symlink, skipped" in r.err.decode(),
                r.err.decode())
        r = t.run("tree", cwd=d)
        h.check(any("'tree/src.zip': dangling symlink" in w
                    for w in r.warnings()), "%r" % r.warnings())

    @case
    def review4_foreign_binaries_named_like_libraries(t):
        """Mach-O (thin, both byte orders, and fat) and PE files named
        like libraries: notes naming the format; a text file so named:
        the warning."""
        d = new_dir(t, "foreign")
        macho = struct.pack("<IiiIIII", 0xFEEDFACF, 0x01000007, 3, 6, 0, 0, 0)
        files = {
            "_crcfunext.so": macho,
            "libbig.so.1": struct.pack(">IiiIIII", 0xFEEDFACE, 18, 0, 6, 0,
                                       0, 0),
            "libfat.so": struct.pack(">II", 0xCAFEBABE, 2) + macho,
            "libwin.so": (b"MZ" + bytes(58) + struct.pack("<I", 64) +
                          b"PE\0\0" + bytes(20)),
            "libmz.so": b"MZ, and no PE header after it",
            "libfake.so.2": b"not elf, not anything",
        }
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        r = t.run("-v", ".", cwd=d)
        w = r.warnings()
        h.check(r.code == 0 and len(w) == 2 and
                all("not an ELF file" in x for x in w) and
                "'./libfake.so.2'" in w[0] and "'./libmz.so'" in w[1],
                "exit %d: %r" % (r.code, w))
        err = r.err.decode()
        for name, kind in (("_crcfunext.so", "a Mach-O file"),
                           ("libbig.so.1", "a Mach-O file"),
                           ("libfat.so", "a Mach-O file"),
                           ("libwin.so", "a PE file")):
            h.check(("'./%s': %s" % (name, kind)) in err,
                    "%s: %s" % (name, err))

    @case
    def review4_readme_named_after_a_library(t):
        """libblas-dev's README.if-you-look-for-libcblas.so.3, a text: no
        warning; a text named libcblas.so.3 beside it: the warning."""
        d = new_dir(t, "readme")
        for name in ("README.if-you-look-for-libcblas.so.3", "libcblas.so.3"):
            with open(os.path.join(d, name), "w") as f:
                f.write("libcblas.so.3 is in libblas3\n")
        r = t.run(".", cwd=d)
        w = r.warnings()
        h.check(r.code == 0 and len(w) == 1 and "'./libcblas.so.3'" in w[0],
                "exit %d: %r" % (r.code, w))

    @case
    def review4_online_urls_checked_and_lists_capped(t):
        """zlib's answer: a javascript: homepage, a repository URL with a
        space, 1,000 distinct funding links and 200 maintainers. The
        SBOM keeps 64 of each, neither bad URL, and two warnings say so;
        it validates (run.py checks every SBOM against the schemas)."""
        saved = copy.deepcopy(ecosystems.PACKAGES)
        z = ecosystems.PACKAGES["pkg:github/madler/zlib"]
        z["homepage"] = "javascript:alert(1)"
        z["repository_url"] = "https://github.com/madler/zlib extra"
        z["funding_links"] = ["https://f.example/%d" % i
                              for i in range(1000)]
        z["maintainers"] = [{"login": "m%d" % i, "name": None,
                             "html_url": "https://github.com/m%d" % i}
                            for i in range(200)]
        srv = ecosystems.Server()
        try:
            r = srv.scan_golden(t, h, new_dir(t, "online-cache"))
            h.check(r.code == 0 and r.sbom is not None, r.err.decode())
            w = r.warnings()
            h.check(any("URLs in the online answers left out" in x
                        for x in w) and
                    any("funding links or maintainers in the online "
                        "answers left out: more than 64" in x for x in w),
                    "%r" % w)
            text = r.raw.decode()
            h.check("javascript:" not in text and "zlib extra" not in text,
                    "a bad URL kept")
            zlib = [c for c in h.comps(r.sbom)
                    if c["name"] == "libz.so.1"][0]
            funding = [x for x in zlib.get("externalReferences", [])
                       if x["type"] == "other" and "f.example" in x["url"]]
            h.check(0 < len(funding) <= 64, "%d funding links" % len(funding))
        finally:
            srv.stop()
            ecosystems.PACKAGES.clear()
            ecosystems.PACKAGES.update(saved)

    @case
    def review4_online_answer_of_too_many_values(t):
        """zlib's answer holds 300,000 numbers: one warning naming the
        lookup and the reason, the SBOM written, zlib still named from
        the registry."""
        saved = copy.deepcopy(ecosystems.PACKAGES)
        ecosystems.PACKAGES["pkg:github/madler/zlib"]["keywords"] = \
            [0] * 300000
        srv = ecosystems.Server()
        try:
            r = srv.scan_golden(t, h, new_dir(t, "online-values"))
            h.check(r.code == 0 and r.sbom is not None, r.err.decode())
            w = [x for x in r.warnings() if "too many values" in x]
            h.check(len(w) >= 1, "%r" % r.warnings())
            h.check("libz.so.1" in [c["name"] for c in h.comps(r.sbom)],
                    "zlib lost")
        finally:
            srv.stop()
            ecosystems.PACKAGES.clear()
            ecosystems.PACKAGES.update(saved)

    @case
    def review4_online_owner_host_is_a_name(t):
        """zlib's repository answer names its owner at hosts/../owners/x,
        then at hosts/a?admin=1&b=/owners/x: no owner lookup is made
        for either (each was a request out of /hosts/); the usual one,
        hosts/GitHub/owners/madler, still is."""
        saved = copy.deepcopy(ecosystems.REPOS)
        repo = ecosystems.REPOS["https://github.com/madler/zlib"]
        srv = ecosystems.Server()
        try:
            for owner_url, asked in (
                    ("http://x/api/v1/hosts/../owners/x", False),
                    ("http://x/api/v1/hosts/a?admin=1&b=/owners/x", False),
                    ("https://repos.ecosyste.ms/api/v1/hosts/GitHub/owners/"
                     "madler", True)):
                repo["owner_url"] = owner_url
                srv.reset()
                r = srv.scan_golden(t, h, new_dir(t, "online-owner"))
                h.check(r.code == 0, r.err.decode())
                paths = [str(x) for x in srv.log]
                owners = [p for p in paths if "owners/x" in p or
                          "admin" in p or "owners/madler" in p]
                h.check(bool(owners) == asked, "%s: %r" % (owner_url, owners))
        finally:
            srv.stop()
            ecosystems.REPOS.clear()
            ecosystems.REPOS.update(saved)

    def libfoo_root(t, name, version, package=b"libfoo1"):
        """A root whose dpkg database has package (libfoo1; version:
        bytes) own /usr/lib/x86_64-linux-gnu/libfoo.so.1."""
        root = new_dir(t, name)
        lib = "usr/lib/x86_64-linux-gnu/libfoo.so.1"
        os.makedirs(os.path.join(root, os.path.dirname(lib)))
        with open(os.path.join(root, lib), "wb") as f:
            f.write(h.elfgen.build(soname="libfoo.so.1")[0])
        info = os.path.join(root, "var/lib/dpkg/info")
        os.makedirs(info)
        with open(os.path.join(root, "var/lib/dpkg/status"), "wb") as f:
            f.write(b"Package: %s\nStatus: install ok installed\n"
                    b"Architecture: amd64\nMulti-Arch: same\n"
                    b"Version: %s\n\n"
                    % (package, version))
        with open(os.path.join(info, package.decode() + ":amd64.list"),
                  "w") as f:
            f.write("/" + lib + "\n")
        return root

    @case
    def review4_dpkg_version_not_utf8_said(t):
        """A dpkg package whose Version is not UTF-8 makes no purl: the
        library it owns is left unnamed, and one warning says why (it
        was silent)."""
        root = libfoo_root(t, "dpkg-utf8", b"1.0-\xff1")
        r = t.run("--root", root, "-o", os.path.join(root, "out.json"),
                  validate_sbom=False)
        w = r.warnings()
        h.check(r.code == 0 and len(w) == 1 and "'libfoo1'" in w[0] and
                "makes no purl" in w[0], "exit %d: %r" % (r.code, w))

    @case
    def review4_dpkg_empty_name_said(t):
        """A package of an empty name makes no purl either: its warning
        gives the purl's reason, not "not UTF-8" (it did)."""
        root = libfoo_root(t, "dpkg-noname", b"1.0", package=b"")
        r = t.run("--root", root, "-o", os.path.join(root, "out.json"))
        w = r.warnings()
        h.check(r.code == 0 and w == [
            "bindep-sbom: warning: '/var/lib/dpkg/status': package '' "
            "version '1.0' makes no purl (purl needs a name): its files "
            "are not named by it"], "exit %d: %r" % (r.code, w))

    @case
    def review4_dpkg_version_past_purl_limit_said(t):
        """A dpkg Version that makes a purl longer than 64 KiB is one
        warning (its text cut short), the library left unnamed, and the
        SBOM written: it ended the run with "out of memory" and no SBOM in
        any format (found by a review of the views)."""
        root = libfoo_root(t, "dpkg-long", b"1." + b"2" * 70000)
        for fmt in ("cyclonedx", "summary"):
            r = t.run("--root", root, "--format", fmt, validate_sbom=False)
            w = r.warnings()
            h.check(r.code == 0 and (r.raw or r.out) and len(w) == 1 and
                    "'libfoo1'" in w[0] and "makes no purl" in w[0] and
                    len(w[0]) < 400, "%s: exit %d: %r" % (fmt, r.code,
                                                          [x[:300] for x in w]))

    @case
    def review4_wheel_script_in_venv_bin(t):
        """venv/bin/tooly, listed by tooly's RECORD as ../../../bin/tooly
        (site-packages and dist-packages both), and a program in bin that
        no RECORD lists: the first is pkg:pypi/tooly@1.2.3 (as its
        extension module), the second stays unnamed."""
        for packages in ("site-packages", "dist-packages"):
            d = new_dir(t, "venv-" + packages)
            sp = os.path.join(d, "venv/lib/python3.11", packages)
            di = os.path.join(sp, "tooly-1.2.3.dist-info")
            os.makedirs(di)
            os.makedirs(os.path.join(sp, "tooly"))
            os.makedirs(os.path.join(d, "venv/bin"))
            with open(os.path.join(di, "METADATA"), "w") as f:
                f.write("Metadata-Version: 2.1\nName: tooly\n"
                        "Version: 1.2.3\n")
            with open(os.path.join(di, "RECORD"), "w") as f:
                f.write("../../../bin/tooly,sha256=x,1\n"
                        "tooly/_native.so,sha256=x,1\n"
                        "tooly-1.2.3.dist-info/RECORD,,\n")
            for path, soname in (("venv/bin/tooly", "tooly-prog"),
                                 ("venv/bin/other", "other-prog"),
                                 (os.path.join(sp, "tooly/_native.so"),
                                  "_native.so")):
                with open(os.path.join(d, path), "wb") as f:
                    f.write(h.elfgen.build(soname=soname)[0])
            r = t.run("venv", cwd=d)
            h.check(r.code == 0, r.err.decode())
            purls = {os.path.basename(h.locations(c)[0]): c.get("purl")
                     for c in h.comps(r.sbom) if h.locations(c)}
            h.check(purls.get("tooly") == "pkg:pypi/tooly@1.2.3" and
                    purls.get("_native.so") == "pkg:pypi/tooly@1.2.3" and
                    purls.get("other") is None,
                    "%s: %r" % (packages, purls))

    @case
    @h.waits
    def review4_online_silent_server_not_asked_again(t):
        """20 Debian packages, each a lookup, and a server that answers
        none within --timeout 1: at most 8 + 4 requests reach it (8 in a
        row without an answer, 4 at once), the rest are not asked, one
        warning counts them, and the SBOM is written."""
        root = h.debian_root(new_dir(t, "silent"), 20, source=False)
        srv = ecosystems.Server()
        try:
            srv.reset("slow")
            cache = new_dir(t, "silent-cache")
            shutil.rmtree(cache, ignore_errors=True)
            r = t.run("--online", "--timeout", "1", "--packages-api",
                      srv.api, "--repos-api", srv.api, "--cache-dir", cache,
                      "--root", root)
            h.check(r.code == 0 and r.sbom is not None, r.err.decode())
            asked = len(srv.log)
            h.check(asked <= 12, "%d requests reached the server" % asked)
            w = [x for x in r.warnings() if "not asked" in x]
            h.check(len(w) == 1, "%r" % r.warnings())
        finally:
            srv.stop()

    @case
    def review4_program_posing_as_debug_info(t):
        """A PIE whose executable PT_LOAD and PT_DYNAMIC are set to no
        file bytes, its .dynamic still in the file inside the RW PT_LOAD:
        ld.so reads the main program's dynamic section from memory
        (rtld.c) and loads its DT_NEEDED. It is a program, with its
        needed library, not "separate debug information"."""
        d = new_dir(t, "posing")
        for name, text in (("evil.c", "int evil(void) { return 1; }\n"),
                           ("main.c", "int evil(void);\n"
                            "int main(void) { return evil(); }\n")):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        os.makedirs(os.path.join(d, "sys"))
        os.makedirs(os.path.join(d, "app"))
        subprocess.run(["gcc", "-shared", "-fPIC", "-o", "sys/libevil.so.1",
                        "-Wl,-soname,libevil.so.1", "evil.c"], cwd=d,
                       check=True)
        subprocess.run(["gcc", "-o", "prog", "main.c", "-Lsys",
                        "-l:libevil.so.1"], cwd=d, check=True)
        data = bytearray(open(os.path.join(d, "prog"), "rb").read())
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        for i in range(phnum):
            o = phoff + i * phentsize
            ptype, flags = struct.unpack_from("<II", data, o)
            if (ptype == 1 and flags & 1) or ptype == 2:
                struct.pack_into("<Q", data, o + 32, 0)
        with open(os.path.join(d, "app", "prog"), "wb") as f:
            f.write(data)
        r = t.run("--library-path", os.path.join(d, "sys"), "app", cwd=d)
        h.check(r.code == 0 and r.sbom is not None, r.err.decode())
        names = sorted(c["name"] for c in h.comps(r.sbom))
        h.check("prog" in names and "libevil.so.1" in names, names)

    @case
    def review4_own_sbom_not_read_back(t):
        """-o dist/sbom.cdx.json dist/ three times, then as SPDX to
        dist/x.spdx.json: the same bytes each time, and after the wheel is
        removed from dist/, nothing of it in the SBOM."""
        d = new_dir(t, "self")
        dist = os.path.join(d, "dist")
        os.makedirs(dist)
        with open(os.path.join(dist, "lib.so"), "wb") as f:
            f.write(h.elfgen.build(soname="libself.so.1")[0])
        write_wheel(h, os.path.join(
            dist, "gone_pkg-1.0-py3-none-linux_x86_64.whl"), "gone_pkg",
            "libgone.so.1")
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        out = os.path.join(dist, "sbom.cdx.json")
        digests = []
        for _ in range(3):
            r = t.run("-o", out, "dist", cwd=d, env=env,
                      validate_sbom=False)
            h.check(r.code == 0, r.err.decode())
            with open(out, "rb") as f:
                digests.append(f.read())
        h.check(digests[0] == digests[1] == digests[2],
                "the output changed from run to run")
        r = t.run("-f", "spdx", "-o", os.path.join(dist, "x.spdx.json"),
                  "dist", cwd=d, env=env, validate_sbom=False)
        h.check(r.code == 0, r.err.decode())
        os.unlink(os.path.join(dist, "gone_pkg-1.0-py3-none-linux_x86_64.whl"))
        r = t.run("-o", out, "dist", cwd=d, env=env, validate_sbom=False)
        with open(out) as f:
            text = f.read()
        h.check("gone_pkg" not in text and "libgone" not in text,
                "the removed wheel is still in the SBOM")

    @case
    def review4_output_is_not_an_input(t):
        """-o naming a PATH given (or a link to it): exit 2 and the file
        untouched; it was replaced by the SBOM, exit 0."""
        d = new_dir(t, "outin")
        data = h.elfgen.build(soname="libkeep.so.1")[0]
        with open(os.path.join(d, "libkeep.so.1"), "wb") as f:
            f.write(data)
        os.symlink("libkeep.so.1", os.path.join(d, "link.so"))
        for out in ("libkeep.so.1", "link.so"):
            r = t.run("-o", out, "libkeep.so.1", cwd=d, validate_sbom=False)
            with open(os.path.join(d, "libkeep.so.1"), "rb") as f:
                kept = f.read() == data
            h.check(r.code == 2 and kept and "would replace" in
                    r.err.decode(), "%s: exit %d, kept %s: %s"
                    % (out, r.code, kept, r.err.decode()))

    @case
    def review4_output_is_not_a_file_described(t):
        """-o naming a file the scan read inside a directory given (an
        ELF file, a wheel), or one the search found (a library in the
        root): exit 2, the file untouched, nothing written. A slip of tab
        completion (-o dist/mytool dist/) replaced the release file with
        its own SBOM, exit 0. Our own earlier SBOM there, and another
        file that is none of the release's, are still replaced."""
        d = new_dir(t, "outdescribed")
        dist = os.path.join(d, "dist")
        os.makedirs(os.path.join(dist, "lib"))
        tool = h.elfgen.build(etype=h.elfgen.ET_EXEC,
                              needed=["libdep.so.1"],
                              runpath="$ORIGIN/lib")[0]
        files = {"mytool": tool,
                 "lib/libdep.so.1": h.elfgen.build(soname="libdep.so.1")[0]}
        for name, data in files.items():
            with open(os.path.join(dist, name), "wb") as f:
                f.write(data)
        write_wheel(h, os.path.join(dist, "w_pkg-1.0-py3-none-any.whl"),
                    "w_pkg", "libw.so.1")
        with open(os.path.join(dist, "w_pkg-1.0-py3-none-any.whl"),
                  "rb") as f:
            files["w_pkg-1.0-py3-none-any.whl"] = f.read()
        for out, given in (("dist/mytool", "dist"),
                           ("dist/lib/libdep.so.1", "dist"),
                           ("dist/w_pkg-1.0-py3-none-any.whl", "dist"),
                           ("dist/lib/libdep.so.1", "dist/mytool")):
            r = t.run("-o", out, given, cwd=d, validate_sbom=False)
            with open(os.path.join(d, out), "rb") as f:
                kept = f.read() == files[out[len("dist/"):]]
            left = sorted(set(os.listdir(dist)) - {
                "mytool", "lib", "w_pkg-1.0-py3-none-any.whl"}) + sorted(
                set(os.listdir(os.path.join(dist, "lib"))) - {"libdep.so.1"})
            h.check(r.code == 2 and kept and not left and
                    "the SBOM describes" in r.err.decode(),
                    "-o %s %s: exit %d, kept %s, left %r: %s"
                    % (out, given, r.code, kept, left, r.err.decode()))
        # Our earlier SBOM in the tree, and a file of no component.
        for out in ("dist/sbom.cdx.json", "dist/notes.txt"):
            with open(os.path.join(d, out), "w") as f:
                f.write("not yet\n")
            for _ in range(2):
                r = t.run("-o", out, "dist", cwd=d, validate_sbom=False)
                h.check(r.code == 0, "-o %s: exit %d: %s"
                        % (out, r.code, r.err.decode()))
            with open(os.path.join(d, out)) as f:
                h.check(json.load(f)["bomFormat"] == "CycloneDX", out)

    @case
    @h.waits
    def review4_signal_while_writing_leaves_no_temporary(t):
        """SIGINT or SIGTERM while the SBOM is written to a named
        temporary (a file system without O_TMPFILE; here, no /proc to name
        an unnamed one by): the temporary is removed, the file it would
        have replaced is left as it was, and the run ends by the signal.
        The temporary was left half written beside the output; so was
        -o's trial temporary, before the scan. strace holds up each write
        (or the trial's lseek, between its creation and its removal) a
        second for the signal to come then.
        Skipped without unshare or strace, or where the binary cannot run
        without /proc (the sanitizers' and valgrind's runtimes read it)."""
        import signal
        import time
        if not (shutil.which("unshare") and shutil.which("strace")):
            print("# skipped: no unshare or strace")
            return
        no_proc = ["unshare", "-m", "sh", "-c",
                   'umount -l /proc && test ! -e /proc/self && exec "$@"',
                   "sh"] + t.wrapper + [t.binary]
        if subprocess.run(no_proc + ["--version"],
                          capture_output=True).returncode != 0:
            print("# skipped: cannot run without /proc here")
            return
        d = new_dir(t, "sigwrite")
        dist = os.path.join(d, "dist")
        os.makedirs(dist)
        with open(os.path.join(dist, "libs.so.1"), "wb") as f:
            f.write(h.elfgen.build(soname="libs.so.1")[0])
        out = os.path.join(d, "out.json")

        def held_temporary(p):
            """The tool's pid once a temporary beside out has stayed for
            0.2 s (held up by strace: -o's trial before the scan lives for
            microseconds otherwise)."""
            seen, deadline = None, time.monotonic() + 60
            while time.monotonic() < deadline and p.poll() is None:
                temps = [n for n in os.listdir(d) if n.startswith("out.json.")]
                if temps and temps == seen:
                    break
                seen = temps or None
                time.sleep(0.2)
            for pid in (n for n in os.listdir("/proc") if n.isdigit()):
                try:
                    with open("/proc/%s/cmdline" % pid, "rb") as f:
                        argv = f.read().split(b"\0")
                except OSError:
                    continue
                if seen and out.encode() in argv and \
                        argv[0] != b"strace" and b"unshare" not in argv[0]:
                    return int(pid)
            return None

        def started_with(ignored):
            """The tool's start: SIGINT and SIGTERM at their default, or
            SIGINT ignored. A job a non-interactive shell puts in the
            background (`run.py ... &` in a script) starts with SIGINT and
            SIGQUIT ignored, and the tool keeps a signal ignored at its
            start ignored, as nohup asks: the case had failed there, the
            run ending 0 with its SBOM written."""
            def reset():
                signal.signal(signal.SIGINT, signal.SIG_IGN if ignored
                              else signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
            return reset

        # While the SBOM is written (each write held up a second), and
        # during -o's trial before the scan (held up after its creation):
        # the first ends with "interrupted", the second before anything.
        # SIGINT ignored at the start stays ignored: the run ends as if
        # none had come, the SBOM written.
        for sig, held, said, ignored in (
                (signal.SIGINT, "write", True, False),
                (signal.SIGTERM, "write", True, False),
                (signal.SIGINT, "lseek", False, False),
                (signal.SIGINT, "write", False, True)):
            with open(out, "w") as f:
                f.write("old\n")
            p = subprocess.Popen(
                ["strace", "-f", "-qq", "-o", os.devnull, "-e",
                 "trace=" + held, "-e",
                 "inject=%s:delay_enter=1000000" % held] +
                no_proc + ["-q", "-o", out, dist],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                preexec_fn=started_with(ignored))
            target = held_temporary(p)
            h.check(target is not None, "%s: no temporary seen: %r"
                    % (held, os.listdir(d)))
            os.kill(target, sig)
            _, err = p.communicate(timeout=120)
            with open(out) as f:
                kept = f.read() == "old\n"
            left = sorted(os.listdir(d))
            h.check((p.returncode, kept) == ((0, False) if ignored else
                                             (-sig, True)) and
                    left == ["dist", "out.json"] and
                    (b"interrupted" in err) == said,
                    "%s in %s%s: exit %d, kept %s, left %r: %s"
                    % (sig.name, held, " (ignored)" if ignored else "",
                       p.returncode, kept, left, err[-400:]))

    @case
    def review4_output_checked_before_the_scan(t):
        """-o into a directory that does not exist, or naming a
        directory, fails before the scan (exit 1, said once, the scan's
        own warnings never come): it was said only after the whole scan,
        a long one in CI. A file that can be written is left as it was
        until the SBOM replaces it."""
        d = new_dir(t, "outearly")
        os.makedirs(os.path.join(d, "dist"))
        with open(os.path.join(d, "dist", "libbad.so"), "wb") as f:
            f.write(b"\x7fELF\x02\x01\x01" + b"\xff" * 40)
        for out, why in (("missing/sbom.json", "cannot open its directory"),
                         ("sub", "Is a directory"),
                         ("dist", "Is a directory")):
            os.makedirs(os.path.join(d, "sub"), exist_ok=True)
            r = t.run("-o", out, "dist", cwd=d, validate_sbom=False)
            err = r.err.decode()
            h.check(r.code == 1 and why in err and "libbad" not in err and
                    err.count("error:") == 1,
                    "-o %s: exit %d: %s" % (out, r.code, err))
        r = t.run("-o", "sbom.json", "dist", cwd=d, validate_sbom=False)
        h.check(r.code == 0 and "libbad" in r.err.decode(),
                "exit %d: %s" % (r.code, r.err.decode()))

    @case
    def review4_help_and_version_say_a_failed_write(t):
        """--help and --version that cannot be written (standard output
        closed, or full) say so, exit 1: they exited 1 without a word."""
        for args in (["--version"], ["--help"]):
            for how in ("exec >&-", "exec >/dev/full"):
                p = subprocess.run(["sh", "-c", how + ' && exec "$@"', "sh"] +
                                   t.wrapper + [t.binary] + args,
                                   capture_output=True)
                h.check(p.returncode == 1 and p.stderr.startswith(
                    b"bindep-sbom: error: '<stdout>': cannot write: "),
                    "%s %s: exit %d: %r" % (how, args, p.returncode,
                                            p.stderr))

    @case
    def review4_attach_dir_is_not_the_input_dir(t):
        """--attach --attach-dir naming the wheel's own directory: the
        wheel is left as it is, and the run fails saying so (it was
        replaced, exit 0)."""
        d = new_dir(t, "attachdir")
        wheel = os.path.join(d, "keep_pkg-1.0-py3-none-linux_x86_64.whl")
        write_wheel(h, wheel, "keep_pkg", "libkeep.so.1")
        with open(wheel, "rb") as f:
            before = f.read()
        r = t.run("--attach", "--attach-dir", d, "-o", os.devnull, wheel,
                  validate_sbom=False)
        with open(wheel, "rb") as f:
            after = f.read()
        h.check(r.code == 1 and before == after and
                "--attach-dir is where it is" in r.err.decode(),
                "exit %d, kept %s: %s" % (r.code, before == after,
                                          r.err.decode()))

    @case
    def review4_carried_claims_stay_in_their_wheel(t):
        """Wheels good and evil bundle the same library (one component);
        evil's own SBOM names it by its SHA-256 as an attacker's package.
        The shared library keeps what the scan says (good's too), and
        good's attached SBOM does not take evil's claim."""
        import hashlib
        import zipfile
        d = new_dir(t, "cross")
        lib = h.elfgen.build(soname="libshared.so.1")[0]
        digest = hashlib.sha256(lib).hexdigest()
        claim = json.dumps({
            "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "components": [{
                "type": "library", "name": "evil-lib", "version": "6.6.6",
                "purl": "pkg:generic/attacker/evil-lib@6.6.6",
                "hashes": [{"alg": "SHA-256", "content": digest}]}]})
        wheels = []
        for name, sboms in (("good", []), ("evil", [
                ("evil-1.0.dist-info/sboms/evil.cdx.json", claim)])):
            path = os.path.join(d, "%s-1.0-py3-none-linux_x86_64.whl" % name)
            write_wheel(h, path, name, "lib%s.so.1" % name,
                        [(name + ".libs/libshared.so.1", lib)] + sboms)
            wheels.append(path)
        out = os.path.join(d, "out")
        os.makedirs(out)
        r = t.run("--attach", "--attach-dir", out, *wheels, cwd=d)
        h.check(r.code == 0 and r.sbom is not None, r.err.decode())
        shared = [c for c in h.comps(r.sbom) if c["name"] == "libshared.so.1"
                  and any(x.get("content") == digest
                          for x in c.get("hashes", []))]
        h.check(shared and all("evil-lib" not in (c.get("purl") or "")
                               for c in shared), "%r" % shared)
        with zipfile.ZipFile(os.path.join(
                out, "good-1.0-py3-none-linux_x86_64.whl")) as z:
            attached = z.read("good-1.0.dist-info/sboms/bindep-sbom.cdx.json")
        h.check(b"attacker" not in attached, "good's SBOM took evil's claim")

    @case
    def attach_shared_library_is_each_wheel_s_own(t):
        """Wheels alpha and beta vendor one library, byte for byte: one
        component, named a file of the wheel read first. In each wheel's
        own SBOM it is a file of that wheel: beta's said pkg:pypi/alpha."""
        import zipfile
        d = new_dir(t, "shared-own")
        lib = h.elfgen.build(soname="libshared.so.1")[0]
        wheels = []
        for name in ("alpha", "beta"):
            path = os.path.join(d, "%s-1.0-py3-none-linux_x86_64.whl" % name)
            write_wheel(h, path, name, "lib%s.so.1" % name,
                        [(name + ".libs/libshared.so.1", lib)])
            wheels.append(path)
        out = os.path.join(d, "out")
        os.makedirs(out)
        r = t.run("--attach", "--attach-dir", out, *wheels, cwd=d)
        h.check(r.code == 0, r.err.decode())
        for name in ("alpha", "beta"):
            with zipfile.ZipFile(os.path.join(
                    out, "%s-1.0-py3-none-linux_x86_64.whl" % name)) as z:
                sbom = json.loads(z.read(
                    "%s-1.0.dist-info/sboms/bindep-sbom.cdx.json" % name))
            shared = [c for c in h.comps(sbom)
                      if c["name"] == "libshared.so.1"]
            want = "pkg:pypi/%s@1.0" % name
            h.check(len(shared) == 1 and shared[0].get("purl") == want and
                    h.props(shared[0], "bindep:bundled-in") == [want],
                    "%s: %r" % (name, shared))
            other = b"beta" if name == "alpha" else b"alpha"
            h.check(other not in json.dumps(sbom).encode(),
                    "%s's SBOM names %r" % (name, other))

    @case
    def review4_attach_keeps_owner_drops_setuid(t):
        """A wheel of mode 6777 (owned by uid 1234 when run as root)
        attached in place: it keeps its owner, and loses the setuid and
        setgid bits (as root, it became root's, 6777)."""
        d = new_dir(t, "owner")
        wheel = os.path.join(d, "own_pkg-1.0-py3-none-linux_x86_64.whl")
        write_wheel(h, wheel, "own_pkg", "libown.so.1")
        os.chmod(wheel, 0o6777)
        root = os.geteuid() == 0
        if root:
            os.chown(wheel, 1234, 1234)
        r = t.run("--attach", "-o", os.devnull, wheel, validate_sbom=False)
        st = os.stat(wheel)
        h.check(r.code == 0, r.err.decode())
        h.check(st.st_mode & 0o7777 == 0o777, "mode %o" % st.st_mode)
        h.check(not root or (st.st_uid, st.st_gid) == (1234, 1234),
                "owner %d:%d" % (st.st_uid, st.st_gid))

    @case
    def review4_attach_dir_same_name_twice(t):
        """--attach-dir OUT a/x.whl b/x.whl: a's is written, b's is refused
        with an error (it replaced a's, exit 0)."""
        d = new_dir(t, "samename")
        name = "same_pkg-1.0-py3-none-linux_x86_64.whl"
        wheels = []
        for sub, so in (("a", "liba.so.1"), ("b", "libb.so.1")):
            os.makedirs(os.path.join(d, sub))
            wheels.append(os.path.join(d, sub, name))
            write_wheel(h, wheels[-1], "same_pkg", so)
        out = os.path.join(d, "out")
        os.makedirs(out)
        r = t.run("--attach", "--attach-dir", out, "-o", os.devnull,
                  *wheels, validate_sbom=False)
        import zipfile
        with zipfile.ZipFile(os.path.join(out, name)) as z:
            theirs = z.read("same_pkg/_x.so")
        h.check(r.code == 1 and "written into" in r.err.decode() and
                b"liba.so.1" in theirs, "exit %d: %s" % (r.code,
                                                        r.err.decode()))

    @case
    def review4_attach_not_through_a_symlink(t):
        """--attach dist/ where dist/x.whl links to a wheel elsewhere: the
        wheel elsewhere is left as it is, with one warning; the same
        link given as a PATH is followed, as a PATH always is."""
        d = new_dir(t, "attachlink")
        os.makedirs(os.path.join(d, "dist"))
        os.makedirs(os.path.join(d, "elsewhere"))
        name = "far_pkg-1.0-py3-none-linux_x86_64.whl"
        far = os.path.join(d, "elsewhere", name)
        write_wheel(h, far, "far_pkg", "libfar.so.1")
        with open(far, "rb") as f:
            before = f.read()
        os.symlink("../elsewhere/" + name, os.path.join(d, "dist", name))
        r = t.run("--attach", "-o", os.devnull, "dist", cwd=d,
                  validate_sbom=False)
        with open(far, "rb") as f:
            kept = f.read() == before
        w = r.warnings()
        h.check(r.code == 0 and kept and len(w) == 1 and
                "a symlink below the PATH" in w[0],
                "exit %d, kept %s: %r" % (r.code, kept, w))
        r = t.run("--attach", "-o", os.devnull, os.path.join("dist", name),
                  cwd=d, validate_sbom=False)
        with open(far, "rb") as f:
            h.check(r.code == 0 and f.read() != before, r.err.decode())

    @case
    def review4_attach_refuses_a_blocked_sboms(t):
        """A wheel whose dist-info has a file named 'sboms', or an entry
        below sboms/bindep-sbom.cdx.json: adding the SBOM would make it
        uninstallable (pip: ENOTDIR, EISDIR); it is refused, untouched."""
        for i, entry in enumerate(("blk_pkg-1.0.dist-info/sboms",
                                   "blk_pkg-1.0.dist-info/sboms/"
                                   "bindep-sbom.cdx.json/x")):
            d = new_dir(t, "blocked-%d" % i)
            wheel = os.path.join(d, "blk_pkg-1.0-py3-none-linux_x86_64.whl")
            write_wheel(h, wheel, "blk_pkg", "libblk.so.1",
                        [(entry, b"x")])
            with open(wheel, "rb") as f:
                before = f.read()
            r = t.run("--attach", "-o", os.devnull, wheel,
                      validate_sbom=False)
            with open(wheel, "rb") as f:
                kept = f.read() == before
            h.check(r.code == 1 and kept and "would not install" in
                    r.err.decode(), "%s: exit %d, kept %s" % (entry, r.code,
                                                           kept))

    @case
    def review4_unreadable_path_fails_the_run(t):
        """As an unprivileged user, a PATH of mode 000 (an ELF file, a
        .tgz) is one warning, and when it is the only PATH the run fails
        (exit 1), --strict or not; beside a readable PATH, exit 0. (Root
        reads any file: the case runs the tool as nobody.)"""
        if os.geteuid() != 0 or not shutil.which("setpriv"):
            return  # as nobody, by setpriv: root's run only
        d = new_dir(t, "unreadable")
        os.chmod(d, 0o755)
        data = h.elfgen.build(soname="libok.so.1")[0]
        for name in ("libok.so.1", "libsecret.so.1", "hidden.tgz"):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        os.chmod(os.path.join(d, "libsecret.so.1"), 0)
        os.chmod(os.path.join(d, "hidden.tgz"), 0)
        binary = os.path.realpath(t.binary)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534",
                  "--clear-groups", binary]
        for args, code in ((["--strict", "libsecret.so.1"], 1),
                           (["hidden.tgz"], 1),
                           (["libsecret.so.1", "libok.so.1"], 0)):
            p = subprocess.run(nobody + ["-o", "/dev/null"] + args, cwd=d,
                               capture_output=True)
            err = p.stderr.decode()
            h.check(p.returncode == code and
                    "cannot open: Permission denied" in err,
                    "%r: exit %d: %s" % (args, p.returncode, err))

    @case
    def review4_dynamic_without_strings_needs_no_string_table(t):
        """Guile's compiled .go files are ELF (OS ABI 0xff, no machine)
        with a dynamic section of Guile's own tags and DT_INIT, linked to
        no string table (sh_link 0): nothing in them names a string. No
        warning (guile-3.0-libs gave 331, one per .go), no bindep:error;
        nor for such a table read through its segment (no section
        headers). A table that names a string and has none still warns."""
        d = new_dir(t, "nostrings")
        dt_init = 12
        guile = [(0x37146003, 0x3000006), (0x37146002, 0xe8),
                 (dt_init, 0x488)]
        data, lay = h.elfgen.build(machine=0, extra_dyn=guile)
        data[7] = 0xFF  # EI_OSABI: standalone
        # .dynamic's sh_link (the section after .dynstr) to 0.
        sh = lay.shoff + lay.dynamic_index * 64
        data[sh + 40:sh + 44] = b"\0\0\0\0"
        with open(os.path.join(d, "list.go"), "wb") as f:
            f.write(data)
        # Without section headers: DT_STRTAB and DT_STRSZ turned into
        # DT_INIT, so the segment names no string table either.
        data, lay = h.elfgen.build(machine=0, extra_dyn=guile,
                                   sections=False)
        for i, (tag, _) in enumerate(lay.dyn_entries):
            if tag in (h.elfgen.DT_STRTAB, h.elfgen.DT_STRSZ):
                at = lay.dynamic + 16 * i
                data[at:at + 8] = struct.pack("<q", dt_init)
        with open(os.path.join(d, "boot-9.go"), "wb") as f:
            f.write(data)
        r = t.run("list.go", "boot-9.go", cwd=d)
        h.check(r.code == 0 and not r.warnings(),
                "exit %d: %r" % (r.code, r.warnings()))
        got = sorted((c["name"], h.props(c, "bindep:error"))
                     for c in h.comps(r.sbom))
        h.check(got == [("boot-9.go", []), ("list.go", [])], got)
        # One that needs a library and links to section 0: the warning.
        data, lay = h.elfgen.build(needed=["libc.so.6"])
        sh = lay.shoff + lay.dynamic_index * 64
        data[sh + 40:sh + 44] = b"\0\0\0\0"
        with open(os.path.join(d, "libbad.so"), "wb") as f:
            f.write(data)
        r = t.run("libbad.so", cwd=d)
        h.check(any("'libbad.so': dynamic section links to section 0, "
                    "which is no string table" in w for w in r.warnings()),
                "%r" % r.warnings())
