/* SPDX-License-Identifier: MIT */
/*
 * SBOMs that artifacts carry (bindep/carried.h): read (CycloneDX 1.x JSON,
 * SPDX 2.x JSON) into a small model, then merged into the graph.
 */
#include "bindep/carried.h"
#include "bindep/ident.h"
#include "bindep/license.h"
#include "bindep/hash.h"
#include "bindep/mapping.h"
#include "bindep/purl.h"
#include "bindep/utf8.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* ---- which entries ------------------------------------------------------ */

/* The conventional names of a release's SBOM (CycloneDX's "bom.json" and
 * "*.cdx.json", SPDX's "*.spdx.json", and the common "sbom.json"). */
static bool conventional(const char *file)
{
	return !strcmp(file, "sbom.json") || !strcmp(file, "bom.json") ||
	       !fnmatch("?*.cdx.json", file, FNM_PERIOD) ||
	       !fnmatch("?*.spdx.json", file, FNM_PERIOD);
}

static bool wheel_sbom(const char *name)
{
	const char *slash = strchr(name, '/');
	const char *file;

	/* "<name>.dist-info/sboms/<file>.json" (PEP 770, "sboms/"). */
	if (!slash || slash - name <= 10 ||
	    strncmp(slash - 10, ".dist-info", 10))
		return false;
	if (strncmp(slash, "/sboms/", 7))
		return false;
	file = slash + 7;
	return *file && !strchr(file, '/') &&
	       !fnmatch("?*.json", file, FNM_PERIOD) &&
	       strcmp(file, BD_CARRIED_OURS);
}

bool bd_carried_is_sbom(const char *name, size_t *baselen)
{
	const char *slash = strchr(name, '/');

	*baselen = 0;
	if (wheel_sbom(name))
		return true;
	if (!slash)
		return conventional(name);
	if (strchr(slash + 1, '/') || !conventional(slash + 1))
		return false;
	*baselen = (size_t)(slash + 1 - name);
	return true;
}

/* ---- reading ----------------------------------------------------------- */

struct reader {
	struct bd_arena *arena;
	struct bd_carried_sbom *s;
	size_t acomps;
	struct bd_error *err;
	/* SPDX: the ids the document describes (its strings: keys live
	 * as long as the parsed document). */
	struct bd_map described;
	/* SPDX: the ids in a role of not_shipped_roles, and those the
	 * document says are contained. */
	struct bd_map not_shipped, contained;
};

/* A string member of at most BD_CARRIED_MAX_FIELD bytes, else NULL. */
static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || !v->valuestring || !*v->valuestring ||
	    strlen(v->valuestring) > BD_CARRIED_MAX_FIELD)
		return NULL;
	return v->valuestring;
}

static const char *keep(struct reader *r, const char *s)
{
	return s ? bd_arena_strdup(r->arena, s) : NULL;
}

/* A purl in canonical form (bd_purl_canonical, lenient as their tools
 * write them), or NULL for one that does not parse: it is not kept. */
static const char *canonical_purl(struct reader *r, const char *purl)
{
	struct bd_buf b = BD_BUF_INIT;
	const char *out = NULL;

	if (purl && !bd_purl_canonical(purl, BD_PURL_LENIENT, &b, NULL) &&
	    bd_buf_ok(&b))
		out = bd_arena_strdup(r->arena, b.data);
	bd_buf_release(&b);
	return out;
}

static bool hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return s[64] == '\0';
}

static void set_sha256(struct bd_carried_comp *c, const char *hex)
{
	size_t i;

	if (!hex || !hex64(hex))
		return;
	for (i = 0; i < 64; i++)
		c->sha256[i] = (char)tolower((unsigned char)hex[i]);
	c->sha256[64] = '\0';
}

static void add_path(struct reader *r, struct bd_carried_comp *c,
		     const char *path)
{
	if (!path || c->npaths >= BD_CARRIED_MAX_PATHS)
		return;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (*path == '/')
		path++;
	if (*path)
		c->paths[c->npaths++] = keep(r, path);
}

static struct bd_carried_comp *new_comp(struct reader *r)
{
	struct bd_carried_sbom *s = r->s;

	if (s->ncomps >= BD_CARRIED_MAX_COMPONENTS) {
		bd_error_set(r->err, BD_ELIMIT, "more than %u components",
			     BD_CARRIED_MAX_COMPONENTS);
		return NULL;
	}
	if (BD_GROW(s->comps, r->acomps, s->ncomps + 1)) {
		bd_error_set(r->err, BD_ENOMEM, "out of memory");
		return NULL;
	}
	memset(&s->comps[s->ncomps], 0, sizeof(s->comps[0]));
	return &s->comps[s->ncomps++];
}

/* -- CycloneDX -- */

/* Whether a licence entry is a conclusion (CycloneDX 1.6
 * licenseAcknowledgementEnumeration): one without an acknowledgement is
 * taken as declared, as it was written before 1.6 had the word. */
static bool cdx_concluded(const cJSON *l, const cJSON *lic)
{
	const char *ack = str(l, "acknowledgement");

	if (!ack && lic)
		ack = str(lic, "acknowledgement");
	return ack && !strcmp(ack, "concluded");
}

/* Their licences as one expression: ids and expressions joined with AND
 * (each expression in parentheses when there are several, an id that
 * holds one too: AND binds tighter than OR, SPDX 2.3 D.4.1); a licence
 * named otherwise is kept apart. Only those of one acknowledgement are
 * joined: a declared and a concluded licence are two statements of one
 * licence, not two licences. */
/* Whether more than one entry of arr has this acknowledgement: walked
 * once up to the second (cJSON counts an array's size by walking it). */
static bool cdx_several(const cJSON *arr, bool concluded)
{
	const cJSON *l;
	int n = 0;

	cJSON_ArrayForEach(l, arr)
	{
		if (cdx_concluded(l, cJSON_GetObjectItemCaseSensitive(
					     l, "license")) == concluded &&
		    ++n > 1)
			return true;
	}
	return false;
}

