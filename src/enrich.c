/* SPDX-License-Identifier: MIT */
#include "bindep/enrich.h"
#include "bindep/utf8.h"
#include "bindep/license.h"
#include "bindep/fetch.h"
#include "bindep/map.h"
#include "bindep/purl.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BULK_MAX 100 /* purls per bulk_lookup (the API's limit) */

enum lookup_kind { L_BULK, L_DISTRO, L_REPO, L_OWNER };

/* What one record of an answer (a package) gives, made once and shared
 * by every component it is applied to: the strings are the graph's
 * (arena), the arrays malloc'd. */
struct record {
	bool made, license_made;
	const char *license, *license_text; /* NULL: none */
	const char *repo, *home;	    /* URLs that passed url_ok */
	const char *from;		    /* for bindep:online-source */
	const char **funding, **people;	    /* URLs, "login <url>" */
	size_t nfunding, npeople;
	size_t bad_urls; /* left out, counted for each component */
};

/* A bulk answer's records by what match_bulk asks for, made once: a walk
 * through every record for each component was components x records
 * (2,000 x 60,000: 18 s). Values index items. */
struct bulk_index {
	const cJSON **items;
	double *deps;	     /* each item's dependent_repos_count, else 0 */
	struct bd_map purls; /* versionless purl -> the first record of it */
	struct bd_map repos; /* repo_key -> the most depended-upon record */
	char **keys;	     /* the maps' keys (they copy none) */
	size_t nkeys;
};

struct lookup {
	enum lookup_kind kind;
	char *url, *post; /* the request */
	char *subject;	  /* the distro package, repository or owner path */
	cJSON *answer;	  /* a valid answer, NULL when none */
	bool failed;
	struct record *records; /* one per element of an array answer */
	size_t nrecords;
	struct bulk_index *index; /* L_BULK: made by apply_bulk */
	/* L_DISTRO: the first record named as the subject's package, found
	 * once for every component of that source (searched: true). */
	bool searched;
	const cJSON *named;
	size_t named_at;
};

/* Lookups that failed the same way (the same reason, an expired answer
 * used or not): the first is said in full, the others counted. */
struct failure {
	char *why, *first; /* the reason, the first lookup's URL */
	bool stale;	   /* an expired answer was used */
	size_t more;	   /* failed so after the first */
};

struct enricher {
	struct bd_graph *g;
	const struct bd_enrich_options *o;
	const struct bd_diag *diag;
	struct bd_enrich_stats *stats;
	struct lookup *ls;
	size_t n, alloc;
	bool cache_warned;
	size_t bad_urls;    /* URLs of the answers left out (bd_url_ok) */
	size_t over_list;   /* links or maintainers past BD_ENRICH_MAX_LIST */
	size_t long_text;   /* strings past BD_ENRICH_MAX_TEXT */
	size_t values_left; /* of BD_ENRICH_MAX_RUN_VALUES */
	unsigned failing;   /* lookups in a row that failed */
	long long paused_until;	  /* after a 429: bd_fetch_options */
	size_t not_asked;	  /* lookups not asked: too many failed */
	struct failure *failures; /* the kinds of failure met, in order */
	size_t nfailures;
	size_t not_asked_stale; /* of them, those an expired answer stood for */
	long long deadline;	/* the stage's: bd_fetch_options */
	size_t late, late_stale; /* not asked: past it (expired answer used) */
};

/* ---- strings ------------------------------------------------------------ */

/* RFC 3986 percent-encoding of a query value or path segment. */
static void add_escaped(struct bd_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || strchr("-._~", ch))
			bd_buf_addc(b, (char)ch);
		else
			bd_buf_printf(b, "%%%02X", ch);
	}
}

/* "pkg:github/madler/zlib@1.2.13?x=y" -> "pkg:github/madler/zlib": lookups
 * ignore version and qualifiers. A canonical purl has its only '@' before
 * the version (the npm scope's is encoded). Its case is kept: the purl is
 * canonical already (the types that are not case-sensitive lowercased),
 * and where a type is case-sensitive the name is another package in
 * another case (purl-spec types/npm-definition.json: "JSONStream" is not
 * "jsonstream"), which ecosyste.ms looks up as it is written. */
static char *versionless(const char *purl)
{
	return strndup(purl, strcspn(purl, "@?#"));
}

/* "https://GitHub.com/Madler/zlib.git/" -> "https://github.com/madler/zlib" */
static char *repo_key(const char *url)
{
	size_t len = strlen(url);
	char *s;

	while (len && url[len - 1] == '/')
		len--;
	if (len > 4 && !strncmp(url + len - 4, ".git", 4))
		len -= 4;
	s = malloc(len + 1);
	if (s) {
		for (size_t i = 0; i < len; i++)
			s[i] = (char)tolower((unsigned char)url[i]);
		s[len] = '\0';
	}
	return s;
}

/* For cJSON_ArrayForEach: the array, or NULL to loop zero times. */
static const cJSON *array_or_null(const cJSON *a)
{
	return cJSON_IsArray(a) ? a : NULL;
}

static const cJSON *object_or_null(const cJSON *o)
{
	return cJSON_IsObject(o) ? o : NULL;
}

static const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* ---- lookups ------------------------------------------------------------ */

static struct lookup *find_lookup(struct enricher *e, enum lookup_kind kind,
				  const char *subject)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		if (e->ls[i].kind == kind && e->ls[i].subject &&
		    !strcmp(e->ls[i].subject, subject))
			return &e->ls[i];
	}
	return NULL;
}

static struct lookup *add_lookup(struct enricher *e, enum lookup_kind kind,
				 struct bd_buf *url, char *post,
				 const char *subject)
{
	struct lookup *l;

	if (!bd_buf_ok(url) || BD_GROW(e->ls, e->alloc, e->n + 1)) {
		free(post);
		bd_buf_release(url);
		return NULL;
	}
	l = &e->ls[e->n];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->url = bd_buf_detach(url, NULL);
	l->post = post;
	l->subject = subject ? strdup(subject) : NULL;
	if (!l->url || (subject && !l->subject)) {
		free(l->url);
		free(l->post);
		free(l->subject);
		return NULL;
	}
	e->n++;
	return l;
}

