#!/usr/bin/python3
"""Validate SBOM documents against the vendored official schemas.

usage: validate.py cyclonedx|spdx|spdx3 FILE...
Exit 0 when every file is valid; otherwise print each error and exit 1.
A CycloneDX document is validated against the schema of its specVersion
(1.6 or 1.7). Works offline: the schemas that the CycloneDX ones refer to
are registered locally. SPDX documents are also checked for the rules of
their specification that the JSON schema does not encode: for SPDX 2.3
identifiers, references and the namespace; for SPDX 3.0.1 what its SHACL
shapes say of references (that each names an element of the document, or
one of SPDX's individuals, of the class the property wants).
"""
import collections
import copy
import json
import os
import re
import subprocess
import sys
import urllib.parse

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "..", "schemas")


def load(name):
    with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
        return json.load(f)


# The schemas of each CycloneDX version, and those they refer to by name.
CYCLONEDX = {
    "1.6": ("bom-1.6.schema.json", ("spdx.schema.json", "jsf-0.82.schema.json")),
    "1.7": ("bom-1.7.schema.json", ("spdx.schema.json", "jsf-0.82.schema.json",
                                    "cryptography-defs.schema.json")),
}
VALIDATORS = {}


def validator(kind, version=None):
    """The validator of a kind of document (for CycloneDX, of a version),
    made once: the SPDX 3 schema takes seconds to compile."""
    key = (kind, version)
    if key not in VALIDATORS:
        VALIDATORS[key] = make_validator(kind, version)
    return VALIDATORS[key]


def make_validator(kind, version):
    resolver = None
    if kind == "cyclonedx":
        if version not in CYCLONEDX:
            raise SystemExit("validate.py: no schema of CycloneDX %r" % version)
        main, refs = CYCLONEDX[version]
        schema = load(main)
        store = {}
        for name in refs:
            sub = load(name)
            store[name] = sub
            if "$id" in sub:
                store[sub["$id"]] = sub
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    elif kind == "spdx":
        schema = load("spdx-2.3.schema.json")
    elif kind == "spdx3":
        return Spdx3Validator(load("spdx-3.0.1.schema.json"))
    elif kind == "spdx3-official":
        schema = load("spdx-3.0.1.schema.json")
    else:
        raise SystemExit("validate.py: unknown kind %r" % kind)
    cls = jsonschema.validators.extend(
        jsonschema.validators.validator_for(schema),
        {"uniqueItems": unique_items})
    return cls(schema, resolver=resolver,
               format_checker=jsonschema.FormatChecker())


def canonical(x):
    """A hashable form of a JSON value under JSON Schema's equality: 1 and
    1.0 are one number, true is not 1, object keys are unordered."""
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return (type(x).__name__, x)
    if isinstance(x, (int, float)):
        return ("number", int(x) if float(x).is_integer() else x)
    if isinstance(x, dict):
        return ("object", tuple(sorted((k, canonical(v)) for k, v in x.items())))
    return ("array", tuple(canonical(v) for v in x))


def unique_items(validator, unique, instance, schema):
    """uniqueItems in linear time: jsonschema compares every pair, and took
    two minutes over the 4,000 components of one document."""
    if not unique or not validator.is_type(instance, "array"):
        return
    seen = set()
    for item in instance:
        key = canonical(item)
        if key in seen:
            yield jsonschema.ValidationError(
                "%r has non-unique elements" % (item,))
            return
        seen.add(key)


SPDX_ID = re.compile(r"SPDXRef-[A-Za-z0-9.-]+")
SPDX_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
SPDX_ACTOR = re.compile(r"(Person|Organization|Tool): .+|NOASSERTION")
CHECKSUM_LEN = {"SHA1": 40, "SHA256": 64, "SHA512": 128, "MD5": 32}