static void cdx_licenses_of(struct reader *r, struct bd_carried_comp *c,
			    const cJSON *arr, bool concluded)
{
	struct bd_buf b = BD_BUF_INIT;
	bool several = cdx_several(arr, concluded);
	const cJSON *l;

	cJSON_ArrayForEach(l, arr)
	{
		const cJSON *lic =
			cJSON_GetObjectItemCaseSensitive(l, "license");
		const char *e = str(l, "expression");
		const char *one = e ? e : lic ? str(lic, "id") : NULL;
		const char *name = lic ? str(lic, "name") : NULL;

		/* Past a field's length, the whole is not taken. */
		if (b.len > BD_CARRIED_MAX_FIELD)
			break;
		if (cdx_concluded(l, lic) != concluded)
			continue;
		if (one && bd_license_add(&b, one, several))
			continue;
		if ((name || one) && !c->license_other)
			c->license_other = keep(r, name ? name : one);
	}
	if (b.len && bd_buf_ok(&b) && b.len <= BD_CARRIED_MAX_FIELD) {
		c->license = keep(r, b.data);
		c->license_concluded = concluded;
	}
	bd_buf_release(&b);
}

/* The declared licences; only when they give none, the concluded. */
static void cdx_licenses(struct reader *r, struct bd_carried_comp *c,
			 const cJSON *arr)
{
	cdx_licenses_of(r, c, arr, false);
	if (!c->license)
		cdx_licenses_of(r, c, arr, true);
}

static void cdx_hashes(struct bd_carried_comp *c, const cJSON *arr)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, arr)
	{
		const char *alg = str(h, "alg");

		if (alg && !strcmp(alg, "SHA-256"))
			set_sha256(c, str(h, "content"));
	}
}

/* Paths: evidence.occurrences[].location, and a property that names one
 * ("path", "<ns>:path", syft's "syft:location:0:path"). */
static void cdx_paths(struct reader *r, struct bd_carried_comp *c,
		      const cJSON *o)
{
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(o, "evidence");
	const cJSON *x;

	cJSON_ArrayForEach(x,
			   cJSON_GetObjectItemCaseSensitive(ev, "occurrences"))
		add_path(r, c, str(x, "location"));
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o, "properties"))
	{
		const char *name = str(x, "name");
		size_t n = name ? strlen(name) : 0;

		if (name && (!strcmp(name, "path") ||
			     (n > 5 && !strcmp(name + n - 5, ":path"))))
			add_path(r, c, str(x, "value"));
	}
}

/* auditwheel's bom-ref: "<purl>#<sha256 hex of the host path>". */
static const char *host_path_hash(const char *ref)
{
	const char *hash = ref ? strrchr(ref, '#') : NULL;

	return hash && hex64(hash + 1) ? hash + 1 : NULL;
}

/* CycloneDX 1.6, component.scope: "excluded" components document use
 * for tests and other non-runtime purposes, and are not reachable at run
 * time; what is nested in one (an assembly of it) is excluded with it. */
static bool cdx_excluded(const cJSON *o)
{
	const char *scope = str(o, "scope");

	return scope && !strcmp(scope, "excluded");
}

static int cdx_component(struct reader *r, const cJSON *o, bool described,
			 bool excluded, int depth)
{
	struct bd_carried_comp *c;
	const cJSON *sup, *sub;
	int rc;

	if (!cJSON_IsObject(o))
		return 0;
	c = new_comp(r);
	if (!c)
		return r->err->code;
	c->described = described;
	excluded = excluded || cdx_excluded(o);
	c->not_shipped = excluded && !described;
	c->ref = keep(r, str(o, "bom-ref"));
	c->name = keep(r, str(o, "name"));
	c->version = keep(r, str(o, "version"));
	c->purl = canonical_purl(r, str(o, "purl"));
	sup = cJSON_GetObjectItemCaseSensitive(o, "supplier");
	c->supplier = keep(r, sup ? str(sup, "name") : NULL);
	c->host_path_hash = keep(r, host_path_hash(c->ref));
	cdx_licenses(r, c, cJSON_GetObjectItemCaseSensitive(o, "licenses"));
	cdx_hashes(c, cJSON_GetObjectItemCaseSensitive(o, "hashes"));
	cdx_paths(r, c, o);
	if (depth >= BD_CARRIED_MAX_DEPTH)
		return 0;
	cJSON_ArrayForEach(sub,
			   cJSON_GetObjectItemCaseSensitive(o, "components"))
	{
		rc = cdx_component(r, sub, false, excluded, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

/* The described component is metadata.component; auditwheel lists it in
 * components too, under the same bom-ref: then that entry is it. */
static int cdx_read(struct reader *r, const cJSON *doc)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "metadata");
	const cJSON *top = cJSON_GetObjectItemCaseSensitive(meta, "component");
	const char *top_ref = top ? str(top, "bom-ref") : NULL;
	const cJSON *o;
	bool seen = false;
	int rc;

	cJSON_ArrayForEach(o,
			   cJSON_GetObjectItemCaseSensitive(doc, "components"))
	{
		const char *ref = str(o, "bom-ref");
		bool same = top_ref && ref && !strcmp(ref, top_ref);

		rc = cdx_component(r, o, same, false, 0);
		if (rc)
			return rc;
		seen = seen || same;
	}
	return top && !seen ? cdx_component(r, top, true, false, 0) : 0;
}

/* -- SPDX 2 -- */

/* A string member, NULL for SPDX's words for no value: NOASSERTION and
 * NONE (SPDX 2.3, 7.5, 7.13, 7.15); tools write them in versionInfo too,
 * where a version "NOASSERTION" was taken (a conflict with ours). */
static const char *spdx_str(const cJSON *o, const char *key)
{
	const char *s = str(o, key);

	return s && strcmp(s, "NOASSERTION") && strcmp(s, "NONE") ? s : NULL;
}

static const char *spdx_supplier(const cJSON *o)
{
	const char *s = spdx_str(o, "supplier");

	if (!s)
		return NULL;
	if (!strncmp(s, "Organization: ", 14))
		return s + 14;
	if (!strncmp(s, "Person: ", 8))
		return s + 8;
	return s;
}

static void spdx_checksums(struct bd_carried_comp *c, const cJSON *arr)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, arr)
	{
		const char *alg = str(h, "algorithm");

		if (alg && !strcmp(alg, "SHA256"))
			set_sha256(c, str(h, "checksumValue"));
	}
}