static void free_index(struct bulk_index *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->nkeys; i++)
		free(x->keys[i]);
	free(x->keys);
	free(x->items);
	free(x->deps);
	bd_map_release(&x->purls);
	bd_map_release(&x->repos);
	free(x);
}

static void free_lookups(struct enricher *e)
{
	size_t i, k;

	for (i = 0; i < e->n; i++) {
		free_index(e->ls[i].index);
		for (k = 0; k < e->ls[i].nrecords; k++) {
			free(e->ls[i].records[k].funding);
			free(e->ls[i].records[k].people);
		}
		free(e->ls[i].records);
		free(e->ls[i].url);
		free(e->ls[i].post);
		free(e->ls[i].subject);
		cJSON_Delete(e->ls[i].answer);
	}
	free(e->ls);
}

/* ---- one round: the cache, then the network --------------------------- */

/* What the JSON of a lookup's answer opens with. */
static char valid_shape_char(const struct lookup *l)
{
	return l->kind == L_BULK || l->kind == L_DISTRO ? '[' : '{';
}

static bool valid_shape(const struct lookup *l, const cJSON *doc)
{
	return valid_shape_char(l) == '[' ? cJSON_IsArray(doc)
					  : cJSON_IsObject(doc);
}

/* Whether a 404 answers the lookup (nothing known of it): the
 * repositories API's, for a repository or owner it does not know. The
 * packages API answers an unknown package with an empty array
 * (packages-openapi.yaml: 200 and an array, for both lookups), so a 404
 * there is no answer: a wrong --packages-api, a proxy's page. */
static bool not_found_answers(const struct lookup *l)
{
	return l->kind == L_REPO || l->kind == L_OWNER;
}

/* At least as many as the JSON values of text: each but the first follows
 * a ',' or opens with '[' or '{' (strings' commas counted too). */
static size_t values_at_most(const char *text, size_t len)
{
	size_t n = 1, i;

	for (i = 0; i < len; i++)
		n += text[i] == ',' || text[i] == '[' || text[i] == '{';
	return n;
}

/* Parses an answer: 2xx with JSON of the expected shape, or where it
 * answers, 404 (known not to exist). Returns false with why set
 * otherwise. */
static bool take_answer(struct enricher *e, struct lookup *l, long status,
			const struct bd_buf *b, const char **why)
{
	size_t values;
	cJSON *doc;

	if (status == 404 && not_found_answers(l))
		return true;
	if (status < 200 || status > 299) {
		*why = "unexpected HTTP status";
		return false;
	}
	values = values_at_most(b->data ? b->data : "", b->len);
	if (values > BD_ENRICH_MAX_VALUES || values > e->values_left) {
		*why = values > BD_ENRICH_MAX_VALUES
			       ? "the answer holds too many values"
			       : "the run's answers hold too many values";
		return false;
	}
	e->values_left -= values;
	doc = cJSON_ParseWithLength(b->data ? b->data : "", b->len);
	if (!doc) {
		*why = "the answer is not JSON";
		return false;
	}
	if (!valid_shape(l, doc)) {
		cJSON_Delete(doc);
		*why = l->kind == L_BULK || l->kind == L_DISTRO
			       ? "unexpected answer: not a JSON array"
			       : "unexpected answer: not a JSON object";
		return false;
	}
	cJSON_Delete(l->answer);
	l->answer = doc;
	return true;
}

static void store(struct enricher *e, const char *key, long status,
		  const struct bd_buf *body)
{
	struct bd_error err;

	if (bd_cache_put(&e->o->cache, key, status, body, &err) &&
	    !e->cache_warned) {
		e->cache_warned = true;
		bd_diag_report(e->diag, BD_DIAG_WARNING,
			       "%s; answers are not cached", err.msg);
	}
}

/* Whether a failure of this kind was met before (then counted), else
 * kept as the first of its kind: true when it is to be said in full. */
static bool first_of_kind(struct enricher *e, const struct lookup *l,
			  const char *why, bool stale)
{
	struct failure *f;
	size_t i;

	for (i = 0; i < e->nfailures; i++) {
		f = &e->failures[i];
		if (f->stale == stale && !strcmp(f->why, why)) {
			f->more++;
			return false;
		}
	}
	f = realloc(e->failures, (e->nfailures + 1) * sizeof(*f));
	if (!f)
		return true; /* said in full, as before */
	e->failures = f;
	f = &f[e->nfailures];
	f->why = strdup(why);
	f->first = strdup(l->url);
	f->stale = stale;
	f->more = 0;
	if (f->why && f->first)
		e->nfailures++;
	else {
		free(f->why);
		free(f->first);
	}
	return true;
}

/* A request that got no usable answer: the cached one, however old, or a
 * warning naming the lookup; the next ones that fail the same way are
 * counted, said once at the end (say_left_out): the same 403 or 429 for
 * every lookup was one warning each. */
static void failed(struct enricher *e, struct lookup *l, const char *why,
		   const struct bd_buf *stale, long stale_status)
{
	const char *ignored;

	if (stale && take_answer(e, l, stale_status, stale, &ignored)) {
		if (first_of_kind(e, l, why, true))
			bd_diag_report(e->diag, BD_DIAG_WARNING,
				       "ecosyste.ms lookup '%s': %s; using the "
				       "expired cached answer",
				       l->url, why);
		return;
	}
	l->failed = true;
	e->stats->failed++;
	if (first_of_kind(e, l, why, false))
		bd_diag_report(e->diag, BD_DIAG_WARNING,
			       "ecosyste.ms lookup '%s': %s; the SBOM is "
			       "written without it",
			       l->url, why);
}

