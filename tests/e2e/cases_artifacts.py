"""End-to-end cases of release artifacts as inputs (issue 12): wheels, npm
tarballs, .deb/.rpm/.apk, conda packages, a jar, plain tarballs and zips,
read in place. Registered by run.py.

The artifacts are written at test time by tests/artifact_fixtures.py
(tiny C sources compiled with cc, packed by dpkg-deb, rpmbuild, pip or
Python's zipfile and tarfile); each builder returns the entry paths it
used, so that a case asserts the exact location of each file:
"dist/x.whl!/pkg/_core.so", nested "dist/rel.tar.gz!/rel/wheels/x.whl!/x/_y.so".
Edges are checked component by component (the one reached, by its
location), never by name alone: a library of the same name on the host
must not satisfy a need an artifact given alongside satisfies.
"""
import os
import re
import shutil
import stat
import subprocess
import zipfile

import archive_fixtures as AF
import artifact_fixtures as A


def register(case, h):
    """h is the run module: its helpers (check, comps, props, ...)."""

    check = h.check
    state = {}

    # ---- fixtures and runs shared by the cases ----------------------------

    def tmpdir(base):
        """A private TMPDIR for one run, empty."""
        d = os.path.join(base, "tmp")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    def no_private_dir_left(tmp):
        left = [f for f in os.listdir(tmp) if f.startswith("bindep-sbom")]
        check(not left, "left behind in TMPDIR: %r" % left)

    def run_in(t, base, *args, **kw):
        """The tool in base (cwd), its TMPDIR base/tmp, which it must leave
        empty; paths in the SBOM never name that directory."""
        tmp = tmpdir(base)
        r = t.run(*args, cwd=base, env={"TMPDIR": tmp}, **kw)
        no_private_dir_left(tmp)
        if r.raw is not None:
            check(tmp.encode() not in r.raw and b"bindep-sbom." not in r.raw,
                  "the private directory shows in the output")
        check(tmp.encode() not in r.err, "the private directory shows in "
              "a message: %r" % r.err[-500:])
        return r

    def everything(t):
        """dist/ holding one of every kind, built once a run, scanned once
        as a new user would: bindep-sbom --format cyclonedx dist/."""
        if "all" not in state:
            try:
                base = h.fresh_dir(t, "artifacts", "all")
                rec = A.build_all(os.path.join(base, "dist"),
                                  os.path.join(base, "scratch"))
                r = run_in(t, base, "--format", "cyclonedx", "dist/")
                state["all"] = (base, rec, r)
            except Exception as e:  # noqa: BLE001 - every case reports it
                state["all"] = e
        if isinstance(state["all"], Exception):
            raise state["all"]
        base, rec, r = state["all"]
        check(r.code == 0, "exit %d: %s" % (r.code, r.err[-800:]))
        return base, rec, r

    def rec_build(d):
        return A.Build(os.path.join(d, "scratch"))

    # ---- helpers on the SBOM ---------------------------------------------

    def at(s, location):
        """The one component one of whose occurrences is location."""
        found = [c for c in h.comps(s) if location in h.locations(c)]
        check(len(found) == 1, "%d components at %r; locations inside "
              "artifacts: %r" % (len(found), location, sorted(
                  x for c in h.comps(s) for x in h.locations(c) if "!/" in x)[:40]))
        return found[0]

    def entry_location(r, key, base="dist"):
        return "%s/%s!/%s" % (base, r["file"], r["elf"][key])

    # A package format's own inner archive (a .deb's data.tar.*, a .conda's
    # pkg-*.tar.zst) may be named in a location or left out: both say
    # where the file is.
    MEMBER = {"deb": r"data\.tar(\.[a-z0-9]+)?", "conda": r"pkg-[^/!]+\.tar\.zst"}

    def location_re(r, key, base="dist", anchor="^"):
        member = MEMBER.get(r["type"])
        return re.compile("%s%s%s!/%s%s$" % (
            anchor, re.escape(base) + "/" if base else "", re.escape(r["file"]),
            "(%s!/)?" % member if member else "", re.escape(r["elf"][key])))

    def elf(s, r, key, base="dist"):
        """The component of the file `key` of artifact record r."""
        pat = location_re(r, key, base)
        found = [c for c in h.comps(s) if any(pat.match(x) for x in h.locations(c))]
        check(len(found) == 1, "%d components at %s; inside artifacts: %r"
              % (len(found), entry_location(r, key, base), sorted(
                  x for c in h.comps(s) for x in h.locations(c) if "!/" in x)[:40]))
        return found[0]

    def sha_of(c):
        return [x["content"] for x in c.get("hashes", []) if x["alg"] == "SHA-256"]

    def artifact(s, sha, what):
        """The artifact component whose file has this SHA-256."""
        found = [c for c in h.comps(s) if sha in sha_of(c)
                 and h.props(c, "bindep:artifact-type")]
        check(len(found) == 1, "%s: %d artifact components with its SHA-256 "
              "(artifact components: %r)" % (what, len(found), [
                  (c["name"], c.get("purl")) for c in h.comps(s)
                  if h.props(c, "bindep:artifact-type")]))
        return found[0]

    def needs(s, c):
        """The components c depends on (objects, not names)."""
        entry = [d for d in s["dependencies"] if d["ref"] == c["bom-ref"]]
        check(len(entry) == 1, "%s: %d dependency entries" % (c["name"], len(entry)))
        byref = {x["bom-ref"]: x for x in h.comps(s)}
        return [byref[ref] for ref in entry[0].get("dependsOn", [])]

    def reaches(s, c, target, why):
        got = needs(s, c)
        check(any(x["bom-ref"] == target["bom-ref"] for x in got),
              "%s: %s does not depend on the component at %r; it depends on %r"
              % (why, h.locations(c), h.locations(target),
                 [(x["name"], h.locations(x)) for x in got]))

    def host_libc(s, c):
        """c's libc.so.6 is the host's (no artifact ships one)."""
        libc = [x for x in needs(s, c) if x["name"] == "libc.so.6"]
        check(len(libc) == 1, "%s needs one libc.so.6: %r"
              % (h.locations(c), [x["name"] for x in needs(s, c)]))
        locs = h.locations(libc[0])
        check(locs and all("!/" not in x for x in locs) and
              any(os.path.exists(x) for x in locs),
              "libc.so.6 from the host: %r" % locs)

    def file_sha(base, r):
        return A.sha256_file(os.path.join(base, "dist", r["file"]))

    def identified(s, base, r, sha=None, base_name="dist"):
        """The artifact of record r: its component (type, purl, SHA-256),
        and each of its ELF files bundled in it and contained by it."""
        comp = artifact(s, sha or file_sha(base, r), r["file"])
        check(h.prop(comp, "bindep:artifact-type") == r["type"],
              "%s: artifact type %r, want %r"
              % (r["file"], h.props(comp, "bindep:artifact-type"), r["type"]))
        check(comp.get("purl") == r["purl"], "%s: purl %r, want %r"
              % (r["file"], comp.get("purl"), r["purl"]))
        kind = "file" if r["type"] in ("tarball", "zip") else "library"
        check(comp["type"] == kind, "%s: type %r, want %r" % (r["file"], comp["type"], kind))
        check(h.locations(comp) == ["%s/%s" % (base_name, r["file"])],
              "%s: located %r" % (r["file"], h.locations(comp)))
        held = {x["bom-ref"] for x in needs(s, comp)}
        for key in r["elf"]:
            f = elf(s, r, key, base_name)
            check(f["bom-ref"] in held, "%s: the artifact's dependencies do "
                  "not list %s" % (r["file"], h.locations(f)))
            if r["purl"]:
                check(h.props(f, "bindep:bundled-in") == [r["purl"]],
                      "%s: bindep:bundled-in %r, want %r"
                      % (entry_location(r, key), h.props(f, "bindep:bundled-in"),
                         r["purl"]))
        return comp

    # ---- every kind in one dist/ ------------------------------------------

    KINDS = ("wheel", "torch", "cublas", "sharp", "vips", "deblib", "debtool",
             "rpm", "apk", "condabz2", "conda", "jar", "release", "zip")

    @case
    def artifact_every_kind_in_one_dist(t):
        """The headline: dist/ of artifacts gives every artifact its
        component and purl, every ELF file inside, and no warning."""
        base, rec, r = everything(t)
        s = r.sbom
        arts, wrong = [], []
        for key in KINDS:  # every kind checked, every failure reported
            try:
                arts.append(identified(s, base, rec[key]))
            except h.Failure as e:
                wrong.append(str(e))
        check(not wrong, "; ".join(wrong))
        # Every artifact hangs off the described target.
        edges = {d["ref"]: d.get("dependsOn", []) for d in s["dependencies"]}
        seen, todo = set(), [s["metadata"]["component"]["bom-ref"]]
        while todo:
            ref = todo.pop()
            if ref not in seen:
                seen.add(ref)
                todo.extend(edges.get(ref, []))
        for key, c in zip(KINDS, arts):
            check(c["bom-ref"] in seen, "%s is not reached from the target"
                  % rec[key]["file"])
        check(r.warnings() == [], "no warnings: %r" % r.warnings())

    @case
    def artifact_declared_licences(t):
        """The licence a wheel's METADATA or a package.json declares is
        the artifact's and its own files' (in SPDX too), as syft reads it;
        an auditwheel copy of another project's library does not get it.
        Not an SPDX expression ("UNLICENSED", "BSD"): kept as written in
        bindep:license-text, never as an expression. Installed trees
        (site-packages, node_modules) say the same."""
        base = h.fresh_dir(t, "artifacts", "licences")
        dist, b = os.path.join(base, "dist"), rec_build(base)
        os.makedirs(dist)
        lib = "libfoo-1a2b3c4d.so.1"
        foo = b.lib(lib, tag="lic vendored")
        ext = b.lib("_own.cpython-311-x86_64-linux-gnu.so", needed=[lib],
                    runpath="$ORIGIN/../lic.libs", tag="lic own ext")
        whl = A.wheel_name("lic", "1.0")
        A.put(os.path.join(dist, whl), A.wheel_bytes("lic", "1.0", [
            ("lic/_own.cpython-311-x86_64-linux-gnu.so", ext, 0o755),
            ("lic.libs/" + lib, foo, 0o755)],
            headers="License: BSD\nLicense-Expression: bsd-3-clause\n"))
        addon = b.lib("secret.node", tag="lic npm addon")
        pj = b'{"name": "secret", "version": "2.0.0", "license": "UNLICENSED"}'
        tgz = A.tar_bytes([("package/package.json", pj, 0o644),
                           ("package/build/secret.node", addon, 0o755)], "gz")
        A.put(os.path.join(dist, "secret-2.0.0.tgz"), tgz)
        r = run_in(t, base, "--format", "cyclonedx", "dist/")
        check(r.code == 0 and not r.warnings(), "exit %d: %r" % (r.code, r.err))
        s = r.sbom
        bsd = [{"expression": "BSD-3-Clause", "acknowledgement": "declared"}]
        wheel = at(s, "dist/" + whl)
        check(wheel.get("licenses") == bsd, "the wheel: %r" % wheel.get("licenses"))
        own = at(s, "dist/%s!/lic/_own.cpython-311-x86_64-linux-gnu.so" % whl)
        check(own.get("licenses") == bsd, "its own file: %r" % own.get("licenses"))
        copy = at(s, "dist/%s!/lic.libs/%s" % (whl, lib))
        check(copy.get("licenses") != bsd, "another project's copy took the "
              "wheel's licence")
        tarball = at(s, "dist/secret-2.0.0.tgz")
        node = at(s, "dist/secret-2.0.0.tgz!/package/build/secret.node")
        for c in (tarball, node):
            check("licenses" not in c and
                  h.prop(c, "bindep:license-text") == "UNLICENSED",
                  "UNLICENSED: %r %r" % (c.get("licenses"), c.get("properties")))
        # SPDX 2.3: licenseDeclared, as a consumer reads it.
        r2 = run_in(t, base, "--format", "spdx", "dist/")
        check(r2.code == 0, "spdx: exit %d" % r2.code)
        declared = {p["name"]: p.get("licenseDeclared")
                    for p in r2.sbom["packages"]}
        check(declared.get("_own.cpython-311-x86_64-linux-gnu.so") ==
              "BSD-3-Clause", "spdx: %r" % declared)
        # Installed: site-packages and node_modules, the manifests read
        # where pip and npm leave them.
        tree = os.path.join(base, "tree")
        with zipfile.ZipFile(os.path.join(dist, whl)) as z:
            z.extractall(os.path.join(tree, "site-packages"))
        A.put(os.path.join(tree, "node_modules/secret/package.json"),
              pj.replace(b"UNLICENSED", b"(mit OR isc)"))
        A.put(os.path.join(tree, "node_modules/secret/build/secret.node"),
              addon)
        r3 = run_in(t, base, "--format", "cyclonedx", "tree")
        check(r3.code == 0, "tree: exit %d: %r" % (r3.code, r3.err))
        own = at(r3.sbom, "tree/site-packages/lic/_own.cpython-311-x86_64-"
                 "linux-gnu.so")
        check(own.get("licenses") == bsd, "installed: %r" % own.get("licenses"))
        node = at(r3.sbom, "tree/node_modules/secret/build/secret.node")
        check(node.get("licenses") == [{"expression": "(MIT OR ISC)",
                                        "acknowledgement": "declared"}],
              "installed npm: %r" % node.get("licenses"))

    @case
    def artifact_wheel_vendored_library_through_origin(t):
        base, rec, r = everything(t)
        s, w = r.sbom, rec["wheel"]
        ext, lib = elf(s, w, "ext"), elf(s, w, "lib")
        check(sha_of(ext) == [w["sha"]["ext"]], "the extension's own hash")
        check(sha_of(lib) == [w["sha"]["lib"]], "the library's own hash")
        check(h.prop(ext, "bindep:runpath") == "$ORIGIN/../pkg.libs", "runpath")
        reaches(s, ext, lib, "RUNPATH $ORIGIN/../pkg.libs")
        host_libc(s, ext)
        check(h.prop(lib, "bindep:soname") == "libfoo-1a2b3c4d.so.1", "soname")

    @case
    def artifact_wheel_reaches_the_other_wheel(t):
        """torch's RUNPATH $ORIGIN/../nvidia/cublas/lib: the wheels lie
        side by side as in site-packages."""
        base, rec, r = everything(t)
        s = r.sbom
        ext = elf(s, rec["torch"], "ext")
        cublas = elf(s, rec["cublas"], "lib")
        reaches(s, ext, cublas, "across wheels")
        check(h.props(cublas, "bindep:bundled-in") ==
              ["pkg:pypi/nvidia-cublas-cu12@12.1.3.1"], "cublas's own wheel")
        check(h.props(ext, "bindep:bundled-in") == ["pkg:pypi/torchlet@2.1.0"],
              "the extension's wheel")

    @case
    def artifact_wheel_data_links_out_not_followed(t):
        """A wheel whose <name>.data, or whose .data/platlib, is a symbolic
        link out of it (to this machine's library directory): the layout
        that moves platlib into site-packages follows neither, so no file
        of the host is taken for the wheel's; the run ends as usual."""
        base = h.fresh_dir(t, "artifacts", "wheel-data-links")
        dist = os.path.join(base, "dist")
        host = "/usr/lib/x86_64-linux-gnu"
        link = 0o120777
        A.put(os.path.join(dist, A.wheel_name("evila", "1.0")), A.wheel_bytes(
            "evila", "1.0", [("evila-1.0.data", host.encode(), link)]))
        A.put(os.path.join(dist, A.wheel_name("evilb", "1.0")), A.wheel_bytes(
            "evilb", "1.0", [("evilb-1.0.data/platlib", host.encode(), link),
                             ("evilb-1.0.data/purelib/x.py", b"", 0o644)]))
        r = t.run("dist/", cwd=base)
        check(r.code == 0 and r.sbom, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        outside = [(c["name"], h.locations(c)) for c in h.comps(r.sbom)
                   if any(not x.startswith("dist/") for x in h.locations(c))]
        check(not outside, "host files taken for the wheels': %r" % outside[:5])
        check(len(h.comps(r.sbom)) == 2, "the two wheels only: %r"
              % [c["name"] for c in h.comps(r.sbom)])

    @case
    def artifact_wheel_data_platlib_installed_in_site_packages(t):
        """pip installs a wheel's <name>-<ver>.data/platlib/ and purelib/
        into site-packages (the wheel spec's .data directory; pip's
        data_scheme_file_maker): an extension there at pkgd/_core.so is
        loaded from site-packages/pkgd/, its $ORIGIN/../pkgd.libs reaches
        the wheel's own pkgd.libs/ and the one purelib/ puts beside it, and
        the other wheel's extension reaches it through ../pkgd/. It was
        left at site-packages/pkgd-1.0.data/platlib/pkgd/, where neither
        search found what it needed. The location stays the wheel's
        entry."""
        base = h.fresh_dir(t, "artifacts", "wheel-data")
        dist = os.path.join(base, "dist")

        def so(soname, needed=(), runpath=None):
            return bytes(h.elfgen.build(soname=soname, runpath=runpath,
                                        needed=list(needed) + ["libc.so.6"])[0])

        ext = so("_core.so", ("libdvend.so.1", "libdpure.so.1"),
                 "$ORIGIN/../pkgd.libs")
        A.put(os.path.join(dist, A.wheel_name("pkgd", "1.0")), A.wheel_bytes(
            "pkgd", "1.0", [
                ("pkgd-1.0.data/platlib/pkgd/__init__.py", b"", 0o644),
                ("pkgd-1.0.data/platlib/pkgd/_core.so", ext, 0o755),
                ("pkgd-1.0.data/purelib/pkgd.libs/libdpure.so.1",
                 so("libdpure.so.1"), 0o755),
                ("pkgd.libs/libdvend.so.1", so("libdvend.so.1"), 0o755)]))
        A.put(os.path.join(dist, A.wheel_name("user", "2.0")), A.wheel_bytes(
            "user", "2.0", [("user/_u.so", so("_u.so", ("_core.so",),
                                               "$ORIGIN/../pkgd"), 0o755)]))
        r = t.run("--strict", "dist/", cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        whl = "dist/" + A.wheel_name("pkgd", "1.0")
        where, _ = h.need_found(r.sbom, "_core.so", "libdvend.so.1")
        check(where == [whl + "!/pkgd.libs/libdvend.so.1"],
              "the wheel's root library: %r" % (where,))
        where, _ = h.need_found(r.sbom, "_core.so", "libdpure.so.1")
        check(where == [whl + "!/pkgd-1.0.data/purelib/pkgd.libs/libdpure.so.1"],
              "purelib's library: %r" % (where,))
        where, _ = h.need_found(r.sbom, "_u.so", "_core.so")
        check(where == [whl + "!/pkgd-1.0.data/platlib/pkgd/_core.so"],
              "the other wheel reaches platlib's extension: %r" % (where,))
        check(r.warnings() == [], "no warning: %r" % r.warnings())

    @case
    def artifact_wheel_dist_info_its_file_name_names(t):
        """A wheel's .dist-info is "{distribution}-{version}.dist-info",
        the distribution its file name names (the wheel spec); pip
        refuses a wheel with several ("multiple .dist-info directories
        found"). Such a wheel is named by the one its file name names,
        whichever comes first in the zip, with one warning; it was named
        by the first METADATA the stream met."""
        base = h.fresh_dir(t, "artifacts", "wheel-distinfos")
        dist = os.path.join(base, "dist")
        so = bytes(h.elfgen.build(soname="_r.so", needed=["libc.so.6"])[0])
        name = A.wheel_name("real", "1.0")
        A.put(os.path.join(dist, name), A.wheel_bytes("real", "1.0", [
            ("aaa_other-9.0.dist-info/METADATA",
             b"Metadata-Version: 2.1\nName: aaa-other\nVersion: 9.0\n", 0o644),
            ("real/_r.so", so, 0o755)]))
        r = t.run("dist/", cwd=base)
        check(r.code == 0, r.err.decode()[-800:])
        art = [c for c in h.comps(r.sbom) if h.locations(c) == ["dist/" + name]]
        check(len(art) == 1 and art[0].get("purl") == "pkg:pypi/real@1.0",
              "named by real-1.0.dist-info: %r" % [c.get("purl") for c in art])
        check(h.props(h.by_name(r.sbom, "_r.so"), "bindep:bundled-in") ==
              ["pkg:pypi/real@1.0"], "its file is real's")
        check(r.warnings() == ["bindep-sbom: warning: 'dist/%s': 2 .dist-info "
                               "directories, which pip refuses: named by "
                               "'real-1.0.dist-info'" % name],
              "one warning: %r" % r.warnings())

    @case
    def artifact_npm_addon_reaches_the_sibling_tarball(t):
        """sharp.node's RPATH climbs to node_modules and into
        @img/sharp-libvips-linux-x64: the tarballs lie as installed."""
        base, rec, r = everything(t)
        s = r.sbom
        addon = elf(s, rec["sharp"], "addon")
        vips = elf(s, rec["vips"], "lib")
        check(h.prop(addon, "bindep:rpath") ==
              "$ORIGIN/../../../@img/sharp-libvips-linux-x64/lib", "rpath")
        reaches(s, addon, vips, "across npm tarballs")
        host_libc(s, addon)
        # A scoped name is %40scope in the purl.
        check(h.props(vips, "bindep:bundled-in") ==
              ["pkg:npm/%40img/sharp-libvips-linux-x64@1.0.4"], "scoped purl")

    @case
    def artifact_debs_satisfy_each_other_before_the_host(t):
        """The program of one .deb needs libdemo.so.3 and libz.so.1, both
        in the other .deb at /usr/lib/x86_64-linux-gnu; the host's libz.so.1
        must not be taken."""
        base, rec, r = everything(t)
        s = r.sbom
        tool = elf(s, rec["debtool"], "exe")
        lib, libz = elf(s, rec["deblib"], "lib"), elf(s, rec["deblib"], "libz")
        reaches(s, tool, lib, "a library of the other .deb")
        reaches(s, tool, libz, "the other .deb's libz.so.1 before the host's")
        host_z = [x for x in needs(s, tool) if x["name"] == "libz.so.1"
                  and any("!/" not in loc for loc in h.locations(x))]
        check(not host_z, "the host's libz.so.1 is not a need of the program: %r"
              % [h.locations(x) for x in host_z])
        host_libc(s, tool)
        # A .deb's own files carry its package's purl.
        check(tool.get("purl") == rec["debtool"]["purl"], "program purl %r"
              % tool.get("purl"))
        check(lib.get("purl") == rec["deblib"]["purl"], "library purl %r"
              % lib.get("purl"))
        check(libz.get("purl") == rec["deblib"]["purl"],
              "the .deb's libz.so.1 is the .deb's, not zlib's: %r" % libz.get("purl"))

    @case
    def artifact_debs_before_the_root(t):
        """With --root: the .debs (inside the root, as PATHs must be)
        satisfy each other before the root's decoy libdemo.so.3; what they
        do not ship, libc.so.6, is the root's."""
        base, rec, _ = everything(t)
        root = h.fresh_dir(t, "artifacts", "root")
        libc = h.put_elf(root, "/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6")
        h.put_elf(root, "/lib64/ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2")
        decoy = h.put_elf(root, "/usr/lib/x86_64-linux-gnu/libdemo.so.3", "libdemo.so.3")
        os.makedirs(os.path.join(root, "dist"))
        for key in ("debtool", "deblib"):
            shutil.copy(os.path.join(base, "dist", rec[key]["file"]),
                        os.path.join(root, "dist"))
        r = run_in(t, base, "--root", root, os.path.join(root, "dist"))
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s = r.sbom

        def inside(rr, key):
            pat = location_re(rr, key, "", anchor="(^|/)")
            found = [c for c in h.comps(s) if any(pat.search(x) for x in h.locations(c))]
            check(len(found) == 1, "%d components at %s!/%s: %r" % (
                len(found), rr["file"], rr["elf"][key],
                sorted(x for c in h.comps(s) for x in h.locations(c))))
            return found[0]

        tool, lib = inside(rec["debtool"], "exe"), inside(rec["deblib"], "lib")
        reaches(s, tool, lib, "the other .deb's library before the root's")
        got = needs(s, tool)
        check(not [x for x in got if A.sha256_file(decoy) in sha_of(x)],
              "the root's decoy libdemo.so.3 is not taken")
        root_libc = [x for x in got if x["name"] == "libc.so.6"]
        check(len(root_libc) == 1 and sha_of(root_libc[0]) == [A.sha256_file(libc)],
              "libc.so.6 is the root's: %r" % [(x["name"], h.locations(x)) for x in got])

    def dpkg_with_link(out, scratch, package, files, link, target):
        """A .deb of files and one symlink (link -> target)."""
        tree = os.path.join(scratch, "deb-" + package)
        shutil.rmtree(tree, ignore_errors=True)
        A.put(os.path.join(tree, "DEBIAN", "control"),
              "Package: %s\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: "
              "T <t@example.org>\nDescription: test\n a test\n" % package)
        for path, data, mode in files:
            os.chmod(A.put(os.path.join(tree, path), data), mode)
        os.makedirs(os.path.dirname(os.path.join(tree, link)), exist_ok=True)
        os.symlink(target, os.path.join(tree, link))
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", tree,
                        os.path.join(out, "%s_1.0-1_amd64.deb" % package)],
                       check=True, stdout=subprocess.DEVNULL)

    @case
    def artifact_debs_clash_said_once(t):
        """Two .debs that put different files at one path (libssl3 of
        two releases in one dist/: dpkg would refuse the second): the
        first read is the one searched, and the second is said, once,
        naming the first path and how many; it was silent, and the older
        library was the one found. A file both hold byte for byte (a
        Multi-Arch: same package's shared files, which dpkg allows) is no
        clash."""
        base = h.fresh_dir(t, "artifacts", "deb-clash")
        out = os.path.join(base, "dist")
        os.makedirs(out)
        for version, marker in (("1.0-1", b"one"), ("1.0-2", b"two")):
            tree = os.path.join(base, "tree-" + version)
            A.put(os.path.join(tree, "DEBIAN", "control"),
                  "Package: libq%s\nVersion: %s\nArchitecture: amd64\n"
                  "Maintainer: T <t@example.org>\nDescription: test\n"
                  " a test\n" % (version[-1], version))
            data, _ = h.elfgen.build(soname="libq.so.1", rodata=marker)
            for name in ("libq.so.1", "libr.so.1"):
                A.put(os.path.join(tree, "usr/lib/x86_64-linux-gnu", name),
                      bytes(data) if name == "libq.so.1" else
                      bytes(h.elfgen.build(soname="libr.so.1",
                                           rodata=marker)[0]))
            A.put(os.path.join(tree, "usr/share/doc/libq/copyright"),
                  "same in both\n")
            subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz",
                            "--build", tree, os.path.join(
                                out, "libq%s_%s_amd64.deb" %
                                (version[-1], version))],
                           check=True, stdout=subprocess.DEVNULL)
        r = t.run("dist/", cwd=base)
        check(r.code == 0, r.err.decode())
        said = [w for w in r.warnings() if "libq2_1.0-2_amd64.deb" in w]
        check(len(said) == 1 and "2 files" in said[0] and
              "/usr/lib/x86_64-linux-gnu/libq.so.1" in said[0] and
              "copyright" not in r.err.decode(),
              "one warning for the second: %r" % r.warnings())
        check(not [w for w in r.warnings() if "libq1_" in w],
              "the first is not said: %r" % r.warnings())
        # A later package installs through an earlier one's usr-merge
        # link (base-files' lib -> usr/lib), as dpkg does: its
        # /lib/x86_64-linux-gnu/libx.so.1 is found there. It stayed in
        # its own tree, where the loader does not look, said as "1 file
        # ... with other bytes ('/lib')". A file where the other has a
        # directory is said as such.
        out2 = os.path.join(base, "dist2")
        os.makedirs(out2)
        dpkg_with_link(out2, base, "a-base", [
            ("opt/x/libd.so", bytes(h.elfgen.build(soname="libd.so")[0]),
             0o644)], "lib", "usr/lib")
        dpkg_with_link(out2, base, "b-lib", [
            ("lib/x86_64-linux-gnu/libx.so.1",
             bytes(h.elfgen.build(soname="libx.so.1")[0]), 0o644),
            ("usr/bin/xapp", bytes(h.elfgen.build(
                etype=2, needed=["libx.so.1"],
                interp="/lib64/ld-linux-x86-64.so.2")[0]), 0o755),
            ("opt/x/libd.so/libe.so.1",
             bytes(h.elfgen.build(soname="libe.so.1")[0]), 0o644)],
            "usr/share/doc/b-lib/link", "x")
        r = t.run("dist2/", cwd=base)
        check(r.code == 0, r.err.decode())
        where, _ = h.need_found(r.sbom, "xapp", "libx.so.1")
        check(where and where[0].endswith(
            "b-lib_1.0-1_amd64.deb!/lib/x86_64-linux-gnu/libx.so.1"),
            "through the link: %r" % (where,))
        said = [w for w in r.warnings() if "b-lib_1.0-1_amd64.deb" in w]
        check(len(said) == 1 and "1 of its directories" in said[0] and
              "('/opt/x/libd.so')" in said[0] and "other bytes" not in said[0],
              "the directory: %r" % r.warnings())

        # A clashing name of invalid UTF-8 and a terminal escape: said,
        # its bytes escaped as in every message.
        out3 = os.path.join(base, "dist3")
        os.makedirs(out3)
        for name, marker in (("c-one", b"one"), ("c-two", b"two")):
            dpkg_with_link(out3, base, name, [
                ("opt/\udcff\x1b[31mx/libz.so.1", bytes(h.elfgen.build(
                    soname="libz.so.1", rodata=marker)[0]), 0o644)],
                "usr/share/doc/%s/link" % name, "x")
        r = t.run("dist3/", cwd=base)
        check(r.code == 0, r.err.decode(errors="replace"))
        said = [w for w in r.warnings() if "c-two_1.0-1_amd64.deb" in w]
        check(len(said) == 1 and "\\xff\\x1b[31mx/libz.so.1" in said[0] and
              b"\x1b" not in r.err and b"\xff" not in r.err,
              "escaped: %r" % r.err)

    @case
    def artifact_debs_through_links_in_one_order(t):
        """Which top directories of a later package go through an earlier
        one's usr-merge links (past BD_INPUT_MAX_FOLDS, 16, none does) is
        decided by name, not by the order readdir lists them in: ext4's
        hash left out /t03 where tmpfs left out /t00, so which library
        was found, and the warning, changed with the file system of
        TMPDIR. A package's own usr/ is laid out before its lib/ goes
        through lib -> usr/lib: with an earlier package that made the link
        and no usr/, tmpfs listed lib/ first and libx.so.1 was unfound."""
        base = h.fresh_dir(t, "artifacts", "deb-through-order")
        out = os.path.join(base, "dist")
        tree = os.path.join(base, "deb-a-links")
        A.put(os.path.join(tree, "DEBIAN", "control"),
              "Package: a-links\nVersion: 1.0-1\nArchitecture: amd64\n"
              "Maintainer: T <t@example.org>\nDescription: test\n a test\n")
        A.put(os.path.join(tree, "usr/share/doc/a-links/copyright"), "x\n")
        for i in range(20):
            os.symlink("usr/t%02d" % i, os.path.join(tree, "t%02d" % i))
        os.makedirs(out)
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build",
                        tree, os.path.join(out, "a-links_1.0-1_amd64.deb")],
                       check=True, stdout=subprocess.DEVNULL)
        needs = ["libt%02d.so" % i for i in range(20)]
        dpkg_with_link(out, base, "b-libs", [
            ("t%02d/libt%02d.so" % (i, i),
             bytes(h.elfgen.build(soname="libt%02d.so" % i)[0]), 0o644)
            for i in range(20)] + [
            ("usr/bin/tapp", bytes(h.elfgen.build(
                etype=2, needed=needs,
                runpath=":".join("/t%02d" % i for i in range(20)),
                interp="/lib64/ld-linux-x86-64.so.2")[0]), 0o755)],
            "usr/share/doc/b-libs/link", "x")
        r = t.run("dist/", cwd=base)
        check(r.code == 0, r.err.decode())
        for i in range(20):
            where, _ = h.need_found(r.sbom, "tapp", "libt%02d.so" % i)
            check(bool(where) == (i < 16),
                  "libt%02d.so: %r" % (i, where))
        said = [w for w in r.warnings() if "b-libs_1.0-1_amd64.deb" in w]
        check(len(said) == 1 and "4 of its directories" in said[0] and
              "('/t16' the first)" in said[0], "said: %r" % said)
        # No usr/ in the package that made lib -> usr/lib: the later
        # package's usr/ goes first, then its lib/ through the link.
        out2 = os.path.join(base, "dist2")
        os.makedirs(out2)
        dpkg_with_link(out2, base, "a-base", [
            ("opt/x/keep", b"x\n", 0o644)], "lib", "usr/lib")
        dpkg_with_link(out2, base, "b-lib", [
            ("lib/x86_64-linux-gnu/libx.so.1",
             bytes(h.elfgen.build(soname="libx.so.1")[0]), 0o644),
            ("usr/bin/xapp", bytes(h.elfgen.build(
                etype=2, needed=["libx.so.1"],
                interp="/lib64/ld-linux-x86-64.so.2")[0]), 0o755)],
            "usr/share/doc/b-lib/link", "x")
        for tmp in ("/dev/shm", base):
            if not os.path.isdir(tmp) or not os.access(tmp, os.W_OK):
                continue
            r = t.run("dist2/", cwd=base, env={"TMPDIR": tmp})
            check(r.code == 0, r.err.decode())
            where, _ = h.need_found(r.sbom, "xapp", "libx.so.1")
            check(where and where[0].endswith(
                "b-lib_1.0-1_amd64.deb!/lib/x86_64-linux-gnu/libx.so.1"),
                "TMPDIR=%s: %r" % (tmp, where))

    @case
    def artifact_deb_program_has_its_upstream(t):
        """A program in a .deb whose Source is a source package the
        registry knows (zstd's "libzstd") gets its upstream, as the same
        program installed does (the root's dpkg database names the source
        there), and the library it statically holds of its own project
        is not said twice. It had no bindep:upstream from a .deb."""
        base = h.fresh_dir(t, "artifacts", "deb-upstream")
        out = os.path.join(base, "dist")
        os.makedirs(out)
        tree = os.path.join(base, "tree")
        A.put(os.path.join(tree, "DEBIAN", "control"),
              "Package: zstd\nSource: libzstd\nVersion: 1.5.4+dfsg2-5\n"
              "Architecture: amd64\nMaintainer: T <t@example.org>\n"
              "Description: test\n a test\n")
        # zstd's own code, statically: its marker and ZSTD_versionString().
        data, _ = h.elfgen.build(
            etype=2, interp="/lib64/ld-linux-x86-64.so.2",
            rodata=b"\0Frame requires too much memory for decoding\0"
            b"1.5.4\0")
        os.chmod(A.put(os.path.join(tree, "usr/bin/zstd"), bytes(data)), 0o755)
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build",
                        tree, os.path.join(out, "zstd_1.5.4+dfsg2-5_amd64.deb")],
                       check=True, stdout=subprocess.DEVNULL)
        r = t.run("dist/", cwd=base)
        check(r.code == 0, r.err.decode())
        prog = [c for c in h.comps(r.sbom) if c["name"] == "zstd"
                and c.get("type") == "application"]
        check(len(prog) == 1, "one program: %r" % prog)
        check(h.prop(prog[0], "bindep:upstream") == "zstd" and
              h.prop(prog[0], "bindep:source-package") == "libzstd",
              "upstream of the .deb's program: %r" % prog[0].get("properties"))
        check(h.prop(prog[0], "bindep:upstream-version") == "1.5.4",
              "upstream version: %r" % prog[0].get("properties"))
        static = [c for c in h.comps(r.sbom)
                  if "static" in h.props(c, "bindep:linkage")]
        check(not static, "its own project as a static library: %r" % static)

    @case
    def strings_read_in_read_only_segments_of_either_class(t):
        """A large file without section headers (read in part: past
        BD_SCAN_WHOLE) has the string rules read its read-only PT_LOAD
        segments, of a 32-bit file as of a 64-bit one: p_flags is at
        another offset in Elf32_Phdr (24, after p_memsz) than in
        Elf64_Phdr (4). The 32-bit one's were read at 4, its p_offset:
        a code segment at offset 0 passed as read-only, and its bytes
        were searched as a file held whole never searches them."""
        import struct
        base = h.fresh_dir(t, "artifacts", "ro-segments")
        marker = (b"\0deflate 1.2.13 Copyright 1995-2022 Jean-loup Gailly "
                  b"and Mark Adler\0" + b"\0" * (300 * 1024))
        for cls, machine in ((64, h.elfgen.EM_X86_64), (32, h.elfgen.EM_386)):
            for flags, holds in ((4, True), (5, False)):
                data, lay = h.elfgen.build(
                    cls=cls, machine=machine, etype=2, sections=False,
                    interp="/lib/ld-linux.so.2", rodata=marker)
                data = bytearray(data)
                is64 = cls == 64
                phoff = struct.unpack_from("<Q" if is64 else "<I", data,
                                           32 if is64 else 28)[0]
                phnum = struct.unpack_from("<H", data, 56 if is64 else 44)[0]
                size = 56 if is64 else 32
                for i in range(phnum):
                    at = phoff + i * size
                    off = struct.unpack_from("<Q" if is64 else "<I", data,
                                             at + (8 if is64 else 4))[0]
                    if off == lay.rodata:
                        struct.pack_into("<I", data, at + (4 if is64 else 24),
                                         flags)
                name = "prog%d-%d" % (cls, flags)
                path = os.path.join(base, name)
                with open(path, "wb") as f:
                    f.write(bytes(data))
                r = t.run(path)
                check(r.code == 0, r.err.decode())
                zlib = [c for c in h.comps(r.sbom)
                        if c["name"] == "zlib" and c.get("version") == "1.2.13"]
                check(bool(zlib) == holds, "%s: %r" % (name, [
                    (c["name"], c.get("version")) for c in h.comps(r.sbom)]))

    @case
    def artifact_deb_copy_of_another_project_has_its_own_version(t):
        """A library another project's package carries (firefox-esr
        153.8.0esr ships its own SQLite as libmozsqlite3.so) is named by
        the registry, and its upstream version is the one the file holds
        (its sqlite3_version[], 3.53.2), read as for a copy no package
        owns: the package's version is the browser's. It had been
        sqlite@153.8.0esr, a version SQLite never had."""
        base = h.fresh_dir(t, "artifacts", "deb-copy")
        out = os.path.join(base, "dist")
        os.makedirs(out)
        data, _ = h.elfgen.build(
            soname="libmozsqlite3.so",
            rodata=b"\0database disk image is malformed\0\x073.53.2\0")
        A.dpkg_deb(out, base, "browser", "153.8.0esr-1", [
            ("usr/lib/browser/libmozsqlite3.so", bytes(data), 0o644)])
        r = t.run("dist/", cwd=base)
        check(r.code == 0, r.err.decode())
        lib = [c for c in h.comps(r.sbom) if c["name"] == "libmozsqlite3.so"
               and c.get("purl")]
        check(len(lib) == 1, "one library: %r" % lib)
        check(lib[0]["purl"].startswith("pkg:deb/debian/browser@153.8.0esr-1"),
              "the package owns it: %r" % lib[0]["purl"])
        check(h.prop(lib[0], "bindep:upstream") == "sqlite" and
              h.prop(lib[0], "bindep:upstream-version") == "3.53.2" and
              h.prop(lib[0], "bindep:upstream-purl") == "pkg:generic/sqlite@3.53.2",
              "upstream of the copy: %r" % lib[0].get("properties"))
        # A package built from the upstream's sources, which its file's
        # entry lists (LLVM's libomp, from llvm-toolchain-15), is named by
        # that entry, not the source's (llvm), with the package's upstream
        # version: no rule reads one from the file.
        omp, _ = h.elfgen.build(soname="libomp.so.5")
        A.dpkg_deb(out, base, "libomp5-15", "1:15.0.6-4", [
            ("usr/lib/llvm-15/lib/libomp.so.5", bytes(omp), 0o644)],
            fields="Source: llvm-toolchain-15\n")
        r = t.run("dist/", cwd=base)
        check(r.code == 0, r.err.decode())
        lib = [c for c in h.comps(r.sbom) if c["name"] == "libomp.so.5"
               and c.get("purl")]
        check(len(lib) == 1 and
              h.prop(lib[0], "bindep:upstream") == "libomp" and
              h.prop(lib[0], "bindep:upstream-version") == "15.0.6",
              "the upstream's own build: %r"
              % [c.get("properties") for c in lib])

    @case
    def artifact_deb_installs_through_the_roots_links(t):
        """A usr-merged root (/lib -> usr/lib): a .deb that ships files
        under /lib/x86_64-linux-gnu (bookworm's liblzma5, libexpat1 and
        libzstd1 do) installs them into /usr/lib/x86_64-linux-gnu, as dpkg
        does. Laid out as it came, its real /lib hid the root's link: the
        root's libc behind /lib (ld.so.cache's path) was then not found,
        and another .deb's library at /usr/lib lost to the root's copy."""
        base = h.fresh_dir(t, "artifacts", "usrmerge")
        root = os.path.join(base, "root")
        libc = h.put_elf(root, "/usr/lib/x86_64-linux-gnu/libc.so.6", "libc.so.6")
        h.put_elf(root, "/usr/lib64/ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2")
        decoy = h.put_elf(root, "/usr/lib/x86_64-linux-gnu/libdemo.so.3", "libdemo.so.3")
        for top in ("lib", "lib64", "bin"):
            os.symlink("usr/" + top, os.path.join(root, top))
        # Hostile tops: a link out of the root, and a FIFO. Neither is
        # a directory to install through; their packages stay as laid out.
        os.symlink("../../../../../../etc", os.path.join(root, "sbin"))
        os.mkfifo(os.path.join(root, "libx32"))
        os.makedirs(os.path.join(root, "usr", "bin"))
        b = rec_build(base)
        libdemo = b.lib("libdemo.so.3", tag="the .deb's")
        other = b.lib("libother.so.1", tag="under /lib")
        libabs = b.lib("libabs.so.1", tag="behind an absolute link")
        tool = b.exe("usrmerge-tool", needed=["libdemo.so.3", "libabs.so.1"],
                     tag="deb program")
        dist = os.path.join(root, "dist")
        os.makedirs(dist)
        A.dpkg_deb(dist, b.dir, "libdemo3", "2.0-1", [
            (A.MULTIARCH + "/libdemo.so.3", libdemo, 0o644)])
        A.dpkg_deb(dist, b.dir, "usrmerge-tool", "1.0-1", [
            ("usr/bin/usrmerge-tool", tool, 0o755)])
        A.dpkg_deb(dist, b.dir, "libother1", "1.0-1", [
            ("lib/x86_64-linux-gnu/libother.so.1", other, 0o644)])
        # The same path in two packages once installed: the one under
        # /usr/lib is the installed one, the other is put aside.
        A.dpkg_deb(dist, b.dir, "libother1-new", "1.1-1", [
            (A.MULTIARCH + "/libother.so.1", other + b"\0new", 0o644)])
        # A link through /lib, absolute, as libc6's /lib64/ld-linux and
        # liblzma-dev's liblzma.so are: it must reach the package's file.
        dpkg_with_link(dist, b.dir, "libabs1", [
            ("lib/x86_64-linux-gnu/libabs.so.1.0", libabs, 0o644)],
            A.MULTIARCH + "/libabs.so.1", "/lib/x86_64-linux-gnu/libabs.so.1.0")
        hostile = b.lib("libhostile.so.1", tag="under a hostile top")
        A.dpkg_deb(dist, b.dir, "hostile-tops", "1.0-1", [
            ("sbin/libhostile.so.1", hostile, 0o644),
            ("libx32/libhostile.so.1", hostile + b"\0x32", 0o644)])
        r = run_in(t, base, "--root", root, dist)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        for top in ("sbin", "libx32"):
            check([c for c in h.comps(r.sbom) if any(
                x.endswith("!/%s/libhostile.so.1" % top) for x in h.locations(c))],
                  "the file under /%s is kept" % top)
        check(not os.path.exists(os.path.join(base, "etc")) and
              stat.S_ISFIFO(os.lstat(os.path.join(root, "libx32")).st_mode),
              "nothing written through the hostile tops")
        check([w for w in r.warnings() if "'/lib': some files of the packages there"
               in w], "the clash is said: %r" % r.warnings())
        s = r.sbom
        progs = [c for c in h.comps(s) if any(
            x.endswith("!/usr/bin/usrmerge-tool") for x in h.locations(c))]
        check(len(progs) == 1, "the program: %r" % progs)
        got = needs(s, progs[0])
        demo = [x for x in got if x["name"] == "libdemo.so.3"]
        check(len(demo) == 1 and A.sha256_file(decoy) not in sha_of(demo[0]) and
              any("libdemo3_2.0-1_amd64.deb!/" in loc for loc in h.locations(demo[0])),
              "libdemo.so.3 is the other .deb's: %r"
              % [(x["name"], h.locations(x)) for x in got])
        found_libc = [x for x in got if x["name"] == "libc.so.6"]
        check(len(found_libc) == 1 and sha_of(found_libc[0]) == [A.sha256_file(libc)],
              "libc.so.6 is the root's: %r" % [(x["name"], h.locations(x)) for x in got])
        lib_other = [c for c in h.comps(s) if any(
            x.endswith("!/lib/x86_64-linux-gnu/libother.so.1") for x in h.locations(c))]
        check(len(lib_other) == 1 and lib_other[0].get("purl") ==
              "pkg:deb/debian/libother1@1.0-1?arch=amd64",
              "the /lib file is its package's: %r" % lib_other)
        absl = [x for x in got if x["name"] == "libabs.so.1"]
        check(len(absl) == 1 and sha_of(absl[0]) == [A.sha256_bytes(libabs)],
              "libabs.so.1 through the absolute link: %r"
              % [(x["name"], h.locations(x)) for x in got])

    @case
    def artifact_deb_without_data_is_incomplete(t):
        """A .deb cut right after its control.tar has no data.tar: ar ends
        there cleanly, and the package looked complete and empty. It is
        not read whole."""
        base = h.fresh_dir(t, "artifacts", "nodata")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        b = rec_build(base)
        name = A.dpkg_deb(dist, b.dir, "cutdeb", "1.0-1", [
            ("usr/lib/x86_64-linux-gnu/libcut.so.1", b.lib("libcut.so.1"), 0o644)])
        path = os.path.join(dist, name)
        with open(path, "rb") as f:
            data = f.read()
        at, members = 8, []  # "!<arch>\n", then 60-byte headers
        while at + 60 <= len(data):
            size = int(data[at + 48:at + 58])
            members.append((data[at:at + 16].strip(), at + 60 + size + (size & 1)))
            at = members[-1][1]
        check([m[0][:8] for m in members] == [b"debian-b", b"control.", b"data.tar"],
              members)
        with open(path, "wb") as f:
            f.write(data[:members[1][1]])
        r = run_in(t, base, "dist/")
        check(r.code == 0, r.err)
        art = [c for c in h.comps(r.sbom) if h.locations(c) == ["dist/" + name]]
        check(len(art) == 1 and "data.tar" in (h.prop(art[0], "bindep:error") or ""),
              "the cut .deb: %r" % art)
        check(art[0]["bom-ref"] in h.incomplete(r.sbom)["assemblies"], "incomplete")
        check([w for w in r.warnings() if name in w], r.warnings())

    @case
    def artifact_deb_only_the_members_dpkg_reads(t):
        """dpkg-deb reads a .deb's control.tar, then its first data.tar
        member, and no further; it skips a member whose name starts with
        "_" (deb(5): noncritical), and refuses any other. So only the
        first data.tar's files are the package's: an ELF member "_x.so"
        was laid out at /_x.so, a member "control" named the package, and
        a second data.tar's files were taken as installed."""
        base = h.fresh_dir(t, "artifacts", "debmembers")
        dist = os.path.join(base, "dist")

        def so(soname):
            return bytes(h.elfgen.build(soname=soname, needed=["libc.so.6"])[0])

        def ctl(package):
            return A.tar_bytes([("./control", (
                "Package: %s\nVersion: 1.0\nArchitecture: amd64\n"
                "Maintainer: t <t@example.org>\nDescription: d\n"
                % package).encode(), 0o644)], "gz")

        A.put(os.path.join(dist, "members_1.0_amd64.deb"), AF.ar_bytes([
            ("debian-binary", b"2.0\n"),
            ("_member.so", so("libunder.so.1")),
            ("control", b"Package: fake\nVersion: 9\nArchitecture: amd64\n"),
            ("control.tar.gz", ctl("members")),
            ("data.tar.gz", A.tar_bytes([
                ("./usr/lib/libfirst.so.1", so("libfirst.so.1"), 0o644)], "gz")),
            ("_sig.so", so("libsig.so.1")),
            ("data.tar.xz", A.tar_bytes([
                ("./usr/lib/libsecond.so.1", so("libsecond.so.1"), 0o644)],
                "xz"))]))
        r = run_in(t, base, "dist/")
        check(r.code == 0, r.err)
        art = [c for c in h.comps(r.sbom)
               if h.locations(c) == ["dist/members_1.0_amd64.deb"]]
        check(len(art) == 1 and art[0].get("purl") ==
              "pkg:deb/debian/members@1.0?arch=amd64",
              "named by control.tar's control: %r" % [c.get("purl") for c in art])
        named = sorted(x for c in h.comps(r.sbom) for x in h.locations(c)
                       if "!/" in x)
        check(named == ["dist/members_1.0_amd64.deb!/usr/lib/libfirst.so.1"],
              "only the first data.tar's file: %r" % named)

    @case
    def artifact_deb_copyright_hostile(t):
        """A .deb's own usr/share/doc/<p>/copyright, read for its licence,
        as a hostile package shapes it: a symlink out of the package (to
        the host's /etc/passwd, or up past its root) and a FIFO are no
        file and read never; one over 4 MiB is skipped with one warning;
        one whose License line is not UTF-8 leaves the document valid
        UTF-8; one cut short in a truncated data.tar.gz declares nothing,
        the package still named. Every package is named; no licence comes
        of any of them."""
        base = h.fresh_dir(t, "artifacts", "debcopyright")
        dist = os.path.join(base, "dist")
        dep5 = (b"Format: https://www.debian.org/doc/packaging-manuals/"
                b"copyright-format/1.0/\n\nFiles: *\nLicense: ")

        def ctl(package):
            return A.tar_bytes([("./control", (
                "Package: %s\nVersion: 1.0\nArchitecture: amd64\n"
                "Maintainer: t <t@example.org>\nDescription: d\n"
                % package).encode(), 0o644)], "gz")

        def put(package, data_name, data):
            A.put(os.path.join(dist, "%s_1.0_amd64.deb" % package),
                  AF.ar_bytes([("debian-binary", b"2.0\n"),
                               ("control.tar.gz", ctl(package)),
                               (data_name, data)]))

        def doc(package):
            return "./usr/share/doc/%s/copyright" % package

        put("cplink", "data.tar", AF.tar_bytes([
            (doc("cplink"), "sym", "/etc/passwd")]))
        put("cpup", "data.tar", AF.tar_bytes([
            (doc("cpup"), "sym", "../../../../../../etc/passwd")]))
        put("cpfifo", "data.tar", AF.tar_bytes([(doc("cpfifo"), "fifo", None)]))
        put("cpbig", "data.tar", AF.tar_bytes([
            (doc("cpbig"), "file", dep5 + b"MIT\n" + b"x" * (5 << 20))]))
        put("cputf", "data.tar", AF.tar_bytes([
            (doc("cputf"), "file", dep5 + b"MIT\xff\xfe\xc3(\n")]))
        cut = A.tar_bytes([(doc("cpcut"), dep5 + b"MIT\n" +
                            os.urandom(200000), 0o644)], "gz")
        put("cpcut", "data.tar.gz", cut[:len(cut) // 2])
        r = run_in(t, base, "dist/")
        check(r.code == 0, r.err)
        r.raw.decode("utf-8")  # the whole document is UTF-8
        packages = ("cplink", "cpup", "cpfifo", "cpbig", "cputf", "cpcut")
        for p in packages:
            named = [c for c in h.comps(r.sbom) if c.get("purl", "")
                     .startswith("pkg:deb/debian/%s@1.0" % p)]
            check(len(named) == 1, (p, [c.get("purl") for c in h.comps(r.sbom)]))
            check(named[0].get("licenses", []) == [],
                  (p, named[0].get("licenses")))
        said = "\n".join(r.warnings())
        check("root:" not in r.raw.decode(), "the host's /etc/passwd was read")
        check(re.search(r"cpbig_1.0_amd64.deb!/data.tar!/usr/share/doc/cpbig/"
                        r"copyright': larger than 4 MiB", said), said)
        check(re.search(r"cpfifo_1.0_amd64.deb!/data.tar!/usr/share/doc/"
                        r"cpfifo/copyright': a FIFO", said), said)
        check(re.search(r"cpup_1.0_amd64.deb!/data.tar!/usr/share/doc/cpup/"
                        r"copyright': symlink to .* leaves the archive", said),
              said)
        check(re.search(r"cpcut_1.0_amd64.deb!/data.tar.gz!/.*truncated", said),
              said)

    @case
    def artifact_deb_absolute_data_names_installed(t):
        """dpkg installs a data.tar entry "/usr/bin/app" (or "//usr/...")
        at /usr/bin/app: it skips every leading "/" and "./" of a name
        (fsys_hash_find_node, path_skip_slash_dotslash). Such a .deb's
        files are the package's, at those paths, with no warning; they
        were skipped as absolute entry names."""
        base = h.fresh_dir(t, "artifacts", "debabsolute")
        dist = os.path.join(base, "dist")
        lib = bytes(h.elfgen.build(soname="libabsdeb.so.1",
                                   needed=["libc.so.6"])[0])
        app = bytes(h.elfgen.build(etype=2, needed=["libabsdeb.so.1", "libc.so.6"],
                                   runpath="$ORIGIN/../lib/x86_64-linux-gnu",
                                   interp="/lib64/ld-linux-x86-64.so.2")[0])
        control = A.tar_bytes([("./control", (
            "Package: absdeb\nVersion: 1.0\nArchitecture: amd64\n"
            "Maintainer: t <t@example.org>\nDescription: d\n").encode(),
            0o644)], "gz")
        A.put(os.path.join(dist, "absdeb_1.0_amd64.deb"), AF.ar_bytes([
            ("debian-binary", b"2.0\n"), ("control.tar.gz", control),
            ("data.tar.xz", A.tar_bytes([
                ("/usr/bin/absapp", app, 0o755),
                ("//usr/lib/x86_64-linux-gnu/libabsdeb.so.1", lib, 0o644)],
                "xz"))]))
        r = run_in(t, base, "--strict", "dist/")
        check(r.code == 0, r.err)
        deb = "dist/absdeb_1.0_amd64.deb!/"
        where, _ = h.need_found(r.sbom, "absapp", "libabsdeb.so.1")
        check(where == [deb + "usr/lib/x86_64-linux-gnu/libabsdeb.so.1"],
              "the library at its installed path: %r" % (where,))
        check(h.locations(h.by_name(r.sbom, "absapp")) == [deb + "usr/bin/absapp"],
              "the program at its installed path")
        check(r.warnings() == [], "no warning: %r" % r.warnings())

    @case
    def artifact_opendocument_is_no_jar(t):
        """An OpenDocument file (docutils ships styles.odt) and an EPUB
        have a META-INF/ of their own (manifest.xml, container.xml): a
        plain zip, not a jar warned about as having no manifest. A jar is
        one with META-INF/MANIFEST.MF (in any case) or Maven's
        META-INF/maven/."""
        base = h.fresh_dir(t, "artifacts", "odf")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        odf = [("mimetype", b"application/vnd.oasis.opendocument.text", 0o644),
               ("META-INF/manifest.xml", b"<manifest/>", 0o644),
               ("styles.xml", b"<styles/>", 0o644)]
        A.put(os.path.join(dist, "styles.odt"), A.zip_bytes(odf))
        A.put(os.path.join(dist, "book.epub"), A.zip_bytes([
            ("mimetype", b"application/epub+zip", 0o644),
            ("META-INF/container.xml", b"<container/>", 0o644)]))
        # A source zip with a test fixture's class is no jar either.
        A.put(os.path.join(dist, "src.zip"), A.zip_bytes([
            ("src-1.0/tests/data/Fixture.class", b"\xca\xfe\xba\xbe", 0o644)]))
        # A manifest in another case is one, as Java reads it.
        A.put(os.path.join(dist, "lower.jar"), A.zip_bytes([
            ("meta-inf/manifest.mf", b"Manifest-Version: 1.0\r\n"
             b"Implementation-Title: lower\r\nImplementation-Version: 2.1\r\n\r\n",
             0o644)]))
        r = run_in(t, base, "dist/")
        check(r.code == 0 and not r.warnings(), "warnings: %r" % r.warnings())
        kinds = {h.locations(c)[0]: h.prop(c, "bindep:artifact-type")
                 for c in h.comps(r.sbom) if h.props(c, "bindep:artifact-type")}
        check(kinds == {"dist/styles.odt": "zip", "dist/book.epub": "zip",
                        "dist/src.zip": "zip", "dist/lower.jar": "jar"}, kinds)

    @case
    def artifact_jar_whose_manifest_names_nothing(t):
        """A jar as `jar cf` makes it (Debian's octave.jar, aopalliance,
        gettext.jar: 18 of /usr/share/java's 71 jars): a MANIFEST.MF of
        only Manifest-Version and Created-By names nothing, as a plain
        zip names nothing: no warning (it was "no 'Bundle-SymbolicName'
        or 'Implementation-Title' field, its purl unknown", though a
        MANIFEST.MF gives no purl anyway), a jar named by its file, no
        purl; its JNI library is still read."""
        base = h.fresh_dir(t, "artifacts", "barejar")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        lib = h.elfgen.build(soname="libjni.so")[0]
        A.put(os.path.join(dist, "octave.jar"), A.zip_bytes([
            ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n"
             b"Created-By: 17.0.6 (Debian)\r\n\r\n", 0o644),
            ("org/octave/Matrix.class", b"\xca\xfe\xba\xbe", 0o644),
            ("native/libjni.so", bytes(lib), 0o755)]))
        r = run_in(t, base, "dist/")
        check(r.code == 0 and not r.warnings(), "warnings: %r" % r.warnings())
        jar = [c for c in h.comps(r.sbom) if h.props(c, "bindep:artifact-type")]
        check(len(jar) == 1 and jar[0]["name"] == "octave.jar" and
              h.prop(jar[0], "bindep:artifact-type") == "jar" and
              "purl" not in jar[0], jar)
        check([c for c in h.comps(r.sbom)
               if "dist/octave.jar!/native/libjni.so" in h.locations(c)],
              "the JNI library is a component")

    @case
    def artifact_rpm_from_rpmbuild(t):
        base, rec, r = everything(t)
        s = r.sbom
        exe, lib = elf(s, rec["rpm"], "exe"), elf(s, rec["rpm"], "lib")
        reaches(s, exe, lib, "RUNPATH $ORIGIN/../lib64 inside the rpm")
        host_libc(s, exe)

    @case
    def artifact_apk_of_three_gzip_streams(t):
        base, rec, r = everything(t)
        s = r.sbom
        exe, lib = elf(s, rec["apk"], "exe"), elf(s, rec["apk"], "lib")
        reaches(s, exe, lib, "RUNPATH $ORIGIN/../lib inside the apk")
        # .PKGINFO and the signature are no files of the SBOM.
        check(not [x for c in h.comps(s) for x in h.locations(c)
                   if x.endswith(".PKGINFO") or ".SIGN." in x], "manifests are no files")

    @case
    def artifact_conda_tar_bz2_and_conda(t):
        """Both conda formats (the .conda's files lie in its pkg-*.tar.zst)."""
        base, rec, r = everything(t)
        s = r.sbom
        for key in ("condabz2", "conda"):
            f = elf(s, rec[key], "lib")
            host_libc(s, f)

    @case
    def artifact_jar_with_jni_library(t):
        base, rec, r = everything(t)
        s = r.sbom
        lib = elf(s, rec["jar"], "lib")
        host_libc(s, lib)
        check(not [c for c in h.comps(s) for x in h.locations(c)
                   if x.endswith(".class")], "class files are no components")

    @case
    def artifact_release_tarball_is_its_own_tree(t):
        base, rec, r = everything(t)
        s = r.sbom
        exe, lib = elf(s, rec["release"], "exe"), elf(s, rec["release"], "lib")
        reaches(s, exe, lib, "bin/app's $ORIGIN/../lib")
        host_libc(s, exe)
        check(exe["type"] == "application" and lib["type"] == "library",
              "types %s %s" % (exe["type"], lib["type"]))

    @case
    def artifact_tarball_holding_a_wheel(t):
        """rel.tar.gz!/rel/wheels/x.whl!/x/_y.so: the wheel is an artifact
        of its own, contained by the tarball, its file bundled in it."""
        base, rec, r = everything(t)
        s, rel = r.sbom, rec["rel"]
        outer = artifact(s, file_sha(base, rel), rel["file"])
        check(h.prop(outer, "bindep:artifact-type") == "tarball", "tarball")
        check("purl" not in outer, "no version in its name, no purl: %r"
              % outer.get("purl"))
        inner = artifact(s, rel["wheel"]["sha"], "the nested wheel")
        check(inner.get("purl") == "pkg:pypi/x@1.0", inner.get("purl"))
        check(h.prop(inner, "bindep:artifact-type") == "wheel", "wheel")
        check(h.locations(inner) == ["dist/rel.tar.gz!/" + rel["wheel"]["entry"]],
              "the nested wheel is located in the tarball: %r" % h.locations(inner))
        check(h.locations(outer) == ["dist/rel.tar.gz"], h.locations(outer))
        check(inner["bom-ref"] in {x["bom-ref"] for x in needs(s, outer)},
              "the tarball contains the wheel")
        ext = at(s, "dist/rel.tar.gz!/" + rel["elf"]["ext"])
        check(ext["bom-ref"] in {x["bom-ref"] for x in needs(s, inner)},
              "the wheel contains its extension")
        check(h.props(ext, "bindep:bundled-in") == ["pkg:pypi/x@1.0"],
              "bundled in the innermost artifact: %r" % h.props(ext, "bindep:bundled-in"))

    @case
    def artifact_plain_tar_inside_a_tarball(t):
        """An uncompressed tar inside a tarball is found by its content
        too (its ustar magic lies at offset 257)."""
        base, rec, _ = everything(t)
        d = h.fresh_dir(t, "artifacts", "plain-tar")
        dist = os.path.join(d, "dist")
        b = rec_build(d)
        p = A.tarball_with_plain_tar(dist, b)
        r = run_in(t, d, "dist/")
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s = r.sbom
        outer = artifact(s, file_sha(d, p), p["file"])
        inner = artifact(s, p["inner"]["sha"], "the inner tar")
        check(inner["bom-ref"] in {x["bom-ref"] for x in needs(s, outer)},
              "the tarball contains the inner tar")
        exe = at(s, "dist/%s!/%s" % (p["file"], p["elf"]["exe"]))
        check(exe["bom-ref"] in {x["bom-ref"] for x in needs(s, inner)},
              "the inner tar contains its program")

    @case
    def artifact_symlinks_inside_are_occurrences(t):
        """A symlink to an ELF file inside an artifact is another
        occurrence of it, as a symlink in a directory is
        (fixture_tree_components: dist/lib/libfoo.so)."""
        base, rec, r = everything(t)
        s = r.sbom
        for key, link in (("condabz2", "dist/libx-1.0-h1234_0.tar.bz2!/lib/libx.so"),
                          ("release", "dist/app-1.2.3.tar.gz!/app-1.2.3/lib/libapp.so")):
            lib = elf(s, rec[key], "lib")
            check(link in h.locations(lib), "%s is an occurrence: %r"
                  % (link, h.locations(lib)))

    @case
    def artifact_zip_is_a_component(t):
        base, rec, r = everything(t)
        s, z = r.sbom, rec["zip"]
        comp = identified(s, base, z)
        check("purl" not in comp, "a plain zip has no purl")
        host_libc(s, elf(s, z, "exe"))

    @case
    def artifact_output_is_deterministic(t):
        """Same artifacts, same bytes: across runs and thread counts (the
        timestamp too, which must not be the extraction's mtime)."""
        base, rec, r = everything(t)
        again = run_in(t, base, "--format", "cyclonedx", "-j", "1", "dist/")
        check(again.code == 0, "exit %d" % again.code)
        check(again.raw == r.raw, "a second run (-j 1) differs: timestamp %s vs %s"
              % (again.sbom["metadata"]["timestamp"], r.sbom["metadata"]["timestamp"]))

    # ---- how artifacts are named and found -----------------------------------

    @case
    def artifact_found_by_content_not_name(t):
        """A wheel renamed .bin and an npm tarball renamed .dat are still
        read; the purl then comes from METADATA and package.json alone."""
        base, rec, _ = everything(t)
        d = h.fresh_dir(t, "artifacts", "renamed")
        dist = os.path.join(d, "dist")
        os.makedirs(dist)
        shutil.copy(os.path.join(base, "dist", rec["wheel"]["file"]),
                    os.path.join(dist, "artifact.bin"))
        shutil.copy(os.path.join(base, "dist", rec["sharp"]["file"]),
                    os.path.join(dist, "upload.dat"))
        r = run_in(t, d, "--format", "cyclonedx", "dist/")
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s = r.sbom
        w = dict(rec["wheel"], file="artifact.bin")
        identified(s, d, w)
        ext, lib = elf(s, w, "ext"), elf(s, w, "lib")
        reaches(s, ext, lib, "renamed wheel")
        identified(s, d, dict(rec["sharp"], file="upload.dat"))

    @case
    def artifact_named_directly_as_paths(t):
        """Artifacts given as PATHs, relative and absolute, are read as in
        a directory, together: edges across them stay exact."""
        base, rec, _ = everything(t)
        dist = os.path.join(base, "dist")
        sharp, vips = rec["sharp"], rec["vips"]
        r = run_in(t, base, "dist/" + sharp["file"],
                   os.path.join(dist, vips["file"]),
                   "dist/" + rec["torch"]["file"], "dist/" + rec["cublas"]["file"])
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s = r.sbom
        addon = at(s, "dist/sharp-0.33.0.tgz!/package/build/Release/sharp.node")
        lib = at(s, dist + "/" + vips["file"] + "!/" + vips["elf"]["lib"])
        reaches(s, addon, lib, "named directly, relative and absolute")
        reaches(s, elf(s, rec["torch"], "ext"), elf(s, rec["cublas"], "lib"),
                "wheels named directly")
        for key in ("sharp", "torch", "cublas"):
            identified(s, base, rec[key])
        identified(s, base, vips, base_name=dist)
        check(not [c for c in h.comps(s) for x in h.locations(c)
                   if "pkg.libs" in x or x.startswith("dist/app-")],
              "only the artifacts named are read")

    # ---- the other formats -------------------------------------------------------

    @case
    def artifact_spdx_mirrors_cyclonedx(t):
        """SPDX: each artifact a package with its purl and SHA256, CONTAINS
        each of its files; a file named by its entry path like a file of a
        directory (packageFileName, bindep:path annotations)."""
        base, rec, _ = everything(t)
        r = run_in(t, base, "--format", "spdx", "dist/")
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s = r.sbom
        pkgs = s["packages"]

        def purl_of(p):
            return [x["referenceLocator"] for x in p.get("externalRefs", [])
                    if x["referenceType"] == "purl"]

        def paths_of(p):
            notes = [a["comment"][len("bindep:path="):]
                     for a in p.get("annotations", [])
                     if a["comment"].startswith("bindep:path=")]
            return set(notes) | {p.get("packageFileName")}

        def notes_of(p, key):
            return [a["comment"][len(key) + 1:] for a in p.get("annotations", [])
                    if a["comment"].startswith(key + "=")]

        contains = {(x["spdxElementId"], x["relatedSpdxElement"])
                    for x in s["relationships"] if x["relationshipType"] == "CONTAINS"}

        def spdx_artifact(rr):
            sha = file_sha(base, rr)
            art = [p for p in pkgs if {"algorithm": "SHA256", "checksumValue": sha}
                   in p.get("checksums", []) and notes_of(p, "bindep:artifact-type")]
            check(len(art) == 1, "%s: %d SPDX packages" % (rr["file"], len(art)))
            check(notes_of(art[0], "bindep:artifact-type") == [rr["type"]], "type")
            purpose = {"deb": "INSTALL", "rpm": "INSTALL", "apk": "INSTALL",
                       "tarball": "ARCHIVE", "zip": "ARCHIVE"}.get(rr["type"], "LIBRARY")
            check(art[0].get("primaryPackagePurpose") == purpose, "%s: purpose %r, want %r"
                  % (rr["file"], art[0].get("primaryPackagePurpose"), purpose))
            check("dist/" + rr["file"] in paths_of(art[0]), "%s: paths %r"
                  % (rr["file"], paths_of(art[0])))
            check(purl_of(art[0]) == ([rr["purl"]] if rr["purl"] else []),
                  "%s: purl %r" % (rr["file"], purl_of(art[0])))
            for k, entry in rr["elf"].items():
                pat = location_re(rr, k)
                f = [p for p in pkgs if any(pat.match(x or "") for x in paths_of(p))]
                check(len(f) == 1, "%s!/%s: %d SPDX packages" % (rr["file"], entry, len(f)))
                check((art[0]["SPDXID"], f[0]["SPDXID"]) in contains,
                      "%s CONTAINS %s" % (rr["file"], entry))
                if rr["purl"]:
                    check(notes_of(f[0], "bindep:bundled-in") == [rr["purl"]],
                          "%s!/%s: bundled-in %r" % (rr["file"], entry,
                                                    notes_of(f[0], "bindep:bundled-in")))

        wrong = []
        for key in KINDS:  # every kind checked, every failure reported
            try:
                spdx_artifact(rec[key])
            except h.Failure as e:
                wrong.append(str(e))
        check(not wrong, "; ".join(wrong))
        # SPDX 3.0.1 says the same of every kind of artifact.
        r3 = run_in(t, base, "--format", "spdx3", "dist/")
        check(r3.code == 0 and r3.err == r.err, r3.err)
        h.same_as_spdx2(s, r3.sbom)

    @case
    def artifact_npm_any_top_directory(t):
        """npm installs a tarball whatever its one top directory is called
        (pacote extracts with strip: 1): turbo-linux-64 2.8.17 is
        published with "turbo-linux-x64/", not "package/". Its package.json
        there names it, and its program is the package's, laid out in
        node_modules where its RUNPATH finds its library. It had been a
        plain tarball, the program unidentified. A release tarball whose
        top directory's package.json names no package (an application's,
        "private") stays a release tarball, named by its file, unwarned."""
        base = h.fresh_dir(t, "artifacts", "npm-top")
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        b = A.Build(os.path.join(base, "build"))
        lib = b.lib("libturbo.so.1", tag="npm top")
        exe = b.exe("turbo", needed=["libturbo.so.1"], runpath="$ORIGIN/../lib")
        pj = b'{"name": "@demo/tool-linux-x64", "version": "2.8.17", "license": "MIT"}'
        A.put(os.path.join(dist, "tool-linux-x64-2.8.17.tgz"), A.tar_bytes([
            ("tool-linux-x64/package.json", pj, 0o644),
            ("tool-linux-x64/bin/turbo", exe, 0o755),
            ("tool-linux-x64/lib/libturbo.so.1", lib, 0o644)], "gz"))
        app = b.exe("app", tag="release")
        A.put(os.path.join(dist, "app-1.0.tar.gz"), A.tar_bytes([
            ("app-1.0/package.json", b'{"private": true}', 0o644),
            ("app-1.0/bin/app", app, 0o755)], "gz"))
        # `npm pack`'s package/ wins over another top directory before it.
        A.put(os.path.join(dist, "two-1.0.tgz"), A.tar_bytes([
            ("docs/package.json", b'{"name": "docs", "version": "9.9.9"}', 0o644),
            ("package/package.json", b'{"name": "two", "version": "1.0.0"}', 0o644),
            ("package/two.node", b.lib("two.node", tag="two"), 0o644)], "gz"))
        r = t.run("dist/", cwd=base)
        check(r.code == 0 and not r.warnings(), r.err.decode())
        two = [c.get("purl") for c in h.comps(r.sbom)
               if any(loc.endswith("!/package/two.node") for loc in h.locations(c))]
        check(two == ["pkg:npm/two@1.0.0"], "package/ first: %r" % two)
        purl = "pkg:npm/%40demo/tool-linux-x64@2.8.17"
        prog = [c for c in h.comps(r.sbom) if c["name"] == "turbo"]
        check(len(prog) == 1 and prog[0].get("purl") == purl,
              "the program is the package's: %r" % prog)
        where, _ = h.need_found(r.sbom, "turbo", "libturbo.so.1")
        check(where and where[0].endswith(
            "tool-linux-x64-2.8.17.tgz!/tool-linux-x64/lib/libturbo.so.1"), where)
        rel = [c.get("purl") for c in h.comps(r.sbom)
               if c["name"] == "app" and c.get("type") == "file"]
        check(rel == ["pkg:generic/app@1.0"], "a release tarball: %r" % rel)

    @case
    def artifact_text_view_names_entries(t):
        base, rec, _ = everything(t)
        r = run_in(t, base, "--format", "text", "-o", "-", "dist/" + rec["release"]["file"],
                   validate_sbom=False)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        text = r.out.decode()
        check("dist/app-1.2.3.tar.gz!/app-1.2.3/bin/app" in text, text[:1500])
        check("libapp.so.1 => dist/app-1.2.3.tar.gz!/app-1.2.3/lib/libapp.so" in text,
              "the library as reached: " + text[:1500])
        check("pkg:generic/app@1.2.3" in text, "the artifact is named: " + text[:1500])

    # ---- a wheel built by setuptools, as a new user has one -----------------------

    @case
    def artifact_setuptools_wheel_as_a_new_user(t):
        """Issue 12's 'done when': `pip wheel .` of a C extension into
        dist/, then `bindep-sbom dist/`: the extension, its libraries and
        the wheel's purl."""
        d = h.fresh_dir(t, "artifacts", "setuptools")
        dist = os.path.join(d, "dist")
        os.makedirs(dist)
        w = A.setuptools_wheel(dist, os.path.join(d, "scratch"))
        if isinstance(w, str):
            print("skip - artifact_setuptools_wheel_as_a_new_user: " + w)
            return
        check(w["elf"], "the wheel holds an extension")
        r = run_in(t, d, "dist/")
        check(r.code == 0 and r.warnings() == [], "exit %d: %s" % (r.code, r.err))
        s = r.sbom
        identified(s, d, w)
        ext = elf(s, w, "ext")
        got = needs(s, ext)
        check(w["needed"] and sorted(x["name"] for x in got) == sorted(w["needed"]),
              "the extension's libraries: %r, readelf says %r"
              % ([x["name"] for x in got], w["needed"]))
        check("libm.so.6" in w["needed"], "setuptools linked libm: %r" % w["needed"])
        for x in got:
            locs = h.locations(x)
            check(any("!/" not in loc and os.path.exists(loc) for loc in locs),
                  "%s found on the host: %r" % (x["name"], locs))

    # ---- the command line ------------------------------------------------------

    @case
    def artifact_max_unpacked_option(t):
        base, rec, r0 = everything(t)
        bad = run_in(t, base, "--max-unpacked", "banana", "dist/", validate_sbom=False)
        check(bad.code == 2, "--max-unpacked banana: exit %d, want 2" % bad.code)
        check(b"--max-unpacked" in bad.err, "the message names the option: %r" % bad.err)
        check(bad.raw is None, "no SBOM written")
        helptext = t.run("--help")
        check(b"--max-unpacked" in helptext.out, "--help lists --max-unpacked")
        # A cap above what the artifacts hold changes nothing.
        ok = run_in(t, base, "--max-unpacked", "64M", "--format", "cyclonedx", "dist/")
        check(ok.code == 0 and ok.err == r0.err, "exit %d: %s" % (ok.code, ok.err))
        check(ok.raw == r0.raw, "--max-unpacked 64M changes the SBOM")
