/* SPDX-License-Identifier: MIT */
#include "unit.h"
#include "bindep/archive.h"
#include "bindep/buf.h"
#include "bindep/hash.h"
#include "bindep/image.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------ */

struct warnings {
	int n;
	char last[512];
};

static void keep_warning(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct warnings *w = ctx;

	if (level != BD_DIAG_WARNING)
		return;
	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

static void rm_rf(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", dir, dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The value of key in the fixture writer's "expect" file. */
static void expect(const char *dir, const char *key, char out[80])
{
	char path[300], line[200];
	size_t klen = strlen(key);
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/expect", dir);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			snprintf(out, 80, "%.71s", line + klen + 1);
			break;
		}
	}
	fclose(f);
}

static int read_image(const char *dir, const char *ref, const char *platform,
		      struct bd_image *img, struct bd_error *err,
		      struct warnings *w)
{
	struct bd_image_select sel = { platform, ref, "img", "hint" };
	struct bd_diag diag = { keep_warning, w };
	struct bd_root root;
	int rc;

	CU_ASSERT_EQUAL_FATAL(bd_root_init(&root, dir, NULL), 0);
	bd_error_clear(err);
	rc = bd_image_read(img, &root, &sel, &diag, err);
	bd_root_release(&root);
	return rc;
}

/* Writes text as a blob of dir, its digest in digest. */
static void put_blob(const char *dir, const char *text, char digest[80])
{
	char hex[BD_SHA256_HEX_LEN + 1], rel[120];

	CU_ASSERT_EQUAL_FATAL(bd_sha256_hex(text, strlen(text), hex), 0);
	snprintf(digest, 80, "sha256:%s", hex);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", hex);
	bd_test_write(dir, rel, text);
}

/* A scratch OCI layout: oci-layout and blobs/sha256/. */
static void scratch_layout(char *dir)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_write(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	bd_test_mk(dir, "blobs/", NULL);
	bd_test_mk(dir, "blobs/sha256/", NULL);
}

static void fixtures(char *dir)
{
	char cmd[300];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "python3 tests/image_fixtures.py %s", dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

/* ---- OCI layouts ----------------------------------------------------------
 */

static void test_oci_select(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", oci[300], want[80], purl[300];
	struct bd_image img;
	struct bd_error err;
	struct warnings w = { 0 };

	fixtures(dir);
	snprintf(oci, sizeof(oci), "%s/oci", dir);
	/* Two images and no ref: the caller must choose, told which. */
	CU_ASSERT_EQUAL(read_image(oci, NULL, NULL, &img, &err, &w), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': holds 2 images, choose one "
					"with --image-ref: 1.0, 2.0");
	CU_ASSERT_EQUAL(read_image(oci, "nope", NULL, &img, &err, &w),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': no image 'nope' (it has 1.0, "
					"2.0)");
	/* linux/amd64 by default, through the nested index. */
	CU_ASSERT_EQUAL_FATAL(read_image(oci, "1.0", NULL, &img, &err, &w), 0);
	expect(dir, "oci.amd64", want);
	CU_ASSERT_STRING_EQUAL(img.manifest_digest, want);
	CU_ASSERT_EQUAL(img.format, BD_IMAGE_OCI);
	CU_ASSERT_STRING_EQUAL(img.name, "registry.example.com/team/app");
	CU_ASSERT_STRING_EQUAL(img.tag, "1.0");
	CU_ASSERT_STRING_EQUAL(img.os, "linux");
	CU_ASSERT_STRING_EQUAL(img.architecture, "amd64");
	snprintf(
		purl, sizeof(purl),
		"pkg:oci/app@%s?repository_url=registry.example.com%%2Fteam%%2F"
		"app&tag=1.0",
		want);
	CU_ASSERT_STRING_EQUAL(img.purl, purl);
	CU_ASSERT_EQUAL_FATAL(img.nlayers, 2);
	expect(dir, "layer0", want);
	CU_ASSERT_STRING_EQUAL(img.layers[0].digest, want);
	CU_ASSERT_STRING_EQUAL(img.layers[0].path + 13, want + 7);
	CU_ASSERT_EQUAL(img.layers[0].compression, BD_LAYER_GZIP);
	expect(dir, "diff0", want);
	CU_ASSERT_STRING_EQUAL(img.layers[0].diff_id, want);
	expect(dir, "diff1", want);
	CU_ASSERT_STRING_EQUAL(img.layers[1].diff_id, want);
	CU_ASSERT_EQUAL(img.layers[1].compression, BD_LAYER_TAR);
	CU_ASSERT(img.layers[1].size > 0);
	/* Each layer blob checks out against its digest. */
	for (size_t i = 0; i < img.nlayers; i++) {
		char path[400];
		int fd;

		snprintf(path, sizeof(path), "%s/%s", oci, img.layers[i].path);
		fd = open(path, O_RDONLY);
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(bd_image_verify_fd(fd, img.layers[i].digest,
						   img.layers[i].size, path,
						   &err),
				0);
		close(fd);
	}
	bd_image_release(&img);
	/* The full reference selects the same image. */
	CU_ASSERT_EQUAL(read_image(oci, "registry.example.com/team/app:1.0",
				   NULL, &img, &err, &w),
			0);
	expect(dir, "oci.amd64", want);
	CU_ASSERT_STRING_EQUAL(img.manifest_digest, want);
	bd_image_release(&img);
	/* Another platform; arm64 is arm64/v8. */
	CU_ASSERT_EQUAL(read_image(oci, "1.0", "linux/arm64", &img, &err, &w),
			0);
	expect(dir, "oci.arm64", want);
	CU_ASSERT_STRING_EQUAL(img.manifest_digest, want);
	CU_ASSERT_STRING_EQUAL(img.variant, "v8");
	CU_ASSERT_EQUAL(img.nlayers, 1);
	bd_image_release(&img);
	CU_ASSERT_EQUAL(
		read_image(oci, "1.0", "linux/arm64/v8", &img, &err, &w), 0);
	CU_ASSERT_STRING_EQUAL(img.manifest_digest, want);
	bd_image_release(&img);
	CU_ASSERT_EQUAL(read_image(oci, "1.0", "linux/s390x", &img, &err, &w),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "'img': no image for platform linux/s390x (it "
			       "has linux/amd64, linux/arm64/v8)");
	CU_ASSERT_EQUAL(read_image(oci, "1.0", "linux", &img, &err, &w),
			BD_EUSAGE);
	CU_ASSERT_EQUAL(read_image(oci, "1.0", "linux/amd64/", &img, &err, &w),
			BD_EUSAGE);
	/* A bare tag: the name is the caller's hint, and no purl is made
	 * of it (an oci purl's name is the repository's: this image has
	 * none). A manifest without a platform is taken, but not for a
	 * platform its config denies. */
	CU_ASSERT_EQUAL(read_image(oci, "2.0", NULL, &img, &err, &w), 0);
	CU_ASSERT_STRING_EQUAL(img.name, "hint");
	CU_ASSERT_STRING_EQUAL(img.tag, "2.0");
	expect(dir, "oci.other", want);
	CU_ASSERT_STRING_EQUAL(img.manifest_digest, want);
	CU_ASSERT_PTR_NULL(img.purl);
	bd_image_release(&img);
	CU_ASSERT_EQUAL(read_image(oci, "2.0", "linux/arm64", &img, &err, &w),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': the image is for linux/amd64, "
					"not linux/arm64");
	CU_ASSERT_EQUAL(w.n, 0);
	rm_rf(dir);
}

static void test_docker_save(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", docker[300], want[80];
	struct bd_image img;
	struct bd_error err;
	struct warnings w = { 0 };

	fixtures(dir);
	snprintf(docker, sizeof(docker), "%s/docker", dir);
	CU_ASSERT_EQUAL_FATAL(read_image(docker, NULL, NULL, &img, &err, &w),
			      0);
	CU_ASSERT_EQUAL(img.format, BD_IMAGE_DOCKER);
	CU_ASSERT_STRING_EQUAL(img.name, "alpine");
	CU_ASSERT_STRING_EQUAL(img.tag, "3.19");
	CU_ASSERT_STRING_EQUAL(img.manifest_digest, "");
	expect(dir, "docker.config", want);
	CU_ASSERT_STRING_EQUAL(img.config_digest, want);
	/* purl-spec types/oci: '/' in a qualifier value is encoded. */
	CU_ASSERT_STRING_EQUAL(img.purl,
			       "pkg:oci/alpine?repository_url="
			       "docker.io%2Flibrary%2Falpine&tag=3.19");
	CU_ASSERT_EQUAL_FATAL(img.nlayers, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(img.layers[1].path, "/layer.tar"));
	CU_ASSERT_STRING_EQUAL(img.layers[1].digest, "");
	CU_ASSERT_EQUAL(img.layers[1].compression, BD_LAYER_AUTO);
	expect(dir, "diff1", want);
	CU_ASSERT_STRING_EQUAL(img.layers[1].diff_id, want);
	bd_image_release(&img);
	/* By RepoTag, also in its docker.io spelling. */
	CU_ASSERT_EQUAL(read_image(docker, "docker.io/library/alpine:3.19",
				   NULL, &img, &err, &w),
			0);
	CU_ASSERT_STRING_EQUAL(img.tag, "3.19");
	bd_image_release(&img);
	CU_ASSERT_EQUAL(read_image(docker, "busybox", NULL, &img, &err, &w),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(
		err.msg, "'img': no image 'busybox' (it has alpine:3.19)");
	/* A platform the config denies. */
	CU_ASSERT_EQUAL(read_image(docker, NULL, "linux/arm64", &img, &err, &w),
			BD_EUSAGE);
	/* Not an image at all. */
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w), BD_ENOENT);
	rm_rf(dir);
}

/* docker save's Config: checked when its name is its digest, else read as
 * it is (the image ID is then its hash). */
static void test_docker_config_names(void)
{
	static const char config[] =
		"{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":"
		"{\"type\":\"layers\",\"diff_ids\":[]}}";
	char dir[] = "/tmp/bd-image-XXXXXX", hex[BD_SHA256_HEX_LEN + 1],
	     text[300], want[80];
	struct bd_image img;
	struct bd_error err;
	struct warnings w = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(bd_sha256_hex(config, strlen(config), hex), 0);
	snprintf(want, sizeof(want), "sha256:%s", hex);
	bd_test_write(dir, "config.json", config);
	bd_test_write(dir, "manifest.json",
		      "[{\"Config\":\"config.json\",\"Layers\":[]}]");
	CU_ASSERT_EQUAL_FATAL(read_image(dir, NULL, NULL, &img, &err, &w), 0);
	CU_ASSERT_STRING_EQUAL(img.config_digest, want);
	CU_ASSERT_STRING_EQUAL(img.name, "hint");
	CU_ASSERT_PTR_NULL(img.purl);
	bd_image_release(&img);
	/* Named by a digest it does not have. */
	snprintf(text, sizeof(text), "%064d.json", 0);
	bd_test_write(dir, text, config);
	snprintf(text, sizeof(text),
		 "[{\"Config\":\"%064d.json\",\"Layers\":[]}]", 0);
	bd_test_write(dir, "manifest.json", text);
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w),
			BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "digest mismatch"));
	rm_rf(dir);
}

/* docker save of one image under two tags: one image, named by the first. */
static void test_one_image_two_names(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", text[600], cfg[80], man[80];
	struct bd_image img;
	struct bd_error err;
	struct warnings w = { 0 };

	scratch_layout(dir);
	put_blob(dir,
		 "{\"os\":\"linux\",\"architecture\":\"amd64\","
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
		 cfg);
	snprintf(text, sizeof(text),
		 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}", cfg);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text),
		 "{\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\","
		 "\"annotations\":{\"io.containerd.image.name\":\"docker.io/"
		 "library/a:1\"}},{\"mediaType\":\"%s\",\"digest\":\"%s\","
		 "\"annotations\":{\"io.containerd.image.name\":\"docker.io/"
		 "library/a:2\"}}]}",
		 "application/vnd.oci.image.manifest.v1+json", man,
		 "application/vnd.oci.image.manifest.v1+json", man);
	bd_test_write(dir, "index.json", text);
	CU_ASSERT_EQUAL_FATAL(read_image(dir, NULL, NULL, &img, &err, &w), 0);
	CU_ASSERT_STRING_EQUAL(img.name, "docker.io/library/a");
	CU_ASSERT_STRING_EQUAL(img.tag, "1");
	bd_image_release(&img);
	CU_ASSERT_EQUAL_FATAL(read_image(dir, "a:2", NULL, &img, &err, &w), 0);
	CU_ASSERT_STRING_EQUAL(img.tag, "2");
	snprintf(text, sizeof(text),
		 "pkg:oci/a@%s?repository_url=docker.io%%2Flibrary%%2Fa&tag=2",
		 man);
	CU_ASSERT_STRING_EQUAL(img.purl, text);
	bd_image_release(&img);
	rm_rf(dir);
}

/* ---- hostile metadata ---------------------------------------------------- */