static void spdx_license(struct reader *r, struct bd_carried_comp *c,
			 const cJSON *o)
{
	const char *l = spdx_str(o, "licenseDeclared");
	struct bd_buf b = BD_BUF_INIT;
	bool concluded = !l;

	/* SPDX 2.3, 7.13 and 7.15: what the creator concluded is no
	 * declaration; it is said as such. */
	if (!l)
		l = spdx_str(o, "licenseConcluded");
	if (!l)
		return;
	if (bd_license_add(&b, l, false) && bd_buf_ok(&b)) {
		c->license = keep(r, b.data);
		c->license_concluded = concluded;
	} else {
		c->license_other = keep(r, l);
	}
	bd_buf_release(&b);
}

/* SPDX 2.3, 11.1: the relationships that make their element A a tool of
 * B, a dependency of B only while B is developed or tested, a test of B,
 * or a dependency the environment provides: no part of what B ships. */
static const char *const not_shipped_roles[] = {
	"BUILD_TOOL_OF",      "DEV_TOOL_OF",
	"TEST_TOOL_OF",	      "DEV_DEPENDENCY_OF",
	"TEST_DEPENDENCY_OF", "TEST_OF",
	"TEST_CASE_OF",	      "PROVIDED_DEPENDENCY_OF",
};

static bool not_shipped_role(const char *type)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(not_shipped_roles); i++)
		if (!strcmp(type, not_shipped_roles[i]))
			return true;
	return false;
}

/* Notes what one relationship says of whether its elements are shipped:
 * a contained element is, whatever else it is too. */
static int spdx_role(struct reader *r, const char *from, const char *type,
		     const char *to)
{
	if (!strcmp(type, "CONTAINS"))
		return bd_map_put(&r->contained, to, 0);
	if (!strcmp(type, "CONTAINED_BY"))
		return bd_map_put(&r->contained, from, 0);
	return not_shipped_role(type) ? bd_map_put(&r->not_shipped, from, 0)
				      : 0;
}

/* What the document describes (documentDescribes, DESCRIBES
 * relationships of SPDXRef-DOCUMENT, and their inverse, "A DESCRIBED_BY
 * SPDXRef-DOCUMENT", SPDX 2.3, 11.1), as a set made once: searched for
 * each package, 20000 packages and 700000 entries there took a minute. */
static int spdx_described(struct reader *r, const cJSON *doc)
{
	const cJSON *x;
	int rc = 0;

	cJSON_ArrayForEach(
		x, cJSON_GetObjectItemCaseSensitive(doc, "documentDescribes"))
	{
		if (!rc && cJSON_IsString(x) && x->valuestring)
			rc = bd_map_put(&r->described, x->valuestring, 0);
	}
	cJSON_ArrayForEach(
		x, cJSON_GetObjectItemCaseSensitive(doc, "relationships"))
	{
		const char *from = str(x, "spdxElementId");
		const char *type = str(x, "relationshipType");
		const char *to = str(x, "relatedSpdxElement");

		if (rc || !from || !type || !to)
			continue;
		if (!strcmp(from, "SPDXRef-DOCUMENT") &&
		    !strcmp(type, "DESCRIBES"))
			rc = bd_map_put(&r->described, to, 0);
		else if (!strcmp(to, "SPDXRef-DOCUMENT") &&
			 !strcmp(type, "DESCRIBED_BY"))
			rc = bd_map_put(&r->described, from, 0);
		else
			rc = spdx_role(r, from, type, to);
	}
	return rc ? bd_error_set(r->err, BD_ENOMEM, "out of memory") : 0;
}

static bool in_map(const struct bd_map *m, const char *id)
{
	uint32_t unused;

	return id && bd_map_get(m, id, &unused);
}

static bool described(const struct reader *r, const char *id)
{
	return in_map(&r->described, id);
}

/* The first externalRefs purl that parses: a package may have several
 * (SPDX 2.3, 7.21), and one that does not parse is not kept, so it must
 * not hide the next. */
static const char *spdx_purl(struct reader *r, const cJSON *o)
{
	const cJSON *x;
	const char *purl;

	cJSON_ArrayForEach(x,
			   cJSON_GetObjectItemCaseSensitive(o, "externalRefs"))
	{
		const char *type = str(x, "referenceType");

		if (!type || strcmp(type, "purl"))
			continue;
		purl = canonical_purl(r, str(x, "referenceLocator"));
		if (purl)
			return purl;
	}
	return NULL;
}

static int spdx_element(struct reader *r, const cJSON *o, bool file)
{
	struct bd_carried_comp *c;
	const char *path;

	if (!cJSON_IsObject(o))
		return 0;
	c = new_comp(r);
	if (!c)
		return r->err->code;
	c->is_file = file;
	c->ref = keep(r, str(o, "SPDXID"));
	c->described = described(r, c->ref);
	c->not_shipped = !c->described && in_map(&r->not_shipped, c->ref) &&
			 !in_map(&r->contained, c->ref);
	path = str(o, file ? "fileName" : "packageFileName");
	c->name = keep(r, str(o, "name"));
	if (file && path) {
		const char *slash = strrchr(path, '/');

		c->name = keep(r, slash ? slash + 1 : path);
	}
	add_path(r, c, path);
	c->version = keep(r, spdx_str(o, "versionInfo"));
	c->purl = spdx_purl(r, o);
	c->supplier = keep(r, spdx_supplier(o));
	spdx_checksums(c, cJSON_GetObjectItemCaseSensitive(o, "checksums"));
	spdx_license(r, c, o);
	return 0;
}

static int spdx_read(struct reader *r, const cJSON *doc)
{
	const cJSON *o;
	int rc = spdx_described(r, doc);

	if (rc)
		return rc;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "packages"))
	{
		rc = spdx_element(r, o, false);
		if (rc)
			return rc;
	}
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "files"))
	{
		rc = spdx_element(r, o, true);
		if (rc)
			return rc;
	}
	return 0;
}

