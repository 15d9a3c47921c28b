/* SPDX-License-Identifier: MIT */
/* Fuzz the readers of a wheel's METADATA and an npm package.json as the
 * bundle search reads them (a missing version allowed), their declared
 * licences too. */
#include "fuzz.h"
#include "bindep/artifact.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_artifact_id id;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	bd_artifact_id_init(&id);
	bd_artifact_wheel(text, NULL, BD_ARTIFACT_ANY_VERSION, &id, NULL);
	bd_artifact_npm(text, BD_ARTIFACT_ANY_VERSION, &id, NULL);
	bd_artifact_id_release(&id);
	free(text);
	return 0;
}