static void settle(struct enricher *e, struct lookup *l, struct bd_request *r,
		   const char *key, struct bd_buf *stale, long stale_status)
{
	const char *why = r->error;
	char status[64];

	if (!r->rc && take_answer(e, l, r->status, &r->body, &why)) {
		store(e, key, r->status, &r->body);
		return;
	}
	if (!r->rc && why != r->error && r->status &&
	    (r->status < 200 || r->status > 299)) {
		snprintf(status, sizeof(status), "HTTP %ld", r->status);
		why = status;
	}
	/* Not asked (too many failed): counted, said once (say_left_out),
	 * an expired answer still used (and counted apart). */
	if (r->rc == BD_ELIMIT) {
		const char *ignored;

		if (stale_status &&
		    take_answer(e, l, stale_status, stale, &ignored)) {
			if (r->late)
				e->late_stale++;
			else
				e->not_asked_stale++;
			return;
		}
		l->failed = true;
		e->stats->failed++;
		if (r->late)
			e->late++;
		else
			e->not_asked++;
		return;
	}
	failed(e, l, why, stale_status ? stale : NULL, stale_status);
}

struct pending {
	struct bd_request *reqs;
	size_t *which; /* lookup index of each request */
	char (*keys)[65];
	struct bd_buf *stale;
	long *stale_status;
	size_t n;
};

static int check_cache(struct enricher *e, size_t from, struct pending *p)
{
	size_t i;

	for (i = from; i < e->n; i++) {
		struct lookup *l = &e->ls[i];
		size_t k = p->n;
		long status = 0;
		enum bd_cache_result got;
		const char *ignored;

		e->stats->lookups++;
		if (bd_cache_key(l->url, l->post, p->keys[k]))
			return BD_ENOMEM;
		bd_buf_init(&p->stale[k]);
		got = bd_cache_get(&e->o->cache, p->keys[k], &status,
				   &p->stale[k]);
		if (got == BD_CACHE_FRESH &&
		    take_answer(e, l, status, &p->stale[k], &ignored)) {
			e->stats->from_cache++;
			bd_buf_release(&p->stale[k]);
			continue;
		}
		p->stale_status[k] = got == BD_CACHE_EXPIRED ? status : 0;
		memset(&p->reqs[k], 0, sizeof(p->reqs[k]));
		p->reqs[k].url = l->url;
		p->reqs[k].post_json = l->post;
		p->reqs[k].shape = valid_shape_char(l);
		p->reqs[k].not_found_fails = !not_found_answers(l);
		p->which[k] = i;
		p->n++;
	}
	return 0;
}

/* BD_EIO (err set): libcurl could not be loaded or set up. */
static int run_round(struct enricher *e, size_t from, struct bd_error *err)
{
	size_t count = e->n - from, i;
	struct pending p = { calloc(count + 1, sizeof(*p.reqs)),
			     calloc(count + 1, sizeof(*p.which)),
			     calloc(count + 1, sizeof(*p.keys)),
			     calloc(count + 1, sizeof(*p.stale)),
			     calloc(count + 1, sizeof(*p.stale_status)),
			     0 };
	struct bd_fetch_options fo = {
		.user_agent = e->o->user_agent,
		.timeout_ms = e->o->timeout_ms,
		.connect_timeout_ms =
			e->o->timeout_ms < 10000 ? e->o->timeout_ms : 10000,
		.max_parallel = 4, /* "a few requests at once" */
		.max_attempts = 4,
		.max_backoff_ms = 8000,
		.max_failing = BD_ENRICH_MAX_FAILING,
		.failing = &e->failing,
		.paused_until = &e->paused_until,
		.stage_deadline = e->deadline,
	};
	int rc = BD_ENOMEM;

	if (p.reqs && p.which && p.keys && p.stale && p.stale_status)
		rc = check_cache(e, from, &p);
	if (!rc && p.n) {
		rc = bd_fetch_all(p.reqs, p.n, &fo, err);
		e->stats->fetched += p.n;
	}
	for (i = 0; !rc && i < p.n; i++)
		settle(e, &e->ls[p.which[i]], &p.reqs[i], p.keys[i],
		       &p.stale[i], p.stale_status[i]);
	for (i = 0; i < p.n; i++) {
		bd_request_release(&p.reqs[i]);
		bd_buf_release(&p.stale[i]);
	}
	free(p.reqs);
	free(p.which);
	free(p.keys);
	free(p.stale);
	free(p.stale_status);
	return rc;
}

/* ---- round 1: packages -------------------------------------------------- */

/* Go's standard library: a Go toolchain's, no module of the Go proxy
 * that ecosyste.ms indexes (its golang purls are modules'). */
static bool go_stdlib(const char *purl)
{
	static const char stdlib[] = "pkg:golang/stdlib";
	size_t n = sizeof(stdlib) - 1;

	return !strncmp(purl, stdlib, n) && (!purl[n] || purl[n] == '@');
}

/* The purl a component's project is looked up by: its upstream purl, or
 * its own when that is an upstream's (a vendored copy, a language
 * package, a Go module compiled in). Distribution purls are not indexed
 * by ecosyste.ms. */
static const char *lookup_purl(const struct bd_component *c)
{
	static const char *const types[] = { "pkg:github/", "pkg:generic/",
					     "pkg:pypi/",   "pkg:npm/",
					     "pkg:gitlab/", "pkg:cargo/",
					     "pkg:golang/" };
	size_t i;

	if (c->upstream_purl)
		return c->upstream_purl;
	if (c->purl && go_stdlib(c->purl))
		return NULL;
	for (i = 0; c->purl && i < BD_ARRAY_SIZE(types); i++) {
		if (!strncmp(c->purl, types[i], strlen(types[i])))
			return c->purl;
	}
	return NULL;
}

/* The distinct versionless lookup purls, sorted. */
static int wanted_purls(struct enricher *e, char ***out, size_t *n)
{
	char **list = calloc(e->g->ncomps + 1, sizeof(*list));
	size_t i, k = 0;

	if (!list)
		return BD_ENOMEM;
	for (i = 0; i < e->g->ncomps; i++) {
		const char *purl = lookup_purl(&e->g->comps[i]);

		if (purl && !(list[k] = versionless(purl)))
			break;
		k += purl != NULL;
	}
	qsort(list, k, sizeof(*list), bd_cmp_str);
	for (i = 0, *n = 0; i < k; i++) {
		if (*n && !strcmp(list[*n - 1], list[i]))
			free(list[i]);
		else
			list[(*n)++] = list[i];
	}
	*out = list;
	return i == k ? 0 : BD_ENOMEM;
}

