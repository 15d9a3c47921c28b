/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t add(struct bd_graph *g, const char *key, const char *name)
{
	uint32_t id = UINT32_MAX;

	CU_ASSERT_EQUAL(bd_graph_add(g, key, BD_COMP_LIBRARY, &id), 0);
	bd_graph_comp(g, id)->name = bd_graph_strdup(g, name);
	return id;
}

static void test_add_find_paths_edges(void)
{
	struct bd_graph g;
	uint32_t a, b, found = 0;

	bd_graph_init(&g);
	a = add(&g, "k:a", "a");
	b = add(&g, "k:b", "b");
	CU_ASSERT_TRUE(bd_graph_find(&g, "k:b", &found));
	CU_ASSERT_EQUAL(found, b);
	CU_ASSERT_FALSE(bd_graph_find(&g, "k:c", NULL));
	CU_ASSERT_EQUAL(bd_graph_add_path(&g, a, "x/a.so"), 0);
	CU_ASSERT_EQUAL(bd_graph_add_path(&g, a, "x/a.so"), 0);
	CU_ASSERT_EQUAL(bd_graph_comp(&g, a)->paths.n, 1);
	CU_ASSERT_EQUAL(bd_graph_add_edge(&g, a, b, BD_EDGE_NEEDED, NULL), 0);
	CU_ASSERT_EQUAL(bd_graph_add_edge(&g, a, b, BD_EDGE_NEEDED, NULL), 0);
	CU_ASSERT_EQUAL(g.nedges, 1);
	CU_ASSERT_PTR_NULL(bd_graph_comp(&g, 7));
	bd_graph_release(&g);
}

static void test_sort_is_by_content(void)
{
	struct bd_graph g1, g2;
	uint32_t z, a, m;

	/* Two graphs with the same contents inserted in different orders
	 * sort the same. */
	bd_graph_init(&g1);
	z = add(&g1, "k:z", "zlib");
	a = add(&g1, "k:a", "acl");
	m = add(&g1, "k:m", "musl");
	bd_graph_add_path(&g1, z, "b/z");
	bd_graph_add_path(&g1, z, "a/z");
	bd_graph_add_edge(&g1, z, m, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g1, z, a, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g1, a, m, BD_EDGE_NEEDED, NULL);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g1), 0);

	bd_graph_init(&g2);
	m = add(&g2, "k:m", "musl");
	a = add(&g2, "k:a", "acl");
	z = add(&g2, "k:z", "zlib");
	bd_graph_add_path(&g2, z, "a/z");
	bd_graph_add_path(&g2, z, "b/z");
	bd_graph_add_edge(&g2, a, m, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g2, z, a, BD_EDGE_NEEDED, NULL);
	bd_graph_add_edge(&g2, z, m, BD_EDGE_NEEDED, NULL);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g2), 0);

	CU_ASSERT_STRING_EQUAL(g1.comps[0].name, "acl");
	CU_ASSERT_STRING_EQUAL(g1.comps[2].name, "zlib");
	CU_ASSERT_STRING_EQUAL(g1.comps[2].paths.items[0], "a/z");
	CU_ASSERT_EQUAL_FATAL(g1.nedges, 3);
	for (size_t i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(g1.edges[i].from, g2.edges[i].from);
		CU_ASSERT_EQUAL(g1.edges[i].to, g2.edges[i].to);
	}
	CU_ASSERT_EQUAL(g1.edges[0].from, 0);
	CU_ASSERT_EQUAL(g1.edges[0].to, 1);
	CU_ASSERT_TRUE(bd_graph_find(&g1, "k:z", &z));
	CU_ASSERT_EQUAL(z, 2);
	bd_graph_release(&g1);
	bd_graph_release(&g2);
}

/* 300 components added in a shuffled order, with edges between them:
 * sorted by name, each key found at its new place, and each edge between
 * the same two names as before. */