/* index.json of one manifest descriptor (text of its members). */
static void index_of(const char *dir, const char *members)
{
	char text[2200];

	snprintf(text, sizeof(text),
		 "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
		 "\"application/vnd.oci.image.manifest.v1+json\",%s}]}",
		 members);
	bd_test_write(dir, "index.json", text);
}

static int read_scratch(const char *dir, struct bd_error *err)
{
	struct bd_image img;
	struct warnings w = { 0 };
	int rc = read_image(dir, NULL, NULL, &img, err, &w);

	if (!rc)
		bd_image_release(&img);
	return rc;
}

static void test_hostile_digests(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", text[600], d[80];
	struct bd_error err;

	scratch_layout(dir);
	/* A digest is never a path. */
	index_of(dir, "\"digest\":\"sha256:../../../../etc/passwd\","
		      "\"size\":1");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img/index.json': manifests[0]: "
					"digest is not of descriptor.md's form "
					"(sha256: 64 lowercase hex digits)");
	index_of(dir, "\"digest\":\"sha512:"
		      "0000000000000000000000000000000000000000000000000000000"
		      "000000000\"");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	index_of(dir, "\"digest\":\"sha256:"
		      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		      "AAAAAAAAA\"");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	index_of(dir, "\"digest\":\"sha256:"
		      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaa/\"");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_FALSE(bd_image_digest_valid("sha256:"));
	CU_ASSERT_FALSE(bd_image_digest_valid(NULL));
	/* A blob whose content is not its digest. */
	put_blob(dir, "{\"schemaVersion\":2}", d);
	snprintf(text, sizeof(text), "blobs/sha256/%s", d + 7);
	bd_test_write(dir, text, "{\"schemaVersion\":3}");
	snprintf(text, sizeof(text), "\"digest\":\"%s\",\"size\":19", d);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "digest mismatch"));
	/* The right content but another size. */
	put_blob(dir, "{\"schemaVersion\":2}", d);
	snprintf(text, sizeof(text), "\"digest\":\"%s\",\"size\":20", d);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	/* Missing blob. */
	index_of(dir, "\"digest\":\"sha256:"
		      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaa\"");
	/* A broken image, not "no image" (which an archive's reader would
	 * take for a plain tarball). */
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'img/blobs/sha256/aaaa"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "': missing from the image"));
	rm_rf(dir);
}

/* Whether reading the scratch layout with this index.json said a key is
 * given twice. */
static bool said_twice(const char *dir, const char *index)
{
	struct bd_error err;

	bd_test_write(dir, "index.json", index);
	return read_scratch(dir, &err) == BD_EFORMAT &&
	       strstr(err.msg, "is given twice") != NULL;
}

/* A key twice in an object: the same bytes anywhere, or a field this
 * reader takes folded as Go folds it; invalid UTF-8, a multibyte
 * sequence cut at the key's end, a map's keys by case, and 100,000
 * distinct keys in one object. */
static void test_keys_twice(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX";
	struct bd_buf big = BD_BUF_INIT;
	int i;

	scratch_layout(dir);
	CU_ASSERT(said_twice(dir, "{\"manifests\":[],\"manifests\":[]}"));
	CU_ASSERT(
		said_twice(dir, "{\"manifests\":[],\"MANIFEST\xc5\xbf\":[]}"));
	CU_ASSERT(said_twice(dir, "{\"manifests\":[],\"x\":{\"\xff\xfe\":1,"
				  "\"\xff\xfe\":2}}"));
	CU_ASSERT(said_twice(dir, "{\"manifests\":[{\"DIGE\xc5\xbfT\":2,"
				  "\"digest\":3}]}"));
	/* The Kelvin sign folds to k: no field has one, so two keys. */
	CU_ASSERT(!said_twice(dir, "{\"manifests\":[],\"\xe2\x84\xaa\":1,"
				   "\"k\":2}"));
	CU_ASSERT(!said_twice(dir, "{\"manifests\":[],\"manifest\xc5\":1,"
				   "\"manifest\xe2\x84\":2,\"\xc5\":3,"
				   "\"\xe2\":4}"));
	CU_ASSERT(!said_twice(dir, "{\"manifests\":[],\"annotations\":"
				   "{\"a\":\"1\",\"A\":\"2\",\"\xc5\xbf\":"
				   "\"3\",\"s\":\"4\"}}"));
	/* 100,000 keys, then a last one: by case (not a field: two), then
	 * the same bytes as one of them. */
	for (i = 0; i < 3; i++) {
		static const char *const last[] = { "", ",\"K99999\":0",
						    ",\"k5\":0" };

		bd_buf_reset(&big);
		bd_buf_adds(&big, "{\"manifests\":[]");
		for (int k = 0; k < 100000; k++)
			bd_buf_printf(&big, ",\"k%d\":%d", k, k);
		bd_buf_printf(&big, "%s}", last[i]);
		CU_ASSERT_FATAL(bd_buf_ok(&big));
		CU_ASSERT_EQUAL(said_twice(dir, big.data), i == 2);
	}
	bd_buf_release(&big);
	rm_rf(dir);
}

static void test_hostile_shapes(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", text[2000], cfg[80], man[80],
	     l[80];
	struct bd_error err;
	char *big;
	FILE *f;

	scratch_layout(dir);
	/* Missing fields and wrong types. */
	bd_test_write(dir, "index.json", "{\"schemaVersion\":2}");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "'img/index.json': no \"manifests\" array");
	bd_test_write(dir, "index.json", "{\"manifests\":{}}");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	bd_test_write(dir, "index.json", "{\"manifests\":[7]}");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	bd_test_write(dir, "index.json", "{\"manifests\":[{}]}");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img/index.json': manifests[0] has "
					"no digest");
	index_of(dir, "\"digest\":\"sha256:"
		      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaa\",\"size\":\"12\"");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	index_of(dir, "\"digest\":\"sha256:"
		      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaa\",\"size\":-1");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	bd_test_write(dir, "index.json", "[1,2");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	bd_test_write(dir, "index.json", "\"text\"");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	/* No manifest at all: only an artifact. */
	bd_test_write(dir, "index.json",
		      "{\"manifests\":[{\"mediaType\":\"application/x\","
		      "\"digest\":\"sha256:"
		      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaa\"}]}");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': no image for platform "
					"linux/amd64 (it has none)");
	/* A layer that is no tar; diff_ids that do not match the layers. */
	put_blob(dir,
		 "{\"os\":\"linux\",\"architecture\":\"amd64\","
		 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
		 cfg);
	put_blob(dir, "layer", l);
	snprintf(text, sizeof(text),
		 "{\"config\":{\"digest\":\"%s\"},\"layers\":[{\"mediaType\":"
		 "\"application/x-zip\",\"digest\":\"%s\"}]}",
		 cfg, l);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "layers[0] is not a tar layer"));
	snprintf(text, sizeof(text),
		 "{\"config\":{\"digest\":\"%s\"},\"layers\":[{\"mediaType\":"
		 "\"application/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":"
		 "\"%s\"}]}",
		 cfg, l);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "rootfs.diff_ids does not list "
					       "the 1 layers"));
	/* A manifest whose config is an artifact's. */
	snprintf(text, sizeof(text),
		 "{\"config\":{\"mediaType\":\"application/vnd.cncf.helm."
		 "config.v1+json\",\"digest\":\"%s\"},\"layers\":[]}",
		 cfg);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	/* An empty image is an image. */
	snprintf(text, sizeof(text),
		 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}", cfg);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), 0);
	/* A huge index.json is not read. */
	big = malloc(5u << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, ' ', 5u << 20);
	snprintf(text, sizeof(text), "%s/index.json", dir);
	f = fopen(text, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fwrite(big, 1, 5u << 20, f);
	fclose(f);
	free(big);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img/index.json': larger than 4 MiB");
	/* index.json as a symlink is not followed. */
	CU_ASSERT_EQUAL(unlink(text), 0);
	bd_test_mk(dir, "index.json", "/etc/passwd");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EIO);
	/* A wrong layout version. */
	bd_test_write(dir, "oci-layout", "{\"imageLayoutVersion\":\"2.0.0\"}");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	rm_rf(dir);
}

/* Reads the scratch layout made to hold one image of one layer of the
 * media type mt (config is the config blob's JSON); the layer's
 * compression in *comp. */
static int read_one_layer(const char *dir, const char *mt, const char *config,
			  enum bd_image_compression *comp, struct bd_error *err)
{
	char text[1000], cfg[80], man[80], l[80];
	struct bd_image img;
	struct warnings w = { 0 };
	int rc;

	put_blob(dir, config, cfg);
	put_blob(dir, "layer", l);
	snprintf(text, sizeof(text),
		 "{\"config\":{\"mediaType\":\"application/vnd.oci.image."
		 "config.v1+json\",\"digest\":\"%s\"},\"layers\":[{"
		 "\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":5}]}",
		 cfg, mt, l);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	rc = read_image(dir, NULL, NULL, &img, err, &w);
	*comp = rc ? BD_LAYER_AUTO : img.layers[0].compression;
	if (!rc)
		bd_image_release(&img);
	return rc;
}

#define ONE_DIFF_ID                                                            \
	"{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":"   \
	"\"layers\",\"diff_ids\":[\"sha256:"                                   \
	"0000000000000000000000000000000000000000000000000000000000000000\"]}" \
	"}"

/* The layer media types of image-spec (media-types.md) and those docker's
 * and buildkit's images carry, which containerd unpacks: docker's zstd
 * layer (buildkit's compression=zstd without oci-mediatypes) and its
 * uncompressed foreign one. */
static void test_layer_media_types(void)
{
	static const struct {
		const char *mt;
		enum bd_image_compression comp;
	} types[] = {
		{ "application/vnd.oci.image.layer.v1.tar", BD_LAYER_TAR },
		{ "application/vnd.oci.image.layer.v1.tar+gzip",
		  BD_LAYER_GZIP },
		{ "application/vnd.oci.image.layer.v1.tar+zstd",
		  BD_LAYER_ZSTD },
		{ "application/"
		  "vnd.oci.image.layer.nondistributable.v1.tar+zstd",
		  BD_LAYER_ZSTD },
		{ "application/vnd.docker.image.rootfs.diff.tar",
		  BD_LAYER_TAR },
		{ "application/vnd.docker.image.rootfs.diff.tar.gzip",
		  BD_LAYER_GZIP },
		{ "application/vnd.docker.image.rootfs.diff.tar.zstd",
		  BD_LAYER_ZSTD },
		{ "application/vnd.docker.image.rootfs.foreign.diff.tar",
		  BD_LAYER_TAR },
		{ "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
		  BD_LAYER_GZIP },
	};
	char dir[] = "/tmp/bd-image-XXXXXX";
	enum bd_image_compression comp;
	struct bd_error err;

	scratch_layout(dir);
	for (size_t i = 0; i < BD_ARRAY_SIZE(types); i++) {
		CU_ASSERT_EQUAL(read_one_layer(dir, types[i].mt, ONE_DIFF_ID,
					       &comp, &err),
				0);
		CU_ASSERT_EQUAL(comp, types[i].comp);
	}
	/* One this reader cannot unpack. */
	CU_ASSERT_EQUAL(read_one_layer(dir,
				       "application/vnd.oci.image.layer.v1."
				       "tar+gzip+encrypted",
				       ONE_DIFF_ID, &comp, &err),
			BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "layers[0] is not a tar layer"));
	rm_rf(dir);
}

/* config.md, rootfs.type: "MUST be set to layers. Implementations MUST
 * generate an error if they encounter a unknown value while verifying or
 * unpacking an image." */
static void test_rootfs_type(void)
{
	static const char *const configs[] = {
		"{\"rootfs\":{\"type\":\"zfs\",\"diff_ids\":[\"sha256:"
		"00000000000000000000000000000000000000000000000000000000000000"
		"00"
		"\"]}}",
		"{\"rootfs\":{\"diff_ids\":[\"sha256:"
		"00000000000000000000000000000000000000000000000000000000000000"
		"00"
		"\"]}}",
		"{\"rootfs\":{\"type\":7,\"diff_ids\":[\"sha256:"
		"00000000000000000000000000000000000000000000000000000000000000"
		"00"
		"\"]}}",
	};
	char dir[] = "/tmp/bd-image-XXXXXX";
	enum bd_image_compression comp;
	struct bd_error err;

	scratch_layout(dir);
	for (size_t i = 0; i < BD_ARRAY_SIZE(configs); i++) {
		CU_ASSERT_EQUAL(read_one_layer(dir,
					       "application/vnd.oci.image."
					       "layer.v1.tar",
					       configs[i], &comp, &err),
				BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(
			strstr(err.msg, "': rootfs.type is not \"layers\""));
	}
	rm_rf(dir);
}

/* descriptor.md, size: "If the length of the retrieved content does not
 * match the specified length, the content SHOULD NOT be trusted": the
 * config's too, as the manifest's and the layers'. */
static void test_config_size(void)
{
	static const char config[] =
		"{\"os\":\"linux\",\"architecture\":\"amd64\","
		"\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
	char dir[] = "/tmp/bd-image-XXXXXX", text[600], cfg[80], man[80];
	struct bd_error err;

	scratch_layout(dir);
	put_blob(dir, config, cfg);
	for (size_t size = strlen(config) - 1; size <= strlen(config) + 1;
	     size++) {
		snprintf(text, sizeof(text),
			 "{\"config\":{\"mediaType\":\"application/vnd.oci."
			 "image.config.v1+json\",\"digest\":\"%s\",\"size\":"
			 "%zu},\"layers\":[]}",
			 cfg, size);
		put_blob(dir, text, man);
		snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
		index_of(dir, text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err),
				size == strlen(config) ? 0 : BD_EFORMAT);
		if (size != strlen(config))
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cfg + 7));
	}
	rm_rf(dir);
}

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* descriptor.md, "Digests": "Implementations SHOULD allow digests with
 * unrecognized algorithms to pass validation if they comply with the
 * above grammar", sha512 and blake3 are registered: an index entry this
 * reader never follows may have one. What it follows (the manifest
 * chosen, its config and layers) must be sha256, the only one it reads;
 * a digest off the grammar, or a registered algorithm's of the wrong
 * form, is refused wherever it is. */
