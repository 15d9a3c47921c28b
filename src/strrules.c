/* SPDX-License-Identifier: MIT */
/*
 * The registry's string rules as one automaton (bindep/strrules.h), and
 * the "{version}" grammar. A hit of the automaton names the needle's
 * rules; each reads its version from the bytes after the needle (before
 * it too, for a bare version: its lead is the needle), in the region fed,
 * which the scan holds whole.
 */
#include "bindep/strrules.h"
#include "bindep/strmatch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PLACEHOLDER "{version"
#define DIGIT	    "{digit}"
#define NUL	    "{nul}"
/* Markers name a library by a whole message: a short one is anyone's. */
#define MIN_MARKER 8

/* ---- the {version} grammar ---------------------------------------------- */

static bool version_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '+' || c == '~' ||
	       c == '_' || c == '-';
}

/* The pattern bytes of the suffix item at s: a token or one byte. */
static size_t token_len(const char *s)
{
	if (!strncmp(s, DIGIT, strlen(DIGIT)))
		return strlen(DIGIT);
	if (!strncmp(s, NUL, strlen(NUL)))
		return strlen(NUL);
	return 1;
}

/*
 * A format ("M.mm.pp") is letters, one run per part, between separators;
 * a number's digits ("20914") are its parts from the right, each run as
 * many digits as it has letters, the first run what is left. Its lead
 * is digits.
 */
static bool format_ok(const struct bd_version_pattern *vp)
{
	size_t i, parts = 0;

	for (i = 0; i < vp->format_len; i++) {
		char c = vp->format[i];

		if (isalpha((unsigned char)c))
			parts += !i ||
				 !isalpha((unsigned char)vp->format[i - 1]);
		else if (!strchr(".-_", c) || !i ||
			 !isalpha((unsigned char)vp->format[i - 1]))
			return false;
	}
	for (i = 0; i < vp->lead_len; i++)
		if (!isdigit((unsigned char)vp->lead[i]))
			return false;
	return parts >= 2 &&
	       isalpha((unsigned char)vp->format[vp->format_len - 1]);
}

size_t bd_version_format(const struct bd_version_pattern *vp, const char *v,
			 size_t vlen, char *out, size_t cap)
{
	size_t fixed = 0, i, k, run, first, n = 0;

	if (!vp->format) {
		if (vlen >= cap)
			return 0;
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		return vlen;
	}
	for (i = 0; i < vlen; i++)
		if (!isdigit((unsigned char)v[i]))
			return 0;
	for (i = 0; i < vp->format_len; i++)
		fixed += isalpha((unsigned char)vp->format[i]) != 0;
	for (first = 0; isalpha((unsigned char)vp->format[first]); first++)
		;
	fixed -= first;
	/* The first part has a digit at least and as many as its letters:
	 * "914" and "20221211" are no "M.mm.pp". */
	if (vlen <= fixed || vlen > fixed + first)
		return 0;
	for (i = 0, k = 0; i < vp->format_len; i += run) {
		size_t digits;

		if (!isalpha((unsigned char)vp->format[i])) {
			if (n + 1 >= cap)
				return 0;
			out[n++] = vp->format[i];
			run = 1;
			continue;
		}
		for (run = 0; i + run < vp->format_len &&
			      isalpha((unsigned char)vp->format[i + run]);
		     run++)
			;
		digits = i ? run : vlen - fixed;
		/* No leading zeros: "09" is 9. */
		while (digits > 1 && v[k] == '0')
			k++, digits--;
		if (n + digits >= cap)
			return 0;
		memcpy(out + n, v + k, digits);
		n += digits;
		k += digits;
	}
	out[n] = '\0';
	return n;
}

bool bd_version_pattern_parse(const char *pattern,
			      struct bd_version_pattern *out)
{
	const char *v = strstr(pattern, PLACEHOLDER), *close, *bar;
	size_t i;

