/* SPDX-License-Identifier: MIT */
/*
 * The Go modules a Go binary's build information lists (scan.h, struct
 * bd_go_info), and the Go toolchain's standard library, as components
 * compiled into the binary: one BD_COMP_STATIC per module line (path,
 * version, go.sum hash, replacement), a BD_EDGE_STATIC from each file
 * that holds it, as syft's and trivy's Go binary catalogers list them.
 * Purls by purl-spec's golang type: the module path up to its last '/'
 * is the namespace, its case kept; Go's standard library is
 * pkg:golang/stdlib (purl.c).
 */
#include "bindep/buf.h"
#include "bindep/ident.h"
#include "bindep/purl.h"

#include <string.h>

/* The component of one module line, as the binary holds it. */
struct module {
	const char *key; /* the line, replacement and all */
	const char *path, *version, *sum;
	const char *replaces;	 /* "path@version" of the module replaced */
	const char *replaced_by; /* the directory that replaced it */
	const char *method;	 /* what the build information says */
};

/* A version Go writes where the module has none: the main module built
 * from its source tree ("(devel)"); a directory has none at all. */
static const char *release(const char *version)
{
	return version && strcmp(version, "(devel)") ? version : NULL;
}

/* A replacement by a directory (cmd/go modfile.IsDirectoryPath): "./x",
 * "../x", "/x", "." or "..". */
static bool directory_path(const char *path)
{
	return !strncmp(path, "./", 2) || !strncmp(path, "../", 3) ||
	       path[0] == '/' || !strcmp(path, ".") || !strcmp(path, "..");
}

/* "pkg:golang/<path up to its last '/'>/<last element>@<version>" into
 * *purl, "pkg:golang/<path>@<version>" for a path of one element, which
 * purl.c names when it is a host (go.opencensus.io); none for a path
 * the type cannot name: one element that is no host (a main module
 * named "app", or Go's "command-line-arguments"), and "stdlib", which
 * names Go's standard library, never a module. BD_ENOMEM. */
static int module_purl(struct bd_graph *g, const char *path,
		       const char *version, const char **purl)
{
	const char *slash = strrchr(path, '/');
	struct bd_buf ns = BD_BUF_INIT, out = BD_BUF_INIT;
	struct bd_purl p = { 0 };
	int rc = 0;

	*purl = NULL;
	if (!strcmp(path, "stdlib"))
		return 0;
	if (slash)
		bd_buf_add(&ns, path, (size_t)(slash - path));
	p.type = "golang";
	p.namespace = slash ? bd_buf_str(&ns) : NULL;
	p.name = slash ? slash + 1 : path;
	p.version = version;
	rc = bd_buf_ok(&ns) ? bd_purl_format(&p, &out, NULL) : BD_ENOMEM;
	if (!rc)
		*purl = bd_graph_strdup(g, bd_buf_str(&out));
	bd_buf_release(&ns);
	bd_buf_release(&out);
	if (rc == BD_ENOMEM || (!rc && !*purl))
		return BD_ENOMEM;
	return 0; /* rc: a path the type cannot name */
}

/* The evidence of a field: the build information's, in place of what c
 * had for it (a program's name by its file), else added. */
static void set_identity(struct bd_component *c, const char *field,
			 const char *value, const char *method)
{
	struct bd_identity *id = bd_graph_identity(c, field);

	if (!value || (!id && c->nids == BD_MAX_IDENTITY))
		return;
	if (!id)
		id = &c->ids[c->nids++];
	*id = (struct bd_identity){ field,  value, "manifest-analysis",
				    method, 1.0,   NULL };
}

static void add_identities(struct bd_component *c, const char *method)
{
	if (!c->soname)
		set_identity(c, "name", c->name, method);
	set_identity(c, "version", c->version, method);
	set_identity(c, "purl", c->purl, method);
}

/* The component of m, one per module line (its key), and the file's
 * edge to it. */
