/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the licence expression check (license.c) that decides what of
 * others' licences (carried SBOMs, online answers, manifests) becomes an
 * expression: any bytes, as a string. bd_license_add takes exactly what
 * the check accepts, and an accepted one joined with AND must be
 * accepted again, parenthesised or not when it is the only one; the
 * declared reading puts every value in one of its two buffers.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/license.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct bd_buf b = BD_BUF_INIT, expr = BD_BUF_INIT, text = BD_BUF_INIT;
	bool ok;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ok = bd_license_expression_ok(s);
	if (bd_license_add(&b, s, true) != ok)
		abort();
	if (ok) {
		bd_license_add(&b, "MIT", false);
		/* One more level of parentheses may pass the depth limit. */
		if (bd_buf_ok(&b) && !strchr(s, '(') &&
		    !bd_license_expression_ok(bd_buf_str(&b)))
			abort();
	}
	bd_license_declared(s, size, 1024, &expr, &text);
	if (bd_buf_ok(&expr) && bd_buf_ok(&text) && expr.len && text.len)
		abort();
	bd_buf_release(&b);
	bd_buf_release(&expr);
	bd_buf_release(&text);
	free(s);
	return 0;
}