	if (!v)
		return false;
	out->prefix = pattern;
	out->prefix_len = (size_t)(v - pattern);
	v += strlen(PLACEHOLDER);
	out->lead = "";
	out->lead_len = 0;
	out->format = NULL;
	out->format_len = 0;
	if (*v == ':') {
		close = strchr(v, '}');
		if (!close)
			return false;
		out->lead = v + 1;
		out->lead_len = (size_t)(close - (v + 1));
		bar = memchr(out->lead, '|', out->lead_len);
		if (bar) {
			out->format = bar + 1;
			out->format_len = (size_t)(close - out->format);
			out->lead_len = (size_t)(bar - out->lead);
			if (!format_ok(out))
				return false;
		}
		/* A lead is the start of a version. */
		if (!out->lead_len || !isdigit((unsigned char)out->lead[0]))
			return false;
		for (i = 0; i < out->lead_len; i++)
			if (!version_char(out->lead[i]))
				return false;
		v = close;
	}
	if (*v != '}')
		return false;
	out->suffix = v + 1;
	out->suffix_len = 0;
	for (v = out->suffix; *v; out->suffix_len++)
		v += token_len(v);
	/* One placeholder only. */
	return !strstr(out->suffix, PLACEHOLDER);
}

/* Whether the suffix ("{digit}" any digit, "{nul}" the NUL that ends a
 * string) is at p. */
static bool suffix_at(const char *p, size_t avail,
		      const struct bd_version_pattern *vp)
{
	const char *s = vp->suffix;
	size_t k;

	if (avail < vp->suffix_len)
		return false;
	for (k = 0; *s; k++) {
		if (!strncmp(s, DIGIT, strlen(DIGIT))) {
			if (!isdigit((unsigned char)p[k]))
				return false;
			s += strlen(DIGIT);
		} else if (!strncmp(s, NUL, strlen(NUL))) {
			if (p[k])
				return false;
			s += strlen(NUL);
		} else if (p[k] != *s++) {
			return false;
		}
	}
	return true;
}

/* A pre- or post-release's mark and its number at p ("rc1", "beta2",
 * "post1", "dev20230101"), of n bytes at most. */
static bool release_mark(const char *p, size_t n)
{
	static const char *const marks[] = { "alpha", "beta", "post", "dev",
					     "pre",   "rc",   "a",    "b" };
	size_t i, k;

	for (i = 0; i < BD_ARRAY_SIZE(marks); i++) {
		k = strlen(marks[i]);
		if (k < n && !strncmp(p, marks[i], k) &&
		    isdigit((unsigned char)p[k]))
			return true;
	}
	return false;
}

/*
 * The longest run of version bytes at p followed by the suffix; versions
 * end at the suffix's first byte where they could go on ("libfoo.so.
 * {version}" and "1.2.so" stop before ".so" only with that suffix).
 */
size_t bd_version_read(const char *p, size_t avail,
		       const struct bd_version_pattern *vp, bool whole)
{
	size_t slen = vp->suffix_len, len = 0, best = 0;

	if (!avail || !isdigit((unsigned char)p[0]) || avail < vp->lead_len ||
	    memcmp(p, vp->lead, vp->lead_len))
		return 0;
	while (len < avail && version_char(p[len]))
		len++;
	if (len > BD_VERSION_MAX)
		return 0;
	/* Try the longest first, then shorter ones, for the suffix. */
	for (; len >= vp->lead_len && len > 0; len--) {
		size_t rest = avail - len;

		if (!suffix_at(p + len, rest, vp))
			continue;
		if (whole && rest != slen)
			continue;
		best = len;
		break;
	}
	/* A version does not end in a separator. */
	while (best && strchr(".-_+~", p[best - 1]) && !slen)
		best--;
	/* Nor is a word after its first dot one ("3.privacy.context" of a
	 * protobuf type name, "3.rc.config"), but a release's mark with its
	 * number (PEP 440's "8.rc1", "2.post1"): "9e" is, "2.0-rc1" is. */
	for (len = 0; len + 1 < best && p[len] != '.'; len++)
		;
	if (len + 1 < best && !isdigit((unsigned char)p[len + 1]) &&
	    !release_mark(p + len + 1, best - len - 1))
		return 0;
	return best >= vp->lead_len ? best : 0;
}

/* ---- rules ----------------------------------------------------------------
 */

