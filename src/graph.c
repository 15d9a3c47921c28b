/* SPDX-License-Identifier: MIT */
#include "bindep/graph.h"
#include "bindep/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bd_graph_init(struct bd_graph *g)
{
	memset(g, 0, sizeof(*g));
	bd_arena_init(&g->arena);
	bd_map_init(&g->by_key);
}

static void list_release(struct bd_strlist *l)
{
	free(l->items);
	if (l->index) {
		bd_map_release(l->index);
		free(l->index);
	}
	*l = (struct bd_strlist){ 0 };
}

void bd_graph_release(struct bd_graph *g)
{
	size_t i;

	for (i = 0; i < g->ncomps; i++) {
		list_release(&g->comps[i].paths);
		list_release(&g->comps[i].funding);
		list_release(&g->comps[i].maintainers);
		list_release(&g->comps[i].online_from);
		if (g->comps[i].carried) {
			list_release(&g->comps[i].carried->in);
			free(g->comps[i].carried->props);
			free(g->comps[i].carried);
		}
	}
	free(g->comps);
	free(g->edges);
	bd_map_release(&g->by_key);
	bd_arena_release(&g->arena);
	bd_graph_init(g);
}

const char *bd_graph_strdup(struct bd_graph *g, const char *s)
{
	return bd_arena_strdup(&g->arena, s);
}

int bd_graph_add(struct bd_graph *g, const char *key, enum bd_comp_kind kind,
		 uint32_t *id)
{
	return bd_graph_addh(g, key, bd_map_hash(key, strlen(key)), kind, id);
}

int bd_graph_addh(struct bd_graph *g, const char *key, uint64_t hash,
		  enum bd_comp_kind kind, uint32_t *id)
{
	struct bd_component *c;
	const char *k;

	if (g->ncomps >= UINT32_MAX)
		return BD_ENOMEM;
	k = bd_arena_strdup(&g->arena, key);
	if (!k || BD_GROW(g->comps, g->acomps, g->ncomps + 1))
		return BD_ENOMEM;
	if (bd_map_puth(&g->by_key, k, hash, (uint32_t)g->ncomps))
		return BD_ENOMEM;
	c = &g->comps[g->ncomps];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->key = k;
	*id = (uint32_t)g->ncomps++;
	return 0;
}

struct bd_component *bd_graph_comp(struct bd_graph *g, uint32_t id)
{
	return id < g->ncomps ? &g->comps[id] : NULL;
}

const struct bd_component *bd_graph_comp_const(const struct bd_graph *g,
					       uint32_t id)
{
	return id < g->ncomps ? &g->comps[id] : NULL;
}

struct bd_identity *bd_graph_identity(struct bd_component *c, const char *field)
{
	size_t i;

	for (i = 0; i < c->nids; i++)
		if (!strcmp(c->ids[i].field, field))
			return &c->ids[i];
	return NULL;
}

bool bd_graph_find(const struct bd_graph *g, const char *key, uint32_t *id)
{
	return bd_map_get(&g->by_key, key, id);
}

bool bd_graph_findh(const struct bd_graph *g, const char *key, uint64_t hash,
		    uint32_t *id)
{
	return bd_map_geth(&g->by_key, key, strlen(key), hash, id);
}

/* A list is scanned while it is this short, and indexed from then on:
 * most hold one path, a funding link or two, and a map costs some
 * hundreds of bytes. */
#define LIST_INDEXED_FROM 16

/* The set of l's strings, made when it grows past a scan's worth. Its
 * values mean nothing: sorting the list (bd_graph_sort) leaves it right. */
static int index_list(struct bd_strlist *l)
{
	struct bd_map *m = malloc(sizeof(*m));
	size_t i;

	if (!m)
		return BD_ENOMEM;
	bd_map_init(m);
	for (i = 0; i < l->n; i++) {
		if (bd_map_put(m, l->items[i], 0)) {
			bd_map_release(m);
			free(m);
			return BD_ENOMEM;
		}
	}
	l->index = m;
	return 0;
}

