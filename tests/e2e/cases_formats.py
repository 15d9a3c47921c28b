"""End-to-end cases of the output formats: SPDX 2.3, SPDX 3.0.1,
CycloneDX 1.7, the text view, and golden files of them all (registered by
run.py).

Golden files live in tests/e2e/golden/. They are made from a root built here
by elfgen, byte for byte the same on every machine. After an intended change
of the output, regenerate them with BD_UPDATE_GOLDEN=1 and review the diff.
"""
import collections
import difflib
import json
import os
import pty
import re
import shutil
import select
import subprocess
import urllib.parse

import elfgen as E
import validate

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
SDE = {"SOURCE_DATE_EPOCH": "1700000000"}
SDE_TIME = "2023-11-14T22:13:20Z"
ESC = b"\x1b["


def register(case, h):
    check = h.check

    # ---- reading SPDX ----------------------------------------------------

    def packages(doc):
        return [p for p in doc["packages"] if p["SPDXID"] != "SPDXRef-Target"]

    def refs(pkg, rtype):
        return [r["referenceLocator"] for r in pkg.get("externalRefs", [])
                if r["referenceType"] == rtype]

    def sha256_of(pkg):
        return [c["checksumValue"] for c in pkg.get("checksums", [])
                if c["algorithm"] == "SHA256"]

    def annotations(pkg):
        return [a["comment"] for a in pkg.get("annotations", [])]

    def relations(doc):
        return {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
                for r in doc["relationships"]}

    # ---- reading SPDX 3 --------------------------------------------------

    CORE = "https://spdx.org/rdf/3.0.1/terms/Core/"

    class Spdx3:
        """An SPDX 3.0.1 document, its elements by the local part of their
        IRI (after the namespace's "#": SPDX 2.3's SPDXIDs), the
        individuals of SPDX's Core by their name (NoneElement)."""

        def __init__(self, doc):
            self.graph = doc["@graph"]
            self.document = self.one("SpdxDocument")
            self.base = self.document["spdxId"].split("#")[0] + "#"
            self.nodes = {self.local(n["spdxId"]): n for n in self.graph
                          if "spdxId" in n}

        def local(self, iri):
            for prefix in (self.base, CORE):
                if iri.startswith(prefix):
                    return iri[len(prefix):]
            raise h.Failure("%r is neither in the namespace nor SPDX's" % iri)

        def of_type(self, t):
            return [n for n in self.graph if n["type"] == t]

        def one(self, t):
            nodes = self.of_type(t)
            check(len(nodes) == 1, "%d %s" % (len(nodes), t))
            return nodes[0]

        def node(self, iri):
            return self.nodes[self.local(iri)]

        def relations(self):
            """(from, type, to, comment) of each relationship's each "to",
            by local parts."""
            return {(self.local(r["from"]), r["relationshipType"], self.local(to),
                     r.get("comment"))
                    for r in self.graph if "relationshipType" in r for to in r["to"]}

    def cdx_properties(pkg):
        return ["%s=%s" % (e["extension_cdxPropName"], e["extension_cdxPropValue"])
                for x in pkg.get("extension", []) for e in x["extension_cdxProperty"]]

    def first_path(pkg):
        paths = [p[len("bindep:path="):] for p in cdx_properties(pkg)
                 if p.startswith("bindep:path=")]
        return paths[0] if paths else None

    def noassertion(value):
        return None if value == "NOASSERTION" else value

    def same_package(s3, p2, p3, licence):
        """What SPDX 2.3 says of a package, 3.0.1 says of its element:
        NOASSERTION where 3.0.1 says nothing (it has no such string)."""
        name = p2["name"]
        check(p3["type"] == "software_Package" and p3["name"] == name, name)
        check(p3.get("software_packageVersion") == noassertion(p2["versionInfo"]),
              "version of %s: %r, 2.3 %r" % (name, p3.get("software_packageVersion"),
                                            p2["versionInfo"]))
        supplier = p3.get("suppliedBy")
        org = s3.node(supplier) if supplier else None
        check((org and org["type"]) in (None, "Organization"), supplier)
        check(("Organization: " + org["name"] if org else "NOASSERTION") == p2["supplier"],
              "supplier of %s: %r, 2.3 %r" % (name, supplier, p2["supplier"]))
        check([x["hashValue"] for x in p3.get("verifiedUsing", [])
               if x["algorithm"] == "sha256"] == sha256_of(p2), "hash of %s" % name)
        check(([p3["software_packageUrl"]] if "software_packageUrl" in p3 else []) ==
              refs(p2, "purl"), "purl of %s" % name)
        check([x["identifier"] for x in p3.get("externalIdentifier", [])
               if x["externalIdentifierType"] == "cpe23"] == refs(p2, "cpe23Type"),
              "cpe of %s" % name)
        for kind in ("vcs", "funding"):
            check([loc for x in p3.get("externalRef", []) if x["externalRefType"] == kind
                   for loc in x["locator"]] == refs(p2, kind), "%s of %s" % (kind, name))
        check(p3.get("software_homePage") == p2.get("homepage"), "homepage of %s" % name)
        check(p3.get("software_downloadLocation") ==
              noassertion(p2.get("downloadLocation")), "download of %s" % name)
        check(p3.get("software_sourceInfo") == p2.get("sourceInfo"), "evidence of %s" % name)
        check(licence == noassertion(p2.get("licenseDeclared", "NOASSERTION")),
              "licence of %s: %r, 2.3 %r" % (name, licence, p2.get("licenseDeclared")))
        check(p3.get("software_primaryPurpose") == p2["primaryPackagePurpose"].lower(),
              "purpose of %s" % name)
        # SPDX 3 has no packageFileName: its raw bytes have no place.
        notes = [a for a in annotations(p2)
                 if not a.startswith("bindep:raw-packageFileName=")]
        check(cdx_properties(p3) == notes, "properties of %s:\n%r\n%r"
              % (name, cdx_properties(p3), notes))

    def creators3(s3):
        """CreationInfo's agents and tool as SPDX 2.3's creators."""
        info = s3.one("CreationInfo")
        said = ["Tool: " + s3.node(iri)["name"] for iri in info["createdUsing"]]
        for iri in info["createdBy"]:
            n = s3.node(iri)
            email = [x["identifier"] for x in n.get("externalIdentifier", [])
                     if x["externalIdentifierType"] == "email"]
            if n["type"] == "Person":
                said.append("Person: %s%s" % (n["name"], " (%s)" % email[0] if email else ""))
            elif n["type"] == "Organization":
                said.append("Organization: " + n["name"])
            else:  # no person named: the program
                check(n["type"] == "SoftwareAgent" and len(info["createdBy"]) == 1, n)
        return info, said

    # SPDX 2.3 relationship -> SPDX 3.0.1 (from, type, to): the same facts.
    AS_SPDX3 = {"CONTAINS": "contains", "DYNAMIC_LINK": "hasDynamicLink",
                "STATIC_LINK": "hasStaticLink", "DEPENDS_ON": "dependsOn"}
    # What a package only the build used is, as both say it.
    BUILD_SAID = "used by the build, not in the file"
    INDIVIDUALS = {"NONE": "NoneElement", "NOASSERTION": "NoAssertionElement"}

    def relations2_as_3(s2):
        said = set()
        for r in s2["relationships"]:
            a, t, b = r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]
            if t == "DESCRIBES":
                continue
            if t == "OPTIONAL_DEPENDENCY_OF":
                said.add((b, "hasOptionalDependency", a, r.get("comment")))
            elif t == "BUILD_DEPENDENCY_OF":
                said.add((b, "dependsOn", a, r.get("comment")))
            else:
                said.add((a, AS_SPDX3[t], INDIVIDUALS.get(b, b), r.get("comment")))
        return said

    def same_as_spdx2(s2, doc3):
        """SPDX 3.0.1 says what SPDX 2.3 says, element for element: the
        same identifiers (after the namespace), packages, creators, time
        and relationships, each kind mapped to its 3.0.1 name; the
        lifecycle scopes and completeness as documented."""
        s3 = Spdx3(doc3)
        info, creators = creators3(s3)
        check(creators == s2["creationInfo"]["creators"], "creators %r, 2.3 %r"
              % (creators, s2["creationInfo"]["creators"]))
        check(info["created"] == s2["creationInfo"]["created"], "created")
        check(s3.document["name"] == s2["name"], "document name")
        check(s3.node(s3.document["dataLicense"])["simplelicensing_licenseExpression"] ==
              s2["dataLicense"], "data licence")
        sbom = s3.node(s3.document["rootElement"][0])
        check(sbom["type"] == "software_Sbom" and sbom["software_sbomType"] == ["analyzed"],
              sbom)
        check([s3.local(x) for x in sbom["rootElement"]] == ["SPDXRef-Target"], "root")
        # The UUIDs differ (another document), the namespace's name not.
        check(s3.base[:-37] == s2["documentNamespace"][:-36], s3.base)
        p2 = {p["SPDXID"]: p for p in s2["packages"]}
        p3 = {s3.local(n["spdxId"]): n for n in s3.of_type("software_Package")}
        check(set(p2) == set(p3), "packages: %r" % sorted(set(p2) ^ set(p3))[:5])
        rel3 = s3.relations()
        licences = {a: s3.nodes[b]["simplelicensing_licenseExpression"]
                    for a, t, b, _ in rel3 if t == "hasDeclaredLicense"}
        for pid, pkg in p2.items():
            same_package(s3, pkg, p3[pid], licences.get(pid))
        rel3 = {r for r in rel3 if r[1] != "hasDeclaredLicense"}
        rel2 = relations2_as_3(s2)
        check(rel2 == rel3, "relationships only in 2.3: %r; only in 3.0.1: %r"
              % (sorted(rel2 - rel3)[:4], sorted(rel3 - rel2)[:4]))
        # Loads are at run time, what the build used at build time;
        # DT_NEEDED is all a readable file links.
        for r in s3.of_type("LifecycleScopedRelationship") + s3.of_type("Relationship"):
            t = r["relationshipType"]
            scoped = t in ("hasDynamicLink", "dependsOn", "hasOptionalDependency")
            built = t == "dependsOn" and r.get("comment") == BUILD_SAID
            check((r["type"] == "LifecycleScopedRelationship") == scoped, r)
            check(r.get("scope") == ("build" if built else
                                     "runtime" if scoped else None), r)
            if t == "hasDynamicLink":
                error = any(a.startswith("bindep:error=")
                            for a in annotations(p2[s3.local(r["from"])]))
                check(r["completeness"] == ("incomplete" if error else "complete"), r)
            else:
                check("completeness" not in r, r)

    def same_as_1_6(v16, v17):
        """CycloneDX 1.7 is 1.6 but for specVersion and the serial number
        derived from the content (the README says why)."""
        serial = rb'"serialNumber":\t"urn:uuid:[0-9a-f-]{36}"'
        a = re.sub(serial, b"", v16.replace(b'"specVersion":\t"1.6"', b"V"), count=1)
        b = re.sub(serial, b"", v17.replace(b'"specVersion":\t"1.7"', b"V"), count=1)
        check(a == b and v16 != v17, "CycloneDX 1.7 says more or less than 1.6")

    # ---- one CycloneDX component, one SPDX package --------------------

    # The licence too: a library compiled in is a component per licence
    # its holder states (static:libavcodec@5.1.9#GPL-3.0-or-later). And
    # the ELF kind: a name missing is a component per machine that needs
    # it (soname:aarch64:ELF64:little-endian:libc.so.6).
    ELF_KIND = ("bindep:elf:machine", "bindep:elf:class", "bindep:elf:byte-order")

    def cdx_key(c):
        hashes = [x["content"] for x in c.get("hashes", [])]
        locs = h.locations(c)
        lic = [x.get("expression") for x in c.get("licenses", [])]
        return (c["name"], c.get("version"), hashes[0] if hashes else None,
                c.get("purl"), locs[0] if locs else None,
                lic[0] if lic else None,
                tuple(tuple(h.props(c, n)) for n in ELF_KIND))

    def spdx_key(p):
        purls = refs(p, "purl")
        shas = sha256_of(p)
        # NTIA (issue 15): SPDX says NOASSERTION where CycloneDX omits it.
        version = p["versionInfo"]
        lic = [x for x in (p.get("licenseDeclared"), p.get("licenseConcluded"))
               if x and x != "NOASSERTION"]
        said = annotations(p)
        return (p["name"], None if version == "NOASSERTION" else version,
                shas[0] if shas else None,
                purls[0] if purls else None, p.get("packageFileName"),
                lic[0] if lic else None,
                tuple(tuple(a[len(n) + 1:] for a in said if a.startswith(n + "="))
                      for n in ELF_KIND))

    def pair_up(cdx, spdx):
        """bom-ref -> SPDX package, checking the match is one to one."""
        by_key = collections.defaultdict(list)
        for p in packages(spdx):
            by_key[spdx_key(p)].append(p)
        pairs = {}
        for c in h.comps(cdx):
            found = by_key.get(cdx_key(c), [])
            check(len(found) == 1, "%r: %d SPDX packages" % (cdx_key(c), len(found)))
            pairs[c["bom-ref"]] = found[0]
        check(len(packages(spdx)) == len(h.comps(cdx)),
              "%d packages for %d components" % (len(packages(spdx)), len(h.comps(cdx))))
        return pairs

    def same_facts(c, p):
        """Everything CycloneDX says of a component, SPDX says of its package."""
        name = c["name"]
        check(len(refs(p, "purl")) == (1 if "purl" in c else 0), "purl of %s" % name)
        check(refs(p, "cpe23Type") == ([c["cpe"]] if "cpe" in c else []), "cpe of %s" % name)
        lic = [x["expression"] for x in c.get("licenses", [])]
        check(p["licenseDeclared"] == (lic[0] if lic else "NOASSERTION"),
              "licence of %s: %r" % (name, p["licenseDeclared"]))
        ext = {(r["type"], r["url"]) for r in c.get("externalReferences", [])}
        check({("vcs", u) for u in refs(p, "vcs")} == {e for e in ext if e[0] == "vcs"},
              "vcs of %s" % name)
        check(p.get("homepage") == dict(ext).get("website"), "homepage of %s" % name)
        props = ["%s=%s" % (x["name"], x["value"]) for x in c.get("properties", [])]
        paths = ["bindep:path=%s" % loc for loc in h.locations(c)]
        check(annotations(p) == paths + props,
              "annotations of %s:\n%r\n%r" % (name, annotations(p), paths + props))
        for i in c.get("evidence", {}).get("identity", []):
            m = i["methods"][0]
            line = "%s %s: %s, confidence %g, from %s" % (
                i["field"], i["concludedValue"], m["technique"], m["confidence"],
                m["value"])
            check(line in p.get("sourceInfo", "").split("\n"),
                  "evidence of %s: %r not in %r" % (name, line, p.get("sourceInfo")))

    def same_edges(cdx, spdx, pairs):
        rel = relations(spdx)
        target = cdx["metadata"]["component"]["bom-ref"]
        ids = dict((ref, p["SPDXID"]) for ref, p in pairs.items())
        ids[target] = "SPDXRef-Target"
        said = set()
        listed = set()
        # A file read in part is an incomplete assembly with incomplete
        # dependencies: SPDX says NOASSERTION of its needs, besides those
        # it was seen to have; else an empty entry is NONE.
        partial = {r for c in cdx.get("compositions", []) if c["aggregate"] == "incomplete"
                   for r in set(c.get("dependencies", [])) & set(c.get("assemblies", []))}
        for d in cdx["dependencies"]:
            a = ids[d["ref"]]
            listed.add(d["ref"])
            if d["ref"] in partial:
                check((a, "DEPENDS_ON", "NOASSERTION") in rel, "%s needs unknown" % a)
            elif d["ref"] != target and not d["dependsOn"]:
                check((a, "DEPENDS_ON", "NONE") in rel, "%s needs nothing" % a)
            for to in d["dependsOn"]:
                b = ids[to]
                found = {x for x in ((a, "CONTAINS", b), (a, "DYNAMIC_LINK", b),
                                     (a, "DEPENDS_ON", b), (a, "STATIC_LINK", b),
                                     (b, "OPTIONAL_DEPENDENCY_OF", a),
                                     (b, "BUILD_DEPENDENCY_OF", a)) if x in rel}
                check(found, "edge %s -> %s missing from SPDX" % (d["ref"], to))
                if d["ref"] == target:
                    check(found == {(a, "CONTAINS", b)}, "target contains %s" % to)
                said |= found
        # Components without an entry have unknown dependencies.
        for ref, p in pairs.items():
            if ref not in listed:
                check((p["SPDXID"], "DEPENDS_ON", "NOASSERTION") in rel,
                      "%s: unknown dependencies" % p["name"])
        extra = {r for r in rel if r not in said and r[1] != "DESCRIBES" and
                 r[2] not in ("NONE", "NOASSERTION")}
        check(not extra, "SPDX edges CycloneDX lacks: %r" % sorted(extra)[:5])
        # Optional in CycloneDX: only OPTIONAL_DEPENDENCY_OF leads there;
        # excluded: only BUILD_DEPENDENCY_OF, and that always. (Those two
        # name the end first.)
        reverse = ("OPTIONAL_DEPENDENCY_OF", "BUILD_DEPENDENCY_OF")
        for c in h.comps(cdx):
            into = {r[1] for r in rel
                    if (r[2] == ids[c["bom-ref"]] and r[1] != "CONTAINS" and
                        r[1] not in reverse)
                    or (r[0] == ids[c["bom-ref"]] and r[1] in reverse)}
            if c.get("scope") == "optional":
                check(into == {"OPTIONAL_DEPENDENCY_OF"}, "%s optional" % c["name"])
            built = into == {"BUILD_DEPENDENCY_OF"}
            check((c.get("scope") == "excluded") == built,
                  "%s: scope %r, reached by %r" % (c["name"], c.get("scope"), into))

    def ntia_unknown(cdx, element):
        """The bom-refs a CycloneDX composition says lack an NTIA element."""
        return {r for c in cdx.get("compositions", [])
                if c.get("bom-ref") == "ntia-%s-unknown" % element
                for r in c["assemblies"]}

    def ntia_elements(cdx, spdx, pairs):
        """NTIA's minimum elements (issue 15): in SPDX every package has a
        supplier and a version, a value or NOASSERTION; in CycloneDX a
        component has them or is named in the composition that says which is
        unknown; both formats say the same."""
        for p in spdx["packages"]:
            for key in ("supplier", "versionInfo"):
                check(p.get(key), "SPDX %s: no %s" % (p["name"], key))
        no_version = ntia_unknown(cdx, "version")
        no_supplier = ntia_unknown(cdx, "supplier")
        comps = h.comps(cdx) + [cdx["metadata"]["component"]]
        for c in comps:
            ref = c["bom-ref"]
            check(("version" in c) != (ref in no_version),
                  "%s: version %r, in the unknown-version composition: %s"
                  % (ref, c.get("version"), ref in no_version))
            check(("supplier" in c) != (ref in no_supplier),
                  "%s: supplier %r, in the unknown-supplier composition: %s"
                  % (ref, c.get("supplier"), ref in no_supplier))
        for ref, p in pairs.items():
            c = [x for x in h.comps(cdx) if x["bom-ref"] == ref][0]
            want = ("Organization: " + c["supplier"]["name"] if "supplier" in c
                    else "NOASSERTION")
            check(p["supplier"] == want, "%s: supplier %r, CycloneDX %r"
                  % (ref, p["supplier"], want))

    def formats_agree(t, *args, cwd=None):
        """CycloneDX 1.6 and SPDX 2.3 say the same, fact for fact; SPDX
        3.0.1 says what 2.3 says, element for element (same_as_spdx2);
        CycloneDX 1.7 is 1.6 but for its version (same_as_1_6)."""
        cdx = t.run("--format", "cyclonedx", *args, env=SDE, cwd=cwd)
        spdx = t.run("--format", "spdx", *args, env=SDE, cwd=cwd)
        spdx3 = t.run("--format", "spdx3", *args, env=SDE, cwd=cwd)
        cdx17 = t.run("--spec-version", "1.7", *args, env=SDE, cwd=cwd)
        check(cdx.code == 0 and spdx.code == 0, spdx.err)
        check(spdx3.code == 0 and cdx17.code == 0, spdx3.err + cdx17.err)
        check(cdx.err == spdx.err == spdx3.err == cdx17.err, "the same warnings")
        same_as_spdx2(spdx.sbom, spdx3.sbom)
        same_as_1_6(cdx.raw, cdx17.raw)
        pairs = pair_up(cdx.sbom, spdx.sbom)
        for c in h.comps(cdx.sbom):
            same_facts(c, pairs[c["bom-ref"]])
        same_edges(cdx.sbom, spdx.sbom, pairs)
        ntia_elements(cdx.sbom, spdx.sbom, pairs)
        cdx_purls = sorted(c["purl"] for c in h.comps(cdx.sbom) if "purl" in c)
        spdx_purls = sorted(u for p in packages(spdx.sbom) for u in refs(p, "purl"))
        check(cdx_purls == spdx_purls, "purls differ")
        return cdx.sbom, spdx.sbom

    # The Go build information's and cargo-auditable data's cases too.
    h.formats_agree = formats_agree

    # ---- SPDX -------------------------------------------------------------

    @case
    def spdx_document(t):
        out = os.path.join(t.work, "out.spdx.json")
        r = t.run("--format", "spdx", "-o", out, "/usr/bin/curl", "dist/", cwd=t.work)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s = r.sbom  # validated against the schema and the spec's rules
        check(s["spdxVersion"] == "SPDX-2.3" and s["dataLicense"] == "CC0-1.0", "header")
        check(s["creationInfo"]["creators"] == ["Tool: bindep-sbom-%s" % version(t)],
              s["creationInfo"])
        ns = urllib.parse.urlsplit(s["documentNamespace"])
        check(ns.scheme == "https" and re.search(
            r"/curl-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
            ns.path), s["documentNamespace"])
        rel = relations(s)
        check(("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Target") in rel, "DESCRIBES")
        target = [p for p in s["packages"] if p["SPDXID"] == "SPDXRef-Target"][0]
        check(target["name"] == "curl", target)
        curl = [p for p in packages(s) if p["name"] == "curl"][0]
        libcurl = [p for p in packages(s) if p["name"] == "libcurl.so.4"][0]
        check((curl["SPDXID"], "DYNAMIC_LINK", libcurl["SPDXID"]) in rel, "curl links libcurl")
        check(("SPDXRef-Target", "CONTAINS", curl["SPDXID"]) in rel, "target contains curl")
        check(refs(libcurl, "purl")[0].startswith("pkg:deb/debian/libcurl4@"), libcurl)
        check(libcurl["supplier"] == "Organization: Debian", libcurl.get("supplier"))
        check(sha256_of(curl) == [h.sha256("/usr/bin/curl")], "curl's hash")
        for p in packages(s):
            for r_ in p.get("externalRefs", []):
                if r_["referenceType"] == "purl":
                    check(r_["referenceCategory"] == "PACKAGE-MANAGER", r_)
        # The fixture tree's dlopen notes: optional dependencies.
        plugin = [p for p in packages(s) if p["name"] == "libplugin.so.1"][0]
        loader = [p for p in packages(s) if p["name"] == "libloader.so.1"][0]
        check((plugin["SPDXID"], "OPTIONAL_DEPENDENCY_OF", loader["SPDXID"]) in rel,
              "dlopen note")
        missing = [p for p in packages(s) if p["name"] == "libmissing.so.2"][0]
        check((missing["SPDXID"], "DEPENDS_ON", "NOASSERTION") in rel, "unresolved")
        check("bindep:resolved=false" in annotations(missing), annotations(missing))
        # Another input, another namespace.
        other = t.run("--format", "spdx", "dist/", cwd=t.work).sbom
        check(other["documentNamespace"] != s["documentNamespace"], "unique namespace")

    def version(t):
        return subprocess.run([t.binary, "--version"], capture_output=True,
                              text=True).stdout.split()[1]

    @case
    def formats_agree_on_fixtures_and_system(t):
        formats_agree(t, "dist", cwd=t.work)
        formats_agree(t, "/usr/bin/curl", "dist/", cwd=t.work)
        formats_agree(t, "/usr/lib/systemd/systemd")
        formats_agree(t, "--root", golden_root(t))
        # Licences, CPEs, references, vendored and bundled-in copies.
        cdx, spdx = formats_agree(t, h.wheel_tree(t))
        z = [p for p in packages(spdx) if p["name"] == "libz-7e2a72b4.so.1.2.13"][0]
        check(z["licenseDeclared"] == "Zlib" and
              z["downloadLocation"] == "https://github.com/madler/zlib", z)
        check("bindep:bundled-in=pkg:pypi/demo-pkg@1.0" in annotations(z), annotations(z))
        # Files read in part (bindep:error): their links are incomplete.
        corpus = os.path.join(os.path.dirname(HERE), "malformed", "corpus")
        cdx, spdx = formats_agree(t, corpus, os.path.join(t.work, "dist", "lib"))
        check(any(r["relationshipType"] == "DYNAMIC_LINK" and any(
            a.startswith("bindep:error=") for p in spdx["packages"]
            if p["SPDXID"] == r["spdxElementId"] for a in annotations(p))
            for r in spdx["relationships"]), "a file read in part that links")
        # NTIA's author and supplier, in every format.
        formats_agree(t, "--author", "Jane Doe <jane@example.org>", "--author",
                      "Build Bot", "--supplier", "Example Org", "--source-version",
                      "2.0", "dist", cwd=t.work)

    @case
    def spdx_and_text_are_deterministic(t):
        for fmt in ("spdx", "spdx3", "text"):
            a = t.run("--format", fmt, "/usr/bin/curl", "dist", env=SDE, cwd=t.work)
            b = t.run("--format", fmt, "/usr/bin/curl", "dist", env=SDE, cwd=t.work)
            check(a.code == 0 and a.raw == b.raw, "%s: same input, same bytes" % fmt)
            check(b"\n" in a.raw, fmt)
        s = t.run("--format", "spdx", "dist", env=SDE, cwd=t.work).sbom
        check(s["creationInfo"]["created"] == SDE_TIME, s["creationInfo"])
        check({a["annotationDate"] for p in packages(s)
               for a in p.get("annotations", [])} == {SDE_TIME}, "annotation dates")
        serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
        given = t.run("--format", "spdx", "--serial", serial, "dist", cwd=t.work).sbom
        check(given["documentNamespace"].endswith("/dist-" + serial[9:]),
              given["documentNamespace"])

    # ---- SPDX 3.0.1 -------------------------------------------------------

    @case
    def spdx3_document(t):
        """The shape of an SPDX 3.0.1 document (the rest is what SPDX 2.3
        says: formats_agree_on_fixtures_and_system)."""
        r = t.run("--format", "spdx3", "/usr/bin/curl", "dist/", cwd=t.work)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        s3 = Spdx3(r.sbom)  # validated against the schema and SHACL's rules
        check(re.fullmatch(r"https://spdx\.org/spdxdocs/bindep-sbom/curl-[0-9a-f]{8}-"
                           r"[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}#",
                           s3.base), s3.base)
        check(all(n.get("spdxId", s3.base).startswith(s3.base) for n in s3.graph),
              "every element in the namespace")
        info = s3.one("CreationInfo")
        check(info["specVersion"] == "3.0.1" and info["created"] == SDE_TIME, info)
        check([s3.node(x)["name"] for x in info["createdUsing"]] ==
              ["bindep-sbom-%s" % version(t)], info)
        check([s3.node(x)["type"] for x in info["createdBy"]] == ["SoftwareAgent"], info)
        check(s3.document["profileConformance"] ==
              ["core", "software", "simpleLicensing", "extension"], s3.document)
        pkgs = {n["name"]: n for n in s3.of_type("software_Package")}
        curl, libcurl = pkgs["curl"], pkgs["libcurl.so.4"]
        check(curl["spdxId"] != s3.base + "SPDXRef-Target", "the target is curl's own")
        rel = s3.relations()
        c, lc = s3.local(curl["spdxId"]), s3.local(libcurl["spdxId"])
        check((c, "hasDynamicLink", lc, None) in rel, "curl links libcurl")
        check(("SPDXRef-Target", "contains", c, None) in rel, "the target contains curl")
        check(libcurl["software_packageUrl"].startswith("pkg:deb/debian/libcurl4@"), libcurl)
        check(s3.node(libcurl["suppliedBy"])["name"] == "Debian", libcurl)
        check([x["hashValue"] for x in curl["verifiedUsing"]] == [h.sha256("/usr/bin/curl")],
              "curl's hash")
        # One element per licence expression and per supplier.
        exprs = [n["simplelicensing_licenseExpression"]
                 for n in s3.of_type("simplelicensing_LicenseExpression")]
        check(len(exprs) == len(set(exprs)) and "CC0-1.0" in exprs, exprs)
        check([n["name"] for n in s3.of_type("Organization")] == ["Debian"], "suppliers")
        plugin, loader = pkgs["libplugin.so.1"], pkgs["libloader.so.1"]
        check(any(r[:3] == (s3.local(loader["spdxId"]), "hasOptionalDependency",
                            s3.local(plugin["spdxId"])) for r in rel), "dlopen note")
        missing = s3.local(pkgs["libmissing.so.2"]["spdxId"])
        check((missing, "dependsOn", "NoAssertionElement", None) in rel, "unresolved")
        check("bindep:resolved=false" in cdx_properties(pkgs["libmissing.so.2"]), "missing")
        # To a pipe: the same bytes (the first pass derives the UUID).
        piped = t.run("--format", "spdx3", "-o", "-", "/usr/bin/curl", "dist/", cwd=t.work)
        check(piped.raw == r.raw, "the same bytes to a pipe and to a file")
        # Another input, another namespace; --serial's UUID in every IRI.
        other = Spdx3(t.run("--format", "spdx3", "dist/", cwd=t.work).sbom)
        check(other.base != s3.base and other.base.startswith(
            "https://spdx.org/spdxdocs/bindep-sbom/dist-"), other.base)
        serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
        given = Spdx3(t.run("--format", "spdx3", "--serial", serial, "dist/",
                            cwd=t.work).sbom)
        check(given.base == "https://spdx.org/spdxdocs/bindep-sbom/dist-%s#" % serial[9:],
              given.base)

    @case
    def spdx3_validation_can_fail(t):
        """The rewrite of the SPDX 3.0.1 schema that tests/validate.py
        applies rejects what the schema rejects: each mutation of a valid
        document, and each broken reference the SHACL shapes forbid."""
        doc = t.run("--format", "spdx3", "dist/lib", cwd=t.work).sbom
        kinds = {n["type"]: i for i, n in reversed(list(enumerate(doc["@graph"])))}

        def node(g, t_):
            return g[kinds[t_]]

        def first_with(g, key):
            return [n for n in g if key in n][0]

        mutations = {
            "a member no class has": lambda g: node(g, "software_Package").update(x=1),
            "an unknown relationship type": lambda g: node(
                g, "LifecycleScopedRelationship").update(relationshipType="needs"),
            "a scope on a plain Relationship": lambda g: node(
                g, "Relationship").update(scope="runtime"),
            "no to": lambda g: node(g, "LifecycleScopedRelationship").pop("to"),
            "a reference that is no IRI": lambda g: node(
                g, "LifecycleScopedRelationship").update(to=["x"]),
            "an unknown hash algorithm": lambda g: first_with(
                g, "verifiedUsing")["verifiedUsing"][0].update(algorithm="sha257"),
            "a member a Hash has not": lambda g: first_with(
                g, "verifiedUsing")["verifiedUsing"][0].update(x=1),
            "an unknown class": lambda g: node(g, "software_Package").update(
                type="software_Pkg"),
            "a date without time": lambda g: node(g, "CreationInfo").update(
                created="2023-11-14"),
            "no creationInfo": lambda g: node(g, "Tool").pop("creationInfo"),
            "a blank node as spdxId": lambda g: node(g, "Tool").update(spdxId="_:t"),
            "a dangling reference": lambda g: node(g, "LifecycleScopedRelationship")[
                "to"].append(node(g, "Tool")["spdxId"] + "-gone"),
            "a Tool as a supplier": lambda g: node(g, "software_Package").update(
                suppliedBy=node(g, "Tool")["spdxId"]),
            "NoneElement with others": lambda g: first_with(g, "to")["to"].append(
                CORE + "NoneElement"),
            "a property without name": lambda g: first_with(g, "extension")["extension"][0][
                "extension_cdxProperty"][0].pop("extension_cdxPropName"),
        }
        path = os.path.join(t.work, "mutated.spdx3.json")
        for what, mutate in mutations.items():
            bad = json.loads(json.dumps(doc))
            mutate(bad["@graph"])
            with open(path, "w", encoding="utf-8") as f:
                json.dump(bad, f)
            check(validate.errors("spdx3", path), "accepted: %s" % what)

    @case
    def spec_version_is_cyclonedx_only(t):
        for args in (("--format", "spdx", "--spec-version", "1.7"),
                     ("--spec-version", "1.6", "-f", "spdx3"),
                     ("--spec-version", "2.0")):
            r = t.run(*args, "dist/", cwd=t.work)
            check(r.code == 2 and r.sbom is None, "%r: exit %d" % (args, r.code))
            check(b"--spec-version" in r.err, r.err)
        r = t.run("--spec-version", "1.7", "-f", "cyclonedx", "dist/", cwd=t.work)
        check(r.code == 0 and r.sbom["specVersion"] == "1.7", r.err)
        check(t.run("dist/", cwd=t.work).sbom["specVersion"] == "1.6", "1.6 by default")

    # ---- text ---------------------------------------------------------------

    def text(t, *args, env=None, cwd=None):
        r = t.run("--format", "text", "-o", "-", *args, env=env, cwd=cwd)
        check(r.code == 0, "exit %d: %s" % (r.code, r.err))
        return r.out.decode()

    @case
    def text_view_of_curl(t):
        purls = {c["name"]: c["purl"] for c in h.comps(t.run("/usr/bin/curl").sbom)}
        out = text(t, "/usr/bin/curl")
        lines = out.splitlines()
        check(lines[0] == "/usr/bin/curl  " + purls["curl"], lines[0])
        check(lines[1].startswith("    ld-linux-x86-64.so.2 => /lib64/ld-linux-x86-64.so.2"
                                  "  [interpreter]"), lines[1])
        want = re.compile(r"    libcurl\.so\.4 => /\S+/libcurl\.so\.4  \[ld\.so\.cache\]  "
                          + re.escape(purls["libcurl.so.4"]))
        check(any(want.fullmatch(x) for x in lines), out[:2000])
        check(ESC.decode() not in out, "no colour into a pipe")
        check(re.fullmatch(r"1 file scanned, %d components, 0 not found, 0 unidentified"
                           % len(purls), lines[-1]), lines[-1])

    @case
    def text_view_marks_optional_and_missing(t):
        out = text(t, "dist/lib", cwd=t.work)
        check("\n    libmissing.so.2 => not found  [dlopen, optional: recommended, "
              "feature compression]\n" in out, out)
        check(re.search(r"\n    libplugin\.so\.1 => dist/lib/libplugin\.so\.1  "
                        r"\[dlopen, optional: \w+", out), out)
        check(re.search(r"\n5 files scanned, 8 components, 2 not found, 4 unidentified\n$",
                        out), out[-200:])

    def on_terminal(t, *args, env=None):
        """Run with standard output a pseudo-terminal; return its bytes."""
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.pop("NO_COLOR", None)
            os.environ["TERM"] = "xterm"
            os.environ.update(env or {})
            os.chdir(t.work)
            os.execv(t.binary, [t.binary] + list(args))
        out = b""
        while True:
            ready, _, _ = select.select([fd], [], [], 60)
            try:
                chunk = os.read(fd, 65536) if ready else b""
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                break
            out += chunk
        _, status = os.waitpid(pid, 0)
        check(os.waitstatus_to_exitcode(status) == 0, out[-500:])
        return out

    @case
    def text_colour_only_on_a_terminal(t):
        args = ("--format", "text", "dist/lib")
        check(ESC in on_terminal(t, *args), "auto: colour on a terminal")
        check(ESC not in on_terminal(t, *args, env={"NO_COLOR": "1"}), "NO_COLOR")
        check(ESC not in on_terminal(t, *args, env={"TERM": "dumb"}), "TERM=dumb")
        check(ESC not in on_terminal(t, "--color=never", *args), "never")
        check(ESC not in on_terminal(t, "-o", "view.txt", *args), "to a file")
        with open(os.path.join(t.work, "view.txt"), "rb") as f:
            check(ESC not in f.read(), "the file has no colour")
        piped = text(t, "--color=always", "dist/lib", cwd=t.work).encode()
        check(b"\x1b[1;31mnot found\x1b[0m" in piped, "always: colour into a pipe")
        check(b"\x1b[" not in t.run("--color=always", "dist/lib", cwd=t.work).raw,
              "no colour in JSON")

    # ---- golden files -----------------------------------------------------

    STATUS = """Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4

Package: zlib1g
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: zlib
Version: 1:1.2.13.dfsg-1

Package: libzstd1
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: libzstd
Version: 1.5.4+dfsg2-5
"""
    LISTS = {
        "libc6:amd64": ["/lib/x86_64-linux-gnu/libc.so.6",
                        "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                        "/lib64/ld-linux-x86-64.so.2"],
        "zlib1g:amd64": ["/lib/x86_64-linux-gnu/libz.so.1",
                         "/lib/x86_64-linux-gnu/libz.so.1.2.13"],
        "libzstd1:amd64": ["/lib/x86_64-linux-gnu/libzstd.so.1",
                           "/lib/x86_64-linux-gnu/libzstd.so.1.5.4"],
    }
    MAPPING = """# The golden root's own registry: the output must not follow the
# shipped one.
libraries:
  - name: "zlib"
    purl: "pkg:github/madler/zlib"
    repository: "https://github.com/madler/zlib"
    homepage: "https://zlib.net/"
    license: "Zlib"
    cpe: "cpe:2.3:a:zlib:zlib"
    files: ["libz.so.*"]
    version:
      - filename: "libz.so.{version}"
    sources:
      debian: ["zlib"]
    examples: ["libz.so.1.2.13"]
    example-version: "1.2.13"
  - name: "brotli"
    purl: "pkg:github/google/brotli"
    repository: "https://github.com/google/brotli"
    license: "MIT"
    files: ["libbrotlicommon.so.*"]
    version:
      - filename: "libbrotlicommon.so.{version}"
    examples: ["libbrotlicommon.so.1.1.0"]
    example-version: "1.1.0"
"""

    def put(root, path, data):
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w" if isinstance(data, str) else "wb") as f:
            f.write(data)

    def link(root, path, target):
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink(target, full)

    def golden_root(t):
        """An app, its own libraries, one vendored copy, a Debian base."""
        root = os.path.join(t.work, "roots", "golden")
        if os.path.isdir(root):
            return root
        lib = "/lib/x86_64-linux-gnu"
        loader = "/lib64/ld-linux-x86-64.so.2"
        build_id = ("GNU", E.NT_GNU_BUILD_ID, bytes(range(20)))
        pkg_note = E.json_note(E.NT_FDO_PACKAGING_METADATA,
                               '{"type":"deb","os":"debian","name":"golden-app",'
                               '"version":"2.0-1","architecture":"amd64"}')
        dlopen_note = E.json_note(
            E.NT_FDO_DLOPEN_METADATA,
            '[{"soname":["libzstd.so.1"],"feature":"zstd","priority":"recommended",'
            '"description":"zstd compression"},'
            '{"soname":["libfido2.so.1","libfido2.so.0"],"feature":"fido2",'
            '"priority":"suggested"}]')
        put(root, "/usr/bin/app", E.build(
            etype=E.ET_DYN, interp=loader, runpath="$ORIGIN/../lib/app",
            needed=["libfoo.so.1", "libz.so.1", "libc.so.6"],
            notes=[build_id, pkg_note, dlopen_note])[0])
        put(root, "/usr/lib/app/libfoo.so.1", E.build(
            soname="libfoo.so.1", runpath="$ORIGIN",
            needed=["libbrotlicommon.so.1", "libmissing.so.3", "libc.so.6"])[0])
        put(root, "/usr/lib/app/libbrotlicommon.so.1.1.0", E.build(
            soname="libbrotlicommon.so.1", needed=["libc.so.6"])[0])
        link(root, "/usr/lib/app/libbrotlicommon.so.1", "libbrotlicommon.so.1.1.0")
        put(root, lib + "/libc.so.6", E.build(
            soname="libc.so.6", needed=["ld-linux-x86-64.so.2"], interp=loader)[0])
        put(root, lib + "/ld-linux-x86-64.so.2",
            E.build(soname="ld-linux-x86-64.so.2")[0])
        link(root, loader, lib + "/ld-linux-x86-64.so.2")
        put(root, lib + "/libz.so.1.2.13",
            E.build(soname="libz.so.1", needed=["libc.so.6"])[0])
        link(root, lib + "/libz.so.1", "libz.so.1.2.13")
        put(root, lib + "/libzstd.so.1.5.4",
            E.build(soname="libzstd.so.1", needed=["libc.so.6"])[0])
        link(root, lib + "/libzstd.so.1", "libzstd.so.1.5.4")
        put(root, "/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
        put(root, "/etc/ld.so.conf.d/x86_64-linux-gnu.conf", lib + "\n")
        put(root, "/etc/os-release", 'ID=debian\nVERSION_ID="12"\n')
        put(root, "/var/lib/dpkg/status", STATUS)
        for pkg, files in LISTS.items():
            put(root, "/var/lib/dpkg/info/%s.list" % pkg, "\n".join(files) + "\n")
        put(root, "/mappings/golden.yml", MAPPING)
        return root

    h.golden_root = golden_root  # the online cases scan it too
    h.same_as_spdx2 = same_as_spdx2  # and compare their SPDX

    def normalise(data):
        """What changes with each release without the output being wrong:
        the version, and the document UUIDs derived from it."""
        data = data.replace(b"bindep-sbom-" + version(h.T).encode(),
                            b"bindep-sbom-@VERSION@")
        data = re.sub(rb'("name":\s+"bindep-sbom",\s+"version":\s+)"[^"]+"',
                      rb'\1"@VERSION@"', data)
        return re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                      rb"[0-9a-f]{12}", b"@UUID@", data)

    def compare_golden(name, data):
        path = os.path.join(GOLDEN, name)
        data = normalise(data)
        if os.environ.get("BD_UPDATE_GOLDEN"):
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            return
        check(os.path.exists(path), "%s missing: run with BD_UPDATE_GOLDEN=1" % path)
        with open(path, "rb") as f:
            want = f.read()
        if want != data:
            diff = difflib.unified_diff(
                want.decode().splitlines(), data.decode().splitlines(),
                "golden/" + name, "output", lineterm="", n=2)
            raise h.Failure("%s differs (BD_UPDATE_GOLDEN=1 to accept):\n%s"
                            % (name, "\n".join(list(diff)[:60])))

    h.compare_golden = compare_golden  # the views' cases have theirs too
    def official_spdx3(t, raw):
        """The SPDX 3.0.1 schema as published, unchanged, agrees with the
        rewrite tests/validate.py applies to every document. Applied by
        ajv's draft 2020-12 validator (check.cjs --spdx3-schema: 1 s),
        where jsonschema took 20 s of CPU for this one small document
        (validate.py spdx3-official still does, by hand); a copy with a
        property no class has must fail it, as unevaluatedProperties,
        what the rewrite replaces, says. Only in the pass that validates:
        the document is the golden file, byte for byte, in every pass."""
        if not t.schema:
            return
        path = os.path.join(t.work, "golden.spdx3.json")
        with open(path, "wb") as f:
            f.write(raw)
        doc = json.loads(raw)
        doc["@graph"][-1]["bindep_noSuchProperty"] = 1
        broken = os.path.join(t.work, "golden-broken.spdx3.json")
        with open(broken, "w") as f:
            json.dump(doc, f)
        proc = subprocess.run(
            ["node", h.consumers.SCRIPT, "--spdx3-schema",
             os.path.join(h.ROOT, "schemas", "spdx-3.0.1.schema.json"),
             path, broken], capture_output=True, text=True,
            env=dict(os.environ, NODE_PATH=h.consumers.MODULES))
        errs = proc.stdout.splitlines()
        check(proc.returncode == 1 and errs and
              all(e.startswith(broken + ": ") for e in errs),
              "the official schema: exit %d: %s %s"
              % (proc.returncode, errs[:5], proc.stderr[-500:]))
        check(any("bindep_noSuchProperty" in e for e in errs),
              "a property no class has passes: %s" % errs[:5])

    @case
    def golden_outputs(t):
        h.T = t
        root = golden_root(t)
        # Relative paths: nothing of this machine's may be in the output.
        common = ("--root", ".", "--mappings-dir", "mappings", "--source-name",
                  "golden", "--source-version", "2.0", "usr")
        for fmt, name in ((("cyclonedx",), "golden.cdx.json"),
                          (("cyclonedx", "--spec-version", "1.7"), "golden.cdx-1.7.json"),
                          (("spdx",), "golden.spdx.json"),
                          (("spdx3",), "golden.spdx3.json"), (("text",), "golden.txt")):
            r = t.run("--format", *fmt, "-o", "-", *common, env=SDE, cwd=root,
                      validate_sbom=fmt[0] != "text")
            check(r.code == 0 and not r.err, "%s: exit %d: %s" % (fmt, r.code, r.err))
            check((r.sbom is not None) == (fmt[0] != "text"), "validated by t.run")
            compare_golden(name, r.out)
            if fmt == ("spdx3",):
                official_spdx3(t, r.raw)
        with open(os.path.join(GOLDEN, "golden.txt"), encoding="utf-8") as f:
            view = f.read()
        check(view.startswith("/usr/bin/app  pkg:deb/debian/golden-app@2.0-1"), view[:200])
        check("libmissing.so.3 => not found" in view, "missing shown")
        check("libfido2.so.1 => not found  [dlopen, optional: suggested, feature fido2]"
              in view, "optional missing shown")

    # ---- no machine paths (issue 15, point 4) -----------------------------

    @case
    def same_bytes_from_two_install_prefixes(t):
        """The program and its registry installed under two prefixes, as
        `make install` lays them out beside each other: the same input
        with the same SOURCE_DATE_EPOCH gives the same bytes, in both
        formats. Evidence names the registry file inside the registry
        ("mappings/compression.yml:6"), and a relative input stays
        relative: nothing of either prefix or of the work directory."""
        repo_mappings = os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                     "mappings")
        progs = []
        for prefix in ("p1/bin", "p2/opt/tool/libexec"):
            d = os.path.join(t.work, "prefixes", prefix)
            os.makedirs(d)
            shutil.copy2(t.binary, d)
            shutil.copytree(repo_mappings, os.path.join(d, "mappings"))
            progs.append(os.path.join(d, os.path.basename(t.binary)))
        vendor = os.path.join(t.work, "prefix-input", "vendor")
        os.makedirs(vendor)
        shutil.copy2(os.path.realpath("/usr/lib/x86_64-linux-gnu/libz.so.1"),
                     os.path.join(vendor, "libz.so.1.2.13"))
        cwd = os.path.dirname(vendor)
        for fmt in ("cyclonedx", "spdx", "spdx3"):
            a, b = (t.run("--format", fmt, "vendor", env=SDE, cwd=cwd,
                          binary=p) for p in progs)
            check(a.code == 0 and b.code == 0, a.err + b.err)
            check(a.raw == b.raw, "%s: the install prefix shows" % fmt)
            text = a.raw.decode()
            for leak in (t.work, os.path.join(t.work, "prefixes")):
                check(leak not in text, "%s: %r in the output" % (fmt, leak))
            check(re.search(r"mappings/compression\.yml:[0-9]+: zlib: files",
                            text), "%s: evidence names no registry line" % fmt)
            check('"vendor/libz.so.1.2.13"' in text or
                  "bindep:path=vendor/libz.so.1.2.13" in text,
                  "%s: the relative input is not relative" % fmt)


    # ---- purls and licences, by independent consumers (issue 15) ----------

    @case
    def purls_round_trip_on_real_inputs(t):
        """Every purl written on this machine's /usr/bin and
        /usr/lib/x86_64-linux-gnu, the npm fixtures and the golden root is
        canonical: t.run checks each SBOM with the project's own parser
        (parse, then build: the same bytes) and with packageurl-js, and each
        licence expression with spdx-expression-parse."""
        npm = os.path.join(os.path.dirname(os.path.dirname(HERE)), ".fixtures",
                           "npm", "node_modules")
        check(os.path.isdir(npm), "no npm fixtures: run contrib/install-deps --test")
        root = golden_root(t)
        # The system's two in CycloneDX only: the SPDX of the same graph has
        # the same purls (formats_agree), and 10 MB more to validate.
        runs = [(("--root", "/", "/usr/bin"), None, ("cyclonedx",)),
                (("/usr/lib/x86_64-linux-gnu",), None, ("cyclonedx",)),
                ((npm,), None, ("cyclonedx", "spdx")),
                (("--root", ".", "--mappings-dir", "mappings", "usr"), root,
                 ("cyclonedx", "spdx"))]
        for args, cwd, fmts in runs:
            for fmt in fmts:
                r = t.run("--format", fmt, "-q", *args, env=SDE, cwd=cwd)
                check(r.code == 0 and r.sbom, "%s %r: exit %d" % (fmt, args, r.code))
                purls = re.findall(r'"(pkg:[^"]+)"', r.raw.decode())
                check(len(purls) > 2, "%s %r: only %d purls" % (fmt, args, len(purls)))

    @case
    def consumers_reject_broken_documents(t):
        """The independent consumers t.run asks of every SBOM can fail: a
        component type the schema lacks, a property it does not allow (1.6
        and 1.7, each validator kept after its first document), a purl that
        does not parse and a licence expression that does not parse are
        each reported, between good documents that are not."""
        r = t.run("--format", "cyclonedx", "dist", cwd=t.work)
        check(r.code == 0 and r.sbom, r.err)
        good = r.sbom

        def broken(name, mutate):
            doc = json.loads(json.dumps(good))
            mutate(doc)
            path = os.path.join(t.work, "consumers-%s.json" % name)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            return path

        def comp(doc):
            return doc["components"][0]

        cases = [
            ("type", lambda d: comp(d).update(type="bogus-type"),
             "/components/0/type"),
            ("extra-1.7", lambda d: (d.update(specVersion="1.7"),
                                     comp(d).update(bogus=1)),
             "additionalProperties"),
            ("purl", lambda d: comp(d).update(purl="pkg:/no-type@1"),
             "pkg:/no-type@1"),
            ("licence", lambda d: comp(d).update(
                licenses=[{"expression": "MIT AND AND GPL-2.0-only"}]),
             "MIT AND AND GPL-2.0-only"),
        ]
        for name, mutate, said in cases:
            for path in (broken("good", lambda d: None),
                         broken("good-1.7", lambda d: d.update(specVersion="1.7"))):
                check(not h.consumers.errors(path), "%s: a good one refused" % name)
            errs = h.consumers.errors(broken(name, mutate))
            check(errs and any(said in e for e in errs), "%s: %r" % (name, errs))
