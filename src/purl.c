/* SPDX-License-Identifier: MIT */
/*
 * Package URLs: the builder and the parser (ECMA-427; purl-spec's
 * docs/specification/how-to-build.md and how-to-parse.md, and the type
 * definitions types/<type>-definition.json). The parser decodes the parts
 * and hands them to the builder, whose checks are the only ones; the
 * canonical string it writes is decoded once more for the parts the caller
 * sees, so that parsed parts and the canonical string always agree.
 */
#include "bindep/purl.h"
#include "bindep/utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- the rules of each type ------------------------------------------- */

enum {
	NS_REQUIRED = 1 << 0,	/* "namespace_definition": "required" */
	NS_PROHIBITED = 1 << 1, /* "prohibited" */
	/* "case_sensitive": false: "the canonical form shall be lowercased" */
	NS_LOWER = 1 << 2,
	NAME_LOWER = 1 << 3,
	VERSION_LOWER = 1 << 4,
	SUBPATH_LOWER = 1 << 5,
	/* pypi-definition.json: "Replace underscore _ with dash -". */
	NAME_DASH = 1 << 6,
};

struct type_rule {
	const char *type;
	unsigned flags;
	const char *required_qualifier;
};

/*
 * Every registered type (purl-spec types/<type>-definition.json, commit
 * 16f3d0e3, August 2026), sorted by name. What they say in prose only is
 * left out: alpm's vercmp(8) version, hackage's kebab-case, pub's and
 * chrome-extension's permitted characters. An unregistered type (gitlab,
 * or the PURL registry's "purl") gets the core rules alone.
 */
static const struct type_rule type_rules[] = {
	{ "alpm", NS_REQUIRED | NS_LOWER | NAME_LOWER, NULL },
	{ "apk", NS_REQUIRED | NS_LOWER | NAME_LOWER, NULL },
	{ "bazel", NS_PROHIBITED, NULL },
	{ "bitbucket", NS_REQUIRED | NS_LOWER | NAME_LOWER, NULL },
	{ "bitnami", NS_PROHIBITED | NAME_LOWER, NULL },
	{ "brew", NS_LOWER | NAME_LOWER, NULL },
	{ "cargo", NS_PROHIBITED, NULL },
	{ "chrome-extension", NS_PROHIBITED | NAME_LOWER, NULL },
	{ "cocoapods", NS_PROHIBITED, NULL },
	{ "composer", NS_REQUIRED | NS_LOWER | NAME_LOWER, NULL },
	{ "conan", 0, NULL },
	{ "conda", NS_PROHIBITED, NULL },
	{ "cpan", 0, NULL },
	{ "cran", NS_PROHIBITED, NULL },
	{ "deb", NS_REQUIRED | NS_LOWER | NAME_LOWER, NULL },
	{ "docker", 0, NULL },
	{ "gem", NS_PROHIBITED, NULL },
	{ "generic", 0, NULL },
	{ "git", NS_REQUIRED, NULL },
	{ "github", NS_REQUIRED | NS_LOWER | NAME_LOWER, NULL },
	{ "golang", NS_REQUIRED, NULL },
	{ "hackage", NS_PROHIBITED, NULL },
	{ "hex", NS_LOWER | NAME_LOWER, NULL },
	{ "huggingface", NS_REQUIRED | VERSION_LOWER, NULL },
	{ "julia", NS_PROHIBITED, "uuid" },
	{ "luarocks", NS_LOWER | NAME_LOWER, NULL },
	{ "maven", NS_REQUIRED, NULL },
	{ "mlflow", NS_PROHIBITED, NULL },
	{ "npm", 0, NULL },
	{ "nuget", NS_PROHIBITED, NULL },
	{ "oci", NS_PROHIBITED | NAME_LOWER | VERSION_LOWER, NULL },
	{ "opam", NS_PROHIBITED, NULL },
	{ "otp", NS_PROHIBITED | NAME_LOWER | SUBPATH_LOWER, NULL },
	{ "pub", NS_PROHIBITED | NAME_LOWER, NULL },
	/* purl-spec: lowercased, '_' as '-'; a '.' stays ("zope.interface"),
	 * as packageurl-js writes it, though PEP 503 folds it for lookups. */
	{ "pypi", NS_PROHIBITED | NAME_LOWER | NAME_DASH | VERSION_LOWER,
	  NULL },
	{ "qpkg", NS_REQUIRED | NS_LOWER, NULL },
	{ "rpm", NS_REQUIRED | NS_LOWER, NULL },
	{ "swid", 0, "tag_id" },
	{ "swift", NS_REQUIRED, NULL },
	{ "vcpkg", NS_PROHIBITED, NULL },
	{ "vscode-extension",
	  NS_REQUIRED | NS_LOWER | NAME_LOWER | VERSION_LOWER, NULL },
	{ "yocto", NS_LOWER, NULL },
};