/* An upper bound of the objects cJSON would make, before it makes them:
 * every '{' and '[' counted, inside strings too. */
static size_t containers(const char *text, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += text[i] == '{' || text[i] == '[';
	return n;
}

static const char *doc_format(struct reader *r, const cJSON *doc)
{
	const char *format = str(doc, "bomFormat");
	const char *spec = str(doc, "specVersion");
	const char *spdx = str(doc, "spdxVersion");

	if (format && !strcmp(format, "CycloneDX") && spec &&
	    !strncmp(spec, "1.", 2) && strlen(spec) < 8)
		return bd_arena_printf(r->arena, "CycloneDX %s", spec);
	if (spdx && !strncmp(spdx, "SPDX-2.", 7) && strlen(spdx) < 12)
		return keep(r, spdx);
	return NULL;
}

/* Whether bindep-sbom wrote the document: CycloneDX's metadata.tools
 * (1.5's components, or the older list) names it, or an SPDX creator is
 * "Tool: bindep-sbom-<version>". Such a document is what a run derives,
 * not what the release says: one written into dist/ (-o dist/sbom.json
 * dist/, as pipelines do) was read back on the next run, which then
 * never gave the same bytes twice and kept what was gone. */
static bool ours(const cJSON *doc)
{
	const cJSON *tools = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(doc, "metadata"), "tools");
	const cJSON *creators = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(doc, "creationInfo"),
		"creators");
	const cJSON *list = NULL, *x;

	if (cJSON_IsObject(tools))
		list = cJSON_GetObjectItemCaseSensitive(tools, "components");
	else if (cJSON_IsArray(tools))
		list = tools;
	if (!cJSON_IsArray(list))
		list = NULL;
	if (!cJSON_IsArray(creators))
		creators = NULL;
	cJSON_ArrayForEach(x, list)
	{
		const char *name = str(x, "name");

		if (name && !strcmp(name, BD_PROGRAM))
			return true;
	}
	cJSON_ArrayForEach(x, creators)
	{
		if (cJSON_IsString(x) &&
		    !strncmp(x->valuestring, "Tool: " BD_PROGRAM "-",
			     sizeof("Tool: " BD_PROGRAM "-") - 1))
			return true;
	}
	return false;
}

int bd_carried_parse(struct bd_arena *arena, const char *text, size_t len,
		     struct bd_carried_sbom *s, struct bd_error *err)
{
	struct bd_carried_sbom out = { 0 };
	struct bd_error local;
	struct reader r = { .arena = arena,
			    .s = &out,
			    .err = err ? err : &local };
	cJSON *doc;
	int rc;

	bd_map_init(&r.described);
	bd_map_init(&r.not_shipped);
	bd_map_init(&r.contained);
	err = r.err;
	if (len > BD_CARRIED_MAX_BYTES)
		return bd_error_set(err, BD_ELIMIT, "larger than %u MiB",
				    BD_CARRIED_MAX_BYTES >> 20);
	if (memchr(text, '\0', len) || !bd_utf8_valid(text, len))
		return bd_error_set(err, BD_EFORMAT, "not valid UTF-8 text");
	if (containers(text, len) > BD_CARRIED_MAX_OBJECTS)
		return bd_error_set(err, BD_ELIMIT,
				    "more than %u JSON objects and arrays",
				    BD_CARRIED_MAX_OBJECTS);
	doc = cJSON_ParseWithLength(text, len);
	if (!doc)
		return bd_error_set(err, BD_EFORMAT,
				    "not JSON (or nested "
				    "too deep)");
	rc = cJSON_IsObject(doc) ? 0 : BD_EFORMAT;
	out.format = rc ? NULL : doc_format(&r, doc);
	if (!out.format)
		rc = bd_error_set(err, BD_EFORMAT,
				  "not a CycloneDX or SPDX 2 JSON document");
	else if (ours(doc))
		rc = bd_error_set(err, BD_ENOENT,
				  "written by bindep-sbom, not the release's "
				  "own");
	else if (!strncmp(out.format, "CycloneDX", 9))
		rc = cdx_read(&r, doc);
	else
		rc = spdx_read(&r, doc);
	bd_map_release(&r.described);
	bd_map_release(&r.not_shipped);
	bd_map_release(&r.contained);
	cJSON_Delete(doc);
	if (!rc) {
		/* Into the arena: the array is kept with the strings. */
		struct bd_carried_comp *comps =
			out.ncomps ? bd_arena_alloc(arena,
						    out.ncomps * sizeof(*comps))
				   : NULL;

		if (out.ncomps && !comps)
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
		else if (out.ncomps)
			memcpy(comps, out.comps, out.ncomps * sizeof(*comps));
		if (!rc) {
			s->format = out.format;
			s->comps = comps;
			s->ncomps = out.ncomps;
		}
	}
	free(out.comps);
	return rc;
}

/* ---- merging ----------------------------------------------------------- */

/* The usual library directories of the hosts wheels are built on
 * (manylinux and musllinux images, Debian-like and Red Hat-like ones):
 * where auditwheel copied a grafted library from. */
static const char *const host_dirs[] = {
	"/lib64",
	"/usr/lib64",
	"/lib",
	"/usr/lib",
	"/usr/local/lib",
	"/usr/local/lib64",
	"/lib/x86_64-linux-gnu",
	"/usr/lib/x86_64-linux-gnu",
	"/lib/aarch64-linux-gnu",
	"/usr/lib/aarch64-linux-gnu",
	"/lib/i386-linux-gnu",
	"/usr/lib/i386-linux-gnu",
	"/lib/powerpc64le-linux-gnu",
	"/usr/lib/powerpc64le-linux-gnu",
	"/lib/s390x-linux-gnu",
	"/usr/lib/s390x-linux-gnu",
	"/lib/arm-linux-gnueabihf",
	"/usr/lib/arm-linux-gnueabihf",
};

/* The carrier's files, by hash, path and host path: what a merge adds
 * (facts, components without paths) changes none of them, so they hold
 * for the next SBOM of the carrier. Purls do change (a merge gives one):
 * by_purl is each merge's own. */
