/* SPDX-License-Identifier: MIT */
/*
 * The identity of a release artifact from its manifest: the purl of the
 * artifact's own component. One small reader per manifest format, each
 * following that format's own rules; the purl is then built by
 * bd_purl_format() with the purl-spec type's namespace and qualifiers.
 */
#include "bindep/artifact.h"
#include "bindep/license.h"
#include "bindep/purl.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void bd_artifact_id_init(struct bd_artifact_id *id)
{
	memset(id, 0, sizeof(*id));
}

void bd_artifact_id_release(struct bd_artifact_id *id)
{
	bd_buf_release(&id->purl);
	bd_buf_release(&id->name);
	bd_buf_release(&id->version);
	bd_buf_release(&id->arch);
	bd_buf_release(&id->source);
	bd_buf_release(&id->source_version);
	bd_buf_release(&id->license);
	bd_buf_release(&id->license_text);
}

static bool id_ok(const struct bd_artifact_id *id)
{
	return bd_buf_ok(&id->purl) && bd_buf_ok(&id->name) &&
	       bd_buf_ok(&id->version) && bd_buf_ok(&id->arch) &&
	       bd_buf_ok(&id->source) && bd_buf_ok(&id->source_version) &&
	       bd_buf_ok(&id->license) && bd_buf_ok(&id->license_text);
}

/* Hands t to the caller on success; on failure id stays as it was. */
static int commit(struct bd_artifact_id *t, struct bd_artifact_id *id, int rc,
		  struct bd_error *err)
{
	if (!rc && !id_ok(t))
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	if (rc) {
		bd_artifact_id_release(t);
		return rc;
	}
	bd_artifact_id_release(id);
	*id = *t;
	return 0;
}

static int check_text(const char *text, const char *what, struct bd_error *err)
{
	if (!text)
		return bd_error_set(err, BD_EFORMAT, "no %s", what);
	if (strnlen(text, BD_ARTIFACT_MAX_MANIFEST + 1) >
	    BD_ARTIFACT_MAX_MANIFEST)
		return bd_error_set(err, BD_ELIMIT, "%s larger than 4 MiB",
				    what);
	return 0;
}

static int too_long(const char *key, struct bd_error *err)
{
	return bd_error_set(err, BD_ELIMIT, "'%s' field longer than 1 KiB",
			    key);
}

/* Appends a field's value of len bytes, capped at BD_ARTIFACT_MAX_FIELD. */
static int put_field(struct bd_buf *out, const char *v, size_t len,
		     const char *key, struct bd_error *err)
{
	if (out->len + len > BD_ARTIFACT_MAX_FIELD)
		return too_long(key, err);
	bd_buf_add(out, v, len);
	return 0;
}

/*
 * A name or version that goes into a purl: present, and without white
 * space or control characters, which no package type allows in either
 * (a folded header line would otherwise smuggle them in).
 */
static int check_token(const struct bd_buf *v, const char *key,
		       struct bd_error *err)
{
	size_t i;

	if (!v->len)
		return bd_error_set(err, BD_EFORMAT, "no '%s' field", key);
	for (i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->data[i];

		if (c <= 0x20 || c == 0x7f)
			return bd_error_set(err, BD_EFORMAT,
					    "'%s' field holds white space or "
					    "a control character",
					    key);
	}
	return 0;
}

/* A free text field (a jar's Implementation-Title): no control chars. */
static int check_text_field(const struct bd_buf *v, const char *key,
			    struct bd_error *err)
{
	size_t i;

