/* SPDX-License-Identifier: MIT */
/*
 * rpm's NDB database, Packages.db (SUSE: SLES 15, openSUSE Leap), as rpm's
 * lib/backend/ndb/rpmpkg.c writes it. All numbers little-endian:
 *
 * - a 32-byte header: magic "RpmP", version 0, generation, the number of
 *   4 KiB slot pages, the next package index;
 * - the slot pages, the header taking the first two 16-byte slots: each
 *   slot "Slot", a package index, and the block offset and count (16-byte
 *   blocks) of its blob; offset 0 is a free slot;
 * - the blobs after the slot pages: "BlbS", the package index, a
 *   generation and the blob's length, the blob (a header as rpmdb.sqlite
 *   stores it), zeros to the block, and a tail: the Adler-32 (RFC 1950) of
 *   all before it, the length again and "BlbE".
 *
 * Every slot and blob is checked as rpmpkgReadSlots and rpmpkgReadBlob
 * check them, and the checksum as rpmpkgVerifyblob (rpm --verifydb) does:
 * the first problem ends the read with it said; the packages read before
 * it are kept.
 */
#include "bindep/pkgdb.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE	      4096u
#define SLOT	      16u
#define BLOCK	      16u
#define HEADER	      32u
#define BLOB_HEAD     16u
#define BLOB_TAIL     12u
#define SLOTS_IN_PAGE (PAGE / SLOT)

/* Little-endian "RpmP", "Slot", "BlbS", "BlbE". */
#define MAGIC	   0x506d7052u
#define SLOT_MAGIC 0x746f6c53u
#define HEAD_MAGIC 0x53626c42u
#define TAIL_MAGIC 0x45626c42u

struct slot {
	uint32_t pkgidx, blkoff, blkcnt, slotno;
	uint32_t over; /* the slot whose blob this one's overlaps; 0: none */
};

struct ndb {
	int fd;
	const char *inside;
	struct bd_error *e;
	uint32_t slotpages;
	uint64_t blocks; /* the file's size in blocks */
	struct slot *slots;
	size_t nslots, alloc, max;
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* RFC 1950, 8.2: two sums modulo 65521, the second of the first. */
static uint32_t adler32(uint32_t adler, const unsigned char *p, size_t n)
{
	uint32_t a = adler & 0xffff, b = adler >> 16;

	while (n) {
		size_t run = n < 5552 ? n : 5552; /* no overflow before % */

		n -= run;
		while (run--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

/* The header: rpmpkgReadHeader's checks, and the slot pages inside the
 * file, whose size rpmpkgReadSlots wants a whole number of blocks. */
static int read_header(struct ndb *n, uint64_t size)
{
	unsigned char h[HEADER];

	if (pread(n->fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    le32(h) != MAGIC)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': not an rpm NDB package database",
				    n->inside);
	if (le32(h + 4) != 0)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': NDB version %u, not 0", n->inside,
				    le32(h + 4));
	n->slotpages = le32(h + 12);
	if (size % BLOCK)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': not a whole number of 16-byte "
				    "blocks (truncated)",
				    n->inside);
	n->blocks = size / BLOCK;
	if (!n->slotpages || (uint64_t)n->slotpages * PAGE > size)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': %u slot pages, past the end of the "
				    "file",
				    n->inside, n->slotpages);
	return 0;
}

static int add_slot(struct ndb *n, const struct slot *s)
{
	if (n->nslots == n->alloc) {
		size_t k = n->alloc ? 2 * n->alloc : 64;
		struct slot *v = realloc(n->slots, k * sizeof(*v));

		if (!v)
			return BD_ENOMEM;
		n->slots = v;
		n->alloc = k;
	}
	n->slots[n->nslots++] = *s;
	return 0;
}

/* One slot (16 bytes, slot number no): free, or a package's blob that
 * lies past the slot pages (whether it is inside the file is seen when it
 * is read, in index order: a file cut short keeps the blobs before). */
static int take_slot(struct ndb *n, const unsigned char *p, uint32_t no)
{
	struct slot s = { le32(p + 4), le32(p + 8), le32(p + 12), no, 0 };

	if (le32(p) != SLOT_MAGIC)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': slot %u has no slot magic",
				    n->inside, no);
	if (!s.blkoff)
		return 0;
	if (!s.pkgidx || !s.blkcnt ||
	    s.blkoff < (uint64_t)n->slotpages * (PAGE / BLOCK))
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': slot %u is malformed", n->inside,
				    no);
	return add_slot(n, &s);
}

/* Every slot page, in order; the header takes page 0's first slots. */
static int read_slots(struct ndb *n)
{
	unsigned char page[PAGE];
	uint32_t pg, i;
	int rc = 0;

	for (pg = 0; !rc && pg < n->slotpages && n->nslots < n->max; pg++) {
		if (pread(n->fd, page, PAGE, (off_t)pg * PAGE) != PAGE)
			return bd_error_set(n->e, BD_EFORMAT,
					    "'%s': slot page %u cannot be read",
					    n->inside, pg);
		for (i = pg ? 0 : HEADER / SLOT;
		     !rc && i < SLOTS_IN_PAGE && n->nslots < n->max; i++)
			rc = take_slot(n, page + i * SLOT,
				       pg * SLOTS_IN_PAGE + i);
	}
	return rc;
}

/*
 * A slot's blob, whole, into buf (s->blkcnt blocks): its head and tail as
 * rpmpkgReadBlob checks them, its checksum as rpmpkgVerifyblob does. The
 * blob is at buf + BLOB_HEAD, *len bytes.
 */