static void test_digest_algorithms(void)
{
	static const char *const others[] = {
		"sha512:" HEX64 HEX64,
		"blake3:" HEX64,
		"multihash+base58:"
		"QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
		"sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
	};
	static const char *const bad[] = {
		"sha512:" HEX64,  "blake3:" HEX64 "0",
		"SHA256:" HEX64,  "sha256:",
		"multihash+:abc", "x:a/b",
		"x:a.b",	  ":abc",
	};
	static const char config[] =
		"{\"os\":\"linux\",\"architecture\":\"amd64\","
		"\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
	char dir[] = "/tmp/bd-image-XXXXXX", text[1200], cfg[80], man[80];
	struct bd_image img;
	struct bd_error err;
	struct warnings w = { 0 };

	scratch_layout(dir);
	put_blob(dir, config, cfg);
	snprintf(text, sizeof(text),
		 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}", cfg);
	put_blob(dir, text, man);
	for (size_t i = 0; i < BD_ARRAY_SIZE(others); i++) {
		/* Another platform's manifest, an artifact: never read. */
		snprintf(
			text, sizeof(text),
			"{\"manifests\":[{\"mediaType\":\"application/vnd.oci."
			"image.manifest.v1+json\",\"digest\":\"%s\",\"size\":9,"
			"\"platform\":{\"os\":\"linux\",\"architecture\":"
			"\"arm64\"}},{\"mediaType\":\"application/vnd.example."
			"sig\",\"digest\":\"%s\",\"size\":9},{\"mediaType\":"
			"\"application/vnd.oci.image.manifest.v1+json\","
			"\"digest\":\"%s\",\"platform\":{\"os\":\"linux\","
			"\"architecture\":\"amd64\"}}]}",
			others[i], others[i], man);
		bd_test_write(dir, "index.json", text);
		CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w), 0);
		CU_ASSERT_STRING_EQUAL(img.manifest_digest, man);
		bd_image_release(&img);
		/* The manifest chosen. */
		snprintf(text, sizeof(text), "\"digest\":\"%s\",\"size\":9",
			 others[i]);
		index_of(dir, text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'img/index.json': "
						       "manifests[0]: digest "
						       "is not sha256"));
		/* Its config, a layer. */
		snprintf(text, sizeof(text),
			 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}",
			 others[i]);
		put_blob(dir, text, man);
		snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
		index_of(dir, text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "': config: digest is "
						       "not sha256"));
		snprintf(text, sizeof(text),
			 "{\"config\":{\"digest\":\"%s\"},\"layers\":[{"
			 "\"mediaType\":\"application/vnd.oci.image.layer.v1."
			 "tar\",\"digest\":\"%s\"}]}",
			 cfg, others[i]);
		put_blob(dir, text, man);
		snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
		index_of(dir, text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "': layers[0]: digest "
						       "is not sha256"));
		snprintf(text, sizeof(text),
			 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}", cfg);
		put_blob(dir, text, man);
	}
	for (size_t i = 0; i < BD_ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text),
			 "{\"manifests\":[{\"mediaType\":\"application/vnd."
			 "example.sig\",\"digest\":\"%s\",\"size\":9},{"
			 "\"mediaType\":\"application/vnd.oci.image.manifest."
			 "v1+json\",\"digest\":\"%s\"}]}",
			 bad[i], man);
		bd_test_write(dir, "index.json", text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'img/index.json': "
						       "manifests[0]: digest "
						       "is not"));
	}
	CU_ASSERT_EQUAL(w.n, 0);
	rm_rf(dir);
}

/* manifest.md and image-index.md, mediaType: "When used, this field MUST
 * contain" the document's own media type. A manifest that says it is an
 * index, or has an index's "manifests" (an index with a manifest's
 * "config" or "layers"), is one document two readers take for two
 * things (CVE-2021-41190: containerd and distribution refuse it). */
static void test_document_media_types(void)
{
	static const char config[] =
		"{\"os\":\"linux\",\"architecture\":\"amd64\","
		"\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
	static const char *const manifests[] = {
		"\"mediaType\":\"application/vnd.oci.image.index.v1+json\",",
		"\"mediaType\":\"application/vnd.docker.distribution.manifest."
		"list.v2+json\",",
		"\"manifests\":[],",
	};
	static const char *const indexes[] = {
		"\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",",
		"\"layers\":[],",
		"\"config\":{},",
	};
	char dir[] = "/tmp/bd-image-XXXXXX", text[1000], cfg[80], man[80],
	     idx[80];
	struct bd_error err;

	scratch_layout(dir);
	put_blob(dir, config, cfg);
	/* As they should be. */
	snprintf(text, sizeof(text),
		 "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+"
		 "json\",\"config\":{\"digest\":\"%s\"},\"layers\":[]}",
		 cfg);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), 0);
	for (size_t i = 0; i < BD_ARRAY_SIZE(manifests); i++) {
		snprintf(text, sizeof(text),
			 "{%s\"config\":{\"digest\":\"%s\"},\"layers\":[]}",
			 manifests[i], cfg);
		put_blob(dir, text, man);
		snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
		index_of(dir, text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, man + 7));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "': an index, not "));
	}
	snprintf(text, sizeof(text),
		 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}", cfg);
	put_blob(dir, text, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	for (size_t i = 0; i < BD_ARRAY_SIZE(indexes); i++) {
		/* A nested index, and index.json itself. */
		snprintf(text, sizeof(text),
			 "{%s\"manifests\":[{\"mediaType\":\"application/vnd."
			 "oci.image.manifest.v1+json\",\"digest\":\"%s\"}]}",
			 indexes[i], man);
		put_blob(dir, text, idx);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), 0);
		bd_test_write(dir, "index.json", text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(
			strstr(err.msg, "'img/index.json': a manifest, not "));
		snprintf(text, sizeof(text),
			 "{\"manifests\":[{\"mediaType\":\"application/vnd.oci."
			 "image.index.v1+json\",\"digest\":\"%s\"}]}",
			 idx);
		bd_test_write(dir, "index.json", text);
		CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, idx + 7));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "': a manifest, not "));
		snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
		index_of(dir, text);
	}
	rm_rf(dir);
}

/* A platform without a variant is its architecture's default one, as
 * containerd and docker normalise it (image-index.md's "Platform
 * Variants"): arm is arm/v7, arm64 arm64/v8, amd64 amd64/v1; a variant
 * asked runs the lower ones (arm64/v9 an arm64 image, amd64/v3 an amd64
 * one), not the higher (arm/v6 no arm/v7 one). */
static void test_default_variants(void)
{
	static const struct {
		const char *arch, *asked;
		int rc;
	} cases[] = {
		{ "arm", "linux/arm/v7", 0 },
		{ "arm", "linux/arm", 0 },
		{ "arm", "linux/arm/v6", BD_EUSAGE },
		{ "arm64", "linux/arm64/v8", 0 },
		{ "arm64", "linux/arm64/v9", 0 },
		{ "amd64", "linux/amd64/v1", 0 },
		{ "amd64", "linux/amd64/v3", 0 },
	};
	char dir[] = "/tmp/bd-image-XXXXXX", text[600], cfg[80], man[80];
	struct bd_image img;
	struct bd_error err;
	struct warnings w = { 0 };

	scratch_layout(dir);
	for (size_t i = 0; i < BD_ARRAY_SIZE(cases); i++) {
		snprintf(text, sizeof(text),
			 "{\"os\":\"linux\",\"architecture\":\"%s\","
			 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
			 cases[i].arch);
		put_blob(dir, text, cfg);
		snprintf(text, sizeof(text),
			 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}", cfg);
		put_blob(dir, text, man);
		snprintf(text, sizeof(text),
			 "\"digest\":\"%s\",\"platform\":{\"os\":\"linux\","
			 "\"architecture\":\"%s\"}",
			 man, cases[i].arch);
		index_of(dir, text);
		CU_ASSERT_EQUAL(
			read_image(dir, NULL, cases[i].asked, &img, &err, &w),
			cases[i].rc);
		if (!cases[i].rc)
			bd_image_release(&img);
	}
	rm_rf(dir);
}

/* index.json listing one manifest per platform "arch[/variant]" of
 * platforms (space-separated), each with a config saying the same. */