static int bulk_lookups(struct enricher *e)
{
	char **purls = NULL;
	size_t n = 0, i, j;
	int rc = wanted_purls(e, &purls, &n);

	for (i = 0; !rc && i < n; i += BULK_MAX) {
		cJSON *body = cJSON_CreateObject();
		cJSON *arr =
			body ? cJSON_AddArrayToObject(body, "purls") : NULL;
		struct bd_buf url = BD_BUF_INIT;
		char *post;

		for (j = i; arr && j < n && j < i + BULK_MAX; j++) {
			cJSON *s = cJSON_CreateString(purls[j]);

			if (!s || !cJSON_AddItemToArray(arr, s)) {
				cJSON_Delete(s);
				arr = NULL;
			}
		}
		post = arr ? cJSON_PrintUnformatted(body) : NULL;
		cJSON_Delete(body);
		bd_buf_printf(&url, "%s/packages/bulk_lookup",
			      e->o->packages_api);
		if (!post || !add_lookup(e, L_BULK, &url, post, NULL))
			rc = BD_ENOMEM;
	}
	for (i = 0; i < n; i++)
		free(purls[i]);
	free(purls);
	return rc;
}

/* debian, ubuntu or alpine, from "pkg:deb/debian/...", else NULL. */
static const char *distro_ecosystem(const struct bd_component *c, char *buf,
				    size_t size)
{
	static const char *const known[] = { "debian", "ubuntu", "alpine" };
	const char *ns, *end;
	size_t i;

	if (!c->purl || (strncmp(c->purl, "pkg:deb/", 8) &&
			 strncmp(c->purl, "pkg:apk/", 8)))
		return NULL;
	ns = c->purl + 8;
	end = strchr(ns, '/');
	for (i = 0; end && i < BD_ARRAY_SIZE(known); i++) {
		if ((size_t)(end - ns) == strlen(known[i]) &&
		    !strncmp(ns, known[i], (size_t)(end - ns))) {
			snprintf(buf, size, "%s", known[i]);
			return buf;
		}
	}
	return NULL;
}

/* The source package, else the binary package's name from the purl,
 * percent-decoded as purl-spec's how-to-parse.md reads each part: the
 * purl's "libsigc%2B%2B-2.0-0v5" is the package libsigc++-2.0-0v5 (the
 * query escapes it again). NULL when the purl does not parse, or the name
 * does not fit in buf (cut, it would name another package). */
static const char *source_name(const struct bd_component *c, char *buf,
			       size_t size)
{
	struct bd_purl_parsed p;
	struct bd_error err;
	bool fits;

	if (c->source_package)
		return c->source_package;
	fits = !bd_purl_parse(c->purl, BD_PURL_LENIENT, &p, &err) &&
	       snprintf(buf, size, "%s", p.parts.name) < (int)size;
	bd_purl_parsed_release(&p);
	return fits ? buf : NULL;
}

static int distro_lookups(struct enricher *e)
{
	char eco[16], namebuf[256], subject[300];
	size_t i;

	for (i = 0; i < e->g->ncomps; i++) {
		const struct bd_component *c = &e->g->comps[i];
		struct bd_buf url = BD_BUF_INIT;
		const char *name;

		if (!distro_ecosystem(c, eco, sizeof(eco)))
			continue;
		name = source_name(c, namebuf, sizeof(namebuf));
		if (!name)
			continue;
		snprintf(subject, sizeof(subject), "%s/%s", eco, name);
		if (find_lookup(e, L_DISTRO, subject))
			continue;
		bd_buf_printf(&url, "%s/packages/lookup?ecosystem=%s&name=",
			      e->o->packages_api, eco);
		add_escaped(&url, name);
		if (!add_lookup(e, L_DISTRO, &url, NULL, subject))
			return BD_ENOMEM;
	}
	return 0;
}

/* ---- applying a package record ------------------------------------------ */

static int add_list(struct enricher *e, struct bd_strlist *l, const char *s)
{
	return s ? bd_graph_list_add(e->g, l, s) : 0;
}

/* A funding link or maintainer: BD_ENRICH_MAX_LIST of them a component. */
static int add_capped(struct enricher *e, struct bd_strlist *l, const char *s)
{
	if (l->n >= BD_ENRICH_MAX_LIST) {
		e->over_list++;
		return 0;
	}
	return add_list(e, l, s);
}

/* The same with a record's string (the arena's, shared). */
static int add_capped_shared(struct enricher *e, struct bd_strlist *l,
			     const char *s)
{
	if (l->n >= BD_ENRICH_MAX_LIST) {
		e->over_list++;
		return 0;
	}
	return bd_graph_list_add_shared(e->g, l, s);
}

/* Whether an answer's URL may go into the SBOM (bd_url_ok, and no longer
 * than BD_ENRICH_MAX_URL): javascript:, a space or a control made
 * CycloneDX's iri-reference and SPDX's locators invalid. */
static bool url_ok(const char *url)
{
	return bd_url_ok(url) && strlen(url) <= BD_ENRICH_MAX_URL;
}

static int add_url(struct enricher *e, struct bd_strlist *l, const char *url)
{
	if (url_ok(url))
		return add_capped(e, l, url);
	e->bad_urls++;
	return 0;
}

/* An identifier from an answer (a login, a name, a purl): kept when at
 * most BD_ENRICH_MAX_TEXT bytes, else left out and counted. */
static bool short_enough(struct enricher *e, const char *s)
{
	if (strlen(s) <= BD_ENRICH_MAX_TEXT)
		return true;
	e->long_text++;
	return false;
}

/* Free text from an answer into the arena, cut to BD_ENRICH_MAX_TEXT
 * bytes between two UTF-8 characters (counted when cut). */
static const char *capped_text(struct enricher *e, const char *s)
{
	size_t len = strlen(s);

	if (len > BD_ENRICH_MAX_TEXT) {
		e->long_text++;
		len = bd_utf8_boundary(s, BD_ENRICH_MAX_TEXT);
	}
	return bd_arena_strndup(&e->g->arena, s, len);
}