struct bd_carried_index {
	bool ready;
	uint32_t carrier;
	char *prefix;
	struct bd_arena keys; /* the maps' keys */
	struct bd_map by_hash, by_path, by_host;
	struct bd_map
		by_static; /* "name@version" -> compiled in (lower case) */
	bool host_ready;
	uint32_t *files; /* the carrier's, in graph order */
	size_t nfiles;
};

struct merge {
	struct bd_graph *g;
	uint32_t carrier;
	const struct bd_carried_sbom *s;
	const char *prefix; /* of the locations of what it describes */
	size_t prefixlen;
	struct bd_arena keys; /* this merge's keys */
	struct bd_map by_purl;
	struct bd_carried_index *x;
	const char *carrier_base; /* purl_base of the carrier's, or NULL */
};

/* PEP 503's fold of a name, in place: each run of '-', '_' and '.' one
 * '-' (the purl already lowercased it). */
static void pep503_fold(char *name)
{
	char *out = name;

	while (*name) {
		if (strchr("-_.", *name)) {
			name += strspn(name, "-_.");
			*out++ = '-';
		} else {
			*out++ = *name++;
		}
	}
	*out = '\0';
}

/* "type/namespace/name@version" of a purl, qualifiers and subpath aside
 * (auditwheel adds "?file_name=" to the wheel's), or NULL. A pypi name is
 * folded as PyPI resolves it: auditwheel names the wheel by its file name
 * (zope_interface), its METADATA says zope.interface, one project. */
static char *purl_base(struct bd_arena *a, const char *purl)
{
	struct bd_purl_parsed p;
	char *out = NULL, *name;

	if (!purl || bd_purl_parse(purl, BD_PURL_LENIENT, &p, NULL))
		return NULL;
	name = bd_arena_strdup(a, p.parts.name);
	if (name && !strcmp(p.parts.type, "pypi"))
		pep503_fold(name);
	if (name)
		out = bd_arena_printf(
			a, "%s/%s/%s@%s", p.parts.type,
			p.parts.namespace ? p.parts.namespace : "", name,
			p.parts.version ? p.parts.version : "");
	bd_purl_parsed_release(&p);
	return out;
}

static int put_first(struct bd_map *m, const char *key, uint32_t id)
{
	uint32_t old;

	if (!key)
		return BD_ENOMEM;
	return bd_map_get(m, key, &old) ? 0 : bd_map_put(m, key, id);
}

/* The path of c inside the carrier ("pkg.libs/x.so"), or NULL. */
static const char *inside_carrier(const struct merge *m,
				  const struct bd_component *c, size_t j)
{
	const char *p = c->paths.items[j];

	return !strncmp(p, m->prefix, m->prefixlen) ? p + m->prefixlen : NULL;
}

static int index_file(struct merge *m, uint32_t id)
{
	const struct bd_component *c = &m->g->comps[id];
	size_t j;
	int rc = 0;

	for (j = 0; j < c->paths.n && !rc; j++) {
		const char *rel = inside_carrier(m, c, j);

		if (rel)
			rc = put_first(&m->x->by_path, rel, id);
	}
	if (!rc && c->sha256[0])
		rc = put_first(&m->x->by_hash,
			       bd_arena_strdup(&m->x->keys, c->sha256), id);
	return rc;
}

/* The purls of the carrier's files as they are now. */
static int index_purls(struct merge *m)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < m->x->nfiles && !rc; i++) {
		const struct bd_component *c = &m->g->comps[m->x->files[i]];
		const char *base =
			c->purl ? purl_base(&m->keys, c->purl) : NULL;

		if (base)
			rc = put_first(&m->by_purl, base, m->x->files[i]);
	}
	return rc;
}

static bool holds(const struct merge *m, const struct bd_component *c)
{
	size_t j;

	/* Every path: a file with the same bytes elsewhere (another wheel
	 * bundling the same library) is one component, and one carrier's
	 * claims must not name it for the others (a wheel's SBOM named the
	 * library of another wheel, down to the SBOM attached to that one). */
	for (j = 0; j < c->paths.n; j++)
		if (!inside_carrier(m, c, j))
			return false;
	return c->paths.n != 0;
}

/* "name@version" of a library compiled in, its name in lower case (an
 * SBOM may say "OpenSSL"), its version as it is ("1.1.1W" is another),
 * in arena a; NULL without both. */
static char *static_key(struct bd_arena *a, const char *name,
			const char *version)
{
	char *key = name && version ? bd_arena_printf(a, "%s@%s", name, version)
				    : NULL;
	size_t i, n = key ? strlen(name) : 0;

	for (i = 0; i < n; i++)
		key[i] = (char)tolower((unsigned char)key[i]);
	return key;
}

/* A library compiled into the carrier's files only, which t names by its
 * name and version: not a file's entry (SPDX files), nor what the
 * document describes (the package, not a library compiled into it). */
static bool static_named(struct merge *m, const struct bd_carried_comp *t,
			 uint32_t *id)
{
	const char *key = t->is_file || t->described
				  ? NULL
				  : static_key(&m->keys, t->name, t->version);

	return key && bd_map_get(&m->x->by_static, key, id);
}

/*
 * The libraries compiled into the carrier's files, by name and version:
 * an SBOM the carrier ships lists them by a purl of its own type
 * (cryptography's pkg:generic/openssl@3.0.16 beside our
 * pkg:github/openssl/openssl@3.0.16), and was a second component of the
 * same library, its CVEs counted twice. Only a library compiled into
 * none but the carrier's files: another's is not its to name (holds).
 * The packages their build used too (a Rust extension's build
 * dependencies, which maturin's SBOM lists beside its crates).
 */
static int index_static(struct merge *m, const bool *held)
{
	const struct bd_graph *g = m->g;
	unsigned char *in = calloc(g->ncomps + 1, 1); /* 1 inside, 2 out */
	size_t i;
	int rc = in ? 0 : BD_ENOMEM;

	for (i = 0; in && i < g->nedges; i++)
		if (g->edges[i].kind == BD_EDGE_STATIC ||
		    g->edges[i].kind == BD_EDGE_BUILD)
			in[g->edges[i].to] |= held[g->edges[i].from] ? 1 : 2;
	for (i = 0; !rc && i < g->ncomps; i++) {
		char *key = in[i] == 1
				    ? static_key(&m->x->keys, g->comps[i].name,
						 g->comps[i].version)
				    : NULL;

		if (key)
			rc = put_first(&m->x->by_static, key, (uint32_t)i);
	}
	free(in);
	return rc;
}

