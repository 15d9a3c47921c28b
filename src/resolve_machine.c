/* SPDX-License-Identifier: MIT */
/*
 * Misses of a machine the root holds nothing for (bindep/resolve.h,
 * bd_resolve_machines). A multi-platform release (node-gyp-build's
 * prebuilds/linux-arm64/ beside prebuilds/linux-x64/, a wheel's
 * universal tree, a multiarch root's i386 files without their libc6:i386)
 * holds files the root's own loader would never load: every need of them
 * is missing, and their misses say that the root is of another machine,
 * not that an install is broken.
 */
#include "bindep/resolve.h"
#include "bindep/buf.h"

#include <stdlib.h>
#include <string.h>

/* At most this many names in the warning, then "and N more". */
#define MAX_NAMED 5

/* An ELF kind, what the loader's search asks of a candidate. */
static uint32_t kind_of(const struct bd_component *c)
{
	return bd_elf_kind(c->ei_class, c->ei_data, c->e_machine);
}

/* An edge of what the loader loads for a file: a need, its interpreter,
 * a .note.dlopen entry. */
static bool load_edge(const struct bd_edge *e)
{
	return e->kind == BD_EDGE_NEEDED || e->kind == BD_EDGE_INTERP ||
	       e->kind == BD_EDGE_DLOPEN_NOTE;
}

/* The kinds the unresolved components want, sorted, each once: none in
 * a run where nothing is missing, a few in any other. */
static int wanted_kinds(const struct bd_graph *g, uint32_t **out, size_t *n)
{
	size_t i, alloc = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < g->ncomps; i++) {
		if (!g->comps[i].wants_elf_kind)
			continue;
		if (BD_GROW(*out, alloc, *n + 1))
			return BD_ENOMEM;
		(*out)[(*n)++] = kind_of(&g->comps[i]);
	}
	*n = bd_sort_unique_u32(*out, *n);
	return 0;
}

static bool kind_at(const uint32_t *kinds, size_t n, uint32_t kind, size_t *at)
{
	const uint32_t *p =
		bsearch(&kind, kinds, n, sizeof(*kinds), bd_cmp_u32);

	*at = p ? (size_t)(p - kinds) : 0;
	return p != NULL;
}

/* met[i]: something a file of kinds[i] loads was found in the run (a
 * library, its interpreter, a dlopen() target, a library matched by its
 * soname): the root holds things of that machine. Returns whether
 * something was found for any kind, those that want nothing included. */
static bool mark_met(const struct bd_graph *g, const uint32_t *kinds, size_t n,
		     bool *met)
{
	bool any = false;
	size_t i, at;

	for (i = 0; i < g->nedges; i++) {
		const struct bd_edge *e = &g->edges[i];

		if (!load_edge(e) || g->comps[e->to].kind == BD_COMP_UNRESOLVED)
			continue;
		any = true;
		if (kind_at(kinds, n, kind_of(&g->comps[e->from]), &at))
			met[at] = true;
	}
	return any;
}

/* A need of a file of a machine the root holds nothing for. */
struct absent_miss {
	uint32_t kind, from, to;
};

static int cmp_miss(const void *pa, const void *pb)
{
	const struct absent_miss *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return a->to < b->to ? -1 : a->to > b->to;
}

static const char *first_path(const struct bd_component *c)
{
	return c->paths.n ? c->paths.items[0] : c->name;
}

/* "libc.so.6, libfoo.so.1 and 3 more": the names of what the misses
 * m[0..n) need, sorted, each once. */
static int named(const struct bd_graph *g, const struct absent_miss *m,
		 size_t n, struct bd_buf *out)
{
	const char **names = malloc(n * sizeof(*names));
	size_t i, k = 0;

	if (!names)
		return BD_ENOMEM;
	for (i = 0; i < n; i++)
		names[i] = g->comps[m[i].to].name;
	qsort(names, n, sizeof(*names), bd_cmp_str);
	for (i = 0; i < n; i++)
		if (!k || strcmp(names[k - 1], names[i]))
			names[k++] = names[i];
	for (i = 0; i < k && i < MAX_NAMED; i++)
		bd_buf_printf(out, "%s%s", i ? ", " : "", names[i]);
	if (k > i)
		bd_buf_printf(out, " and %zu more", k - i);
	free(names);
	return bd_buf_ok(out) ? 0 : BD_ENOMEM;
}

