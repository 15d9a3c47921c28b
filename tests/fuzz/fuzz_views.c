/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the views for people (issue 17) with hostile names, purls and
 * graphs: the summary, the text view, the DOT graph and the progress
 * line. Whatever the input, none may send a control byte to the terminal
 * (but our own colours), write ill-formed UTF-8, or, for DOT, leave a
 * quoted string open on a line; the progress line never fills the width.
 *
 * Input: three bytes of options (the summary's width, the text view's
 * depth, colours), then NUL-separated fields, four a component (its kind
 * in the first byte of its name, then the name, purl, upstream purl,
 * path); the last component's name is also the edges: three bytes each
 * (from, to, kind; a kind past the graph's is compiled-in code).
 */
#include "fuzz.h"
#include "bindep/emit.h"
#include "bindep/progress.h"
#include "bindep/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COMPS 64
#define MAX_EDGES 256

static const char *alt[] = { "libx.so.1", "libx.so.0" };
static struct bd_dlopen_entry entries[3] = {
	{ "x", "X", "required", alt, 2 },
	{ "y", NULL, "recommended", alt, 1 },
	{ NULL, NULL, "suggested", alt + 1, 1 },
};

/* A control byte but '\n' (and '\t' in DOT, ESC of our colours). */
static void check_bytes(const struct bd_buf *b, bool tab, bool esc)
{
	size_t i;

	if (!bd_utf8_valid(b->data ? b->data : "", b->len))
		abort();
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		if ((c < 0x20 || c == 0x7f) && c != '\n' &&
		    !(tab && c == '\t') && !(esc && c == 0x1b))
			abort();
	}
}

/* Every line of DOT closes the strings it opens. */
static void check_dot(const struct bd_buf *b)
{
	bool open = false;
	size_t i;

	for (i = 0; i < b->len; i++) {
		char c = b->data[i];

		if (open && c == '\\')
			i++;
		else if (c == '"')
			open = !open;
		else if (c == '\n' && open)
			abort();
	}
	if (open)
		abort();
}

static const char *field(const char **p, const char *end)
{
	const char *s = *p;

	if (s >= end)
		return "";
	*p = s + strnlen(s, (size_t)(end - s)) + 1;
	return s;
}

static void add_component(struct bd_graph *g, const char **p, const char *end)
{
	const char *name = field(p, end), *purl = field(p, end);
	const char *up = field(p, end), *path = field(p, end);
	unsigned kind = (unsigned char)name[0] % 5;
	struct bd_component *c;
	char key[32];
	uint32_t id;

	snprintf(key, sizeof(key), "k%zu", g->ncomps);
	if (bd_graph_add(g, key, (enum bd_comp_kind)kind, &id))
		return;
	c = bd_graph_comp(g, id);
	c->name = bd_graph_strdup(g, *name ? name + 1 : "");
	c->purl = *purl ? bd_graph_strdup(g, purl) : NULL;
	c->upstream_purl = *up ? bd_graph_strdup(g, up) : NULL;
	c->upstream_version = *up ? c->name : NULL;
	c->bundled_in = kind == 2 && *purl ? c->purl : NULL;
	c->license = *path ? c->name : NULL;
	c->vendored = (unsigned char)name[0] & 0x10;
	c->is_input = kind < 3 && ((unsigned char)name[0] & 0x20);
	if (*path && kind != BD_COMP_UNRESOLVED)
		bd_graph_add_path(g, id, path);
}

static void add_edges(struct bd_graph *g, const unsigned char *e, size_t n)
{
	size_t i;

	for (i = 0; i + 3 <= n && i / 3 < MAX_EDGES && g->ncomps; i += 3) {
		uint32_t from = e[i] % g->ncomps, to = e[i + 1] % g->ncomps;
		unsigned kind = e[i + 2] % 5;

		bd_graph_add_edge(g, from, to, (enum bd_edge_kind)kind,
				  kind == BD_EDGE_DLOPEN_NOTE
					  ? &entries[e[i + 2] / 5 % 3]
					  : NULL);
	}
}

static void views(const struct bd_graph *g, const uint8_t *opt,
		  const char *name)
{
	struct bd_emit_options o = { .source_name = name, .timestamp = 1 };
	struct bd_progress_snapshot snap = { opt[0], opt[1], opt[2], "" };
	struct bd_buf b = BD_BUF_INIT;

	o.columns = opt[0] >= 20 ? opt[0] : 0;
	o.depth = opt[1] == 255 ? BD_EMIT_DEPTH_ALL : opt[1] % 8;
	o.color = opt[2] & 1;
	if (!bd_emit_summary(g, &o, &b, NULL))
		check_bytes(&b, false, o.color);
	bd_buf_reset(&b);
	if (!bd_emit_text(g, &o, &b, NULL))
		check_bytes(&b, false, o.color);
	bd_buf_reset(&b);
	if (!bd_emit_dot(g, &o, &b, NULL)) {
		check_bytes(&b, true, false);
		check_dot(&b);
	}
	bd_buf_reset(&b);
	snprintf(snap.reading, sizeof(snap.reading), "%s", name);
	if (bd_progress_line(&b, &snap, "scanning", opt[0]) >= opt[0] && opt[0])
		abort();
	check_bytes(&b, false, false);
	bd_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p, *end, *last = NULL;
	struct bd_graph g;
	char *copy;

	if (size < 3)
		return 0;
	copy = malloc(size - 3 + 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 3, size - 3);
	copy[size - 3] = '\0';
	p = copy;
	end = copy + size - 3;
	bd_graph_init(&g);
	/* The edges: the bytes of the last component's name. */
	while (p < end && g.ncomps < MAX_COMPS) {
		last = p;
		add_component(&g, &p, end);
	}
	if (last)
		add_edges(&g, (const unsigned char *)last,
			  strnlen(last, (size_t)(end - last)));
	if (!bd_graph_sort(&g))
		views(&g, data, g.ncomps ? g.comps[0].name : "");
	bd_graph_release(&g);
	free(copy);
	return 0;
}