static int cmp_rule(const void *key, const void *elem)
{
	return strcmp(key, ((const struct type_rule *)elem)->type);
}

static const struct type_rule *rule_of(const char *type)
{
	static const struct type_rule none = { "", 0, NULL };
	const struct type_rule *r =
		bsearch(type, type_rules, BD_ARRAY_SIZE(type_rules),
			sizeof(type_rules[0]), cmp_rule);

	return r ? r : &none;
}

/* ---- characters --------------------------------------------------------- */

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* "Lowercase" is Unicode's full case mapping; only ASCII letters are
 * folded here. The types that fold (above) name packages in ASCII. */
static void fold_lower(char *s)
{
	for (; *s; s++)
		*s = lower(*s);
}

/* The alphanumeric and punctuation characters stay as they are, and so
 * does ':' (purl-spec "Character encoding": it is never encoded, so a
 * Debian epoch stays "1:2.4.47-2" and a digest "sha256:..."). */
static bool keep_char(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
	       c == ':';
}

enum { FOLD_LOWER = 1, FOLD_DASH = 2 };

/* Appends s[0..len) normalised by how (FOLD_*) and percent-encoded. */
static void add_encoded(struct bd_buf *b, const char *s, size_t len,
			unsigned how)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((how & FOLD_DASH) && c == '_')
			c = '-';
		if (how & FOLD_LOWER)
			c = (unsigned char)lower((char)c);
		if (keep_char(c)) {
			bd_buf_addc(b, (char)c);
		} else {
			bd_buf_addc(b, '%');
			bd_buf_addc(b, hex[c >> 4]);
			bd_buf_addc(b, hex[c & 0xf]);
		}
	}
}

/* ---- building ------------------------------------------------------------ */

/* purl-spec "Type": ASCII letters, digits, '.' and '-', starting with a
 * letter ('+', which older texts allowed, is no longer). */
static bool valid_type(const char *t)
{
	if (!is_alpha((unsigned char)*t))
		return false;
	for (; *t; t++) {
		if (!is_alnum((unsigned char)*t) && *t != '.' && *t != '-')
			return false;
	}
	return true;
}

/* purl-spec "Qualifiers": a key is a letter, then letters, digits, '.',
 * '-' and '_', lowercase (checked after folding). */
static bool valid_key(const char *k)
{
	if (!is_alpha((unsigned char)*k))
		return false;
	for (; *k; k++) {
		unsigned char c = (unsigned char)*k;

		if (!is_alnum(c) && c != '.' && c != '-' && c != '_')
			return false;
	}
	return true;
}

/* Whether segment s[0..len) of a '/'-separated path is kept: not empty,
 * and in a subpath not "." or ".." either. */
static bool kept_segment(const char *s, size_t len, bool subpath)
{
	if (!len)
		return false;
	return !subpath || !(len <= 2 && !strncmp(s, "..", len));
}

/* Appends the kept segments of s, each encoded; returns how many. */
static size_t add_segments(struct bd_buf *b, const char *s, bool subpath,
			   unsigned how)
{
	size_t n = 0;

	while (*s) {
		size_t len = strcspn(s, "/");

		if (kept_segment(s, len, subpath)) {
			if (n++)
				bd_buf_addc(b, '/');
			add_encoded(b, s, len, how);
		}
		s += len + (s[len] == '/');
	}
	return n;
}

