"""End-to-end cases of SBOMs that artifacts already carry (issue 16, item
2), registered by run.py.

Every artifact is made here: a wheel as auditwheel repairs it (an
extension whose RUNPATH reaches a grafted, hash-named library in
<pkg>.libs/) with auditwheel's own CycloneDX 1.4 SBOM in
<dist-info>/sboms/auditwheel.cdx.json, written with Python as
auditwheel's sboms.py writes it (the library's bom-ref ends in the SHA-256
of the host path it was copied from); an npm tarball with
package/sbom.cdx.json; a release tarball with an SPDX 2.3 file; hostile
SBOMs. Each SBOM written is validated by the runner.
"""
import difflib
import hashlib
import io
import json
import os
import shutil
import tarfile
import zipfile

import artifact_fixtures as A
import validate

WHEEL_TAG = "cp311-cp311-manylinux_2_17_x86_64"
GRAFTED = "libfoo-1a2b3c4d.so.1"
HOST_PATH = "/usr/lib64/libfoo.so.1"
RPM_PURL = "pkg:rpm/almalinux/libfoo@1.2.3-4.el8?arch=x86_64"


def sha_text(s):
    return hashlib.sha256(s.encode()).hexdigest()


def auditwheel_sbom(dist, version, wheel_file, libs):
    """auditwheel's document: the wheel, then one library per grafted
    file, each (name, version, purl, host path)."""
    wheel_purl = "pkg:pypi/%s@%s?file_name=%s" % (dist, version, wheel_file)
    comps = [{"type": "library", "bom-ref": wheel_purl, "name": dist,
              "version": version, "purl": wheel_purl}]
    for name, ver, purl, host in libs:
        comps.append({"type": "library",
                      "bom-ref": "%s#%s" % (purl, sha_text(host)),
                      "name": name, "version": ver, "purl": purl})
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
        "metadata": {"component": comps[0],
                     "tools": [{"name": "auditwheel", "version": "6.5.0"}]},
        "components": comps,
        "dependencies": [{"ref": wheel_purl,
                          "dependsOn": [c["bom-ref"] for c in comps[1:]]}]
        + [{"ref": c["bom-ref"]} for c in comps[1:]],
    }


