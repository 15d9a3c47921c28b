"""End-to-end cases of dpkg's database, made by dpkg itself (registered by
run.py): packages built with dpkg-deb and installed with dpkg --root into
a fresh root (the test runs dpkg; the tool never does), the tool's owners
then compared with what dpkg-query says of the same root."""
import os
import shutil
import subprocess

import cases_license_strings as LS
import elfgen as E
import input_image_fixtures as F

LIB = "/usr/lib/x86_64-linux-gnu"
# dpkg into a fresh root, as any user: maintainer scripts run on the host
# (no chroot into a root without a shell), no PATH check of its tools.
DPKG = ("dpkg", "--force-not-root", "--force-script-chrootless",
        "--force-bad-path", "--log=/dev/null")


def register(case, h):

    def deb(d, name, version, files, control="", postinst=None, arch="amd64",
            needed=(), extra=None):
        """A .deb built by dpkg-deb: files maps a path to a soname (an
        ELF library made there, needing needed); extra maps a path to its
        text, or to ("->", target) for a symlink."""
        src = os.path.join(d, "src-%s-%s-%s" % (name, version.replace(":", "_"),
                                                arch))
        os.makedirs(os.path.join(src, "DEBIAN"))
        with open(os.path.join(src, "DEBIAN", "control"), "w") as f:
            f.write("Package: %s\nVersion: %s\nArchitecture: %s\n"
                    "Maintainer: t <t@example.org>\nDescription: t\n%s"
                    % (name, version, arch, control))
        if postinst:
            path = os.path.join(src, "DEBIAN", "postinst")
            with open(path, "w") as f:
                f.write(postinst)
            os.chmod(path, 0o755)
        for path, soname in files.items():
            h.put_elf(src, path, soname, needed=list(needed))
        for path, data in (extra or {}).items():
            if isinstance(data, tuple):
                h.put_link(src, path, data[1])
            else:
                h.put_file(src, path, data)
        out = os.path.join(d, "%s_%s_%s.deb" % (name, version.replace(":", "_"),
                                                arch))
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build",
                        src, out], check=True, capture_output=True)
        return out

    def empty_root(d):
        root = os.path.join(d, "root")
        for sub in ("info", "updates"):
            os.makedirs(os.path.join(root, "var/lib/dpkg", sub))
        open(os.path.join(root, "var/lib/dpkg/status"), "w").close()
        return root

    def dpkg(root, *args, check=True):
        return subprocess.run(DPKG + ("--root=" + root,) + args,
                              capture_output=True, text=True, check=check)

    def query(root, *args):
        """dpkg-query's answer for the root's database."""
        return subprocess.run(
            ["dpkg-query", "--admindir=" + os.path.join(root, "var/lib/dpkg")]
            + list(args), capture_output=True, text=True).stdout

    def owners(t, root, paths):
        """{path: purl or None} as the tool says, for files in the root."""
        r = t.run("--root", root, *(os.path.join(root, p.lstrip("/"))
                                     for p in paths))
        h.check(r.code == 0, r.err)
        got = {}
        for c in h.comps(r.sbom):
            for loc in h.locations(c):
                for p in paths:
                    if loc.endswith(p):
                        got[p] = c.get("purl")
        return got, r

    def interrupted_root(t, d):
        """A root left by a dpkg run killed while configuring (a postinst
        kills it): libj1 upgraded 1.0-1 -> 2.0-1, half-configured, and
        libk1 1:3.0-1 new, unpacked, both in the journal only."""
        root = empty_root(d)
        so = {LIB + "/libj.so.1": "libj.so.1"}
        dpkg(root, "-i", deb(d, "libj1", "1.0-1", so))
        killer = "#!/bin/sh\nkill -9 $PPID\n"
        r = dpkg(root, "-i", deb(d, "libj1", "2.0-1", so, postinst=killer),
                 deb(d, "libk1", "1:3.0-1", {LIB + "/libk.so.1": "libk.so.1"}),
                 check=False)
        h.check(r.returncode != 0, "dpkg was not killed: %s" % r.stdout)
        return root

    def image_of(root, out):
        """An OCI layout of one layer holding the root's tree."""
        entries = []
        for top, dirs, files in os.walk(root):
            dirs.sort()
            rel = os.path.relpath(top, root)
            if rel != ".":
                entries.append((rel + "/", "d", None))
            for name in sorted(files):
                path = os.path.join(top, name)
                with open(path, "rb") as f:
                    entries.append((os.path.relpath(path, root), "f", f.read()))
        files = {}
        F.layout(files, [(F.tar(entries), True)], "1.0")
        shutil.rmtree(out, ignore_errors=True)
        F.write_dir(out, files)
        return out

    @case
    def dpkg_updates_journal_read_as_dpkg_does(t):
        """dpkg journals each change of a package's state in
        var/lib/dpkg/updates/NNNN and folds them into status at its next
        checkpoint; a root saved while dpkg ran (killed here by a
        postinst) has them, and dpkg-query reads status and then each of
        them, in order. libj1, upgraded 1.0-1 -> 2.0-1 and killed while
        configuring, is 2.0-1 (half-configured); libk1, new, unpacked in
        the same run, is in no status stanza. The tool said libj1 1.0-1
        and libk1's library owned by nobody."""
        d = h.fresh_dir(t, "dpkg", "journal")
        root = interrupted_root(t, d)
        updates = os.listdir(os.path.join(root, "var/lib/dpkg/updates"))
        h.check(any(n.isdigit() for n in updates), "no journal: %r" % updates)
        # What dpkg itself says of this root.
        h.check(query(root, "-W", "-f", "${Package} ${Version} ${db:Status-Status}\n")
                == "libj1 2.0-1 half-configured\nlibk1 1:3.0-1 unpacked\n",
                query(root, "-W"))
        h.check(query(root, "-S", LIB + "/libk.so.1").startswith("libk1:"),
                "dpkg-query -S libk.so.1")
        got, r = owners(t, root, [LIB + "/libj.so.1", LIB + "/libk.so.1"])
        h.check(got[LIB + "/libj.so.1"] == "pkg:deb/debian/libj1@2.0-1?arch=amd64",
                got)
        h.check(got[LIB + "/libk.so.1"] == "pkg:deb/debian/libk1@1:3.0-1?arch=amd64",
                got)
        h.check(b"warning" not in r.err, r.err)

    @case
    def dpkg_list_named_by_multi_arch(t):
        """dpkg names a package's file list <pkg>:<arch>.list when it is
        Multi-Arch: same, <pkg>.list otherwise (pkg_infodb_get_file), and
        reads no other. libn1 (not Multi-Arch: same) with a stray
        libn1:amd64.list beside its own: dpkg-query -S reads libn1.list
        only; the tool read the stray one first (its library then owned
        by nobody, the stray's by libn1)."""
        d = h.fresh_dir(t, "dpkg", "multiarch")
        root = empty_root(d)
        dpkg(root, "-i",
             deb(d, "libm1", "1.0-1", {LIB + "/libm.so.1": "libm.so.1"},
                 control="Multi-Arch: same\n"),
             deb(d, "libn1", "2.0-1", {LIB + "/libn.so.1": "libn.so.1"}))
        info = os.path.join(root, "var/lib/dpkg/info")
        h.check({"libm1:amd64.list", "libn1.list"} <= set(os.listdir(info)),
                os.listdir(info))
        h.put_elf(root, LIB + "/libstray.so.1", "libstray.so.1")
        with open(os.path.join(info, "libn1:amd64.list"), "w") as f:
            f.write(LIB + "/libstray.so.1\n")
        h.check(query(root, "-S", LIB + "/libstray.so.1") == "",
                "dpkg-query -S names an owner of the stray list's file")
        h.check(query(root, "-S", LIB + "/libn.so.1").startswith("libn1:"),
                "dpkg-query -S libn.so.1")
        h.check(query(root, "-S", LIB + "/libm.so.1").startswith("libm1:amd64:"),
                "dpkg-query -S libm.so.1")
        paths = [LIB + "/libm.so.1", LIB + "/libn.so.1", LIB + "/libstray.so.1"]
        got, _ = owners(t, root, paths)
        h.check(got == {
            LIB + "/libm.so.1": "pkg:deb/debian/libm1@1.0-1?arch=amd64",
            LIB + "/libn.so.1": "pkg:deb/debian/libn1@2.0-1?arch=amd64",
            LIB + "/libstray.so.1": None}, got)

    @case
    def dpkg_versions_as_dpkg_query_says(t):
        """A distroless status.d paragraph is the package's control file
        as built: "Version: 0:1.0-1" and "Source: libv (00:1.0-1)" there,
        where dpkg, installing the same .deb, keeps and says 1.0-1 (its
        parseversion and varbufversion drop an epoch of 0). The purl had
        libv1@0:1.0-1, and the source version 00:1.0-1."""
        d = h.fresh_dir(t, "dpkg", "versions")
        so = {LIB + "/libv.so.1": "libv.so.1"}
        pkg = deb(d, "libv1", "0:1.0-1", so, control="Source: libv (00:1.0-1)\n")
        real = empty_root(d)
        dpkg(real, "-i", pkg)
        version = query(real, "-W", "-f", "${Version} ${source:Version}", "libv1")
        h.check(version == "1.0-1 1.0-1", version)
        # The same package as distroless keeps it: its control file whole.
        root = os.path.join(d, "distroless")
        control = subprocess.run(["dpkg-deb", "-f", pkg], capture_output=True,
                                 check=True).stdout
        h.put_file(root, "/var/lib/dpkg/status.d/libv1", control)
        h.put_file(root, "/var/lib/dpkg/status.d/libv1.md5sums",
                   "00000000000000000000000000000000  %s\n" % (LIB + "/libv.so.1")[1:])
        h.put_elf(root, LIB + "/libv.so.1", "libv.so.1")
        got, r = owners(t, root, [LIB + "/libv.so.1"])
        h.check(got[LIB + "/libv.so.1"] == "pkg:deb/debian/libv1@1.0-1?arch=amd64", got)
        c = h.by_name(r.sbom, "libv.so.1")
        h.check(c.get("version") == "1.0-1" and
                h.prop(c, "bindep:source-version") == "1.0-1", c)

    @case
    def dpkg_updates_journal_crossgrade(t):
        """A journal stanza of another architecture replaces the package's
        one installed instance (dpkg's parse_find_pkg_slot reuses it for
        an update, unless both are Multi-Arch: same): libx1 amd64 1.0-1,
        upgraded to libx1 all 2.0-1 and killed while configuring, is one
        package, 2.0-1, as dpkg-query says. The tool kept libx1:amd64
        1.0-1 beside it, the first to own their one libx1.list."""
        d = h.fresh_dir(t, "dpkg", "crossgrade")
        root = empty_root(d)
        so = {LIB + "/libx.so.1": "libx.so.1"}
        dpkg(root, "-i", deb(d, "libx1", "1.0-1", so))
        killer = "#!/bin/sh\nkill -9 $PPID\n"
        dpkg(root, "-i", deb(d, "libx1", "2.0-1", so, postinst=killer,
                             arch="all"), check=False)
        h.check(query(root, "-W", "-f", "${Package}:${Architecture} ${Version}\n")
                == "libx1:all 2.0-1\n", query(root, "-W"))
        got, r = owners(t, root, [LIB + "/libx.so.1"])
        h.check(got[LIB + "/libx.so.1"] == "pkg:deb/debian/libx1@2.0-1?arch=all",
                got)

    @case
    def dpkg_diversions_made_by_dpkg_divert(t):
        """Diversions as dpkg-divert writes them (three lines each, ":"
        for a local one): the diverted path is the diverting package's,
        whose file is there; where the original's file was moved to is
        the original package's (dpkg-query -S names no package there, but
        the file is the one origpkg shipped); a local diversion's moved
        file is the original's too, and its path nobody's."""
        d = h.fresh_dir(t, "dpkg", "diversions")
        root = empty_root(d)
        div, local = LIB + "/libd.so.1", LIB + "/libl.so.1"
        dpkg(root, "-i", deb(d, "origpkg", "1.0-1", {div: "libd.so.1",
                                                     local: "libl.so.1"}))
        for args in (["--package", "divpkg", "--divert", div + ".orig"],
                     ["--local", "--divert", local + ".local"]):
            subprocess.run(["dpkg-divert", "--root=" + root, "--rename"] + args
                           + ["--add", args[-1].rsplit(".", 1)[0]],
                           check=True, capture_output=True)
        # (not the same bytes as origpkg's: one component each)
        dpkg(root, "-i", deb(d, "divpkg", "2.0-1", {div: "libd.so.1"},
                             needed=["libc.so.6"]))
        with open(os.path.join(root, "var/lib/dpkg/diversions")) as f:
            by = f.read().split("\n")[2::3]
        h.check(sorted(by[:2]) == [":", "divpkg"], "dpkg-divert's file: %r" % by)
        said = query(root, "-S", div).splitlines()
        h.check(any(line.endswith(": " + div) and "divpkg" in line and
                    "origpkg" in line for line in said), said)
        paths = [div, div + ".orig", local, local + ".local"]
        got, _ = owners(t, root, paths)
        h.check(got == {
            div: "pkg:deb/debian/divpkg@2.0-1?arch=amd64",
            div + ".orig": "pkg:deb/debian/origpkg@1.0-1?arch=amd64",
            local + ".local": "pkg:deb/debian/origpkg@1.0-1?arch=amd64"}, got)

    @case
    def dpkg_updates_journal_in_an_image(t):
        """The same root as an image's one layer (a container committed
        while dpkg ran): the journal's files are among those an image scan
        reads, as var/lib/dpkg/status is. They were not taken from the
        layer, and libj1 was 1.0-1 there."""
        d = h.fresh_dir(t, "dpkg", "journal-image")
        image = image_of(interrupted_root(t, d), os.path.join(d, "oci"))
        r = t.run(image, env={"TMPDIR": h.fresh_dir(t, "dpkg", "image-tmp")})
        h.check(r.code == 0, r.err)
        purls = {c["name"]: c.get("purl") for c in h.comps(r.sbom)}
        h.check(purls.get("libj.so.1") ==
                "pkg:deb/debian/libj1@2.0-1?arch=amd64" and
                purls.get("libk.so.1") ==
                "pkg:deb/debian/libk1@1:3.0-1?arch=amd64", purls)

    DEP5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"

    def copyright_root(t, d, packages):
        """A root of packages installed by dpkg, each (name, copyright
        text or None, extra files) owning one library lib<name>.so.1."""
        root = empty_root(d)
        h.put_file(root, "etc/os-release", "ID=debian\nVERSION_ID=12\n")
        debs = []
        for name, text, extra in packages:
            files = dict(extra or {})
            if text is not None:
                files["/usr/share/doc/%s/copyright" % name] = text
            debs.append(deb(d, name, "1.0-1",
                            {LIB + "/lib%s.so.1" % name: "lib%s.so.1" % name},
                            extra=files))
        dpkg(root, "-i", *debs)
        return root

    def scan_libs(t, root, names):
        r = t.run("--root", root, *(os.path.join(root, LIB.lstrip("/"),
                                                 "lib%s.so.1" % n)
                                     for n in names))
        h.check(r.code == 0, r.err)
        return r, {n: h.by_name(r.sbom, "lib%s.so.1" % n) for n in names}

    def expr(c):
        return [lic.get("expression") for lic in c.get("licenses", [])]

    def check_deb_licences(r, wants):
        """A run of .debs: for each (name, want), the package's component
        and its program's declare want, nothing when want is None."""
        h.check(r.code == 0, r.err)
        for name, want in wants:
            both = [c for c in h.comps(r.sbom)
                    if c.get("purl", "").startswith("pkg:deb/debian/%s@" % name)]
            h.check(len(both) == 2, [c.get("name") for c in h.comps(r.sbom)])
            for c in both:
                h.check(expr(c) == ([want] if want else []),
                        (name, c.get("licenses")))

    @case
    def dpkg_copyright_dep5_licence_declared(t):
        """dpkg's database keeps no licence: a package's is in its
        machine-readable /usr/share/doc/<pkg>/copyright (DEP-5), the
        License of each Files paragraph, Debian's short names made SPDX
        ids, ANDed, sorted, each compound one in parentheses. A
        standalone License paragraph defines a text, not a licence of the
        package; a file not in the format gives none, silently. The tool
        gave none of them a licence."""
        d = h.fresh_dir(t, "dpkg", "copyright")
        root = copyright_root(t, d, [
            ("alpha", DEP5 + "\nFiles: *\nCopyright: x\nLicense: GPL-2+\n"
             "\nFiles: lib/*\nCopyright: y\nLicense: LGPL-2.1+ or MPL-1.1\n"
             "\nFiles: doc/*\nCopyright: z\nLicense: Expat\n"
             "\nFiles: m4/*\nCopyright: z\nLicense: GPL-2+\n"
             "\nLicense: BSD-4-clause\n Text of a licence no file has.\n",
             None),
            # http, no trailing slash, lower-case field names.
            ("bravo", "format: http://www.debian.org/doc/packaging-manuals/"
             "copyright-format/1.0\nupstream-name: b\n\nfiles: *\n"
             "license: BSD-3-clause\n  The text.\n", None),
            ("charlie", "This is charlie, packaged by t.\n\nLicense: GPL-2+\n",
             None),
            # The header's own License, and Perl's dual licence.
            ("delta", DEP5 + "License: Perl\n\nFiles: *\nCopyright: x\n"
             "License: Zlib\n", None),
        ])
        r, c = scan_libs(t, root, ["alpha", "bravo", "charlie", "delta"])
        h.check(expr(c["alpha"]) == [
            "GPL-2.0-or-later AND (LGPL-2.1-or-later OR MPL-1.1) AND MIT"],
            expr(c["alpha"]))
        h.check(c["alpha"]["licenses"][0].get("acknowledgement") == "declared",
                c["alpha"]["licenses"])
        h.check(h.prop(c["alpha"], "bindep:license-source") ==
                "dpkg:/usr/share/doc/alpha/copyright",
                c["alpha"].get("properties"))
        h.check(expr(c["bravo"]) == ["BSD-3-Clause"], expr(c["bravo"]))
        h.check("licenses" not in c["charlie"] and
                not h.props(c["charlie"], "bindep:license-text"),
                c["charlie"].get("licenses"))
        h.check(expr(c["delta"]) == [
            "(Artistic-1.0-Perl OR GPL-1.0-or-later) AND Zlib"],
            expr(c["delta"]))
        h.check(b"warning" not in r.err, r.err)

    @case
    def dpkg_copyright_symlinked_doc_dir_and_names_not_spdx(t):
        """A -dev package's /usr/share/doc/<pkg> is often a symlink to its
        library package's: followed inside the root. Debian's "GPL-2+ with
        OpenSSL exception" (no SPDX exception) and public-domain (no SPDX
        id) are kept as written, not as expressions; a License line's
        invalid UTF-8 and terminal escapes are not passed on."""
        d = h.fresh_dir(t, "dpkg", "copyright-link")
        root = copyright_root(t, d, [
            ("echo", DEP5 + "\nFiles: *\nCopyright: x\nLicense: Zlib\n", None),
            ("echo-dev", None, {"/usr/share/doc/echo-dev": ("->", "echo")}),
            ("foxtrot", DEP5 + "\nFiles: *\nCopyright: x\n"
             "License: GPL-2+ with OpenSSL exception\n"
             "\nFiles: a/*\nCopyright: x\nLicense: public-domain\n", None),
            ("golf", (DEP5 + "\nFiles: *\nCopyright: x\n"
             "License: MIT\xff\x1b[31m red\n").encode("latin-1"), None),
        ])
        r, c = scan_libs(t, root, ["echo", "echo-dev", "foxtrot", "golf"])
        h.check(expr(c["echo-dev"]) == ["Zlib"], c["echo-dev"].get("licenses"))
        h.check("licenses" not in c["foxtrot"], c["foxtrot"].get("licenses"))
        h.check(h.prop(c["foxtrot"], "bindep:license-text") ==
                "(GPL-2+ with OpenSSL exception) AND public-domain",
                c["foxtrot"].get("properties"))
        h.check("licenses" not in c["golf"], c["golf"].get("licenses"))
        text = h.prop(c["golf"], "bindep:license-text")
        h.check("\x1b" not in text and text.startswith("MIT"), repr(text))
        h.check(b"\x1b" not in r.err and b"warning" not in r.err, r.err)
        # The summary shows such a licence quoted as written, not as
        # "unknown": a person reads it, and the quotes tell it from an
        # expression.
        libs = [os.path.join(root, LIB.lstrip("/"), "libfoxtrot.so.1")]
        rs = t.run("--format", "summary", "--root", root, *libs)
        out = rs.out if rs.out else rs.raw
        h.check(b'"(GPL-2+ with OpenSSL exception) AND public-domain"' in
                out and b"unknown" not in out, out)

    @case
    def dpkg_copyright_fifo_link_out_and_cap(t):
        """A copyright that is a FIFO: one warning, the scan goes on, no
        licence; one that is a symlink to a file out of the root: followed
        inside it (the host's file is never read); one of 10 MB, over the
        4 MiB cap (Boost's 2 MiB is the largest of Debian 12): one
        warning, no licence (its first part would name only some of the
        package's licences), and one only though its -dev package's doc
        directory is a symlink to its: the file is read once (it was
        read for each package, and said twice)."""
        d = h.fresh_dir(t, "dpkg", "copyright-bad")
        outside = h.put_file(d, "outside-copyright",
                             DEP5 + "\nFiles: *\nCopyright: x\nLicense: MIT\n")
        big = DEP5 + "\nFiles: *\nCopyright: x\nLicense: MIT\n" + \
            "\n".join("Files: f%d\nCopyright: x\nLicense: GPL-2+\n" % i
                      for i in range(300000)) + "\nFiles: z\nLicense: Zlib\n"
        root = copyright_root(t, d, [
            ("hotel", "x", None),
            ("hotel-dev", None, {"/usr/share/doc/hotel-dev": ("->", "hotel")}),
            ("india", "x", None), ("juliett", big, None),
            ("juliett-dev", None,
             {"/usr/share/doc/juliett-dev": ("->", "juliett")}),
            ("kilo", DEP5 + "\nFiles: *\nCopyright: x\nLicense: ISC\n", None)])
        h.check(len(big) > 10 << 20, len(big))
        doc = os.path.join(root, "usr/share/doc")
        os.unlink(os.path.join(doc, "hotel/copyright"))
        os.mkfifo(os.path.join(doc, "hotel/copyright"))
        os.unlink(os.path.join(doc, "india/copyright"))
        os.symlink(outside, os.path.join(doc, "india/copyright"))
        r, c = scan_libs(t, root, ["hotel", "hotel-dev", "india", "juliett",
                                   "juliett-dev", "kilo"])
        for n in ("hotel", "hotel-dev", "india", "juliett", "juliett-dev"):
            h.check("licenses" not in c[n] and
                    not h.props(c[n], "bindep:license-text"),
                    "%s: %r" % (n, c[n].get("licenses")))
        h.check(expr(c["kilo"]) == ["ISC"], c["kilo"].get("licenses"))
        err = r.err.decode()
        h.check(err.count("/copyright': a FIFO") == 1 and
                "/usr/share/doc/hotel" in err, err)
        h.check(err.count("larger than 4 MiB") == 1 and
                "/usr/share/doc/juliett" in err, err)
        h.check(err.count("warning") == 2, err)

    @case
    def dpkg_copyright_registry_licence_wins(t):
        """A library the registry names (zlib: Zlib) keeps the registry's
        licence, not its package's copyright's, as rpm's License does."""
        d = h.fresh_dir(t, "dpkg", "copyright-registry")
        root = empty_root(d)
        h.put_file(root, "etc/os-release", "ID=debian\nVERSION_ID=12\n")
        dpkg(root, "-i", deb(d, "zlib1g", "1:1.2.13-1",
                             {LIB + "/libz.so.1": "libz.so.1"},
                             extra={"/usr/share/doc/zlib1g/copyright":
                                    DEP5 + "\nFiles: *\nLicense: GPL-3+\n"}))
        r = t.run("--root", root, os.path.join(root, LIB.lstrip("/"),
                                               "libz.so.1"))
        h.check(r.code == 0, r.err)
        z = h.by_name(r.sbom, "libz.so.1")
        h.check(expr(z) == ["Zlib"], z.get("licenses"))
        h.check(not h.props(z, "bindep:license-source"), z.get("properties"))

    @case
    def dpkg_copyright_yields_to_licence_string(t):
        """Debian's libavcodec59, built with --enable-gpl, says
        "libavcodec license: GPL version 2 or later" in its read-only
        data: the file is GPL-2.0-or-later by that string, not LGPL-2.1+
        by its package's copyright file (which speaks of the source
        package) nor by the registry's default; libavutil57's build, which
        says none, keeps the registry's, as any library the registry
        names does."""
        d = h.fresh_dir(t, "dpkg", "copyright-string")
        root = empty_root(d)
        h.put_file(root, "etc/os-release", "ID=debian\nVERSION_ID=12\n")
        debs = []
        for pkg, lib, soname, words in (
                ("libavcodec59", "libavcodec", "libavcodec.so.59",
                 "GPL version 2 or later"),
                ("libavutil57", "libavutil", "libavutil.so.57", None)):
            with open(LS.compile_so(d, "build/" + soname, soname,
                                    LS.library_source(lib, words)), "rb") as f:
                data = f.read()
            debs.append(deb(d, pkg, "7:5.1.9-0+deb12u1", {},
                            control="Source: ffmpeg\n",
                            extra={LIB + "/" + soname + ".0.0": data,
                                   "/usr/share/doc/%s/copyright" % pkg:
                                   DEP5 + "\nFiles: *\nLicense: LGPL-2.1+\n"}))
        dpkg(root, "-i", *debs)
        r = t.run("--root", root, os.path.join(root, LIB.lstrip("/")))
        h.check(r.code == 0, r.err)
        av = h.by_name(r.sbom, "libavcodec.so.59")
        h.check(av.get("purl", "").startswith("pkg:deb/debian/libavcodec59@"),
                av.get("purl"))
        h.check(expr(av) == ["GPL-2.0-or-later"], av.get("licenses"))
        h.check(h.prop(av, "bindep:license-source").endswith(
            'libavcodec: license-strings "libavcodec license: GPL version 2 '
            'or later"'), av.get("properties"))
        util = h.by_name(r.sbom, "libavutil.so.57")
        h.check(expr(util) == ["LGPL-2.1-or-later"], util.get("licenses"))
        h.check(not h.props(util, "bindep:license-source"),
                util.get("properties"))

    @case
    def dpkg_root_without_os_release_is_debian(t):
        """A root with dpkg's database and no os-release (an image built
        FROM scratch, a chiselled one without base-files' release slice):
        its packages are Debian's, as their purls already say
        (pkg:deb/debian/...), so a library the registry names by its source
        package gets its upstream version from the package's, as with
        ID=debian, not from its strings (which say none); and a file the
        registry names by its package's source alone (libc6's gconv
        module: glibc) is that project's. Only the distro qualifier, which
        needs the release, is left out."""
        gconv = LIB + "/gconv/IBM1047.so"
        seen = {}
        for release in (True, False):
            d = h.fresh_dir(t, "dpkg", "no-os-release-%s" % release)
            root = empty_root(d)
            if release:
                h.put_file(root, "etc/os-release", "ID=debian\nVERSION_ID=12\n")
            dpkg(root, "-i",
                 deb(d, "zlib1g", "1:1.2.13.dfsg-1", {LIB + "/libz.so.1":
                                                      "libz.so.1"},
                     control="Source: zlib\n"),
                 deb(d, "libc6", "2.36-9+deb12u14", {gconv: None},
                     control="Source: glibc\n"))
            r = t.run("--root", root, os.path.join(root, LIB.lstrip("/")))
            h.check(r.code == 0, r.err)
            z = h.by_name(r.sbom, "libz.so.1")
            g = [c for c in h.comps(r.sbom)
                 if gconv in h.locations(c)]
            h.check(len(g) == 1, [c.get("name") for c in h.comps(r.sbom)])
            seen[release] = [
                (h.props(c, "bindep:upstream"),
                 h.props(c, "bindep:upstream-version"),
                 c.get("purl", "").split("&distro=")[0]) for c in (z, g[0])]
        h.check(seen[True][0][:2] == (["zlib"], ["1.2.13"]), seen)
        h.check(seen[True][1][0] == ["glibc"], seen)
        h.check(seen[False] == seen[True], seen)

    @case
    def deb_artifact_copyright_licence_declared(t):
        """A .deb given as input declares its licence in its
        machine-readable copyright file, as installed: the package's
        component and the ELF files in it take it (Debian's "GPL-2+" is
        GPL-2.0-or-later), as an .rpm's License tag gives its own; a
        copyright file of another package's doc directory, or one in the
        older free-form text, gives none."""
        d = h.fresh_dir(t, "dpkg", "deb-artifact-copyright")
        dist = os.path.join(d, "dist")
        os.makedirs(dist)
        cases = (("tool", "/usr/share/doc/tool/copyright",
                  DEP5 + "\nFiles: *\nLicense: GPL-2+\n", "GPL-2.0-or-later"),
                 ("other", "/usr/share/doc/elsewhere/copyright",
                  DEP5 + "\nFiles: *\nLicense: MIT\n", None),
                 ("free", "/usr/share/doc/free/copyright",
                  "This package is free software.\n", None))
        for name, path, text, _ in cases:
            shutil.copy(deb(d, name, "1.0-1", {"/usr/bin/" + name: name},
                            extra={path: text}), dist)
        check_deb_licences(t.run(dist),
                           [(name, want) for name, _, _, want in cases])

    @case
    def deb_artifact_copyright_own_after_another(t):
        """A .deb that ships another doc directory's copyright file
        before its own (dpkg-deb sorts the data tarball: usr/share/doc/aaa
        comes before usr/share/doc/zz) declares its own's licence, the one
        dpkg installs as /usr/share/doc/<Package>/copyright; in either
        order."""
        d = h.fresh_dir(t, "dpkg", "deb-artifact-copyright-order")
        dist = os.path.join(d, "dist")
        os.makedirs(dist)
        for name in ("zz", "bb"):
            shutil.copy(deb(d, name, "1.0-1", {"/usr/bin/" + name: name},
                            extra={"/usr/share/doc/aaa/copyright":
                                   DEP5 + "\nFiles: *\nLicense: GPL-2+\n",
                                   "/usr/share/doc/%s/copyright" % name:
                                   DEP5 + "\nFiles: *\nLicense: MIT\n",
                                   "/usr/share/doc/zzz/copyright":
                                   DEP5 + "\nFiles: *\nLicense: BSD-3-clause\n"}),
                        dist)
        check_deb_licences(t.run(dist), [("zz", "MIT"), ("bb", "MIT")])

    @case
    def deb_artifact_copyright_in_control_tar_not_read(t):
        """A copyright file in a .deb's control.tar (dpkg-deb packs
        DEBIAN/usr/share/doc/<p>/copyright there) is no file dpkg
        installs: the licence is the data tarball's copyright's, none
        when only the control.tar has one."""
        d = h.fresh_dir(t, "dpkg", "deb-artifact-copyright-control")
        dist = os.path.join(d, "dist")
        os.makedirs(dist)
        gpl = DEP5 + "\nFiles: *\nLicense: GPL-2+\n"
        mit = DEP5 + "\nFiles: *\nLicense: MIT\n"
        for name, data, want in (("both", mit, "MIT"), ("ctlonly", None, None)):
            extra = {"DEBIAN/usr/share/doc/%s/copyright" % name: gpl}
            if data:
                extra["/usr/share/doc/%s/copyright" % name] = data
            shutil.copy(deb(d, name, "1.0-1", {"/usr/bin/" + name: name},
                            extra=extra), dist)
        check_deb_licences(t.run(dist), [("both", "MIT"), ("ctlonly", None)])

    # ---- libraries loaded by path first, by package ---------------------

    JVM = "/usr/lib/jvm/java-9/lib"

    def elf(soname, needed=(), runpath=None):
        return E.build(soname=soname, needed=list(needed), runpath=runpath)[0]

    def java_packages_root(t, d):
        """Debian's OpenJDK in small: libjava.so and lib/server/libjvm.so
        in openjdk-9-jre-headless, libawt_xawt.so in openjdk-9-jre, both
        built from source openjdk-9; libagent.so of another source package
        and libstray.so of none in the same directory; an app's libreq.so
        whose libprov.so.1 below it no package installed. Each needs a
        library its RUNPATH (or none) does not reach."""
        root = empty_root(d)
        h.put_file(root, "etc/os-release", "ID=debian\nVERSION_ID=12\n")
        src = "Source: openjdk-9\n"
        needs_jvm = {"needed": ["libjvm.so"], "runpath": "$ORIGIN"}
        dpkg(root, "-i",
             deb(d, "openjdk-9-jre-headless", "9.0-1", {}, control=src,
                 extra={JVM + "/libjava.so": elf("libjava.so", **needs_jvm),
                        JVM + "/server/libjvm.so": elf("libjvm.so")}),
             deb(d, "openjdk-9-jre", "9.0-1", {}, control=src,
                 extra={JVM + "/libawt_xawt.so":
                        elf("libawt_xawt.so", **needs_jvm)}),
             deb(d, "jvm-agent", "1.0-1", {},
                 extra={JVM + "/libagent.so": elf("libagent.so", **needs_jvm)}),
             deb(d, "app1", "1.0-1", {},
                 extra={"/usr/lib/app/libreq.so":
                        elf("libreq.so", ["libprov.so.1"])}))
        h.put_file(root, JVM + "/libstray.so", elf("libstray.so", **needs_jvm))
        h.put_file(root, "/usr/lib/app/sub/libprov.so.1", elf("libprov.so.1"))
        return root

    def judge_java_packages(sbom):
        jvm = [JVM + "/server/libjvm.so"]
        for lib in ("libjava.so", "libawt_xawt.so"):
            h.check(h.need_found(sbom, lib, "libjvm.so") == (jvm, "preloaded"),
                    "%s: %r" % (lib, h.need_found(sbom, lib, "libjvm.so")))
        for lib, name in (("libagent.so", "libjvm.so"),
                          ("libstray.so", "libjvm.so"),
                          ("libreq.so", "libprov.so.1")):
            h.check(h.need_found(sbom, lib, name) == (None, None),
                    "%s: %r" % (lib, h.need_found(sbom, lib, name)))

    @case
    def dpkg_preloaded_only_within_a_source_package(t):
        """A library a package's program loads first by path is its own
        source package's: openjdk-9-jre's libawt_xawt.so takes
        openjdk-9-jre-headless's lib/server/libjvm.so by its soname (Debian
        splits one JDK in two binary packages, as openjdk-17's), where a
        library of another source package, or of none, does not; nor does
        a package's library take one no package installed."""
        d = h.fresh_dir(t, "dpkg", "preload")
        root = java_packages_root(t, d)
        r = t.run("-v", "--strict", "--root", root,
                  os.path.join(root, "usr/lib/jvm"),
                  os.path.join(root, "usr/lib/app"))
        h.check(r.code == 3, "exit %d: %s" % (r.code, r.err))
        judge_java_packages(r.sbom)
        h.check("3 needed libraries not found, 2 needed libraries matched by "
                "soname, loaded by path first" in r.err.decode(), r.err)

    @case
    def dpkg_preloaded_in_a_java_image(t):
        """The same root as an image's one layer: a Java container image
        scanned whole says the same."""
        d = h.fresh_dir(t, "dpkg", "preload-image")
        image = image_of(java_packages_root(t, d), os.path.join(d, "oci"))
        r = t.run(image, env={"TMPDIR": h.fresh_dir(t, "dpkg", "image-tmp")})
        h.check(r.code == 0, r.err)
        judge_java_packages(r.sbom)
        jvm = [c for c in h.comps(r.sbom) if c["name"] == "libjvm.so" and
               JVM + "/server/libjvm.so" in h.locations(c)][0]
        h.check(jvm.get("purl") == "pkg:deb/debian/openjdk-9-jre-headless@"
                "9.0-1?arch=amd64&distro=debian-12", jvm.get("purl"))