static size_t count_segments(const char *s, bool subpath)
{
	size_t n = 0;

	while (s && *s) {
		size_t len = strcspn(s, "/");

		n += kept_segment(s, len, subpath);
		s += len + (s[len] == '/');
	}
	return n;
}

static bool utf8_ok(const char *s)
{
	return !s || bd_utf8_valid(s, strlen(s));
}

/* The name without its leading and trailing '/' (how-to-build). */
static const char *strip_slashes(const char *s, size_t *len)
{
	size_t n;

	s += strspn(s, "/");
	n = strlen(s);
	while (n && s[n - 1] == '/')
		n--;
	*len = n;
	return s;
}

/* The qualifiers with a value: "key=value" strings, NUL-separated in b,
 * keys folded and checked. *n is how many. */
static int qualifier_strings(const struct bd_purl *p, struct bd_buf *b,
			     size_t *n, struct bd_error *err)
{
	size_t i;

	*n = 0;
	for (i = 0; i < p->nqualifiers; i++) {
		const struct bd_kv *q = &p->qualifiers[i];
		size_t mark = b->len;

		if (!q->value || !*q->value)
			continue; /* "the same as if no key=value pair" */
		if (!q->key)
			return bd_error_set(err, BD_EFORMAT,
					    "purl qualifier without a key");
		if (++*n > BD_PURL_MAX_QUALIFIERS)
			return bd_error_set(err, BD_ELIMIT,
					    "more than %d purl qualifiers",
					    BD_PURL_MAX_QUALIFIERS);
		bd_buf_adds(b, q->key);
		if (!bd_buf_ok(b))
			return bd_error_set(err, BD_ENOMEM, "out of memory");
		fold_lower(b->data + mark);
		if (!valid_key(b->data + mark))
			return bd_error_set(err, BD_EFORMAT,
					    "purl qualifier key '%.64s' is not "
					    "a letter then letters, digits, "
					    "'.', '-', '_'",
					    b->data + mark);
		if (!utf8_ok(q->value))
			return bd_error_set(err, BD_EFORMAT,
					    "the purl's qualifier '%s' is not "
					    "UTF-8 text",
					    b->data + mark);
		bd_buf_addc(b, '=');
		add_encoded(b, q->value, strlen(q->value), 0);
		bd_buf_add(b, "", 1);
	}
	return bd_buf_ok(b) ? 0 : bd_error_set(err, BD_ENOMEM, "out of memory");
}

/* Sorted ("Sort this list of qualifier strings lexicographically"), each
 * key once; appended after '?'. */
static int add_qualifiers(struct bd_buf *out, const struct bd_purl *p,
			  struct bd_error *err)
{
	struct bd_buf strings = BD_BUF_INIT;
	const char *sorted[BD_PURL_MAX_QUALIFIERS];
	const char *s;
	size_t i, n;
	int rc = qualifier_strings(p, &strings, &n, err);

	for (i = 0, s = strings.data; !rc && i < n; i++, s += strlen(s) + 1)
		sorted[i] = s;
	if (!rc && n)
		qsort(sorted, n, sizeof(sorted[0]), bd_cmp_str);
	for (i = 1; !rc && i < n; i++) {
		size_t klen = strcspn(sorted[i], "=");

		if (!strncmp(sorted[i - 1], sorted[i], klen + 1))
			rc = bd_error_set(
				err, BD_EFORMAT, "purl qualifier '%.*s' twice",
				(int)(klen > 64 ? 64 : klen), sorted[i]);
	}
	for (i = 0; !rc && i < n; i++) {
		bd_buf_addc(out, i ? '&' : '?');
		bd_buf_adds(out, sorted[i]);
	}
	bd_buf_release(&strings);
	return rc;
}