static int index_carrier(struct merge *m)
{
	bool *held = calloc(m->g->ncomps + 1, sizeof(*held));
	size_t i;
	int rc = 0;

	m->x->files = malloc((m->g->ncomps + 1) * sizeof(*m->x->files));
	if (!m->x->files || !held) {
		free(held);
		return BD_ENOMEM;
	}
	for (i = 0; i < m->g->ncomps && !rc; i++) {
		if (i == m->carrier || !holds(m, &m->g->comps[i]))
			continue;
		m->x->files[m->x->nfiles++] = (uint32_t)i;
		held[i] = true;
		rc = index_file(m, (uint32_t)i);
	}
	if (!rc)
		rc = index_static(m, held);
	free(held);
	return rc;
}

/* auditwheel: each grafted file "<stem>-<8 hex>.<rest>" was copied from
 * "<dir>/<stem>.<rest>"; the hash of each such candidate path names it. */
static int index_host_paths(struct merge *m)
{
	struct bd_buf b = BD_BUF_INIT, path = BD_BUF_INIT;
	char hex[BD_SHA256_HEX_LEN + 1];
	size_t i, d, j;
	int rc = 0;

	m->x->host_ready = true;
	for (i = 0; i < m->x->nfiles && !rc; i++) {
		const struct bd_component *c = &m->g->comps[m->x->files[i]];

		for (j = 0; j < c->paths.n && !rc; j++) {
			const char *rel = inside_carrier(m, c, j);
			const char *file = rel ? strrchr(rel, '/') : NULL;

			file = file ? file + 1 : rel;
			if (!file)
				continue;
			bd_buf_reset(&b);
			bd_mapping_strip_hash(file, &b);
			if (!bd_buf_ok(&b))
				rc = BD_ENOMEM;
			for (d = 0; !rc && d < BD_ARRAY_SIZE(host_dirs); d++) {
				bd_buf_reset(&path);
				bd_buf_printf(&path, "%s/%s", host_dirs[d],
					      b.data);
				rc = bd_buf_ok(&path)
					     ? bd_sha256_hex(path.data,
							     path.len, hex)
					     : BD_ENOMEM;
				if (!rc)
					rc = put_first(
						&m->x->by_host,
						bd_arena_strdup(&m->x->keys,
								hex),
						m->x->files[i]);
			}
		}
	}
	bd_buf_release(&b);
	bd_buf_release(&path);
	return rc;
}

static bool lookup_path(struct merge *m, const char *p, uint32_t *id)
{
	char *full;

	if (*m->s->base) {
		full = bd_arena_printf(&m->keys, "%s%s", m->s->base, p);
		if (full && bd_map_get(&m->x->by_path, full, id))
			return true;
	}
	return bd_map_get(&m->x->by_path, p, id);
}

/* Whether what a document describes is of another ecosystem than the
 * carrier: maturin's SBOM in a wheel describes the Rust crate it built
 * (pkg:cargo), not the wheel (pkg:pypi). Merged into the wheel, it gave
 * it the crate's version as a conflict. */
static bool described_elsewhere(const struct merge *m,
				const struct bd_carried_comp *t)
{
	struct bd_purl_parsed ours, theirs;
	const char *purl = m->g->comps[m->carrier].purl;
	bool other = false;

	if (!purl || !t->purl ||
	    bd_purl_parse(purl, BD_PURL_LENIENT, &ours, NULL))
		return false;
	if (!bd_purl_parse(t->purl, BD_PURL_LENIENT, &theirs, NULL)) {
		other = strcmp(ours.parts.type, theirs.parts.type) != 0;
		bd_purl_parsed_release(&theirs);
	}
	bd_purl_parsed_release(&ours);
	return other;
}

/* Ours for theirs: the carrier for what the document describes, else by
 * hash, path, host path, purl. */
static int match(struct merge *m, const struct bd_carried_comp *t, uint32_t *id,
		 bool *found)
{
	const char *base;
	size_t i;
	int rc;

	*found = true;
	if (t->described && !described_elsewhere(m, t))
		return *id = m->carrier, 0;
	if (t->sha256[0] && bd_map_get(&m->x->by_hash, t->sha256, id))
		return 0;
	for (i = 0; i < t->npaths; i++)
		if (lookup_path(m, t->paths[i], id))
			return 0;
	if (t->host_path_hash && !m->x->host_ready) {
		rc = index_host_paths(m);
		if (rc)
			return rc;
	}
	if (t->host_path_hash &&
	    bd_map_get(&m->x->by_host, t->host_path_hash, id))
		return 0;
	base = purl_base(&m->keys, t->purl);
	if (base && bd_map_get(&m->by_purl, base, id))
		return 0;
	/* The carrier itself, listed without being said to be what the
	 * document describes (no metadata.component): it, not a second
	 * component of it that it would hold. */
	if (base && m->carrier_base && !strcmp(base, m->carrier_base))
		return *id = m->carrier, 0;
	/* A library compiled in, under their purl's type. */
	if (static_named(m, t, id))
		return 0;
	*found = false;
	return 0;
}

/* -- what a match gets -- */

/* A property of what they say: the value alone (a purl stays a purl for
 * the consumers that read it as one); bindep:embedded-sbom says where.
 * At most BD_CARRIED_MAX_PROPS, the last saying more were dropped: each
 * is checked against those kept, and a hostile SBOM's 20000 entries
 * naming one file made that quadratic (8 s for one 4 MiB SBOM). */
