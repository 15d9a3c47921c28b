/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the container image metadata reader (OCI index, manifest and config;
 * docker save's manifest.json) through a scratch image directory.
 *
 * The input is parts separated by a line "----". Part 0 is index.json (or
 * manifest.json, without oci-layout, when it starts with '['); parts 1..8
 * are blobs, written as blobs/sha256/<their digest>. So that an input can
 * point at its own blobs, "@@k" in a part becomes "sha256:<digest of part
 * k>" and "##k" its hex digits, for k greater than the part's own number
 * (parts are written last first).
 *
 * An input starting with "#merge\n" drives the top-down layer merge
 * instead: one entry name per line ('/' at the end: a directory), a line
 * "---" starting the next layer down; "name -> target" is a symlink and
 * "name => target" a hard link, a name placed below the layer's own links
 * first (bd_image_links) when it is normalised, as the archive reader
 * gives names.
 */
#include "fuzz.h"
#include "bindep/hash.h"
#include "bindep/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PARTS 9

static char scratch[] = "/tmp/bd-fuzz-image-XXXXXX";
static char blobs_dir[64], sha_dir[80];

static void cleanup(void)
{
	bd_fuzz_remove_tree(scratch);
}

static int setup(void)
{
	if (blobs_dir[0])
		return 0;
	if (!mkdtemp(scratch))
		return -1;
	snprintf(blobs_dir, sizeof(blobs_dir), "%s/blobs", scratch);
	snprintf(sha_dir, sizeof(sha_dir), "%s/blobs/sha256", scratch);
	if (mkdir(blobs_dir, 0700) || mkdir(sha_dir, 0700))
		return -1;
	atexit(cleanup);
	return 0;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

/* Part i with its "@@k" / "##k" references to later parts replaced. */
static void expand(struct bd_buf *out, const char *p, size_t len, size_t i,
		   char hex[MAX_PARTS][BD_SHA256_HEX_LEN + 1], size_t nparts)
{
	size_t j = 0;

	while (j < len) {
		bool ref = j + 2 < len &&
			   ((p[j] == '@' && p[j + 1] == '@') ||
			    (p[j] == '#' && p[j + 1] == '#')) &&
			   p[j + 2] >= '1' && p[j + 2] <= '8';
		size_t k = ref ? (size_t)(p[j + 2] - '0') : 0;

		if (ref && k > i && k < nparts) {
			bd_buf_printf(out, "%s%s", p[j] == '@' ? "sha256:" : "",
				      hex[k]);
			j += 3;
		} else {
			bd_buf_addc(out, p[j++]);
		}
	}
}

static void read_both(const char *platform, const char *ref)
{
	struct bd_image_select sel = { platform, ref, "img", "fuzz" };
	struct bd_image img;
	struct bd_error err;
	struct bd_root root;

	if (bd_root_init(&root, scratch, NULL))
		return;
	if (!bd_image_read(&img, &root, &sel, NULL, &err))
		bd_image_release(&img);
	bd_root_release(&root);
}

/* A name ending in '/' (the line may hold a NUL: strlen, not its length). */
static bool is_dir(const char *name)
{
	size_t n = strlen(name);

	return n && name[n - 1] == '/';
}

/* Whether name[0..len) is as the archive reader normalises names:
 * relative, no empty, "." or ".." component, not too long. */
static bool normalised(const char *name, size_t len)
{
	size_t i = 0;

	if (!len || len > BD_IMAGE_LINKS_NAME_MAX || memchr(name, '\0', len))
		return false;
	while (i < len) {
		size_t n = 0;

		while (i + n < len && name[i + n] != '/')
			n++;
		if (!n || (n == 1 && name[i] == '.') ||
		    (n == 2 && name[i] == '.' && name[i + 1] == '.'))
			return false;
		i += n + 1;
	}
	return name[len - 1] != '/';
}

/* The line's entry placed below its layer's links into name (its
 * trailing '/' kept out); false when it is not, or is skipped. */
static bool placed(struct bd_image_links *k, const char *line, char *name,
		   char *target)
{
	const char *arrow = strstr(line, " -> "), *hard = strstr(line, " => ");
	const char *sep = arrow && (!hard || arrow < hard) ? arrow : hard;
	size_t n = sep ? (size_t)(sep - line) : strlen(line);
	bool dir = n && line[n - 1] == '/', link = sep && sep == arrow;
	const char *why;

	n -= dir;
	if (!normalised(line, n) ||
	    (sep && !link && !normalised(sep + 4, strlen(sep + 4))))
		return false;
	memcpy(name, line, n);
	name[n] = '\0';
	if (sep && !link)
		memcpy(target, sep + 4, strlen(sep + 4) + 1);
	return bd_image_links_place(k, name, sep && !link ? target : NULL, dir,
				    link ? sep + 4 : NULL, &why) == 0;
}

static void merge(const char *p, const char *end)
{
	static char name[BD_IMAGE_LINKS_NAME_MAX + 1],
		target[BD_IMAGE_LINKS_NAME_MAX + 1];
	struct bd_image_merge m;
	struct bd_image_links k;
	struct bd_error err;

	bd_image_merge_init(&m, NULL);
	bd_image_links_init(&k, NULL);
	bd_image_merge_layer(&m, "top");
	bd_image_links_layer(&k, "top");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, n);
		const char *entry;
		bool keep;

		if (!line)
			break;
		entry = placed(&k, line, name, target) ? name : line;
		if (!strcmp(line, "---")) {
			bd_image_merge_layer(&m, "lower");
			bd_image_links_layer(&k, "lower");
		} else if (bd_image_merge_entry(&m, entry, is_dir(line), &keep,
						&err) == 0 &&
			   keep) {
			(void)bd_image_merge_kept(&m, entry);
		}
		free(line);
		p += n + 1;
	}
	bd_image_links_release(&k);
	bd_image_merge_release(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n----\n";
	char hex[MAX_PARTS][BD_SHA256_HEX_LEN + 1];
	const char *part[MAX_PARTS];
	size_t len[MAX_PARTS], nparts = 0;
	const char *p = (const char *)data, *end = p + size;
	char path[200];
	bool docker;

	if (size >= 7 && !memcmp(data, "#merge\n", 7)) {
		merge(p + 7, end);
		return 0;
	}
	if (setup())
		return 0;
	while (nparts < MAX_PARTS) {
		const char *s = memmem(p, (size_t)(end - p), sep, strlen(sep));

		part[nparts] = p;
		len[nparts++] = s ? (size_t)(s - p) : (size_t)(end - p);
		if (!s)
			break;
		p = s + strlen(sep);
	}
	for (size_t i = nparts; i-- > 0;) {
		struct bd_buf b = BD_BUF_INIT;

		expand(&b, part[i], len[i], i, hex, nparts);
		if (!bd_buf_ok(&b) ||
		    bd_sha256_hex(b.data ? b.data : "", b.len, hex[i])) {
			bd_buf_release(&b);
			return 0;
		}
		if (i)
			snprintf(path, sizeof(path), "%s/%s", sha_dir, hex[i]);
		else
			snprintf(path, sizeof(path), "%s/%s", scratch,
				 len[0] && part[0][0] == '[' ? "manifest.json"
							     : "index.json");
		write_file(path, bd_buf_str(&b), b.len);
		bd_buf_release(&b);
	}
	docker = len[0] && part[0][0] == '[';
	snprintf(path, sizeof(path), "%s/oci-layout", scratch);
	if (!docker)
		write_file(path, "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	read_both(NULL, NULL);
	read_both("linux/arm64/v8", "1.0");
	/* Leave the directory empty for the next input. */
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", scratch,
		 docker ? "manifest.json" : "index.json");
	unlink(path);
	for (size_t i = 1; i < nparts; i++) {
		snprintf(path, sizeof(path), "%s/%s", sha_dir, hex[i]);
		unlink(path);
	}
	return 0;
}
