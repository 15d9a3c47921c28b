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
#include "bindep/arena.h"
#include "bindep/buf.h"
#include "bindep/common.h"

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
	/* The providers of a name in a unit, counted once for all the
	 * requesters of the unit (and owner): by key, an index in unit[].
	 * Counting them again for each requester was requesters times
	 * providers (8,000 libraries of one soname in one directory, and
	 * 8,000 that need it: 3 s). */
	struct bd_map units;
	struct unit {
		size_t n;	/* the providers */
		uint32_t id[2]; /* the first two */
	} * unit;
	size_t nunits, units_alloc;
	/* A requester's directory, artifact and ELF kind, numbered. */
	struct bd_map dirs;
	uint32_t ndirs;
	uint32_t dir_of, dir_at; /* the last requester's, and its number */
	struct bd_arena keys;
	struct bd_buf key;
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

/* An owner's text in a key: "-" for none, else its length and it. */
static void key_text(struct bd_buf *b, const char *t)
{
	if (t)
		bd_buf_printf(b, "%zu:%s", strlen(t), t);
	else
		bd_buf_printf(b, "-");
}

/* Whether key, built in b, is held (its value in *at); else copied and
 * put with value next. 0 or BD_ENOMEM. */
static int key_of(struct preload *s, struct bd_map *map, struct bd_buf *b,
		  uint32_t next, uint32_t *at, bool *found)
{
	const char *key;

	if (b->oom)
		return BD_ENOMEM;
	*found = bd_map_get(map, b->data, at);
	if (*found)
		return 0;
	key = bd_arena_strndup(&s->keys, b->data, b->len);
	if (!key || bd_map_put(map, key, next))
		return BD_ENOMEM;
	*at = next;
	return 0;
}

/* Numbers req's directory, artifact and ELF kind (s->dir_at), once for
 * each: what in_unit looks at of req, lengths before texts. */
static int number_dir(struct preload *s, uint32_t from, struct bd_buf *b)
{
	const struct bd_component *req = &s->g->comps[from];
	const char *slash = strrchr(req->inside, '/');
	size_t dir = slash ? (size_t)(slash - req->inside) : 0, alen;
	const char *art = artifact_of(s, req->inside, &alen);
	bool found;
	int rc;

	bd_buf_reset(b);
	bd_buf_printf(b, "%u.%u.%u.%d.%zu:%.*s", req->ei_class, req->ei_data,
		      req->e_machine, slash != NULL, dir, (int)dir,
		      req->inside);
	if (art)
		bd_buf_printf(b, "%zu:%.*s", alen, (int)alen, art);
	else
		bd_buf_printf(b, "-");
	rc = key_of(s, &s->dirs, b, s->ndirs, &s->dir_at, &found);
	if (rc)
		return rc;
	s->ndirs += !found;
	s->dir_of = from;
	return 0;
}

/*
 * The key of req's unit for name (with want, before owners are asked;
 * without, with req's owner), in b: what in_unit and same_owner look at
 * of req, lengths before texts and the name last, so that no two keys are
 * one. Its directory, artifact and ELF kind are numbered once in
 * s->dirs, so that a key holds the directory's number, not its path
 * again for each of its names (a file of 10,000 needs 4,000 bytes deep).
 */
static int unit_key(struct preload *s, uint32_t from, const char *name,
		    bool want, struct bd_buf *b)
{
	/* A requester's needs come one after the other: its directory's
	 * number is kept for the next. */
	int rc = s->ndirs && s->dir_of == from ? 0 : number_dir(s, from, b);

	if (rc)
		return rc;
	bd_buf_reset(b);
	bd_buf_printf(b, "%c%u.", want ? 'w' : 'o', s->dir_at);
	if (!want) {
		key_text(b, s->owner[from].type);
		key_text(b, s->owner[from].name);
		key_text(b, s->owner[from].version);
	}
	bd_buf_printf(b, "%s", name);
	return b->oom ? BD_ENOMEM : 0;
}

/* The providers of name in req's unit, found the first time the unit is
 * asked (with want marking them, their owners to be asked): req itself
 * counted as any other (in_unit leaves it out: the caller takes it off). */
static int unit_of(struct preload *s, uint32_t from, const char *name,
		   bool want, const struct unit **out)
{
	const struct bd_component *req = &s->g->comps[from];
	struct unit *u;
	uint32_t id, at;
	bool found;
	int rc = unit_key(s, from, name, want, &s->key);

	if (!rc && s->nunits >= UINT32_MAX)
		rc = BD_ENOMEM;
	if (!rc)
		rc = key_of(s, &s->units, &s->key, (uint32_t)s->nunits, &at,
			    &found);
	if (rc)
		return rc;
	if (found) {
		*out = &s->unit[at];
		return 0;
	}
	if (BD_GROW(s->unit, s->units_alloc, s->nunits + 1))
		return BD_ENOMEM;
	u = &s->unit[s->nunits++];
	u->n = 0;
	u->id[0] = u->id[1] = NO_COMP;
	if (bd_map_get(&s->first, name, &id)) {
		for (; id != NO_COMP; id = s->next[id]) {
			const struct bd_component *c = &s->g->comps[id];

			if (c != req && !in_unit(s, req, c))
				continue;
			if (want)
				s->wanted[id] = true;
			else if (!same_owner(s, from, id))
				continue;
			if (u->n < 2)
				u->id[u->n] = id;
			u->n++;
		}
	}
	*out = u;
	return 0;
}

/* Counts the providers of one need; with want, marks the files whose
 * owners are to be asked (an artifact's are none: its files are its, as
 * identification takes them); without, takes the owners asked. The
 * requester is none of its own: it provides the name when it is a
 * provider of that soname, which its unit then counts. */
static int count(struct preload *s, struct bd_resolve_preload *need, bool want)
{
	const struct bd_component *req = &s->g->comps[need->from];
	const struct unit *u;
	bool self;
	int rc;

	need->to = NO_COMP;
	need->found = 0;
	if (!req->inside || !strrchr(req->inside, '/'))
		return 0;
	rc = unit_of(s, need->from, need->name, want, &u);
	if (rc)
		return rc;
	self = provider(req) && !strcmp(req->soname, need->name);
	need->found = u->n - (self && u->n);
	if (want && need->found)
		s->wanted[need->from] = true;
	if (need->found == 1)
		need->to = u->id[0] == need->from ? u->id[1] : u->id[0];
	return 0;
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
	bd_map_init(&s.units);
	bd_map_init(&s.dirs);
	bd_arena_init(&s.keys);
	bd_buf_init(&s.key);
	s.wanted = calloc(slots, sizeof(*s.wanted));
	s.owner = calloc(slots, sizeof(*s.owner));
	rc = s.wanted && s.owner ? index_providers(&s) : BD_ENOMEM;
	for (i = 0; !rc && i < n; i++) {
		needs[i].to = NO_COMP;
		needs[i].found = 0;
		if (needs[i].name) {
			rc = count(&s, &needs[i], true);
			any += needs[i].found;
		}
	}
	/* The databases are asked only when some need has a provider. */
	if (!rc && any)
		rc = ask_owners(&s);
	for (i = 0; !rc && any && i < n; i++)
		if (needs[i].name)
			rc = count(&s, &needs[i], false);
	bd_map_release(&s.first);
	bd_map_release(&s.units);
	bd_map_release(&s.dirs);
	bd_arena_release(&s.keys);
	bd_buf_release(&s.key);
	free(s.unit);
	free(s.next);
	free(s.wanted);
	free(s.owner);
	return rc;
}