/* normalized_licenses, joined with AND: the list does not say how the
 * licences combine, and all of them applying is the cautious reading.
 * Each must be an expression of its own (one that holds OR in
 * parentheses among several); one that is none is left out of it, the
 * answer's text is kept beside. An expression longer than
 * BD_ENRICH_MAX_TEXT is left out. Made once for a record, when a
 * component first needs it. */
static int make_license(struct enricher *e, struct record *r, const cJSON *pkg)
{
	const cJSON *ids =
		cJSON_GetObjectItemCaseSensitive(pkg, "normalized_licenses");
	const cJSON *id;
	const char *text = json_str(pkg, "licenses");
	struct bd_buf b = BD_BUF_INIT;
	bool several;
	int rc = 0;

	r->license_made = true;
	if (!cJSON_IsArray(ids))
		return 0;
	several = ids->child && ids->child->next;
	cJSON_ArrayForEach(id, ids)
	{
		if (cJSON_IsString(id))
			bd_license_add(&b, id->valuestring, several);
	}
	if (!bd_buf_ok(&b))
		rc = BD_ENOMEM;
	else if (b.len && short_enough(e, b.data)) {
		r->license = bd_graph_strdup(e->g, b.data);
		r->license_text = text ? capped_text(e, text) : NULL;
		if (!r->license || (text && !r->license_text))
			rc = BD_ENOMEM;
	}
	bd_buf_release(&b);
	return rc;
}

/* A URL of an answer for the record (the arena's), or NULL: a bad one
 * counted. */
static int record_url(struct enricher *e, struct record *r, const char *url,
		      const char **out)
{
	*out = NULL;
	if (!url)
		return 0;
	if (!url_ok(url)) {
		r->bad_urls++;
		return 0;
	}
	*out = bd_graph_strdup(e->g, url);
	return *out ? 0 : BD_ENOMEM;
}

static int record_add(const char ***list, size_t *n, const char *s)
{
	const char **grown;

	if (!s)
		return BD_ENOMEM;
	grown = realloc(*list, (*n + 1) * sizeof(**list));
	if (!grown)
		return BD_ENOMEM;
	grown[(*n)++] = s;
	*list = grown;
	return 0;
}

static int make_people_and_funding(struct enricher *e, struct record *r,
				   const cJSON *pkg, bool maintainers)
{
	const cJSON *links =
		cJSON_GetObjectItemCaseSensitive(pkg, "funding_links");
	const cJSON *people =
		cJSON_GetObjectItemCaseSensitive(pkg, "maintainers");
	const cJSON *x;
	struct bd_buf who = BD_BUF_INIT;
	const char *url;
	int rc = 0;

	cJSON_ArrayForEach(x, array_or_null(links))
	{
		if (!rc && cJSON_IsString(x) && x->valuestring[0] &&
		    !(rc = record_url(e, r, x->valuestring, &url)) && url)
			rc = record_add(&r->funding, &r->nfunding, url);
	}
	cJSON_ArrayForEach(x, array_or_null(maintainers ? people : NULL))
	{
		const char *id = json_str(x, "login") ? json_str(x, "login")
						      : json_str(x, "name");

		if (!id || rc)
			continue;
		rc = record_url(e, r, json_str(x, "html_url"), &url);
		if (rc || !short_enough(e, id))
			continue;
		bd_buf_reset(&who);
		bd_buf_adds(&who, id);
		if (url)
			bd_buf_printf(&who, " <%s>", url);
		rc = bd_buf_ok(&who)
			     ? record_add(&r->people, &r->npeople,
					  bd_graph_strdup(e->g, who.data))
			     : BD_ENOMEM;
	}
	bd_buf_release(&who);
	return rc;
}

/* The record of the element at index of l's answer, made the first time
 * it is asked for; NULL when memory runs out. */
static struct record *record_of(struct enricher *e, struct lookup *l,
				size_t index, const cJSON *pkg,
				bool maintainers)
{
	struct bd_buf from = BD_BUF_INIT;
	const char *purl = json_str(pkg, "purl");
	struct record *r;
	int rc;

	if (!l->records) {
		l->nrecords = (size_t)cJSON_GetArraySize(l->answer);
		l->records = calloc(l->nrecords + 1, sizeof(*l->records));
		if (!l->records)
			return NULL;
	}
	if (index >= l->nrecords)
		return NULL;
	r = &l->records[index];
	if (r->made)
		return r;
	r->made = true;
	rc = record_url(e, r, json_str(pkg, "repository_url"), &r->repo);
	if (!rc)
		rc = record_url(e, r, json_str(pkg, "homepage"), &r->home);
	if (!rc)
		rc = make_people_and_funding(e, r, pkg, maintainers);
	bd_buf_adds(&from, l->url);
	if (purl && short_enough(e, purl))
		bd_buf_printf(&from, " %s", purl);
	r->from = bd_buf_ok(&from) ? bd_graph_strdup(e->g, from.data) : NULL;
	bd_buf_release(&from);
	return rc || !r->from ? NULL : r;
}

static int apply_package(struct enricher *e, struct bd_component *c,
			 const cJSON *pkg, struct lookup *l, size_t index,
			 bool maintainers)
{
	struct record *r = record_of(e, l, index, pkg, maintainers);
	size_t i;
	int rc = 0;
	/* A licence the package itself declares, an expression or not
	 * (bindep:license-text: UNLICENSED), is its word: an answer for a
	 * package of that name does not replace it. */
	bool declared = c->license || c->license_text;

	if (!r)
		return BD_ENOMEM;
	if (!declared && !r->license_made)
		rc = make_license(e, r, pkg);
	if (!rc && !declared && r->license) {
		c->license = r->license;
		c->license_online = true;
		c->license_text = r->license_text;
	}
	e->bad_urls += r->bad_urls;
	if (!c->repository && r->repo) {
		c->repository = r->repo;
		c->repository_online = true;
	}
	if (!c->homepage && r->home) {
		c->homepage = r->home;
		c->homepage_online = true;
	}
	for (i = 0; !rc && i < r->nfunding; i++)
		rc = add_capped_shared(e, &c->funding, r->funding[i]);
	for (i = 0; !rc && i < r->npeople; i++)
		rc = add_capped_shared(e, &c->maintainers, r->people[i]);
	return rc ? rc
		  : bd_graph_list_add_shared(e->g, &c->online_from, r->from);
}

