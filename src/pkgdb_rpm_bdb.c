/* SPDX-License-Identifier: MIT */
/*
 * rpm's Berkeley DB database, var/lib/rpm/Packages (rpm < 4.16: RHEL and
 * CentOS 7 and 8, Amazon Linux 2): a Berkeley DB hash database whose keys
 * are header instance numbers (4 bytes, the writer's byte order) and whose
 * values are header blobs, as rpmdb.sqlite stores them. Read without
 * libdb, page by page, as rpm's own read-only backend does
 * (lib/backend/bdb_ro.cc): the layouts are libdb's src/dbinc/db_page.h
 * (metadata page, page header, HKEYDATA and HOFFPAGE items) and the
 * bucket-to-page mapping its hash access method's (BS_TO_PAGE).
 *
 * Every number in the file is checked before it is used: a page is read
 * only once, by number, from inside the file; an item must lie in its
 * page past the index; an overflow record is at most BD_RPM_MAX_HEADER
 * bytes and no more than the file holds. The first problem ends the read
 * with it said; what was read before it is kept.
 */
#include "bindep/pkgdb.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* db_page.h: the metadata page's fields (DBMETA33, HMETA33). */
#define META_MAGIC     12
#define META_VERSION   16
#define META_PAGESIZE  20
#define META_ENCRYPT   24
#define META_TYPE      25
#define META_FLAGS     26
#define META_LAST_PGNO 32
#define META_MAXBUCKET 72
#define META_SPARES    96
#define META_SIZE      512 /* the smallest page */
#define NSPARES	       32

#define HASH_MAGIC    0x061561u
#define DBMETA_CHKSUM 0x01u

/* db_page.h: every page's header (PAGE), 26 bytes, then the index. */
#define PAGE_PGNO    8
#define PAGE_NEXT    16
#define PAGE_ENTRIES 20
#define PAGE_HOFFSET 22 /* an overflow page: the bytes it holds */
#define PAGE_TYPE    25
#define PAGE_HEADER  26

enum {
	P_INVALID = 0,
	P_HASH_UNSORTED = 2, /* written before libdb 4.6 */
	P_OVERFLOW = 7,
	P_HASHMETA = 8,
	P_HASH = 13,
};

/* db_page.h: a hash item's first byte; HOFFPAGE is 12 bytes, its page
 * number at 4 and total length at 8. */
enum { H_KEYDATA = 1, H_OFFPAGE = 3 };
#define HOFFPAGE_SIZE 12

/* A record found on a bucket page, read once all are found. */
enum ref_kind { REF_INLINE, REF_OFFPAGE, REF_OTHER };

struct ref {
	uint32_t hnum, seq;
	uint32_t pgno; /* its bucket page, or its first overflow page */
	uint32_t len;  /* in the page, or in all */
	uint32_t off;  /* in the page (REF_INLINE; 65536 in a page as large) */
	uint8_t kind;
};

struct bdb {
	int fd;
	const char *inside;
	struct bd_error *e;
	bool swapped; /* written on a machine of the other byte order */
	uint32_t pagesize;
	uint32_t last;	    /* the last page, as the metadata page says */
	uint32_t in_file;   /* pages the file holds */
	uint32_t maxbucket; /* buckets 0..maxbucket are in use */
	uint32_t spares[NSPARES];
	uint8_t *seen; /* a bit per page: read already */
	unsigned char *page;
	struct ref *refs;
	size_t nrefs, alloc, max;
};

