/* SPDX-License-Identifier: MIT */
#include "bindep/resolve.h"
#include "bindep/buf.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

void bd_resolver_init(struct bd_resolver *r, struct bd_graph *g)
{
	r->graph = g;
	bd_map_init(&r->inodes);
	bd_map_init(&r->sonames);
}

void bd_resolver_release(struct bd_resolver *r)
{
	bd_map_release(&r->inodes);
	bd_map_release(&r->sonames);
}

static const char *inode_key(struct bd_graph *g, dev_t dev, ino_t ino,
			     char *buf, size_t size, bool store)
{
	snprintf(buf, size, "%llx:%llx", (unsigned long long)dev,
		 (unsigned long long)ino);
	return store ? bd_graph_strdup(g, buf) : buf;
}

bool bd_resolver_known(const struct bd_resolver *r, dev_t dev, ino_t ino,
		       uint32_t *id)
{
	char buf[64];

	return bd_map_get(
		&r->inodes,
		inode_key(r->graph, dev, ino, buf, sizeof(buf), false), id);
}

int bd_resolver_add_path(struct bd_resolver *r, uint32_t id, dev_t dev,
			 ino_t ino, const char *path)
{
	char buf[64];
	const char *key;

	if (!bd_resolver_known(r, dev, ino, NULL)) {
		key = inode_key(r->graph, dev, ino, buf, sizeof(buf), true);
		if (!key || bd_map_put(&r->inodes, key, id))
			return BD_ENOMEM;
	}
	return bd_graph_add_path(r->graph, id, path);
}

enum bd_comp_kind bd_resolve_kind(const struct bd_elf_info *info)
{
	if (!info || !info->ei_class)
		return BD_COMP_ELF_OTHER;
	if (info->e_type == ET_EXEC)
		return BD_COMP_EXECUTABLE;
	if (info->e_type != ET_DYN)
		return BD_COMP_ELF_OTHER;
	/* ET_DYN is a library or a position-independent executable: PIE
	 * says so in DT_FLAGS_1; else a soname means a library (libc.so.6
	 * has PT_INTERP too), and PT_INTERP alone an executable. */
	if (info->has_flags_1 && (info->flags_1 & DF_1_PIE))
		return BD_COMP_EXECUTABLE;
	if (info->soname)
		return BD_COMP_LIBRARY;
	return info->interp ? BD_COMP_EXECUTABLE : BD_COMP_LIBRARY;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static const char *soname_key(struct bd_graph *g, const char *soname,
			      const struct bd_component *c, bool store,
			      struct bd_buf *b)
{
	bd_buf_reset(b);
	bd_buf_printf(b, "%s/%u/%u/%u", soname, c->ei_class, c->ei_data,
		      c->e_machine);
	if (!bd_buf_ok(b))
		return NULL;
	return store ? bd_graph_strdup(g, bd_buf_str(b)) : bd_buf_str(b);
}

/* The first file scanned with a soname provides it (walk order). */
static int index_soname(struct bd_resolver *r, uint32_t id)
{
	const struct bd_component *c = bd_graph_comp(r->graph, id);
	struct bd_buf b = BD_BUF_INIT;
	const char *key;
	int rc = 0;

	if (!c->soname)
		return 0;
	key = soname_key(r->graph, c->soname, c, false, &b);
	if (key && !bd_map_get(&r->sonames, key, NULL)) {
		key = soname_key(r->graph, c->soname, c, true, &b);
		rc = key ? bd_map_put(&r->sonames, key, id) : BD_ENOMEM;
	} else if (!key) {
		rc = BD_ENOMEM;
	}
	bd_buf_release(&b);
	return rc;
}

static int new_file_component(struct bd_resolver *r,
			      const struct bd_scanned_file *f, const char *key,
			      uint32_t *id)
{
	struct bd_graph *g = r->graph;
	struct bd_component *c;
	int rc;

	rc = bd_graph_add(g, key, bd_resolve_kind(f->info), id);
	if (rc)
		return rc;
	c = bd_graph_comp(g, *id);
	strcpy(c->sha256, f->sha256);
	c->dev = f->dev;
	c->ino = f->ino;
	c->mtime = f->mtime;
	c->error = bd_graph_strdup(g, f->error);
	if (f->info && bd_graph_set_elf(g, *id, f->info))
		return BD_ENOMEM;
	c = bd_graph_comp(g, *id);
	c->name =
		c->soname ? c->soname : bd_graph_strdup(g, base_name(f->path));
	if (!c->name)
		return BD_ENOMEM;
	return index_soname(r, *id);
}

int bd_resolver_add_file(struct bd_resolver *r, const struct bd_scanned_file *f,
			 uint32_t *id)
{
	struct bd_buf key = BD_BUF_INIT;
	int rc;

	/* Same content, same component: the key is the hash, or the path
	 * for a file that could not be hashed. */
	if (f->sha256[0])
		bd_buf_printf(&key, "sha256:%s", f->sha256);
	else
		bd_buf_printf(&key, "path:%s", f->path);
	if (!bd_buf_ok(&key)) {
		bd_buf_release(&key);
		return BD_ENOMEM;
	}
	if (!bd_graph_find(r->graph, bd_buf_str(&key), id))
		rc = new_file_component(r, f, bd_buf_str(&key), id);
	else
		rc = 0;
	if (!rc)
		rc = bd_resolver_add_path(r, *id, f->dev, f->ino, f->path);
	bd_buf_release(&key);
	return rc;
}

/* The component for a soname no scanned file provides. */
static int unresolved(struct bd_graph *g, const char *soname, uint32_t *id)
{
	struct bd_buf key = BD_BUF_INIT;
	struct bd_component *c;
	int rc = 0;

	bd_buf_printf(&key, "soname:%s", soname);
	if (!bd_buf_ok(&key))
		rc = BD_ENOMEM;
	else if (!bd_graph_find(g, bd_buf_str(&key), id)) {
		rc = bd_graph_add(g, bd_buf_str(&key), BD_COMP_UNRESOLVED, id);
		if (!rc) {
			c = bd_graph_comp(g, *id);
			c->soname = bd_graph_strdup(g, soname);
			c->name = c->soname;
			rc = c->soname ? 0 : BD_ENOMEM;
		}
	}
	bd_buf_release(&key);
	return rc;
}

/* Looks a soname up for a requester; false when no scanned file has it. */
static bool provider(struct bd_resolver *r, uint32_t from, const char *soname,
		     uint32_t *to)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *key;
	bool found = false;

