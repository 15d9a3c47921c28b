/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_UTF8_H
#define BINDEP_UTF8_H

#include "bindep/buf.h"

#include <stdint.h>

/*
 * UTF-8 as RFC 3629 defines it, for bytes that came from hostile inputs
 * (sonames, DT_NEEDED, RPATH, note JSON, file names, package databases,
 * online answers), which are not necessarily text at all.
 *
 * Invalid: a byte that cannot start a sequence (80..BF, C0, C1, F5..FF), an
 * overlong form (C0 xx, E0 80..9F, F0 80..8F), a surrogate (ED A0..BF), a
 * code point above U+10FFFF (F4 90..BF), and a truncated sequence. Each
 * maximal subpart of an ill-formed sequence counts as one error (Unicode
 * 15.0 section 3.9, "U+FFFD Substitution of Maximal Subparts"), so that a
 * decoder that meets one bad byte never swallows the valid text after it.
 */

/* Not a code point: what bd_utf8_next() returns for an ill-formed part. */
#define BD_UTF8_INVALID UINT32_MAX

/*
 * Decodes the sequence at s (len > 0 bytes left) into *cp, or sets *cp to
 * BD_UTF8_INVALID for a maximal subpart of an ill-formed sequence. Returns
 * the bytes consumed, at least 1.
 */
size_t bd_utf8_next(const unsigned char *s, size_t len, uint32_t *cp);

/* Where a cut of s before byte n (s[n] readable) goes so as not to split
 * a character: n, less the continuation bytes at s[n] (at most 3, the
 * most a character has; an ill-formed run is cut where that leaves it). */
size_t bd_utf8_boundary(const char *s, size_t n);

/* Whether all of s is well-formed UTF-8. */
bool bd_utf8_valid(const char *s, size_t len);

/* Whether all of s is text a name or a version may be: well-formed UTF-8
 * without C0 control characters or DEL (a NUL included). */
bool bd_utf8_text(const char *s, size_t len);

/*
 * Appends s with each ill-formed part replaced by U+FFFD (EF BF BD).
 * Returns whether anything was replaced.
 */
bool bd_utf8_sanitize(struct bd_buf *out, const char *s, size_t len);

/*
 * Appends s percent-encoded (RFC 3986 section 2.1, uppercase hex): every
 * byte outside printable ASCII 21..7E, and '%' itself, becomes "%XX", so
 * that the result is ASCII and decodes back to exactly the bytes of s.
 */
void bd_utf8_percent(struct bd_buf *out, const char *s, size_t len);

/*
 * Appends s with the bytes of each ill-formed part, and each '%', percent-
 * encoded; valid text is copied. Unlike U+FFFD this is injective: two
 * different byte strings never give the same text (for identifiers).
 * Returns whether anything was encoded.
 */
bool bd_utf8_percent_invalid(struct bd_buf *out, const char *s, size_t len);

/*
 * Appends s for a terminal: C0 controls (00..1F), DEL (7F), C1 controls
 * (U+0080..U+009F), and the bidirectional and invisible format characters
 * (U+202E and the like) become "\xNN" escapes of their bytes, an ill-formed
 * part becomes "\xNN" per byte, and a backslash "\\" (so that a name
 * holding the text "\x0a" is told from one holding a newline); everything
 * else is copied. The result can no longer move the cursor, change colours
 * or set the window title (ECMA-48 control functions all start with a C0
 * or C1 control), nor show a name reversed or hide part of it.
 */
void bd_utf8_escape(struct bd_buf *out, const char *s, size_t len);

/*
 * Whether s is a URL an SBOM may carry from someone else's data: http or
 * https, a host, and only RFC 3986's characters (unreserved, reserved,
 * and '%' before two hex digits), '[' and ']' left out (no IPv6 literal:
 * they would make Markdown links whose text is not their target). NULL
 * is not one.
 */
bool bd_url_ok(const char *s);

#endif
