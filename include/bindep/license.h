/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_LICENSE_H
#define BINDEP_LICENSE_H

#include "bindep/buf.h"

#include <stdbool.h>

/*
 * Whether s is a licence expression the SPDX 2.3 and CycloneDX consumers
 * take as one (SPDX 2.3 annex D: ids, "+", WITH, AND/OR, at most 16
 * parentheses deep); no LicenseRef or DocumentRef (the document defining
 * it is not ours), no NOASSERTION or NONE.
 */
bool bd_license_expression_ok(const char *s);

/* Appends one to the expression in b with AND, in parentheses when wrap:
 * AND binds tighter than OR (SPDX 2.3 D.4.1), so a compound one among
 * several must be. */
void bd_license_and(struct bd_buf *b, const char *one, bool wrap);

#endif
