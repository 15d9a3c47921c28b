/* SPDX-License-Identifier: MIT */
/*
 * Fuzz --attach's rewriting of a wheel: the input written to a fresh
 * temporary directory as a wheel, then attached into an --attach-dir
 * beside it (odd-sized inputs with --force, so that signed wheels are
 * rewritten too), at most 64 MiB copied; the directory removed after.
 *
 * Where the attach succeeds, the two wheels are read back and compared:
 * every entry but RECORD, its signatures and our SBOM must come out in
 * the same order, of the same type and contents, under the same name as
 * read under "C" (its bytes: NULL for a name marked UTF-8 that is not
 * ASCII, so the mark is compared too) and under C.UTF-8. A silent rename,
 * a lost mark, a dropped or altered entry aborts.
 */
#include "fuzz.h"
#include "bindep/archive.h"
#include "bindep/attach.h"
#include "bindep/hash.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ENTRIES 2048

/* One entry as read: its name under "C" and under C.UTF-8 (NULL: none
 * there), its type and its contents' digest. */
struct seen {
	char *raw, *utf8;
	unsigned type;
	char sha[BD_SHA256_HEX_LEN + 1];
};

struct listing {
	struct seen e[MAX_ENTRIES];
	size_t n;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool digest_data(struct archive *a, struct bd_sha256 *h, char *out)
{
	char buf[16384];
	la_ssize_t n;

	if (bd_sha256_begin(h))
		return false;
	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
		if (bd_sha256_update(h, buf, (size_t)n))
			return false;
	return n == 0 && !bd_sha256_end(h, out);
}

/* The entries of the wheel at path, their names as locale reads them
 * (utf8: into .utf8, else into .raw with the type and digest); false
 * when libarchive cannot read it whole. */
static bool list_in(const char *path, const char *locale, bool utf8,
		    struct listing *l, struct bd_sha256 *h)
{
	struct bd_archive_names names = { (locale_t)0, (locale_t)0 };
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	size_t i = 0;
	int r = ARCHIVE_FATAL;
	bool ok = a && bd_archive_names_in(&names, locale);

	if (ok) {
		archive_read_support_format_zip(a);
		ok = archive_read_open_filename(a, path, 16384) == ARCHIVE_OK;
	}
	while (ok && i < MAX_ENTRIES &&
	       ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
		r == ARCHIVE_WARN)) {
		struct seen *s = &l->e[i++];
		const char *name = archive_entry_pathname(e);

		if (utf8) {
			s->utf8 = dup_or_null(name);
			continue;
		}
		s->raw = dup_or_null(name);
		s->type = (unsigned)archive_entry_filetype(e);
		ok = digest_data(a, h, s->sha);
	}
	/* The second pass must meet the entries the first counted. */
	if (!utf8)
		l->n = i;
	ok = ok && r == ARCHIVE_EOF && i == l->n;
	if (a)
		archive_read_free(a);
	bd_archive_names_restore(&names);
	return ok;
}

static bool list_wheel(const char *path, struct listing *l, struct bd_sha256 *h)
{
	l->n = 0;
	return list_in(path, "C", false, l, h) &&
	       list_in(path, "C.UTF-8", true, l, h);
}

static void free_listing(struct listing *l)
{
	size_t i;

	for (i = 0; i < MAX_ENTRIES; i++) {
		free(l->e[i].raw);
		free(l->e[i].utf8);
		l->e[i].raw = l->e[i].utf8 = NULL;
	}
	l->n = 0;
}

/* The name an entry goes by in the .dist-info: its UTF-8 one, else its
 * bytes. */
static const char *name_of(const struct seen *s)
{
	return s->utf8 ? s->utf8 : s->raw ? s->raw : "";
}

/* Whether the entry is one the attach may drop or write: RECORD, its
 * signatures, our SBOM (in the .dist-info dir, "x.dist-info/"). */
static bool rewritten(const struct seen *s, const char *dir, size_t len)
{
	const char *n = name_of(s);

	return !strncmp(n, dir, len) &&
	       (!strcmp(n + len, "RECORD") || !strcmp(n + len, "RECORD.jws") ||
		!strcmp(n + len, "RECORD.p7s") ||
		!strcmp(n + len, BD_ATTACH_NAME));
}