static int read_blob(struct ndb *n, const struct slot *s, unsigned char *buf,
		     uint32_t *len)
{
	size_t total = (size_t)s->blkcnt * BLOCK;
	const unsigned char *tail;

	if (total < BLOB_HEAD + BLOB_TAIL)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': package %u's blob is malformed",
				    n->inside, s->pkgidx);
	if (pread(n->fd, buf, total, (off_t)s->blkoff * BLOCK) !=
	    (ssize_t)total)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': package %u's blob cannot be read",
				    n->inside, s->pkgidx);
	*len = le32(buf + 12);
	tail = buf + total - BLOB_TAIL;
	if (le32(buf) != HEAD_MAGIC || le32(buf + 4) != s->pkgidx ||
	    *len > total - BLOB_HEAD - BLOB_TAIL ||
	    s->blkcnt != (BLOB_HEAD + (uint64_t)*len + BLOB_TAIL + BLOCK - 1) /
				 BLOCK ||
	    le32(tail + 4) != *len || le32(tail + 8) != TAIL_MAGIC)
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': package %u's blob is malformed",
				    n->inside, s->pkgidx);
	if (adler32(1, buf, total - BLOB_TAIL) != le32(tail))
		return bd_error_set(n->e, BD_EFORMAT,
				    "'%s': package %u's blob fails its "
				    "checksum",
				    n->inside, s->pkgidx);
	return 0;
}

static int by_blkoff(const void *x, const void *y)
{
	const struct slot *a = x, *b = y;

	if (a->blkoff != b->blkoff)
		return a->blkoff < b->blkoff ? -1 : 1;
	return a->slotno < b->slotno ? -1 : a->slotno > b->slotno;
}

/*
 * Marks each slot whose blob starts before the end of one earlier in the
 * file (of two at one offset, the later slot's): rpmpkg.c never writes
 * such slots (rpmpkgFindEmptyOffset: "slots overlap"). The slots left
 * unmarked hold blocks no other does, so what is read is no more than
 * the file: 100,000 slots at one blob of 250 MiB were 25 TB read.
 */
static void mark_overlaps(struct ndb *n)
{
	uint64_t end = 0;
	uint32_t holder = 0;
	size_t i;

	qsort(n->slots, n->nslots, sizeof(*n->slots), by_blkoff);
	for (i = 0; i < n->nslots; i++) {
		struct slot *s = &n->slots[i];

		if (s->blkoff < end) {
			s->over = holder;
		} else {
			end = (uint64_t)s->blkoff + s->blkcnt;
			holder = s->slotno;
		}
	}
}

static int by_pkgidx(const void *x, const void *y)
{
	const struct slot *a = x, *b = y;

	if (a->pkgidx != b->pkgidx)
		return a->pkgidx < b->pkgidx ? -1 : 1;
	return a->slotno < b->slotno ? -1 : a->slotno > b->slotno;
}

/* The blobs in the order of their package indexes, as the other readers
 * hand theirs over. */
static int hand_all(struct ndb *n, bd_rpm_blob_fn on_blob, void *ctx)
{
	unsigned char *buf;
	uint32_t len = 0;
	size_t i;
	int rc = 0;

	if (n->nslots) { /* slots is NULL before the first */
		mark_overlaps(n);
		qsort(n->slots, n->nslots, sizeof(*n->slots), by_pkgidx);
	}
	for (i = 0; !rc && i < n->nslots; i++) {
		const struct slot *s = &n->slots[i];

		if (s->over)
			return bd_error_set(n->e, BD_EFORMAT,
					    "'%s': slot %u's blob overlaps "
					    "slot %u's",
					    n->inside, s->slotno, s->over);
		if ((uint64_t)s->blkoff + s->blkcnt > n->blocks)
			return bd_error_set(n->e, BD_EFORMAT,
					    "'%s': package %u's blob is past "
					    "the end of the file (truncated)",
					    n->inside, s->pkgidx);
		if ((uint64_t)s->blkcnt * BLOCK >
		    BD_RPM_MAX_HEADER + BLOB_HEAD + BLOB_TAIL + BLOCK)
			return bd_error_set(n->e, BD_EFORMAT,
					    "'%s': package %u's blob of %u "
					    "blocks cannot be a header",
					    n->inside, s->pkgidx, s->blkcnt);
		buf = malloc((size_t)s->blkcnt * BLOCK);
		if (!buf)
			return BD_ENOMEM;
		rc = read_blob(n, s, buf, &len);
		if (!rc)
			rc = on_blob(ctx, s->pkgidx, buf + BLOB_HEAD, len);
		free(buf);
	}
	return rc;
}

int bd_rpm_read_ndb(int fd, uint64_t size, const char *inside, size_t max,
		    bd_rpm_blob_fn on_blob, void *ctx, struct bd_error *e)
{
	struct ndb n = { .fd = fd, .inside = inside, .e = e, .max = max };
	struct bd_error walk;
	int rc, rc2;

	bd_error_clear(e);
	bd_error_clear(&walk);
	rc = read_header(&n, size);
	if (rc)
		return rc;
	/* The slots read before a bad one are read; then its problem is
	 * said, unless a blob's came first. */
	n.e = &walk;
	rc = read_slots(&n);
	n.e = e;
	if (rc != BD_ENOMEM) {
		rc2 = hand_all(&n, on_blob, ctx);
		if (rc2 || !rc)
			rc = rc2;
		else
			*e = walk;
	}
	free(n.slots);
	return rc > 0 ? 0 : rc;
}