def spdx_spec_errors(doc):
    """SPDX 2.3 rules the JSON schema leaves out (clauses 6, 7, 11, F)."""
    errs = []
    ns = doc.get("documentNamespace", "")
    url = urllib.parse.urlsplit(ns)
    if not url.scheme or "#" in ns:
        errs.append("documentNamespace %r is not an absolute URI without '#'" % ns)
    if doc.get("SPDXID") != "SPDXRef-DOCUMENT":
        errs.append("the document's SPDXID is not SPDXRef-DOCUMENT")
    ci = doc.get("creationInfo", {})
    if not SPDX_DATE.fullmatch(ci.get("created", "")):
        errs.append("creationInfo.created %r is not UTC YYYY-MM-DDThh:mm:ssZ"
                    % ci.get("created"))
    errs += ["creator %r has no Person:/Organization:/Tool: prefix" % c
             for c in ci.get("creators", []) if not SPDX_ACTOR.fullmatch(c)]
    ids = [doc.get("SPDXID")]
    for p in doc.get("packages", []) + doc.get("files", []):
        ids.append(p.get("SPDXID"))
        errs += package_errors(p)
    errs += ["SPDXID %r is not SPDXRef-[A-Za-z0-9.-]+" % i
             for i in ids if not SPDX_ID.fullmatch(i or "")]
    seen = set()
    for i in ids:
        if i in seen:
            errs.append("SPDXID %r used twice" % i)
        seen.add(i)
    errs += license_ref_errors(doc)
    describes = False
    for r in doc.get("relationships", []):
        a, b = r["spdxElementId"], r["relatedSpdxElement"]
        if a not in seen:
            errs.append("relationship from unknown element %r" % a)
        if b not in seen and b not in ("NONE", "NOASSERTION"):
            errs.append("relationship to unknown element %r" % b)
        describes |= a == "SPDXRef-DOCUMENT" and r["relationshipType"] == "DESCRIBES"
    if not describes:
        errs.append("no DESCRIBES relationship from SPDXRef-DOCUMENT")
    return errs


LICENSE_REF = re.compile(r"(?<![:\w.-])LicenseRef-[A-Za-z0-9.-]+")
LICENSE_FIELDS = ("licenseDeclared", "licenseConcluded")


def license_ref_errors(doc):
    """SPDX 2.3, 5.2.5 and 10.1: each LicenseRef- a licence field names is
    defined in hasExtractedLicensingInfos, with its text (10.2)."""
    infos = doc.get("hasExtractedLicensingInfos", [])
    defined = {i.get("licenseId") for i in infos if i.get("extractedText")}
    errs = []
    for p in doc.get("packages", []) + doc.get("files", []):
        for field in LICENSE_FIELDS:
            for ref in LICENSE_REF.findall(p.get(field, "")):
                if ref not in defined:
                    errs.append("%s: %s %s is not defined" % (p.get("SPDXID"), field, ref))
    return errs


def package_errors(p):
    errs = []
    where = p.get("SPDXID")
    for field in ("supplier", "originator"):
        if field in p and not SPDX_ACTOR.fullmatch(p[field]):
            errs.append("%s: %s %r" % (where, field, p[field]))
    if "downloadLocation" in p and not p["downloadLocation"]:
        errs.append("%s: empty downloadLocation" % where)
    if p.get("filesAnalyzed") is False and "packageVerificationCode" in p:
        errs.append("%s: verification code without analysed files" % where)
    for c in p.get("checksums", []):
        want = CHECKSUM_LEN.get(c["algorithm"])
        if want and not re.fullmatch("[0-9a-f]{%d}" % want, c["checksumValue"]):
            errs.append("%s: bad %s checksum" % (where, c["algorithm"]))
    for r in p.get("externalRefs", []):
        t, loc = r["referenceType"], r["referenceLocator"]
        if (t == "purl" and not loc.startswith("pkg:")) or \
           (t == "cpe23Type" and not loc.startswith("cpe:2.3:")) or " " in loc:
            errs.append("%s: bad %s locator %r" % (where, t, loc))
    return errs


# CycloneDX properties, and SPDX annotations ("name=value"), that hold a purl.
PURL_PROPERTIES = ("bindep:upstream-purl", "bindep:registry-purl",
                   "bindep:alternative-purl", "bindep:bundled-in")


def purls(doc):
    """Every purl a document writes: "purl" fields, evidence identities of
    the purl field, SPDX purl references, and the bindep: properties and
    annotations above."""
    found = set()

    def walk(x):
        if isinstance(x, list):
            for v in x:
                walk(v)
            return
        if not isinstance(x, dict):
            return
        if isinstance(x.get("purl"), str):
            found.add(x["purl"])
        if x.get("field") == "purl" and isinstance(x.get("concludedValue"), str):
            found.add(x["concludedValue"])
        if x.get("referenceType") == "purl":
            found.add(x["referenceLocator"])
        if x.get("name") in PURL_PROPERTIES and isinstance(x.get("value"), str):
            found.add(x["value"])
        comment = x.get("comment") if "annotationType" in x else None
        if isinstance(comment, str):
            name, _, value = comment.partition("=")
            if name in PURL_PROPERTIES:
                found.add(value)
        for v in x.values():
            walk(v)

    walk(doc)
    return sorted(found)


