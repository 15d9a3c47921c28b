/* SPDX-License-Identifier: MIT */
/* Fuzz the expansion of a FUNDING.yml as ecosyste.ms answers it (JSON). */
#include "fuzz.h"
#include "bindep/enrich.h"

#include <cjson/cJSON.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	struct bd_graph g;
	size_t dropped = 0;
	uint32_t id;

	bd_graph_init(&g);
	if (doc && !bd_graph_add(&g, "k", BD_COMP_LIBRARY, &id))
		bd_enrich_funding_urls(doc, &g, &bd_graph_comp(&g, id)->funding,
				       &dropped);
	cJSON_Delete(doc);
	bd_graph_release(&g);
	return 0;
}