struct bd_strrules {
	struct bd_strmatch *m;
	struct bd_strrule *rules;
	struct bd_version_pattern *patterns; /* per rule */
	size_t n; /* rules, and needles: needle k is rule k's */
};

/* The needle a rule hands the automaton; *copy is a bare rule's prefix
 * and lead made one (the caller frees it), else NULL. */
static int needle_of(const struct bd_strrule *r,
		     const struct bd_version_pattern *vp, const char **s,
		     size_t *len, char **copy)
{
	*copy = NULL;
	if (r->kind == BD_STRRULE_MARKER || r->kind == BD_STRRULE_LICENSE) {
		*s = r->pattern;
		*len = strlen(r->pattern);
	} else if (r->kind == BD_STRRULE_BARE && !vp->prefix_len) {
		*s = vp->lead;
		*len = vp->lead_len;
	} else if (r->kind == BD_STRRULE_BARE) {
		*len = vp->prefix_len + vp->lead_len;
		*copy = malloc(*len);
		if (!*copy)
			return BD_ENOMEM;
		memcpy(*copy, vp->prefix, vp->prefix_len);
		memcpy(*copy + vp->prefix_len, vp->lead, vp->lead_len);
		*s = *copy;
	} else {
		*s = vp->prefix;
		*len = vp->prefix_len;
	}
	return 0;
}

const char *bd_strrule_problem(const struct bd_strrule *r)
{
	struct bd_version_pattern vp;

	if (r->kind == BD_STRRULE_MARKER)
		return strlen(r->pattern) < MIN_MARKER
			       ? "a marker needs at least 8 bytes"
		       : strlen(r->pattern) > BD_STRRULE_MAX_NEEDLE
			       ? "a marker may have at most 128 bytes"
			       : NULL;
	if (r->kind == BD_STRRULE_LICENSE)
		return strlen(r->pattern) < MIN_MARKER
			       ? "a licence string needs at least 8 bytes"
		       : strlen(r->pattern) > BD_STRRULE_MAX_NEEDLE
			       ? "a licence string may have at most 128 bytes"
			       : NULL;
	if (!bd_version_pattern_parse(r->pattern, &vp))
		return "a version pattern needs one {version} placeholder "
		       "(or {version:LEAD})";
	if (vp.prefix_len > BD_STRRULE_MAX_NEEDLE ||
	    vp.suffix_len > BD_STRRULE_MAX_SUFFIX)
		return "a strings pattern may have at most 128 bytes before "
		       "{version} and 64 after";
	if (r->kind == BD_STRRULE_BARE)
		return vp.lead_len < BD_STRRULE_MIN_LEAD
			       ? "a bare pattern needs a lead of at least 2 "
				 "bytes: {version:3.}"
		       : vp.prefix_len + vp.lead_len > BD_STRRULE_MAX_NEEDLE
			       ? "a bare pattern may have at most 128 bytes "
				 "before and in its lead"
			       : NULL;
	return vp.prefix_len < BD_STRRULE_MIN_NEEDLE
		       ? "a strings pattern needs at least 4 bytes before "
			 "{version}"
		       : NULL;
}

void bd_strrules_free(struct bd_strrules *r)
{
	if (!r)
		return;
	bd_strmatch_free(r->m);
	free(r->rules);
	free(r->patterns);
	free(r);
}

size_t bd_strrules_count(const struct bd_strrules *r)
{
	return r ? r->n : 0;
}

const struct bd_strrule *bd_strrules_get(const struct bd_strrules *r, size_t i)
{
	return r && i < r->n ? &r->rules[i] : NULL;
}

static int check_rules(const struct bd_strrule *rules, size_t n,
		       struct bd_version_pattern *patterns,
		       struct bd_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *why = bd_strrule_problem(&rules[i]);

		if (why)
			return bd_error_set(err, BD_EFORMAT, "rule %zu: %s", i,
					    why);
		if (rules[i].kind != BD_STRRULE_MARKER &&
		    rules[i].kind != BD_STRRULE_LICENSE)
			bd_version_pattern_parse(rules[i].pattern,
						 &patterns[i]);
	}
	return 0;
}