/* key kept by x (or freed): put as the value i when the map has none
 * for it, or when better (a record more depended upon than the one it
 * has). */
static int index_key(struct bulk_index *x, struct bd_map *m, char *key,
		     uint32_t i, bool by_deps)
{
	uint32_t had;

	if (!key)
		return BD_ENOMEM;
	x->keys[x->nkeys++] = key;
	if (!bd_map_get(m, key, &had) || (by_deps && x->deps[i] > x->deps[had]))
		return bd_map_put(m, key, i);
	return 0;
}

/* The index of a bulk answer (an array): each record's versionless purl,
 * the first record of each kept; each record's repository, the one with
 * the most dependent repositories kept (the first of equals, none of
 * -1 or fewer, as the walk that it replaces chose). */
static int index_bulk(struct lookup *l)
{
	size_t n = (size_t)cJSON_GetArraySize(l->answer);
	struct bulk_index *x = calloc(1, sizeof(*x));
	const cJSON *pkg;
	uint32_t i = 0;
	int rc = 0;

	if (!x)
		return BD_ENOMEM;
	l->index = x;
	bd_map_init(&x->purls);
	bd_map_init(&x->repos);
	x->items = calloc(n + 1, sizeof(*x->items));
	x->deps = calloc(n + 1, sizeof(*x->deps));
	x->keys = calloc(2 * n + 1, sizeof(*x->keys));
	if (!x->items || !x->deps || !x->keys || n > UINT32_MAX)
		return BD_ENOMEM;
	cJSON_ArrayForEach(pkg, l->answer)
	{
		const char *purl = json_str(pkg, "purl");
		const char *url = json_str(pkg, "repository_url");
		const cJSON *deps = cJSON_GetObjectItemCaseSensitive(
			pkg, "dependent_repos_count");

		if (rc || i >= n)
			break;
		x->items[i] = pkg;
		x->deps[i] = cJSON_IsNumber(deps) ? deps->valuedouble : 0;
		if (purl)
			rc = index_key(x, &x->purls, versionless(purl), i,
				       false);
		if (!rc && url && x->deps[i] > -1)
			rc = index_key(x, &x->repos, repo_key(url), i, true);
		i++;
	}
	return rc;
}

/* The record for a purl in a bulk answer: the same purl, else for a
 * GitHub purl the most depended-upon package built from that repository.
 * NULL with *rc set when memory runs out. */
static const cJSON *match_bulk(struct lookup *l, const char *want,
			       size_t *index, int *rc)
{
	char *repo = NULL;
	uint32_t at;
	bool found;

	*index = 0;
	if (!l->index && (*rc = index_bulk(l)))
		return NULL;
	found = bd_map_get(&l->index->purls, want, &at);
	if (!found && !strncmp(want, "pkg:github/", 11)) {
		if (asprintf(&repo, "https://github.com/%s", want + 11) < 0) {
			*rc = BD_ENOMEM;
			return NULL;
		}
		found = bd_map_get(&l->index->repos, repo, &at);
		free(repo);
	}
	if (!found)
		return NULL;
	*index = at;
	return l->index->items[at];
}

static int apply_bulk(struct enricher *e, size_t first, size_t end)
{
	size_t i, k;
	int rc = 0;

	for (i = 0; !rc && i < e->g->ncomps; i++) {
		struct bd_component *c = &e->g->comps[i];
		const char *purl = lookup_purl(c);
		char *want = purl ? versionless(purl) : NULL;
		char *quoted = NULL;

		/* The batch that asked for it: its purl, quoted, in the body.
		 */
		if (want && asprintf(&quoted, "\"%s\"", want) < 0)
			quoted = NULL;
		for (k = first; quoted && !rc && k < end; k++) {
			struct lookup *l = &e->ls[k];
			const cJSON *pkg;
			size_t index;

			if (l->kind != L_BULK || !strstr(l->post, quoted))
				continue;
			if (l->failed)
				c->online_incomplete = true;
			pkg = l->answer ? match_bulk(l, want, &index, &rc)
					: NULL;
			if (pkg)
				rc = apply_package(e, c, pkg, l, index, true);
		}
		if (purl && !quoted)
			rc = BD_ENOMEM;
		free(quoted);
		free(want);
	}
	return rc;
}

/* The distribution's record, for what upstream's did not give. Its
 * maintainers are the distribution's, not the project's: left out. */
static int apply_distro(struct enricher *e)
{
	char eco[16], namebuf[256], subject[300];
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < e->g->ncomps; i++) {
		struct bd_component *c = &e->g->comps[i];
		struct lookup *l;
		const cJSON *pkg, *first = NULL;
		size_t at = 0, index = 0;
		const char *name;
		bool whole;

		if (!distro_ecosystem(c, eco, sizeof(eco)))
			continue;
		name = source_name(c, namebuf, sizeof(namebuf));
		if (!name)
			continue;
		whole = snprintf(subject, sizeof(subject), "%s/%s", eco, name) <
			(int)sizeof(subject);
		l = find_lookup(e, L_DISTRO, subject);
		if (!l)
			continue;
		if (l->failed)
			c->online_incomplete = true;
		/* A whole subject is "<eco>/<name>": every component of the
		 * lookup has this name, and the answer is walked once for
		 * all of them (8,000 packages of one source each walked an
		 * answer of 120,000 records: 15 s). */
		if (whole && l->searched) {
			first = l->named;
			index = l->named_at;
		} else {
			cJSON_ArrayForEach(pkg, array_or_null(l->answer))
			{
				const char *n = json_str(pkg, "name");

				if (n && !strcmp(n, name)) {
					first = pkg;
					index = at;
					break;
				}
				at++;
			}
		}
		if (whole && !l->searched) {
			l->searched = true;
			l->named = first;
			l->named_at = index;
		}
		if (first)
			rc = apply_package(e, c, first, l, index, false);
	}
	return rc;
}

/* ---- rounds 2 and 3: repositories and their owners ------------------- */