static uint32_t get32(const struct bdb *b, const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return b->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t get16(const struct bdb *b, const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return b->swapped ? __builtin_bswap16(v) : v;
}

/*
 * The metadata page (page 0). rpm's reader takes either byte order
 * (bdb_ro.cc swaps every number when the magic is swapped), hash versions
 * 8 to 10 (libdb 4.x and 5.x), and page sizes libdb allows: powers of
 * two from 512 to 64 KiB. Checksummed or encrypted pages put more in
 * their header than rpm's reader knows of: rpm never writes them.
 */
static int read_meta(struct bdb *b, uint64_t size)
{
	unsigned char m[META_SIZE];
	uint32_t magic, version, i;
	uint64_t pages;

	if (pread(b->fd, m, sizeof(m), 0) != (ssize_t)sizeof(m))
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': shorter than a Berkeley DB "
				    "metadata page",
				    b->inside);
	memcpy(&magic, m + META_MAGIC, 4);
	b->swapped = magic == __builtin_bswap32(HASH_MAGIC);
	if (magic != HASH_MAGIC && !b->swapped)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': not a Berkeley DB hash database",
				    b->inside);
	version = get32(b, m + META_VERSION);
	b->pagesize = get32(b, m + META_PAGESIZE);
	b->last = get32(b, m + META_LAST_PGNO);
	b->maxbucket = get32(b, m + META_MAXBUCKET);
	for (i = 0; i < NSPARES; i++)
		b->spares[i] = get32(b, m + META_SPARES + 4 * i);
	if (m[META_TYPE] != P_HASHMETA)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': its first page is no hash metadata "
				    "page (type %u)",
				    b->inside, m[META_TYPE]);
	if (version < 8 || version > 10)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': a hash metadata page of an "
				    "unknown version (%u)",
				    b->inside, version);
	if (b->pagesize < 512 || b->pagesize > 65536 ||
	    (b->pagesize & (b->pagesize - 1)))
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page size %u is not a power of two "
				    "from 512 to 65536",
				    b->inside, b->pagesize);
	if (m[META_ENCRYPT] || (m[META_FLAGS] & DBMETA_CHKSUM))
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': encrypted or checksummed pages, "
				    "which rpm does not write",
				    b->inside);
	/* Every bucket in use has a page of its own. */
	if (b->maxbucket >= b->last)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': its last bucket, %u, is past its "
				    "last page, %u",
				    b->inside, b->maxbucket, b->last);
	pages = size / b->pagesize;
	b->in_file = pages > b->last ? b->last + 1 : (uint32_t)pages;
	return 0;
}

/* Page pgno into buf, once (a second read would be a loop, or two chains
 * that share a page), and it must say it is that page, as bdb_ro.cc
 * checks; with zeros_ok, or be a page never written to, all zeros. */
static int read_page(struct bdb *b, uint32_t pgno, unsigned char *buf,
		     bool zeros_ok)
{
	static const unsigned char zeros[PAGE_HEADER];

	if (pgno == 0 || pgno > b->last)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': a link to page %u, past its last "
				    "page (%u)",
				    b->inside, pgno, b->last);
	if (pgno >= b->in_file)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page %u is past the end of the file "
				    "(truncated)",
				    b->inside, pgno);
	if (b->seen[pgno / 8] & (1u << (pgno % 8)))
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page %u is linked to twice (a loop)",
				    b->inside, pgno);
	b->seen[pgno / 8] |= (uint8_t)(1u << (pgno % 8));
	if (pread(b->fd, buf, b->pagesize, (off_t)pgno * b->pagesize) !=
	    (ssize_t)b->pagesize)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page %u cannot be read", b->inside,
				    pgno);
	if (zeros_ok && !memcmp(buf, zeros, sizeof(zeros)))
		return 0;
	if (get32(b, buf + PAGE_PGNO) != pgno)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page %u says it is page %u",
				    b->inside, pgno, get32(b, buf + PAGE_PGNO));
	return 0;
}

static int add_ref(struct bdb *b, const struct ref *r)
{
	if (b->nrefs == b->alloc) {
		size_t n = b->alloc ? 2 * b->alloc : 64;
		struct ref *v = realloc(b->refs, n * sizeof(*v));

		if (!v)
			return BD_ENOMEM;
		b->refs = v;
		b->alloc = n;
	}
	b->refs[b->nrefs] = *r;
	b->refs[b->nrefs].seq = (uint32_t)b->nrefs;
	b->nrefs++;
	return 0;
}

/*
 * The i-th item of a hash page: where it is and how long. Items are laid
 * out from the end of the page down in index order, so an item ends
 * where the one before it starts (libdb's LEN_HITEM). It must lie past
 * the index, inside the page.
 */
static int item_at(struct bdb *b, const unsigned char *pg, uint32_t pgno,
		   unsigned n, unsigned i, uint32_t *off, uint32_t *len)
{
	uint32_t end =
		i ? get16(b, pg + PAGE_HEADER + 2 * (i - 1)) : b->pagesize;

	*off = get16(b, pg + PAGE_HEADER + 2 * i);
	if (*off < PAGE_HEADER + 2 * n || *off >= end || end > b->pagesize)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page %u: item %u lies outside its "
				    "page",
				    b->inside, pgno, i);
	*len = end - *off;
	return 0;
}

/* A key/data pair: rpm's records have a 4-byte key, the instance number
 * (bdb_ro.cc's pkgdbKey gives 0 for any other, and rpm skips 0: the
 * record under key 0 holds the next instance number, no header). */