static void platform_index(const char *dir, const char *platforms)
{
	struct bd_buf idx = BD_BUF_INIT;
	char text[600], cfg[80], man[80], one[40];
	const char *p = platforms;
	bool first = true;

	bd_buf_adds(&idx, "{\"schemaVersion\":2,\"manifests\":[");
	while (*p) {
		size_t n = strcspn(p, " ");
		const char *slash;
		char variant[60] = "";

		snprintf(one, sizeof(one), "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
		slash = strchr(one, '/');
		if (slash) {
			snprintf(variant, sizeof(variant),
				 ",\"variant\":\"%s\"", slash + 1);
			one[slash - one] = '\0';
		}
		snprintf(text, sizeof(text),
			 "{\"os\":\"linux\",\"architecture\":\"%s\"%s,"
			 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
			 one, variant);
		put_blob(dir, text, cfg);
		snprintf(text, sizeof(text),
			 "{\"config\":{\"digest\":\"%s\"},\"layers\":[]}", cfg);
		put_blob(dir, text, man);
		bd_buf_printf(&idx,
			      "%s{\"mediaType\":\"application/vnd.oci.image."
			      "manifest.v1+json\",\"digest\":\"%s\","
			      "\"platform\":{\"os\":\"linux\","
			      "\"architecture\":\"%s\"%s}}",
			      first ? "" : ",", man, one, variant);
		first = false;
	}
	bd_buf_adds(&idx, "]}");
	CU_ASSERT_FATAL(bd_buf_ok(&idx));
	bd_test_write(dir, "index.json", bd_buf_str(&idx));
	bd_buf_release(&idx);
}

/*
 * Several manifests of one architecture: the one docker and containerd
 * take (platforms.Only's order), whatever the order of the index. The
 * variant asked, or the architecture's default one (arm/v7, arm64/v8,
 * amd64/v1); then a lower variant the asked one runs, the nearest first
 * (arm/v7 runs v6 and v5, amd64/v3 v2 and v1, arm64/v9 v8); then, with no
 * variant asked, any other (the first). Alpine's index lists arm/v6
 * before arm/v7: --platform linux/arm read the v6 image, not docker's.
 */
static void test_platform_preference(void)
{
	static const struct {
		const char *index, *asked, *got; /* got: NULL, refused */
	} cases[] = {
		{ "amd64/v3 amd64/v2 amd64 arm/v5 arm/v6 arm/v7 arm/v8 "
		  "arm64/v8",
		  NULL, "amd64" },
		{ "amd64/v3 amd64/v2 amd64 arm/v5 arm/v6 arm/v7 arm/v8 "
		  "arm64/v8",
		  "linux/arm", "arm/v7" },
		{ "amd64/v3 amd64/v2 amd64 arm/v5 arm/v6 arm/v7 arm/v8 "
		  "arm64/v8",
		  "linux/amd64/v3", "amd64/v3" },
		{ "amd64/v3 amd64/v2 amd64 arm/v5 arm/v6 arm/v7 arm/v8 "
		  "arm64/v8",
		  "linux/arm64", "arm64/v8" },
		{ "arm/v5 arm/v6 arm64", "linux/arm", "arm/v6" },
		{ "arm/v5 arm/v6", "linux/arm/v7", "arm/v6" },
		{ "arm/v6 arm/v5", "linux/arm/v6", "arm/v6" },
		{ "arm/v7", "linux/arm/v6", NULL },
		{ "amd64 amd64/v2", "linux/amd64/v4", "amd64/v2" },
		{ "amd64/v3", "linux/amd64", "amd64/v3" },
		{ "amd64/v3", "linux/amd64/v2", NULL },
		{ "arm64/v8", "linux/arm64/v9", "arm64/v8" },
		{ "arm64/v9", "linux/arm64", "arm64/v9" },
		{ "arm64/v9", "linux/arm64/v8", NULL },
	};
	char dir[] = "/tmp/bd-image-XXXXXX", got[80];
	struct warnings w = { 0 };
	struct bd_image img;
	struct bd_error err;

	scratch_layout(dir);
	for (size_t i = 0; i < BD_ARRAY_SIZE(cases); i++) {
		int rc;

		platform_index(dir, cases[i].index);
		rc = read_image(dir, NULL, cases[i].asked, &img, &err, &w);
		if (!cases[i].got) {
			CU_ASSERT_EQUAL(rc, BD_EUSAGE);
			continue;
		}
		CU_ASSERT_EQUAL(rc, 0);
		if (rc) {
			fprintf(stderr, "\n%s, %s: %s\n", cases[i].index,
				cases[i].asked ? cases[i].asked : "(default)",
				err.msg);
			continue;
		}
		snprintf(got, sizeof(got), "%s%s%s", img.architecture,
			 img.variant ? "/" : "",
			 img.variant ? img.variant : "");
		if (strcmp(got, cases[i].got))
			fprintf(stderr, "\n%s, %s: %s\n", cases[i].index,
				cases[i].asked ? cases[i].asked : "(default)",
				got);
		CU_ASSERT_STRING_EQUAL(got, cases[i].got);
		bd_image_release(&img);
	}
	CU_ASSERT_EQUAL(w.n, 0);
	rm_rf(dir);
}

/* An index of count copies of the descriptor of child (an index). */
static void index_blob(const char *dir, const char *child, int count,
		       char digest[80])
{
	char text[8000];
	size_t n = 0;

	n += (size_t)snprintf(text, sizeof(text), "{\"manifests\":[");
	for (int i = 0; i < count; i++)
		n += (size_t)snprintf(
			text + n, sizeof(text) - n,
			"%s{\"mediaType\":\"application/vnd.oci.image.index."
			"v1+json\",\"digest\":\"%s\"}",
			i ? "," : "", child);
	snprintf(text + n, sizeof(text) - n, "]}");
	put_blob(dir, text, digest);
}

static void test_hostile_nesting(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", d[80], next[80], text[300];
	struct bd_error err;

	scratch_layout(dir);
	/* Six indexes deep. */
	put_blob(dir, "{\"manifests\":[]}", d);
	for (int i = 0; i < 6; i++) {
		index_blob(dir, d, 1, next);
		memcpy(d, next, sizeof(d));
	}
	snprintf(text, sizeof(text),
		 "{\"manifests\":[{\"mediaType\":\"application/vnd.oci.image."
		 "index.v1+json\",\"digest\":\"%s\"}]}",
		 d);
	bd_test_write(dir, "index.json", text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': indexes nested deeper than 4");
	/* Wide instead: 3 levels of 50 copies would be 125000 reads. */
	put_blob(dir, "{\"manifests\":[]}", d);
	for (int i = 0; i < 2; i++) {
		index_blob(dir, d, 50, next);
		memcpy(d, next, sizeof(d));
	}
	snprintf(text, sizeof(text),
		 "{\"manifests\":[{\"mediaType\":\"application/vnd.oci.image."
		 "index.v1+json\",\"digest\":\"%s\"}]}",
		 d);
	bd_test_write(dir, "index.json", text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': more than 64 nested indexes");
	rm_rf(dir);
}

/* A manifest of count copies of the tar layer l over config cfg. */
static void layers_blob(const char *dir, const char *cfg, const char *l,
			int count, char digest[80])
{
	struct bd_buf b = BD_BUF_INIT;

	bd_buf_printf(&b, "{\"config\":{\"digest\":\"%s\"},\"layers\":[", cfg);
	for (int i = 0; i < count; i++)
		bd_buf_printf(&b,
			      "%s{\"mediaType\":\"application/vnd.oci.image."
			      "layer.v1.tar\",\"digest\":\"%s\"}",
			      i ? "," : "", l);
	bd_buf_adds(&b, "]}");
	CU_ASSERT_FATAL(bd_buf_ok(&b));
	put_blob(dir, b.data, digest);
	bd_buf_release(&b);
}

/* README's limit: 1,024 layers; one more is an error naming the file. */
static void test_hostile_layer_count(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", cfg[80], l[80], man[80], text[300],
	     want[300];
	struct bd_buf names = BD_BUF_INIT;
	struct bd_error err;

	scratch_layout(dir);
	put_blob(dir, "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
		 cfg);
	put_blob(dir, "layer", l);
	layers_blob(dir, cfg, l, 1024, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	/* At the limit, read on (to the config, which lists none). */
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "rootfs.diff_ids does not list "
					       "the 1024 layers"));
	layers_blob(dir, cfg, l, 1025, man);
	snprintf(text, sizeof(text), "\"digest\":\"%s\"", man);
	index_of(dir, text);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_ELIMIT);
	snprintf(want, sizeof(want),
		 "'img/blobs/sha256/%s': more than 1024 layers", man + 7);
	CU_ASSERT_STRING_EQUAL(err.msg, want);
	rm_rf(dir);
	/* docker save's manifest.json alike. */
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_buf_adds(&names, "[{\"Config\":\"c.json\",\"Layers\":[");
	for (int i = 0; i < 1025; i++)
		bd_buf_printf(&names, "%s\"l%d/layer.tar\"", i ? "," : "", i);
	bd_buf_adds(&names, "]}]");
	CU_ASSERT_FATAL(bd_buf_ok(&names));
	bd_test_write(dir, "manifest.json", names.data);
	bd_buf_release(&names);
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_ELIMIT);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "'img/manifest.json': more than 1024 layers");
	rm_rf(dir);
}

static void test_hostile_refs(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX";
	struct bd_image img;
	struct bd_error err;
	struct warnings w = { 0 };

	scratch_layout(dir);
	/* Invalid UTF-8 and controls in ref names never reach a message. */
	bd_test_write(dir, "index.json",
		      "{\"manifests\":[{\"digest\":\"sha256:"
		      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaa\",\"annotations\":{\"org.opencontainers.image."
		      "ref.name\":\"\xff\x1b[31m\"}},{\"digest\":\"sha256:"
		      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		      "bbbbbbbbb\"}]}");
	CU_ASSERT_EQUAL(read_scratch(dir, &err), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': holds 2 images, choose one "
					"with --image-ref: (an invalid name), "
					"(unnamed)");
	rm_rf(dir);
	/* docker save: paths from manifest.json stay inside. */
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_write(dir, "manifest.json",
		      "[{\"Config\":\"../../etc/passwd\",\"Layers\":[]}]");
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img/manifest.json': Config is not a "
					"relative path inside the image");
	bd_test_write(dir, "manifest.json",
		      "[{\"Config\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaaaaaaaaaaaaaaaaa.json\",\"Layers\":[\"/etc/"
		      "shadow\"]}]");
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img/manifest.json': Layers[0] is not "
					"a relative path inside the image");
	bd_test_write(dir, "manifest.json",
		      "[{\"Config\":\"c.json\",\"Layers\":[\"a/../../x\"]}]");
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w),
			BD_EFORMAT);
	bd_test_write(dir, "manifest.json", "[{\"Config\":7}]");
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w),
			BD_EFORMAT);
	bd_test_write(dir, "manifest.json", "[]");
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w),
			BD_EFORMAT);
	bd_test_write(dir, "manifest.json", "{}");
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w),
			BD_EFORMAT);
	bd_test_write(dir, "manifest.json",
		      "[{\"RepoTags\":[\"a:1\"]},{\"RepoTags\":[\"b:2\"]}]");
	CU_ASSERT_EQUAL(read_image(dir, NULL, NULL, &img, &err, &w), BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(err.msg, "'img': holds 2 images, choose one "
					"with --image-ref: a:1, b:2");
	CU_ASSERT_EQUAL(w.n, 0);
	rm_rf(dir);
}

/* ---- blob digests ---------------------------------------------------------
 */

