#!/usr/bin/python3
"""Validate SBOM documents against the vendored official schemas.

usage: validate.py cyclonedx|spdx FILE...
Exit 0 when every file is valid; otherwise print each error and exit 1.
Works offline: the schemas that bom-1.6 refers to are registered locally.
SPDX documents are also checked for the rules of the SPDX 2.3 specification
that its JSON schema does not encode (identifiers, references, namespace).
"""
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


def validator(kind):
    if kind == "cyclonedx":
        schema = load("bom-1.6.schema.json")
        store = {}
        for name in ("spdx.schema.json", "jsf-0.82.schema.json"):
            sub = load(name)
            store[name] = sub
            if "$id" in sub:
                store[sub["$id"]] = sub
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    elif kind == "spdx":
        schema = load("spdx-2.3.schema.json")
        resolver = None
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


def errors(kind, path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    v = validator(kind)
    found = ["%s: %s: %s" % (path, "/".join(map(str, e.absolute_path)) or "(root)",
                             e.message) for e in v.iter_errors(doc)]
    if kind == "spdx" and not found:
        found = ["%s: %s" % (path, e) for e in spdx_spec_errors(doc)]
    return found


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