static int take_pair(struct bdb *b, const unsigned char *pg, uint32_t pgno,
		     unsigned n, unsigned i)
{
	uint32_t koff, klen, voff, vlen;
	struct ref r = { 0 };
	int rc;

	rc = item_at(b, pg, pgno, n, i, &koff, &klen);
	if (!rc)
		rc = item_at(b, pg, pgno, n, i + 1, &voff, &vlen);
	if (rc || pg[koff] != H_KEYDATA || klen != 5)
		return rc;
	r.hnum = get32(b, pg + koff + 1);
	if (!r.hnum)
		return 0;
	r.pgno = pgno;
	if (pg[voff] == H_KEYDATA) {
		r.kind = REF_INLINE;
		r.off = voff + 1;
		r.len = vlen - 1;
	} else if (pg[voff] == H_OFFPAGE && vlen == HOFFPAGE_SIZE) {
		r.kind = REF_OFFPAGE;
		r.pgno = get32(b, pg + voff + 4);
		r.len = get32(b, pg + voff + 8);
	} else {
		r.kind = REF_OTHER; /* duplicates: rpm writes none */
	}
	return add_ref(b, &r);
}

/* The records of one bucket page; *next its next page (0: none). */
static int take_page(struct bdb *b, uint32_t pgno, bool first, uint32_t *next)
{
	unsigned char *pg = b->page;
	unsigned n, i;
	int rc;

	*next = 0;
	/* A bucket never written to is a page of zeros: libdb's own walk
	 * (__ham_traverse) ends a bucket at a P_INVALID page. */
	rc = read_page(b, pgno, pg, first);
	if (rc || (first && pg[PAGE_TYPE] == P_INVALID &&
		   !get16(b, pg + PAGE_ENTRIES)))
		return rc;
	if (pg[PAGE_TYPE] != P_HASH && pg[PAGE_TYPE] != P_HASH_UNSORTED)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page %u is no hash page (type %u)",
				    b->inside, pgno, pg[PAGE_TYPE]);
	n = get16(b, pg + PAGE_ENTRIES);
	if (n % 2 || PAGE_HEADER + 2 * n > b->pagesize)
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': page %u: %u items do not make "
				    "key/data pairs in the page",
				    b->inside, pgno, n);
	for (i = 0; !rc && i < n && b->nrefs < b->max; i += 2)
		rc = take_pair(b, pg, pgno, n, i);
	*next = get32(b, pg + PAGE_NEXT);
	return rc;
}

/*
 * Every bucket in use, each a chain of pages. Bucket k's first page is k
 * plus the spare pages of its doubling of the table (libdb's BS_TO_PAGE:
 * spares[ceil(log2(k + 1))]), as bdb_ro.cc's hash_bucket_to_page.
 */
static int collect(struct bdb *b)
{
	uint32_t bucket, pgno, next;
	int rc = 0;

	for (bucket = 0; !rc && bucket <= b->maxbucket && b->nrefs < b->max;
	     bucket++) {
		unsigned bits =
			bucket ? 32 - (unsigned)__builtin_clz(bucket) : 0;
		uint64_t first;

		first = bits < NSPARES ? (uint64_t)bucket + b->spares[bits]
				       : UINT64_MAX;
		if (first > b->last)
			return bd_error_set(b->e, BD_EFORMAT,
					    "'%s': bucket %u starts past the "
					    "last page",
					    b->inside, bucket);
		rc = take_page(b, (uint32_t)first, true, &next);
		for (pgno = next; !rc && pgno && b->nrefs < b->max; pgno = next)
			rc = take_page(b, pgno, false, &next);
	}
	return rc;
}

/*
 * An overflow record into blob (r->len bytes): a chain of P_OVERFLOW
 * pages, each holding its share after its header (OV_LEN, the header's
 * hf_offset), linked by next_pgno. read_page ends a loop.
 */
static int read_overflow(struct bdb *b, const struct ref *r,
			 unsigned char *blob, unsigned char *pg)
{
	uint32_t got = 0, pgno = r->pgno, part;
	int rc;

	while (got < r->len) {
		rc = read_page(b, pgno, pg, false);
		if (rc)
			return rc;
		part = get16(b, pg + PAGE_HOFFSET);
		if (pg[PAGE_TYPE] != P_OVERFLOW || !part ||
		    part > b->pagesize - PAGE_HEADER || part > r->len - got)
			return bd_error_set(b->e, BD_EFORMAT,
					    "'%s': page %u is no overflow page "
					    "of package %u's %u bytes",
					    b->inside, pgno, r->hnum, r->len);
		memcpy(blob + got, pg + PAGE_HEADER, part);
		got += part;
		pgno = get32(b, pg + PAGE_NEXT);
	}
	return 0;
}

