#!/usr/bin/python3
"""Validate SBOM documents against the vendored official schemas.

usage: validate.py cyclonedx|spdx FILE...
Exit 0 when every file is valid; otherwise print each error and exit 1.
Works offline: the schemas that bom-1.6 refers to are registered locally.
"""
import json
import os
import sys

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
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, resolver=resolver,
               format_checker=jsonschema.FormatChecker())


def errors(kind, path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    v = validator(kind)
    return ["%s: %s: %s" % (path, "/".join(map(str, e.absolute_path)) or "(root)",
                            e.message) for e in v.iter_errors(doc)]


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