static int add_module(struct bd_graph *g, uint32_t file, const struct module *m)
{
	struct bd_component *c;
	uint32_t id;
	int rc;

	if (!bd_graph_find(g, m->key, &id)) {
		rc = bd_graph_add(g, m->key, BD_COMP_STATIC, &id);
		if (rc)
			return rc;
		c = bd_graph_comp(g, id);
		c->name = bd_graph_strdup(g, m->path);
		c->version = bd_graph_strdup(g, m->version);
		if (module_purl(g, m->path, m->version, &c->purl))
			return BD_ENOMEM;
		c->go_sum = bd_graph_strdup(g, m->sum);
		c->go_replaces = bd_graph_strdup(g, m->replaces);
		c->go_replaced_by = bd_graph_strdup(g, m->replaced_by);
		if (!c->name || (m->version && !c->version) ||
		    (m->sum && !c->go_sum) ||
		    (m->replaces && !c->go_replaces) ||
		    (m->replaced_by && !c->go_replaced_by))
			return BD_ENOMEM;
		bd_ident_manifest_identities(c, m->method);
	}
	return bd_graph_add_edge(g, file, id, BD_EDGE_STATIC, NULL);
}

/* A module line: "path@version" and, in a key, "#sum", each field
 * escaped; in a method, "path version" as `go version -m` prints it. */
static void add_line(struct bd_buf *b, const struct bd_go_module *m, bool key)
{
	if (!key) {
		bd_buf_adds(b, m->path);
		if (m->version)
			bd_buf_printf(b, " %s", m->version);
		return;
	}
	bd_ident_key_field(b, m->path);
	if (m->version) {
		bd_buf_addc(b, '@');
		bd_ident_key_field(b, m->version);
	}
	if (m->sum) {
		bd_buf_addc(b, '#');
		bd_ident_key_field(b, m->sum);
	}
}

/* The key (the line whole: the component is the same wherever the line
 * is, "golang:path@version#sum=>path@version#sum") and the method, the
 * line after the words said. */
static int describe_line(struct bd_graph *g, const struct bd_go_module *line,
			 const char *said, struct module *m)
{
	struct bd_buf key = BD_BUF_INIT, method = BD_BUF_INIT;

	bd_buf_adds(&key, "golang:");
	add_line(&key, line, true);
	bd_buf_adds(&method, said);
	add_line(&method, line, false);
	if (line->replace) {
		bd_buf_adds(&key, "=>");
		add_line(&key, line->replace, true);
		bd_buf_adds(&method, " => ");
		add_line(&method, line->replace, false);
	}
	m->key = bd_buf_ok(&key) ? bd_graph_strdup(g, key.data) : NULL;
	m->method = bd_buf_ok(&method) ? bd_graph_strdup(g, method.data) : NULL;
	bd_buf_release(&key);
	bd_buf_release(&method);
	return m->key && m->method ? 0 : BD_ENOMEM;
}

/*
 * The module a line names as the binary holds it: a replacement is the
 * module compiled in, the line it replaces kept as evidence (syft and
 * trivy name the replacement too); a directory that replaced a module
 * leaves the module's path, of no release.
 */
static int line_module(struct bd_graph *g, const struct bd_go_module *line,
		       const char *said, struct module *m)
{
	const struct bd_go_module *r = line->replace;

	*m = (struct module){ NULL,	 line->path, release(line->version),
			      line->sum, NULL,	     NULL,
			      NULL };
	if (r && directory_path(r->path)) {
		m->version = NULL;
		m->sum = NULL;
		m->replaced_by = r->path;
	} else if (r) {
		m->replaces =
			bd_arena_printf(&g->arena, "%s@%s", line->path,
					line->version ? line->version : "");
		m->path = r->path;
		m->version = release(r->version);
		m->sum = r->sum;
		if (!m->replaces)
			return BD_ENOMEM;
	}
	return describe_line(g, line, said, m);
}

static int module_line(struct bd_graph *g, uint32_t file,
		       const struct bd_go_module *line)
{
	struct module m;

	if (line_module(g, line, "Go build information: ", &m))
		return BD_ENOMEM;
	return add_module(g, file, &m);
}

/* Go's standard library, of the toolchain's version: "go1.21.5" is
 * 1.21.5, whatever follows a space ("go1.21.5 X:boringcrypto"); a
 * development toolchain's ("devel go1.23-e8ee1dc...") is of no release.
 * Its CPE is NVD's for Go, cpe:2.3:a:golang:go. */