static void test_sort_renumbers(void)
{
	enum { N = 300 };
	char key[32], name[32];
	uint32_t ids[N], perm[N], id, i, k;
	unsigned seed = 7;
	struct bd_graph g;

	for (i = 0; i < N; i++)
		perm[i] = i;
	for (i = N - 1; i > 0; i--) {
		k = (uint32_t)rand_r(&seed) % (i + 1);
		id = perm[i];
		perm[i] = perm[k];
		perm[k] = id;
	}
	bd_graph_init(&g);
	for (i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "k:%03u", perm[i]);
		snprintf(name, sizeof(name), "lib%03u", perm[i]);
		ids[perm[i]] = add(&g, key, name);
	}
	for (i = 0; i + 1 < N; i++)
		CU_ASSERT_EQUAL(bd_graph_add_edge(&g, ids[i], ids[(i * 7) % N],
						  BD_EDGE_NEEDED, NULL),
				0);
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
	for (i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "k:%03u", i);
		snprintf(name, sizeof(name), "lib%03u", i);
		CU_ASSERT_STRING_EQUAL(g.comps[i].name, name);
		CU_ASSERT(bd_graph_find(&g, key, &id) && id == i);
	}
	for (i = 0; i < g.nedges; i++)
		CU_ASSERT_EQUAL((g.edges[i].from * 7) % N, g.edges[i].to);
	bd_graph_release(&g);
}

/* A preloaded edge is added once, and one the loader's search found
 * stays found, added before or after it; two sources that give the same
 * edge, one preloaded, sort to the one found, in either order. */
static void test_preloaded_edges(void)
{
	struct bd_graph g;
	uint32_t a, b, c;
	int order;

	bd_graph_init(&g);
	a = add(&g, "k:a", "a");
	b = add(&g, "k:b", "b");
	c = add(&g, "k:c", "c");
	CU_ASSERT_EQUAL(bd_graph_add_preloaded(&g, a, b), 0);
	CU_ASSERT_EQUAL(bd_graph_add_preloaded(&g, a, b), 0);
	CU_ASSERT_EQUAL(bd_graph_add_edge(&g, a, b, BD_EDGE_NEEDED, NULL), 0);
	CU_ASSERT_EQUAL(bd_graph_add_edge(&g, a, c, BD_EDGE_NEEDED, NULL), 0);
	CU_ASSERT_EQUAL(bd_graph_add_preloaded(&g, a, c), 0);
	CU_ASSERT_EQUAL_FATAL(g.nedges, 2);
	CU_ASSERT_TRUE(g.edges[0].preloaded);
	CU_ASSERT_FALSE(g.edges[1].preloaded);
	bd_graph_release(&g);
	for (order = 0; order < 2; order++) {
		bd_graph_init(&g);
		a = add(&g, "k:a", "a");
		b = add(&g, "k:b", "b");
		c = add(&g, "k:c", "c");
		if (order)
			bd_graph_add_preloaded(&g, a, b);
		bd_graph_append_edge(&g, a, b, BD_EDGE_NEEDED);
		bd_graph_add_edge(&g, c, b, BD_EDGE_NEEDED, NULL);
		if (!order)
			bd_graph_add_preloaded(&g, a, b);
		bd_graph_add_preloaded(&g, c, a);
		CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
		CU_ASSERT_EQUAL_FATAL(g.nedges, 3);
		CU_ASSERT_FALSE(g.edges[0].preloaded); /* a -> b */
		CU_ASSERT_TRUE(g.edges[1].preloaded);  /* c -> a */
		CU_ASSERT_FALSE(g.edges[2].preloaded); /* c -> b */
		bd_graph_release(&g);
	}
}

/* Each of n distinct paths added three times, the copies interleaved
 * (a wheel of identical files, reached by every name again): each once,
 * in the order first added, then sorted, whether the list is scanned
 * (short) or indexed (long). */
static void check_paths_once(size_t n)
{
	struct bd_graph g;
	const struct bd_component *c;
	char path[32];
	size_t i, round;
	uint32_t a;

	bd_graph_init(&g);
	a = add(&g, "k:a", "a");
	for (round = 0; round < 3; round++)
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "w!/p/%05zu.so",
				 n - 1 - i);
			CU_ASSERT_EQUAL_FATAL(bd_graph_add_path(&g, a, path),
					      0);
		}
	c = bd_graph_comp(&g, a);
	CU_ASSERT_EQUAL_FATAL(c->paths.n, n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "w!/p/%05zu.so", n - 1 - i);
		CU_ASSERT_STRING_EQUAL(c->paths.items[i], path);
	}
	CU_ASSERT_EQUAL_FATAL(bd_graph_sort(&g), 0);
	c = bd_graph_comp(&g, 0);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "w!/p/%05zu.so", i);
		CU_ASSERT_STRING_EQUAL(c->paths.items[i], path);
	}
	/* Sorted, it still knows what it holds. */
	CU_ASSERT_EQUAL(bd_graph_add_path(&g, 0, "w!/p/00000.so"), 0);
	CU_ASSERT_EQUAL(bd_graph_add_path(&g, 0, "w!/q.so"), 0);
	CU_ASSERT_EQUAL(c->paths.n, n + 1);
	bd_graph_release(&g);
}

