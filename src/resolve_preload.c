/* SPDX-License-Identifier: MIT */
/*
 * Needs met by a library the program loads by path first
 * (bindep/resolve.h, bd_resolve_preload): the scanned libraries by their
 * DT_SONAME, and the unit a requester may take one from. glibc 2.36's
 * _dl_map_object (elf/dl-load.c) compares a name with every loaded
 * object's names (the path it was opened by) and DT_SONAME
 * (_dl_name_match_p, elf/dl-misc.c) before it searches.
 */
#include "bindep/resolve.h"

#include <stdlib.h>
#include <string.h>

#define NO_COMP UINT32_MAX

struct preload {
	const struct bd_graph *g;
	const struct bd_resolve_options *o;
	/* The libraries by DT_SONAME: the first in `first`, the next of
	 * each in next[] (NO_COMP: no more). */
	struct bd_map first;
	uint32_t *next;
	/* Per component: its owner is wanted, and once asked what it is. */
	bool *wanted;
	struct bd_resolve_owner *owner;
};

/* What a library loaded first by path can be: an ELF shared object with
 * a DT_SONAME, read from a file of the root (a PIE is no library:
 * dlopen() refuses it). */
static bool provider(const struct bd_component *c)
{
	return c->kind == BD_COMP_LIBRARY && c->has_elf_header && c->soname &&
	       *c->soname && c->inside;
}

static int index_providers(struct preload *s)
{
	const struct bd_graph *g = s->g;
	uint32_t head;
	size_t i;

	s->next = malloc((g->ncomps ? g->ncomps : 1) * sizeof(*s->next));
	if (!s->next)
		return BD_ENOMEM;
	for (i = 0; i < g->ncomps; i++) {
		const struct bd_component *c = &g->comps[i];

		s->next[i] = NO_COMP;
		if (!provider(c))
			continue;
		if (bd_map_get(&s->first, c->soname, &head))
			s->next[i] = head;
		if (bd_map_put(&s->first, c->soname, (uint32_t)i))
			return BD_ENOMEM;
	}
	return 0;
}

/* Whether path is in the directory of req (its first n bytes) or up to
 * BD_RESOLVE_PRELOAD_LEVELS directories below it: the program's own
 * files, not a sibling directory's. */
static bool below(const char *req, size_t n, const char *path)
{
	unsigned levels = 0;
	const char *p;

	if (strncmp(path, req, n) || path[n] != '/')
		return false;
	for (p = path + n + 1; *p; p++)
		if (*p == '/' && ++levels > BD_RESOLVE_PRELOAD_LEVELS)
			return false;
	return true;
}

/* The artifact a file is in, as its location names it: the *len first
 * bytes of the string returned, up to its last "!/" ("dist/x.whl" of
 * "dist/x.whl!/pkg/_x.so"; the inner one of a nested artifact). NULL: in
 * none. */
static const char *artifact_of(const struct preload *s, const char *inside,
			       size_t *len)
{
	const char *shown =
		s->o->display ? s->o->display(s->o->display_ctx, inside) : NULL;
	const char *at, *last = NULL;

	for (at = shown; at && (at = strstr(at, "!/")) != NULL; at += 2)
		last = at;
	*len = last ? (size_t)(last - shown) : 0;
	return last ? shown : NULL;
}

static bool same_artifact(const struct preload *s, const char *a, const char *b)
{
	size_t na, nb;
	const char *x = artifact_of(s, a, &na), *y = artifact_of(s, b, &nb);

	return x ? y && na == nb && !strncmp(x, y, na) : !y;
}