static bool scanned_has(const struct bd_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

/* s added to l unless there (copied into the arena when copy). */
static int list_add(struct bd_graph *g, struct bd_strlist *l, const char *s,
		    bool copy)
{
	size_t len = strlen(s);
	uint64_t hash = 0;

	if (!l->index && l->n >= LIST_INDEXED_FROM && index_list(l))
		return BD_ENOMEM;
	if (l->index) {
		hash = bd_map_hash(s, len);
		if (bd_map_geth(l->index, s, len, hash, NULL))
			return 0;
	} else if (scanned_has(l, s)) {
		return 0;
	}
	if (copy)
		s = bd_arena_strndup(&g->arena, s, len);
	if (!s || BD_GROW(l->items, l->alloc, l->n + 1))
		return BD_ENOMEM;
	if (l->index && bd_map_puth(l->index, s, hash, 0))
		return BD_ENOMEM;
	l->items[l->n++] = s;
	return 0;
}

int bd_graph_list_add(struct bd_graph *g, struct bd_strlist *l, const char *s)
{
	return list_add(g, l, s, true);
}

int bd_graph_list_add_shared(struct bd_graph *g, struct bd_strlist *l,
			     const char *s)
{
	return list_add(g, l, s, false);
}

int bd_graph_add_path(struct bd_graph *g, uint32_t id, const char *path)
{
	return bd_graph_list_add(g, &g->comps[id].paths, path);
}

static bool same_edge(const struct bd_edge *e, uint32_t from, uint32_t to,
		      enum bd_edge_kind kind, const struct bd_dlopen_entry *d)
{
	return e->from == from && e->to == to && e->kind == kind &&
	       e->dlopen == d;
}

static int append(struct bd_graph *g, uint32_t from, uint32_t to,
		  enum bd_edge_kind kind, const struct bd_dlopen_entry *dlopen)
{
	struct bd_edge *e;

	if (BD_GROW(g->edges, g->aedges, g->nedges + 1))
		return BD_ENOMEM;
	e = &g->edges[g->nedges++];
	e->from = from;
	e->to = to;
	e->kind = kind;
	e->preloaded = false;
	e->dlopen = dlopen;
	return 0;
}

int bd_graph_add_edge(struct bd_graph *g, uint32_t from, uint32_t to,
		      enum bd_edge_kind kind,
		      const struct bd_dlopen_entry *dlopen)
{
	size_t i;

	/* Edges of one object are added together, at the end: look back
	 * only over the edges of the same source. */
	for (i = g->nedges; i > 0 && g->edges[i - 1].from == from; i--) {
		if (same_edge(&g->edges[i - 1], from, to, kind, dlopen))
			return 0;
	}
	return append(g, from, to, kind, dlopen);
}

int bd_graph_add_preloaded(struct bd_graph *g, uint32_t from, uint32_t to)
{
	size_t n = g->nedges;
	int rc = bd_graph_add_edge(g, from, to, BD_EDGE_NEEDED, NULL);

	if (!rc && g->nedges > n)
		g->edges[n].preloaded = true;
	return rc;
}

int bd_graph_append_edge(struct bd_graph *g, uint32_t from, uint32_t to,
			 enum bd_edge_kind kind)
{
	return append(g, from, to, kind, NULL);
}

static int copy_dlopen(struct bd_arena *a, struct bd_component *c,
		       const struct bd_elf_info *info)
{
	size_t i, j;

	if (!info->ndlopen)
		return 0;
	c->dlopen = bd_arena_alloc(a, info->ndlopen * sizeof(*c->dlopen));
	if (!c->dlopen)
		return BD_ENOMEM;
	for (i = 0; i < info->ndlopen; i++) {
		const struct bd_dlopen_entry *src = &info->dlopen[i];
		struct bd_dlopen_entry *dst = &c->dlopen[i];

		dst->feature = bd_arena_strdup(a, src->feature);
		dst->description = bd_arena_strdup(a, src->description);
		dst->priority = bd_arena_strdup(a, src->priority);
		dst->sonames =
			bd_arena_alloc(a, src->nsonames * sizeof(char *));
		if (!dst->sonames || !dst->priority)
			return BD_ENOMEM;
		for (j = 0; j < src->nsonames; j++) {
			dst->sonames[j] = bd_arena_strdup(a, src->sonames[j]);
			if (!dst->sonames[j])
				return BD_ENOMEM;
		}
		dst->nsonames = src->nsonames;
	}
	c->ndlopen = info->ndlopen;
	return 0;
}

static int copy_strings(struct bd_arena *a, const char ***dst, size_t *ndst,
			const char *const *src, size_t n)
{
	size_t i;

	*ndst = 0;
	if (!n)
		return 0;
	*dst = bd_arena_alloc(a, n * sizeof(char *));
	if (!*dst)
		return BD_ENOMEM;
	for (i = 0; i < n; i++) {
		(*dst)[i] = bd_arena_strdup(a, src[i]);
		if (!(*dst)[i])
			return BD_ENOMEM;
	}
	*ndst = n;
	return 0;
}

static int copy_note(struct bd_arena *a, struct bd_component *c,
		     const struct bd_elf_info *info)
{
	size_t i;

	if (!info->npackage_note)
		return 0;
	c->package_note = bd_arena_alloc(a, info->npackage_note *
						    sizeof(*c->package_note));
	if (!c->package_note)
		return BD_ENOMEM;
	for (i = 0; i < info->npackage_note; i++) {
		c->package_note[i].key =
			bd_arena_strdup(a, info->package_note[i].key);
		c->package_note[i].value =
			bd_arena_strdup(a, info->package_note[i].value);
		if (!c->package_note[i].key || !c->package_note[i].value)
			return BD_ENOMEM;
	}
	c->npackage_note = info->npackage_note;
	return 0;
}

static int copy_hits(struct bd_arena *a, struct bd_component *c,
		     const struct bd_elf_info *info)
{
	const struct bd_string_hits *h = &info->strings;
	size_t i;

	c->strings_searched = h->searched;
	if (!h->n)
		return 0;
	c->strings = bd_arena_alloc(a, h->n * sizeof(*c->strings));
	if (!c->strings)
		return BD_ENOMEM;
	for (i = 0; i < h->n; i++) {
		c->strings[i] = h->items[i];
		c->strings[i].version = bd_arena_strdup(a, h->items[i].version);
		c->strings[i].text = bd_arena_strdup(a, h->items[i].text);
		if ((h->items[i].version && !c->strings[i].version) ||
		    !c->strings[i].text)
			return BD_ENOMEM;
	}
	c->nstrings = h->n;
	return 0;
}

/* A Go module line into to, its replacement with it. */
static int copy_module(struct bd_arena *a, struct bd_go_module *to,
		       const struct bd_go_module *m)
{
	struct bd_go_module *r;

	to->path = bd_arena_strdup(a, m->path);
	if (!to->path ||
	    bd_arena_keep(a, m->version, m->version ? strlen(m->version) : 0,
			  &to->version) ||
	    bd_arena_keep(a, m->sum, m->sum ? strlen(m->sum) : 0, &to->sum))
		return BD_ENOMEM;
	if (!m->replace)
		return 0;
	r = bd_arena_alloc(a, sizeof(*r));
	if (!r || copy_module(a, r, m->replace))
		return BD_ENOMEM;
	to->replace = r;
	return 0;
}

/* The Go build information, whole. */
static int copy_go(struct bd_arena *a, struct bd_component *c,
		   const struct bd_elf_info *info)
{
	const struct bd_go_info *from = info->go;
	struct bd_go_module *deps, *main_module = NULL;
	struct bd_kv *settings;
	struct bd_go_info *go;
	size_t i;

	if (!from)
		return 0;
	go = bd_arena_alloc(a, sizeof(*go));
	deps = bd_arena_alloc(a, (from->ndeps + 1) * sizeof(*deps));
	settings = bd_arena_alloc(a, (from->nsettings + 1) * sizeof(*settings));
	if (from->main)
		main_module = bd_arena_alloc(a, sizeof(*main_module));
	if (!go || !deps || !settings || (from->main && !main_module))
		return BD_ENOMEM;
	go->version = bd_arena_strdup(a, from->version);
	go->path = bd_arena_strdup(a, from->path); /* NULL stays NULL */
	if (!go->version || (from->path && !go->path) ||
	    (main_module && copy_module(a, main_module, from->main)))
		return BD_ENOMEM;
	go->main = main_module;
	for (i = 0; i < from->ndeps; i++)
		if (copy_module(a, &deps[i], &from->deps[i]))
			return BD_ENOMEM;
	for (i = 0; i < from->nsettings; i++) {
		settings[i].key = bd_arena_strdup(a, from->settings[i].key);
		settings[i].value = bd_arena_strdup(a, from->settings[i].value);
		if (!settings[i].key || !settings[i].value)
			return BD_ENOMEM;
	}
	go->deps = deps;
	go->ndeps = from->ndeps;
	go->settings = settings;
	go->nsettings = from->nsettings;
	c->go = go;
	return 0;
}

/* A package's dependencies, when it has some. */
static int copy_cargo_deps(struct bd_arena *a, struct bd_cargo_package *to,
			   const struct bd_cargo_package *from)
{
	uint32_t *deps;

	if (!from->ndeps)
		return 0;
	deps = bd_arena_alloc(a, from->ndeps * sizeof(*deps));
	if (!deps)
		return BD_ENOMEM;
	memcpy(deps, from->deps, from->ndeps * sizeof(*deps));
	to->deps = deps;
	return 0;
}

/* The cargo-auditable dependency list, whole. */
static int copy_cargo(struct bd_arena *a, struct bd_component *c,
		      const struct bd_elf_info *info)
{
	const struct bd_cargo_info *from = info->cargo;
	struct bd_cargo_package *pkgs;
	struct bd_cargo_info *cargo;
	size_t i;

	if (!from)
		return 0;
	cargo = bd_arena_alloc(a, sizeof(*cargo));
	pkgs = bd_arena_alloc(a, (from->npackages + 1) * sizeof(*pkgs));
	if (!cargo || !pkgs)
		return BD_ENOMEM;
	for (i = 0; i < from->npackages; i++) {
		pkgs[i] = from->packages[i];
		pkgs[i].name = bd_arena_strdup(a, from->packages[i].name);
		pkgs[i].version = bd_arena_strdup(a, from->packages[i].version);
		pkgs[i].source = bd_arena_strdup(a, from->packages[i].source);
		if (!pkgs[i].name || !pkgs[i].version || !pkgs[i].source ||
		    copy_cargo_deps(a, &pkgs[i], &from->packages[i]))
			return BD_ENOMEM;
	}
	cargo->packages = pkgs;
	cargo->npackages = from->npackages;
	cargo->format = from->format;
	c->cargo = cargo;
	return 0;
}

int bd_graph_set_elf(struct bd_graph *g, uint32_t id,
		     const struct bd_elf_info *info)
{
	struct bd_component *c = &g->comps[id];
	struct bd_arena *a = &g->arena;

	c->has_elf_header = info->ei_class != 0;
	c->ei_class = info->ei_class;
	c->ei_data = info->ei_data;
	c->e_type = info->e_type;
	c->e_machine = info->e_machine;
	c->soname = bd_arena_strdup(a, info->soname);
	c->interp = bd_arena_strdup(a, info->interp);
	c->rpath = bd_arena_strdup(a, info->rpath);
	c->runpath = bd_arena_strdup(a, info->runpath);
	c->build_id = bd_arena_strdup(a, info->build_id);
	c->has_flags_1 = info->has_flags_1;
	c->flags_1 = info->flags_1;
	c->imports_dlopen = info->imports_dlopen;
	c->dynsym_read = info->dynsym_read;
	if ((info->soname && !c->soname) || (info->interp && !c->interp) ||
	    (info->rpath && !c->rpath) || (info->runpath && !c->runpath) ||
	    (info->build_id && !c->build_id))
		return BD_ENOMEM;
	if (copy_strings(a, &c->needed, &c->nneeded,
			 (const char *const *)info->needed, info->nneeded))
		return BD_ENOMEM;
	if (copy_note(a, c, info) || copy_dlopen(a, c, info) ||
	    copy_hits(a, c, info) || copy_go(a, c, info) ||
	    copy_cargo(a, c, info))
		return BD_ENOMEM;
	return 0;
}

/* ---- sorting ------------------------------------------------------------ */

bool bd_graph_build_id_path(const char *path)
{
	return !strncmp(path, ".build-id/", 10) || strstr(path, "/.build-id/");
}

/* A component's paths: its own first, the .build-id links' last, each
 * part in byte order. */
static int cmp_path(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int bx = bd_graph_build_id_path(x), by = bd_graph_build_id_path(y);

	return bx != by ? bx - by : strcmp(x, y);
}

static int cmp_nullable(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_comp(const void *pa, const void *pb)
{
	const struct bd_component *a = pa, *b = pb;
	int r = cmp_nullable(a->name, b->name);

	if (r)
		return r;
	r = cmp_nullable(a->paths.n ? a->paths.items[0] : NULL,
			 b->paths.n ? b->paths.items[0] : NULL);
	return r ? r : strcmp(a->key, b->key);
}

static int cmp_entry(const struct bd_dlopen_entry *a,
		     const struct bd_dlopen_entry *b)
{
	int r;

	if (!a || !b)
		return (a != NULL) - (b != NULL);
	r = cmp_nullable(a->feature, b->feature);
	if (r)
		return r;
	r = strcmp(a->sonames[0], b->sonames[0]);
	return r ? r : cmp_nullable(a->description, b->description);
}

static int cmp_edge(const void *pa, const void *pb)
{
	const struct bd_edge *a = pa, *b = pb;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return cmp_entry(a->dlopen, b->dlopen);
}

static int cmp_comp_at(const void *pa, const void *pb, void *ctx)
{
	const struct bd_component *comps = ctx;

	return cmp_comp(&comps[*(const uint32_t *)pa],
			&comps[*(const uint32_t *)pb]);
}

/* Puts comps[order[i]] at i for every i, one cycle of the permutation at
 * a time (order is left the identity). */
static void permute(struct bd_component *comps, uint32_t *order, size_t n)
{
	struct bd_component held;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		if (order[i] == i)
			continue;
		held = comps[i];
		for (j = i; order[j] != i; j = k) {
			k = order[j];
			comps[j] = comps[k];
			order[j] = (uint32_t)j;
		}
		comps[j] = held;
		order[j] = (uint32_t)j;
	}
}

/* Sorts components; fills newid[old id] = new id. Keys are unique, so
 * the order is total and qsort's instability does not matter. The order
 * is found on the components' indexes, and the key map renumbered in
 * place: re-keying it cost two SipHash calls a component in the serial
 * end of a run, and a second map at its peak. */
static int sort_components(struct bd_graph *g, uint32_t *newid)
{
	uint32_t *order = malloc(g->ncomps * sizeof(*order));
	size_t i;

	if (!order)
		return BD_ENOMEM;
	for (i = 0; i < g->ncomps; i++) {
		struct bd_strlist *l = &g->comps[i].paths;

		if (l->n > 1) /* items is NULL when there are none */
			qsort(l->items, l->n, sizeof(*l->items), cmp_path);
		l = g->comps[i].carried ? &g->comps[i].carried->in : NULL;
		if (l && l->n > 1)
			qsort(l->items, l->n, sizeof(*l->items), bd_cmp_str);
		order[i] = (uint32_t)i;
	}
	qsort_r(order, g->ncomps, sizeof(*order), cmp_comp_at, g->comps);
	for (i = 0; i < g->ncomps; i++)
		newid[order[i]] = (uint32_t)i;
	permute(g->comps, order, g->ncomps);
	free(order);
	bd_map_renumber(&g->by_key, newid);
	return 0;
}

int bd_graph_sort(struct bd_graph *g)
{
	uint32_t *newid;
	size_t i, out = 0;
	int rc;

	if (!g->ncomps)
		return 0;
	newid = calloc(g->ncomps, sizeof(*newid));
	if (!newid)
		return BD_ENOMEM;
	rc = sort_components(g, newid);
	if (!rc) {
		for (i = 0; i < g->nedges; i++) {
			g->edges[i].from = newid[g->edges[i].from];
			g->edges[i].to = newid[g->edges[i].to];
		}
		if (g->nedges > 1)
			qsort(g->edges, g->nedges, sizeof(*g->edges), cmp_edge);
		/* Different sources may have produced the same edge: one
		 * the loader's search found is no preloaded one, whichever
		 * came first (qsort is not stable). */
		for (i = 0; i < g->nedges; i++) {
			if (out &&
			    !cmp_edge(&g->edges[out - 1], &g->edges[i])) {
				g->edges[out - 1].preloaded &=
					g->edges[i].preloaded;
				continue;
			}
			g->edges[out++] = g->edges[i];
		}
		g->nedges = out;
	}
	free(newid);
	return rc;
}