def purl_errors(doc, checker):
    """What the compiled tests/purl_check.c says of the document's purls
    (one line per purl that is not canonical); empty when all are."""
    found = purls(doc)
    if not found:
        return []
    proc = subprocess.run([checker], capture_output=True,
                          input=("\n".join(found) + "\n").encode("utf-8", "surrogatepass"))
    out = proc.stdout.decode("utf-8", "replace").splitlines()
    if proc.returncode and not out:
        out = ["purl-check failed: " + proc.stderr.decode("utf-8", "replace")]
    return out
# ---- SPDX 3.0.1 --------------------------------------------------------

class Spdx3Validator:
    """The SPDX 3.0.1 JSON schema, as jsonschema can apply it to thousands
    of elements. The schema closes each class with unevaluatedProperties,
    which jsonschema checks by walking every subschema again (for each
    element, each nested object and each reference): minutes for a
    document of a few hundred packages. The same rules, rewritten:
    each class (its allOf chain of *_props) flattened into one object
    schema with additionalProperties false; an object where one of several
    classes may stand is dispatched by its "type" (each class has its own
    const); a string where an object or a reference may stand is checked
    as a reference only. The @graph nodes are dispatched by their type
    here. A shape of the schema this does not know is an error, never
    skipped; "spdx3-official" applies the schema unchanged (slowly), and
    the tests check that both agree on the golden document."""

    def __init__(self, schema):
        self.defs = copy.deepcopy(schema["$defs"])
        self.consts = {}  # class -> its "type"
        for name, d in self.defs.items():
            try:
                self.consts[name] = d["allOf"][0]["properties"]["type"]["oneOf"][0]["const"]
            except (KeyError, IndexError, TypeError):
                pass
        self.by_type = {t: name for name, t in self.consts.items()}
        for name in list(self.consts):
            self.defs["flat:" + name] = self.flatten(name)
        for name, d in list(self.defs.items()):
            if name.endswith("_derived"):
                self.defs[name] = self.derived(name, d)
        root = {"$schema": schema["$schema"], "$defs": self.defs}
        cls = jsonschema.validators.validator_for(schema)
        self.make = lambda ref: cls(dict(root, **{"$ref": "#/$defs/" + ref}),
                                    format_checker=jsonschema.FormatChecker())
        self.nodes = {}
        self.top = cls({"type": "object", "required": ["@context", "@graph"],
                        "additionalProperties": False,
                        "properties": {"@context": schema["properties"]["@context"],
                                       "@graph": {"type": "array",
                                                  "items": {"type": "object"}}}})

    def unknown(self, where, what):
        raise SystemExit("validate.py: the SPDX 3 schema has a shape the fast "
                         "validator does not know, at %s: %s" % (where, what))

    def flatten(self, name):
        props = collections.defaultdict(list)
        required = set()

        def walk(s, where):
            for key, value in s.items():
                if key == "$ref":
                    ref = value.split("/")[-1]
                    walk(self.defs[ref], ref)
                elif key == "allOf":
                    for part in value:
                        walk(part, where)
                elif key == "properties":
                    for p, ps in value.items():
                        props[p].append(ps)
                elif key == "required":
                    required.update(value)
                elif key == "type" and value == "object":
                    pass
                elif key == "unevaluatedProperties" and value is False:
                    pass  # every flattened class is closed
                else:
                    self.unknown(where, key)
        walk(self.defs[name], name)
        return {"type": "object", "required": sorted(required),
                "additionalProperties": False,
                "properties": {p: ps[0] if len(ps) == 1 else {"allOf": ps}
                               for p, ps in props.items()}}

    def dispatch(self, refs, where):
        """An object that must be one of the classes refs, by its type."""
        names = [r["$ref"].split("/")[-1] for r in refs]
        others = [n for n in names if n not in self.consts]
        for n in others:
            if not n.endswith("_props"):
                self.unknown(where, n)
        types = [self.consts[n] for n in names if n in self.consts]
        # An abstract class (extension_Extension_props) takes an object
        # of a class of elsewhere, its type an IRI.
        rest = {"anyOf": [self.flatten(n) for n in others]} if others else False
        return {"type": "object", "required": ["type"],
                "if": {"properties": {"type": {"enum": types}}},
                "then": {"allOf": [{"if": {"properties": {"type": {"const": t}}},
                                    "then": {"$ref": "#/$defs/flat:" + self.by_type[t]}}
                                   for t in types]},
                "else": rest}

    def derived(self, name, d):
        if list(d) != ["anyOf"]:
            self.unknown(name, sorted(d))
        first, rest = d["anyOf"][0], d["anyOf"][1:]
        if first.get("type") != "object" or set(first) - {
                "anyOf", "type", "unevaluatedProperties"}:
            self.unknown(name, sorted(first))
        if first.get("unevaluatedProperties") is False:
            then = self.dispatch(first["anyOf"], name)
        elif "unevaluatedProperties" not in first:
            then = first  # open (extension_Extension): as it is
        else:
            self.unknown(name, first["unevaluatedProperties"])
        return {"if": {"type": "object"}, "then": then, "else": {"anyOf": rest}}

    def iter_errors(self, doc):
        yield from self.top.iter_errors(doc)
        if not self.top.is_valid(doc):
            return
        for i, node in enumerate(doc["@graph"]):
            name = self.by_type.get(node.get("type"))
            if name is None:
                yield jsonschema.ValidationError(
                    "%r is no class of SPDX 3.0.1" % node.get("type"),
                    path=["@graph", i])
                continue
            if name not in self.nodes:
                self.nodes[name] = self.make("flat:" + name)
            for e in self.nodes[name].iter_errors(node):
                e.path.extendleft(["@graph", i])
                yield e


