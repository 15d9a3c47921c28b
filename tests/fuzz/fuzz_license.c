/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the licence expression check (license.c) that decides what of
 * others' licences (carried SBOMs, online answers, manifests) becomes an
 * expression: any bytes, as a string. bd_license_add takes exactly what
 * the check accepts, and an accepted one joined with AND must be
 * accepted again, parenthesised or not when it is the only one; the
 * declared reading puts every value in one of its two buffers. Its
 * normal form (bd_license_same) holds whatever it is read from: an
 * expression is the same as its copy spelt as the list spells it, and as
 * its AND with MIT in either order.
 */
#include "fuzz.h"
#include "bindep/buf.h"
#include "bindep/license.h"

#include <stdlib.h>
#include <string.h>

static void same_by_meaning(const char *s)
{
	struct bd_buf spelt = BD_BUF_INIT, ab = BD_BUF_INIT, ba = BD_BUF_INIT;

	if (!bd_license_same(s, s))
		abort();
	if (bd_license_add_registry(&spelt, s, false) && bd_buf_ok(&spelt) &&
	    !bd_license_same(s, spelt.data))
		abort();
	/* Another level of parentheses may pass the depth limit. */
	if (spelt.len && !strchr(s, '(')) {
		bd_buf_printf(&ab, "(%s) AND MIT", s);
		bd_buf_printf(&ba, "MIT AND (%s)", s);
		if (bd_buf_ok(&ab) && bd_buf_ok(&ba) &&
		    !bd_license_same(ab.data, ba.data))
			abort();
	}
	bd_buf_release(&spelt);
	bd_buf_release(&ab);
	bd_buf_release(&ba);
}

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
	same_by_meaning(s);
	bd_license_declared(s, size, 1024, &expr, &text);
	if (bd_buf_ok(&expr) && bd_buf_ok(&text) && expr.len && text.len)
		abort();
	bd_buf_release(&b);
	bd_buf_release(&expr);
	bd_buf_release(&text);
	free(s);
	return 0;
}
