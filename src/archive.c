/* SPDX-License-Identifier: MIT */
/*
 * A safe streaming extractor on libarchive (issue 12, points 1, 2 and 7).
 *
 * Every entry name is a path inside the archive: it is normalised
 * lexically and refused when absolute or leaving the archive, then made
 * component by component with mkdirat/openat relative to a directory
 * descriptor, O_NOFOLLOW and O_EXCL, so that neither a crafted name nor a
 * symlink the archive made earlier can reach outside dest/prefix. Links are
 * checked lexically: the tree is later read with --root confinement (an
 * absolute or ".." target stops at its root), nothing here follows them.
 *
 * The archive is read once through our own read callback, which counts
 * the packed bytes for the ratio cap; unpacked bytes are what is written
 * or taken, and for a compressed stream also what the stream decompresses
 * to (entries skipped are decompressed too, so they count towards the
 * ratio).
 */
#include "bindep/archive.h"
#include "bindep/buf.h"
#include "bindep/map.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_LEN BD_ARCHIVE_NAME_MAX
/* An entry name deeper than this many components is refused: each is an
 * openat(2) when the entry is written, and no package nests so deep. */
#define NAME_MAX_DEPTH 128
#define STR(x)	       #x
#define XSTR(x)	       STR(x)
/* Bytes handed to libarchive per read(2). */
#define READ_BLOCK (64 * 1024)

/* ---- sniffing ------------------------------------------------------------ */

static bool has(const unsigned char *h, size_t len, size_t off, const char *m,
		size_t mlen)
{
	return len >= off + mlen && memcmp(h + off, m, mlen) == 0;
}

/* A tar header: the "ustar" magic (POSIX "ustar\0", GNU "ustar  \0"), or a
 * v7 header whose checksum (the bytes summed, the checksum field taken as
 * spaces; POSIX.1-1988 10.1.1) matches its octal field. */
static bool is_tar(const unsigned char *h, size_t len)
{
	unsigned long sum = 0, want = 0;
	size_t i;
	bool digits = false;

	if (has(h, len, 257, "ustar", 5))
		return true;
	if (len < 512 || h[0] == '\0')
		return false;
	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	for (i = 148; i < 156 && h[i] == ' '; i++)
		;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++) {
		want = want * 8 + (unsigned long)(h[i] - '0');
		digits = true;
	}
	return digits && (i == 156 || h[i] == ' ' || h[i] == '\0') &&
	       sum == want;
}

static bool is_compressed(const unsigned char *h, size_t len)
{
	return has(h, len, 0, "\x1f\x8b\x08", 3) || /* gzip */
	       has(h, len, 0,
		   "\xfd"
		   "7zXZ\0",
		   6) ||				/* xz */
	       has(h, len, 0, "\x28\xb5\x2f\xfd", 4) || /* zstd */
	       (has(h, len, 0, "BZh", 3) && len > 3 && h[3] >= '1' &&
		h[3] <= '9'); /* bzip2 */
}

struct mem_src {
	const unsigned char *data;
	size_t len, pos;
	bool ended; /* the reader asked beyond the end */
};

static la_ssize_t mem_read(struct archive *a, void *ctx, const void **buf)
{
	struct mem_src *m = ctx;
	size_t n = m->len - m->pos;

	(void)a;
	if (n > READ_BLOCK)
		n = READ_BLOCK;
	if (!n)
		m->ended = true;
	*buf = m->data + m->pos;
	m->pos += n;
	return (la_ssize_t)n;
}

static bool add_filters(struct archive *a);

/* A compressed head: decompressed by libarchive as far as it goes, the
 * payload's first header read as tar or ar. Running out of head is no
 * verdict: the magic then stands for a tar. */
/* libarchive's ARCHIVE_ERRNO_MISC, which its public header does not
 * export: what a failed decompression sets. */
#define ERRNO_MISC (-1)

static enum bd_archive_kind sniff_payload(const unsigned char *h, size_t len)
{
	struct mem_src m = { h, len, 0, false };
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	enum bd_archive_kind kind = BD_ARCHIVE_TAR;
	int r;

	if (!a)
		return kind;
	if (!add_filters(a) ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_support_format_ar(a) != ARCHIVE_OK) {
		archive_read_free(a);
		return kind;
	}
	/* The format is bid on at open: a tar or an ar was seen, even when
	 * its first header is then refused (a pax header too large). */
	r = archive_read_open(a, &m, NULL, mem_read, NULL);
	if (r == ARCHIVE_OK) {
		(void)archive_read_next_header(a, &ae);
		kind = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
				       ARCHIVE_FORMAT_AR
			       ? BD_ARCHIVE_AR
			       : BD_ARCHIVE_TAR;
	} else if (archive_errno(a) != ERRNO_MISC) {
		/* It decompresses, into something else (a gzip'd text:
		 * libarchive's "unrecognized format", EILSEQ). A stream that
		 * does not decompress (ARCHIVE_ERRNO_MISC) stays an archive,
		 * so that its reading says so and keeps what comes before
		 * the damage. */
		kind = BD_ARCHIVE_NONE;
	}
	archive_read_free(a);
	return kind;
}

enum bd_archive_kind bd_archive_sniff(const void *head, size_t len)
{
	const unsigned char *h = head;

	if (len > BD_ARCHIVE_SNIFF_MAX)
		len = BD_ARCHIVE_SNIFF_MAX;
	/* A local file header, or the end record of an empty zip. */
	if (has(h, len, 0, "PK\3\4", 4) || has(h, len, 0, "PK\5\6", 4))
		return BD_ARCHIVE_ZIP;
	if (has(h, len, 0, "!<arch>\n", 8))
		return BD_ARCHIVE_AR;
	if (has(h, len, 0, "\xed\xab\xee\xdb", 4))
		return BD_ARCHIVE_RPM;
	if (is_compressed(h, len))
		return sniff_payload(h, len);
	return is_tar(h, len) ? BD_ARCHIVE_TAR : BD_ARCHIVE_NONE;
}

void bd_archive_limits_default(struct bd_archive_limits *l)
{
	l->max_unpacked = BD_ARCHIVE_MAX_UNPACKED;
	l->total_left = NULL;
	l->max_ratio = BD_ARCHIVE_MAX_RATIO;
	l->max_entries = BD_ARCHIVE_MAX_ENTRIES;
	l->keep_absolute_links = false;
	l->image_layer = false;
	l->payload_slashes = 0;
	l->implied = NULL;
	l->listed = NULL;
	l->written = NULL;
}

/*
 * Only the decompressors linked into libarchive: where a library is
 * missing, libarchive would run an external program (bzip2 -d), and an
 * input is never a reason to run anything. lrzip, lzop, grzip and uu
 * are never enabled.
 */
static bool add_filters(struct archive *a)
{
	if (archive_zlib_version() &&
	    archive_read_support_filter_gzip(a) != ARCHIVE_OK)
		return false;
	if (archive_bzlib_version() &&
	    archive_read_support_filter_bzip2(a) != ARCHIVE_OK)
		return false;
	if (archive_liblzma_version() &&
	    (archive_read_support_filter_xz(a) != ARCHIVE_OK ||
	     archive_read_support_filter_lzma(a) != ARCHIVE_OK))
		return false;
	if (archive_libzstd_version() &&
	    archive_read_support_filter_zstd(a) != ARCHIVE_OK)
		return false;
	/* The rpm lead, signature and header skipped: the cpio payload. */
	return archive_read_support_filter_rpm(a) == ARCHIVE_OK;
}

/* ---- the set of names seen --------------------------------------------- */

/*
 * The names of the entries seen, for duplicates and hard links, kept as
 * 64-bit keyed hashes (a name may be 4 KiB; a hash is 8 bytes): the maps'
 * hash under the process's random key (bd_map_hash: libcrypto's SipHash-2-4,
 * or a keyed SHA-256 where it has none), so that crafted names can neither
 * pile into one chain nor pass for one another. A collision (2^-64) costs
 * one wrong warning.
 */
struct seen {
	uint64_t *slots; /* 0: empty (a hash of 0 is stored as 1) */
	size_t cap, count;
};

