/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_LICENSE_H
#define BINDEP_LICENSE_H

#include "bindep/buf.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether s is a licence expression the SPDX 2.3 and CycloneDX consumers
 * take as one (SPDX 2.3 annex D: ids, "+", WITH, AND/OR, at most 16
 * parentheses deep), each identifier one of the SPDX License List's (a
 * licence's before WITH, an exception's after it), in any case; no
 * LicenseRef or DocumentRef (the document defining it is not ours), no
 * NOASSERTION or NONE.
 */
bool bd_license_expression_ok(const char *s);

/*
 * The same for an expression the identification registry writes
 * (mappings/README.md): a "LicenseRef-" idstring is a licence too, one
 * off the list that the registry names and the SPDX document it goes into
 * defines (emit_spdx.c); a DocumentRef is still not.
 */
bool bd_license_registry_ok(const char *s);

/* What a loader says of a licence bd_license_registry_ok refuses, after
 * it in quotes: "'GPL v2' " BD_LICENSE_REGISTRY_WANTED. */
#define BD_LICENSE_REGISTRY_WANTED                                             \
	"is no SPDX licence expression (the SPDX License List's identifiers, " \
	"or LicenseRef-)"

/* When one is such an expression: appended to b with AND (in
 * parentheses when several and it is compound, with AND, OR or WITH: AND
 * binds tighter than OR, SPDX 2.3 D.4.1), its identifiers spelt as the
 * list spells them ("mit" -> "MIT"), and true. Otherwise b is left as it
 * was. */
bool bd_license_add(struct bd_buf *b, const char *one, bool several);

/* The same for an expression the registry writes (bd_license_registry_ok):
 * a LicenseRef- of its own is a licence too. */
bool bd_license_add_registry(struct bd_buf *b, const char *one, bool several);

/*
 * Whether a and b say the same licence: the same text, or expressions
 * (bd_license_registry_ok) that differ only in the order of the operands
 * of AND or of OR, which both commute and associate (SPDX 2.3 D.4), in
 * the case of the list's identifiers (D.2) or in their spaces and
 * grouping parentheses: "MIT AND BSD-3-Clause" is "bsd-3-clause AND MIT".
 * An operand keeps its "+" and its WITH exception. A licence said twice
 * ("MIT AND MIT") is not told from once: those differ.
 */
bool bd_license_same(const char *a, const char *b);

/*
 * A licence a package declares, len bytes at v (a NUL ends it; blanks
 * around it left out), into license and text, both empty: an expression
 * of the list's identifiers into license (bd_license_add), anything else
 * into text as written. Nothing past max bytes: a licence's whole text
 * where its name belongs.
 */
void bd_license_declared(const char *v, size_t len, size_t max,
			 struct bd_buf *license, struct bd_buf *text);

/* The SPDX License List's identifiers, sorted as strcasecmp sorts
 * (spdx_ids.c, written by contrib/spdx/mkspdxids.py). */
extern const char *const bd_spdx_licenses[];
extern const size_t bd_spdx_licenses_count;
extern const char *const bd_spdx_exceptions[];
extern const size_t bd_spdx_exceptions_count;

#endif