/* Whether an overflow record's length is one a header can have and the
 * file could hold. */
static bool overflow_fits(const struct bdb *b, const struct ref *r)
{
	return r->len && r->len <= BD_RPM_MAX_HEADER &&
	       r->len <= (uint64_t)b->in_file * (b->pagesize - PAGE_HEADER);
}

static int by_hnum(const void *x, const void *y)
{
	const struct ref *a = x, *c = y;

	if (a->hnum != c->hnum)
		return a->hnum < c->hnum ? -1 : 1;
	return a->seq < c->seq ? -1 : a->seq > c->seq;
}

/* One record's blob to on_blob: its bytes read again from its page (not
 * the whole page: the records of a page are disjoint, so no more is read
 * than the file holds, where 100,000 records of a byte on pages of 64 KiB
 * were 6.5 GB read), or from its overflow pages. */
static int hand_over(struct bdb *b, const struct ref *r, unsigned char *pg,
		     bd_rpm_blob_fn on_blob, void *ctx)
{
	unsigned char *blob;
	int rc;

	if (r->kind == REF_OTHER)
		return on_blob(ctx, r->hnum, NULL, 0);
	if (r->kind == REF_INLINE) {
		if (pread(b->fd, pg, r->len,
			  (off_t)r->pgno * b->pagesize + r->off) !=
		    (ssize_t)r->len)
			return bd_error_set(b->e, BD_EFORMAT,
					    "'%s': page %u cannot be read",
					    b->inside, r->pgno);
		return on_blob(ctx, r->hnum, pg, r->len);
	}
	if (!overflow_fits(b, r))
		return bd_error_set(b->e, BD_EFORMAT,
				    "'%s': package %u's record of %u bytes "
				    "cannot be a header in this file",
				    b->inside, r->hnum, r->len);
	blob = malloc(r->len);
	if (!blob)
		return BD_ENOMEM;
	rc = read_overflow(b, r, blob, pg);
	if (!rc)
		rc = on_blob(ctx, r->hnum, blob, r->len);
	free(blob);
	return rc;
}

/*
 * The records found, in the order of their instance numbers, as the
 * sqlite reader reads rpmdb.sqlite's (where two packages list a file, the
 * first keeps it): a database converted from one to the other reads the
 * same.
 */
static int hand_all(struct bdb *b, bd_rpm_blob_fn on_blob, void *ctx)
{
	unsigned char *pg = malloc(b->pagesize);
	size_t i;
	int rc = 0;

	if (!pg)
		return BD_ENOMEM;
	if (b->nrefs) /* refs is NULL before the first */
		qsort(b->refs, b->nrefs, sizeof(*b->refs), by_hnum);
	for (i = 0; !rc && i < b->nrefs; i++)
		rc = hand_over(b, &b->refs[i], pg, on_blob, ctx);
	free(pg);
	return rc;
}

int bd_rpm_read_bdb(int fd, uint64_t size, const char *inside, size_t max,
		    bd_rpm_blob_fn on_blob, void *ctx, struct bd_error *e)
{
	struct bdb b = { .fd = fd, .inside = inside, .e = e, .max = max };
	struct bd_error walk;
	int rc, rc2;

	bd_error_clear(e);
	bd_error_clear(&walk);
	rc = read_meta(&b, size);
	if (rc)
		return rc;
	b.seen = calloc((size_t)b.in_file / 8 + 1, 1);
	b.page = malloc(b.pagesize);
	if (!b.seen || !b.page) {
		rc = BD_ENOMEM;
		goto out;
	}
	/* What the walk found before a bad page is read; then the walk's
	 * problem is said, unless reading found one first. */
	b.e = &walk;
	rc = collect(&b);
	b.e = e;
	if (rc != BD_ENOMEM) {
		rc2 = hand_all(&b, on_blob, ctx);
		if (rc2 || !rc)
			rc = rc2;
		else
			*e = walk;
	}
	if (rc > 0) /* on_blob stopped the read */
		rc = 0;
	/* A file cut short whose missing pages the walk did not need. */
	else if (!rc && b.in_file <= b.last)
		rc = bd_error_set(e, BD_EFORMAT,
				  "'%s': its last page, %u, is past the end of "
				  "the file (truncated)",
				  inside, b.last);
out:
	free(b.seen);
	free(b.page);
	free(b.refs);
	return rc;
}