static bool same_text(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Of the same source package and version, or of none both. */
static bool same_owner(const struct preload *s, uint32_t a, uint32_t b)
{
	const struct bd_resolve_owner *x = &s->owner[a], *y = &s->owner[b];

	return same_text(x->type, y->type) && same_text(x->name, y->name) &&
	       same_text(x->version, y->version);
}

/* Whether c may be what req's program loaded first, by what the graph
 * says (its owner apart). */
static bool in_unit(const struct preload *s, const struct bd_component *req,
		    const struct bd_component *c)
{
	const char *slash = strrchr(req->inside, '/');

	return c != req && c->ei_class == req->ei_class &&
	       c->ei_data == req->ei_data && c->e_machine == req->e_machine &&
	       slash &&
	       below(req->inside, (size_t)(slash - req->inside), c->inside) &&
	       same_artifact(s, req->inside, c->inside);
}

/* Counts the providers of one need; with want, marks the files whose
 * owners are to be asked (an artifact's are none: its files are its, as
 * identification takes them); without, takes the owners asked. */
static void count(struct preload *s, struct bd_resolve_preload *need, bool want)
{
	const struct bd_component *req = &s->g->comps[need->from];
	uint32_t id;

	need->to = NO_COMP;
	need->found = 0;
	if (!req->inside || !bd_map_get(&s->first, need->name, &id))
		return;
	for (; id != NO_COMP; id = s->next[id]) {
		const struct bd_component *c = &s->g->comps[id];

		if (!in_unit(s, req, c))
			continue;
		if (want) {
			s->wanted[id] = s->wanted[need->from] = true;
		} else if (!same_owner(s, need->from, id)) {
			continue;
		}
		need->to = id;
		need->found++;
	}
	if (need->found != 1)
		need->to = NO_COMP;
}

/* The owners of the files marked, asked at once; none for an artifact's
 * file. */
static int ask_owners(struct preload *s)
{
	const struct bd_graph *g = s->g;
	const char **paths = NULL;
	struct bd_resolve_owner *got = NULL;
	uint32_t *ids = NULL;
	size_t i, n = 0, len;
	int rc = BD_ENOMEM;

	if (!s->o->owners)
		return 0;
	paths = malloc((g->ncomps + 1) * sizeof(*paths));
	ids = malloc((g->ncomps + 1) * sizeof(*ids));
	if (!paths || !ids)
		goto out;
	for (i = 0; i < g->ncomps; i++) {
		if (s->wanted[i] && !artifact_of(s, g->comps[i].inside, &len)) {
			ids[n] = (uint32_t)i;
			paths[n++] = g->comps[i].inside;
		}
	}
	rc = 0;
	if (!n)
		goto out;
	got = calloc(n, sizeof(*got));
	rc = got ? s->o->owners(s->o->owners_ctx, paths, n, got) : BD_ENOMEM;
	for (i = 0; !rc && i < n; i++)
		s->owner[ids[i]] = got[i];
out:
	free(paths);
	free(ids);
	free(got);
	return rc;
}

int bd_resolve_preload(const struct bd_graph *g,
		       const struct bd_resolve_options *o,
		       struct bd_resolve_preload *needs, size_t n)
{
	struct preload s = { .g = g, .o = o };
	size_t i, any = 0, slots = g->ncomps ? g->ncomps : 1;
	int rc;

	bd_map_init(&s.first);
	s.wanted = calloc(slots, sizeof(*s.wanted));
	s.owner = calloc(slots, sizeof(*s.owner));
	rc = s.wanted && s.owner ? index_providers(&s) : BD_ENOMEM;
	for (i = 0; !rc && i < n; i++) {
		needs[i].to = NO_COMP;
		needs[i].found = 0;
		if (needs[i].name) {
			count(&s, &needs[i], true);
			any += needs[i].found;
		}
	}
	/* The databases are asked only when some need has a provider. */
	if (!rc && any)
		rc = ask_owners(&s);
	for (i = 0; !rc && any && i < n; i++)
		if (needs[i].name)
			count(&s, &needs[i], false);
	bd_map_release(&s.first);
	free(s.next);
	free(s.wanted);
	free(s.owner);
	return rc;
}
