/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the licence expression check (license.c) that decides what of
 * others' licences (carried SBOMs, online answers) becomes an expression:
 * any bytes, as a string; an accepted one joined with AND must be
 * accepted again, parenthesised or not when it is the only one.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/license.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct bd_buf b = BD_BUF_INIT;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (bd_license_expression_ok(s)) {
		bd_license_and(&b, s, true);
		bd_license_and(&b, "MIT", false);
		/* One more level of parentheses may pass the depth limit. */
		if (bd_buf_ok(&b) && !strchr(s, '(') &&
		    !bd_license_expression_ok(bd_buf_str(&b)))
			abort();
	}
	bd_buf_release(&b);
	free(s);
	return 0;
}