static int declare(struct merge *m, uint32_t id, const char *name,
		   const char *value)
{
	struct bd_carried_facts *f = m->g->comps[id].carried;
	const char *v;
	size_t i;

	if (f->nprops >= BD_CARRIED_MAX_PROPS)
		return 0;
	for (i = 0; i < f->nprops; i++)
		if (!strcmp(f->props[i].key, name) &&
		    !strcmp(f->props[i].value, value))
			return 0;
	if (f->nprops == BD_CARRIED_MAX_PROPS - 1) {
		name = "bindep:embedded:truncated";
		value = "true";
	}
	v = bd_graph_strdup(m->g, value);
	if (!v || BD_GROW(f->props, f->aprops, f->nprops + 1))
		return BD_ENOMEM;
	f->props[f->nprops++] = (struct bd_kv){ name, v };
	return 0;
}

/* A field we concluded too: their statement corroborates it; one we did
 * not: theirs, by attestation. */
static void attest(struct merge *m, struct bd_component *c, const char *field,
		   const char *value, bool taken)
{
	struct bd_identity *f = bd_graph_identity(c, field);

	if (f && !taken) {
		if (!f->attested)
			f->attested = m->s->location;
		return;
	}
	if (f || c->nids >= BD_MAX_IDENTITY)
		return;
	c->ids[c->nids++] =
		(struct bd_identity){ field,	      value, "attestation",
				      m->s->location, 0.9,   NULL };
}

/* ident.c's fallback for a language package's own file, or a Go
 * program's (ident_go.c): purl and version are the package's, or the
 * main module's. */
static void drop_bundle_identity(struct bd_component *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nids; i++)
		if (strcmp(c->ids[i].field, "purl") &&
		    strcmp(c->ids[i].field, "version"))
			c->ids[n++] = c->ids[i];
	c->nids = n;
	c->purl = NULL;
	c->version = NULL;
	c->go_main = false;
}

static int merge_purl(struct merge *m, uint32_t id,
		      const struct bd_carried_comp *t)
{
	struct bd_component *c = &m->g->comps[id];
	const char *ours, *theirs;

	if (!t->purl)
		return 0;
	theirs = purl_base(&m->keys, t->purl);
	ours = c->purl ? purl_base(&m->keys, c->purl) : NULL;
	if (!theirs)
		return declare(m, id, "bindep:embedded:purl", t->purl);
	if (ours && !strcmp(ours, theirs)) {
		attest(m, c, "purl", c->purl, false);
		return strcmp(c->purl, t->purl)
			       ? declare(m, id, "bindep:embedded:purl", t->purl)
			       : 0;
	}
	/* Ours is only the package the file ships in, or the Go module it
	 * was built from (ident_go.c): its version was the package's or the
	 * module's too, and goes with it. The module is then compiled into
	 * the program, as into one a package owns: its purl is no less a
	 * fact of the file for theirs naming the program. */
	if (c->purl && c->go_main) {
		drop_bundle_identity(c);
		if (bd_ident_go_main_compiled_in(m->g, id))
			return BD_ENOMEM;
		c = &m->g->comps[id];
	} else if (c->purl && c->purl == c->bundled_in &&
		   c->kind != BD_COMP_ARTIFACT) {
		drop_bundle_identity(c);
	}
	if (c->purl)
		return declare(m, id, "bindep:embedded:purl", t->purl);
	c->purl = bd_graph_strdup(m->g, t->purl);
	if (!c->purl)
		return BD_ENOMEM;
	attest(m, c, "purl", c->purl, true);
	return 0;
}

static int merge_version(struct merge *m, uint32_t id,
			 const struct bd_carried_comp *t)
{
	struct bd_component *c = &m->g->comps[id];

	if (!t->version)
		return 0;
	if (!c->version) {
		c->version = bd_graph_strdup(m->g, t->version);
		if (!c->version)
			return BD_ENOMEM;
		attest(m, c, "version", c->version, true);
		return 0;
	}
	if (!strcmp(c->version, t->version)) {
		attest(m, c, "version", c->version, false);
		return 0;
	}
	/* Never resolved silently (issue 16): ours stays, theirs is said. */
	return declare(m, id, "bindep:conflict:version", t->version);
}

/* Whether the licence is one of those c's own strings stated, which
 * disagree (ident.c): said as a conflict already. By meaning, as
 * merge_license compares. */
static bool stated_conflict(const struct bd_component *c, const char *license)
{
	size_t i;

	for (i = 0; i < c->nlicense_conflicts; i++)
		if (bd_license_same(c->license_conflicts[i], license))
			return true;
	return false;
}

static int merge_license(struct merge *m, uint32_t id,
			 const struct bd_carried_comp *t)
{
	struct bd_component *c = &m->g->comps[id];
	int rc = 0;

	if (t->license && !c->license) {
		c->license = bd_graph_strdup(m->g, t->license);
		c->license_concluded = t->license_concluded;
		rc = c->license ? 0 : BD_ENOMEM;
	} else if (t->license &&
		   /* By meaning: "BSD-3-Clause AND MIT" is no conflict with
		    * ours "MIT AND BSD-3-Clause" (SPDX 2.3 D.4). */
		   !bd_license_same(c->license, t->license) &&
		   !stated_conflict(c, t->license)) {
		rc = declare(m, id, "bindep:conflict:license", t->license);
	}
	if (!rc && t->license_other)
		rc = declare(m, id, "bindep:embedded:license",
			     t->license_other);
	return rc;
}

static int merge_facts(struct merge *m, uint32_t id,
		       const struct bd_carried_comp *t)
{
	struct bd_component *c = &m->g->comps[id];
	int rc;

	/* The graph owns it (bd_graph_release). */
	if (!c->carried)
		c->carried = calloc(1, sizeof(*c->carried));
	if (!c->carried)
		return BD_ENOMEM;
	rc = bd_graph_list_add(m->g, &c->carried->in, m->s->location);
	if (!rc)
		rc = merge_purl(m, id, t);
	if (!rc)
		rc = merge_version(m, id, t);
	if (!rc)
		rc = merge_license(m, id, t);
	c = &m->g->comps[id];
	if (!rc && t->name && c->name && strcmp(t->name, c->name))
		rc = declare(m, id, "bindep:embedded:name", t->name);
	if (!rc && t->sha256[0] && c->sha256[0] && strcmp(t->sha256, c->sha256))
		rc = declare(m, id, "bindep:conflict:sha256", t->sha256);
	if (!rc && t->supplier && !c->carried->supplier) {
		c->carried->supplier = bd_graph_strdup(m->g, t->supplier);
		rc = c->carried->supplier ? 0 : BD_ENOMEM;
	}
	return rc;
}

