/* SPDX-License-Identifier: MIT */
#include "bindep/utf8.h"

#include <ctype.h>

#include <string.h>
#include <strings.h>

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define REPLACEMENT "\xEF\xBF\xBD"

/*
 * The valid range of the second byte after lead byte b (RFC 3629 section 4,
 * Unicode 15.0 table 3-7): narrower than 80..BF where overlong forms,
 * surrogates and code points above U+10FFFF would start. Returns the number
 * of continuation bytes, 0 for a byte that cannot start a sequence.
 */
static size_t lead(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (b >= 0xC2 && b <= 0xDF)
		return 1;
	if (b >= 0xE0 && b <= 0xEF) {
		if (b == 0xE0)
			*lo = 0xA0; /* overlong below U+0800 */
		else if (b == 0xED)
			*hi = 0x9F; /* surrogates D800..DFFF */
		return 2;
	}
	if (b >= 0xF0 && b <= 0xF4) {
		if (b == 0xF0)
			*lo = 0x90; /* overlong below U+10000 */
		else if (b == 0xF4)
			*hi = 0x8F; /* above U+10FFFF */
		return 3;
	}
	return 0;
}

size_t bd_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char lo, hi;
	size_t need, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	need = lead(s[0], &lo, &hi);
	*cp = BD_UTF8_INVALID;
	if (!need)
		return 1;
	v = s[0] & (0x3F >> need);
	for (i = 1; i <= need; i++) {
		/* The maximal subpart ends before the first byte that
		 * cannot continue it. */
		if (i >= len || s[i] < lo || s[i] > hi)
			return i;
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return i;
}

/* Whether the 8 bytes at p are all ASCII (no high bit). */
static bool ascii_word(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return !(w & 0x8080808080808080u);
}

size_t bd_utf8_boundary(const char *s, size_t n)
{
	unsigned back;

	for (back = 0; back < 3 && n && ((unsigned char)s[n] & 0xc0) == 0x80;
	     back++)
		n--;
	return n;
}

bool bd_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		/* ASCII, the common case, a word at a time. */
		if (len - i >= 8 && ascii_word(p + i)) {
			i += 8;
			continue;
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		i += bd_utf8_next(p + i, len - i, &cp);
		if (cp == BD_UTF8_INVALID)
			return false;
	}
	return true;
}

bool bd_utf8_text(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return bd_utf8_valid(s, len);
}

bool bd_utf8_sanitize(struct bd_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	bool changed = false;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = bd_utf8_next(p + i, len - i, &cp);
		if (cp == BD_UTF8_INVALID) {
			bd_buf_adds(out, REPLACEMENT);
			changed = true;
		} else {
			bd_buf_add(out, s + i, n);
		}
		i += n;
	}
	return changed;
}

void bd_utf8_percent(struct bd_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b > 0x20 && b < 0x7F && b != '%') {
			bd_buf_addc(out, (char)b);
		} else {
			bd_buf_addc(out, '%');
			bd_buf_addc(out, hex[b >> 4]);
			bd_buf_addc(out, hex[b & 15]);
		}
	}
}

bool bd_utf8_percent_invalid(struct bd_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	bool changed = false;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = bd_utf8_next(p + i, len - i, &cp);
		if (cp == BD_UTF8_INVALID || cp == '%') {
			bd_utf8_percent(out, s + i, n);
			changed = true;
		} else {
			bd_buf_add(out, s + i, n);
		}
		i += n;
	}
	return changed;
}

static void hex_bytes(struct bd_buf *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		bd_buf_printf(out, "\\x%02x", p[i]);
}

/* Characters that change how a line is shown without being seen:
 * Unicode's format characters (Cf, Unicode 14: the bidirectional controls
 * and marks of "Trojan Source", U+202E showing a name reversed; zero-width
 * spaces and joiners, the soft hyphen, U+FEFF, the tags U+E0000-E007F,
 * which hide ASCII), the line and paragraph separators (Zl, Zp), the
 * variation selectors (U+FE00-FE0F, U+E0100-E01EF: data hidden after a
 * letter), the combining grapheme joiner and the Hangul fillers, which
 * show as nothing. */
static const uint32_t invisible_ranges[][2] = {
	{ 0x00AD, 0x00AD },   { 0x034F, 0x034F },   { 0x0600, 0x0605 },
	{ 0x061C, 0x061C },   { 0x06DD, 0x06DD },   { 0x070F, 0x070F },
	{ 0x0890, 0x0891 },   { 0x08E2, 0x08E2 },   { 0x115F, 0x1160 },
	{ 0x180B, 0x180F },   { 0x200B, 0x200F },   { 0x2028, 0x202E },
	{ 0x2060, 0x206F },   { 0x3164, 0x3164 },   { 0xFE00, 0xFE0F },
	{ 0xFEFF, 0xFEFF },   { 0xFFA0, 0xFFA0 },   { 0xFFF9, 0xFFFB },
	{ 0x110BD, 0x110BD }, { 0x110CD, 0x110CD }, { 0x13430, 0x13438 },
	{ 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0000, 0xE007F },
	{ 0xE0100, 0xE01EF },
};

static bool invisible(uint32_t cp)
{
	size_t i;

	if (cp < 0xAD)
		return false; /* the common case: ASCII */
	for (i = 0; i < sizeof(invisible_ranges) / sizeof(invisible_ranges[0]);
	     i++)
		if (cp >= invisible_ranges[i][0] &&
		    cp <= invisible_ranges[i][1])
			return true;
	return false;
}

void bd_utf8_escape(struct bd_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = bd_utf8_next(p + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
		    cp == BD_UTF8_INVALID || invisible(cp))
			hex_bytes(out, p + i, n);
		else if (cp == '\\')
			bd_buf_adds(out, "\\\\");
		else
			bd_buf_add(out, s + i, n);
		i += n;
	}
}

bool bd_url_ok(const char *s)
{
	static const char allowed[] = "-._~:/?#@!$&'()*+,;=";
	const char *host;

	if (!s)
		return false;
	if (!strncasecmp(s, "https://", 8))
		host = s + 8;
	else if (!strncasecmp(s, "http://", 7))
		host = s + 7;
	else
		return false;
	if (!*host || *host == '/' || *host == '?' || *host == '#')
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '%') {
			if (!isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]))
				return false;
			s += 2;
		} else if (c >= 0x80 || (!isalnum(c) && !strchr(allowed, c))) {
			return false;
		}
	}
	return true;
}