static int repo_lookups(struct enricher *e)
{
	size_t i;

	for (i = 0; i < e->g->ncomps; i++) {
		const char *repo = e->g->comps[i].repository;
		struct bd_buf url = BD_BUF_INIT;
		char *key;
		bool known;

		if (!repo || strncmp(repo, "http", 4))
			continue;
		key = repo_key(repo);
		if (!key)
			return BD_ENOMEM;
		known = find_lookup(e, L_REPO, key) != NULL;
		if (!known) {
			bd_buf_printf(&url, "%s/repositories/lookup?url=",
				      e->o->repos_api);
			add_escaped(&url, repo);
		}
		if (!known && !add_lookup(e, L_REPO, &url, NULL, key)) {
			free(key);
			return BD_ENOMEM;
		}
		free(key);
	}
	return 0;
}

/* A host's name as ecosyste.ms spells it ("GitHub", "gitlab.com"): it
 * goes into a request's path as it is, so only letters, digits, '.', '_'
 * and '-', and not "." or ".." (a path out of /hosts/, or a query, was
 * asked for). */
static bool host_name(const char *s, size_t n)
{
	size_t i;

	if (!n || (n <= 2 && !strncmp(s, "..", n)))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

/* The owner of a repository answer, as "<host>/<login>" from its
 * owner_url ".../hosts/GitHub/owners/madler". The request goes to the
 * configured API, wherever owner_url points. */
static bool owner_path(const cJSON *repo, char *out, size_t size)
{
	const char *url = json_str(repo, "owner_url");
	const char *h = url ? strstr(url, "/hosts/") : NULL;
	const char *o = h ? strstr(h + 7, "/owners/") : NULL;
	const char *login = o ? o + 8 : NULL;

	if (!login || !*login || strchr(login, '/') || strchr(login, '?') ||
	    !host_name(h + 7, (size_t)(o - h - 7)))
		return false;
	return snprintf(out, size, "%.*s/%s", (int)(o - h - 7), h + 7, login) <
	       (int)size;
}

static int owner_lookups(struct enricher *e, size_t first, size_t end)
{
	char path[512];
	size_t k;

	for (k = first; k < end; k++) {
		struct bd_buf url = BD_BUF_INIT;
		const char *slash;

		if (e->ls[k].kind != L_REPO || !e->ls[k].answer ||
		    !owner_path(e->ls[k].answer, path, sizeof(path)) ||
		    find_lookup(e, L_OWNER, path))
			continue;
		slash = strchr(path, '/');
		bd_buf_printf(&url, "%s/hosts/", e->o->repos_api);
		bd_buf_add(&url, path, (size_t)(slash - path));
		bd_buf_adds(&url, "/owners/");
		add_escaped(&url, slash + 1);
		if (!add_lookup(e, L_OWNER, &url, NULL, path))
			return BD_ENOMEM;
	}
	return 0;
}

/* FUNDING.yml keys (GitHub's), expanded as ecosyste.ms does. */
static const char *const funding_prefix[][2] = {
	{ "github", "https://github.com/sponsors/" },
	{ "tidelift", "https://tidelift.com/funding/github/" },
	{ "community_bridge", "https://funding.communitybridge.org/projects/" },
	{ "issuehunt", "https://issuehunt.io/r/" },
	{ "open_collective", "https://opencollective.com/" },
	{ "ko_fi", "https://ko-fi.com/" },
	{ "liberapay", "https://liberapay.com/" },
	{ "otechie", "https://otechie.com/" },
	{ "patreon", "https://patreon.com/" },
	{ "polar", "https://polar.sh/" },
	{ "buy_me_a_coffee", "https://buymeacoffee.com/" },
	{ "thanks_dev", "https://thanks.dev/" },
	{ "lfx_crowdfunding",
	  "https://crowdfunding.lfx.linuxfoundation.org/projects/" },
};

static const char *prefix_of(const char *key)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(funding_prefix); i++) {
		if (!strcmp(key, funding_prefix[i][0]))
			return funding_prefix[i][1];
	}
	return ""; /* custom, and keys we do not know: as written */
}

/* One FUNDING.yml value, prefix + name, kept when it makes a URL the SBOM
 * may carry and out has room. */
static int funding_url(struct bd_graph *g, struct bd_strlist *out,
		       const char *prefix, const char *name, size_t *dropped)
{
	char url[BD_ENRICH_MAX_URL + 1];

	if (!*name)
		return 0;
	if (snprintf(url, sizeof(url), "%s%s", prefix, name) >=
		    (int)sizeof(url) ||
	    !bd_url_ok(url) || out->n >= BD_ENRICH_MAX_LIST) {
		(*dropped)++;
		return 0;
	}
	return bd_graph_list_add(g, out, url);
}

int bd_enrich_funding_urls(const struct cJSON *funding, struct bd_graph *g,
			   struct bd_strlist *out, size_t *dropped)
{
	const cJSON *field, *v;
	int rc = 0;

	cJSON_ArrayForEach(field, object_or_null(funding))
	{
		const char *prefix = prefix_of(field->string);

		/* github and custom take lists; the others one name. */
		cJSON_ArrayForEach(v, array_or_null(field))
		{
			if (!rc && cJSON_IsString(v))
				rc = funding_url(g, out, prefix, v->valuestring,
						 dropped);
		}
		if (!rc && cJSON_IsString(field))
			rc = funding_url(g, out, prefix, field->valuestring,
					 dropped);
	}
	return rc;
}

static int apply_repo(struct enricher *e, struct bd_component *c,
		      const struct lookup *repo, const struct lookup *owner)
{
	const cJSON *md, *links, *x;
	int rc = 0;

	if (repo->failed || (owner && owner->failed))
		c->online_incomplete = true;
	if (repo->answer) {
		md = cJSON_GetObjectItemCaseSensitive(repo->answer, "metadata");
		rc = bd_enrich_funding_urls(
			cJSON_GetObjectItemCaseSensitive(md, "funding"), e->g,
			&c->funding, &e->bad_urls);
		if (!rc)
			rc = add_list(e, &c->online_from, repo->url);
	}
	if (!rc && owner && owner->answer) {
		links = cJSON_GetObjectItemCaseSensitive(owner->answer,
							 "funding_links");
		cJSON_ArrayForEach(x, array_or_null(links))
		{
			if (!rc && cJSON_IsString(x) && x->valuestring[0])
				rc = add_url(e, &c->funding, x->valuestring);
		}
		if (!rc)
			rc = add_list(e, &c->online_from, owner->url);
	}
	return rc;
}