int bd_strrules_build(struct bd_strrules **out, const struct bd_strrule *rules,
		      size_t n, struct bd_error *err)
{
	struct bd_strrules *r = calloc(1, sizeof(*r));
	const char **needles = calloc(n ? n : 1, sizeof(*needles));
	char **copies = calloc(n ? n : 1, sizeof(*copies));
	size_t *lens = calloc(n ? n : 1, sizeof(*lens));
	size_t i;
	int rc = BD_ENOMEM;

	*out = NULL;
	if (r && needles && copies && lens && n < UINT32_MAX) {
		r->n = n;
		r->rules = malloc((n ? n : 1) * sizeof(*r->rules));
		r->patterns = calloc(n ? n : 1, sizeof(*r->patterns));
		rc = r->rules && r->patterns ? 0 : BD_ENOMEM;
	}
	if (!rc) {
		memcpy(r->rules, rules, n * sizeof(*rules));
		rc = check_rules(rules, n, r->patterns, err);
		if (rc)
			goto out;
	}
	/* One needle per rule: equal needles are separate needles of the
	 * automaton, which reports each. */
	for (i = 0; !rc && i < n; i++)
		rc = needle_of(&r->rules[i], &r->patterns[i], &needles[i],
			       &lens[i], &copies[i]);
	if (!rc) {
		rc = bd_strmatch_build(&r->m, needles, lens, n, err);
		if (rc)
			goto out;
	}
	if (rc == BD_ENOMEM)
		bd_error_set(err, rc, "out of memory");
out:
	for (i = 0; copies && i < n; i++)
		free(copies[i]);
	free(copies);
	free(needles);
	free(lens);
	if (rc)
		bd_strrules_free(r);
	else
		*out = r;
	return rc;
}

/* ---- hits -----------------------------------------------------------------
 */

void bd_string_hits_release(struct bd_string_hits *h)
{
	free(h->items);
	memset(h, 0, sizeof(*h));
}

/* What one piece of a region's bytes is, in the region's offsets, with
 * the bytes kept from before it. */
struct feed {
	const struct bd_strrules *r;
	const unsigned char *tail; /* bytes [tail_base, base) */
	uint64_t tail_base;
	const unsigned char *data; /* bytes [base, base + len) */
	uint64_t base;
	size_t len;
	uint64_t region; /* the region's size */
	struct bd_arena *arena;
	struct bd_string_hits *h;
	struct bd_strrules_stream *st; /* where a hit waits for bytes */
};

enum fit { FIT_NO, FIT_YES, FIT_MORE };

/* The longest match a hit reads past its needle: a version, the NUL or
 * byte after it, a suffix. */
#define FORWARD (BD_VERSION_MAX + 2 + BD_STRRULE_MAX_SUFFIX)

static bool printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* Copies up to n bytes of the region from offset x, as far as the tail
 * and the piece hold them; returns how many. */
static size_t gather(const struct feed *f, uint64_t x, size_t n,
		     unsigned char *out)
{
	size_t k = 0;

	for (; k < n; k++, x++) {
		if (x >= f->base && x - f->base < f->len)
			out[k] = f->data[x - f->base];
		else if (x >= f->tail_base && x < f->base)
			out[k] = f->tail[x - f->tail_base];
		else
			break;
	}
	return k;
}

/*
 * Whether x starts a string: it is the region's start, or the byte before
 * it is no printable ASCII. With table, also after one printable byte
 * that follows a byte that is neither printable nor NUL: the tail of a
 * table the linker laid out before the string ("\xff\xffw1.5.4" in a
 * program linking libzstd.a), where text ("\0v1.5.4") starts after a
 * NUL.
 */
static enum fit string_start(const struct feed *f, uint64_t x, bool table)
{
	unsigned char c[2];

	if (!x)
		return FIT_YES;
	if (!gather(f, x - 1, 1, &c[1]))
		return FIT_MORE;
	if (!printable(c[1]))
		return FIT_YES;
	if (!table || x < 2)
		return FIT_NO;
	if (!gather(f, x - 2, 1, &c[0]))
		return FIT_MORE;
	return c[0] && !printable(c[0]) ? FIT_YES : FIT_NO;
}