static void test_hash(void)
{
	static const char abc_digest[] =
		"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff6"
		"1f20015ad";
	struct bd_image_hash h;
	struct bd_error err;
	char path[] = "/tmp/bd-image-blob-XXXXXX";
	int fd;

	CU_ASSERT_EQUAL_FATAL(bd_image_hash_init(&h, abc_digest, 3), 0);
	bd_image_hash_update(&h, "a", 1);
	bd_image_hash_update(&h, "bc", 2);
	CU_ASSERT_EQUAL(bd_image_hash_check(&h, "blob", &err), 0);
	CU_ASSERT_EQUAL_FATAL(bd_image_hash_init(&h, abc_digest, 0), 0);
	bd_image_hash_update(&h, "abd", 3);
	CU_ASSERT_EQUAL(bd_image_hash_check(&h, "blob", &err), BD_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'blob': digest mismatch"));
	CU_ASSERT_EQUAL_FATAL(bd_image_hash_init(&h, abc_digest, 4), 0);
	bd_image_hash_update(&h, "abc", 3);
	CU_ASSERT_EQUAL(bd_image_hash_check(&h, "blob", &err), BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "'blob': 3 bytes, the manifest says 4");
	CU_ASSERT_EQUAL(bd_image_hash_init(&h, "sha256:abc", 0), BD_EFORMAT);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "abc", 3), 3);
	CU_ASSERT_EQUAL(lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(bd_image_verify_fd(fd, abc_digest, 3, path, &err), 0);
	CU_ASSERT_EQUAL(lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(bd_image_verify_fd(fd, "sha256:0", 3, path, &err),
			BD_EFORMAT);
	close(fd);
	unlink(path);
}

/* ---- whiteouts ----------------------------------------------------------- */

static bool exists(const char *dir, const char *rel)
{
	char path[400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return lstat(path, &st) == 0;
}

/* One entry of the upper layer: the whiteout applied, or else the entry
 * made as an extractor would (a directory when it ends in '/'). */
static void entry(struct bd_image_apply *a, const char *tree, const char *name)
{
	struct bd_error err;
	bool wh = true;

	CU_ASSERT_EQUAL(bd_image_whiteout(a, name, &wh, &err), 0);
	if (!wh)
		bd_test_mk(tree, name, NULL);
}

static void lower_layer(const char *tree, const char *victim)
{
	static const char *const entries[] = {
		"usr/",
		"usr/lib/",
		"usr/lib/libold.so.1",
		"usr/lib/libkeep.so.1",
		"etc/",
		"etc/conf/",
		"etc/conf/a",
		"etc/conf/sub/",
		"etc/conf/sub/b",
		"opt/",
		"opt/gone/",
		"opt/gone/x",
		"var/",
		"var/d/",
		"var/d/old",
		"ro/",
		"ro/in/",
		"ro/in/f",
	};

	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		bd_test_mk(tree, entries[i], NULL);
	bd_test_mk(tree, "link", victim);
	bd_test_mk(tree, "etc/conf/ln", victim);
}

static void test_whiteout(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", tree[100], victim[100], path[200];
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_apply a;
	struct bd_error err;
	bool wh;
	int rootfd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	bd_test_mk(dir, "tree/", NULL);
	bd_test_mk(dir, "victim/", NULL);
	bd_test_mk(dir, "victim/precious", NULL);
	lower_layer(tree, victim);
	snprintf(path, sizeof(path), "%s/ro/in", tree);
	CU_ASSERT_EQUAL(chmod(path, 0555), 0);
	snprintf(path, sizeof(path), "%s/ro", tree);
	CU_ASSERT_EQUAL(chmod(path, 0555), 0);
	rootfd = open(tree, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(rootfd >= 0);
	bd_image_apply_init(&a, rootfd, "img!/blobs/sha256/ab", &diag);
	/* The layer's own entries come before its opaque marker, as the
	 * image-spec allows: they stay. */
	entry(&a, tree, "etc/conf/c");
	entry(&a, tree, "etc/conf/new/");
	entry(&a, tree, "etc/conf/new/f");
	entry(&a, tree, "var/d/new");
	entry(&a, tree, "usr/lib/.wh.libold.so.1");
	entry(&a, tree, "usr/lib/libnew.so.1");
	entry(&a, tree, "etc/conf/.wh..wh..opq");
	entry(&a, tree, "opt/.wh.gone");
	entry(&a, tree, "var/.wh.d");
	entry(&a, tree, ".wh.ro/");
	CU_ASSERT_EQUAL(w.n, 0);
	/* Below a symlink: refused, with one warning each. */
	entry(&a, tree, "link/.wh.precious");
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_STRING_EQUAL(w.last, "'img!/blobs/sha256/ab!/link/"
				       ".wh.precious': whiteout below the "
				       "symlink 'link', refused");
	entry(&a, tree, "link/.wh..wh..opq");
	CU_ASSERT_EQUAL(w.n, 2);
	/* A whiteout of a symlink removes the link, not its target. */
	entry(&a, tree, ".wh.link");
	/* ".wh.." would name the directory itself. */
	entry(&a, tree, "usr/.wh..");
	CU_ASSERT_EQUAL(w.n, 3);
	CU_ASSERT_STRING_EQUAL(w.last, "'img!/blobs/sha256/ab!/usr/.wh..': "
				       "whiteout names no entry, ignored");
	/* aufs bookkeeping is silently no entry. */
	entry(&a, tree, ".wh..wh.plnk");
	/* Not normalised: refused, never applied. */
	CU_ASSERT_EQUAL(bd_image_whiteout(&a, "../.wh.victim", &wh, &err), 0);
	CU_ASSERT(wh);
	CU_ASSERT_EQUAL(bd_image_whiteout(&a, "/etc/.wh.conf", &wh, &err), 0);
	CU_ASSERT_EQUAL(w.n, 5);
	/* Nothing there: nothing to do. */
	entry(&a, tree, "none/deeper/.wh.x");
	entry(&a, tree, "usr/lib/libkeep.so.1/.wh.x");
	CU_ASSERT_EQUAL(w.n, 5);

	CU_ASSERT_FALSE(exists(tree, "usr/lib/libold.so.1"));
	CU_ASSERT(exists(tree, "usr/lib/libkeep.so.1"));
	CU_ASSERT(exists(tree, "usr/lib/libnew.so.1"));
	CU_ASSERT_FALSE(exists(tree, "usr/lib/.wh.libold.so.1"));
	CU_ASSERT(exists(tree, "etc/conf"));
	CU_ASSERT(exists(tree, "etc/conf/c"));
	CU_ASSERT(exists(tree, "etc/conf/new/f"));
	CU_ASSERT_FALSE(exists(tree, "etc/conf/a"));
	CU_ASSERT_FALSE(exists(tree, "etc/conf/sub"));
	CU_ASSERT_FALSE(exists(tree, "etc/conf/ln"));
	CU_ASSERT_FALSE(exists(tree, "etc/conf/.wh..wh..opq"));
	CU_ASSERT(exists(tree, "opt"));
	CU_ASSERT_FALSE(exists(tree, "opt/gone"));
	CU_ASSERT(exists(tree, "var/d/new"));
	CU_ASSERT_FALSE(exists(tree, "var/d/old"));
	CU_ASSERT_FALSE(exists(tree, "ro"));
	CU_ASSERT_FALSE(exists(tree, "link"));
	CU_ASSERT(exists(dir, "victim/precious"));
	bd_image_apply_release(&a);

	/* The next layer: what this one put is lower now. */
	bd_image_apply_init(&a, rootfd, "img!/blobs/sha256/cd", &diag);
	entry(&a, tree, "etc/.wh.conf");
	CU_ASSERT_FALSE(exists(tree, "etc/conf"));
	entry(&a, tree, ".wh..wh..opq");
	CU_ASSERT_FALSE(exists(tree, "usr"));
	bd_image_apply_release(&a);
	close(rootfd);
	rm_rf(dir);
}

/* A lower tree deeper than BD_IMAGE_MAX_DEPTH: one warning, the rest of it
 * stays, and nothing fails. */
static void test_whiteout_deep(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX";
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_apply a;
	struct bd_error err;
	int rootfd, fd;
	bool wh;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	rootfd = open(dir, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(rootfd >= 0);
	fd = dup(rootfd);
	for (int i = 0; i < BD_IMAGE_MAX_DEPTH + 5; i++) {
		int next;

		CU_ASSERT_EQUAL_FATAL(mkdirat(fd, "d", 0755), 0);
		next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
		close(fd);
		fd = next;
		CU_ASSERT_FATAL(fd >= 0);
	}
	close(fd);
	bd_image_apply_init(&a, rootfd, "img!/l", &diag);
	CU_ASSERT_EQUAL(bd_image_whiteout(&a, ".wh.d", &wh, &err), 0);
	CU_ASSERT(wh);
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_STRING_EQUAL(w.last, "'img!/l!/.wh.d': directories nested "
				       "deeper than 128, not wholly removed");
	CU_ASSERT_EQUAL(bd_image_remove(rootfd, "d", &err), BD_ELIMIT);
	bd_image_apply_release(&a);
	close(rootfd);
	rm_rf(dir);
}

static void test_remove(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", victim[300];
	struct bd_error err;
	int rootfd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "victim/", NULL);
	bd_test_mk(dir, "victim/precious", NULL);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	bd_test_mk(dir, "t/", NULL);
	bd_test_mk(dir, "t/a/", NULL);
	bd_test_mk(dir, "t/a/b/", NULL);
	bd_test_mk(dir, "t/a/b/c", NULL);
	bd_test_mk(dir, "t/l", victim);
	rootfd = open(dir, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(rootfd >= 0);
	CU_ASSERT_EQUAL(bd_image_remove(rootfd, "t/l/precious", &err), BD_EIO);
	CU_ASSERT_STRING_EQUAL(err.msg, "'t/l/precious': below the symlink "
					"'t/l', not removed");
	CU_ASSERT_EQUAL(bd_image_remove(rootfd, "t/l", &err), 0);
	CU_ASSERT(exists(dir, "victim/precious"));
	CU_ASSERT_EQUAL(bd_image_remove(rootfd, "t/a", &err), 0);
	CU_ASSERT_FALSE(exists(dir, "t/a"));
	CU_ASSERT_EQUAL(bd_image_remove(rootfd, "t/none/x", &err), 0);
	CU_ASSERT_EQUAL(bd_image_remove(rootfd, "t/../victim", &err), BD_EIO);
	CU_ASSERT(exists(dir, "victim/precious"));
	close(rootfd);
	rm_rf(dir);
}

/* A name given twice in a layer: its first copy goes, never through a
 * symlink, never a directory. */
static void test_unlink(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", victim[300];
	struct bd_error err;
	int rootfd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	bd_test_mk(dir, "victim/", NULL);
	bd_test_mk(dir, "victim/precious", NULL);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	bd_test_mk(dir, "t/", NULL);
	bd_test_mk(dir, "t/f", NULL);
	bd_test_mk(dir, "t/d/", NULL);
	bd_test_mk(dir, "t/d/x", NULL);
	bd_test_mk(dir, "t/l", victim);
	rootfd = open(dir, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(rootfd >= 0);
	CU_ASSERT_EQUAL(bd_image_unlink(rootfd, "t/f", &err), 0);
	CU_ASSERT_FALSE(exists(dir, "t/f"));
	CU_ASSERT_EQUAL(bd_image_unlink(rootfd, "t/f", &err), 0);
	CU_ASSERT_EQUAL(bd_image_unlink(rootfd, "t/d", &err), 1);
	CU_ASSERT(exists(dir, "t/d/x"));
	CU_ASSERT_EQUAL(bd_image_unlink(rootfd, "t/l/precious", &err), 0);
	CU_ASSERT(exists(dir, "victim/precious"));
	CU_ASSERT_EQUAL(bd_image_unlink(rootfd, "t/../victim/precious", &err),
			BD_EIO);
	CU_ASSERT(exists(dir, "victim/precious"));
	CU_ASSERT_EQUAL(bd_image_unlink(rootfd, "t/l", &err), 0);
	CU_ASSERT_FALSE(exists(dir, "t/l"));
	CU_ASSERT(exists(dir, "victim/precious"));
	close(rootfd);
	rm_rf(dir);
}

/* ---- bottom-up and top-down give the same tree ----------------------------
 */

/* Layers bottom first; "/" at the end makes a directory. The upper layer's
 * markers come after its own entries and it replaces a file by a directory
 * and a directory by a file. */
static const char *const merge_layers[][16] = {
	{ "usr/", "usr/lib/", "usr/lib/libold.so.1", "usr/lib/libkeep.so.1",
	  "etc/", "etc/conf/", "etc/conf/a", "etc/conf/sub/", "etc/conf/sub/b",
	  "opt/", "opt/gone/", "opt/gone/x", "var/d/old", "lib", "srv/",
	  "srv/x" },
	{ "etc/conf/c", "etc/conf/new/f", "var/", "var/d/", "var/d/new",
	  "usr/lib/libnew.so.1", "usr/lib/.wh.libold.so.1",
	  "etc/conf/.wh..wh..opq", "opt/.wh.gone", "var/.wh.d", "lib/", "lib/x",
	  "srv", "etc/conf/" },
	{ "opt/new", "var/d/.wh.new", "usr/lib/libkeep.so.1" },
};

#define NLAYERS (sizeof(merge_layers) / sizeof(merge_layers[0]))

/* Writes name under the tree as an extractor would: parents made, and a
 * lower entry of the other kind removed first (layer.md, "Changeset over
 * existing files"). */
static void materialise(int rootfd, const char *tree, const char *name)
{
	char path[300], rel[200];
	bool dir = name[strlen(name) - 1] == '/';
	struct bd_error err;
	struct stat st;

	snprintf(rel, sizeof(rel), "%.*s", (int)strlen(name) - dir, name);
	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	if (!lstat(path, &st) && (S_ISDIR(st.st_mode) != dir))
		CU_ASSERT_EQUAL(bd_image_remove(rootfd, rel, &err), 0);
	for (char *p = strchr(path + strlen(tree) + 1, '/'); p;
	     p = strchr(p + 1, '/')) {
		*p = '\0';
		(void)mkdir(path, 0755);
		*p = '/';
	}
	if (dir)
		(void)mkdir(path, 0755);
	else
		close(open(path, O_CREAT | O_WRONLY, 0644));
}

static void test_merge_top_down(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", up[100], down[100], cmd[300];
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_merge m;
	struct bd_error err;
	int upfd, downfd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(up, sizeof(up), "%s/up", dir);
	snprintf(down, sizeof(down), "%s/down", dir);
	bd_test_mk(dir, "up/", NULL);
	bd_test_mk(dir, "down/", NULL);
	upfd = open(up, O_RDONLY | O_DIRECTORY);
	downfd = open(down, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(upfd >= 0 && downfd >= 0);
	/* Bottom-up, removing as the whiteouts come. */
	for (size_t l = 0; l < NLAYERS; l++) {
		struct bd_image_apply a;

		bd_image_apply_init(&a, upfd, "layer", &diag);
		for (size_t i = 0; i < 16 && merge_layers[l][i]; i++) {
			bool wh;

			CU_ASSERT_EQUAL(bd_image_whiteout(&a,
							  merge_layers[l][i],
							  &wh, &err),
					0);
			if (!wh)
				materialise(upfd, up, merge_layers[l][i]);
		}
		bd_image_apply_release(&a);
	}
	/* Top-down, writing only what stays. */
	bd_image_merge_init(&m, &diag);
	for (size_t l = NLAYERS; l-- > 0;) {
		bd_image_merge_layer(&m, "layer");
		for (size_t i = 0; i < 16 && merge_layers[l][i]; i++) {
			const char *name = merge_layers[l][i];
			bool keep, dir_entry = name[strlen(name) - 1] == '/';

			CU_ASSERT_EQUAL(bd_image_merge_entry(&m, name,
							     dir_entry, &keep,
							     &err),
					0);
			if (keep)
				materialise(downfd, down, name);
		}
		if (l == 1) {
			CU_ASSERT(bd_image_merge_kept(&m, "etc/conf/c"));
			CU_ASSERT(bd_image_merge_kept(&m, "lib/"));
			CU_ASSERT_FALSE(bd_image_merge_kept(&m, "var/d/new"));
		}
	}
	/* The bottom layer: all it had was hidden or replaced. */
	CU_ASSERT_FALSE(bd_image_merge_kept(&m, "etc/conf/a"));
	CU_ASSERT_FALSE(bd_image_merge_kept(&m, "usr/lib/libkeep.so.1"));
	bd_image_merge_release(&m);
	CU_ASSERT_EQUAL(w.n, 0);
	snprintf(cmd, sizeof(cmd), "diff -r %s %s", up, down);
	CU_ASSERT_EQUAL(system(cmd), 0);
	CU_ASSERT(exists(down, "etc/conf/c"));
	CU_ASSERT(exists(down, "etc/conf/new/f"));
	CU_ASSERT_FALSE(exists(down, "etc/conf/a"));
	CU_ASSERT_FALSE(exists(down, "etc/conf/sub"));
	CU_ASSERT_FALSE(exists(down, "usr/lib/libold.so.1"));
	CU_ASSERT(exists(down, "usr/lib/libkeep.so.1"));
	CU_ASSERT_FALSE(exists(down, "opt/gone"));
	CU_ASSERT(exists(down, "opt/new"));
	CU_ASSERT(exists(down, "var/d"));
	CU_ASSERT_FALSE(exists(down, "var/d/new"));
	CU_ASSERT_FALSE(exists(down, "var/d/old"));
	CU_ASSERT(exists(down, "lib/x"));
	CU_ASSERT_FALSE(exists(down, "srv/x"));
	CU_ASSERT(exists(down, "srv"));
	close(upfd);
	close(downfd);
	rm_rf(dir);
}

/* An opaque root hides all below; bad names are refused. */
static void test_merge_edges(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_merge m;
	struct bd_error err;
	bool keep;

	bd_image_merge_init(&m, &diag);
	bd_image_merge_layer(&m, "top");
	CU_ASSERT_EQUAL(
		bd_image_merge_entry(&m, ".wh..wh..opq", false, &keep, &err),
		0);
	CU_ASSERT_FALSE(keep);
	CU_ASSERT_EQUAL(bd_image_merge_entry(&m, "a", false, &keep, &err), 0);
	CU_ASSERT(keep);
	CU_ASSERT_EQUAL(bd_image_merge_entry(&m, "x/.wh..", false, &keep, &err),
			0);
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_STRING_EQUAL(
		w.last, "'top!/x/.wh..': whiteout names no entry, ignored");
	CU_ASSERT_EQUAL(
		bd_image_merge_entry(&m, "../etc/passwd", false, &keep, &err),
		0);
	CU_ASSERT_FALSE(keep);
	CU_ASSERT_EQUAL(w.n, 2);
	bd_image_merge_layer(&m, "lower");
	CU_ASSERT_EQUAL(bd_image_merge_entry(&m, "b/c", false, &keep, &err), 0);
	CU_ASSERT_FALSE(keep);
	CU_ASSERT_EQUAL(bd_image_merge_entry(&m, "a", false, &keep, &err), 0);
	CU_ASSERT_FALSE(keep);
	bd_image_merge_release(&m);
}

/* A middle layer's file where the top layer makes a directory: applied
 * bottom-up, the file removed the bottom layer's directory and all below
 * it, then the top's directory replaced the file (layer.md, "Changeset
 * over existing files"). Nothing of the bottom layer is left below it. */
static void test_merge_file_between_dirs(void)
{
	static const char *const names[] = { "a", "a/b", "a/b/c" };
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_error err;

	for (size_t i = 0; i < BD_ARRAY_SIZE(names); i++) {
		struct bd_image_merge m;
		bool keep;

		bd_image_merge_init(&m, &diag);
		bd_image_merge_layer(&m, "top");
		CU_ASSERT_EQUAL(bd_image_merge_entry(&m, "a/b/c/new", false,
						     &keep, &err),
				0);
		CU_ASSERT(keep);
		bd_image_merge_layer(&m, "middle");
		CU_ASSERT_EQUAL(
			bd_image_merge_entry(&m, names[i], false, &keep, &err),
			0);
		CU_ASSERT_FALSE(keep);
		bd_image_merge_layer(&m, "bottom");
		CU_ASSERT_EQUAL(bd_image_merge_entry(&m, "a/b/c/old", false,
						     &keep, &err),
				0);
		CU_ASSERT_FALSE(keep);
		/* Beside the replaced path, the bottom layer's stays. */
		CU_ASSERT_EQUAL(
			bd_image_merge_entry(&m, "a/x", false, &keep, &err), 0);
		CU_ASSERT_EQUAL(keep, i > 0);
		bd_image_merge_release(&m);
	}
	CU_ASSERT_EQUAL(w.n, 0);
}

/* One entry of the merge, and whether it is kept. */
static bool merge_keeps(struct bd_image_merge *m, const char *name, bool dir)
{
	struct bd_error err;
	bool keep = false;

	CU_ASSERT_EQUAL(bd_image_merge_entry(m, name, dir, &keep, &err), 0);
	return keep;
}

/*
 * A whiteout whose directory a lower layer made a symlink (lib ->
 * usr/lib, then lib/.wh.libx.so; the same for the opaque marker): the
 * whiteout names a path of its layer's own tree, which overlayfs, docker's
 * and containerd's default, makes a directory of that layer (moby's and
 * containerd's appliers make a whiteout's missing parents in the layer's
 * empty upper directory). That directory hides the lower symlink, and
 * the link is never followed: what it led to stays. A lower directory
 * there is merged, as any other, and its entry kept (the whiteout made
 * none in the tree).
 */
static void test_merge_whiteout_below_link(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_merge m;

	bd_image_merge_init(&m, &diag);
	bd_image_merge_layer(&m, "top");
	CU_ASSERT_FALSE(merge_keeps(&m, "lib/.wh.libx.so", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "lib64/.wh..wh..opq", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "a/b/.wh.c", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "usr/share/.wh.doc", false));
	/* A directory the top layer writes is its own already. */
	CU_ASSERT(merge_keeps(&m, "etc/", true));
	CU_ASSERT_FALSE(merge_keeps(&m, "etc/.wh.motd", false));
	bd_image_merge_layer(&m, "bottom");
	CU_ASSERT_FALSE(merge_keeps(&m, "lib", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "lib64", false));
	CU_ASSERT(merge_keeps(&m, "usr/lib/", true));
	CU_ASSERT(merge_keeps(&m, "usr/lib/libx.so", false));
	CU_ASSERT(merge_keeps(&m, "usr/lib64/liby.so", false));
	/* A lower file where a whiteout's parent is: hidden too. */
	CU_ASSERT_FALSE(merge_keeps(&m, "a", false));
	/* Lower directories: merged, their entries kept, only the
	 * whited-out entry hidden. */
	CU_ASSERT(merge_keeps(&m, "usr/", true));
	CU_ASSERT(merge_keeps(&m, "usr/share/", true));
	CU_ASSERT_FALSE(merge_keeps(&m, "usr/share/doc/x", false));
	CU_ASSERT(merge_keeps(&m, "usr/share/man/y", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "etc/", true));
	CU_ASSERT(merge_keeps(&m, "etc/passwd", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "etc/motd", false));
	bd_image_merge_release(&m);
	CU_ASSERT_EQUAL(w.n, 0);
}

/*
 * A directory whited out (or made opaque) in a middle layer and made again
 * by the top one: the container has only what the top layer put there,
 * as layer.md's whiteouts apply to the layers below only; a name given
 * again as another kind above is that kind.
 */
static void test_merge_recreated(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_merge m;

	bd_image_merge_init(&m, &diag);
	bd_image_merge_layer(&m, "top");
	CU_ASSERT(merge_keeps(&m, "opt/", true));
	CU_ASSERT(merge_keeps(&m, "opt/d/", true));
	CU_ASSERT(merge_keeps(&m, "opt/d/b.so", false));
	CU_ASSERT(merge_keeps(&m, "srv/t.so", false));
	CU_ASSERT(merge_keeps(&m, "x", false));
	bd_image_merge_layer(&m, "middle");
	CU_ASSERT_FALSE(merge_keeps(&m, "opt/.wh.d", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "srv/.wh..wh..opq", false));
	CU_ASSERT(merge_keeps(&m, "srv/m.so", false));
	CU_ASSERT_FALSE(merge_keeps(&m, ".wh.x", false));
	bd_image_merge_layer(&m, "bottom");
	CU_ASSERT_FALSE(merge_keeps(&m, "opt/d/a.so", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "opt/d/sub/c.so", false));
	CU_ASSERT(merge_keeps(&m, "opt/e.so", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "srv/b.so", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "srv/t.so", false));
	CU_ASSERT_FALSE(merge_keeps(&m, "x/", true));
	CU_ASSERT_FALSE(merge_keeps(&m, "x/y.so", false));
	bd_image_merge_release(&m);
	CU_ASSERT_EQUAL(w.n, 0);
}

/*
 * A layer's directory, then a file at its path (a name given again as
 * another kind): what the layer wrote there goes, an upper layer's file
 * stays, and a symlink of the layer is removed, never followed.
 */
static void test_merge_prune(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", tree[100], victim[100];
	static const char *const mine[] = { "opt/",	    "opt/x/",
					    "opt/x/mine",   "opt/x/sub/",
					    "opt/x/sub/m2", "srv/",
					    "srv/a" };
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_merge m;
	struct bd_error err;
	int rootfd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	bd_test_mk(dir, "tree/", NULL);
	bd_test_mk(dir, "victim/", NULL);
	bd_test_mk(dir, "victim/precious", NULL);
	rootfd = open(tree, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(rootfd >= 0);
	bd_image_merge_init(&m, &diag);
	bd_image_merge_layer(&m, "top");
	CU_ASSERT(merge_keeps(&m, "opt/x/up", false));
	materialise(rootfd, tree, "opt/x/up");
	/* A directory a whiteout implies, then the top layer's file in it. */
	CU_ASSERT_FALSE(merge_keeps(&m, "p/.wh.y", false));
	CU_ASSERT(merge_keeps(&m, "p/g", false));
	materialise(rootfd, tree, "p/g");
	bd_image_merge_layer(&m, "bottom");
	CU_ASSERT(merge_keeps(&m, "p/", true));
	CU_ASSERT(merge_keeps(&m, "p/f", false));
	materialise(rootfd, tree, "p/f");
	CU_ASSERT(bd_image_merge_replaces_tree(&m, "p"));
	CU_ASSERT_EQUAL(bd_image_merge_prune(&m, rootfd, "p", &err), 0);
	CU_ASSERT(exists(tree, "p/g"));
	CU_ASSERT_FALSE(exists(tree, "p/f"));
	CU_ASSERT_FALSE(merge_keeps(&m, "p", false));
	for (size_t i = 0; i < BD_ARRAY_SIZE(mine); i++) {
		bool dir_entry = mine[i][strlen(mine[i]) - 1] == '/';

		if (merge_keeps(&m, mine[i], dir_entry))
			materialise(rootfd, tree, mine[i]);
	}
	CU_ASSERT(merge_keeps(&m, "opt/x/ln", false));
	bd_test_mk(tree, "opt/x/ln", victim);
	CU_ASSERT(merge_keeps(&m, "srv/ln", false));
	bd_test_mk(tree, "srv/ln", victim);
	CU_ASSERT_FALSE(bd_image_merge_replaces_tree(&m, "opt/x/mine"));
	CU_ASSERT(bd_image_merge_replaces_tree(&m, "opt/x"));
	CU_ASSERT(bd_image_merge_replaces_tree(&m, "srv/"));
	CU_ASSERT_EQUAL(bd_image_merge_prune(&m, rootfd, "opt/x", &err), 0);
	CU_ASSERT(exists(tree, "opt/x/up"));
	CU_ASSERT_FALSE(exists(tree, "opt/x/mine"));
	CU_ASSERT_FALSE(exists(tree, "opt/x/sub"));
	CU_ASSERT_FALSE(exists(tree, "opt/x/ln"));
	/* The layer's own all through: removed whole. */
	CU_ASSERT_EQUAL(bd_image_merge_prune(&m, rootfd, "srv/", &err), 0);
	CU_ASSERT_FALSE(exists(tree, "srv"));
	CU_ASSERT(exists(dir, "victim/precious"));
	/* The file itself then: not kept where the top layer has the
	 * directory, kept where the layer had it alone. */
	CU_ASSERT_FALSE(merge_keeps(&m, "opt/x", false));
	CU_ASSERT(merge_keeps(&m, "srv", false));
	bd_image_merge_release(&m);
	CU_ASSERT_EQUAL(w.n, 0);
	close(rootfd);
	rm_rf(dir);
}

/*
 * A file given again and again at a directory an upper layer filled, a
 * file of the layer below it between each: each prune removes what the
 * layer wrote there, by the layer's own list, never reading the upper
 * layer's 20,000 files again (2,000 prunes read 40 million entries).
 * What the layer writes again after a prune, below a directory of the
 * upper layer too, goes with the next.
 */
static void test_merge_prune_cost(void)
{
	char dir[] = "/tmp/bd-image-XXXXXX", tree[100], name[64];
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_merge m;
	struct bd_error err;
	clock_t start;
	int rootfd, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	bd_test_mk(dir, "tree/", NULL);
	rootfd = open(tree, O_RDONLY | O_DIRECTORY);
	CU_ASSERT_FATAL(rootfd >= 0);
	bd_image_merge_init(&m, &diag);
	bd_image_merge_layer(&m, "top");
	CU_ASSERT(merge_keeps(&m, "d/sub/up", false));
	materialise(rootfd, tree, "d/sub/up");
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "d/u%d", i);
		CU_ASSERT(merge_keeps(&m, name, false));
		materialise(rootfd, tree, name);
	}
	bd_image_merge_layer(&m, "bottom");
	CU_ASSERT_FALSE(merge_keeps(&m, "d/", true));
	start = clock();
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), i % 2 ? "d/x%d" : "d/sub/x%d", i);
		CU_ASSERT(merge_keeps(&m, name, false));
		materialise(rootfd, tree, name);
		CU_ASSERT(bd_image_merge_replaces_tree(&m, "d"));
		CU_ASSERT_EQUAL(bd_image_merge_prune(&m, rootfd, "d", &err), 0);
		CU_ASSERT_FALSE(exists(tree, name));
		CU_ASSERT_FALSE(merge_keeps(&m, "d", false));
	}
	/* The same name again, once pruned: gone again. */
	CU_ASSERT(merge_keeps(&m, "d/sub/x0", false));
	materialise(rootfd, tree, "d/sub/x0");
	CU_ASSERT_EQUAL(bd_image_merge_prune(&m, rootfd, "d", &err), 0);
	CU_ASSERT_FALSE(exists(tree, "d/sub/x0"));
	CU_ASSERT(exists(tree, "d/sub/up"));
	CU_ASSERT(exists(tree, "d/u19999"));
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - start < 2 * CLOCKS_PER_SEC);
	bd_image_merge_release(&m);
	CU_ASSERT_EQUAL(w.n, 0);
	close(rootfd);
	rm_rf(dir);
}

/* A name of 127 components of 31 bytes, 4,063 bytes, into entry (its
 * length returned); deep_name_tell gives its first component i. */
static size_t deep_name(char *entry, size_t size)
{
	size_t at = 0;
	int i;

	for (i = 0; i < 127; i++)
		at += (size_t)snprintf(entry + at, size - at, "%s%031d",
				       i ? "/" : "", i);
	return at;
}

static void deep_name_tell(char *entry, int i)
{
	char first = entry[31];

	snprintf(entry, 32, "%031d", i);
	entry[31] = first;
}

/*
 * A deep name costs the merge its bytes, not its bytes times its depth:
 * 4,000 entries 127 directories deep, of 4,000 bytes each, each in a
 * directory of its own, over two layers (a gzip'd layer of 20,000 such
 * entries, 500 KiB, took 5.4 GB and 11 s: a path kept and hashed for
 * each directory above each entry, hashed again to look each up).
 */
static void test_merge_deep(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_merge m;
	static char entry[BD_IMAGE_LINKS_NAME_MAX + 16];
	clock_t start;
	int i, kept = 0;

	deep_name(entry, sizeof(entry));
	bd_image_merge_init(&m, &diag);
	start = clock();
	bd_image_merge_layer(&m, "top");
	for (i = 0; i < 4000; i++) {
		if (i == 2000)
			bd_image_merge_layer(&m, "bottom");
		deep_name_tell(entry, i % 2000);
		kept += merge_keeps(&m, entry, false);
	}
	/* The bottom layer's are hidden by the top's, each its own path. */
	CU_ASSERT_EQUAL(kept, 2000);
	CU_ASSERT(m.names.pool_len < 2000 * 4200);
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - start < CLOCKS_PER_SEC / 2);
	bd_image_merge_release(&m);
	CU_ASSERT_EQUAL(w.n, 0);
}