static int seen_grow(struct seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i, j;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return BD_ENOMEM;
	for (i = 0; i < s->cap; i++) {
		if (!s->slots[i])
			continue;
		for (j = s->slots[i] & (cap - 1); slots[j];
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

/* Returns 1 when the name was there, 0 when added, or BD_ENOMEM. */
static int seen_add(struct seen *s, const char *name, bool add)
{
	uint64_t h = bd_map_hash(name, strlen(name));
	size_t j;

	h = h ? h : 1;
	if ((s->count + 1) * 2 > s->cap && seen_grow(s))
		return BD_ENOMEM;
	for (j = h & (s->cap - 1); s->slots[j]; j = (j + 1) & (s->cap - 1)) {
		if (s->slots[j] == h)
			return 1;
	}
	if (add) {
		s->slots[j] = h;
		s->count++;
	}
	return 0;
}

/* ---- names ------------------------------------------------------------- */

enum name_verdict {
	NAME_OK,
	NAME_EMPTY,
	NAME_ABSOLUTE,
	NAME_LEAVES,
	NAME_LONG,
	NAME_DEEP,
};

/* raw normalised into out (NAME_MAX_LEN + 1 bytes): "." and empty
 * components dropped, ".." folded; "/a" is refused, "./a" is "a". With
 * at_root, raw is taken from a root where ".." stops (Go's
 * filepath.Clean of an absolute path: "/../a" is "/a"), absolute or
 * not. */
static enum name_verdict normalise_from(const char *raw, char *out,
					bool at_root)
{
	size_t len = 0, n, depth = 0;
	const char *p = raw, *end;

	if (raw[0] == '/' && !at_root)
		return NAME_ABSOLUTE;
	out[0] = '\0';
	for (; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		end = end ? end : p + strlen(p);
		n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!len && at_root)
				continue;
			if (!len)
				return NAME_LEAVES;
			while (len && out[len - 1] != '/')
				len--;
			depth--;
			len -= len ? 1 : 0;
			out[len] = '\0';
			continue;
		}
		if (len + (len ? 1 : 0) + n > NAME_MAX_LEN)
			return NAME_LONG;
		if (++depth > NAME_MAX_DEPTH)
			return NAME_DEEP;
		if (len)
			out[len++] = '/';
		memcpy(out + len, p, n);
		len += n;
		out[len] = '\0';
	}
	return len ? NAME_OK : NAME_EMPTY;
}

static enum name_verdict normalise(const char *raw, char *out)
{
	return normalise_from(raw, out, false);
}

/* Whether a relative symlink target, taken from the directory of the
 * (normalised) entry name, stays inside the archive, lexically. */
static bool link_inside(const char *name, const char *target)
{
	long depth = 0;
	const char *p, *end;
	size_t n;

	for (p = name; *p; p++)
		depth += *p == '/';
	for (p = target; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		end = end ? end : p + strlen(p);
		n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return false;
		} else {
			depth++;
		}
	}
	return true;
}

/* ---- the extraction ---------------------------------------------------- */

struct ex;

/*
 * A cpio's hard links as rpm writes them (newc): the entries of one inode,
 * each but the last without data, the last with it; libarchive gives the
 * later ones the first one's name as their hard link. The names of a set
 * wait here until its data comes, then each is made a link to the file
 * written with it, as rpm installs them all as that file. A set whose data
 * never comes is empty files, which are not kept. At most LINKS_MAX names
 * wait (each 4 KiB at most); past that, one warning (cpio_link), and the
 * names after it are not made.
 */
#define LINKS_MAX 4096

struct links {
	struct bd_map first; /* a set's first name -> its index in set */
	struct link_set {
		char *first;
		bool done; /* its data came */
	} * set;
	struct link_name {
		char *name;
		uint32_t set;
	} * name;
	size_t nset, nname;
	bool full_said; /* the warning past LINKS_MAX */
};

struct src {
	struct ex *ex; /* whose caps the stream is read within */
	int fd;
	off_t start; /* where the archive starts in fd (seeking) */
	off_t size;  /* fd's, a regular file's; -1: none to skip in */
	const unsigned char *mem;
	size_t memlen, mempos;
	unsigned char *buf;
	uint64_t packed; /* bytes handed to libarchive */
	/* ops->packed and its context: each chunk handed on is seen. */
	void (*tap)(void *ctx, const void *data, size_t len);
	void *tapctx;
};

struct ex {
	struct archive *a;
	/* With ops->unpacked: the reader that decompresses the stream (raw
	 * format), whose output a reads. */
	struct archive *outer;
	uint64_t after_end; /* its bytes past what a read, drained */
	bool outer_empty;   /* it decompresses to nothing */
	/* A cap met in src_read (err set): libarchive was told of a read
	 * error, and every way its error comes back returns this. */
	int capped;
	const char *name;
	const struct bd_archive_limits *lim;
	struct bd_archive_limits deflim; /* when given none */
	const struct bd_archive_ops *ops;
	const struct bd_diag *diag;
	struct bd_error *err;
	struct src src;
	int base;  /* dest_dirfd/prefix */
	int dest;  /* dest_dirfd */
	int aside; /* dest_dirfd/ops->aside, opened when first used */
	int pdir;  /* the parent directory of the last entry written */
	char *pdir_name;
	struct seen seen;
	uint64_t written;
	size_t entries;
	bool compressed; /* a stream filter: skipped data is decompressed */
	char norm[NAME_MAX_LEN + 1], target[NAME_MAX_LEN + 1];
	char placed[NAME_MAX_LEN + 1]; /* where ops->place puts norm */
	/* The current entry's data: its head, then where reading stopped. */
	unsigned char head[BD_ARCHIVE_HEAD];
	size_t headlen;
	const unsigned char *rest;
	size_t restlen;
	uint64_t resthole, pos;
	bool data_eof, data_warned, sparse;
	bool uncounted;	     /* the entry is BD_ARCHIVE_WRITE_OWN's */
	const char *raw;     /* the entry's name as stored */
	bool named;	     /* norm is raw's, normalised (judge_name) */
	const char *special; /* why a BD_ENTRY_SPECIAL is not made */
	struct links links;  /* cpio's hard links waiting for their data */
};

/* Returned by an entry's handling: the archive is corrupt from here, a
 * warning was given, what was read is kept. */
#define STOP 1

static int check_ratio(struct ex *x);

static la_ssize_t src_read(struct archive *a, void *ctx, const void **buf)
{
	struct src *s = ctx;
	struct ex *x = s->ex;
	ssize_t n;
	size_t left;

	/* libarchive decompresses within a header's read too (a cpio
	 * reader's search for the next header, past any amount of zeros),
	 * where no entry is seen: what the stream gave is judged each time
	 * it asks for more. */
	if (x->compressed && !x->capped && check_ratio(x))
		x->capped = BD_ELIMIT;
	if (x->capped) {
		archive_set_error(a, ERANGE, "%s", x->err->msg);
		return -1;
	}
	if (s->mem) {
		left = s->memlen - s->mempos;
		n = (ssize_t)(left < READ_BLOCK ? left : READ_BLOCK);
		*buf = s->mem + s->mempos;
		s->mempos += (size_t)n;
	} else {
		do
			n = read(s->fd, s->buf, READ_BLOCK);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			archive_set_error(a, errno, "read error");
			return -1;
		}
		*buf = s->buf;
	}
	if (s->tap && n > 0)
		s->tap(s->tapctx, *buf, (size_t)n);
	s->packed += (uint64_t)n;
	return n;
}

/* Skipping stored data without reading it (a plain tar's entries). Not
 * past the end: lseek(2) goes there without a word, and libarchive would
 * meet a clean end of file where the archive was cut short. */
static la_int64_t src_skip(struct archive *a, void *ctx, la_int64_t request)
{
	struct src *s = ctx;
	off_t here, there;

	(void)a;
	if (s->tap)
		return 0; /* every byte is to be seen: libarchive reads */
	if (s->mem) {
		if ((uint64_t)request > s->memlen - s->mempos)
			request = (la_int64_t)(s->memlen - s->mempos);
		s->mempos += (size_t)request;
		return request;
	}
	here = s->size < 0 ? -1 : lseek(s->fd, 0, SEEK_CUR);
	if (here < 0)
		return 0; /* a pipe: libarchive reads instead */
	if (request > s->size - here)
		request = here < s->size ? s->size - here : 0;
	there = lseek(s->fd, (off_t)request, SEEK_CUR);
	return there < 0 ? 0 : (la_int64_t)(there - here);
}

/* The size of the regular file fd, read once for src_skip; -1 for
 * anything else. */
static off_t src_size(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISREG(st.st_mode) ? st.st_size : -1;
}

/* Seeking in a zip read by its central directory: offsets from where the
 * archive starts in fd. */
static la_int64_t src_seek(struct archive *a, void *ctx, la_int64_t offset,
			   int whence)
{
	struct src *s = ctx;
	off_t at;

	(void)a;
	if (whence == SEEK_SET)
		offset += s->start;
	at = lseek(s->fd, (off_t)offset, whence);
	return at < 0 ? ARCHIVE_FATAL : (la_int64_t)(at - s->start);
}

