"""End-to-end cases of identification (registered by run.py)."""
import os
import shutil
import subprocess
import urllib.parse

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
        rtld = h.by_name(s, "libc.musl-x86_64.so.1")
        h.check(rtld["purl"].startswith("pkg:apk/alpine/musl@1.2.5-r0"), rtld["purl"])