/* Whether the merge keeps name (a directory when it ends in '/'), and
 * refuses it whole. */
static bool merge_keeps_capped(struct bd_image_merge *m, const char *name,
			       bool *refused)
{
	bool keep = merge_keeps(m, name, name[strlen(name) - 1] == '/');

	*refused = m->refused;
	return keep;
}

/*
 * The directories an image's entry names make that no entry lists are
 * capped (bd_archive_implied, shared by its layers): an entry needing
 * more is refused, one warning for all, and the entries needing none
 * are kept after it; a whiteout's directories count as the merge makes
 * them too. 2,000 symlinks to deep targets, an entry below each, made
 * 254,000 directories.
 */
static void test_merge_implied_capped(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_archive_implied cap = { .max = 5 };
	struct bd_image_merge m;
	bool refused;

	bd_image_merge_init(&m, &diag);
	m.implied = &cap;
	bd_image_merge_layer(&m, "img!/blobs/sha256/top");
	CU_ASSERT(merge_keeps_capped(&m, "a/b/c/x", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "a/b/y", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "d/", &refused) && !refused);
	CU_ASSERT_EQUAL(cap.made, 3);
	CU_ASSERT(!merge_keeps_capped(&m, "d/e/f/g/h", &refused) && refused);
	CU_ASSERT(!merge_keeps_capped(&m, "p/q/r/.wh.s", &refused) && refused);
	CU_ASSERT(merge_keeps_capped(&m, "d/e2/z", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "a/b/c/z", &refused) && !refused);
	bd_image_merge_layer(&m, "img!/blobs/sha256/lower");
	/* The lower layer's a/b/c made as the top one's: nothing new. */
	CU_ASSERT(merge_keeps_capped(&m, "a/b/c/w", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "n/o", &refused) && !refused);
	CU_ASSERT(!merge_keeps_capped(&m, "n2/o", &refused) && refused);
	CU_ASSERT_EQUAL(cap.made, 5);
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_STRING_EQUAL(w.last,
			       "'img!/blobs/sha256/top': more than 5 "
			       "directories made for entry names that no entry "
			       "lists, in the image: the entries needing more "
			       "are skipped");
	/* No cap: as before. */
	bd_image_merge_release(&m);
	bd_image_merge_init(&m, &diag);
	bd_image_merge_layer(&m, "layer");
	CU_ASSERT(merge_keeps_capped(&m, "d/e/f/g/h/i/j", &refused) &&
		  !refused);
	bd_image_merge_release(&m);
	CU_ASSERT_EQUAL(w.n, 1);
}