	for (i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->data[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return bd_error_set(err, BD_EFORMAT,
					    "'%s' field holds a control "
					    "character",
					    key);
	}
	return 0;
}

static const char *str_or_null(const struct bd_buf *b)
{
	return b->len ? b->data : NULL;
}

/* The end of the line at p (its '\r\n', '\n', '\r' or the text's end),
 * and where the next line starts. */
static const char *line_end(const char *p, const char **next)
{
	const char *e = p + strcspn(p, "\r\n");

	*next = e;
	if (**next == '\r')
		(*next)++;
	if (**next == '\n')
		(*next)++;
	return e;
}

static bool blank(const char *p, const char *e)
{
	for (; p < e; p++) {
		if (*p != ' ' && *p != '\t')
			return false;
	}
	return true;
}

/*
 * A declared licence, len bytes at v (a NUL ends it): an expression of
 * the SPDX License List's identifiers into t->license, anything else
 * into t->license_text as written. Past BD_ARTIFACT_MAX_FIELD bytes (a
 * licence's whole text where its name belongs) it is left out.
 */
static void declared_license(struct bd_artifact_id *t, const char *v,
			     size_t len)
{
	bd_license_declared(v, len, BD_ARTIFACT_MAX_FIELD, &t->license,
			    &t->license_text);
}

/* ------------------------------------------------------------------ */
/* RFC 822 style headers: METADATA, DEBIAN/control, MANIFEST.MF.        */

enum fold {
	FOLD_RFC822, /* continuation: a line starting with white space,
			kept with it (RFC 822 section 3.1.1 unfolding) */
	FOLD_EMAIL,  /* the same, the headers ending where Python's
			email.parser ends them (Core Metadata), a line of
			white space continuing a value */
	FOLD_JAR,    /* continuation: a line starting with one space,
			joined without it (JAR File Specification) */
};

/* Whether line [p, e) is the header key ("Key:"), case-insensitively as
 * RFC 822 and the JAR specification say; *value is after the colon. */
static bool is_header(const char *p, const char *e, const char *key,
		      const char **value)
{
	size_t klen = strlen(key);

	if ((size_t)(e - p) <= klen || strncasecmp(p, key, klen) ||
	    p[klen] != ':')
		return false;
	*value = p + klen + 1;
	return true;
}

static void trim(const char **v, const char **e)
{
	while (*v < *e && (**v == ' ' || **v == '\t'))
		(*v)++;
	while (*e > *v && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* Drops the white space that ends out after its first mark bytes. */
static void trim_tail(struct bd_buf *out, size_t mark)
{
	while (out->len > mark && (out->data[out->len - 1] == ' ' ||
				   out->data[out->len - 1] == '\t'))
		out->data[--out->len] = '\0';
}

/*
 * A header's value, its first line's part [v, e) and the continuation
 * lines from p on, unfolded into out. A JAR value is split at 72 bytes
 * wherever that falls, and java.util.jar.Attributes.read joins the
 * pieces' bytes as they are (JAR File Specification, "Name-Value pairs
 * and Sections"): a space just before a break is the value's, so only
 * the whole value's end is trimmed.
 */
static int header_value(const char *v, const char *e, const char *p,
			enum fold fold, const char *key, struct bd_buf *out,
			struct bd_error *err)
{
	const char *next, *end = e;
	size_t mark = out->len;

	trim(&v, &e);
	if (fold == FOLD_JAR)
		e = end;
	if (put_field(out, v, (size_t)(e - v), key, err))
		return BD_ELIMIT;
	for (; *p == ' ' || (fold != FOLD_JAR && *p == '\t'); p = next) {
		e = line_end(p, &next);
		if (blank(p, e) && fold == FOLD_RFC822)
			break;
		v = fold == FOLD_JAR ? p + 1 : p;
		if (fold != FOLD_JAR)
			trim(&v, &e);
		if (fold != FOLD_JAR && v < e)
			bd_buf_addc(out, ' ');
		if (put_field(out, v, (size_t)(e - v), key, err))
			return BD_ELIMIT;
	}
	if (fold == FOLD_JAR && bd_buf_ok(out))
		trim_tail(out, mark);
	return 0;
}

/* Whether email.feedparser takes line [p, e) for a header line (its
 * headerRE): "From ", a name of the printable characters but ':' then a
 * ':', or a continuation; the first line that is none starts the body. */
static bool email_header_line(const char *p, const char *e)
{
	if (*p == ' ' || *p == '\t' ||
	    ((size_t)(e - p) >= 5 && !strncmp(p, "From ", 5)))
		return true;
	for (; p < e && *p != ':'; p++) {
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return false;
	}
	return p < e;
}

/* Whether line [p, e) ends the headers: in deb822 one of white space
 * only; in METADATA an empty line or one that is no header line, a line
 * of white space continuing a value as email.parser reads it; in a JAR
 * manifest an empty line, a line of spaces starting with one and so
 * continuing a value too (JAR File Specification: "continuation: SPACE
 * *otherchar newline"). */
static bool headers_end(const char *p, const char *e, enum fold fold)
{
	if (fold == FOLD_RFC822)
		return blank(p, e);
	return p == e || (fold == FOLD_EMAIL && !email_header_line(p, e));
}

/* Drops what out holds after its first mark bytes. */
static void cut(struct bd_buf *out, size_t mark)
{
	if (out->len > mark) {
		out->len = mark;
		out->data[mark] = '\0';
	}
}

/*
 * The header named key in the first paragraph of text (headers end at the
 * first empty line; skip_blank skips empty lines before it, as deb822
 * does), unfolded into out: the first one, but in a JAR manifest the last,
 * as java.util.jar.Attributes.read puts each in its map (a duplicate only
 * warns). Returns 0, BD_ENOENT when there is none, BD_ELIMIT.
 */
static int header_get(const char *text, const char *key, enum fold fold,
		      bool skip_blank, struct bd_buf *out, struct bd_error *err)
{
	const char *p = text, *next, *e, *v;
	size_t mark = out->len;
	int rc = BD_ENOENT;

	while (skip_blank && *p && blank(p, line_end(p, &next)))
		p = next;
	for (; *p; p = next) {
		e = line_end(p, &next);
		if (headers_end(p, e, fold))
			break;
		if (*p == ' ' || *p == '\t' || !is_header(p, e, key, &v))
			continue;
		cut(out, mark);
		rc = header_value(v, e, next, fold, key, out, err);
		if (rc || fold != FOLD_JAR)
			return rc;
	}
	return rc;
}

/* Like header_get; a missing header is no error (out stays empty). */
static int header_opt(const char *text, const char *key, enum fold fold,
		      bool skip_blank, struct bd_buf *out, struct bd_error *err)
{
	int rc = header_get(text, key, fold, skip_blank, out, err);

	return rc == BD_ENOENT ? 0 : rc;
}

/* ------------------------------------------------------------------ */
/* pypi                                                                */

void bd_wheel_name_init(struct bd_wheel_name *w)
{
	memset(w, 0, sizeof(*w));
}

void bd_wheel_name_release(struct bd_wheel_name *w)
{
	bd_buf_release(&w->distribution);
	bd_buf_release(&w->version);
	bd_buf_release(&w->build);
	bd_buf_release(&w->python);
	bd_buf_release(&w->abi);
	bd_buf_release(&w->platform);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !strncasecmp(s + len - n, suffix, n);
}

/* Splits stem on '-' into at most max parts; returns how many there are
 * (max + 1 when more), 0 when a part is empty. */
static size_t split_dash(const char *stem, size_t len, const char **part,
			 size_t *plen, size_t max)
{
	size_t n = 0;
	const char *p = stem, *end = stem + len;

	while (p <= end) {
		const char *dash = memchr(p, '-', (size_t)(end - p));
		size_t l = dash ? (size_t)(dash - p) : (size_t)(end - p);

		if (!l)
			return 0;
		if (n == max)
			return max + 1;
		part[n] = p;
		plen[n++] = l;
		if (!dash)
			break;
		p = dash + 1;
	}
	return n;
}

int bd_artifact_wheel_filename(const char *filename, struct bd_wheel_name *w,
			       struct bd_error *err)
{
	const char *base = filename ? base_name(filename) : "";
	size_t len = strlen(base), n, i;
	const char *part[6];
	size_t plen[6];
	struct bd_wheel_name t;
	struct bd_buf *field[6];

	if (len > BD_ARTIFACT_MAX_FIELD)
		return bd_error_set(err, BD_ELIMIT,
				    "wheel file name longer than 1 KiB");
	if (!ends_with(base, len, ".whl"))
		return bd_error_set(err, BD_EFORMAT, "not a wheel's file name");
	n = split_dash(base, len - 4, part, plen, 6);
	/* PEP 427: the optional build tag starts with a digit. */
	if ((n != 5 && n != 6) ||
	    (n == 6 && !(part[2][0] >= '0' && part[2][0] <= '9')))
		return bd_error_set(err, BD_EFORMAT,
				    "not a wheel's file name "
				    "(name-version[-build]-python-abi-"
				    "platform.whl)");
	bd_wheel_name_init(&t);
	field[0] = &t.distribution;
	field[1] = &t.version;
	field[2] = n == 6 ? &t.build : NULL;
	field[n - 3] = &t.python;
	field[n - 2] = &t.abi;
	field[n - 1] = &t.platform;
	for (i = 0; i < n; i++)
		bd_buf_add(field[i], part[i], plen[i]);
	for (i = 0; i < n; i++) {
		if (!bd_buf_ok(field[i])) {
			bd_wheel_name_release(&t);
			return bd_error_set(err, BD_ENOMEM, "out of memory");
		}
	}
	bd_wheel_name_release(w);
	*w = t;
	return 0;
}

static int make_purl(struct bd_artifact_id *t, const char *type, const char *ns,
		     const char *name, const struct bd_kv *q, size_t nq,
		     struct bd_error *err)
{
	struct bd_purl p = { type, ns, name, str_or_null(&t->version),
			     q,	   nq, NULL };

	return bd_purl_format(&p, &t->purl, err);
}

/*
 * The licence METADATA declares: License-Expression (Core Metadata 2.4,
 * PEP 639: an SPDX expression), else the older free-text License, taken
 * as an expression only when it is one ("MIT"). setuptools writes
 * "UNKNOWN" when none was given.
 */
static void wheel_license(const char *metadata, struct bd_artifact_id *t)
{
	struct bd_buf v = BD_BUF_INIT;
	int rc = header_get(metadata, "License-Expression", FOLD_EMAIL, false,
			    &v, NULL);

	if (rc == BD_ENOENT || (!rc && !v.len))
		rc = header_get(metadata, "License", FOLD_EMAIL, false, &v,
				NULL);
	if (!rc && bd_buf_ok(&v) && strcmp(v.data, "UNKNOWN"))
		declared_license(t, v.data, v.len);
	bd_buf_release(&v);
}

/* Name and Version from METADATA (Core Metadata: RFC 822 headers), and
 * its licence. */
static int wheel_metadata(const char *metadata, struct bd_artifact_id *t,
			  struct bd_error *err)
{
	int rc = check_text(metadata, "METADATA", err);

	if (!rc)
		rc = header_opt(metadata, "Name", FOLD_EMAIL, false, &t->name,
				err);
	if (!rc)
		rc = header_opt(metadata, "Version", FOLD_EMAIL, false,
				&t->version, err);
	if (!rc)
		wheel_license(metadata, t);
	return rc;
}

/* What the file name adds: the platform tag, and what METADATA lacked. */
static int wheel_filename(const char *filename, struct bd_artifact_id *t,
			  struct bd_error *err)
{
	struct bd_wheel_name w;
	struct bd_error e;
	int rc;

	bd_wheel_name_init(&w);
	rc = bd_artifact_wheel_filename(filename, &w, &e);
	if (!rc) {
		bd_buf_add(&t->arch, w.platform.data, w.platform.len);
		if (!t->name.len)
			bd_buf_add(&t->name, w.distribution.data,
				   w.distribution.len);
		if (!t->version.len)
			bd_buf_add(&t->version, w.version.data, w.version.len);
	}
	bd_wheel_name_release(&w);
	/* A file name that is not a wheel's only lacks a fallback. */
	if (rc == BD_EFORMAT || rc == BD_ELIMIT)
		return 0;
	if (rc && err)
		*err = e;
	return rc;
}

int bd_artifact_wheel(const char *metadata, const char *filename,
		      unsigned flags, struct bd_artifact_id *id,
		      struct bd_error *err)
{
	struct bd_artifact_id t;
	int rc = 0;

	bd_artifact_id_init(&t);
	if (metadata)
		rc = wheel_metadata(metadata, &t, err);
	if (!rc && filename)
		rc = wheel_filename(filename, &t, err);
	if (!rc && !metadata && !filename)
		rc = bd_error_set(err, BD_EFORMAT, "no METADATA");
	if (!rc)
		rc = check_token(&t.name, "Name", err);
	if (!rc && (t.version.len || !(flags & BD_ARTIFACT_ANY_VERSION)))
		rc = check_token(&t.version, "Version", err);
	/* The purl builder folds the name as purl-spec's pypi type says. */
	if (!rc)
		rc = make_purl(&t, "pypi", NULL, bd_buf_str(&t.name), NULL, 0,
			       err);
	return commit(&t, id, rc, err);
}

/* ------------------------------------------------------------------ */
/* JSON manifests: npm, conda                                          */

static cJSON *parse_json(const char *json, const char *what,
			 struct bd_error *err, int *rc)
{
	cJSON *root;

	*rc = check_text(json, what, err);
	if (*rc)
		return NULL;
	root = cJSON_Parse(json);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		*rc = bd_error_set(err, BD_EFORMAT, "not a JSON object");
		return NULL;
	}
	return root;
}

/* A member; of duplicates the last, as npm reads package.json
 * (JSON.parse, ECMA-262: a later member replaces an earlier one), where
 * cJSON would return the first: a version only this tool saw. */
static const cJSON *json_member(const cJSON *obj, const char *key)
{
	const cJSON *v = NULL, *m;

	cJSON_ArrayForEach(m, obj)
	{
		if (m->string && !strcmp(m->string, key))
			v = m;
	}
	return v;
}

/* A string member (json_member); a missing or non-string one leaves out
 * empty. */
static int json_get(const cJSON *obj, const char *key, struct bd_buf *out,
		    struct bd_error *err)
{
	const cJSON *v = json_member(obj, key);

	if (!cJSON_IsString(v) || !v->valuestring)
		return 0;
	return put_field(out, v->valuestring, strlen(v->valuestring), key, err);
}

/* "license": a string (npm: an SPDX expression, "UNLICENSED", or "SEE
 * LICENSE IN <file>"; conda: free text), or npm's older {"type": ...}. */
static void json_license(const cJSON *root, struct bd_artifact_id *t)
{
	const cJSON *v = json_member(root, "license");

	if (cJSON_IsObject(v))
		v = json_member(v, "type");
	if (cJSON_IsString(v) && v->valuestring)
		declared_license(t, v->valuestring, strlen(v->valuestring));
}

/* npm's rules for a name (validate-npm-package-name): "name" or
 * "@scope/name", one '/' at most, neither part empty. */
static int npm_split(const char *full, struct bd_buf *scope, const char **name,
		     struct bd_error *err)
{
	const char *slash = strchr(full, '/');
	bool scoped = full[0] == '@';

	if (scoped ? !slash || slash == full + 1 || !slash[1] ||
			     strchr(slash + 1, '/')
		   : slash != NULL)
		return bd_error_set(err, BD_EFORMAT,
				    "'name' field is not an npm package name");
	*name = scoped ? slash + 1 : full;
	if (scoped)
		bd_buf_add(scope, full, (size_t)(slash - full));
	return 0;
}

int bd_artifact_npm(const char *json, unsigned flags, struct bd_artifact_id *id,
		    struct bd_error *err)
{
	struct bd_artifact_id t;
	struct bd_buf scope = BD_BUF_INIT;
	const char *name = NULL;
	int rc;
	cJSON *root = parse_json(json, "package.json", err, &rc);

	bd_artifact_id_init(&t);
	if (!rc)
		rc = json_get(root, "name", &t.name, err);
	if (!rc)
		rc = json_get(root, "version", &t.version, err);
	if (!rc)
		rc = check_token(&t.name, "name", err);
	if (!rc && (t.version.len || !(flags & BD_ARTIFACT_ANY_VERSION)))
		rc = check_token(&t.version, "version", err);
	if (!rc)
		json_license(root, &t);
	if (!rc)
		rc = npm_split(t.name.data, &scope, &name, err);
	/* The scope is the namespace: its '@' is percent-encoded. */
	if (!rc)
		rc = bd_buf_ok(&scope)
			     ? make_purl(&t, "npm", str_or_null(&scope), name,
					 NULL, 0, err)
			     : bd_error_set(err, BD_ENOMEM, "out of memory");
	bd_buf_release(&scope);
	cJSON_Delete(root);
	return commit(&t, id, rc, err);
}

int bd_artifact_conda(const char *json, struct bd_artifact_id *id,
		      struct bd_error *err)
{
	struct bd_artifact_id t;
	struct bd_buf build = BD_BUF_INIT;
	int rc;
	cJSON *root = parse_json(json, "index.json", err, &rc);

	bd_artifact_id_init(&t);
	if (!rc)
		rc = json_get(root, "name", &t.name, err);
	if (!rc)
		rc = json_get(root, "version", &t.version, err);
	if (!rc)
		rc = json_get(root, "build", &build, err);
	if (!rc)
		rc = json_get(root, "subdir", &t.arch, err);
	if (!rc)
		json_license(root, &t);
	if (!rc)
		rc = check_token(&t.name, "name", err);
	if (!rc)
		rc = check_token(&t.version, "version", err);
	if (!rc && build.len)
		rc = check_token(&build, "build", err);
	if (!rc && t.arch.len)
		rc = check_token(&t.arch, "subdir", err);
	if (!rc) {
		/* purl-spec's conda type: build and subdir qualifiers. */
		struct bd_kv q[] = { { "build", bd_buf_str(&build) },
				     { "subdir", bd_buf_str(&t.arch) } };

		rc = bd_buf_ok(&build)
			     ? make_purl(&t, "conda", NULL, t.name.data, q, 2,
					 err)
			     : bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	bd_buf_release(&build);
	cJSON_Delete(root);
	return commit(&t, id, rc, err);
}

/* ------------------------------------------------------------------ */
/* deb, rpm, apk                                                       */

static const char *or_default(const char *vendor, const char *dflt)
{
	return vendor && *vendor ? vendor : dflt;
}

/* "foo" or "foo (1.2-3)" (deb-src-control: Source in a binary package's
 * control names the source package, with its version when it differs). */
static void split_source(const struct bd_buf *src, struct bd_artifact_id *t)
{
	const char *s = bd_buf_str(src);
	size_t n = strcspn(s, " \t(");
	const char *open = strchr(s + n, '('), *close;

	bd_buf_add(&t->source, s, n);
	if (!open)
		return;
	open++;
	open += strspn(open, " \t");
	close = strchr(open, ')');
	if (close) {
		while (close > open && (close[-1] == ' ' || close[-1] == '\t'))
			close--;
		bd_buf_add(&t->source_version, open, (size_t)(close - open));
	}
}

/*
 * A Debian version as dpkg reads it (Policy 5.6.12: the epoch a number, 0
 * when omitted) and writes it in its database (varbufversion,
 * vdew_nonambig): the epoch without leading zeros, and an epoch of 0 not
 * at all unless the rest holds a ':'. "0:1.0" is "1.0", "01:2" is "1:2".
 */
static void deb_version(struct bd_buf *v)
{
	size_t digits = strspn(bd_buf_str(v), "0123456789"), zeros, drop;

	if (!digits || v->data[digits] != ':' || !v->data[digits + 1])
		return;
	zeros = strspn(v->data, "0");
	if (zeros == digits && !strchr(v->data + digits + 1, ':'))
		drop = digits + 1;
	else
		drop = zeros == digits ? zeros - 1 : zeros;
	memmove(v->data, v->data + drop, v->len - drop + 1);
	v->len -= drop;
}

static int deb_fields(const char *control, struct bd_artifact_id *t,
		      struct bd_buf *src, struct bd_error *err)
{
	static const char *const keys[] = { "Package", "Version",
					    "Architecture", "Source" };
	struct bd_buf *out[] = { &t->name, &t->version, &t->arch, src };
	size_t i;
	int rc = check_text(control, "control file", err);

	for (i = 0; !rc && i < BD_ARRAY_SIZE(keys); i++)
		rc = header_opt(control, keys[i], FOLD_RFC822, true, out[i],
				err);
	if (!rc)
		rc = check_token(&t->name, "Package", err);
	if (!rc)
		rc = check_token(&t->version, "Version", err);
	if (!rc && t->arch.len)
		rc = check_token(&t->arch, "Architecture", err);
	if (!rc && src->len)
		rc = check_text_field(src, "Source", err);
	return rc;
}

int bd_artifact_deb(const char *control, const char *vendor,
		    struct bd_artifact_id *id, struct bd_error *err)
{
	struct bd_artifact_id t;
	struct bd_buf src = BD_BUF_INIT;
	int rc;

	bd_artifact_id_init(&t);
	rc = deb_fields(control, &t, &src, err);
	if (!rc) {
		struct bd_kv q[] = { { "arch", bd_buf_str(&t.arch) } };

		split_source(&src, &t);
		deb_version(&t.version);
		deb_version(&t.source_version);
		rc = bd_buf_ok(&src)
			     ? make_purl(&t, "deb",
					 or_default(vendor, "debian"),
					 t.name.data, q, 1, err)
			     : bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	bd_buf_release(&src);
	return commit(&t, id, rc, err);
}

static int put_str(struct bd_buf *out, const char *s, const char *key,
		   struct bd_error *err)
{
	return s ? put_field(out, s, strlen(s), key, err) : 0;
}

/* SOURCERPM "zlib-1.2.11-3.fc40.src.rpm": name-version-release.src.rpm
 * (rpm's own naming, which forbids '-' in version and release). */
static void split_sourcerpm(const char *s, struct bd_artifact_id *t)
{
	size_t len = strlen(s);
	const char *rel, *ver;

	if (ends_with(s, len, ".src.rpm"))
		len -= 8;
	else if (ends_with(s, len, ".nosrc.rpm"))
		len -= 10;
	else
		return;
	rel = memrchr(s, '-', len);
	ver = rel ? memrchr(s, '-', (size_t)(rel - s)) : NULL;
	if (!ver || ver == s)
		return;
	bd_buf_add(&t->source, s, (size_t)(ver - s));
	bd_buf_add(&t->source_version, ver + 1, len - (size_t)(ver + 1 - s));
}

static int rpm_fields(const struct bd_rpm_header *h, struct bd_artifact_id *t,
		      struct bd_buf *release, struct bd_error *err)
{
	int rc = put_str(&t->name, h->name, "Name", err);

	if (!rc)
		rc = put_str(&t->version, h->version, "Version", err);
	if (!rc)
		rc = put_str(release, h->release, "Release", err);
	if (!rc)
		rc = put_str(&t->arch, h->arch, "Arch", err);
	if (!rc && h->sourcerpm && strlen(h->sourcerpm) > BD_ARTIFACT_MAX_FIELD)
		rc = too_long("Sourcerpm", err);
	if (!rc)
		rc = check_token(&t->name, "Name", err);
	if (!rc)
		rc = check_token(&t->version, "Version", err);
	if (!rc)
		rc = check_token(release, "Release", err);
	if (!rc && t->arch.len)
		rc = check_token(&t->arch, "Arch", err);
	return rc;
}

int bd_artifact_rpm(const struct bd_rpm_header *h, const char *vendor,
		    struct bd_artifact_id *id, struct bd_error *err)
{
	struct bd_artifact_id t;
	struct bd_buf release = BD_BUF_INIT;
	char epoch[16] = "";
	int rc;

	bd_artifact_id_init(&t);
	rc = h ? rpm_fields(h, &t, &release, err)
	       : bd_error_set(err, BD_EFORMAT, "no rpm header");
	if (!rc) {
		/* purl-spec's rpm type: version-release, the epoch a
		 * qualifier. */
		struct bd_kv q[] = { { "arch", bd_buf_str(&t.arch) },
				     { "epoch", epoch } };

		if (h->has_epoch)
			snprintf(epoch, sizeof(epoch), "%u",
				 (unsigned)h->epoch);
		bd_buf_addc(&t.version, '-');
		bd_buf_add(&t.version, release.data, release.len);
		if (h->sourcerpm)
			split_sourcerpm(h->sourcerpm, &t);
		/* Fedora's are SPDX expressions since 2022; older ones
		 * ("GPLv2+") are kept as written. */
		if (h->license)
			declared_license(&t, h->license, strlen(h->license));
		rc = bd_buf_ok(&release)
			     ? make_purl(&t, "rpm",
					 or_default(vendor, "fedora"),
					 t.name.data, q, 2, err)
			     : bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	bd_buf_release(&release);
	return commit(&t, id, rc, err);
}

/* The first "key = value" line of a .PKGINFO: the key from the line's
 * first byte, then " = ", as abuild writes it and apk-tools reads it
 * (read_info_line splits a line at its first " = "; a line without one,
 * or a '#' comment, is no field). Returns 0, BD_ENOENT, BD_ELIMIT. */
static int pkginfo_get(const char *text, const char *key, struct bd_buf *out,
		       struct bd_error *err)
{
	size_t klen = strlen(key);
	const char *p, *e, *v, *next;

	for (p = text; *p; p = next) {
		e = line_end(p, &next);
		if ((size_t)(e - p) < klen + 3 || strncmp(p, key, klen) ||
		    strncmp(p + klen, " = ", 3))
			continue;
		v = p + klen + 3;
		trim(&v, &e);
		return put_field(out, v, (size_t)(e - v), key, err);
	}
	return BD_ENOENT;
}

/* .PKGINFO's "license = ..." (abuild: an SPDX expression, older
 * packages' a name of their own). */
static void apk_license(const char *pkginfo, struct bd_artifact_id *t)
{
	struct bd_buf v = BD_BUF_INIT;

	if (!pkginfo_get(pkginfo, "license", &v, NULL) && bd_buf_ok(&v))
		declared_license(t, v.data, v.len);
	bd_buf_release(&v);
}

int bd_artifact_apk(const char *pkginfo, const char *vendor,
		    struct bd_artifact_id *id, struct bd_error *err)
{
	static const char *const keys[] = { "pkgname", "pkgver", "arch",
					    "origin" };
	struct bd_artifact_id t;
	struct bd_buf *out[] = { &t.name, &t.version, &t.arch, &t.source };
	size_t i;
	int rc = check_text(pkginfo, ".PKGINFO", err);

	bd_artifact_id_init(&t);
	for (i = 0; !rc && i < BD_ARRAY_SIZE(keys); i++) {
		rc = pkginfo_get(pkginfo, keys[i], out[i], err);
		if (rc == BD_ENOENT)
			rc = 0;
	}
	if (!rc)
		rc = check_token(&t.name, "pkgname", err);
	if (!rc)
		rc = check_token(&t.version, "pkgver", err);
	if (!rc && t.arch.len)
		rc = check_token(&t.arch, "arch", err);
	if (!rc && t.source.len)
		rc = check_token(&t.source, "origin", err);
	if (!rc)
		apk_license(pkginfo, &t);
	if (!rc) {
		struct bd_kv q[] = { { "arch", bd_buf_str(&t.arch) } };

		rc = make_purl(&t, "apk", or_default(vendor, "alpine"),
			       t.name.data, q, 1, err);
	}
	return commit(&t, id, rc, err);
}

/* ------------------------------------------------------------------ */
/* maven: pom.properties (java.util.Properties.load) and MANIFEST.MF    */

static bool prop_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

static bool eol(char c)
{
	return c == '\n' || c == '\r' || c == '\0';
}

/* Past a line break ("\r\n", "\n" or "\r") at p. */
static const char *skip_break(const char *p)
{
	if (*p == '\r')
		return p[1] == '\n' ? p + 2 : p + 1;
	return *p == '\n' ? p + 1 : p;
}

/* \uXXXX's four hex digits at p, or -1. */
static long hex4(const char *p)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int h = bd_hex_digit(p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t utf8_encode(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* "\uXXXX" at *pp (past the backslash and 'u'): a UTF-16 unit, a
 * surrogate pair joined; a lone surrogate becomes U+FFFD. */
static int prop_unicode(const char **pp, char *out, size_t *n)
{
	long cp = hex4(*pp), lo;

	if (cp < 0)
		return -1;
	*pp += 4;
	if (cp >= 0xd800 && cp <= 0xdbff && (*pp)[0] == '\\' &&
	    (*pp)[1] == 'u' && (lo = hex4(*pp + 2)) >= 0xdc00 && lo <= 0xdfff) {
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		*pp += 6;
	} else if (cp >= 0xd800 && cp <= 0xdfff) {
		cp = 0xfffd;
	}
	*n = utf8_encode((unsigned long)cp, out);
	return 0;
}

/* Byte c as Properties.load(InputStream) reads it, ISO-8859-1: the
 * character of that code, into out as UTF-8. */
static size_t latin1(char c, char *out)
{
	return utf8_encode((unsigned char)c, out);
}

/* The character "\c" stands for: a control character, else c itself. */
static char prop_escape(char c)
{
	return c == 't'	  ? '\t'
	       : c == 'n' ? '\n'
	       : c == 'r' ? '\r'
	       : c == 'f' ? '\f'
			  : c;
}

/*
 * The next character of the logical line at *pp, decoded (Properties.load:
 * "\t", "\n", "\r", "\f", "\uXXXX", "\c" is c; a backslash at a line's end
 * continues it on the next line, whose leading white space is dropped;
 * any other byte is an ISO-8859-1 character). Returns 1 with its UTF-8
 * bytes in out (*escaped when written as an escape), 0 at the end of the
 * logical line (its break consumed), -1 for a malformed \uXXXX.
 */
static int prop_next(const char **pp, char *out, size_t *n, bool *escaped)
{
	const char *p = *pp;

	for (;;) {
		*escaped = false;
		*n = 1;
		if (eol(*p)) {
			*pp = *p ? skip_break(p) : p;
			return 0;
		}
		if (*p != '\\') {
			*n = latin1(*p, out);
			*pp = p + 1;
			return 1;
		}
		p++;
		if (!*p) { /* a trailing backslash at the end is dropped */
			*pp = p;
			return 0;
		}
		if (eol(*p)) {
			p = skip_break(p);
			while (prop_ws(*p))
				p++;
			continue;
		}
		*escaped = true;
		if (*p == 'u') {
			p++;
			if (prop_unicode(&p, out, n))
				return -1;
			*pp = p;
			return 1;
		}
		*n = latin1(prop_escape(*p), out);
		*pp = p + 1;
		return 1;
	}
}

/* Skips white space between a key and its value, continuations too. */
static void prop_skip_ws(const char **pp)
{
	const char *p = *pp;

	for (;;) {
		if (prop_ws(*p)) {
			p++;
		} else if (p[0] == '\\' && (p[1] == '\n' || p[1] == '\r')) {
			p = skip_break(p + 1);
		} else {
			break;
		}
	}
	*pp = p;
}

static int bad_escape(struct bd_error *err)
{
	return bd_error_set(err, BD_EFORMAT, "malformed \\uXXXX escape");
}

/* The key of the logical line at *pp into key (at most cap bytes; *long_key
 * set past that), and past the separator. */
static int prop_key(const char **pp, char *key, size_t cap, size_t *klen,
		    bool *long_key, struct bd_error *err)
{
	char c[4];
	size_t n;
	bool esc;
	int r;

	*klen = 0;
	*long_key = false;
	for (;;) {
		const char *before = *pp;

		r = prop_next(pp, c, &n, &esc);
		if (r < 0)
			return bad_escape(err);
		if (!r) {
			*pp = before; /* the value (empty) ends here too */
			return 0;
		}
		if (!esc && (c[0] == '=' || c[0] == ':'))
			break;
		if (!esc && prop_ws(c[0])) {
			prop_skip_ws(pp);
			if (**pp == '=' || **pp == ':')
				(*pp)++;
			break;
		}
		if (*klen + n > cap)
			*long_key = true;
		else
			memcpy(key + *klen, c, n);
		*klen += *long_key ? 0 : n;
	}
	prop_skip_ws(pp);
	return 0;
}

/* The value up to the end of the logical line; stored when out. */
static int prop_value(const char **pp, struct bd_buf *out, const char *key,
		      struct bd_error *err)
{
	char c[4];
	size_t n;
	bool esc;
	int r;

	while ((r = prop_next(pp, c, &n, &esc)) > 0) {
		if (out && put_field(out, c, n, key, err))
			return BD_ELIMIT;
	}
	return r < 0 ? bad_escape(err) : 0;
}

/* Past blank and comment lines ('#' or '!' first: a comment line never
 * continues). Returns false at the text's end. */
static bool prop_skip_comments(const char **pp)
{
	const char *p = *pp;

	for (;;) {
		while (prop_ws(*p))
			p++;
		if (!*p) {
			*pp = p;
			return false;
		}
		if (*p == '#' || *p == '!') {
			p += strcspn(p, "\r\n");
			p = *p ? skip_break(p) : p;
		} else if (*p == '\r' || *p == '\n') {
			p = skip_break(p);
		} else {
			*pp = p;
			return true;
		}
	}
}

/* The value of the last property named want: Properties.load puts each
 * line's pair in its Hashtable, a later one replacing an earlier. Returns
 * 0, BD_ENOENT, BD_ELIMIT, BD_EFORMAT. */
static int props_get(const char *text, const char *want, struct bd_buf *out,
		     struct bd_error *err)
{
	char key[BD_ARTIFACT_MAX_FIELD];
	size_t klen, wlen = strlen(want), mark = out->len;
	bool long_key, found = false;
	const char *p = text;
	int rc;

	while (prop_skip_comments(&p)) {
		bool match;

		rc = prop_key(&p, key, sizeof(key), &klen, &long_key, err);
		if (rc)
			return rc;
		match = !long_key && klen == wlen && !memcmp(key, want, wlen);
		if (match)
			cut(out, mark);
		rc = prop_value(&p, match ? out : NULL, want, err);
		if (rc)
			return rc;
		found = found || match;
	}
	return found ? 0 : BD_ENOENT;
}

static bool has_slash(const struct bd_buf *b)
{
	return memchr(b->data, '/', b->len) != NULL;
}

int bd_artifact_maven(const char *properties, struct bd_artifact_id *id,
		      struct bd_error *err)
{
	static const char *const keys[] = { "groupId", "artifactId",
					    "version" };
	struct bd_artifact_id t;
	struct bd_buf group = BD_BUF_INIT;
	struct bd_buf *out[] = { &group, &t.name, &t.version };
	size_t i;
	int rc = check_text(properties, "pom.properties", err);

	bd_artifact_id_init(&t);
	for (i = 0; !rc && i < BD_ARRAY_SIZE(keys); i++) {
		rc = props_get(properties, keys[i], out[i], err);
		if (rc == BD_ENOENT)
			rc = 0;
		if (!rc)
			rc = check_token(out[i], keys[i], err);
	}
	/* A '/' would make another namespace or name of the purl. */
	if (!rc && (has_slash(&group) || has_slash(&t.name)))
		rc = bd_error_set(err, BD_EFORMAT,
				  "'groupId' or 'artifactId' holds a '/'");
	if (!rc)
		rc = bd_buf_ok(&group)
			     ? make_purl(&t, "maven", group.data, t.name.data,
					 NULL, 0, err)
			     : bd_error_set(err, BD_ENOMEM, "out of memory");
	bd_buf_release(&group);
	return commit(&t, id, rc, err);
}

/* The first of keys the main section has with a value, into out. */
static int mf_first(const char *mf, const char *const *keys, size_t n,
		    struct bd_buf *out, const char **which,
		    struct bd_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int rc = header_get(mf, keys[i], FOLD_JAR, false, out, err);

		*which = keys[i];
		if (rc != BD_ENOENT && (rc || out->len))
			return rc; /* an empty one is as good as none */
	}
	return 0;
}

int bd_artifact_jar_manifest(const char *manifest, struct bd_artifact_id *id,
			     struct bd_error *err)
{
	/* Bundle-SymbolicName first: an identifier, where
	 * Implementation-Title is often a title ("Apache Commons Lang"). */
	static const char *const names[] = { "Bundle-SymbolicName",
					     "Implementation-Title" };
	static const char *const versions[] = { "Bundle-Version",
						"Implementation-Version" };
	struct bd_artifact_id t;
	const char *which = "Implementation-Title", *semi;
	int rc = check_text(manifest, "MANIFEST.MF", err);

	bd_artifact_id_init(&t);
	if (!rc)
		rc = mf_first(manifest, names, 2, &t.name, &which, err);
	/* OSGi: "org.example.foo;singleton:=true": directives follow. */
	semi = t.name.len ? memchr(t.name.data, ';', t.name.len) : NULL;
	if (semi) {
		t.name.len = (size_t)(semi - t.name.data);
		while (t.name.len && (t.name.data[t.name.len - 1] == ' ' ||
				      t.name.data[t.name.len - 1] == '\t'))
			t.name.len--;
		t.name.data[t.name.len] = '\0';
	}
	/* A manifest that names nothing (what `jar cf` writes: only
	 * Manifest-Version and Created-By) claims nothing, as a plain zip's
	 * absence of one: BD_ENOENT, the caller's to take as no fault. */
	if (!rc && !t.name.len)
		rc = bd_error_set(err, BD_ENOENT,
				  "no 'Bundle-SymbolicName' or "
				  "'Implementation-Title' field");
	if (!rc)
		rc = check_text_field(&t.name, which, err);
	if (!rc)
		rc = mf_first(manifest, versions, 2, &t.version, &which, err);
	if (!rc)
		rc = check_text_field(&t.version, which, err);
	return commit(&t, id, rc, err);
}

/* ------------------------------------------------------------------ */
/* generic: a release tarball's name                                   */

/* Suffixes of a plain tarball, compressed or not. */
static const char *const tar_suffixes[] = {
	".tar.gz",   ".tar.xz", ".tar.bz2", ".tar.zst", ".tar.lz",
	".tar.lzma", ".tar.Z",	".tgz",	    ".txz",	".tbz2",
	".tbz",	     ".tzst",	".tar",
};

static size_t tar_stem(const char *base, size_t len)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(tar_suffixes); i++) {
		if (ends_with(base, len, tar_suffixes[i]))
			return len - strlen(tar_suffixes[i]);
	}
	return 0;
}

/* A version as release tarballs write it: a digit first (after an
 * optional 'v'), then letters, digits, '.', '+', '~' or '_' ("8.5.0",
 * "v1.2.3", "2.0rc1", "1.2.3+dfsg"). */
static bool version_like(const char *s, size_t len)
{
	size_t i = (len > 1 && s[0] == 'v') ? 1 : 0;

	if (i >= len || s[i] < '0' || s[i] > '9')
		return false;
	for (; i < len; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '.' || c == '+' ||
		      c == '~' || c == '_'))
			return false;
	}
	return true;
}

/* Whether stem is "<name>-<version>" and nothing else: the last part a
 * version, no other part one (foo-1.2-3 could be either split), and the
 * name of visible characters only. */
static bool split_generic(const char *stem, size_t len, size_t *name_len)
{
	const char *dash = memrchr(stem, '-', len), *p;
	size_t i;

	if (!dash || dash == stem ||
	    !version_like(dash + 1, len - (size_t)(dash + 1 - stem)))
		return false;
	for (p = stem; p < dash;) {
		const char *d = memchr(p, '-', (size_t)(dash - p));
		size_t l = d ? (size_t)(d - p) : (size_t)(dash - p);

		if (!l || version_like(p, l))
			return false;
		p += l + 1;
	}
	for (i = 0; i < (size_t)(dash - stem); i++) {
		unsigned char c = (unsigned char)stem[i];

		if (c <= 0x20 || c == 0x7f)
			return false;
	}
	*name_len = (size_t)(dash - stem);
	return true;
}

int bd_artifact_generic(const char *filename, struct bd_artifact_id *id,
			struct bd_error *err)
{
	const char *base = filename ? base_name(filename) : "";
	size_t len = strlen(base), stem, nlen;
	struct bd_artifact_id t;
	int rc;

	if (len > BD_ARTIFACT_MAX_FIELD)
		return bd_error_set(err, BD_ELIMIT,
				    "file name longer than 1 KiB");
	stem = tar_stem(base, len);
	if (!stem || !split_generic(base, stem, &nlen))
		return bd_error_set(err, BD_ENOENT,
				    "file name is not name-version");
	bd_artifact_id_init(&t);
	bd_buf_add(&t.name, base, nlen);
	bd_buf_add(&t.version, base + nlen + 1, stem - nlen - 1);
	rc = bd_buf_ok(&t.name)
		     ? make_purl(&t, "generic", NULL, t.name.data, NULL, 0, err)
		     : bd_error_set(err, BD_ENOMEM, "out of memory");
	return commit(&t, id, rc, err);
}
