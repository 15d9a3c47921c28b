/* SPDX-License-Identifier: MIT */
/* Fuzz the readers of a wheel's METADATA and an npm package.json. */
#include "fuzz.h"
#include "bindep/bundle.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_buf purl = BD_BUF_INIT;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	bd_bundle_pypi_purl(text, &purl);
	bd_buf_reset(&purl);
	bd_bundle_npm_purl(text, &purl);
	bd_buf_release(&purl);
	free(text);
	return 0;
}