static int apply_repos(struct enricher *e)
{
	char path[512];
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < e->g->ncomps; i++) {
		struct bd_component *c = &e->g->comps[i];
		const struct lookup *repo, *owner = NULL;
		char *key;

		if (!c->repository)
			continue;
		key = repo_key(c->repository);
		if (!key)
			return BD_ENOMEM;
		repo = find_lookup(e, L_REPO, key);
		free(key);
		if (!repo)
			continue;
		if (repo->answer &&
		    owner_path(repo->answer, path, sizeof(path)))
			owner = find_lookup(e, L_OWNER, path);
		rc = apply_repo(e, c, repo, owner);
	}
	return rc;
}

/* ---- the stage ---------------------------------------------------------- */

/* The lookups that failed as the first of their kind did. */
static void say_failures(struct enricher *e)
{
	size_t i;

	for (i = 0; i < e->nfailures; i++) {
		const struct failure *f = &e->failures[i];

		if (f->more)
			bd_diag_report(e->diag, BD_DIAG_WARNING,
				       "ecosyste.ms lookup '%s' and %zu more: "
				       "%s; %s",
				       f->first, f->more, f->why,
				       f->stale ? "using the expired cached "
						  "answers"
						: "the SBOM is written without "
						  "them");
		free(f->why);
		free(f->first);
	}
	free(e->failures);
}

/* n lookups not asked once BD_ENRICH_MAX_FAILING in a row failed; stale:
 * an expired cached answer stands for each. */
static void say_not_asked(const struct enricher *e, size_t n, bool stale)
{
	if (!n)
		return;
	bd_diag_report(e->diag, BD_DIAG_WARNING,
		       "%zu ecosyste.ms lookup%s not asked: the %u before %s "
		       "failed; %s",
		       n, n == 1 ? "" : "s", BD_ENRICH_MAX_FAILING,
		       n == 1 ? "it" : "them",
		       !stale	? "the SBOM is written without them"
		       : n == 1 ? "using the expired cached answer"
				: "using the expired cached answers");
}

/* What the answers held that the SBOM does not carry, said once each. */
static void say_left_out(const struct enricher *e)
{
	if (e->bad_urls)
		bd_diag_report(e->diag, BD_DIAG_WARNING,
			       "%zu URL%s in the online answers left out: not "
			       "http(s) URLs of RFC 3986's characters, or "
			       "longer than %u bytes",
			       e->bad_urls, e->bad_urls == 1 ? "" : "s",
			       BD_ENRICH_MAX_URL);
	say_not_asked(e, e->not_asked, false);
	if (e->long_text)
		bd_diag_report(e->diag, BD_DIAG_WARNING,
			       "%zu string%s in the online answers longer than "
			       "%u bytes: licence texts cut there, logins, "
			       "names, purls and licence expressions left out",
			       e->long_text, e->long_text == 1 ? "" : "s",
			       BD_ENRICH_MAX_TEXT);
	say_not_asked(e, e->not_asked_stale, true);
	if (e->late + e->late_stale)
		bd_diag_report(
			e->diag, BD_DIAG_WARNING,
			"%zu ecosyste.ms lookup%s not asked: the online "
			"stage's time limit (%d times --timeout, %ld "
			"s) passed; %s",
			e->late + e->late_stale,
			e->late + e->late_stale == 1 ? "" : "s",
			BD_ENRICH_STAGE_TIMEOUTS,
			e->o->timeout_ms / 1000 * BD_ENRICH_STAGE_TIMEOUTS,
			!e->late	? "using the expired cached answers"
			: e->late_stale ? "the expired cached answers used for "
					  "some, the SBOM is written without "
					  "the others"
					: "the SBOM is written without them");
	if (e->over_list)
		bd_diag_report(e->diag, BD_DIAG_WARNING,
			       "%zu funding links or maintainers in the online "
			       "answers left out: more than %u for one "
			       "component",
			       e->over_list, BD_ENRICH_MAX_LIST);
}

int bd_enrich(struct bd_graph *g, const struct bd_enrich_options *opts,
	      const struct bd_diag *diag, struct bd_enrich_stats *stats,
	      struct bd_error *err)
{
	struct enricher e = { .g = g,
			      .o = opts,
			      .diag = diag,
			      .stats = stats,
			      .values_left = BD_ENRICH_MAX_RUN_VALUES };
	struct bd_error cache_err;
	size_t round2, round3;
	int rc;

	memset(stats, 0, sizeof(*stats));
	e.deadline = bd_fetch_clock_ms() +
		     (long long)opts->timeout_ms * BD_ENRICH_STAGE_TIMEOUTS;
	/* Said once, up front: a cache directory others could write is not
	 * used, even when no answer comes to be stored. */
	if (bd_cache_check(&opts->cache, &cache_err)) {
		e.cache_warned = true;
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "%s; answers are not cached", cache_err.msg);
	}
	rc = bulk_lookups(&e);
	if (!rc)
		rc = distro_lookups(&e);
	if (!rc)
		rc = run_round(&e, 0, err);
	if (!rc)
		rc = apply_bulk(&e, 0, e.n);
	if (!rc)
		rc = apply_distro(&e);
	round2 = e.n;
	if (!rc)
		rc = repo_lookups(&e);
	if (!rc)
		rc = run_round(&e, round2, err);
	round3 = e.n;
	if (!rc)
		rc = owner_lookups(&e, round2, round3);
	if (!rc)
		rc = run_round(&e, round3, err);
	if (!rc)
		rc = apply_repos(&e);
	free_lookups(&e);
	say_failures(&e);
	say_left_out(&e);
	if (rc == BD_EIO)
		return rc; /* said by bd_fetch_all */
	return rc ? bd_error_set(err, rc, "out of memory enriching online") : 0;
}
