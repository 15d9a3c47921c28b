/* SPDX-License-Identifier: MIT */
#include "bindep/progress.h"
#include "bindep/utf8.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* Relaxed: the counters order nothing; a display a moment behind is
 * right. */
static atomic_uint_least64_t walked, scanned, hashed;
static pthread_mutex_t reading_lock = PTHREAD_MUTEX_INITIALIZER;
static char reading[BD_PROGRESS_NAME];

void bd_progress_walked(void)
{
	atomic_fetch_add_explicit(&walked, 1, memory_order_relaxed);
}

void bd_progress_scanned(void)
{
	atomic_fetch_add_explicit(&scanned, 1, memory_order_relaxed);
}

void bd_progress_hashed(uint64_t n)
{
	atomic_fetch_add_explicit(&hashed, n, memory_order_relaxed);
}

void bd_progress_reading(const char *display)
{
	pthread_mutex_lock(&reading_lock);
	snprintf(reading, sizeof(reading), "%s", display ? display : "");
	pthread_mutex_unlock(&reading_lock);
}

void bd_progress_snapshot(struct bd_progress_snapshot *s)
{
	s->walked = atomic_load_explicit(&walked, memory_order_relaxed);
	s->scanned = atomic_load_explicit(&scanned, memory_order_relaxed);
	s->hashed = atomic_load_explicit(&hashed, memory_order_relaxed);
	pthread_mutex_lock(&reading_lock);
	memcpy(s->reading, reading, sizeof(s->reading));
	pthread_mutex_unlock(&reading_lock);
}

/* ---- the line ------------------------------------------------------------
 */

/* "1,234,567" */
static void add_count(struct bd_buf *b, uint64_t n)
{
	char digits[32];
	size_t len, i;

	len = (size_t)snprintf(digits, sizeof(digits), "%llu",
			       (unsigned long long)n);
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			bd_buf_addc(b, ',');
		bd_buf_addc(b, digits[i]);
	}
}

/* "812 bytes", "3.4 MiB" */
static void add_size(struct bd_buf *b, uint64_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB" };
	double v = (double)n;
	size_t u = 0;

	if (n < 1024) {
		bd_buf_printf(b, "%llu bytes", (unsigned long long)n);
		return;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	bd_buf_printf(b, "%.1f %s", v, units[u]);
}

/* Columns on a terminal: a code point each, but two for one beyond
 * U+10FF, which may be wide (CJK): the line must never wrap. */
static size_t columns_of(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80)
			w += c >= 0xe1 ? 2 : 1;
	}
	return w;
}

/* The longest end of s (a whole code point first) that fits w columns. */
static const char *tail_fitting(const char *s, size_t len, size_t w)
{
	const char *p = s + len;

	while (p > s && columns_of(p - 1, (size_t)(s + len - (p - 1))) <= w)
		p--;
	while (p < s + len && ((unsigned char)*p & 0xc0) == 0x80)
		p++;
	return p;
}

/* Bytes of the longest start of s, whole code points, within w columns. */
static size_t head_fitting(const char *s, size_t len, size_t w)
{
	size_t n = 0, next;

	while (n < len) {
		next = n + 1;
		while (next < len && ((unsigned char)s[next] & 0xc0) == 0x80)
			next++;
		if (columns_of(s, next) > w)
			break;
		n = next;
	}
	return n;
}

/* A name in at most w columns: whole, or its start and its end around
 * "..." ("big.tar!/0f1e...9a8b/layer.tar"), the end the longer part: it
 * names the file. */
static void add_name(struct bd_buf *b, const char *s, size_t len, size_t w)
{
	size_t head;

	if (columns_of(s, len) <= w) {
		bd_buf_add(b, s, len);
		return;
	}
	head = head_fitting(s, len, (w - 3) / 3);
	bd_buf_add(b, s, head);
	bd_buf_adds(b, "...");
	bd_buf_adds(b, tail_fitting(s, len, w - 3 - columns_of(s, head)));
}

/* What has begun, ", "-separated: no "0 files walked" while an image is
 * unpacked. */
static void counts(struct bd_buf *b, const struct bd_progress_snapshot *s)
{
	if (s->walked) {
		add_count(b, s->walked);
		bd_buf_printf(b, " file%s walked", s->walked == 1 ? "" : "s");
	}
	if (s->scanned) {
		bd_buf_adds(b, b->len ? ", " : "");
		add_count(b, s->scanned);
		bd_buf_printf(b, " ELF file%s scanned",
			      s->scanned == 1 ? "" : "s");
	}
	if (s->hashed) {
		bd_buf_adds(b, b->len ? ", " : "");
		add_size(b, s->hashed);
		bd_buf_adds(b, " hashed");
	}
}

/* Names shorter than this are not shown cut: they would say nothing. */
#define MIN_NAME 16

size_t bd_progress_line(struct bd_buf *out,
			const struct bd_progress_snapshot *s, const char *phase,
			unsigned columns)
{
	struct bd_buf line = BD_BUF_INIT, said = BD_BUF_INIT,
		      name = BD_BUF_INIT;
	size_t room = columns > 1 ? columns - 1 : 0, used, shown = 0;

	/* Our own text: ASCII, a column a byte. */
	counts(&said, s);
	if (s->reading[0])
		bd_utf8_escape(&name, s->reading, strlen(s->reading));
	if (!bd_buf_ok(&said) || !bd_buf_ok(&name))
		goto out;
	if (phase)
		bd_buf_printf(&line, "%s%s", phase,
			      said.len || name.len ? ": " : "");
	bd_buf_add(&line, said.data, said.len);
	used = line.len + (said.len ? 2 : 0) + strlen("reading ");
	if (name.len && used + MIN_NAME <= room) {
		bd_buf_adds(&line, said.len ? ", reading " : "reading ");
		add_name(&line, name.data, name.len, room - used);
	} else if (!said.len && phase) {
		line.len = strlen(phase);
	}
	/* Wider only without a name: the counts, cut (ASCII). */
	if (bd_buf_ok(&line) && columns_of(line.data, line.len) > room)
		line.len = room;
	if (!bd_buf_ok(&line))
		goto out;
	bd_buf_add(out, line.data, line.len);
	shown = columns_of(line.data, line.len);
out:
	bd_buf_release(&line);
	bd_buf_release(&said);
	bd_buf_release(&name);
	return shown;
}