/* libarchive's reason, which may be missing. */
static const char *reason(struct archive *a)
{
	const char *why = archive_error_string(a);

	return why ? why : "no reason given";
}

/* A message holds 512 bytes: a name or link shown in one is cut here,
 * so that the reason after it is always seen. */
#define SHOW_MAX 160

/* An entry's warning names it as the SBOM does, normalised
 * ("x.rpm!/usr/lib/a", not "x.rpm!/./usr/lib/a"), when its name is one. */
static void warn_entry(struct ex *x, const char *raw, const char *what)
{
	bool cut;

	if (x->named && raw == x->raw)
		raw = x->norm;
	cut = strlen(raw) > SHOW_MAX;

	bd_diag_report(x->diag, BD_DIAG_WARNING, "'%s!/%.*s%s': %s", x->name,
		       SHOW_MAX, raw, cut ? "..." : "", what);
}

static const char *size_text(uint64_t n, char *buf, size_t len)
{
	if (n && n % (1ull << 30) == 0)
		snprintf(buf, len, "%llu GiB", (unsigned long long)(n >> 30));
	else if (n && n % (1ull << 20) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(n >> 20));
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
	return buf;
}

/* Counts n more unpacked bytes against the caps. */
static int charge(struct ex *x, uint64_t n)
{
	char s[32];

	if (n > x->lim->max_unpacked - x->written ||
	    x->written > x->lim->max_unpacked)
		return bd_error_set(
			x->err, BD_ELIMIT,
			"'%s': unpacks to more than %s, stopped "
			"(a decompression bomb?)",
			x->name, size_text(x->lim->max_unpacked, s, sizeof(s)));
	if (x->lim->total_left && n > *x->lim->total_left)
		return bd_error_set(x->err, BD_ELIMIT,
				    "'%s': the archives unpack to more than "
				    "their total budget, stopped",
				    x->name);
	x->written += n;
	if (x->lim->total_left)
		*x->lim->total_left -= n;
	return 0;
}

/* The compression ratio, judged past BD_ARCHIVE_RATIO_FLOOR. */
static int check_ratio(struct ex *x)
{
	uint64_t unpacked = x->written, stream;

	if (x->compressed) {
		/* -1 before the reader has a filter (src_read may judge while
		 * the archive's reader opens on the decompressing one). */
		la_int64_t read = x->a ? archive_filter_bytes(x->a, 0) : 0;

		stream = (uint64_t)(read > 0 ? read : 0) + x->after_end;
		unpacked = stream > unpacked ? stream : unpacked;
	}
	if (!x->lim->max_ratio || unpacked <= BD_ARCHIVE_RATIO_FLOOR ||
	    unpacked / x->lim->max_ratio <= x->src.packed)
		return 0;
	return bd_error_set(x->err, BD_ELIMIT,
			    "'%s': unpacks to more than %u times its size, "
			    "stopped (a decompression bomb?)",
			    x->name, x->lim->max_ratio);
}

static int corrupt(struct ex *x, const char *raw)
{
	char what[256];

	if (x->capped)
		return x->capped; /* no damage: src_read stopped it */
	snprintf(what, sizeof(what),
		 "truncated or corrupt archive (%s), the rest is skipped",
		 reason(x->a));
	warn_entry(x, raw, what);
	return STOP;
}

/* The next piece of the entry's data: a hole (zeros libarchive does not
 * store, a sparse file's) then len bytes. Returns 0, 1 at the end of the
 * data, or -1 when the archive is corrupt. */
static int next_block(struct ex *x, const unsigned char **buf, size_t *len,
		      uint64_t *hole)
{
	const void *b;
	char what[256];
	la_int64_t off;
	int r = archive_read_data_block(x->a, &b, len, &off);

	if (r == ARCHIVE_EOF)
		return 1;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return -1;
	if (r == ARCHIVE_WARN && !x->data_warned) {
		/* A zip's CRC mismatch: the data is kept, with one warning. */
		snprintf(what, sizeof(what), "%s, kept", reason(x->a));
		warn_entry(x, x->raw, what);
		x->data_warned = true;
	}
	*buf = b;
	*hole = off >= 0 && (uint64_t)off > x->pos ? (uint64_t)off - x->pos : 0;
	x->pos += *hole + *len;
	return 0;
}

/* The first BD_ARCHIVE_HEAD bytes of the data into x->head; what was read
 * beyond stays in rest (valid until the next read). Returns 0 or -1. */
static int read_head(struct ex *x)
{
	const unsigned char *buf;
	size_t len, n;
	uint64_t hole;
	int r;

	x->headlen = x->restlen = 0;
	x->resthole = x->pos = 0;
	x->data_eof = false;
	while (x->headlen < sizeof(x->head)) {
		r = next_block(x, &buf, &len, &hole);
		if (r) {
			x->data_eof = r > 0;
			return r > 0 ? 0 : -1;
		}
		n = sizeof(x->head) - x->headlen;
		n = hole < n ? (size_t)hole : n;
		memset(x->head + x->headlen, 0, n);
		x->headlen += n;
		x->resthole = hole - n;
		n = sizeof(x->head) - x->headlen;
		n = x->resthole || len < n ? (x->resthole ? 0 : len) : n;
		/* libarchive gives an empty block as NULL. */
		if (n)
			memcpy(x->head + x->headlen, buf, n);
		x->headlen += n;
		x->rest = n ? buf + n : buf;
		x->restlen = len - n;
		if (x->resthole || x->restlen)
			break;
	}
	return 0;
}

/* Where an entry's data goes: a file, memory, or nowhere. */
struct sink {
	int fd;
	unsigned char *mem; /* grown up to BD_ARCHIVE_TAKE_MAX */
	size_t memlen, memcap;
	bool too_big;
};

/* Room for need bytes in a memory sink. */
static int sink_room(struct ex *x, struct sink *k, size_t need)
{
	size_t cap = k->memcap * 2;
	unsigned char *bigger;

	if (need <= k->memcap)
		return 0;
	cap = cap < need ? need : cap;
	cap = cap > BD_ARCHIVE_TAKE_MAX ? BD_ARCHIVE_TAKE_MAX : cap;
	bigger = realloc(k->mem, cap);
	if (!bigger)
		return bd_error_set(x->err, BD_ENOMEM, "'%s': out of memory",
				    x->name);
	k->mem = bigger;
	k->memcap = cap;
	return 0;
}