/*
 * Whether a number ("20914") starts at x: no letter or digit runs into
 * it. The bytes before a string may be a constant the linker laid out
 * there, printable or not: Debian's libxml2 has the two bytes "::" of a
 * 16-bit load right before its "20914".
 */
static enum fit number_start(const struct feed *f, uint64_t x)
{
	unsigned char c;

	if (!x)
		return FIT_YES;
	if (!gather(f, x - 1, 1, &c))
		return FIT_MORE;
	return isalnum(c) ? FIT_NO : FIT_YES;
}

/* Whether a string ends at x: its NUL is there. MORE when the byte is not
 * held yet; a region that ends first holds no such string. */
static enum fit string_end(const struct feed *f, uint64_t x)
{
	unsigned char c;

	if (x >= f->region)
		return FIT_NO;
	if (!gather(f, x, 1, &c))
		return FIT_MORE;
	return c ? FIT_NO : FIT_YES;
}

/* The version and suffix at v: MORE when the bytes held end before they
 * could (and the region does not). */
static enum fit read_at(const struct feed *f,
			const struct bd_version_pattern *vp, bool own,
			uint64_t v, size_t *vlen)
{
	unsigned char p[FORWARD];
	size_t want = BD_VERSION_MAX + 2 + vp->suffix_len;
	size_t avail = gather(f, v, want, p), run = 0;

	while (run < avail && run <= BD_VERSION_MAX &&
	       version_char((char)p[run]))
		run++;
	if (run > BD_VERSION_MAX)
		return FIT_NO;
	/* The suffix, and a bare version's NUL, must be held. */
	if (avail < want && v + avail < f->region &&
	    run + vp->suffix_len + 1 > avail)
		return FIT_MORE;
	*vlen = bd_version_read((const char *)p, avail, vp, false);
	if (!*vlen)
		return FIT_NO;
	/* Without a suffix, a bare version ends its string. */
	if (own && !vp->suffix_len && *vlen < avail && p[*vlen])
		return FIT_NO;
	return FIT_YES;
}

/*
 * Where the rule's match is, given where its needle ends (region
 * offsets): *at and *len, the version at *v for *vlen bytes.
 */
static enum fit match_at(const struct feed *f, size_t rule, uint64_t end,
			 uint64_t *at, size_t *len, uint64_t *v, size_t *vlen)
{
	const struct bd_strrule *r = &f->r->rules[rule];
	const struct bd_version_pattern *vp = &f->r->patterns[rule];
	enum fit fit = FIT_YES;

	*vlen = 0;
	*v = end;
	if (r->kind == BD_STRRULE_MARKER) {
		*len = strlen(r->pattern);
		*at = end - *len;
		/* The start of a string: libgpg-error's "SQL database disk
		 * image is malformed" quotes SQLite's message, is no SQLite. */
		return string_start(f, *at, false);
	}
	if (r->kind == BD_STRRULE_LICENSE) {
		*len = strlen(r->pattern);
		*at = end - *len;
		/* The whole string: "libavcodec license: GPL version 2 or
		 * later" is no licence of a text that goes on past it. */
		fit = string_start(f, *at, false);
		return fit == FIT_YES ? string_end(f, end) : fit;
	}
	if (r->kind == BD_STRRULE_BARE) {
		*v = end - vp->lead_len;
		*at = *v - vp->prefix_len;
		/* A string of its own: nothing printable runs into it, nor
		 * into its prefix ("GDAL 3.6.2", not "in GDAL 3.5."). */
		fit = string_start(f, *at, true);
		if (fit == FIT_NO && vp->format && !vp->prefix_len)
			fit = number_start(f, *at);
	} else {
		*at = end - vp->prefix_len;
	}
	if (fit == FIT_YES)
		fit = read_at(f, vp, r->kind == BD_STRRULE_BARE, *v, vlen);
	*len = (size_t)(*v - *at) + *vlen + vp->suffix_len;
	return fit;
}

/* Whether x is the hit of that rule's version (v NULL: none). */
static bool same_version(const struct bd_string_hit *x, const char *v,
			 size_t vlen)
{
	return !v ? !x->version
		  : x->version && !strncmp(x->version, v, vlen) &&
			       !x->version[vlen];
}