/*
 * One warning for the misses m[0..n) of one kind: the first of its files
 * by path, how many more, the machine (class and byte order too, as the
 * machine alone does not tell x32 from x86-64), what they need.
 */
static int warn_kind(const struct bd_graph *g, const struct bd_diag *diag,
		     const struct absent_miss *m, size_t n)
{
	const struct bd_component *c = &g->comps[m[0].to];
	const char *first = first_path(&g->comps[m[0].from]),
		   *cls = bd_elf_class_name(c->ei_class);
	char machine[BD_ELF_MACHINE_TEXT];
	struct bd_buf names = BD_BUF_INIT, who = BD_BUF_INIT;
	size_t i, files = 1;
	int rc;

	for (i = 1; i < n; i++) {
		const char *p = first_path(&g->comps[m[i].from]);

		if (m[i].from == m[i - 1].from)
			continue;
		files++;
		if (strcmp(p, first) < 0)
			first = p;
	}
	/* The file first, then what is wrong: "'x': needs", "'x' and 2
	 * more files need". */
	if (files == 1)
		bd_buf_printf(&who, "'%s': needs", first);
	else
		bd_buf_printf(&who, "'%s' and %zu more files need", first,
			      files - 1);
	rc = bd_buf_ok(&who) ? named(g, m, n, &names) : BD_ENOMEM;
	if (!rc)
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "%s libraries no %s (%s, %s) file of the root "
			       "provides (%s): the root holds nothing for that "
			       "machine; give --root of such a system to "
			       "search them",
			       who.data,
			       bd_elf_machine_text(c->e_machine, machine),
			       cls ? cls : "ELFCLASSNONE",
			       bd_elf_byte_order_name(c->ei_data), names.data);
	bd_buf_release(&who);
	bd_buf_release(&names);
	return rc;
}

/* The misses of the kinds marked absent, by kind and file, and one
 * warning for each kind. */
static int warn_absent(const struct bd_graph *g, const struct bd_diag *diag)
{
	struct absent_miss *m = NULL;
	size_t i, j, n = 0, alloc = 0;
	int rc = 0;

	for (i = 0; i < g->nedges; i++) {
		const struct bd_edge *e = &g->edges[i];

		if (!load_edge(e) || !g->comps[e->to].machine_absent)
			continue;
		if (BD_GROW(m, alloc, n + 1)) {
			free(m);
			return BD_ENOMEM;
		}
		m[n++] = (struct absent_miss){ kind_of(&g->comps[e->to]),
					       e->from, e->to };
	}
	if (n)
		qsort(m, n, sizeof(*m), cmp_miss);
	for (i = 0; i < n && !rc; i = j) {
		for (j = i + 1; j < n && m[j].kind == m[i].kind; j++)
			;
		rc = warn_kind(g, diag, m + i, j - i);
	}
	free(m);
	return rc;
}

/*
 * A kind is absent when nothing of it was found and something of another
 * was: the root is evidently another machine's. Where nothing at all was
 * found (a tree of one machine against a root that holds nothing for it,
 * or an image of one program whose library is missing) the misses tell
 * no machine apart: not-found, as a broken install's.
 */
int bd_resolve_machines(struct bd_graph *g, const struct bd_diag *diag)
{
	uint32_t *kinds;
	bool *met = NULL;
	size_t n, i, at;
	int rc = wanted_kinds(g, &kinds, &n);

	if (!rc && n) {
		met = calloc(n, sizeof(*met));
		rc = met ? 0 : BD_ENOMEM;
	}
	if (!rc && n && mark_met(g, kinds, n, met)) {
		for (i = 0; i < g->ncomps; i++) {
			struct bd_component *c = &g->comps[i];

			c->machine_absent =
				c->wants_elf_kind &&
				kind_at(kinds, n, kind_of(c), &at) && !met[at];
		}
		rc = warn_absent(g, diag);
	}
	free(met);
	free(kinds);
	return rc;
}