static int put(struct ex *x, struct sink *k, const unsigned char *buf,
	       size_t len, uint64_t hole)
{
	int rc;
	ssize_t n;

	if (k->fd < 0 && !k->mem)
		return check_ratio(x);
	rc = charge(x, hole + len);
	if (rc)
		return rc;
	if (k->mem) {
		if (hole + len > BD_ARCHIVE_TAKE_MAX - k->memlen) {
			k->too_big = true;
			return 0;
		}
		rc = sink_room(x, k, k->memlen + (size_t)hole + len);
		if (rc)
			return rc;
		memset(k->mem + k->memlen, 0, (size_t)hole);
		if (len)
			memcpy(k->mem + k->memlen + hole, buf, len);
		k->memlen += (size_t)hole + len;
		return check_ratio(x);
	}
	if (hole && lseek(k->fd, (off_t)hole, SEEK_CUR) < 0)
		return bd_error_errno(x->err, BD_EIO, errno,
				      "'%s': cannot write", x->name);
	while (len) {
		n = write(k->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return bd_error_errno(x->err, BD_EIO,
					      n < 0 ? errno : ENOSPC,
					      "'%s': cannot write", x->name);
		buf += n;
		len -= (size_t)n;
	}
	return check_ratio(x);
}

/*
 * The entry's data from its head on into k. Returns 0, STOP (corrupt,
 * warned) or a negative BD_E*. A taken entry too large is drained.
 */
static int pour(struct ex *x, const char *raw, struct sink *k, uint64_t size)
{
	const unsigned char *buf;
	size_t len;
	uint64_t hole;
	int rc, r;

	rc = put(x, k, x->head, x->headlen, 0);
	if (!rc && (x->restlen || x->resthole))
		rc = put(x, k, x->rest, x->restlen, x->resthole);
	/* Poured once: a drain after a partial take starts past them. */
	x->headlen = x->restlen = 0;
	x->resthole = 0;
	while (!rc && !x->data_eof && !k->too_big) {
		r = next_block(x, &buf, &len, &hole);
		if (r < 0)
			return corrupt(x, raw);
		if (r > 0)
			break;
		rc = put(x, k, buf, len, hole);
	}
	/* A sparse file's trailing hole (only there: a zip's header may
	 * claim any size). */
	if (!rc && !k->too_big && k->fd >= 0 && x->sparse && size > x->pos) {
		rc = charge(x, size - x->pos);
		if (!rc && ftruncate(k->fd, (off_t)size) < 0)
			rc = bd_error_errno(x->err, BD_EIO, errno,
					    "'%s': cannot write", x->name);
	}
	return rc;
}

/* Drains a skipped entry's data: decompressed where the stream is
 * compressed (counted for the ratio), skipped by seeking otherwise. */
static int drain(struct ex *x, const char *raw)
{
	struct sink none = { -1, NULL, 0, 0, false };

	if (!x->compressed) {
		if (archive_read_data_skip(x->a) < ARCHIVE_WARN)
			return corrupt(x, raw);
		return 0;
	}
	return pour(x, raw, &none, 0);
}

static bool fatal_errno(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EIO || e == EROFS ||
	       e == ENOMEM || e == EMFILE || e == ENFILE;
}

/* Returned (as errno) when a directory to make is past lim->implied. */
#define E_IMPLIED ECANCELED

bool bd_archive_implied_take(struct bd_archive_implied *cap, uint64_t n)
{
	if (cap && n > cap->max - cap->made)
		return false;
	if (cap)
		cap->made += n;
	return true;
}

/* What each kind of cap counts, and what is done past it. */
static const char *const cap_counts[][2] = {
	[BD_ARCHIVE_CAP_IMPLIED] = { "directories made for entry names that "
				     "no entry lists",
				     "the entries needing more are skipped" },
	[BD_ARCHIVE_CAP_LISTED] = { "directories listed as entries",
				    "the rest are made only above what is "
				    "kept" },
	[BD_ARCHIVE_CAP_WRITTEN] = { "files and links written from its entries",
				     "the rest are skipped" },
};

void bd_archive_implied_cut(struct bd_archive_implied *cap,
			    const struct bd_diag *diag, const char *display)
{
	cap->cut++;
	if (cap->said)
		return;
	cap->said = true;
	bd_diag_report(
		diag, BD_DIAG_WARNING, "'%s': more than %llu %s, in %s: %s",
		display, (unsigned long long)cap->max, cap_counts[cap->kind][0],
		cap->of ? cap->of : "the image", cap_counts[cap->kind][1]);
}

/* bd_archive_open_dir, each directory made counted in cap; past it, -1
 * with errno E_IMPLIED. */
static int open_dir_capped(int base, const char *path, size_t len, bool create,
			   struct bd_archive_implied *cap)
{
	int fd = dup(base), next, saved;
	size_t i = 0, n;
	char comp[NAME_MAX_LEN + 1];

	while (fd >= 0 && i < len) {
		for (n = 0; i + n < len && path[i + n] != '/'; n++)
			;
		if (n > NAME_MAX_LEN) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, path + i, n);
		comp[n] = '\0';
		i += n + 1;
		next = openat(fd, comp,
			      O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create &&
		    !bd_archive_implied_take(cap, 1))
			errno = E_IMPLIED;
		else if (next < 0 && errno == ENOENT && create &&
			 (mkdirat(fd, comp, 0700) == 0 || errno == EEXIST))
			next = openat(fd, comp,
				      O_PATH | O_DIRECTORY | O_NOFOLLOW |
					      O_CLOEXEC);
		saved = errno;
		close(fd);
		errno = saved;
		fd = next;
	}
	return fd;
}

int bd_archive_open_dir(int base, const char *path, size_t len, bool create)
{
	return open_dir_capped(base, path, len, create, NULL);
}

/* The cap on the directories the tree's entries imply: an image layer's
 * are counted by its merge, before they are offered (bd_image_merge). */
static struct bd_archive_implied *tree_cap(const struct ex *x)
{
	return x->lim->image_layer ? NULL : x->lim->implied;
}

/* The parent directory of a normalised name, cached: a tar lists a
 * directory's files together. *leaf is the last component. Returns the
 * descriptor (owned by x) or -1 with errno (E_IMPLIED past the cap). */
static int parent(struct ex *x, const char *name, const char **leaf)
{
	const char *slash = strrchr(name, '/');
	size_t len = slash ? (size_t)(slash - name) : 0;

	*leaf = slash ? slash + 1 : name;
	if (x->pdir >= 0 && strlen(x->pdir_name) == len &&
	    memcmp(x->pdir_name, name, len) == 0)
		return x->pdir;
	if (x->pdir >= 0)
		close(x->pdir);
	x->pdir = open_dir_capped(x->base, name, len, true, tree_cap(x));
	if (x->pdir < 0)
		return -1;
	memcpy(x->pdir_name, name, len);
	x->pdir_name[len] = '\0';
	return x->pdir;
}

/* A failed create: a warning for this entry, or BD_EIO for the disk. */
static int refuse(struct ex *x, const char *raw, int e)
{
	char what[160];

	if (fatal_errno(e))
		return bd_error_errno(x->err, BD_EIO, e, "'%s': cannot write",
				      x->name);
	if (e == E_IMPLIED)
		bd_archive_implied_cut(x->lim->implied, x->diag, x->name);
	else if (e == EEXIST)
		warn_entry(x, raw, "duplicate entry, the first is kept");
	else if (e == ELOOP || e == ENOTDIR)
		warn_entry(x, raw, "a parent is a symlink or a file, skipped");
	else {
		snprintf(what, sizeof(what), "cannot be written (%s), skipped",
			 strerror(e));
		warn_entry(x, raw, what);
	}
	return 0;
}

/* The directory ops->aside under dest_dirfd, made and opened once. */
static int aside_base(struct ex *x)
{
	char *norm;

	if (x->aside >= 0 || !x->ops->aside)
		return x->aside;
	norm = malloc(NAME_MAX_LEN + 1);
	if (!norm) {
		errno = ENOMEM;
		return -1;
	}
	if (normalise(x->ops->aside, norm) != NAME_OK)
		errno = EINVAL;
	else
		x->aside =
			bd_archive_open_dir(x->dest, norm, strlen(norm), true);
	free(norm);
	return x->aside;
}

/* The parent directory of a name under ops->aside (not cached: files
 * are put aside seldom), or -1 with errno; the caller closes it. */
static int aside_parent(struct ex *x, const char *name, const char **leaf)
{
	const char *slash = strrchr(name, '/');
	int base = aside_base(x);

	*leaf = slash ? slash + 1 : name;
	return base < 0 ? -1
			: open_dir_capped(base, name,
					  slash ? (size_t)(slash - name) : 0,
					  true, x->lim->implied);
}

/* One more file or link made (lim->written). */
static void wrote(struct ex *x)
{
	if (x->lim->written && !x->uncounted)
		x->lim->written->made++;
}

/* Whether one more file or link may be written (lim->written); else the
 * entry is cut, said once for all. Counted when made (wrote), so that
 * a duplicate, or a hard link to a file skipped, costs nothing. */
static bool may_write(struct ex *x)
{
	struct bd_archive_implied *cap = x->lim->written;

	if (!cap || x->uncounted || cap->made < cap->max)
		return true;
	bd_archive_implied_cut(cap, x->diag, x->name);
	return false;
}

static int write_file(struct ex *x, const char *raw,
		      const struct bd_archive_entry *e, bool aside)
{
	const char *leaf;
	int dir = aside ? aside_parent(x, e->name, &leaf)
			: parent(x, e->name, &leaf),
	    rc;
	struct sink k = { -1, NULL, 0, 0, false };

	if (dir >= 0)
		k.fd = openat(dir, leaf,
			      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				      O_CLOEXEC,
			      (e->mode & 0111) ? 0700 : 0600);
	if (k.fd < 0) {
		rc = refuse(x, raw, errno);
		rc = rc ? rc : drain(x, raw);
	} else {
		wrote(x);
		rc = pour(x, raw, &k, e->size);
		close(k.fd);
		/* A partial file would be read as a broken one: it goes. */
		if (rc)
			unlinkat(dir, leaf, 0);
	}
	if (aside && dir >= 0)
		close(dir);
	return rc;
}