/* ---- a layer's own links ---------------------------------------------- */

/* What entry (a symlink when it holds " -> ", a directory when it ends
 * in '/', a hard link when it holds " => ") is placed at: its name, or
 * "skip: why"; a hard link's "name => target". */
static const char *place(struct bd_image_links *k, const char *entry)
{
	static char out[2 * BD_IMAGE_LINKS_NAME_MAX + 16];
	char name[BD_IMAGE_LINKS_NAME_MAX + 1],
		target[BD_IMAGE_LINKS_NAME_MAX + 1];
	const char *arrow = strstr(entry, " -> "),
		   *hard = strstr(entry, " => ");
	const char *sep = arrow ? arrow : hard, *why = NULL;
	size_t n = sep ? (size_t)(sep - entry) : strlen(entry);
	bool dir = n && entry[n - 1] == '/';
	int rc;

	snprintf(name, sizeof(name), "%.*s", (int)(dir ? n - 1 : n), entry);
	if (hard)
		snprintf(target, sizeof(target), "%s", hard + 4);
	rc = bd_image_links_place(k, name, hard ? target : NULL, dir,
				  arrow ? arrow + 4 : NULL, &why);
	CU_ASSERT(rc == 0 || rc == 1);
	if (rc == 1)
		snprintf(out, sizeof(out), "skip: %s", why ? why : "?");
	else if (hard)
		snprintf(out, sizeof(out), "%s => %s", name, target);
	else
		snprintf(out, sizeof(out), "%s", name);
	return out;
}

/*
 * Entries below a symlink of their own layer go where it leads (relative,
 * absolute, climbing past the root, through a second link, a link's
 * target holding ".."), inside the layer's root; a link's own name is
 * never followed; a later entry at a link's path, or at a directory above
 * it, ends it; a new layer has none; a whiteout is placed, not recorded.
 */
static void test_links_place(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_links k;

	bd_image_links_init(&k, &diag);
	bd_image_links_layer(&k, "layer");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib/x.so"), "lib/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib -> usr/lib"), "lib");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib/x.so"), "usr/lib/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib/a/b/"), "usr/lib/a/b");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib/.wh.y"), "usr/lib/.wh.y");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib"), "lib");
	CU_ASSERT_STRING_EQUAL(place(&k, "abs -> /opt//app/./lib/"), "abs");
	CU_ASSERT_STRING_EQUAL(place(&k, "abs/x.so"), "opt/app/lib/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "d/up -> ../../../../etc"), "d/up");
	CU_ASSERT_STRING_EQUAL(place(&k, "d/up/x"), "etc/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "l1 -> l2/sub"), "l1");
	CU_ASSERT_STRING_EQUAL(place(&k, "l2 -> abs/../.."), "l2");
	/* l1 -> l2/sub -> abs/../../sub, whose ".." take off abs and one
	 * more, lexically (fs.RootPath's filepath.Join), before abs is
	 * looked at: sub (test_links_as_containerd). */
	CU_ASSERT_STRING_EQUAL(place(&k, "l1/x"), "sub/x");
	/* A link below a link is made where its directory leads, and
	 * followed from there. */
	CU_ASSERT_STRING_EQUAL(place(&k, "abs/in -> ../share"),
			       "opt/app/lib/in");
	CU_ASSERT_STRING_EQUAL(place(&k, "abs/in/y"), "opt/app/share/y");
	/* A hard link's target goes where its directory leads too. */
	CU_ASSERT_STRING_EQUAL(place(&k, "h => abs/x.so"),
			       "h => opt/app/lib/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "abs/h => abs"),
			       "opt/app/lib/h => abs");
	/* The link's own path given again: no link any more. */
	CU_ASSERT_STRING_EQUAL(place(&k, "abs/"), "abs");
	CU_ASSERT_STRING_EQUAL(place(&k, "abs/x.so"), "abs/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "d/up"), "d/up");
	CU_ASSERT_STRING_EQUAL(place(&k, "d/up/x"), "d/up/x");
	/* A directory above a link replaced by a file, then made again:
	 * the link went with it. */
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/r -> /srv"), "p/q/r");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/r/x"), "srv/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "p"), "p");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/"), "p");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/r/x"), "p/q/r/x");
	/* ... and a link made at a directory above it the same. */
	CU_ASSERT_STRING_EQUAL(place(&k, "s/t/u -> /srv"), "s/t/u");
	CU_ASSERT_STRING_EQUAL(place(&k, "s/t -> /tmp"), "s/t");
	CU_ASSERT_STRING_EQUAL(place(&k, "s/t/u/x"), "tmp/u/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "s/t/"), "s/t");
	CU_ASSERT_STRING_EQUAL(place(&k, "s/t/u/x"), "s/t/u/x");
	/* A link made again after its directory was: it is back. */
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/r -> /var"), "p/q/r");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/r/x"), "var/x");
	/* The next layer has only its own links. */
	bd_image_links_layer(&k, "lower");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib/x.so"), "lib/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/r/x"), "p/q/r/x");
	bd_image_links_release(&k);
	CU_ASSERT_EQUAL(w.n, 0);
}

/*
 * Where containerd writes an entry below links whose targets hold "." or
 * "..", as continuity's fs.RootPath (236a5b5) resolves its directory:
 * passes over the path until one walks no link; a target joined to the
 * path before its link by filepath.Join, lexically, ".." taking off the
 * component before it whether a link or not; the first link of a relative
 * path taken as it is, for the next pass to walk. Each answer is what a
 * port of RootPath gives in a real directory (the kernel reading there
 * the links of a path RootPath looks up). The kernel's reading, followed
 * before, was another place for all but the first.
 */
static void test_links_as_containerd(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_links k;

	bd_image_links_init(&k, &diag);
	bd_image_links_layer(&k, "layer");
	/* The first link's target, taken as it is: x, then "..": the kernel's
	 * reading for one link. */
	place(&k, "x -> usr/lib/deep");
	place(&k, "l -> x/../hidden");
	CU_ASSERT_STRING_EQUAL(place(&k, "l/f"), "usr/lib/hidden/f");
	/* Below a directory, joined to it: /a/x/../../opt is /opt. */
	place(&k, "a/x -> /usr/lib/deep");
	place(&k, "a/l -> x/../../opt");
	CU_ASSERT_STRING_EQUAL(place(&k, "a/l/f"), "opt/f");
	/* b -> b/..: b's ".." takes b off; no loop. */
	place(&k, "b -> b/..");
	CU_ASSERT_STRING_EQUAL(place(&k, "b/b/f"), "f");
	/* m -> n/., n -> x: x, then Join(x, ".") looked up: a link again,
	 * whose target y is joined to x (to the link, not its directory). */
	place(&k, "x -> y");
	place(&k, "n -> x");
	place(&k, "m -> n/.");
	CU_ASSERT_STRING_EQUAL(place(&k, "m/f"), "y/y/f");
	/* The lstat of /p/c/e: the kernel follows p there, and e's target
	 * is joined to /p/c, as RootPath held it. */
	place(&k, "p -> a/b");
	place(&k, "a/b/c/e -> ../../z");
	place(&k, "d/t -> /p/c");
	CU_ASSERT_STRING_EQUAL(place(&k, "d/t/e/f"), "z/f");
	/* ... where a loop is ELOOP (containerd refuses the layer). */
	place(&k, "q -> r");
	place(&k, "r -> q");
	place(&k, "d/u -> /q/s");
	CU_ASSERT_STRING_EQUAL(place(&k, "d/u/e/f"),
			       "skip: more than 40 symlinks in a path looked "
			       "up on its way (a loop), skipped");
	bd_image_links_release(&k);
	CU_ASSERT_EQUAL(w.n, 0);
}

/*
 * Links that loop, or chain further than containerd follows (255), skip
 * the entry below them with one reason each; 255 are followed. A path
 * that would grow past BD_IMAGE_LINKS_NAME_MAX or BD_IMAGE_LINKS_DEPTH is
 * skipped too. Nothing is said through diag but the budget.
 */
