/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the image input: layers merged top-down into a private tree
 * (whiteouts, opaque directories, hard links put aside, the layer's
 * digest checked while it is read), and an image tarball's outer entries
 * sorted into image or not.
 *
 * The input is up to four layer blobs separated by a line "----LAYER----"
 * (the first is the bottom layer): the harness wraps them in an OCI layout
 * whose digests fit, so that the layers' own bytes are what varies. An
 * input starting with "#outer\n" is instead the tarball itself (the rest),
 * read as form AUTO. Each run uses a fresh work directory, removed after.
 */
#include "fuzz.h"
#include "bindep/hash.h"
#include "bindep/input_image.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LAYERS 4
#define SEPARATOR  "\n----LAYER----\n"

static void write_file(const char *dir, const char *rel, const void *data,
		       size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

/* Writes data as a blob of dir; its digest into digest. */
static void blob(const char *dir, const void *data, size_t len, char digest[80])
{
	char hex[BD_SHA256_HEX_LEN + 1], rel[100];

	if (bd_sha256_hex(data, len, hex))
		hex[0] = '\0';
	snprintf(digest, 80, "sha256:%s", hex);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", hex);
	write_file(dir, rel, data, len);
}

/* An OCI layout in dir around the layers. */
static void layout(const char *dir, const uint8_t *data, size_t size)
{
	char digest[80], text[4096],
		layers[MAX_LAYERS * 160] = "", ids[MAX_LAYERS * 80] = "";
	const uint8_t *p = data, *end = data + size, *sep;
	size_t n = 0, len;

	snprintf(text, sizeof(text), "%s/blobs", dir);
	mkdir(text, 0700);
	snprintf(text, sizeof(text), "%s/blobs/sha256", dir);
	mkdir(text, 0700);
	while (n < MAX_LAYERS && p <= end) {
		sep = memmem(p, (size_t)(end - p), SEPARATOR,
			     strlen(SEPARATOR));
		if (n == MAX_LAYERS - 1 || !sep)
			sep = end;
		blob(dir, p, (size_t)(sep - p), digest);
		len = strlen(layers);
		snprintf(layers + len, sizeof(layers) - len,
			 "%s{\"mediaType\":\"application/vnd.oci.image.layer."
			 "v1.tar\",\"digest\":\"%s\",\"size\":%zu}",
			 n ? "," : "", digest, (size_t)(sep - p));
		len = strlen(ids);
		snprintf(ids + len, sizeof(ids) - len, "%s\"%s\"", n ? "," : "",
			 digest);
		n++;
		p = sep + strlen(SEPARATOR);
	}
	snprintf(text, sizeof(text),
		 "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":"
		 "{\"type\":\"layers\",\"diff_ids\":[%s]}}",
		 ids);
	blob(dir, text, strlen(text), digest);
	snprintf(text, sizeof(text),
		 "{\"schemaVersion\":2,\"config\":{\"mediaType\":"
		 "\"application/vnd.oci.image.config.v1+json\",\"digest\":"
		 "\"%s\"},\"layers\":[%s]}",
		 digest, layers);
	blob(dir, text, strlen(text), digest);
	snprintf(text, sizeof(text),
		 "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
		 "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
		 "\"%s\"}]}",
		 digest);
	write_file(dir, "index.json", text, strlen(text));
	write_file(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 31);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/bd-fuzz-input-image-XXXXXX", src[64], work[64];
	struct bd_image_select sel = { NULL, NULL, NULL, "fuzz" };
	struct bd_archive_limits lim;
	struct bd_archive_implied listed = { .max = 16,
					     .kind = BD_ARCHIVE_CAP_LISTED };
	struct bd_archive_implied written = { .max = 16,
					      .kind = BD_ARCHIVE_CAP_WRITTEN };
	struct bd_input_image ii;
	struct bd_error err;
	bool outer = size >= 7 && !memcmp(data, "#outer\n", 7);

	if (!mkdtemp(dir))
		return 0;
	snprintf(src, sizeof(src), "%s/src", dir);
	snprintf(work, sizeof(work), "%s/work", dir);
	if (outer)
		write_file(dir, "src", data + 7, size - 7);
	else if (!mkdir(src, 0700))
		layout(src, data, size);
	if (!mkdir(work, 0700)) {
		bd_archive_limits_default(&lim);
		lim.max_unpacked = 64u << 20;
		/* The directories layers list, a small cap (a seed's many). */
		if (size & 16)
			lim.listed = &listed;
		/* And the files and links they write (a seed's many). */
		if (size & 32)
			lim.written = &written;
		bd_input_image_init(&ii);
		(void)bd_input_image_read(&ii, src, "fuzz", BD_IMAGE_FORM_AUTO,
					  work, &sel, &lim, NULL, &err);
		if (ii.rootfs)
			(void)bd_input_image_layer(&ii, "/usr/lib/x.so");
		bd_input_image_release(&ii);
	}
	bd_fuzz_remove_tree(dir);
	return 0;
}