SPDX3_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPDX3_TERMS = "https://spdx.org/rdf/3.0.1/terms/"
# SPDX's named individuals (spdx-model.ttl), by the class they stand for.
SPDX3_INDIVIDUALS = {
    SPDX3_TERMS + "Core/NoAssertionElement": "IndividualElement",
    SPDX3_TERMS + "Core/NoneElement": "IndividualElement",
    SPDX3_TERMS + "Licensing/NoAssertion": "License",
    SPDX3_TERMS + "Licensing/None": "License",
    SPDX3_TERMS + "ExpandedLicensing/NoAssertionLicense": "License",
    SPDX3_TERMS + "ExpandedLicensing/NoneLicense": "License",
}
AGENTS = {"Agent", "Person", "Organization", "SoftwareAgent"}
LICENSES = {"License", "simplelicensing_LicenseExpression",
            "simplelicensing_SimpleLicensingText"}
RELATIONSHIPS = {"Relationship", "LifecycleScopedRelationship"}
ANY = None  # any element
# property -> the classes its value may be (sh:class in spdx-model.ttl).
SPDX3_RANGES = {
    "createdBy": AGENTS, "createdUsing": {"Tool"}, "suppliedBy": AGENTS,
    "originatedBy": AGENTS, "dataLicense": LICENSES, "rootElement": ANY,
    "element": ANY, "from": ANY, "to": ANY, "subject": ANY,
}
# relationshipType -> the classes its "to" may be (SPDX 3.0.1 Licensing).
SPDX3_TO = {"hasDeclaredLicense": LICENSES, "hasConcludedLicense": LICENSES}


def spdx3_refs(node):
    """(property, IRI) of each reference a node of the graph makes."""
    for key, want in SPDX3_RANGES.items():
        value = node.get(key)
        for iri in value if isinstance(value, list) else [value]:
            if isinstance(iri, str):
                yield key, iri


def spdx3_class_errors(where, key, iri, cls, want):
    if cls is None:
        return ["%s: %s %r names no element of the document" % (where, key, iri)]
    if want is not ANY and cls not in want:
        return ["%s: %s %r is a %s, not a %s" % (where, key, iri, cls,
                                                 "/".join(sorted(want)))]
    return []


CDX_ENTRY = {"type", "extension_cdxPropName", "extension_cdxPropValue"}