static int take(struct ex *x, const char *raw, const struct bd_archive_entry *e)
{
	struct sink k = { -1, NULL, 0, 0, false };
	char what[64], s[32];
	int rc;

	if (e->size > BD_ARCHIVE_TAKE_MAX) {
		k.too_big = true;
	} else {
		/* The header's size is a hint only: the buffer grows. */
		k.memcap = e->size ? (size_t)e->size : 4096;
		k.mem = malloc(k.memcap);
		if (!k.mem)
			return bd_error_set(x->err, BD_ENOMEM,
					    "'%s': out of memory", x->name);
		rc = pour(x, raw, &k, 0);
		if (!rc && !k.too_big && x->ops->take)
			rc = x->ops->take(x->ops->ctx, e, k.mem, k.memlen);
		free(k.mem);
		if (rc < 0 && !x->err->code)
			bd_error_set(x->err, rc, "'%s!/%s': not taken", x->name,
				     raw);
		if (rc || !k.too_big)
			return rc;
	}
	snprintf(what, sizeof(what), "larger than %s, skipped",
		 size_text(BD_ARCHIVE_TAKE_MAX, s, sizeof(s)));
	warn_entry(x, raw, what);
	return drain(x, raw);
}

/* The cap on the directories entries list: an image layer's merge
 * counts its own, and keeps only those it may make (bd_image_merge). */
static struct bd_archive_implied *listed_cap(const struct ex *x)
{
	return x->lim->image_layer ? NULL : x->lim->listed;
}

/* Whether the directory name is in the tree (made above an entry before
 * it, or listed twice), looked up never through a symlink: in the parent
 * cached when it is that one (a tar lists a directory's entries
 * together). */