/* -- what only they describe -- */

/* One component per purl, whichever SBOMs describe it (two wheels carry
 * the same library); without a purl, one per SBOM entry. */
static int add_declared(struct merge *m, size_t index,
			const struct bd_carried_comp *t, uint32_t *out)
{
	struct bd_component *c;
	char *key = t->purl ? bd_arena_printf(&m->keys, "declared:%s", t->purl)
			    : bd_arena_printf(&m->keys, "declared:%s#%zu",
					      m->s->location, index);
	uint32_t id;
	int rc = 0;

	if (!key)
		return BD_ENOMEM;
	if (!bd_graph_find(m->g, key, &id)) {
		rc = bd_graph_add(m->g, key, BD_COMP_DECLARED, &id);
		if (rc)
			return rc;
		c = &m->g->comps[id];
		c->name = bd_graph_strdup(m->g, t->name	  ? t->name
						: t->purl ? t->purl
							  : "(unnamed)");
		if (!c->name)
			return BD_ENOMEM;
		memcpy(c->sha256, t->sha256, sizeof(c->sha256));
		attest(m, c, "name", c->name, true);
	}
	*out = id;
	rc = merge_facts(m, id, t);
	/* Without a carrier (a directory given as input), the described
	 * target holds it, as it holds what was walked. */
	if (!rc && m->carrier == UINT32_MAX)
		m->g->comps[id].is_input = true;
	if (rc || m->carrier == UINT32_MAX)
		return rc;
	/* Not bd_graph_add_edge: its look-back over the carrier's edges made
	 * 320000 components only 16 SBOMs list take 16 s; bd_graph_sort,
	 * next after the merge (main.c), drops the duplicates. */
	return bd_graph_append_edge(m->g, m->carrier, id, BD_EDGE_CONTAINS);
}

struct bd_carried_index *bd_carried_index_new(void)
{
	return calloc(1, sizeof(struct bd_carried_index));
}

static void index_clear(struct bd_carried_index *x)
{
	if (x->ready) {
		free(x->files);
		free(x->prefix);
		bd_map_release(&x->by_host);
		bd_map_release(&x->by_static);
		bd_map_release(&x->by_path);
		bd_map_release(&x->by_hash);
		bd_arena_release(&x->keys);
	}
	memset(x, 0, sizeof(*x));
}

void bd_carried_index_free(struct bd_carried_index *x)
{
	if (x)
		index_clear(x);
	free(x);
}

/* The carrier's index: x's when it is of this carrier and prefix, else
 * made again. */
static int carrier_index(struct merge *m)
{
	struct bd_carried_index *x = m->x;

	if (x->ready && x->carrier == m->carrier &&
	    !strcmp(x->prefix, m->prefix))
		return 0;
	index_clear(x);
	x->ready = true;
	x->carrier = m->carrier;
	bd_arena_init(&x->keys);
	bd_map_init(&x->by_hash);
	bd_map_init(&x->by_path);
	bd_map_init(&x->by_host);
	bd_map_init(&x->by_static);
	x->prefix = strdup(m->prefix);
	if (!x->prefix)
		return BD_ENOMEM;
	return index_carrier(m);
}

/* The purls of their entries that name a library compiled in, to it,
 * before the entries are merged: another entry under the same purl and
 * another name ("libcrypto" beside "openssl"), before or after, is the
 * same library, whatever their order. */
static int index_static_purls(struct merge *m)
{
	size_t i;
	uint32_t id;
	int rc = 0;

	for (i = 0; i < m->s->ncomps && !rc; i++) {
		const struct bd_carried_comp *t = &m->s->comps[i];
		const char *base = static_named(m, t, &id)
					   ? purl_base(&m->keys, t->purl)
					   : NULL;

		if (base)
			rc = put_first(&m->by_purl, base, id);
	}
	return rc;
}

int bd_carried_merge_indexed(struct bd_graph *g, uint32_t carrier,
			     const char *prefix,
			     const struct bd_carried_sbom *s,
			     struct bd_carried_index *x)
{
	struct merge m = { .g = g,
			   .carrier = carrier,
			   .s = s,
			   .prefix = prefix,
			   .prefixlen = strlen(prefix),
			   .x = x };
	size_t i;
	int rc;

	bd_arena_init(&m.keys);
	bd_map_init(&m.by_purl);
	if (carrier != UINT32_MAX && g->comps[carrier].purl)
		m.carrier_base = purl_base(&m.keys, g->comps[carrier].purl);
	rc = carrier_index(&m);
	if (rc)
		index_clear(x); /* half made: made again next time */
	else
		rc = index_purls(&m);
	if (!rc)
		rc = index_static_purls(&m);
	for (i = 0; i < s->ncomps && !rc; i++) {
		const struct bd_carried_comp *t = &s->comps[i];
		const char *base;
		uint32_t id = 0;
		bool found;

		/* Without a carrier (a directory given as input), what it
		 * describes is the run's target, or a package whose files
		 * were walked: neither is one component of ours. */
		if (t->described && carrier == UINT32_MAX)
			continue;
		rc = match(&m, t, &id, &found);
		if (!rc && found)
			rc = merge_facts(&m, id, t);
		else if (!rc && !t->is_file && !t->not_shipped)
			rc = add_declared(&m, i, t, &id);
		/* Their own duplicates (one library listed twice) meet it. */
		base = !rc && !found && !t->is_file && !t->not_shipped
			       ? purl_base(&m.keys, t->purl)
			       : NULL;
		if (base)
			rc = put_first(&m.by_purl, base, id);
	}
	bd_map_release(&m.by_purl);
	bd_arena_release(&m.keys);
	return rc;
}

int bd_carried_merge(struct bd_graph *g, uint32_t carrier, const char *prefix,
		     const struct bd_carried_sbom *s)
{
	struct bd_carried_index *x = bd_carried_index_new();
	int rc = x ? bd_carried_merge_indexed(g, carrier, prefix, s, x)
		   : BD_ENOMEM;

	bd_carried_index_free(x);
	return rc;
}