static int add_stdlib(struct bd_graph *g, uint32_t file, const char *toolchain)
{
	bool release_version = !strncmp(toolchain, "go", 2) &&
			       toolchain[2] >= '0' && toolchain[2] <= '9';
	const char *version =
		release_version ? bd_arena_strndup(&g->arena, toolchain + 2,
						   strcspn(toolchain + 2, " "))
				: NULL;
	const char *key = bd_arena_printf(&g->arena, "golang:stdlib@%s",
					  version ? version : "");
	struct bd_buf b = BD_BUF_INIT;
	struct bd_purl p = { "golang", NULL, "stdlib", version, NULL, 0, NULL };
	const char *method;
	struct bd_component *c;
	uint32_t id;
	int rc;

	if (!key || (release_version && !version))
		return BD_ENOMEM;
	if (!bd_graph_find(g, key, &id)) {
		rc = bd_graph_add(g, key, BD_COMP_STATIC, &id);
		if (rc)
			return rc;
		c = bd_graph_comp(g, id);
		c->name = bd_graph_strdup(g, "stdlib");
		c->version = version;
		rc = bd_purl_format(&p, &b, NULL);
		c->purl = rc ? NULL : bd_graph_strdup(g, bd_buf_str(&b));
		bd_buf_reset(&b);
		/* Without a version the CPE would be every Go's. */
		if (version && bd_ident_cpe("cpe:2.3:a:golang:go", version, &b))
			c->cpe = bd_graph_strdup(g, bd_buf_str(&b));
		if (!bd_buf_ok(&b) || (b.len && !c->cpe))
			rc = BD_ENOMEM;
		bd_buf_release(&b);
		method = version ? bd_arena_printf(&g->arena,
						   "Go build information: "
						   "built by go%s",
						   version)
				 : "Go build information: built by a "
				   "development toolchain";
		if (rc == BD_ENOMEM || !c->name || (!rc && !c->purl) || !method)
			return BD_ENOMEM;
		bd_ident_manifest_identities(c, method);
	}
	return bd_graph_add_edge(g, file, id, BD_EDGE_STATIC, NULL);
}

static int go_binary(struct bd_graph *g, uint32_t file)
{
	const struct bd_go_info *go = g->comps[file].go;
	size_t i;
	int rc = add_stdlib(g, file, go->version);

	/* A program named after its main module is that module's build. */
	if (!rc && go->main && !g->comps[file].go_main)
		rc = module_line(g, file, go->main);
	for (i = 0; !rc && i < go->ndeps; i++)
		rc = module_line(g, file, &go->deps[i]);
	return rc;
}

int bd_ident_go_main_compiled_in(struct bd_graph *g, uint32_t file)
{
	const struct bd_go_info *go = g->comps[file].go;

	return go && go->main ? module_line(g, file, go->main) : 0;
}

int bd_ident_go_modules(struct bd_graph *g, size_t ncomps)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < ncomps && !rc; i++)
		if (g->comps[i].go)
			rc = go_binary(g, (uint32_t)i);
	return rc;
}

/*
 * The program is its main module's build, as syft's Go cataloger names
 * it. Its version is the one the build information holds, none for
 * "(devel)": syft then makes one up (a pseudo-version of v0.0.0 from
 * vcs.revision and vcs.time, or a semver found in -ldflags' -X flags or
 * anywhere in the file), trivy takes -X main.version and the like; a
 * variable an -X flag sets is whatever the build script put there, under
 * a name only convention gives, and a pseudo-version's v0.0.0 is no
 * release of the module. Go 1.24 and later write into the "mod" line
 * the version they read from the VCS themselves (its tag, else a
 * pseudo-version, "+dirty" for a modified tree), so that a "(devel)" left
 * is what Go itself could not tell.
 */
int bd_ident_go_main(struct bd_graph *g, struct bd_component *c)
{
	struct module m;
	const char *purl;

	if (!c->go || !c->go->main)
		return 0;
	if (line_module(g, c->go->main, "Go build information: main module ",
			&m) ||
	    module_purl(g, m.path, m.version, &purl))
		return BD_ENOMEM;
	if (!purl)
		return 0; /* "command-line-arguments": its file names it */
	/* A shared object (-buildmode=c-shared) keeps its soname, the name
	 * the loader knows it by; a program its file's name gives way. */
	if (!c->soname)
		c->name = bd_graph_strdup(g, m.path);
	c->version = bd_graph_strdup(g, m.version);
	c->purl = purl;
	if (!c->name || (m.version && !c->version))
		return BD_ENOMEM;
	c->go_main = true;
	add_identities(c, m.method);
	return 0;
}
