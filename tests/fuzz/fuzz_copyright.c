/* SPDX-License-Identifier: MIT */
/* Fuzz the parser of Debian's machine-readable copyright files: whatever
 * the text, a licence given as an expression is one (bd_license_add's
 * check), and none is given both as an expression and as written. */
#include "fuzz.h"
#include "bindep/license.h"
#include "bindep/pkgdb.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_buf license = BD_BUF_INIT, text = BD_BUF_INIT,
		      one = BD_BUF_INIT;

	if (!bd_dpkg_copyright_parse((const char *)data, size, &license,
				     &text) &&
	    ((license.len && !bd_license_expression_ok(license.data)) ||
	     (license.len && text.len)))
		abort();
	/* The whole input as one License line. */
	if (bd_dpkg_license_spdx((const char *)data, size, &one) &&
	    !bd_license_expression_ok(bd_buf_str(&one)))
		abort();
	bd_buf_release(&license);
	bd_buf_release(&text);
	bd_buf_release(&one);
	return 0;
}