static bool has_qualifier(const struct bd_purl *p, const char *key)
{
	size_t i, len = strlen(key);

	/* Keys fold to lowercase: compare them folded. */
	for (i = 0; i < p->nqualifiers; i++) {
		const struct bd_kv *q = &p->qualifiers[i];
		size_t k;

		if (!q->key || !q->value || !*q->value || strlen(q->key) != len)
			continue;
		for (k = 0; k < len && lower(q->key[k]) == key[k]; k++)
			;
		if (k == len)
			return true;
	}
	return false;
}

/* A Go module path of one element that names a host: cmd/go's
 * module.CheckPath wants a dot in a path's first element, made of
 * lower-case ASCII letters, digits, '.' and '-' and not beginning with
 * '-' (go.dev/ref/mod), and no element begins or ends with a dot
 * ("go.opencensus.io", "go.starlark.net"; not "app",
 * "command-line-arguments", nor "Evil Corp.com", which Go refuses). */
static bool go_host_module(const char *name)
{
	size_t len = strlen(name);

	return len > 2 && name[0] != '.' && name[0] != '-' &&
	       name[len - 1] != '.' && strchr(name, '.') &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789.-") == len;
}

/* Go's standard library has no module path to be a namespace:
 * "pkg:golang/stdlib@1.21.5", as the Go vulnerability database names it
 * (vuln.go.dev, module "stdlib") and syft, trivy and govulncheck write
 * it, though purl-spec's golang type requires a namespace. Nor has a
 * module whose path is one element (go_host_module): the database names
 * it by that path (module "go.opencensus.io"), syft and trivy write
 * "pkg:golang/go.opencensus.io@v0.24.0". The names let go without the
 * namespace their type requires. */
static bool bare_name(const char *type, const char *name)
{
	return !strcmp(type, "golang") &&
	       (!strcmp(name, "stdlib") || go_host_module(name));
}

/* The type's own rules over the parts (the ones that are not spelling). */
static int check_parts(const struct bd_purl *p, const char *type,
		       const struct type_rule *r, struct bd_error *err)
{
	size_t ns = count_segments(p->namespace, false), len;
	const char *not_text = !utf8_ok(p->namespace) ? "namespace"
			       : !utf8_ok(p->name)    ? "name"
			       : !utf8_ok(p->version) ? "version"
			       : !utf8_ok(p->subpath) ? "subpath"
						      : NULL;

	/* ECMA-427 "Character encoding": a part is Unicode text, encoded
	 * as UTF-8 before percent-encoding; other bytes are no part. */
	if (not_text)
		return bd_error_set(err, BD_EFORMAT,
				    "the purl's %s is not UTF-8 text",
				    not_text);
	strip_slashes(p->name, &len);
	if (!len)
		return bd_error_set(err, BD_EFORMAT, "purl needs a name");
	if ((r->flags & NS_REQUIRED) && !ns && !bare_name(type, p->name))
		return bd_error_set(err, BD_EFORMAT,
				    "a '%s' purl needs a namespace", type);
	if ((r->flags & NS_PROHIBITED) && ns)
		return bd_error_set(err, BD_EFORMAT,
				    "a '%s' purl has no namespace", type);
	if (r->required_qualifier && !has_qualifier(p, r->required_qualifier))
		return bd_error_set(err, BD_EFORMAT,
				    "a '%s' purl needs the qualifier '%s'",
				    type, r->required_qualifier);
	return 0;
}

static unsigned fold(unsigned flags, unsigned lower_flag)
{
	return flags & lower_flag ? FOLD_LOWER : 0;
}

static void add_body(struct bd_buf *b, const struct bd_purl *p,
		     const char *type, const struct type_rule *r)
{
	const char *name;
	size_t len;

	bd_buf_adds(b, "pkg:");
	bd_buf_adds(b, type);
	bd_buf_addc(b, '/');
	if (p->namespace &&
	    add_segments(b, p->namespace, false, fold(r->flags, NS_LOWER)))
		bd_buf_addc(b, '/');
	name = strip_slashes(p->name, &len);
	add_encoded(b, name, len,
		    fold(r->flags, NAME_LOWER) |
			    (r->flags & NAME_DASH ? FOLD_DASH : 0));
	if (p->version && *p->version) {
		bd_buf_addc(b, '@');
		add_encoded(b, p->version, strlen(p->version),
			    fold(r->flags, VERSION_LOWER));
	}
}