static bool dir_there(struct ex *x, const char *name)
{
	const char *slash = strrchr(name, '/');
	size_t len = slash ? (size_t)(slash - name) : 0;
	struct stat st;
	int fd;

	if (x->pdir >= 0 && strlen(x->pdir_name) == len &&
	    memcmp(x->pdir_name, name, len) == 0)
		return fstatat(x->pdir, slash ? slash + 1 : name, &st,
			       AT_SYMLINK_NOFOLLOW) == 0 &&
		       S_ISDIR(st.st_mode);
	fd = open_dir_capped(x->base, name, strlen(name), false, NULL);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* A listed directory, made while lim->listed has room; past it, neither
 * it nor its parents are made (one warning for all; none for one there
 * already): an entry kept below it makes it, as a directory its name
 * implies (lim->implied). Only what mkdirat(2) made is counted. Made
 * when listed, empty or not, below the cap: a loader's path through
 * "dir/.." needs dir, as the kernel resolves it. */
static int make_dir(struct ex *x, const char *raw, const char *name)
{
	struct bd_archive_implied *cap = listed_cap(x);
	const char *leaf;
	struct stat st;
	int dir;

	if (!bd_archive_implied_take(cap, 1)) {
		/* Looked up only until said: a million entries past it cost
		 * a million fstatat(2) (8 s of system time) for no warning. */
		if (cap->said || !dir_there(x, name))
			bd_archive_implied_cut(cap, x->diag, x->name);
		return 0;
	}
	dir = parent(x, name, &leaf);
	if (dir >= 0 && mkdirat(dir, leaf, 0700) == 0)
		return 0;
	if (cap)
		cap->made--; /* none made */
	if (dir >= 0 && errno == EEXIST &&
	    fstatat(dir, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode))
		return 0; /* made as a parent before, or listed twice */
	return refuse(x, raw, errno);
}

static int make_symlink(struct ex *x, const char *raw,
			const struct bd_archive_entry *e)
{
	const char *leaf;
	int dir = parent(x, e->name, &leaf);

	if (dir >= 0 && symlinkat(e->link, dir, leaf) == 0) {
		wrote(x);
		return 0;
	}
	return refuse(x, raw, errno);
}

/* A hard link without data, to x->target (normalised; under ops->aside
 * when aside): made when its target was written, quietly not when it was
 * skipped. */
static int make_hardlink(struct ex *x, const char *raw,
			 const struct bd_archive_entry *e, bool aside)
{
	const char *slash = strrchr(x->target, '/'), *leaf;
	int tdir, dir = parent(x, e->name, &leaf), rc = 0;
	int from = aside ? aside_base(x) : x->base;

	if (dir < 0)
		return refuse(x, raw, errno);
	if (from < 0)
		return errno == ENOENT ? 0 : refuse(x, raw, errno);
	tdir = bd_archive_open_dir(from, x->target,
				   slash ? (size_t)(slash - x->target) : 0,
				   false);
	if (tdir < 0)
		return errno == ENOENT ? 0 : refuse(x, raw, errno);
	if (!linkat(tdir, slash ? slash + 1 : x->target, dir, leaf, 0))
		wrote(x);
	else if (errno != ENOENT)
		rc = refuse(x, raw, errno);
	close(tdir);
	return rc;
}

/* Why a hostile entry is refused, as its one warning; NULL when fine. The
 * entry's type is decided here, its name normalised into x->norm. */
static bool is_ar(struct archive *a)
{
	return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
	       ARCHIVE_FORMAT_AR;
}

/* An ar archive's index: GNU "/" and "//" (and "/SYM64/"), BSD
 * "__.SYMDEF" (and "__.SYMDEF SORTED"). */
static bool ar_index(const char *name)
{
	return strcmp(name, "/") == 0 || strcmp(name, "//") == 0 ||
	       strcmp(name, "/SYM64/") == 0 ||
	       strncmp(name, "__.SYMDEF", 9) == 0;
}

/* An entry's name or hard link target, normalised into out as the
 * archive's reader takes it: moby and containerd apply a layer's
 * "/usr/lib/x" from the layer's root (filepath.Clean, then a join with
 * the root, containerd's fs.RootPath), so in an image layer it is taken
 * from the root, ".." stopping there; and so is "../usr/lib/x", whose
 * ".." filepath.Clean keeps and fs.RootPath stops at the root (moby
 * refuses the layer); in a package's payload it is the installed path
 * (bd_archive_limits.payload_slashes); elsewhere it is absolute, or
 * leaves the archive. */
static enum name_verdict entry_name(const struct ex *x, const char *name,
				    char *out)
{
	unsigned n;

	/* rpm drops one '/' (rpmfnFindFN): "//x" matches no header file;
	 * dpkg drops them all. */
	for (n = 0; n < x->lim->payload_slashes && name[0] == '/'; n++)
		name++;
	return normalise_from(name, out, x->lim->image_layer);
}

/* The entry's name normalised into x->norm; why it is refused, or NULL. */
static const char *judge_name(struct ex *x, const struct bd_archive_entry *e)
{
	enum name_verdict v = entry_name(x, e->name, x->norm);

	x->named = v == NAME_OK && e->name == x->raw;

	if (v == NAME_ABSOLUTE)
		return "absolute entry name, skipped";
	if (v == NAME_LEAVES)
		return "entry name leaves the archive, skipped";
	if (v == NAME_LONG)
		return "entry name longer than " XSTR(
			NAME_MAX_LEN) " bytes, skipped";
	if (v == NAME_DEEP)
		return "entry name deeper than " XSTR(
			NAME_MAX_DEPTH) " directories, skipped";
	if (v == NAME_EMPTY)
		return e->type == BD_ENTRY_DIR ? ""
					       : "empty entry name, skipped";
	return NULL;
}

/* Why a device node, FIFO or socket is not made. */
static const char *special_why(mode_t type)
{
	switch (type) {
	case AE_IFIFO: return "a FIFO, skipped";
	case AE_IFSOCK: return "a socket, skipped";
	default: return "a device node, skipped";
	}
}

/* An entry refused for what it is, not for its name: the name is still
 * normalised, so that the warning names the entry as the SBOM does
 * ("x.rpm!/run/s", not "x.rpm!/./run/s"; warn_entry). */
static const char *refused(struct ex *x, const struct bd_archive_entry *e,
			   const char *why)
{
	judge_name(x, e);
	return why;
}

static const char *judge(struct ex *x, struct archive_entry *ae,
			 struct bd_archive_entry *e, char *what, size_t len)
{
	const char *hard = archive_entry_hardlink(ae), *why;

	if (is_ar(x->a)) {
		/* The symbol and long-name tables are no members. */
		if (ar_index(e->name))
			return "";
		/* Members are files; `ar D` writes modes without a type. */
		e->type = BD_ENTRY_FILE;
		return judge_name(x, e);
	}
	/* A zip listed by its central directory: nothing is made of it, and
	 * pip makes a file of any entry whatever the type its mode says, so
	 * only names are judged (the type is kept, for what is no file). */
	if (x->ops->central) {
		e->type = archive_entry_filetype(ae) == AE_IFDIR ? BD_ENTRY_DIR
			  : archive_entry_filetype(ae) == AE_IFREG
				  ? BD_ENTRY_FILE
				  : BD_ENTRY_SYMLINK;
		return archive_entry_is_encrypted(ae)
			       ? refused(x, e, "encrypted entry, skipped")
			       : judge_name(x, e);
	}
	switch (archive_entry_filetype(ae)) {
	case AE_IFREG: e->type = BD_ENTRY_FILE; break;
	case AE_IFDIR: e->type = BD_ENTRY_DIR; break;
	case AE_IFLNK: e->type = BD_ENTRY_SYMLINK; break;
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO:
	case AE_IFSOCK:
		x->special = special_why(archive_entry_filetype(ae));
		if (!x->lim->image_layer)
			return refused(x, e, x->special);
		/* In the container, it replaces what lower layers have at
		 * its path: the merge is to know (dispatch warns). */
		e->type = BD_ENTRY_SPECIAL;
		break;
	default:
		if (!hard)
			return refused(x, e,
				       "an entry of unknown type, skipped");
	}
	/* A hard link that carries data (cpio's last link) is a file. */
	if (hard && !(archive_entry_size_is_set(ae) && archive_entry_size(ae)))
		e->type = BD_ENTRY_HARDLINK;
	if (archive_entry_is_encrypted(ae))
		return refused(x, e, "encrypted entry, skipped");
	why = judge_name(x, e);
	if (why)
		return why;
	if (e->type == BD_ENTRY_SYMLINK) {
		e->link = archive_entry_symlink(ae);
		if (!e->link || !e->link[0])
			return "symlink without a target, skipped";
		if (e->link[0] == '/' && !x->lim->keep_absolute_links) {
			snprintf(what, len,
				 "absolute symlink to '%.*s', skipped",
				 SHOW_MAX, e->link);
			return what;
		}
		/* In a container, ".." at "/" stays at "/"
		 * (path_resolution(7)), and a layer's tree is read confined
		 * as --root is (root.c's step(): ".." never climbs above the
		 * root; openat2's RESOLVE_IN_ROOT the same): such a link
		 * leads inside. */
		if (e->link[0] != '/' && !x->lim->image_layer &&
		    !link_inside(x->norm, e->link)) {
			snprintf(
				what, len,
				"symlink to '%.*s' leaves the archive, skipped",
				SHOW_MAX, e->link);
			return what;
		}
	}
	if (e->type == BD_ENTRY_HARDLINK) {
		e->link = hard;
		if (entry_name(x, hard, x->target) != NAME_OK) {
			snprintf(what, len,
				 "hard link to '%.*s' leaves the archive, "
				 "skipped",
				 SHOW_MAX, hard);
			return what;
		}
	}
	return NULL;
}

static int dispatch(struct ex *x, const char *raw, struct bd_archive_entry *e,
		    enum bd_archive_action act)
{
	bool aside = act == BD_ARCHIVE_WRITE_ASIDE && x->ops->aside;

	x->uncounted = act == BD_ARCHIVE_WRITE_OWN;
	if (x->uncounted)
		act = e->type == BD_ENTRY_FILE ? BD_ARCHIVE_WRITE
					       : BD_ARCHIVE_SKIP;
	if (act == BD_ARCHIVE_STOP)
		return STOP;
	if (e->link_below)
		return 0; /* the caller's to make, from the layers below */
	if (e->type == BD_ENTRY_SPECIAL) {
		if (act == BD_ARCHIVE_WRITE)
			warn_entry(x, raw, x->special);
		return x->compressed ? drain(x, raw) : 0;
	}
	if (act == BD_ARCHIVE_TAKE && e->type == BD_ENTRY_FILE)
		return take(x, raw, e);
	if ((aside || act == BD_ARCHIVE_WRITE) && e->type != BD_ENTRY_DIR &&
	    !may_write(x))
		return e->type == BD_ENTRY_FILE ? drain(x, raw) : 0;
	if (aside && e->type == BD_ENTRY_FILE)
		return write_file(x, raw, e, true);
	if (aside && e->type == BD_ENTRY_HARDLINK)
		return make_hardlink(x, raw, e, true);
	if (act != BD_ARCHIVE_WRITE)
		return e->type == BD_ENTRY_FILE ? drain(x, raw) : 0;
	switch (e->type) {
	case BD_ENTRY_FILE: return write_file(x, raw, e, false);
	case BD_ENTRY_DIR: return make_dir(x, raw, e->name);
	case BD_ENTRY_SYMLINK: return make_symlink(x, raw, e);
	case BD_ENTRY_HARDLINK: return make_hardlink(x, raw, e, false);
	case BD_ENTRY_SPECIAL: break;
	}
	return 0;
}

static bool is_cpio(struct archive *a)
{
	return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
	       ARCHIVE_FORMAT_CPIO;
}

static void links_release(struct links *l)
{
	size_t i;

	for (i = 0; i < l->nset; i++)
		free(l->set[i].first);
	for (i = 0; i < l->nname; i++)
		free(l->name[i].name);
	free(l->set);
	free(l->name);
	bd_map_release(&l->first);
	memset(l, 0, sizeof(*l));
}

/* The set whose first name is first, still without its data: its index,
 * or -1. */
static long links_waiting(const struct links *l, const char *first)
{
	uint32_t i;

	return l->nset && bd_map_get(&l->first, first, &i) && !l->set[i].done
		       ? (long)i
		       : -1;
}

/* Keeps name waiting for the data of set (-1: a new set, name its first).
 * 1 when kept, 0 when there is no room (the entry goes on as it is, a
 * link to a name not made), or BD_ENOMEM. */
static int links_wait(struct links *l, const char *name, long set)
{
	char *copy, *first = NULL;

	if (l->nname >= LINKS_MAX)
		return 0;
	if (!l->name) {
		l->name = calloc(LINKS_MAX, sizeof(*l->name));
		l->set = calloc(LINKS_MAX, sizeof(*l->set));
		if (!l->name || !l->set)
			return BD_ENOMEM;
	}
	copy = strdup(name);
	if (copy && set < 0) {
		first = strdup(name);
		if (!first || bd_map_put(&l->first, first, (uint32_t)l->nset)) {
			free(first);
			free(copy);
			return BD_ENOMEM;
		}
		set = (long)l->nset;
		l->set[l->nset++] = (struct link_set){ first, false };
	}
	if (!copy)
		return BD_ENOMEM;
	l->name[l->nname++] = (struct link_name){ copy, (uint32_t)set };
	return 1;
}

/* The data of set came with the file x->norm (mode as fe's): each name
 * of the set is offered as a hard link to it, and made as one. */
static int links_made(struct ex *x, uint32_t set,
		      const struct bd_archive_entry *fe)
{
	struct links *l = &x->links;
	size_t i;
	int rc = 0;

	l->set[set].done = true;
	for (i = 0; i < l->nname && !rc; i++) {
		struct bd_archive_entry e = { 0 };
		enum bd_archive_action act;

		if (l->name[i].set != set || !l->name[i].name)
			continue;
		memcpy(x->target, x->norm, strlen(x->norm) + 1);
		e.name = l->name[i].name;
		e.type = BD_ENTRY_HARDLINK;
		e.link = x->target;
		e.mode = fe->mode;
		act = x->ops->select(x->ops->ctx, &e, NULL, 0);
		rc = dispatch(x, e.name, &e, act);
		free(l->name[i].name);
		l->name[i].name = NULL;
	}
	return rc;
}

/*
 * An entry of a cpio's set of hard links (struct links): 1 when it waits
 * for the set's data (a first name without data, or a later one), 0 when
 * it is taken now; *set is the set whose data it carries, or -1.
 */
static int cpio_link(struct ex *x, struct archive_entry *ae,
		     const struct bd_archive_entry *e, long *set)
{
	const char *hard = archive_entry_hardlink(ae);
	bool empty = !archive_entry_size_is_set(ae) || !archive_entry_size(ae);
	int rc;

	*set = -1;
	if (e->type == BD_ENTRY_FILE && !hard && empty &&
	    archive_entry_nlink(ae) > 1)
		rc = links_wait(&x->links, x->norm, -1);
	else if (e->type == BD_ENTRY_HARDLINK &&
		 (*set = links_waiting(&x->links, x->target)) >= 0)
		rc = links_wait(&x->links, x->norm, *set);
	else if (e->type == BD_ENTRY_FILE && hard &&
		 entry_name(x, hard, x->target) == NAME_OK)
		return *set = links_waiting(&x->links, x->target), 0;
	else
		return 0;
	*set = -1;
	if (!rc && !x->links.full_said) {
		char what[128];

		x->links.full_said = true;
		snprintf(what, sizeof(what),
			 "more than %d hard links wait for their file's data: "
			 "this one and those after it are not made",
			 LINKS_MAX);
		warn_entry(x, x->raw, what);
	}
	return rc;
}

/* Where an image layer's entry is written (ops->place): x->placed, and
 * x->target for a hard link; *why set to skip it ("": said already).
 * Returns 0 or a BD_E*. */
static int place(struct ex *x, const struct bd_archive_entry *e,
		 const char **why)
{
	const char *said = NULL;
	int rc;

	memcpy(x->placed, x->norm, strlen(x->norm) + 1);
	rc = x->ops->place(x->ops->ctx, e, x->placed,
			   e->type == BD_ENTRY_HARDLINK ? x->target : NULL,
			   &said);
	if (rc < 0)
		return rc == BD_ENOMEM
			       ? bd_error_set(x->err, rc, "'%s': out of memory",
					      x->name)
			       : bd_error_set(x->err, rc,
					      "'%s!/%s': not placed", x->name,
					      x->norm);
	if (rc)
		*why = said ? said : "";
	return 0;
}

/* One entry: judged, offered, handled. Returns 0, STOP or a BD_E*. */
static int one_entry(struct ex *x, struct archive_entry *ae)
{
	struct bd_archive_entry e = { 0 };
	const char *raw = archive_entry_pathname(ae), *why, *name = x->norm;
	char what[NAME_MAX_LEN + 64];
	enum bd_archive_action act;
	long set = -1;
	int dup, rc;

	x->headlen = x->restlen = 0;
	x->resthole = x->pos = 0;
	x->data_eof = x->data_warned = x->named = false;
	x->sparse = archive_entry_sparse_count(ae) > 0;
	raw = raw ? raw : archive_entry_pathname_utf8(ae);
	if (!raw) {
		warn_entry(x, "?", "entry without a usable name, skipped");
		return 0;
	}
	e.name = x->raw = raw;
	why = judge(x, ae, &e, what, sizeof(what));
	if (!why && x->ops->place) {
		rc = place(x, &e, &why);
		if (rc)
			return rc;
		name = x->placed;
	}
	if (!why && e.type != BD_ENTRY_DIR) {
		dup = seen_add(&x->seen, name, true);
		if (dup < 0)
			return bd_error_set(x->err, BD_ENOMEM,
					    "'%s': out of memory", x->name);
		e.repeat = dup == 1;
		why = dup && !x->ops->repeats
			      ? "duplicate entry, the first is kept"
			      : NULL;
	}
	/* A hard link to no entry before it: in an image layer, to a file of
	 * the layers below (links_below); anywhere else, to nothing. */
	if (!why && e.type == BD_ENTRY_HARDLINK &&
	    seen_add(&x->seen, x->target, false) != 1) {
		e.link_below = x->ops->links_below;
		if (!e.link_below) {
			snprintf(what, sizeof(what),
				 "hard link to '%.*s', which is not before "
				 "it in the archive, skipped",
				 SHOW_MAX, e.link);
			why = what;
		}
	}
	if (why) {
		if (why[0])
			warn_entry(x, raw, why);
		return x->compressed ? drain(x, raw) : 0;
	}
	if (is_cpio(x->a)) {
		rc = cpio_link(x, ae, &e, &set);
		if (rc < 0)
			return bd_error_set(x->err, BD_ENOMEM,
					    "'%s': out of memory", x->name);
		if (rc)
			return x->compressed ? drain(x, raw) : 0;
	}
	e.name = name;
	if (e.type == BD_ENTRY_HARDLINK)
		e.link = x->target; /* an entry name: normalised as names are */
	e.size = archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0
			 ? (uint64_t)archive_entry_size(ae)
			 : 0;
	e.mode = (unsigned)archive_entry_perm(ae) & 07777;
	if (e.type == BD_ENTRY_FILE && read_head(x) < 0)
		return corrupt(x, raw);
	act = x->ops->select(x->ops->ctx, &e, x->head, x->headlen);
	if (x->ops->central && act != BD_ARCHIVE_STOP)
		act = BD_ARCHIVE_SKIP; /* listed, never made */
	rc = dispatch(x, raw, &e, act);
	if (!rc && set >= 0)
		rc = links_made(x, (uint32_t)set, &e);
	/* Data after an entry that is no file (a GNU dumpdir's listing, a
	 * cpio directory's) would be decompressed by libarchive's next
	 * header, where nothing counts it: it is drained here, within the
	 * ratio. */
	if (!rc && x->compressed && e.type != BD_ENTRY_FILE)
		rc = drain(x, raw);
	return rc;
}

/* A zip, by its central directory (bd_archive_ops.central). */
static bool set_up_central(struct ex *x)
{
	x->src.start = lseek(x->src.fd, 0, SEEK_CUR);
	return x->src.start >= 0 && !x->src.tap &&
	       archive_read_support_format_zip_seekable(x->a) == ARCHIVE_OK &&
	       archive_read_set_seek_callback(x->a, src_seek) == ARCHIVE_OK;
}

/* The archive's reader reads what the decompressing one gives, and the
 * tap sees it (the stream's own bytes when it was not compressed: the
 * caller's packed tap has them). */
static la_ssize_t unpacked_read(struct archive *a, void *ctx, const void **buf)
{
	struct ex *x = ctx;
	size_t size = 0;
	la_int64_t off;
	int r = x->outer_empty
			? ARCHIVE_EOF
			: archive_read_data_block(x->outer, buf, &size, &off);

	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_WARN) {
		archive_set_error(a, archive_errno(x->outer), "%s",
				  reason(x->outer));
		return -1;
	}
	if (x->compressed && size)
		x->ops->unpacked(x->ops->ctx, *buf, size);
	return (la_ssize_t)size;
}