def spdx3_extension_errors(where, extensions):
    """The schema leaves an extension open (any class of anywhere): ours
    are the Extension profile's CycloneDX properties, each a name and a
    value, and nothing else."""
    errs = []
    for ext in extensions:
        if not isinstance(ext, dict) or ext.get("type") != "extension_CdxPropertiesExtension" \
                or set(ext) != {"type", "extension_cdxProperty"}:
            errs.append("%s: an extension other than CdxPropertiesExtension: %r"
                        % (where, ext))
            continue
        for e in ext["extension_cdxProperty"]:
            if not isinstance(e, dict) or set(e) != CDX_ENTRY or \
                    e["type"] != "extension_CdxPropertyEntry" or \
                    not e["extension_cdxPropName"]:
                errs.append("%s: property %r is not a name and a value" % (where, e))
    return errs


def spdx3_spec_errors(doc):
    """SPDX 3.0.1 rules the JSON schema leaves out: what the SHACL shapes
    say of references, and the rules of Relationship and SpdxDocument."""
    errs = []
    if doc.get("@context") != SPDX3_CONTEXT:
        errs.append("@context is not %s" % SPDX3_CONTEXT)
    graph = doc.get("@graph", [])
    classes = dict(SPDX3_INDIVIDUALS)
    blank = set()
    for node in graph:
        iri = node.get("spdxId")
        if iri is None:
            blank.add(node.get("@id"))
        elif iri in classes:
            errs.append("spdxId %r used twice" % iri)
        else:
            classes[iri] = node["type"]
    docs = [n for n in graph if n["type"] == "SpdxDocument"]
    if len(docs) != 1:
        errs.append("%d SpdxDocument elements, not one" % len(docs))
    for node in graph:
        where = node.get("spdxId", node.get("@id"))
        if "spdxId" in node and node.get("creationInfo") not in blank:
            errs.append("%s: creationInfo %r is no CreationInfo of the document"
                        % (where, node.get("creationInfo")))
        for key, iri in spdx3_refs(node):
            errs += spdx3_class_errors(where, key, iri, classes.get(iri),
                                       SPDX3_RANGES[key])
        if node["type"] in RELATIONSHIPS:
            to = node["to"]
            for iri in to:
                errs += spdx3_class_errors(where, "to", iri, classes.get(iri),
                                           SPDX3_TO.get(node["relationshipType"], ANY))
            # SPDX 3.0.1, Relationship: NoneElement only alone.
            if len(to) > 1 and SPDX3_TERMS + "Core/NoneElement" in to:
                errs.append("%s: NoneElement with other elements" % where)
            if len(set(to)) != len(to):
                errs.append("%s: an element twice in to" % where)
        for h in node.get("verifiedUsing", []):
            if h.get("algorithm") == "sha256" and \
                    not re.fullmatch("[0-9a-f]{64}", h.get("hashValue", "")):
                errs.append("%s: bad sha256 %r" % (where, h.get("hashValue")))
        errs += spdx3_extension_errors(where, node.get("extension", []))
        purl = node.get("software_packageUrl")
        if purl is not None and (not purl.startswith("pkg:") or " " in purl):
            errs.append("%s: bad packageUrl %r" % (where, purl))
    return errs


def errors(kind, path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    version = doc.get("specVersion") if kind == "cyclonedx" else None
    if kind == "cyclonedx" and version not in CYCLONEDX:
        return ["%s: specVersion %r: no CycloneDX schema of that version (%s)"
                % (path, version, ", ".join(sorted(CYCLONEDX)))]
    v = validator(kind, version)
    found = ["%s: %s: %s" % (path, "/".join(map(str, e.path)) or "(root)",
                             e.message) for e in v.iter_errors(doc)]
    if kind == "spdx" and not found:
        found = ["%s: %s" % (path, e) for e in spdx_spec_errors(doc)]
    if kind in ("spdx3", "spdx3-official") and not found:
        found = ["%s: %s" % (path, e) for e in spdx3_spec_errors(doc)]
    return found


def kind_of(doc):
    """The kind of a parsed SBOM, as errors() takes it."""
    if "spdxVersion" in doc:
        return "spdx"
    if "@context" in doc:
        return "spdx3"
    return "cyclonedx"


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    found = []
    for path in argv[2:]:
        found += errors(argv[1], path)
    for e in found:
        print(e)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