static void test_list_many_duplicates(void)
{
	size_t sizes[] = { 1, 15, 16, 17, 40, 5000 };
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(sizes); i++)
		check_paths_once(sizes[i]);
}

/* One string in the arena shared by lists that grow long (the answers an
 * online run took its facts from), and copies of it: each list holds it
 * once, the pointer first given. */
static void test_list_shared_strings(void)
{
	struct bd_graph g;
	struct bd_component *c;
	const char *from[40];
	char text[32];
	size_t i, round;
	uint32_t a;

	bd_graph_init(&g);
	a = add(&g, "k:a", "a");
	for (i = 0; i < BD_ARRAY_SIZE(from); i++) {
		snprintf(text, sizeof(text), "https://x/%02zu", i);
		from[i] = bd_graph_strdup(&g, text);
	}
	for (round = 0; round < 2; round++)
		for (i = 0; i < BD_ARRAY_SIZE(from); i++) {
			c = bd_graph_comp(&g, a);
			CU_ASSERT_EQUAL(bd_graph_list_add_shared(
						&g, &c->online_from, from[i]),
					0);
			snprintf(text, sizeof(text), "https://x/%02zu", i);
			CU_ASSERT_EQUAL(
				bd_graph_list_add(&g, &c->online_from, text),
				0);
		}
	c = bd_graph_comp(&g, a);
	CU_ASSERT_EQUAL_FATAL(c->online_from.n, BD_ARRAY_SIZE(from));
	for (i = 0; i < BD_ARRAY_SIZE(from); i++)
		CU_ASSERT_PTR_EQUAL(c->online_from.items[i], from[i]);
	bd_graph_release(&g);
}

/* A key hashed once (bd_map_hash) finds and adds the same components as
 * bd_graph_find and bd_graph_add, which hash it themselves. */
static void test_find_add_hashed(void)
{
	const char *a = "sha256:aa", *b = "path:/lib/libb.so";
	struct bd_graph g;
	uint32_t id = 99, other = 99;

	bd_graph_init(&g);
	CU_ASSERT_FALSE(bd_graph_findh(&g, a, bd_map_hash(a, strlen(a)), &id));
	CU_ASSERT_EQUAL_FATAL(bd_graph_addh(&g, a, bd_map_hash(a, strlen(a)),
					    BD_COMP_LIBRARY, &id),
			      0);
	CU_ASSERT_TRUE(bd_graph_find(&g, a, &other));
	CU_ASSERT_EQUAL(other, id);
	CU_ASSERT_STRING_EQUAL(bd_graph_comp(&g, id)->key, a);
	CU_ASSERT_EQUAL_FATAL(bd_graph_add(&g, b, BD_COMP_EXECUTABLE, &id), 0);
	CU_ASSERT_TRUE(
		bd_graph_findh(&g, b, bd_map_hash(b, strlen(b)), &other));
	CU_ASSERT_EQUAL(other, id);
	CU_ASSERT_EQUAL(bd_graph_comp(&g, other)->kind, BD_COMP_EXECUTABLE);
	CU_ASSERT_EQUAL(g.ncomps, 2);
	bd_graph_release(&g);
}

void bd_test_register_graph(void)
{
	BD_SUITE("graph", BD_TEST(test_add_find_paths_edges),
		 BD_TEST(test_sort_is_by_content), BD_TEST(test_sort_renumbers),
		 BD_TEST(test_preloaded_edges),
		 BD_TEST(test_list_many_duplicates),
		 BD_TEST(test_list_shared_strings),
		 BD_TEST(test_find_add_hashed));
}