/* How many decompressions libarchive stacked on the stream (the rpm
 * filter only skips the header; the last is the reader itself): a
 * compressed stream has one or more. */
static int decompressions(struct archive *a)
{
	int i, n = 0;

	for (i = 0; i < archive_filter_count(a); i++)
		n += archive_filter_code(a, i) != ARCHIVE_FILTER_NONE &&
		     archive_filter_code(a, i) != ARCHIVE_FILTER_RPM;
	return n;
}

/* The stream opened to decompress (ops->unpacked): libarchive's raw
 * format gives it as one entry. */
static int open_outer(struct ex *x)
{
	struct archive_entry *ae;
	int r, n;

	/* The raw format takes no empty stream: the empty one does (gzip of
	 * nothing, which decompresses to no entry). */
	x->outer = archive_read_new();
	if (!x->outer || !add_filters(x->outer) ||
	    archive_read_support_format_raw(x->outer) != ARCHIVE_OK ||
	    archive_read_support_format_empty(x->outer) != ARCHIVE_OK)
		return bd_error_set(x->err, BD_ENOMEM,
				    "'%s': libarchive cannot be set up",
				    x->name);
	r = archive_read_open2(x->outer, &x->src, NULL, src_read, src_skip,
			       NULL);
	if (r == ARCHIVE_OK)
		r = archive_read_next_header(x->outer, &ae);
	if (r < ARCHIVE_WARN)
		return bd_error_set(x->err, BD_EFORMAT,
				    "'%s': truncated or corrupt (%s)", x->name,
				    reason(x->outer));
	x->outer_empty = r == ARCHIVE_EOF;
	n = decompressions(x->outer);
	x->compressed = n > 0;
	/* libarchive stacks filters while one bids: a gzip'd gzip'd tar
	 * would give the tap the tar, where one decompression (gzip -dc,
	 * containerd's) gives a gzip stream, which no tar reader takes. */
	if (n > 1)
		return bd_error_set(x->err, BD_EFORMAT,
				    "'%s': compressed twice, not an archive",
				    x->name);
	return 0;
}

/* Drains what the stream decompresses to past where the archive's reader
 * stopped (its end, or damage it warned of), for the tap, within the
 * caps. */
static int drain_outer(struct ex *x, bool at_end)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r, rc = 0;

	while (!rc && x->compressed && !x->outer_empty) {
		r = archive_read_data_block(x->outer, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN && x->capped)
			return x->capped;
		if (r < ARCHIVE_WARN)
			return bd_error_set(x->err, BD_EFORMAT,
					    "'%s': truncated or corrupt%s (%s)",
					    x->name,
					    at_end ? " after its end" : "",
					    reason(x->outer));
		x->after_end += size;
		rc = charge(x, size);
		if (!rc)
			rc = check_ratio(x);
		if (!rc)
			x->ops->unpacked(x->ops->ctx, buf, size);
	}
	return rc;
}