	key = soname_key(r->graph, soname, bd_graph_comp(r->graph, from), false,
			 &b);
	if (key)
		found = bd_map_get(&r->sonames, key, to);
	bd_buf_release(&b);
	return found;
}

static int link_needed(struct bd_resolver *r, uint32_t from)
{
	size_t i, n = bd_graph_comp(r->graph, from)->nneeded;

	for (i = 0; i < n; i++) {
		const char *soname = bd_graph_comp(r->graph, from)->needed[i];
		uint32_t to;
		int rc = 0;

		if (!provider(r, from, soname, &to))
			rc = unresolved(r->graph, soname, &to);
		if (!rc)
			rc = bd_graph_add_edge(r->graph, from, to,
					       BD_EDGE_NEEDED, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* A dlopen entry lists alternatives, preferred first: the first one a
 * scanned file provides is the target, else the preferred one. */
static int link_dlopen(struct bd_resolver *r, uint32_t from)
{
	size_t i, j, n = bd_graph_comp(r->graph, from)->ndlopen;

	for (i = 0; i < n; i++) {
		const struct bd_dlopen_entry *e =
			&bd_graph_comp(r->graph, from)->dlopen[i];
		uint32_t to;
		bool found = false;
		int rc = 0;

		for (j = 0; j < e->nsonames && !found; j++)
			found = provider(r, from, e->sonames[j], &to);
		if (!found)
			rc = unresolved(r->graph, e->sonames[0], &to);
		if (!rc)
			rc = bd_graph_add_edge(r->graph, from, to,
					       BD_EDGE_DLOPEN_NOTE, e);
		if (rc)
			return rc;
	}
	return 0;
}

int bd_resolver_link(struct bd_resolver *r, struct bd_error *err)
{
	size_t i, n = r->graph->ncomps;

	/* Unresolved components are appended as we go; they have no needs. */
	for (i = 0; i < n; i++) {
		if (link_needed(r, (uint32_t)i) || link_dlopen(r, (uint32_t)i))
			return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	return 0;
}
