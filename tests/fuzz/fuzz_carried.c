/* SPDX-License-Identifier: MIT */
/* Fuzz the reader of embedded SBOMs (CycloneDX, SPDX 2 JSON) and their
 * merge into a graph holding a wheel, a file and a grafted library. */
#include "fuzz.h"
#include "bindep/carried.h"

#include <string.h>

#define WHEEL "w.whl"

static void small_graph(struct bd_graph *g, uint32_t *wheel)
{
	uint32_t id;

	if (bd_graph_add(g, "wheel", BD_COMP_ARTIFACT, wheel))
		return;
	bd_graph_comp(g, *wheel)->name = "w";
	bd_graph_comp(g, *wheel)->purl = "pkg:pypi/w@1.0";
	bd_graph_add_path(g, *wheel, WHEEL);
	if (bd_graph_add(g, "ext", BD_COMP_LIBRARY, &id))
		return;
	bd_graph_comp(g, id)->name = "_x.so";
	memset(bd_graph_comp(g, id)->sha256, 'a', 64);
	bd_graph_add_path(g, id, WHEEL "!/w/_x.so");
	if (bd_graph_add(g, "lib", BD_COMP_LIBRARY, &id))
		return;
	bd_graph_comp(g, id)->name = "libz-0a1b2c3d.so.1";
	bd_graph_add_path(g, id, WHEEL "!/w.libs/libz-0a1b2c3d.so.1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_carried_sbom s = { WHEEL "!/w-1.dist-info/sboms/a.json", "w/",
				     NULL, NULL, 0 };
	struct bd_arena a;
	struct bd_graph g;
	struct bd_carried_index *x = bd_carried_index_new();
	uint32_t wheel = 0;

	bd_arena_init(&a);
	bd_graph_init(&g);
	small_graph(&g, &wheel);
	/* Twice with one index, as two SBOMs of one wheel are merged. */
	if (!bd_carried_parse(&a, (const char *)data, size, &s, NULL) &&
	    g.ncomps == 3 && x &&
	    !bd_carried_merge_indexed(&g, wheel, WHEEL "!/", &s, x))
		bd_carried_merge_indexed(&g, wheel, WHEEL "!/", &s, x);
	bd_carried_index_free(x);
	bd_graph_release(&g);
	bd_arena_release(&a);
	return 0;
}