/* The kept hit of that rule and version, and how many the rule has. */
static struct bd_string_hit *find_hit(const struct bd_string_hits *h,
				      uint32_t rule, const char *v, size_t vlen,
				      size_t *of_rule)
{
	size_t i;

	*of_rule = 0;
	for (i = h->n; i-- > 0;) {
		struct bd_string_hit *x = &h->items[i];

		if (x->rule != rule)
			continue;
		if (same_version(x, v, vlen))
			return x;
		(*of_rule)++;
	}
	return NULL;
}

/* The first hit of a rule, which carries its "more" mark. */
static void mark_more(struct bd_string_hits *h, uint32_t rule)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		if (h->items[i].rule == rule) {
			h->items[i].more = true;
			return;
		}
	}
}

/* Whether the match is the hit the last match read was: a run of one
 * string (BD_STRHITS_MAX_READ), told in one comparison. */
static bool repeats_last(const struct bd_string_hits *h, uint32_t rule,
			 const char *v, size_t vlen)
{
	const struct bd_string_hit *x = h->last ? &h->items[h->last - 1] : NULL;

	return x && x->rule == rule && same_version(x, v, vlen);
}

static int keep(struct feed *f, uint32_t rule, uint64_t at, size_t len,
		uint64_t v, size_t vlen)
{
	unsigned char text[BD_STRRULE_MAX_NEEDLE + FORWARD];
	char formatted[2 * BD_VERSION_MAX + 1];
	struct bd_string_hits *h = f->h;
	const char *vs = vlen ? formatted : NULL;
	struct bd_string_hit *x;
	size_t of_rule;

	/* A marker's or licence string's run is told before its bytes are
	 * gathered: a run costs the automaton's reading of it alone. */
	if (!vlen && repeats_last(h, rule, NULL, 0))
		return 0;
	len = gather(f, at, len < sizeof(text) ? len : sizeof(text), text);
	/* As the pattern writes it: "20914" is 2.9.14 for "{version:20|
	 * M.mm.pp}", and no version of that shape is none. */
	if (vlen) {
		vlen = bd_version_format(&f->r->patterns[rule],
					 (const char *)text + (v - at), vlen,
					 formatted, sizeof(formatted));
		if (!vlen)
			return 0;
	}
	if (vlen && repeats_last(h, rule, vs, vlen))
		return 0;
	if (++h->read > BD_STRHITS_MAX_READ) {
		h->capped = true;
		return BD_ELIMIT;
	}
	x = find_hit(h, rule, vs, vlen, &of_rule);
	h->last = x ? (size_t)(x - h->items) + 1 : 0;
	if (x)
		return 0;
	if (of_rule >= BD_STRHITS_MAX_PER_RULE) {
		mark_more(h, rule);
		return 0;
	}
	if (h->n >= BD_STRHITS_MAX) {
		h->capped = true;
		return BD_ELIMIT;
	}
	if (BD_GROW(h->items, h->alloc, h->n + 1))
		return BD_ENOMEM;
	x = &h->items[h->n];
	x->rule = rule;
	x->more = false;
	x->version = vs ? bd_arena_strndup(f->arena, vs, vlen) : NULL;
	x->text = bd_arena_strndup(f->arena, (const char *)text, len);
	if ((vs && !x->version) || !x->text)
		return BD_ENOMEM;
	h->last = ++h->n;
	return 0;
}

/* A hit whose bytes the piece does not all hold waits for the next. */
static int wait(struct feed *f, uint32_t rule, uint64_t end)
{
	struct bd_strrules_stream *st = f->st;

	if (st->npending == BD_STRRULES_PENDING) {
		f->h->capped = true;
		return BD_ELIMIT;
	}
	st->pending[st->npending].rule = rule;
	st->pending[st->npending++].end = end;
	return 0;
}