static void add_subpath(struct bd_buf *b, const struct bd_purl *p,
			const struct type_rule *r)
{
	if (count_segments(p->subpath, true)) {
		bd_buf_addc(b, '#');
		add_segments(b, p->subpath, true,
			     fold(r->flags, SUBPATH_LOWER));
	}
}

int bd_purl_format(const struct bd_purl *p, struct bd_buf *out,
		   struct bd_error *err)
{
	struct bd_buf b = BD_BUF_INIT;
	const struct type_rule *r;
	char type[64];
	size_t len;
	int rc;

	if (!p->type || !*p->type)
		return bd_error_set(err, BD_EFORMAT, "purl needs a type");
	if (!p->name)
		return bd_error_set(err, BD_EFORMAT, "purl needs a name");
	len = strlen(p->type);
	if (len >= sizeof(type))
		return bd_error_set(err, BD_EFORMAT,
				    "'%.32s...' is not a valid purl type",
				    p->type);
	memcpy(type, p->type, len + 1);
	fold_lower(type);
	if (!valid_type(type))
		return bd_error_set(err, BD_EFORMAT,
				    "'%s' is not a valid purl type", p->type);
	r = rule_of(type);
	rc = check_parts(p, type, r, err);
	if (rc)
		return rc;
	add_body(&b, p, type, r);
	rc = add_qualifiers(&b, p, err);
	if (!rc)
		add_subpath(&b, p, r);
	if (!rc && !bd_buf_ok(&b))
		rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	if (!rc && b.len > BD_PURL_MAX_LEN)
		rc = bd_error_set(err, BD_ELIMIT, "purl longer than %d bytes",
				  BD_PURL_MAX_LEN);
	if (!rc) {
		bd_buf_add(out, b.data, b.len);
		if (!bd_buf_ok(out))
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	bd_buf_release(&b);
	return rc;
}

/* ---- parsing ---------------------------------------------------------- */

/* Where the parser writes decoded parts: room enough for all of them, so
 * that nothing moves once a part points into it. */
struct store {
	char *data;
	size_t len, cap;
};

/*
 * Percent-decodes s[0..len) into the store, NUL-terminated, and returns
 * where; NULL with err set for a bad escape, a decoded NUL or a segment
 * (no_slash) that decodes to a '/'.
 */
static char *decode(struct store *st, const char *s, size_t len, bool no_slash,
		    const char *what, struct bd_error *err)
{
	char *start = st->data + st->len;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			int hi = i + 2 < len ? bd_hex_digit(s[i + 1]) : -1;
			int lo = hi >= 0 ? bd_hex_digit(s[i + 2]) : -1;

			if (lo < 0) {
				bd_error_set(err, BD_EFORMAT,
					     "purl %s: '%%' is not followed "
					     "by two hex digits",
					     what);
				return NULL;
			}
			c = (char)(hi << 4 | lo);
			i += 2;
			if (!c || (no_slash && c == '/')) {
				bd_error_set(err, BD_EFORMAT,
					     "purl %s: an encoded %s", what,
					     c ? "'/' in a segment" : "NUL");
				return NULL;
			}
		}
		st->data[st->len++] = c;
	}
	st->data[st->len++] = '\0';
	return start;
}

/* Decodes the '/'-separated segments of s[0..len) and joins them with
 * '/', empty ones dropped. */
static char *decode_path(struct store *st, const char *s, size_t len,
			 const char *what, struct bd_error *err)
{
	char *start = st->data + st->len;
	const char *end = s + len;
	bool any = false;

	while (s < end) {
		const char *slash = memchr(s, '/', (size_t)(end - s));
		size_t n = slash ? (size_t)(slash - s) : (size_t)(end - s);

		if (n) {
			if (any)
				st->data[st->len - 1] = '/'; /* was NUL */
			if (!decode(st, s, n, true, what, err))
				return NULL;
			any = true;
		}
		s += n + (slash != NULL);
	}
	if (!any)
		st->data[st->len++] = '\0';
	return start;
}