def register(case, h):
    check = h.check

    def grafted_wheel(b, dist_dir, sboms=(), version="1.0"):
        """Pkg_Demo-<version>-...whl: pkg/_core...so needs the grafted
        libfoo in pkg.libs/; sboms: (file name, bytes) under
        <dist-info>/sboms/. Returns (path, lib sha256, ext sha256)."""
        lib = b.lib(GRAFTED, tag="grafted")
        ext_name = "_core.cpython-311-x86_64-linux-gnu.so"
        ext = b.lib(ext_name, needed=[GRAFTED],
                    runpath="$ORIGIN/../pkg.libs", tag="extension")
        info = "Pkg_Demo-%s.dist-info" % version
        files = [("pkg/__init__.py", b"from ._core import *\n", 0o644),
                 ("pkg/" + ext_name, ext, 0o755),
                 ("pkg.libs/" + GRAFTED, lib, 0o755)]
        files += [(info + "/sboms/" + n, d, 0o644) for n, d in sboms]
        name = A.wheel_name("Pkg_Demo", version, WHEEL_TAG)
        path = A.put(os.path.join(dist_dir, name),
                     A.wheel_bytes("Pkg_Demo", version, files, WHEEL_TAG))
        return path, A.sha256_bytes(lib), A.sha256_bytes(ext)

    def sbom_wheel(b, dist, name, doc):
        """<name>-1.0-...whl: one library of its own and doc as its
        <dist-info>/sboms/x.cdx.json. Returns its path."""
        so = b.lib("lib%s.so.1" % name, tag=name)
        files = [("%s/lib%s.so.1" % (name, name), so, 0o755),
                 ("%s-1.0.dist-info/sboms/x.cdx.json" % name, doc, 0o644)]
        return A.put(os.path.join(dist, A.wheel_name(name, "1.0", WHEEL_TAG)),
                     A.wheel_bytes(name, "1.0", files, WHEEL_TAG))

    def setup(t, *parts):
        base = h.fresh_dir(t, "embedded", *parts)
        dist = os.path.join(base, "dist")
        os.makedirs(dist)
        return base, dist, A.Build(os.path.join(base, "scratch"))

    def run_ok(t, base, *args):
        r = t.run(*args, cwd=base)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err.decode()[-800:]))
        return r

    def by_location(sbom, location):
        found = [c for c in h.comps(sbom) if location in h.locations(c)]
        check(len(found) == 1, "one component at %s, found %d"
              % (location, len(found)))
        return found[0]

    def methods(comp, field):
        return [(m["technique"], m["value"])
                for m in h.identity(comp, field)["methods"]]

    @case
    def embedded_auditwheel_sbom_merged(t):
        """A wheel carrying auditwheel's SBOM: the grafted library is one
        component, matched through the bom-ref's host-path hash, with the
        rpm purl and version and the SBOM as evidence; the wheel keeps
        auditwheel's facts; nothing is duplicated (the same wheel without
        the SBOM gives as many components)."""
        base, dist, b = setup(t, "auditwheel")
        name = A.wheel_name("Pkg_Demo", "1.0", WHEEL_TAG)
        doc = auditwheel_sbom("pkg-demo", "1.0", name, [
            ("libfoo", "1.2.3-4.el8", RPM_PURL, HOST_PATH)])
        path, lib_sha, _ = grafted_wheel(
            b, dist, [("auditwheel.cdx.json", json.dumps(doc).encode())])
        rel = os.path.relpath(path, base)
        where = rel + "!/Pkg_Demo-1.0.dist-info/sboms/auditwheel.cdx.json"
        r = run_ok(t, base, rel)
        check(not r.warnings(), "warnings: %r" % r.warnings())
        lib = by_location(r.sbom, rel + "!/pkg.libs/" + GRAFTED)
        check(lib["purl"] == RPM_PURL, "grafted purl: %r" % lib.get("purl"))
        check(lib.get("version") == "1.2.3-4.el8", "version: %r" % lib)
        check(lib["hashes"][0]["content"] == lib_sha, "hash kept")
        check(h.prop(lib, "bindep:embedded-sbom") == where,
              "provenance: %r" % lib.get("properties"))
        check(methods(lib, "purl") == [("attestation", where)],
              "purl by attestation: %r" % methods(lib, "purl"))
        check(lib.get("supplier", {}).get("name") == "AlmaLinux",
              "supplier of an AlmaLinux rpm: %r" % lib.get("supplier"))
        names = [c["name"] for c in h.comps(r.sbom)]
        check("libfoo" not in names and names.count("pkg-demo") == 0,
              "no duplicate from the embedded SBOM: %r" % names)
        wheel = by_location(r.sbom, rel)
        check(wheel["purl"] == "pkg:pypi/pkg-demo@1.0", "wheel purl")
        check(h.prop(wheel, "bindep:embedded-sbom") == where, "wheel evidence")
        check(h.prop(wheel, "bindep:embedded:purl") ==
              "pkg:pypi/pkg-demo@1.0?file_name=%s" % name,
              "auditwheel's purl kept: %r" % wheel.get("properties"))
        check(("attestation", where) in methods(wheel, "purl"),
              "the wheel's purl corroborated: %r" % methods(wheel, "purl"))
        check(h.depends(r.sbom, wheel) ==
              sorted(["_core.cpython-311-x86_64-linux-gnu.so", GRAFTED]),
              "the wheel holds its files: %r" % h.depends(r.sbom, wheel))
        # The same wheel without the SBOM: as many components.
        plain = os.path.join(base, "plain")
        os.makedirs(plain)
        p2, _, _ = grafted_wheel(b, plain)
        r2 = run_ok(t, base, os.path.relpath(p2, base))
        check(len(h.comps(r2.sbom)) == len(h.comps(r.sbom)),
              "components: %d without, %d with the SBOM"
              % (len(h.comps(r2.sbom)), len(h.comps(r.sbom))))
        # Every format says it.
        for fmt, text in (("spdx", "attested by " + where),
                          ("spdx3", "attested by " + where),
                          ("text", RPM_PURL)):
            rf = run_ok(t, base, "--format", fmt, rel)
            out = rf.raw if rf.raw is not None else rf.out
            check(text.encode() in out, "%s says %r" % (fmt, text))

    @case
    def embedded_other_ecosystem_is_not_the_wheel(t):
        """maturin's SBOM in a wheel describes the Rust crate it built
        (metadata.component pkg:cargo/...): not the wheel, whose purl is
        pkg:pypi. It was merged into the wheel, which got a version
        conflict (the crate's 0.1.0) and the crate's name and purl; the
        crate is a component the wheel holds now."""
        base, dist, b = setup(t, "maturin")
        doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
               "metadata": {"component": {
                   "type": "library", "bom-ref": "demo-rust@0.1.0",
                   "name": "demo-rust", "version": "0.1.0",
                   "purl": "pkg:cargo/demo-rust@0.1.0"}},
               "components": []}
        path, _, _ = grafted_wheel(
            b, dist, [("demo-rust.cyclonedx.json", json.dumps(doc).encode())])
        rel = os.path.relpath(path, base)
        r = run_ok(t, base, rel)
        wheel = by_location(r.sbom, rel)
        check(wheel["purl"] == "pkg:pypi/pkg-demo@1.0" and
              wheel.get("version") == "1.0", "the wheel: %r" % wheel)
        check(not [p for p in wheel.get("properties", [])
                   if p["name"].startswith(("bindep:conflict", "bindep:embedded:"))],
              "the crate's facts on the wheel: %r" % wheel.get("properties"))
        crate = [c for c in h.comps(r.sbom)
                 if c.get("purl") == "pkg:cargo/demo-rust@0.1.0"]
        check(len(crate) == 1 and crate[0]["bom-ref"] in
              {x["bom-ref"] for x in [c for c in h.comps(r.sbom)
                                      if c["name"] in h.depends(r.sbom, wheel)]},
              "the crate, held by the wheel: %r / %r"
              % (crate, h.depends(r.sbom, wheel)))

    @case
    def embedded_build_tools_are_not_held(t):
        """An SBOM that lists the wheel's build tools beside what it
        bundles: CycloneDX's scope "excluded" (not reachable at run
        time) and SPDX's BUILD_TOOL_OF and DEV_DEPENDENCY_OF. They were
        added as components the wheel holds (SPDX: CONTAINS setuptools);
        the bundled one still is."""
        base, dist, b = setup(t, "tools")
        cdx = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
               "components": [
                   {"type": "library", "name": "setuptools",
                    "version": "75.0", "purl": "pkg:pypi/setuptools@75.0",
                    "scope": "excluded"},
                   {"type": "library", "name": "mimalloc", "version": "2.1",
                    "purl": "pkg:generic/mimalloc@2.1"}]}
        ref = lambda n: "SPDXRef-" + n
        pkg = lambda n: {"SPDXID": ref(n), "name": n, "versionInfo": "1",
                         "downloadLocation": "NOASSERTION",
                         "externalRefs": [{
                             "referenceCategory": "PACKAGE-MANAGER",
                             "referenceType": "purl",
                             "referenceLocator": "pkg:pypi/%s@1" % n}]}
        spdx = {"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0",
                "SPDXID": "SPDXRef-DOCUMENT", "name": "w",
                "documentNamespace": "https://example.com/w",
                "creationInfo": {"created": "2025-01-01T00:00:00Z",
                                 "creators": ["Tool: x"]},
                "packages": [pkg("cython"), pkg("pytest"), pkg("bundled")],
                "relationships": [
                    {"spdxElementId": ref("cython"),
                     "relationshipType": "BUILD_TOOL_OF",
                     "relatedSpdxElement": "SPDXRef-DOCUMENT"},
                    {"spdxElementId": ref("pytest"),
                     "relationshipType": "DEV_DEPENDENCY_OF",
                     "relatedSpdxElement": "SPDXRef-DOCUMENT"},
                    {"spdxElementId": "SPDXRef-DOCUMENT",
                     "relationshipType": "CONTAINS",
                     "relatedSpdxElement": ref("bundled")}]}
        path, _, _ = grafted_wheel(
            b, dist, [("build.cdx.json", json.dumps(cdx).encode()),
                      ("build.spdx.json", json.dumps(spdx).encode())])
        rel = os.path.relpath(path, base)
        r = run_ok(t, base, rel)
        purls = {c.get("purl") for c in h.comps(r.sbom)}
        for gone in ("pkg:pypi/setuptools@75.0", "pkg:pypi/cython@1",
                     "pkg:pypi/pytest@1"):
            check(gone not in purls, "%s listed: %r" % (gone, sorted(
                p for p in purls if p)))
        for kept in ("pkg:generic/mimalloc@2.1", "pkg:pypi/bundled@1"):
            check(kept in purls, "%s not listed" % kept)
        rs = run_ok(t, base, "--format", "spdx", rel)
        check(b"setuptools" not in rs.raw and b"cython" not in rs.raw,
              "a build tool in the SPDX document")

    @case
    def embedded_static_library_listed_by_another_purl(t):
        """cryptography's wheel: its extension has OpenSSL compiled in
        (read by its version string: pkg:github/openssl/openssl@3.0.16),
        and the SBOM it ships lists that OpenSSL as
        pkg:generic/openssl@3.0.16?download_url=...: one library, one
        component, their purl kept as an embedded one. It was two, and a
        scanner reported its CVEs twice. Compiled into a file of another
        wheel too, it is not this SBOM's to name: two components then."""
        def wheel(dist, name, sboms):
            so = A.Build(os.path.join(dist, "..", "scratch-" + name))._cc(
                os.path.join(dist, "..", name + ".so"),
                'const char *v = "OpenSSL 3.0.16 11 Feb 2025";\n'
                "int PyInit__rust(void) { return v[0]; }\n",
                ["-shared", "-fPIC"])
            files = [("%s/_rust.abi3.so" % name, so, 0o755)]
            files += [("%s-1.0.dist-info/sboms/%s" % (name, n), d, 0o644)
                      for n, d in sboms]
            return A.put(os.path.join(dist, A.wheel_name(name, "1.0", WHEEL_TAG)),
                         A.wheel_bytes(name, "1.0", files, WHEEL_TAG))

        theirs = ("pkg:generic/openssl@3.0.16?download_url="
                  "https://github.com/openssl/openssl/releases")
        # The same purl under another name first ("libcrypto"): the same
        # library, whatever the order; "1.1.1W" is no "1.1.1w".
        doc = json.dumps({
            "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "components": [
                {"type": "library", "name": "libcrypto", "version": "3.0.16",
                 "purl": theirs},
                {"type": "library", "name": "OpenSSL", "version": "3.0.16",
                 "purl": theirs}]}).encode()
        for other in (False, True):
            base, dist, b = setup(t, "static-other-purl-%d" % other)
            wheel(dist, "crypto", [("sbom.json", doc)])
            if other:
                wheel(dist, "other", [])
            r = run_ok(t, base, "dist/")
            ssl = [c for c in h.comps(r.sbom) if c["name"] == "openssl"]
            declared = [c for c in h.comps(r.sbom)
                        if c.get("purl", "").startswith("pkg:generic/openssl@")]
            if not other:
                check(len(ssl) == 1 and ssl[0].get("purl") ==
                      "pkg:github/openssl/openssl@3.0.16" and
                      h.prop(ssl[0], "bindep:embedded:purl").startswith(
                          "pkg:generic/openssl@3.0.16") and not declared,
                      "one OpenSSL: %r / %r" % (ssl, declared))
            else:
                check(len(declared) == 1 and
                      not h.props(ssl[0], "bindep:embedded:purl"),
                      "compiled into another wheel too: %r"
                      % [c.get("purl") for c in ssl + declared])

    @case
    def embedded_licences_off_the_spdx_list_are_kept_apart(t):
        """A carried SBOM's licence that is no SPDX License List
        identifier ("BSD", npm's "UNLICENSED") is not written as an
        expression, which spdx-expression-parse and SPDX validators
        refuse: it is kept as bindep:embedded:license. One in another case
        ("mit") is written as the list spells it."""
        base, dist, b = setup(t, "npm-lic")
        node = b.lib("addon.node", tag="npm-lic-addon")
        helper = b.lib("helper.node", tag="npm-lic-helper")
        doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
               "components": [
                   {"type": "library", "name": "addon-core",
                    "version": "2.0.0", "purl": "pkg:generic/addon-core@2.0.0",
                    "licenses": [{"license": {"id": "BSD"}}],
                    "hashes": [{"alg": "SHA-256",
                                "content": A.sha256_bytes(node)}]},
                   {"type": "library", "name": "leftpad", "version": "1.3.0",
                    "purl": "pkg:npm/leftpad@1.3.0",
                    "licenses": [{"expression": "mit OR apache-2.0"}]},
                   {"type": "library", "name": "secret", "version": "1.0.0",
                    "purl": "pkg:npm/secret@1.0.0",
                    "licenses": [{"expression": "UNLICENSED"}]},
                   # By hash, no purl: the file stays the package's, but
                   # its licence is this SBOM's word, not the package's.
                   {"type": "library", "name": "helper",
                    "licenses": [{"license": {"name": "Proprietary"}}],
                    "hashes": [{"alg": "SHA-256",
                                "content": A.sha256_bytes(helper)}]}]}
        tgz = A.npm_tarball("lic-demo", "1.0.0", [
            ("build/Release/addon.node", node, 0o755),
            ("build/Release/helper.node", helper, 0o755),
            ("sbom.cdx.json", json.dumps(doc).encode(), 0o644)])
        A.put(os.path.join(dist, "lic-demo-1.0.0.tgz"), tgz)
        rel = "dist/lic-demo-1.0.0.tgz"
        r = run_ok(t, base, rel)
        addon = by_location(r.sbom, rel + "!/package/build/Release/addon.node")
        check("licenses" not in addon, "BSD taken: %r" % addon.get("licenses"))
        check(h.prop(addon, "bindep:embedded:license") == "BSD",
              "kept apart: %r" % addon.get("properties"))
        left = h.by_name(r.sbom, "leftpad")
        check(left["licenses"][0]["expression"] == "MIT OR Apache-2.0",
              "the list's spelling: %r" % left["licenses"])
        secret = h.by_name(r.sbom, "secret")
        check("licenses" not in secret and
              h.prop(secret, "bindep:embedded:license") == "UNLICENSED",
              "UNLICENSED: %r" % secret)
        helped = by_location(r.sbom,
                             rel + "!/package/build/Release/helper.node")
        check("licenses" not in helped and
              h.prop(helped, "bindep:embedded:license") == "Proprietary",
              "the package's licence over the SBOM's: %r %r"
              % (helped.get("licenses"), helped.get("properties")))

    @case
    def embedded_concluded_licence_is_not_declared(t):
        """A carried SBOM's licence someone concluded (CycloneDX 1.6
        acknowledgement "concluded", SPDX 2.3 licenseConcluded) is written
        as concluded: CycloneDX's acknowledgement, SPDX 2.3's
        licenseConcluded (licenseDeclared NOASSERTION), SPDX 3's
        hasConcludedLicense. It had been written as declared. A declared
        licence beside it is the one taken, not joined with it."""
        base, dist, b = setup(t, "concluded")
        node = b.lib("addon.node", tag="concluded-addon")
        doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
               "components": [
                   {"type": "library", "name": "concl", "version": "1.0.0",
                    "purl": "pkg:npm/concl@1.0.0",
                    "licenses": [{"expression": "MIT",
                                  "acknowledgement": "concluded"}]},
                   {"type": "library", "name": "both", "version": "1.0.0",
                    "purl": "pkg:npm/both@1.0.0",
                    "licenses": [{"expression": "MIT",
                                  "acknowledgement": "concluded"},
                                 {"license": {"id": "Zlib",
                                              "acknowledgement":
                                                  "declared"}}]}]}
        tgz = A.npm_tarball("concl-demo", "1.0.0", [
            ("build/Release/addon.node", node, 0o755),
            ("sbom.cdx.json", json.dumps(doc).encode(), 0o644)])
        A.put(os.path.join(dist, "concl-demo-1.0.0.tgz"), tgz)
        rel = "dist/concl-demo-1.0.0.tgz"
        r = run_ok(t, base, rel)
        concl = h.by_name(r.sbom, "concl")
        check(concl.get("licenses") == [{"expression": "MIT",
                                         "acknowledgement": "concluded"}],
              "concluded: %r" % concl.get("licenses"))
        both = h.by_name(r.sbom, "both")
        check(both.get("licenses") == [{"expression": "Zlib",
                                        "acknowledgement": "declared"}],
              "the declared one: %r" % both.get("licenses"))
        spdx = json.loads(run_ok(t, base, "--format", "spdx", rel).raw)
        pkg = [p for p in spdx["packages"] if p["name"] == "concl"]
        check(len(pkg) == 1 and pkg[0]["licenseConcluded"] == "MIT" and
              pkg[0]["licenseDeclared"] == "NOASSERTION",
              "SPDX 2.3: %r" % pkg)
        pkg = [p for p in spdx["packages"] if p["name"] == "both"]
        check(len(pkg) == 1 and pkg[0]["licenseDeclared"] == "Zlib" and
              pkg[0]["licenseConcluded"] == "NOASSERTION",
              "SPDX 2.3: %r" % pkg)
        graph = json.loads(run_ok(t, base, "--format", "spdx3", rel).raw)
        graph = graph["@graph"]
        ids = {e["spdxId"]: e for e in graph if "spdxId" in e}
        named = {e.get("name"): e["spdxId"] for e in graph
                 if e.get("type") == "software_Package"}
        kinds = {(rel_["from"], rel_["relationshipType"])
                 for rel_ in graph if rel_.get("type") == "Relationship"}
        check((named.get("concl"), "hasConcludedLicense") in kinds and
              (named.get("concl"), "hasDeclaredLicense") not in kinds,
              "SPDX 3: %r" % sorted(k for k in kinds
                                    if k[0] == named.get("concl")))
        check((named.get("both"), "hasDeclaredLicense") in kinds,
              "SPDX 3 declared: %r" % sorted(k for k in kinds
                                             if k[0] == named.get("both")))
        check(ids, "SPDX 3 has elements")

    @case
    def embedded_sbom_count_capped_in_a_run(t):
        """README: past 1,000 embedded SBOMs in a run, one warning naming
        the first not read, and the rest skipped; the 1,000 read keep the
        packages only they describe, and the scan goes on."""
        base, dist, b = setup(t, "sbom-count")
        so = b.lib("libmany.so.1", tag="many")

        def doc(i):
            return json.dumps({
                "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                "components": [{"type": "library", "name": "p%04d" % i,
                                "version": "1.0",
                                "purl": "pkg:generic/p%04d@1.0" % i}]
            }).encode()
        files = [("many/libmany.so.1", so, 0o755)]
        files += [("many-1.0.dist-info/sboms/s%04d.cdx.json" % i, doc(i),
                   0o644) for i in range(1001)]
        wheel = A.wheel_name("many", "1.0", WHEEL_TAG)
        A.put(os.path.join(dist, wheel),
              A.wheel_bytes("many", "1.0", files, WHEEL_TAG))
        r = run_ok(t, base, "dist/" + wheel)
        check(r.warnings() == [
            "bindep-sbom: warning: 'dist/%s!/many-1.0.dist-info/sboms/"
            "s1000.cdx.json': more than 1000 embedded SBOMs or 64 MiB of "
            "them in this run, this and the rest skipped" % wheel],
            "one warning: %r" % r.warnings()[:3])
        names = {c["name"] for c in h.comps(r.sbom)}
        check({"p%04d" % i for i in range(1000)} <= names and
              "p1000" not in names, "the first 1000 read: %d, p1000 %s"
              % (len([n for n in names if n.startswith("p")]),
                 "p1000" in names))
        check("libmany.so.1" in names, "the wheel's library listed")

    @case
    def embedded_npm_sbom_by_hash_and_declared(t):
        """An npm tarball's package/sbom.cdx.json: its native module is
        matched by SHA-256 and takes their purl, version, licence and
        supplier; a package only they describe is added, held by the
        tarball, with the SBOM as provenance."""
        base, dist, b = setup(t, "npm")
        node = b.lib("addon.node", tag="npm-addon")
        doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
               "metadata": {"component": {"type": "library",
                                          "name": "native-demo",
                                          "version": "3.1.0"}},
               "components": [
                   {"type": "library", "name": "addon-core",
                    "version": "2.0.0", "purl": "pkg:generic/addon-core@2.0.0",
                    "supplier": {"name": "Example Corp"},
                    "licenses": [{"license": {"id": "MIT"}}],
                    "hashes": [{"alg": "SHA-256",
                                "content": A.sha256_bytes(node).upper()}]},
                   {"type": "library", "name": "leftpad", "version": "1.3.0",
                    "purl": "pkg:npm/leftpad@1.3.0",
                    "licenses": [{"expression": "MIT OR Apache-2.0"}]}]}
        tgz = A.npm_tarball("native-demo", "3.1.0", [
            ("build/Release/addon.node", node, 0o755),
            ("sbom.cdx.json", json.dumps(doc).encode(), 0o644)])
        A.put(os.path.join(dist, "native-demo-3.1.0.tgz"), tgz)
        rel = "dist/native-demo-3.1.0.tgz"
        where = rel + "!/package/sbom.cdx.json"
        r = run_ok(t, base, rel)
        check(not r.warnings(), "warnings: %r" % r.warnings())
        addon = by_location(r.sbom, rel + "!/package/build/Release/addon.node")
        check(addon.get("purl") == "pkg:generic/addon-core@2.0.0" and
              addon.get("version") == "2.0.0", "by hash: %r" % addon)
        check(not h.props(addon, "bindep:conflict:version"),
              "the package's version was only ours by default")
        check(addon["licenses"][0]["expression"] == "MIT", "licence kept")
        check(addon.get("supplier", {}).get("name") == "Example Corp",
              "supplier kept: %r" % addon.get("supplier"))
        check(h.prop(addon, "bindep:embedded-sbom") == where, "provenance")
        left = h.by_name(r.sbom, "leftpad")
        check(left["purl"] == "pkg:npm/leftpad@1.3.0" and
              left["version"] == "1.3.0", "declared: %r" % left)
        check(left["licenses"][0]["expression"] == "MIT OR Apache-2.0",
              "declared licence")
        check(h.prop(left, "bindep:embedded-sbom") == where, "its provenance")
        check(methods(left, "purl") == [("attestation", where)],
              "declared by attestation")
        tarball = by_location(r.sbom, rel)
        check("leftpad" in h.depends(r.sbom, tarball),
              "held by the tarball: %r" % h.depends(r.sbom, tarball))
        names = [c["name"] for c in h.comps(r.sbom)]
        check(names.count("addon-core") == 0 and
              names.count("native-demo") == 1,
              "no duplicates: %r" % names)

    @case
    def embedded_spdx_by_path_and_conflict(t):
        """A release tarball with rel-1.0/sbom.spdx.json (SPDX 2.3): its
        file entry names ./bin/tool, matched by path under the tarball's
        top directory; a wheel inside it listed by SHA-256 with another
        version keeps ours, theirs as bindep:conflict:version."""
        base, dist, b = setup(t, "spdx")
        tool = b.exe("tool", tag="spdx-tool")
        wheel_path, _, _ = grafted_wheel(b, os.path.join(base, "w"))
        with open(wheel_path, "rb") as f:
            wheel = f.read()
        wheel_name = os.path.basename(wheel_path)
        doc = {
            "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT", "name": "rel",
            "documentNamespace": "https://example.org/rel-1.0",
            "creationInfo": {"created": "2024-01-01T00:00:00Z",
                             "creators": ["Tool: test"]},
            "documentDescribes": ["SPDXRef-rel"],
            "packages": [
                {"SPDXID": "SPDXRef-rel", "name": "rel", "versionInfo": "1.0",
                 "downloadLocation": "NOASSERTION",
                 "supplier": "Organization: Rel Makers"},
                {"SPDXID": "SPDXRef-wheel", "name": "pkg-demo",
                 "versionInfo": "1.1", "downloadLocation": "NOASSERTION",
                 "checksums": [{"algorithm": "SHA256",
                                "checksumValue": A.sha256_bytes(wheel)}],
                 "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER",
                                   "referenceType": "purl",
                                   "referenceLocator":
                                   "pkg:pypi/pkg-demo@1.1"}]}],
            "files": [{"SPDXID": "SPDXRef-tool", "fileName": "./bin/tool",
                       "checksums": [{"algorithm": "SHA1",
                                      "checksumValue": "0" * 40}],
                       "licenseConcluded": "BSD-3-Clause"},
                      {"SPDXID": "SPDXRef-readme", "fileName": "./README",
                       "checksums": [{"algorithm": "SHA1",
                                      "checksumValue": "1" * 40}]}],
        }
        A.put(os.path.join(dist, "rel-1.0.tar.gz"), A.tar_bytes([
            ("rel-1.0/bin/tool", tool, 0o755),
            ("rel-1.0/wheels/" + wheel_name, wheel, 0o644),
            ("rel-1.0/sbom.spdx.json", json.dumps(doc).encode(), 0o644)],
            "gz"))
        rel = "dist/rel-1.0.tar.gz"
        where = rel + "!/rel-1.0/sbom.spdx.json"
        r = run_ok(t, base, rel)
        check(not r.warnings(), "warnings: %r" % r.warnings())
        exe = by_location(r.sbom, rel + "!/rel-1.0/bin/tool")
        check(h.prop(exe, "bindep:embedded-sbom") == where,
              "by path: %r" % exe.get("properties"))
        check(exe["licenses"][0]["expression"] == "BSD-3-Clause",
              "the file's licence: %r" % exe.get("licenses"))
        w = by_location(r.sbom, rel + "!/rel-1.0/wheels/" + wheel_name)
        check(w["version"] == "1.0" and w["purl"] == "pkg:pypi/pkg-demo@1.0",
              "ours stays: %r" % w)
        check(h.prop(w, "bindep:conflict:version") == "1.1",
              "the conflict kept: %r" % w.get("properties"))
        check(h.prop(w, "bindep:embedded:purl") == "pkg:pypi/pkg-demo@1.1",
              "their purl kept")
        check(h.prop(w, "bindep:embedded-sbom") == where, "and where")
        top = by_location(r.sbom, rel)
        check(h.prop(top, "bindep:embedded-sbom") == where,
              "the tarball is what it describes")
        check(top.get("supplier", {}).get("name") == "Rel Makers",
              "its supplier: %r" % top.get("supplier"))
        names = [c["name"] for c in h.comps(r.sbom)]
        check("README" not in names and names.count("rel") == 1,
              "SPDX files we did not scan are not added: %r" % names)

    @case
    def embedded_hostile_sboms_warn_once(t):
        """Bad embedded SBOMs: one warning each, naming the artifact and
        the entry, and the scan goes on (the wheel and its files are
        there, nothing added from them)."""
        base, dist, b = setup(t, "hostile")
        many = ('{"bomFormat":"CycloneDX","specVersion":"1.6",'
                '"components":[' + ",".join(["{}"] * 1000000) + "]}")
        comps = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6",
                            "components": [{"name": "c%d" % i}
                                           for i in range(25000)]})
        bad = {
            "notjson.json": (b"this is not json", "not JSON"),
            "wrongtype.json": (b'{"hello": "world"}',
                               "not a CycloneDX or SPDX 2 JSON document"),
            "array.json": (b"[1, 2, 3]",
                           "not a CycloneDX or SPDX 2 JSON document"),
            "utf8.json": (b'{"bomFormat": "CycloneDX\xff\xfe"}',
                          "not valid UTF-8"),
            "truncated.json": (b'{"bomFormat": "CycloneDX", "specVer',
                               "not JSON"),
            "deep.json": (b"[" * 100000 + b"]" * 100000, "nested too deep"),
            "wide.json": (b"[" + b"[]," * 300000 + b"[]]", "more than 200000"),
            "deep2.json": (b"[" * 5000 + b"]" * 5000, "not JSON"),
            "million.json": (many.encode(), "more than 200000"),
            "components.json": (comps.encode(), "more than 20000 components"),
            "huge.json": (b" " * (5 << 20) + b"{}", "larger than 4 MiB"),
            "nul.json": (b'{"bomFormat":"CycloneDX"\x00}', "not valid UTF-8"),
        }
        sboms = [(n, d) for n, (d, _) in sorted(bad.items())]
        # Fields of the wrong types are ignored, not fatal.
        sboms.append(("types.cdx.json", json.dumps(
            {"bomFormat": "CycloneDX", "specVersion": "1.5",
             "metadata": {"component": "x"},
             "components": [1, "a", {"name": 5, "hashes": "x",
                                     "purl": ["p"], "licenses": {}}]}
        ).encode()))
        path, _, _ = grafted_wheel(b, dist, sboms)
        rel = os.path.relpath(path, base)
        r = run_ok(t, base, rel)
        warns = r.warnings()
        for n, (_, problem) in sorted(bad.items()):
            where = "'%s!/Pkg_Demo-1.0.dist-info/sboms/%s'" % (rel, n)
            mine = [w for w in warns if where in w]
            check(len(mine) == 1 and problem in mine[0],
                  "%s: expected one warning with %r, got %r"
                  % (n, problem, mine))
        check(len(warns) == len(bad), "one warning each: %r" % warns)
        names = [c["name"] for c in h.comps(r.sbom)]
        check(GRAFTED in names, "the scan went on: %r" % names)
        check(not [n for n in names if n.startswith("c") and n[1:].isdigit()],
              "nothing from the refused SBOMs")

    @case
    def embedded_components_capped_per_run(t):
        """The components the run's embedded SBOMs describe are capped
        together (50,000): three SBOMs of 20,000 entries each, all one
        purl, are read in turn; the third is refused with one warning,
        the first two are merged (one declared component)."""
        base, dist, b = setup(t, "capped")
        def doc(n):
            # Names of random hex: a document that compresses as one of
            # repeated text would trip the decompression-bomb guard.
            return json.dumps({
                "bomFormat": "CycloneDX", "specVersion": "1.6",
                "components": [{"name": "same" if i == 0 else
                                os.urandom(12).hex(),
                                "purl": "pkg:generic/same@1"}
                               for i in range(20000)]}).encode()
        sboms = [("s%d.cdx.json" % i, doc(i)) for i in (1, 2, 3)]
        path, _, _ = grafted_wheel(b, dist, sboms)
        rel = os.path.relpath(path, base)
        r = run_ok(t, base, rel)
        warns = r.warnings()
        where = "'%s!/Pkg_Demo-1.0.dist-info/sboms/s3.cdx.json'" % rel
        check(len(warns) == 1 and where in warns[0] and
              "more than 50000 components" in warns[0], warns)
        same = [c for c in h.comps(r.sbom) if c["name"] == "same"]
        check(len(same) == 1, "one declared component: %d" % len(same))
        read = h.props(same[0], "bindep:embedded-sbom")
        check(sorted(x.rsplit("/", 1)[-1] for x in read) ==
              ["s1.cdx.json", "s2.cdx.json"], read)

    @case
    def embedded_sbom_names_on_links_are_said(t):
        """An SBOM's name on a link entry of a tarball (package/bom.json a
        hard link, package/sbom.json a symbolic link, both to a document
        under another name): one warning each naming the entry, nothing
        read from them, the package scanned as without them."""
        base, dist, b = setup(t, "links")
        doc = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6",
                          "components": [{"name": "linked-only",
                                          "purl": "pkg:generic/l@1"}]})
        tgz = io.BytesIO()
        with tarfile.open(fileobj=tgz, mode="w:gz") as tf:
            def add(name, data=b"", kind=tarfile.REGTYPE, link=""):
                ti = tarfile.TarInfo(name)
                ti.type, ti.linkname, ti.size = kind, link, len(data)
                tf.addfile(ti, io.BytesIO(data))
            add("package/package.json",
                b'{"name": "linked", "version": "1.0.0"}')
            add("package/real.json", doc.encode())
            add("package/bom.json", kind=tarfile.LNKTYPE,
                link="package/real.json")
            add("package/sbom.json", kind=tarfile.SYMTYPE, link="real.json")
        A.put(os.path.join(dist, "linked-1.0.0.tgz"), tgz.getvalue())
        rel = "dist/linked-1.0.0.tgz"
        r = run_ok(t, base, rel)
        warns = r.warnings()
        for entry, what in (("bom.json", "a hard link"),
                            ("sbom.json", "a symbolic link")):
            said = "'%s!/package/%s': %s, not read as an SBOM" % (
                rel, entry, what)
            check(len([w for w in warns if said in w]) == 1, warns)
        check(len(warns) == 2, "two warnings: %r" % warns)
        check(not [c for c in h.comps(r.sbom) if c["name"] == "linked-only"],
              "nothing read through a link")

    @case
    def embedded_ours_is_not_read_back(t):
        """Our own attached SBOM (sboms/bindep-sbom.cdx.json) is never
        merged back: a wheel carrying it scans as the plain wheel does."""
        base, dist, b = setup(t, "ours")
        path, _, _ = grafted_wheel(b, dist)
        rel = os.path.relpath(path, base)
        r = run_ok(t, base, "--attach", rel)
        r2 = run_ok(t, base, rel)
        check(not r2.warnings(), "warnings: %r" % r2.warnings())
        check([c["name"] for c in h.comps(r2.sbom)] ==
              [c["name"] for c in h.comps(r.sbom)],
              "the attached SBOM added components")
        check(b"embedded" not in r2.raw, "read back")

    @case
    def embedded_attach_keeps_auditwheel_facts(t):
        """--attach on a wheel carrying auditwheel's SBOM: our attached SBOM
        says what auditwheel said of the grafted library (rpm purl,
        version), with the SBOM's location inside the wheel; scanning the
        attached wheel again reads auditwheel's, not ours."""
        base, dist, b = setup(t, "attach")
        name = A.wheel_name("Pkg_Demo", "1.0", WHEEL_TAG)
        doc = auditwheel_sbom("pkg-demo", "1.0", name, [
            ("libfoo", "1.2.3-4.el8", RPM_PURL, HOST_PATH),
            ("libbar", "9", "pkg:deb/debian/libbar@9?arch=amd64",
             "/usr/lib/libbar.so.9")])
        path, _, _ = grafted_wheel(
            b, dist, [("auditwheel.cdx.json", json.dumps(doc).encode())])
        rel = os.path.relpath(path, base)
        where = "Pkg_Demo-1.0.dist-info/sboms/auditwheel.cdx.json"
        run_ok(t, base, "--attach", rel)
        with zipfile.ZipFile(path) as z:
            raw = z.read("Pkg_Demo-1.0.dist-info/sboms/bindep-sbom.cdx.json")
        out = os.path.join(base, "attached.json")
        with open(out, "wb") as f:
            f.write(raw)
        errs = validate.errors("cyclonedx", out)
        check(not errs, "the attached SBOM: " + "\n".join(errs[:10]))
        sbom = json.loads(raw)
        lib = by_location(sbom, "pkg.libs/" + GRAFTED)
        check(lib["purl"] == RPM_PURL and lib["version"] == "1.2.3-4.el8",
              "attached: %r" % lib)
        check(h.prop(lib, "bindep:embedded-sbom") == where,
              "relocated into the wheel: %r" % lib.get("properties"))
        check(methods(lib, "purl") == [("attestation", where)],
              "attested inside the wheel: %r" % methods(lib, "purl"))
        check(h.by_name(sbom, "libbar")["purl"] ==
              "pkg:deb/debian/libbar@9?arch=amd64", "declared one kept")
        r = run_ok(t, base, rel)
        check(not r.warnings(), "warnings: %r" % r.warnings())
        lib = by_location(r.sbom, rel + "!/pkg.libs/" + GRAFTED)
        check(h.props(lib, "bindep:embedded-sbom") == [rel + "!/" + where],
              "only auditwheel's SBOM read: %r" % lib.get("properties"))

    @case
    def embedded_dotted_wheel_is_auditwheel_s(t):
        """zope.interface's wheel (purl-spec keeps the dot:
        pkg:pypi/zope.interface) carries auditwheel's SBOM, which names
        it by its file name (pkg:pypi/zope_interface): one project, as
        PyPI resolves names. auditwheel's statement attests our purl."""
        base, dist, b = setup(t, "dotted")
        so = b.lib("_x.so", tag="ext")
        name = A.wheel_name("zope.interface", "5.0", WHEEL_TAG)
        doc = auditwheel_sbom("zope_interface", "5.0", name, [])
        files = [("zope/interface/_x.so", so, 0o755),
                 ("zope.interface-5.0.dist-info/sboms/auditwheel.cdx.json",
                  json.dumps(doc).encode(), 0o644)]
        A.put(os.path.join(dist, name),
              A.wheel_bytes("zope.interface", "5.0", files, WHEEL_TAG))
        r = run_ok(t, base, "dist/")
        wheel = [c for c in h.comps(r.sbom)
                 if c.get("purl") == "pkg:pypi/zope.interface@5.0"
                 and h.props(c, "bindep:artifact-type") == ["wheel"]]
        check(len(wheel) == 1, [c.get("purl") for c in h.comps(r.sbom)])
        check([m for m in methods(wheel[0], "purl")
               if m[0] == "attestation"],
              "attested: %r" % methods(wheel[0], "purl"))

    @case
    def embedded_attach_unversioned_purl_not_reattested(t):
        """alpha's SBOM lists pkg:generic/libbar at 1.0, beta's at 2.0
        (the purl holds no version): one component, 1.0 as read first.
        beta's attached SBOM must not say its own SBOM stated 1.0."""
        base, dist, b = setup(t, "attach-unversioned")
        wheels = []
        for name, ver in (("alpha", "1.0"), ("beta", "2.0")):
            doc = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5",
                              "version": 1, "components": [{
                                  "type": "library", "name": "libbar",
                                  "version": ver,
                                  "purl": "pkg:generic/libbar"}]}).encode()
            wheels.append(sbom_wheel(b, dist, name, doc))
        run_ok(t, base, "--attach", "dist/")
        with zipfile.ZipFile(wheels[1]) as z:
            sbom = json.loads(z.read(
                "beta-1.0.dist-info/sboms/bindep-sbom.cdx.json"))
        bar = [c for c in h.comps(sbom) if c["name"] == "libbar"]
        check(len(bar) == 1, bar)
        said = [m for f in ("purl", "version") for m in methods(bar[0], f)
                if "beta" in m[1]] if bar[0].get("evidence") else []
        check(not said or bar[0].get("version") == "2.0",
              "beta's SBOM said 2.0: %r" % bar[0])

    @case
    def embedded_attach_names_only_its_own_sboms(t):
        """Wheels alpha and beta each carry an SBOM listing one declared
        library (no file of theirs is it: one component for both), and
        dist/ holds a loose SBOM too. alpha's attached SBOM says alpha's
        SBOM, inside alpha, as where the library was declared: not
        beta's, not the loose one, and no path outside the wheel."""
        base, dist, b = setup(t, "attach-shared")
        bar = {"type": "library", "name": "libbar", "version": "9",
               "purl": "pkg:deb/debian/libbar@9?arch=amd64"}
        doc = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5",
                          "version": 1, "components": [bar]}).encode()
        wheels = []
        for name in ("alpha", "beta"):
            wheels.append(sbom_wheel(b, dist, name, doc))
        A.put(os.path.join(dist, "sbom.json"), doc)
        r = run_ok(t, base, "--attach", "dist/")
        both = [c for c in h.comps(r.sbom) if c["name"] == "libbar"]
        check(len(both) == 1, "one declared libbar: %r" % both)
        with zipfile.ZipFile(wheels[0]) as z:
            raw = z.read("alpha-1.0.dist-info/sboms/bindep-sbom.cdx.json")
        sbom = json.loads(raw)
        bar_c = [c for c in h.comps(sbom) if c["name"] == "libbar"]
        check(len(bar_c) == 1, "alpha's SBOM lists libbar: %r" % bar_c)
        check(h.prop(bar_c[0], "bindep:embedded-sbom") ==
              "alpha-1.0.dist-info/sboms/x.cdx.json",
              "declared by alpha's SBOM: %r" % bar_c[0].get("properties"))
        for word in (b"beta", b"dist/", b"sbom.json\"", base.encode()):
            at = raw.find(word)
            check(at < 0, "%r in alpha's SBOM: %r" % (word, raw[at - 200:at + 60]))
        # beta's SBOM, read second, said the same purl: in beta's own
        # SBOM, beta's attests it.
        with zipfile.ZipFile(wheels[1]) as z:
            sbom = json.loads(z.read(
                "beta-1.0.dist-info/sboms/bindep-sbom.cdx.json"))
        bar_c = [c for c in h.comps(sbom) if c["name"] == "libbar"]
        check(len(bar_c) == 1 and methods(bar_c[0], "purl") ==
              [("attestation", "beta-1.0.dist-info/sboms/x.cdx.json")],
              "beta's: %r" % bar_c)

    @case
    def embedded_directory_sbom(t):
        """An unpacked release given as a directory: its top-level
        sbom.cdx.json describes bin/tool by path (a licence, a supplier)
        and a package only it lists, which the target holds; a bom.json
        there that is no JSON, a symlink out and a FIFO are one warning
        each. Deeper ones are not read."""
        base, dist, b = setup(t, "directory")
        rel = os.path.join(base, "rel-2.0")
        A.put(os.path.join(rel, "bin", "tool"), b.exe("dtool", tag="dir"))
        os.chmod(os.path.join(rel, "bin", "tool"), 0o755)
        doc = {"bomFormat": "CycloneDX", "specVersion": "1.5",
               "metadata": {"component": {"type": "application",
                                          "name": "rel", "version": "2.0"}},
               "components": [
                   {"type": "application", "name": "tool",
                    "supplier": {"name": "Rel Makers"},
                    "licenses": [{"license": {"id": "ISC"}}],
                    "evidence": {"occurrences": [{"location": "bin/tool"}]}},
                   {"type": "library", "name": "vendored-lib",
                    "version": "0.9", "purl": "pkg:generic/vendored-lib@0.9"}]}
        A.put(os.path.join(rel, "sbom.cdx.json"), json.dumps(doc))
        A.put(os.path.join(rel, "bom.json"), "not json")
        A.put(os.path.join(rel, "bin", "sbom.json"), "deeper, not read")
        # Hostile: a link out of the directory and a FIFO, never opened.
        os.symlink("/etc/passwd", os.path.join(rel, "out.cdx.json"))
        os.mkfifo(os.path.join(rel, "fifo.spdx.json"))
        r = run_ok(t, base, "rel-2.0/")
        warns = sorted(r.warnings())
        check(len(warns) == 3 and
              "'rel-2.0/bom.json': not JSON" in warns[0] and
              "'rel-2.0/fifo.spdx.json': a FIFO, skipping" in warns[1] and
              "'rel-2.0/out.cdx.json': a symlink, not followed, skipping"
              in warns[2], "one warning each: %r" % warns)
        tool = by_location(r.sbom, "rel-2.0/bin/tool")
        check(h.prop(tool, "bindep:embedded-sbom") == "rel-2.0/sbom.cdx.json",
              "by path: %r" % tool.get("properties"))
        check(tool["licenses"][0]["expression"] == "ISC" and
              tool["supplier"]["name"] == "Rel Makers", "facts: %r" % tool)
        lib = h.by_name(r.sbom, "vendored-lib")
        check(lib["purl"] == "pkg:generic/vendored-lib@0.9", "declared")
        target = [d for d in r.sbom["dependencies"] if d["ref"] == "target"]
        check(lib["bom-ref"] in target[0].get("dependsOn", []),
              "held by the target: %r" % target)
        check("rel" not in [c["name"] for c in h.comps(r.sbom)],
              "what it describes is the target, not a component")
        # Under --root, a directory is the root's: not read.
        r = run_ok(t, base, "--root", base, "rel-2.0")
        check(not r.warnings() and b"embedded" not in r.raw,
              "read under --root: %r" % r.warnings())

    @case
    def embedded_directory_dist_info_symlink_out(t):
        """A directory whose x.dist-info, or whose y.dist-info/sboms, is a
        symlink out of it: the SBOMs there are not read (the walk does not
        follow a symlink to a directory either); a real one beside them
        is."""
        base, dist, b = setup(t, "distinfo-out")
        site = os.path.join(base, "site")
        outside = os.path.join(base, "outside")
        A.put(os.path.join(site, "bin", "tool"), b.exe("otool", tag="out"))
        os.chmod(os.path.join(site, "bin", "tool"), 0o755)

        def doc(name):
            return json.dumps({
                "bomFormat": "CycloneDX", "specVersion": "1.5",
                "components": [{"type": "library", "name": name,
                                "version": "1",
                                "purl": "pkg:generic/%s@1" % name}]})
        A.put(os.path.join(outside, "sboms", "a.cdx.json"), doc("via-info"))
        A.put(os.path.join(outside, "b.cdx.json"), doc("via-sboms"))
        os.symlink(outside, os.path.join(site, "x-1.0.dist-info"))
        os.makedirs(os.path.join(site, "y-1.0.dist-info"))
        os.symlink(outside, os.path.join(site, "y-1.0.dist-info", "sboms"))
        A.put(os.path.join(site, "z-1.0.dist-info", "sboms", "c.cdx.json"),
              doc("real"))
        r = run_ok(t, base, "site")
        names = [c["name"] for c in h.comps(r.sbom)]
        check("via-info" not in names and "via-sboms" not in names,
              "read through a symlink out: %r" % names)
        check("real" in names, "the real one: %r" % names)
        check(not r.warnings(), "warnings: %r" % r.warnings())

    @case
    def embedded_directory_sparse_sbom_warns_once(t):
        """A 5 GiB sparse sbom.json at a directory's top: one warning (the
        scan's, larger than 4 GiB), not a second one from the SBOM
        reader; nothing read."""
        base, dist, b = setup(t, "sparse")
        rel = os.path.join(base, "rel")
        A.put(os.path.join(rel, "bin", "tool"), b.exe("stool", tag="sp"))
        os.chmod(os.path.join(rel, "bin", "tool"), 0o755)
        with open(os.path.join(rel, "sbom.json"), "wb") as f:
            f.truncate(5 << 30)
        r = run_ok(t, base, "rel")
        mine = [w for w in r.warnings() if "rel/sbom.json" in w]
        check(len(mine) == 1 and "larger than 4 GiB" in mine[0],
              "one warning: %r" % r.warnings())

    @case
    def embedded_directory_unreadable_sbom_warns_once(t):
        """An sbom.json nobody may read (mode 000, run as nobody): one
        warning (the scan's, which opens it too), not a second one from
        the SBOM reader."""
        d, out, tool, nobody = h.as_nobody(t)
        try:
            b = A.Build(os.path.join(d, "scratch"))
            rel = os.path.join(d, "rel")
            A.put(os.path.join(rel, "bin", "tool"), b.exe("utool", tag="u"))
            os.chmod(os.path.join(rel, "bin", "tool"), 0o755)
            for sub in (rel, os.path.join(rel, "bin")):
                os.chmod(sub, 0o755)
            secret = os.path.join(rel, "sbom.json")
            A.put(secret, "{}")
            os.chmod(secret, 0)
            r = t.run("-o", os.path.join(out, "sbom.json"), "rel", cwd=d,
                      binary=tool, prefix=nobody)
            check(r.code == 0, "exit %d: %s" % (r.code, r.err))
            check(r.warnings() == ["bindep-sbom: warning: 'rel/sbom.json': "
                                   "cannot open: Permission denied"],
                  "one warning: %r" % r.warnings())
        finally:
            shutil.rmtree(d, ignore_errors=True)

    @case
    def embedded_site_packages_directory(t):
        """site-packages given as a directory (the wheel installed, as pip
        lays it out): auditwheel's SBOM in its .dist-info is read, the
        grafted library takes the rpm purl; what only it lists is held by
        the target; the wheel it describes is no extra component."""
        base, dist, b = setup(t, "site")
        name = A.wheel_name("Pkg_Demo", "1.0", WHEEL_TAG)
        doc = auditwheel_sbom("pkg-demo", "1.0", name, [
            ("libfoo", "1.2.3-4.el8", RPM_PURL, HOST_PATH),
            ("libbar", "9", "pkg:deb/debian/libbar@9?arch=amd64",
             "/usr/lib/libbar.so.9")])
        path, _, _ = grafted_wheel(
            b, dist, [("auditwheel.cdx.json", json.dumps(doc).encode())])
        site = os.path.join(base, "site")
        with zipfile.ZipFile(path) as z:
            z.extractall(site)
        for f in ("pkg/_core.cpython-311-x86_64-linux-gnu.so",
                  "pkg.libs/" + GRAFTED):
            os.chmod(os.path.join(site, f), 0o755)
        where = "site/Pkg_Demo-1.0.dist-info/sboms/auditwheel.cdx.json"
        r = run_ok(t, base, "site")
        check(not r.warnings(), "warnings: %r" % r.warnings())
        lib = by_location(r.sbom, "site/pkg.libs/" + GRAFTED)
        check(lib["purl"] == RPM_PURL and lib["version"] == "1.2.3-4.el8",
              "grafted: %r" % lib)
        check(h.prop(lib, "bindep:embedded-sbom") == where, "provenance")
        ext = by_location(r.sbom,
                          "site/pkg/_core.cpython-311-x86_64-linux-gnu.so")
        check(not h.props(ext, "bindep:embedded-sbom"),
              "the wheel's own file is not what the SBOM describes")
        names = [c["name"] for c in h.comps(r.sbom)]
        check("pkg-demo" not in names and "libfoo" not in names,
              "no duplicates: %r" % names)
        bar = h.by_name(r.sbom, "libbar")
        target = [d for d in r.sbom["dependencies"] if d["ref"] == "target"]
        check(bar["bom-ref"] in target[0].get("dependsOn", []),
              "held by the target")

    @case
    def embedded_merge_is_deterministic(t):
        """Two runs over two wheels with SBOMs (one library in both, one
        SPDX document besides): the same bytes, in every format."""
        base, dist, b = setup(t, "determinism")
        name = A.wheel_name("Pkg_Demo", "1.0", WHEEL_TAG)
        doc = auditwheel_sbom("pkg-demo", "1.0", name, [
            ("libfoo", "1.2.3-4.el8", RPM_PURL, HOST_PATH),
            ("libbar", "9", "pkg:deb/debian/libbar@9?arch=amd64",
             "/usr/lib/x86_64-linux-gnu/libbar.so.9")])
        p1, _, _ = grafted_wheel(b, dist, [
            ("auditwheel.cdx.json", json.dumps(doc).encode()),
            ("extra.spdx.json", json.dumps({
                "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
                "packages": [{"SPDXID": "SPDXRef-z", "name": "zlib",
                              "versionInfo": "1.3",
                              "supplier": "Organization: zlib"}]}).encode())])
        other = os.path.join(base, "other")
        os.makedirs(other)
        p2, _, _ = grafted_wheel(b, other, [
            ("auditwheel.cdx.json", json.dumps(doc).encode())], "2.0")
        a, c = os.path.relpath(p1, base), os.path.relpath(p2, base)
        outs = []
        for fmt in ("cyclonedx", "spdx", "spdx3", "1.7"):
            args = ["--spec-version", fmt] if fmt == "1.7" else \
                ["--format", fmt]
            r1 = run_ok(t, base, *args, a, c)
            r2 = run_ok(t, base, *args, a, c)
            check(r1.raw == r2.raw, "%s: two runs differ:\n%s" % (
                fmt, "\n".join(list(difflib.unified_diff(
                    r1.raw.decode().splitlines(),
                    r2.raw.decode().splitlines(), lineterm=""))[:40])))
            outs.append(r1)
        libbar = h.by_name(outs[0].sbom, "libbar")
        check(libbar["purl"] == "pkg:deb/debian/libbar@9?arch=amd64",
              "unmatched library declared: %r" % libbar)
        check(len(h.props(libbar, "bindep:embedded-sbom")) == 2,
              "one component for both wheels' libbar")
        # The views say what only the SBOMs list, and where.
        text = run_ok(t, base, "--format", "text", a, c).raw.decode()
        check("libbar  pkg:deb/debian/libbar@9?arch=amd64\n    declared in "
              + a + "!/Pkg_Demo-1.0.dist-info/sboms/auditwheel.cdx.json"
              in text, "text view:\n" + text[-600:])
        summary = run_ok(t, base, "--format", "summary", a, c).raw.decode()
        row = [line for line in summary.splitlines()
               if line.startswith("libbar ")]
        check(len(row) == 1 and " declared " in row[0],
              "summary:\n" + summary)