static bool ascii(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static bool same_text(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Whether b is a with each backslash a slash. */
static bool slashed(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (; *a && *b == (*a == '\\' ? '/' : *a); a++, b++)
		;
	return !*a && !*b;
}

/* Whether libarchive read the entry's backslashes as slashes, as it does
 * for an MS-DOS entry's name: the copy then writes slashes. */
static bool dos_read(const struct seen *s)
{
	return s->raw && s->utf8 && strchr(s->raw, '\\') &&
	       !strchr(s->utf8, '\\');
}

/* An entry kept: the same as before, its name's bytes and mark (a name
 * libarchive cannot give under "C" is one marked UTF-8 that is not
 * ASCII) and its name as read as UTF-8. Allowed: a name libarchive read
 * as an MS-DOS one is written as it was read (slashes, a mark); and one
 * it did not is read back so when its bytes are kept, as libarchive's
 * writer puts 0 in the byte of its local header that libarchive's reader
 * takes for the system the entry was made on (0: MS-DOS). */
static bool kept_alike(const struct seen *in, const struct seen *out)
{
	bool bytes = same_text(in->raw, out->raw);

	if (in->type != out->type || strcmp(in->sha, out->sha))
		return false;
	if (same_text(in->utf8, out->utf8))
		return bytes || dos_read(in) ||
		       (!in->raw && in->utf8 && ascii(in->utf8));
	return bytes && slashed(in->utf8, out->utf8);
}

/* The .dist-info our SBOM went into ("x.dist-info/"), by its contents. */
static const char *our_dir(const struct listing *out, const char *sha,
			   size_t *len)
{
	size_t i, n = strlen(BD_ATTACH_NAME);

	for (i = 0; i < out->n; i++) {
		const char *name = name_of(&out->e[i]);
		size_t k = strlen(name);

		if (k > n && !strcmp(name + k - n, BD_ATTACH_NAME) &&
		    !strcmp(out->e[i].sha, sha)) {
			*len = k - n;
			return name;
		}
	}
	return NULL;
}

static void compare_wheels(const char *in_path, const char *out_path,
			   const char *sbom, size_t sbom_len)
{
	static struct listing in, out;
	struct bd_sha256 h;
	char want[BD_SHA256_HEX_LEN + 1];
	const char *dir;
	size_t len = 0, i = 0, j = 0;
	bool in_ok;

	if (bd_sha256_init(&h))
		return;
	/* Room for our SBOM and RECORD added to what it lists. */
	in_ok = list_wheel(in_path, &in, &h) && in.n + 2 <= MAX_ENTRIES;
	if (in_ok && !list_wheel(out_path, &out, &h))
		abort(); /* a wheel read well written unreadable */
	if (in_ok &&
	    (bd_sha256_begin(&h) || bd_sha256_update(&h, sbom, sbom_len) ||
	     bd_sha256_end(&h, want)))
		in_ok = false;
	dir = in_ok ? our_dir(&out, want, &len) : NULL;
	if (in_ok && !dir)
		abort(); /* no SBOM of ours in it */
	while (in_ok) {
		while (i < in.n && rewritten(&in.e[i], dir, len))
			i++;
		while (j < out.n && rewritten(&out.e[j], dir, len))
			j++;
		if (i == in.n || j == out.n) {
			if (i != in.n || j != out.n)
				abort(); /* an entry dropped, or one added */
			break;
		}
		if (!kept_alike(&in.e[i++], &out.e[j++]))
			abort();
	}
	free_listing(&in);
	free_listing(&out);
	bd_sha256_release(&h);
}

static int write_all(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	return done == size ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sbom[] = "{\"bomFormat\":\"CycloneDX\"}\n";
	char dir[] = "/tmp/bd-fuzz-attach-XXXXXX";
	char wheel[64], out[64];
	struct bd_attach_options o = { 0 };
	struct bd_error err;

	if (!mkdtemp(dir))
		return 0;
	snprintf(wheel, sizeof(wheel), "%s/x-1.0-py3-none-any.whl", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	if (!write_all(wheel, data, size) && !mkdir(out, 0700)) {
		o.dest_dir = out;
		o.force = size & 1;
		o.mtime = 1700000000;
		o.max_size = 64u << 20;
		if (!bd_attach_wheel(wheel, "fuzz", sbom, sizeof(sbom) - 1, &o,
				     NULL, &err)) {
			char done[128];

			snprintf(done, sizeof(done), "%s/%s", out,
				 strrchr(wheel, '/') + 1);
			compare_wheels(wheel, done, sbom, sizeof(sbom) - 1);
		}
	}
	bd_fuzz_remove_tree(dir);
	return 0;
}