static void test_links_hostile(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_links k;
	char entry[3 * BD_IMAGE_LINKS_NAME_MAX], long_name[3000];
	int i;

	bd_image_links_init(&k, &diag);
	bd_image_links_layer(&k, "layer");
	place(&k, "a -> b");
	place(&k, "b -> a");
	CU_ASSERT_STRING_EQUAL(place(&k, "a/x"),
			       "skip: more than 255 symlinks on its path (a "
			       "loop), skipped");
	place(&k, "c -> ./c/");
	CU_ASSERT_STRING_EQUAL(place(&k, "c/x"),
			       "skip: more than 255 symlinks on its path (a "
			       "loop), skipped");
	/* n0 -> n1 -> ... -> n255 -> /srv: 256 links, n1's 255. */
	for (i = 0; i < 256; i++) {
		if (i < 255)
			snprintf(entry, sizeof(entry), "n%d -> n%d", i, i + 1);
		else
			snprintf(entry, sizeof(entry), "n%d -> /srv", i);
		place(&k, entry);
	}
	CU_ASSERT_STRING_EQUAL(place(&k, "n1/x"), "srv/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "n0/x"),
			       "skip: more than 255 symlinks on its path (a "
			       "loop), skipped");
	/* Too long, too deep. */
	memset(long_name, 'y', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	snprintf(entry, sizeof(entry), "long -> /%s/%s", long_name, long_name);
	place(&k, entry);
	CU_ASSERT_STRING_EQUAL(place(&k, "long/x"),
			       "skip: its path through the layer's symlinks is "
			       "longer than 4096 bytes, skipped");
	snprintf(entry, sizeof(entry), "deep -> ");
	for (i = 0; i < 128; i++)
		strcat(entry, "d/");
	place(&k, entry);
	CU_ASSERT_STRING_EQUAL(place(&k, "deep/x"),
			       "skip: its path through the layer's symlinks is "
			       "deeper than 128 directories, skipped");
	bd_image_links_release(&k);
	CU_ASSERT_EQUAL(w.n, 0);
}

/*
 * The cost of following links is bounded for the whole image: 20,000
 * entries each below a chain of 255 links of long names would look up
 * gigabytes of paths; past BD_IMAGE_LINKS_BUDGET the entries below links
 * are skipped, said once, in a fraction of a second. Entries of a
 * directory below a link, listed together, resolve it once.
 */
static void test_links_cost(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_links k;
	char entry[3 * BD_IMAGE_LINKS_NAME_MAX], pad[1001];
	clock_t start = clock();
	int i, skipped = 0;

	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	bd_image_links_init(&k, &diag);
	bd_image_links_layer(&k, "layer");
	for (i = 0; i < 255; i++) {
		snprintf(entry, sizeof(entry), "%s/%s/%s/n%d -> /%s/%s/%s/n%d",
			 pad, pad, pad, i, pad, pad, pad, i + 1);
		place(&k, entry);
	}
	for (i = 0; i < 20000; i++) {
		snprintf(entry, sizeof(entry), "%s/%s/%s/n1/d%d/x", pad, pad,
			 pad, i);
		skipped += !strncmp(place(&k, entry), "skip: ", 6);
	}
	CU_ASSERT(skipped > 19000);
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT(strstr(w.last, "'layer': more than 64 MiB of paths looked "
				 "up following its symlinks") != NULL);
	bd_image_links_release(&k);
	/* Most entries of a directory: one resolution. */
	bd_image_links_init(&k, &diag);
	bd_image_links_layer(&k, "next");
	place(&k, "lib -> usr/lib");
	for (i = 0; i < 100000; i++) {
		snprintf(entry, sizeof(entry), "lib/x86_64-linux-gnu/lib%d.so",
			 i);
		if (strncmp(place(&k, entry), "usr/lib/x86_64-linux-gnu/", 25))
			break;
	}
	CU_ASSERT_EQUAL(i, 100000);
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - start < CLOCKS_PER_SEC / 2);
	bd_image_links_release(&k);
}

/*
 * Deep names cost their bytes, not their bytes times their depth: 2,000
 * links 127 directories deep, of 4,000 bytes each, and 20,000 entries as
 * deep in directories of their own, each looked up component by
 * component, each name stored once (a path per directory above each link,
 * hashed again at each level, took 3.5 s and 540 MB).
 */
static void test_links_deep(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_links k;
	static char entry[BD_IMAGE_LINKS_NAME_MAX + 16];
	clock_t start;
	size_t at = deep_name(entry, sizeof(entry));
	int i, placed = 0;

	bd_image_links_init(&k, &diag);
	bd_image_links_layer(&k, "layer");
	start = clock();
	for (i = 0; i < 22000; i++) {
		deep_name_tell(entry, i);
		snprintf(entry + at, sizeof(entry) - at,
			 i < 2000 ? "/l -> x" : "/f");
		placed += !strncmp(place(&k, entry), entry, at);
	}
	CU_ASSERT_EQUAL(placed, 22000);
	CU_ASSERT(k.names.pool_len < 2000 * 4200);
	if (!bd_test_instrumented())
		CU_ASSERT(clock() - start < CLOCKS_PER_SEC / 2);
	bd_image_links_release(&k);
	CU_ASSERT_EQUAL(w.n, 0);
}

/*
 * A whiteout of a path its own layer made before it (a link, or a
 * directory above one): containerd's naive applier, that of a layer's
 * first snapshot and of the native snapshotter, removes it
 * (os.RemoveAll), and moby's UnpackLayer too; their overlayfs appliers
 * mknod(2) a whiteout device there, which fails (EEXIST) and refuses
 * the layer. So the link is gone for the entries after it, which are
 * placed where no link leads. A whiteout before the link, the opaque
 * marker and aufs' ".wh..wh." names leave it.
 */
static void test_links_whiteout_of_own(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_image_links k;

	bd_image_links_init(&k, &diag);
	bd_image_links_layer(&k, "layer");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib -> usr/lib"), "lib");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib/x.so"), "usr/lib/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, ".wh.lib"), ".wh.lib");
	CU_ASSERT_STRING_EQUAL(place(&k, "lib/y.so"), "lib/y.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q -> /srv"), "p/q");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/x"), "srv/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/.wh.q"), "p/.wh.q");
	CU_ASSERT_STRING_EQUAL(place(&k, "p/q/x"), "p/q/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "s/t/u -> /srv"), "s/t/u");
	CU_ASSERT_STRING_EQUAL(place(&k, ".wh.s"), ".wh.s");
	CU_ASSERT_STRING_EQUAL(place(&k, "s/t/u/x"), "s/t/u/x");
	/* Through a link: the whiteout's own directory is placed first. */
	CU_ASSERT_STRING_EQUAL(place(&k, "v -> opt"), "v");
	CU_ASSERT_STRING_EQUAL(place(&k, "opt/l -> /var"), "opt/l");
	CU_ASSERT_STRING_EQUAL(place(&k, "v/l/x"), "var/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "v/.wh.l"), "opt/.wh.l");
	CU_ASSERT_STRING_EQUAL(place(&k, "v/l/x"), "opt/l/x");
	/* Left as they were. */
	CU_ASSERT_STRING_EQUAL(place(&k, ".wh.n"), ".wh.n");
	CU_ASSERT_STRING_EQUAL(place(&k, "n -> /var"), "n");
	CU_ASSERT_STRING_EQUAL(place(&k, "n/x"), "var/x");
	CU_ASSERT_STRING_EQUAL(place(&k, "m -> /opt"), "m");
	CU_ASSERT_STRING_EQUAL(place(&k, ".wh..wh..opq"), ".wh..wh..opq");
	CU_ASSERT_STRING_EQUAL(place(&k, ".wh..wh.m"), ".wh..wh.m");
	CU_ASSERT_STRING_EQUAL(place(&k, "m/x"), "opt/x");
	bd_image_links_release(&k);
	CU_ASSERT_EQUAL(w.n, 0);
}

/*
 * The directories an image's entries list are capped (m->listed, shared
 * by its layers): past it, a directory entry is not kept (nor refused: it
 * is no entry a scan needs), one warning for all; a file below it makes
 * it, counted as an implied one. Only what the merge makes counts: a
 * directory listed again, or made above a file before, is kept free.
 */
static void test_merge_listed_capped(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_archive_implied cap = { .max = 3,
					  .kind = BD_ARCHIVE_CAP_LISTED };
	struct bd_archive_implied implied = { .max = 10 };
	struct bd_image_merge m;
	bool refused;

	bd_image_merge_init(&m, &diag);
	m.listed = &cap;
	m.implied = &implied;
	bd_image_merge_layer(&m, "img!/blobs/sha256/top");
	CU_ASSERT(merge_keeps_capped(&m, "a/", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "a/b/", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "a/b/", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "c/", &refused) && !refused);
	CU_ASSERT_EQUAL(cap.made, 3);
	CU_ASSERT(!merge_keeps_capped(&m, "d/", &refused) && !refused);
	CU_ASSERT(!merge_keeps_capped(&m, "d/e/", &refused) && !refused);
	CU_ASSERT_EQUAL(implied.made, 0);
	CU_ASSERT(merge_keeps_capped(&m, "d/x.so", &refused) && !refused);
	CU_ASSERT_EQUAL(implied.made, 1); /* d */
	CU_ASSERT(merge_keeps_capped(&m, "d/", &refused) && !refused);
	bd_image_merge_layer(&m, "img!/blobs/sha256/lower");
	CU_ASSERT(!merge_keeps_capped(&m, "a/", &refused) && !refused);
	CU_ASSERT(!merge_keeps_capped(&m, "f/", &refused) && !refused);
	CU_ASSERT(merge_keeps_capped(&m, "f/g", &refused) && !refused);
	CU_ASSERT_EQUAL(implied.made, 2); /* f */
	CU_ASSERT_EQUAL(cap.made, 3);
	CU_ASSERT_EQUAL(cap.cut, 3); /* d, d/e, f */
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_STRING_EQUAL(w.last,
			       "'img!/blobs/sha256/top': more than 3 "
			       "directories listed as entries, in the image: "
			       "the rest are made only above what is kept");
	bd_image_merge_release(&m);
}

/*
 * A link's directories count as the merge's do (bd_archive_implied):
 * past the cap the link is skipped, said once with the merge's warning,
 * and the entries below it are placed as below no link.
 */
static void test_links_implied_capped(void)
{
	struct warnings w = { 0 };
	struct bd_diag diag = { keep_warning, &w };
	struct bd_archive_implied cap = { .max = 2 };
	struct bd_image_links k;

	bd_image_links_init(&k, &diag);
	k.implied = &cap;
	bd_image_links_layer(&k, "img!/blobs/sha256/top");
	CU_ASSERT_STRING_EQUAL(place(&k, "a/l -> /usr/lib"), "a/l");
	CU_ASSERT_STRING_EQUAL(place(&k, "a/l/x.so"), "usr/lib/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "a/m -> /opt"), "a/m");
	CU_ASSERT_STRING_EQUAL(place(&k, "b/c/d -> /opt"), "skip: ?");
	CU_ASSERT_STRING_EQUAL(place(&k, "b/c/d/x.so"), "b/c/d/x.so");
	CU_ASSERT_STRING_EQUAL(place(&k, "e/n -> /srv"), "e/n");
	CU_ASSERT_STRING_EQUAL(place(&k, "f/n -> /srv"), "skip: ?");
	CU_ASSERT_EQUAL(cap.made, 2);
	CU_ASSERT_EQUAL(w.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(w.last, "'img!/blobs/sha256/top': more "
					      "than 2 directories made"));
	bd_image_links_release(&k);
}

void bd_test_register_image(void)
{
	BD_SUITE("image", BD_TEST(test_oci_select), BD_TEST(test_docker_save),
		 BD_TEST(test_docker_config_names),
		 BD_TEST(test_one_image_two_names),
		 BD_TEST(test_hostile_digests), BD_TEST(test_hostile_shapes),
		 BD_TEST(test_layer_media_types), BD_TEST(test_rootfs_type),
		 BD_TEST(test_config_size), BD_TEST(test_digest_algorithms),
		 BD_TEST(test_document_media_types),
		 BD_TEST(test_default_variants),
		 BD_TEST(test_platform_preference), BD_TEST(test_keys_twice),
		 BD_TEST(test_hostile_nesting), BD_TEST(test_hostile_refs),
		 BD_TEST(test_hostile_layer_count), BD_TEST(test_hash),
		 BD_TEST(test_whiteout), BD_TEST(test_whiteout_deep),
		 BD_TEST(test_remove), BD_TEST(test_unlink),
		 BD_TEST(test_merge_top_down), BD_TEST(test_merge_edges),
		 BD_TEST(test_merge_file_between_dirs),
		 BD_TEST(test_merge_whiteout_below_link),
		 BD_TEST(test_merge_recreated), BD_TEST(test_merge_prune),
		 BD_TEST(test_merge_prune_cost), BD_TEST(test_merge_deep),
		 BD_TEST(test_merge_implied_capped),
		 BD_TEST(test_merge_listed_capped), BD_TEST(test_links_place),
		 BD_TEST(test_links_as_containerd), BD_TEST(test_links_hostile),
		 BD_TEST(test_links_cost), BD_TEST(test_links_deep),
		 BD_TEST(test_links_implied_capped),
		 BD_TEST(test_links_whiteout_of_own));
}