static int try_hit(struct feed *f, uint32_t rule, uint64_t end)
{
	uint64_t at, v;
	size_t len, vlen;

	/* Behind one that waits, every hit waits: they are kept in the
	 * order met, as a region fed whole keeps them. */
	if (f->st->npending)
		return wait(f, rule, end);
	switch (match_at(f, rule, end, &at, &len, &v, &vlen)) {
	case FIT_YES: return keep(f, rule, at, len, v, vlen);
	case FIT_MORE: return wait(f, rule, end);
	default: return 0;
	}
}

static int on_hit(void *ctx, size_t rule, uint64_t end)
{
	return try_hit(ctx, (uint32_t)rule, end);
}

/* ---- streams --------------------------------------------------------------
 */

void bd_strrules_stream_start(struct bd_strrules_stream *st, uint64_t region)
{
	memset(st, 0, sizeof(*st));
	bd_strmatch_start(&st->c);
	st->region = region;
}

/* The hits that waited, now that the next piece (or the region's end) is
 * here: before the piece's own, so that hits keep the file's order. */
static int settle(struct feed *f)
{
	struct bd_strrules_stream *st = f->st;
	size_t i, n = st->npending;
	int rc = 0;

	st->npending = 0;
	/* Those that still wait go back on the list, in order. */
	for (i = 0; i < n && !rc; i++)
		rc = try_hit(f, st->pending[i].rule, st->pending[i].end);
	return rc;
}

/* Keeps the last bytes fed, for the hits that wait. */
static void keep_tail(struct bd_strrules_stream *st, const unsigned char *piece,
		      size_t len)
{
	size_t keep, drop;

	if (len >= BD_STRRULES_TAIL) {
		memcpy(st->tail, piece + len - BD_STRRULES_TAIL,
		       BD_STRRULES_TAIL);
		st->ntail = BD_STRRULES_TAIL;
		return;
	}
	keep = st->ntail + len > BD_STRRULES_TAIL ? BD_STRRULES_TAIL - len
						  : st->ntail;
	drop = st->ntail - keep;
	memmove(st->tail, st->tail + drop, keep);
	memcpy(st->tail + keep, piece, len);
	st->ntail = keep + len;
}

int bd_strrules_stream_feed(const struct bd_strrules *r,
			    struct bd_strrules_stream *st, const void *piece,
			    size_t len, struct bd_arena *arena,
			    struct bd_string_hits *h)
{
	uint64_t base = st->c.offset;
	struct feed f = { r,	st->tail, base - st->ntail, piece,
			  base, 0,	  st->region,	    arena,
			  h,	st };
	int rc = 0;

	if (!r || !r->n || h->capped)
		return h->capped ? BD_ELIMIT : 0;
	h->searched = true;
	if (len > st->region - base)
		len = (size_t)(st->region - base);
	f.len = len;
	if (st->npending)
		rc = settle(&f);
	if (!rc)
		rc = bd_strmatch_feed(r->m, &st->c, piece, len, on_hit, &f);
	keep_tail(st, piece, len);
	return rc;
}

int bd_strrules_stream_end(const struct bd_strrules *r,
			   struct bd_strrules_stream *st,
			   struct bd_arena *arena, struct bd_string_hits *h)
{
	uint64_t end = st->c.offset;
	/* What the stream ended at is the region's end now: nothing more
	 * will come. */
	struct feed f = { r, st->tail, end - st->ntail, NULL, end,
			  0, end,      arena,		h,    st };

	if (!r || !st->npending || h->capped)
		return 0;
	return settle(&f);
}

bool bd_strrules_section(const char *name)
{
	static const char *const skip[] = { ".eh_frame", ".eh_frame_hdr",
					    ".gcc_except_table", ".gopclntab" };
	size_t i;

	for (i = 0; name && i < BD_ARRAY_SIZE(skip); i++)
		if (!strcmp(name, skip[i]))
			return false;
	return true;
}

int bd_strrules_feed(const struct bd_strrules *r, const void *data, size_t len,
		     struct bd_arena *arena, struct bd_string_hits *h)
{
	struct bd_strrules_stream st;
	int rc;

	bd_strrules_stream_start(&st, len);
	rc = bd_strrules_stream_feed(r, &st, data, len, arena, h);
	return rc ? rc : bd_strrules_stream_end(r, &st, arena, h);
}
