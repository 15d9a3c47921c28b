/* SPDX-License-Identifier: MIT */
#include "bindep/ident.h"
#include "bindep/purl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *note_field(const struct bd_kv *f, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(f[i].key, key))
			return f[i].value;
	}
	return NULL;
}

/* Note types that are purl types with the distribution as namespace. */
static bool distro_type(const char *type)
{
	return !strcmp(type, "deb") || !strcmp(type, "rpm") ||
	       !strcmp(type, "apk") || !strcmp(type, "alpm");
}

int bd_ident_purl_from_note(const struct bd_kv *fields, size_t n,
			    struct bd_buf *out)
{
	const char *type = note_field(fields, n, "type");
	const char *os = note_field(fields, n, "os");
	const char *os_version = note_field(fields, n, "osVersion");
	char distro[128] = "";
	struct bd_kv q[2];
	struct bd_purl p = { 0 };
	size_t nq = 0;

	p.name = note_field(fields, n, "name");
	p.version = note_field(fields, n, "version");
	if (!p.name || !*p.name)
		return BD_ENOENT;
	if (type && os && *os && distro_type(type)) {
		p.type = type;
		p.namespace = os; /* lowercased by the deb/rpm/apk rules */
		q[nq].key = "arch";
		q[nq++].value = note_field(fields, n, "architecture");
		if (os_version && *os_version) {
			size_t i;

			snprintf(distro, sizeof(distro), "%s-%s", os,
				 os_version);
			for (i = 0; distro[i]; i++)
				distro[i] =
					(char)tolower((unsigned char)distro[i]);
			q[nq].key = "distro";
			q[nq++].value = distro;
		}
	} else {
		p.type = "generic";
	}
	p.qualifiers = q;
	p.nqualifiers = nq;
	return bd_purl_format(&p, out, NULL) == BD_ENOMEM ? BD_ENOMEM : 0;
}

static int identify_component(struct bd_graph *g, struct bd_component *c)
{
	struct bd_buf b = BD_BUF_INIT;
	int rc;

	rc = bd_ident_purl_from_note(c->package_note, c->npackage_note, &b);
	if (rc == 0 && b.len) {
		c->purl = bd_graph_strdup(g, bd_buf_str(&b));
		c->version = bd_graph_strdup(g, note_field(c->package_note,
							   c->npackage_note,
							   "version"));
		if (!c->purl)
			rc = BD_ENOMEM;
	}
	bd_buf_release(&b);
	return rc == BD_ENOENT ? 0 : rc;
}

int bd_identify(struct bd_graph *g, const struct bd_diag *diag,
		struct bd_error *err)
{
	size_t i;

	(void)diag;
	for (i = 0; i < g->ncomps; i++) {
		struct bd_component *c = &g->comps[i];

		if (!c->npackage_note)
			continue;
		if (identify_component(g, c))
			return bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	return 0;
}