static int open_archive(struct ex *x)
{
	int rc;

	if (x->ops->unpacked && !x->ops->central) {
		rc = open_outer(x);
		if (rc)
			return rc;
	}
	x->a = archive_read_new();
	if (!x->a)
		return bd_error_set(x->err, BD_ENOMEM, "'%s': out of memory",
				    x->name);
	if (x->ops->central) {
		if (x->src.fd < 0 || !set_up_central(x))
			return bd_error_set(x->err, BD_EFORMAT,
					    "'%s': cannot be read by its "
					    "central directory",
					    x->name);
	} else if ((!x->outer && !add_filters(x->a)) ||
		   (!x->outer && !x->ops->tar_only &&
		    archive_read_support_format_zip_streamable(x->a) !=
			    ARCHIVE_OK) ||
		   archive_read_support_format_tar(x->a) != ARCHIVE_OK ||
		   (!x->ops->tar_only &&
		    (archive_read_support_format_ar(x->a) != ARCHIVE_OK ||
		     archive_read_support_format_cpio(x->a) != ARCHIVE_OK)) ||
		   /* A layer that decompresses to nothing is an empty one
		    * (Go's tar reader meets the end at once: containerd). */
		   (x->outer_empty &&
		    archive_read_support_format_empty(x->a) != ARCHIVE_OK))
		return bd_error_set(x->err, BD_ENOMEM,
				    "'%s': libarchive cannot be set up",
				    x->name);
	/* libarchive's first read may meet the end of a short stream: a
	 * gzip'd tarball cut in half is truncated, not "not an archive". A
	 * format it does not know is ARCHIVE_ERRNO_FILE_FORMAT, which
	 * archive_platform.h makes EILSEQ (libarchive 3.6). */
	if ((x->outer ? archive_read_open(x->a, x, NULL, unpacked_read, NULL)
		      : archive_read_open2(x->a, &x->src, NULL, src_read,
					   src_skip, NULL)) != ARCHIVE_OK)
		return bd_error_set(x->err, BD_EFORMAT,
				    archive_errno(x->a) == EILSEQ
					    ? "'%s': not an archive (%s)"
					    : "'%s': truncated or corrupt (%s)",
				    x->name, reason(x->a));
	if (!x->outer)
		x->compressed = decompressions(x->a) > 0;
	if (x->ops->compressed)
		*x->ops->compressed = x->compressed;
	return 0;
}

static int run(struct ex *x)
{
	struct archive_entry *ae;
	int rc = open_archive(x), r = ARCHIVE_FATAL;

	while (!rc) {
		r = archive_read_next_header(x->a, &ae);
		if (x->capped)
			return x->capped;
		if (r == ARCHIVE_EOF)
			break;
		/* RETRY too: no header was read. */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN && !x->entries)
			return bd_error_set(x->err, BD_EFORMAT,
					    "'%s': not an archive, or corrupt "
					    "(%s)",
					    x->name, reason(x->a));
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			bd_diag_report(x->diag, BD_DIAG_WARNING,
				       "'%s': truncated or corrupt after %zu "
				       "%s (%s), the rest is skipped",
				       x->name, x->entries,
				       x->entries == 1 ? "entry" : "entries",
				       reason(x->a));
			break;
		}
		if (++x->entries > x->lim->max_entries)
			return bd_error_set(x->err, BD_ELIMIT,
					    "'%s': more than %zu entries, "
					    "stopped",
					    x->name, x->lim->max_entries);
		rc = one_entry(x, ae);
		if (!rc)
			rc = check_ratio(x);
	}
	/* What the last header's read decompressed (a small stream is read
	 * whole at once: src_read did not judge it). */
	if (!rc && r == ARCHIVE_EOF && x->compressed)
		rc = check_ratio(x);
	/* After damage too: the tap's digest is over the whole stream, as
	 * the packed tap's caller hashes the rest of the blob; a stream
	 * that cannot be decompressed to its end fails here. */
	if ((!rc || rc == STOP) && x->outer && !x->capped)
		rc = drain_outer(x, r == ARCHIVE_EOF);
	if (x->capped)
		rc = x->capped;
	if (x->ops->whole)
		*x->ops->whole = !rc && r == ARCHIVE_EOF;
	return rc == STOP ? 0 : rc;
}

static void finish(struct ex *x)
{
	if (x->a)
		archive_read_free(x->a);
	if (x->outer)
		archive_read_free(x->outer);
	if (x->pdir >= 0)
		close(x->pdir);
	if (x->base >= 0)
		close(x->base);
	if (x->aside >= 0)
		close(x->aside);
	free(x->seen.slots);
	links_release(&x->links);
	free(x->pdir_name);
	free(x->src.buf);
}

/* dest_dirfd/prefix made and opened as x->base, then the archive read. */
static int extract_in(struct ex *x, int dest_dirfd, const char *prefix)
{
	int rc;

	bd_error_clear(x->err);
	x->src.ex = x;
	x->src.tap = x->ops->packed;
	x->src.tapctx = x->ops->ctx;
	x->pdir = x->aside = -1;
	x->base = -1;
	x->dest = dest_dirfd;
	x->pdir_name = malloc(NAME_MAX_LEN + 1);
	if (!x->pdir_name || (x->src.fd >= 0 && !x->src.buf)) {
		return bd_error_set(x->err, BD_ENOMEM, "'%s': out of memory",
				    x->name);
	}
	x->target[0] = '\0';
	if (prefix && prefix[0] && normalise(prefix, x->target) != NAME_OK) {
		return bd_error_set(x->err, BD_EIO, "'%s': bad prefix '%s'",
				    x->name, prefix);
	}
	x->base = bd_archive_open_dir(dest_dirfd, x->target, strlen(x->target),
				      true);
	if (x->base < 0)
		return bd_error_errno(x->err, BD_EIO, errno,
				      "'%s': cannot make the directory '%s'",
				      x->name, x->target);
	rc = run(x);
	return rc;
}

/* Without the locale (out of memory, or none such), names go by the
 * thread's own, and false is returned. */
bool bd_archive_names_in(struct bd_archive_names *n, const char *locale)
{
	n->loc = newlocale(LC_CTYPE_MASK, locale, (locale_t)0);
	n->old = n->loc ? uselocale(n->loc) : (locale_t)0;
	return n->loc != (locale_t)0;
}

void bd_archive_names_restore(struct bd_archive_names *n)
{
	if (!n->loc)
		return;
	uselocale(n->old);
	freelocale(n->loc);
	n->loc = (locale_t)0;
}

/* The archive is read with its names as UTF-8 (bd_archive_names_in). */
static int extract(struct ex *x, int dest_dirfd, const char *prefix)
{
	struct bd_archive_names names;
	int rc;

	bd_archive_names_in(&names, "C.UTF-8");
	rc = extract_in(x, dest_dirfd, prefix);
	bd_archive_names_restore(&names);
	return rc;
}

int bd_archive_extract(int fd, const char *name, int dest_dirfd,
		       const char *prefix, const struct bd_archive_limits *lim,
		       const struct bd_archive_ops *ops,
		       const struct bd_diag *diag, struct bd_error *err)
{
	struct bd_error local;
	struct ex *x = calloc(1, sizeof(*x));
	int rc;

	if (!x)
		return bd_error_set(err, BD_ENOMEM, "'%s': out of memory",
				    name);
	bd_archive_limits_default(&x->deflim);
	x->name = name;
	x->lim = lim ? lim : &x->deflim;
	x->ops = ops;
	x->diag = diag;
	x->err = err ? err : &local;
	x->src.fd = fd;
	x->src.size = src_size(fd);
	x->src.buf = malloc(READ_BLOCK);
	rc = extract(x, dest_dirfd, prefix);
	finish(x);
	free(x);
	return rc;
}

int bd_archive_extract_memory(const void *data, size_t len, const char *name,
			      int dest_dirfd, const char *prefix,
			      const struct bd_archive_limits *lim,
			      const struct bd_archive_ops *ops,
			      const struct bd_diag *diag, struct bd_error *err)
{
	struct bd_error local;
	struct ex *x = calloc(1, sizeof(*x));
	int rc;

	if (!x)
		return bd_error_set(err, BD_ENOMEM, "'%s': out of memory",
				    name);
	bd_archive_limits_default(&x->deflim);
	x->name = name;
	x->lim = lim ? lim : &x->deflim;
	x->ops = ops;
	x->diag = diag;
	x->err = err ? err : &local;
	x->src.fd = -1;
	x->src.size = -1;
	/* libarchive takes a NULL buffer for end of input: never give it. */
	x->src.mem = data ? data : (const unsigned char *)"";
	x->src.memlen = data ? len : 0;
	rc = extract(x, dest_dirfd, prefix);
	finish(x);
	free(x);
	return rc;
}