/* The last occurrence of c in s[0..len), or NULL. */
static const char *last_of(const char *s, size_t len, char c)
{
	while (len--)
		if (s[len] == c)
			return s + len;
	return NULL;
}

/* The '@' before the version: the last one (how-to-parse). Leniently, not
 * one with nothing but '/' before it, which would leave no name: that is
 * the first '@', an npm scope written bare ("@babel/core"). */
static const char *version_at(const char *s, size_t len, unsigned flags)
{
	const char *at = last_of(s, len, '@');

	if (at && (flags & BD_PURL_LENIENT) &&
	    strspn(s, "/") == (size_t)(at - s))
		return NULL;
	return at;
}

struct raw {
	struct bd_purl p;
	struct bd_kv *q;
	struct store st;
};

/* "key=value" pairs split at '&'; empty values dropped. */
static int parse_qualifiers(struct raw *r, const char *s, size_t len,
			    unsigned flags, struct bd_error *err)
{
	const char *end = s + len;

	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		size_t n = amp ? (size_t)(amp - s) : (size_t)(end - s);
		const char *eq = memchr(s, '=', n);
		char *key, *value;
		size_t i, klen;

		if (n && !eq)
			return bd_error_set(err, BD_EFORMAT,
					    "purl qualifier without '='");
		if (n && eq + 1 < s + n) {
			if (r->p.nqualifiers == BD_PURL_MAX_QUALIFIERS)
				return bd_error_set(
					err, BD_ELIMIT,
					"more than %d purl qualifiers",
					BD_PURL_MAX_QUALIFIERS);
			klen = (size_t)(eq - s);
			key = r->st.data + r->st.len;
			for (i = 0; i < klen; i++)
				key[i] = flags & BD_PURL_LENIENT ? lower(s[i])
								 : s[i];
			key[klen] = '\0';
			r->st.len += klen + 1;
			/* A key is never encoded, and is lowercase. */
			if (!valid_key(key) || strpbrk(key, "ABCDEFGHIJKLMNOP"
							    "QRSTUVWXYZ"))
				return bd_error_set(
					err, BD_EFORMAT,
					"purl qualifier key is not a "
					"lowercase letter then letters, "
					"digits, '.', '-', '_'");
			value = decode(&r->st, eq + 1, (size_t)(s + n - eq - 1),
				       false, "qualifier", err);
			if (!value)
				return BD_EFORMAT;
			r->q[r->p.nqualifiers++] = (struct bd_kv){ key, value };
		}
		s += n + (amp != NULL);
	}
	return 0;
}

/* scheme ':' ['/'...] type '/': the type, lowercased; *rest after it. */
static int parse_type(struct raw *r, const char *s, size_t len,
		      const char **rest, struct bd_error *err)
{
	const char *colon = memchr(s, ':', len), *end = s + len, *slash;
	char *type;
	size_t i;

	if (!colon || colon - s != 3 || lower(s[0]) != 'p' ||
	    lower(s[1]) != 'k' || lower(s[2]) != 'g')
		return bd_error_set(err, BD_EFORMAT,
				    "not a purl: no 'pkg:' scheme");
	s = colon + 1;
	while (s < end && *s == '/')
		s++; /* "pkg://maven/...": parsers should ignore them */
	slash = memchr(s, '/', (size_t)(end - s));
	if (!slash)
		return bd_error_set(err, BD_EFORMAT,
				    "purl has no '/' after its type");
	type = r->st.data + r->st.len;
	for (i = 0; s + i < slash; i++)
		type[i] = lower(s[i]);
	type[i] = '\0';
	r->st.len += i + 1;
	r->p.type = type;
	*rest = slash + 1;
	return 0;
}

/* namespace/name@version, from the right. */
static int parse_path(struct raw *r, const char *s, size_t len, unsigned flags,
		      struct bd_error *err)
{
	const char *at = version_at(s, len, flags), *slash;
	size_t n;

