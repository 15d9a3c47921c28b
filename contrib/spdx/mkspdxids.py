#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes src/spdx_ids.c: the SPDX licence and exception identifiers of
schemas/spdx.schema.json (CycloneDX's copy of the SPDX License List), for
bd_license_expression_ok (src/license.c).

    python3 contrib/spdx/mkspdxids.py schemas/spdx.schema.json > src/spdx_ids.c

The schema lists licences and exceptions in one enum. An exception is an
identifier with "exception" in it, but for the licences named so
(LICENCES_NAMED_EXCEPTION, from the SPDX License List's licenses.json),
or one of those its exceptions.json names otherwise
(EXCEPTIONS_NAMED_OTHERWISE). tests/unit/test_license.c checks the table
against the schema, and these names one by one.
"""
import json
import sys

EXCEPTIONS_NAMED_OTHERWISE = ("GPL-CC-1.0", "LLGPL", "Linux-syscall-note",
                              "SHL-2.0", "SHL-2.1")
LICENCES_NAMED_EXCEPTION = (
    "CAL-1.0-Combined-Work-Exception", "MPL-2.0-no-copyleft-exception",
    # Deprecated: "GPL-2.0-only WITH Classpath-exception-2.0" now.
    "GPL-2.0-with-autoconf-exception", "GPL-2.0-with-bison-exception",
    "GPL-2.0-with-classpath-exception", "GPL-2.0-with-font-exception",
    "GPL-2.0-with-GCC-exception", "GPL-3.0-with-autoconf-exception",
    "GPL-3.0-with-GCC-exception")


def is_exception(spdx_id):
    if spdx_id in LICENCES_NAMED_EXCEPTION:
        return False
    return "exception" in spdx_id.lower() or \
        spdx_id in EXCEPTIONS_NAMED_OTHERWISE


def table(name, ids):
    out = ["const char *const %s[] = {" % name]
    out += ['\t"%s",' % i for i in ids]
    out.append("};")
    out.append("const size_t %s_count = %d;" % (name, len(ids)))
    return out


def main():
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    # A deprecated "GPL-2.0+" is "GPL-2.0" and the "+" operator to an
    # expression parser: the identifier before it is the one looked up.
    ids = [i for i in schema["enum"] if not i.endswith("+")]
    for i in schema["enum"]:
        if i.endswith("+") and i[:-1] not in ids:
            sys.exit("%s: %r without %r" % (sys.argv[1], i, i[:-1]))
    for i in EXCEPTIONS_NAMED_OTHERWISE + LICENCES_NAMED_EXCEPTION:
        if i not in ids:
            sys.exit("%s: no %r: is the list of names up to date?"
                     % (sys.argv[1], i))
    for i in ids:
        if not i or any(not (c.isalnum() or c in ".-") for c in i):
            sys.exit("%s: not an SPDX idstring: %r" % (sys.argv[1], i))
    # Sorted as strcasecmp sorts (ASCII, letters folded to lower case):
    # SPDX matches identifiers without regard to case (SPDX 2.3 annex D).
    key = str.lower
    licenses = sorted((i for i in ids if not is_exception(i)), key=key)
    exceptions = sorted((i for i in ids if is_exception(i)), key=key)
    lines = ["/* SPDX-License-Identifier: MIT */",
             "/* Written by contrib/spdx/mkspdxids.py from "
             "schemas/spdx.schema.json",
             " * (its $comment: %s): do not edit. */" %
             schema.get("$comment", "?"),
             '#include "bindep/license.h"', ""]
    lines += table("bd_spdx_licenses", licenses) + [""]
    lines += table("bd_spdx_exceptions", exceptions)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