	if (at) {
		r->p.version =
			decode(&r->st, at + 1, (size_t)(s + len - at - 1),
			       false, "version", err);
		if (!r->p.version)
			return BD_EFORMAT;
		len = (size_t)(at - s);
	}
	while (len && s[len - 1] == '/')
		len--;
	slash = last_of(s, len, '/');
	n = slash ? (size_t)(slash + 1 - s) : 0;
	r->p.name = decode(&r->st, s + n, len - n, false, "name", err);
	if (!r->p.name)
		return BD_EFORMAT;
	if (n) {
		r->p.namespace =
			decode_path(&r->st, s, n - 1, "namespace", err);
		if (!r->p.namespace)
			return BD_EFORMAT;
	}
	return 0;
}

/* Splits and decodes s into r: the parts as written, not yet checked. */
static int split(struct raw *r, const char *s, unsigned flags,
		 struct bd_error *err)
{
	size_t len = strlen(s);
	const char *hash, *query, *rest = NULL;
	int rc;

	if (len > BD_PURL_MAX_LEN)
		return bd_error_set(err, BD_ELIMIT, "purl longer than %d bytes",
				    BD_PURL_MAX_LEN);
	/* Each part and its NUL fit in what it was written in, but for the
	 * parts with no separator after them. */
	r->st.cap = len + 8;
	r->st.data = malloc(r->st.cap);
	if (!r->st.data)
		return bd_error_set(err, BD_ENOMEM, "out of memory");
	hash = last_of(s, len, '#');
	if (hash) {
		r->p.subpath = decode_path(&r->st, hash + 1,
					   (size_t)(s + len - hash - 1),
					   "subpath", err);
		if (!r->p.subpath)
			return BD_EFORMAT;
		len = (size_t)(hash - s);
	}
	query = last_of(s, len, '?');
	if (query) {
		rc = parse_qualifiers(r, query + 1,
				      (size_t)(s + len - query - 1), flags,
				      err);
		if (rc)
			return rc;
		len = (size_t)(query - s);
	}
	rc = parse_type(r, s, len, &rest, err);
	if (!rc)
		rc = parse_path(r, rest, (size_t)(s + len - rest), flags, err);
	r->p.qualifiers = r->q;
	return rc;
}

void bd_purl_parsed_release(struct bd_purl_parsed *p)
{
	bd_buf_release(&p->canonical);
	free(p->text);
	p->text = NULL;
}

int bd_purl_parse(const char *s, unsigned flags, struct bd_purl_parsed *out,
		  struct bd_error *err)
{
	struct bd_kv q[BD_PURL_MAX_QUALIFIERS];
	struct raw first = { .q = q }, again = { .q = out->qualifiers };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = split(&first, s, flags, err);
	if (!rc)
		rc = bd_purl_format(&first.p, &out->canonical, err);
	/* The canonical string, decoded: the parts as the builder wrote
	 * them (folded, segments dropped), strictly parsed. */
	if (!rc)
		rc = split(&again, out->canonical.data, 0, err);
	free(first.st.data);
	out->text = again.st.data;
	out->parts = again.p;
	return rc;
}

int bd_purl_canonical(const char *s, unsigned flags, struct bd_buf *out,
		      struct bd_error *err)
{
	struct bd_purl_parsed p;
	int rc = bd_purl_parse(s, flags, &p, err);

	if (!rc) {
		bd_buf_add(out, p.canonical.data, p.canonical.len);
		if (!bd_buf_ok(out))
			rc = bd_error_set(err, BD_ENOMEM, "out of memory");
	}
	bd_purl_parsed_release(&p);
	return rc;
}

int bd_purl_with_version(const char *purl, const char *version,
			 struct bd_buf *out, struct bd_error *err)
{
	struct bd_purl_parsed p;
	int rc = bd_purl_parse(purl, BD_PURL_LENIENT, &p, err);

	if (!rc) {
		p.parts.version = version;
		rc = bd_purl_format(&p.parts, out, err);
	}
	bd_purl_parsed_release(&p);
	return rc;
}
