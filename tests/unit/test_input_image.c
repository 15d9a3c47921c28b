/* SPDX-License-Identifier: MIT */
/*
 * Images as inputs, on images written at test time by
 * tests/input_image_fixtures.py (and tests/image_fixtures.py for the
 * choice of image and platform): each form merged into a work directory
 * and compared file for file with the tree tarfile gives when it applies
 * the layers bottom-up; whiteouts, an opaque directory, hard links and
 * symlinks; the layer of each file; plain tarballs left alone without a
 * word; a corrupt and a hostile layer. Every work directory sits beside
 * outside/canary, which must stay as it is.
 */
#include "unit.h"
#include "bindep/buf.h"
#include "bindep/input_image.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[] = "/tmp/bd-input-image-XXXXXX";
static bool ready;

struct got {
	struct bd_buf warnings; /* each message and "\n" */
	size_t nwarn;
	struct bd_error err;
};

/* The fixtures, once; then a fresh, empty work/ (0700) for each read. */
static void fixtures(void)
{
	if (!ready) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
		bd_test_sh("mkdir %1$s/fx %1$s/fx2 %1$s/outside", base);
		bd_test_sh("printf 'canary\\n' > %s/outside/canary", base);
		bd_test_sh("python3 tests/input_image_fixtures.py %1$s/fx "
			   "%1$s/outside",
			   base);
		bd_test_sh("python3 tests/image_fixtures.py %s/fx2", base);
		ready = true;
	}
	bd_test_sh("chmod -R u+rwx %1$s/work 2>/dev/null; rm -rf %1$s/work && "
		   "mkdir -m 700 %1$s/work",
		   base);
}

/* outside/canary untouched, and nothing but fx, fx2, outside and work
 * made beside it. */
static void outside_intact(void)
{
	char path[512], text[64] = "";
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	FILE *f;

	snprintf(path, sizeof(path), "%s/outside/canary", base);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(text, sizeof(text), f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text, "canary\n");
	snprintf(path, sizeof(path), "%s/outside", base);
	d = opendir(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	CU_ASSERT_EQUAL(n, 1);
	d = opendir(base);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (n = 0; (de = readdir(d));)
		n += de->d_name[0] != '.';
	closedir(d);
	CU_ASSERT_EQUAL(n, 4);
}

/* The names in work/, sorted, space-separated. */
static void work_names(char *out, size_t len)
{
	char cmd[300];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "ls %s/work | tr '\\n' ' '", base);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	pclose(p);
}

static void on_diag(void *ctx, enum bd_diag_level level, const char *msg)
{
	struct got *g = ctx;

	if (level != BD_DIAG_WARNING)
		return;
	bd_buf_adds(&g->warnings, msg);
	bd_buf_addc(&g->warnings, '\n');
	g->nwarn++;
}

static void got_release(struct got *g)
{
	bd_buf_release(&g->warnings);
}

/* Reads <dir>/<name> in a fresh work/ (the image named name). */
static int read_in(const char *dir, const char *name, enum bd_image_form form,
		   const char *ref, const char *platform,
		   const struct bd_archive_limits *lim,
		   struct bd_input_image *ii, struct got *g)
{
	struct bd_image_select sel = { platform, ref, NULL, "hint" };
	struct bd_diag diag = { on_diag, g };
	char path[512], work[512];

	memset(g, 0, sizeof(*g));
	bd_buf_init(&g->warnings);
	fixtures();
	snprintf(path, sizeof(path), "%s/%s/%s", base, dir, name);
	snprintf(work, sizeof(work), "%s/work", base);
	return bd_input_image_read(ii, path, name, form, work, &sel, lim, &diag,
				   &g->err);
}

static int read_fx(const char *name, enum bd_image_form form,
		   struct bd_input_image *ii, struct got *g)
{
	return read_in("fx", name, form, NULL, NULL, NULL, ii, g);
}

/* The value of key in the fixture writer's "expect" file. */
static void expect(const char *key, char out[80])
{
	char path[300], line[200];
	size_t klen = strlen(key);
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/fx/expect", base);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			snprintf(out, 80, "%.*s",
				 (int)strcspn(line + klen + 1, "\n"),
				 line + klen + 1);
			break;
		}
	}
	fclose(f);
}

/* The merged tree is the reference tree, file for file. */
static void same_as_reference(const struct bd_input_image *ii)
{
	char cmd[600];

	CU_ASSERT_PTR_NOT_NULL_FATAL(ii->rootfs);
	snprintf(cmd, sizeof(cmd),
		 "python3 tests/input_image_fixtures.py --compare %s/fx/ref "
		 "%s",
		 base, ii->rootfs);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const char *layer_digest(const struct bd_input_image *ii,
				const char *inside)
{
	const struct bd_image_layer *l = bd_input_image_layer(ii, inside);

	return l ? l->diff_id : "(none)";
}

/* Where the two-layer fixture's files came from. */
static void layers_right(const struct bd_input_image *ii)
{
	char diff0[80], diff1[80];

	expect("diff0", diff0);
	expect("diff1", diff1);
	/* Replaced in the top layer. */
	CU_ASSERT_STRING_EQUAL(layer_digest(ii, "/usr/lib/libz.so.1"), diff1);
	CU_ASSERT_STRING_EQUAL(layer_digest(ii, "/usr/bin/old"), diff1);
	/* Kept from the base: files, a symlink, hard links. */
	CU_ASSERT_STRING_EQUAL(layer_digest(ii, "/usr/lib/libkeep.so.1"),
			       diff0);
	CU_ASSERT_STRING_EQUAL(layer_digest(ii, "/usr/lib/libkeep.so"), diff0);
	CU_ASSERT_STRING_EQUAL(layer_digest(ii, "/usr/bin/tool-link"), diff0);
	CU_ASSERT_STRING_EQUAL(layer_digest(ii, "/usr/bin/old-hard"), diff0);
	CU_ASSERT_STRING_EQUAL(layer_digest(ii, "/data/opq/c.so"), diff1);
	/* Whited out, hidden by the opaque directory, or skipped. */
	CU_ASSERT_PTR_NULL(bd_input_image_layer(ii, "/usr/lib/libgone.so.1"));
	CU_ASSERT_PTR_NULL(bd_input_image_layer(ii, "/data/opq/a.so"));
	CU_ASSERT_PTR_NULL(bd_input_image_layer(ii, "/etc/motd"));
	CU_ASSERT_PTR_NULL(bd_input_image_layer(ii, "usr/lib/libz.so.1"));
}

/* ---- the forms ---------------------------------------------------------- */

static void test_oci_dir(void)
{
	struct bd_input_image ii;
	struct got g;
	char want[80], names[200];

	CU_ASSERT_EQUAL_FATAL(read_fx("oci", BD_IMAGE_FORM_AUTO, &ii, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_EQUAL(ii.meta.format, BD_IMAGE_OCI);
	CU_ASSERT_EQUAL(ii.meta.nlayers, 2);
	expect("oci.manifest", want);
	CU_ASSERT_STRING_EQUAL(ii.meta.manifest_digest, want);
	expect("layer1", want);
	CU_ASSERT_STRING_EQUAL(ii.meta.layers[1].digest, want);
	same_as_reference(&ii);
	layers_right(&ii);
	CU_ASSERT(ii.unpacked > 0);
	/* Read in place: work/ holds the tree only. */
	work_names(names, sizeof(names));
	CU_ASSERT_STRING_EQUAL(names, "rootfs ");
	bd_input_image_release(&ii);
	/* The form said: the same. */
	CU_ASSERT_EQUAL(read_fx("oci", BD_IMAGE_FORM_OCI_DIR, &ii, &g), 0);
	same_as_reference(&ii);
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

static void test_oci_archive(void)
{
	struct bd_input_image ii;
	struct got g;
	char want[80], names[200], path[600];
	struct stat st;

	CU_ASSERT_EQUAL_FATAL(read_fx("oci.tar", BD_IMAGE_FORM_AUTO, &ii, &g),
			      0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	expect("oci.manifest", want);
	CU_ASSERT_STRING_EQUAL(ii.meta.manifest_digest, want);
	same_as_reference(&ii);
	layers_right(&ii);
	/* The stored blobs and the files put aside are gone; the tree is
	 * private. */
	work_names(names, sizeof(names));
	CU_ASSERT_STRING_EQUAL(names, "rootfs ");
	snprintf(path, sizeof(path), "%s/work/rootfs", base);
	CU_ASSERT_STRING_EQUAL(ii.rootfs, path);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0700);
	bd_input_image_release(&ii);
	CU_ASSERT_EQUAL(read_fx("oci.tar", BD_IMAGE_FORM_OCI_ARCHIVE, &ii, &g),
			0);
	same_as_reference(&ii);
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

static void test_docker_archive(void)
{
	struct bd_input_image ii;
	struct got g;
	char want[80];

	CU_ASSERT_EQUAL_FATAL(
		read_fx("docker.tar", BD_IMAGE_FORM_AUTO, &ii, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_EQUAL(ii.meta.format, BD_IMAGE_DOCKER);
	/* Two empty layers on top, the second a symlink to the first. */
	CU_ASSERT_EQUAL(ii.meta.nlayers, 4);
	CU_ASSERT_STRING_EQUAL(ii.meta.name, "demo");
	CU_ASSERT_STRING_EQUAL(ii.meta.tag, "1.0");
	expect("docker.config", want);
	CU_ASSERT_STRING_EQUAL(ii.meta.config_digest, want);
	same_as_reference(&ii);
	layers_right(&ii);
	bd_input_image_release(&ii);
	/* podman's, compressed, manifest.json first, "<diffID>.tar". */
	CU_ASSERT_EQUAL_FATAL(
		read_fx("podman.tar.gz", BD_IMAGE_FORM_DOCKER_ARCHIVE, &ii, &g),
		0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_STRING_EQUAL(ii.meta.name, "localhost/demo");
	same_as_reference(&ii);
	layers_right(&ii);
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

/* docker 25 writes both: the OCI layout by default, manifest.json when
 * asked; a form that does not fit is an error, not a plain tarball. */
static void test_forms(void)
{
	struct bd_input_image ii;
	struct got g;

	CU_ASSERT_EQUAL_FATAL(
		read_fx("docker25.tar", BD_IMAGE_FORM_AUTO, &ii, &g), 0);
	CU_ASSERT_EQUAL(ii.meta.format, BD_IMAGE_OCI);
	CU_ASSERT_STRING_EQUAL(ii.meta.name, "docker.io/library/oci-name");
	same_as_reference(&ii);
	bd_input_image_release(&ii);
	CU_ASSERT_EQUAL_FATAL(
		read_fx("docker25.tar", BD_IMAGE_FORM_DOCKER_ARCHIVE, &ii, &g),
		0);
	CU_ASSERT_EQUAL(ii.meta.format, BD_IMAGE_DOCKER);
	CU_ASSERT_STRING_EQUAL(ii.meta.name, "docker-name");
	same_as_reference(&ii);
	bd_input_image_release(&ii);
	CU_ASSERT_EQUAL(
		read_fx("oci.tar", BD_IMAGE_FORM_DOCKER_ARCHIVE, &ii, &g),
		BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(g.err.msg,
			       "'oci.tar': no oci-layout or manifest.json, "
			       "not a docker-archive image");
	CU_ASSERT_EQUAL(read_fx("oci.tar", BD_IMAGE_FORM_OCI_DIR, &ii, &g),
			BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(g.err.msg, "'oci.tar': not a directory, not "
					  "an OCI image layout");
	CU_ASSERT_EQUAL(read_fx("oci", BD_IMAGE_FORM_OCI_ARCHIVE, &ii, &g),
			BD_EFORMAT);
	CU_ASSERT_EQUAL(
		read_fx("plain.tar", BD_IMAGE_FORM_OCI_ARCHIVE, &ii, &g),
		BD_EFORMAT);
	CU_ASSERT_STRING_EQUAL(g.err.msg,
			       "'plain.tar': 'blobs/readme.txt' is no "
			       "image's entry, not an OCI archive");
	CU_ASSERT_EQUAL(g.nwarn, 0);
	got_release(&g);
	outside_intact();
}

/* ---- choosing the image ------------------------------------------------ */

static bool has_file(const struct bd_input_image *ii, const char *rel)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", ii->rootfs, rel);
	return lstat(path, &st) == 0;
}

static void test_choices(void)
{
	struct bd_input_image ii;
	struct got g;

	CU_ASSERT_EQUAL(read_in("fx2", "oci", 0, NULL, NULL, NULL, &ii, &g),
			BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(g.err.msg, "'oci': holds 2 images, choose one "
					  "with --image-ref: 1.0, 2.0");
	CU_ASSERT_PTR_NULL(ii.rootfs);
	/* 1.0 for linux/amd64: the top layer's whiteout hides libold. */
	CU_ASSERT_EQUAL_FATAL(
		read_in("fx2", "oci", 0, "1.0", NULL, NULL, &ii, &g), 0);
	CU_ASSERT_EQUAL(ii.meta.nlayers, 2);
	CU_ASSERT(has_file(&ii, "usr/lib/libnew.so.1"));
	CU_ASSERT_FALSE(has_file(&ii, "usr/lib/libold.so.1"));
	CU_ASSERT(has_file(&ii, "usr/lib/libkeep.so.1"));
	/* Not ELF, not read by a scan. */
	CU_ASSERT_FALSE(has_file(&ii, "etc/conf/a"));
	bd_input_image_release(&ii);
	/* 1.0 for linux/arm64/v8: the base alone. */
	CU_ASSERT_EQUAL_FATAL(read_in("fx2", "oci", 0, "1.0", "linux/arm64/v8",
				      NULL, &ii, &g),
			      0);
	CU_ASSERT_EQUAL(ii.meta.nlayers, 1);
	CU_ASSERT(has_file(&ii, "usr/lib/libold.so.1"));
	CU_ASSERT_FALSE(has_file(&ii, "usr/lib/libnew.so.1"));
	bd_input_image_release(&ii);
	CU_ASSERT_EQUAL(
		read_in("fx2", "oci", 0, "1.0", "linux/s390x", NULL, &ii, &g),
		BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(g.err.msg,
			       "'oci': no image for platform linux/s390x (it "
			       "has linux/amd64, linux/arm64/v8)");
	CU_ASSERT_EQUAL(read_in("fx2", "oci", 0, "3.0", NULL, NULL, &ii, &g),
			BD_EUSAGE);
	/* A tarball's files are named inside it. */
	CU_ASSERT_EQUAL(
		read_in("fx", "docker.tar", 0, "nope:1", NULL, NULL, &ii, &g),
		BD_EUSAGE);
	CU_ASSERT_STRING_EQUAL(g.err.msg, "'docker.tar': no image 'nope:1' "
					  "(it has demo:1.0)");
	CU_ASSERT_EQUAL(g.nwarn, 0);
	got_release(&g);
}

static bool has_warning(const struct got *g, const char *text)
{
	return strstr(bd_buf_str(&g->warnings), text) != NULL;
}

/* ---- not images -------------------------------------------------------- */

static void test_plain_tarballs(void)
{
	struct bd_archive_limits lim;
	struct bd_input_image ii;
	uint64_t total = 8u << 20;
	struct got g;
	char names[200];

	CU_ASSERT_EQUAL(read_fx("plain.tar", BD_IMAGE_FORM_AUTO, &ii, &g),
			BD_ENOENT);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	work_names(names, sizeof(names));
	CU_ASSERT_STRING_EQUAL(names, "");
	/* A blob-like first entry, then one that would be warned about in
	 * an image, then one no image has: nothing said, nothing left. */
	bd_archive_limits_default(&lim);
	lim.total_left = &total;
	CU_ASSERT_EQUAL(
		read_in("fx", "plain2.tar", 0, NULL, NULL, &lim, &ii, &g),
		BD_ENOENT);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_STRING_EQUAL(bd_buf_str(&g.warnings), "");
	work_names(names, sizeof(names));
	CU_ASSERT_STRING_EQUAL(names, "");
	/* The first blob only was stored: reading stopped at src/main.c. */
	CU_ASSERT_EQUAL(total, (8u << 20) - (1u << 20));
	/* More hostile entries than are held, and no image's metadata after
	 * them: nothing said. */
	CU_ASSERT_EQUAL(read_fx("plain4.tar", BD_IMAGE_FORM_AUTO, &ii, &g),
			BD_ENOENT);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	/* Not a tarball; a directory without an image. */
	CU_ASSERT_EQUAL(read_fx("expect", BD_IMAGE_FORM_AUTO, &ii, &g),
			BD_ENOENT);
	CU_ASSERT_EQUAL(read_fx("ref", BD_IMAGE_FORM_AUTO, &ii, &g), BD_ENOENT);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_EQUAL(ii.unpacked, 0);
	got_release(&g);
	outside_intact();
}

/* An image's metadata after more hostile entries than are held: still
 * an image; the first held are said, then how many were not. */
static void test_held_past_the_cap(void)
{
	struct bd_input_image ii;
	struct got g;

	CU_ASSERT_EQUAL_FATAL(
		read_fx("plain3.tar", BD_IMAGE_FORM_AUTO, &ii, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, BD_INPUT_IMAGE_MAX_HELD + 1);
	CU_ASSERT(has_warning(&g, "'plain3.tar!/../x299': entry name leaves "
				  "the archive, skipped\n"));
	CU_ASSERT(has_warning(&g, "'plain3.tar': 44 more warnings about its "
				  "entries before its image metadata, not "
				  "shown\n"));
	CU_ASSERT(has_file(&ii, "usr/lib/libz.so.1"));
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

/* ---- bad layers -------------------------------------------------------- */

static void test_corrupt_layer(void)
{
	struct bd_input_image ii;
	struct got g;
	char blob[80], want[160];

	expect("corrupt", blob);
	CU_ASSERT_EQUAL(read_fx("corrupt.tar", BD_IMAGE_FORM_AUTO, &ii, &g),
			BD_EFORMAT);
	snprintf(want, sizeof(want),
		 "'corrupt.tar!/%s': digest mismatch, the blob is sha256:",
		 blob);
	CU_ASSERT_NSTRING_EQUAL(g.err.msg, want, strlen(want));
	CU_ASSERT_PTR_NULL(ii.rootfs);
	/* A layer the manifest names and the layout lacks. */
	expect("layer0", blob);
	bd_test_sh("rm -rf %1$s/fx/missing && cp -r %1$s/fx/oci "
		   "%1$s/fx/missing && "
		   "rm %1$s/fx/missing/blobs/sha256/%2$s",
		   base, blob + 7);
	CU_ASSERT_EQUAL(read_fx("missing", BD_IMAGE_FORM_AUTO, &ii, &g),
			BD_EFORMAT);
	snprintf(want, sizeof(want),
		 "'missing/blobs/sha256/%s': missing from the image", blob + 7);
	CU_ASSERT_STRING_EQUAL(g.err.msg, want);
	bd_test_sh("rm -rf %s/fx/missing", base);
	got_release(&g);
	outside_intact();
}

static void test_hostile_layer(void)
{
	struct bd_input_image ii;
	char planted[300];
	struct got g;

	CU_ASSERT_EQUAL_FATAL(
		read_fx("hostile.tar", BD_IMAGE_FORM_AUTO, &ii, &g), 0);
	CU_ASSERT(has_warning(&g, "!/dev/null2': a device node, skipped\n"));
	CU_ASSERT(has_warning(&g, "!/dev/fifo': a FIFO, skipped\n"));
	CU_ASSERT(has_warning(&g, "'hostile.tar!/blobs/sha256/"));
	/* The tarball's own entry, held until it was known to be an image. */
	CU_ASSERT(has_warning(&g, "'hostile.tar!/../outer-escape': entry name "
				  "leaves the archive, skipped\n"));
	CU_ASSERT_EQUAL(g.nwarn, 3);
	/* The rest is kept. */
	CU_ASSERT(has_file(&ii, "usr/lib/ok.so.1"));
	CU_ASSERT(has_file(&ii, "out"));
	/* out/planted.so is where the absolute link out leads from the
	 * layer's root, as containerd writes it: inside (outside_intact). */
	snprintf(planted, sizeof(planted), "%s/outside/planted.so", base + 1);
	CU_ASSERT(has_file(&ii, planted));
	/* '..' past the root stops there in a container: the link is kept
	 * as written, for a scan confined to the tree. */
	CU_ASSERT(has_file(&ii, "esc"));
	/* "/abs" is applied from the layer's root, as moby and containerd
	 * apply it; "../escape" too, as containerd applies it. */
	CU_ASSERT(has_file(&ii, "abs"));
	CU_ASSERT(has_file(&ii, "escape"));
	CU_ASSERT_FALSE(has_file(&ii, "dev/null2"));
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

static void test_limits(void)
{
	struct bd_archive_limits lim;
	struct bd_input_image ii;
	uint64_t total = 1u << 20;
	struct got g;

	bd_archive_limits_default(&lim);
	lim.max_unpacked = 40;
	CU_ASSERT_EQUAL(read_in("fx", "oci", 0, NULL, NULL, &lim, &ii, &g),
			BD_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(g.err.msg, "unpacks to more than 40 "
						 "bytes, stopped"));
	CU_ASSERT_NSTRING_EQUAL(g.err.msg, "'oci/blobs/sha256/", 18);
	/* The run's budget is spent by what is written, and counted. */
	bd_archive_limits_default(&lim);
	lim.total_left = &total;
	CU_ASSERT_EQUAL_FATAL(
		read_in("fx", "oci.tar", 0, NULL, NULL, &lim, &ii, &g), 0);
	CU_ASSERT(ii.unpacked > 0);
	CU_ASSERT_EQUAL(ii.unpacked, (1u << 20) - total);
	bd_input_image_release(&ii);
	total = 100;
	CU_ASSERT_EQUAL(read_in("fx", "oci.tar", 0, NULL, NULL, &lim, &ii, &g),
			BD_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(g.err.msg, "total budget"));
	got_release(&g);
	outside_intact();
}

/* The directories made for names no entry lists are capped in all of an
 * image (bd_archive_implied): those of the merged tree and of the files
 * put aside count alike; past the cap, one warning naming the layer, and
 * the entries needing none are kept. */
static void test_implied_capped(void)
{
	struct bd_archive_implied cap = { .max = 8 };
	struct bd_archive_limits lim;
	struct bd_input_image ii;
	struct got g;

	bd_archive_limits_default(&lim);
	lim.implied = &cap;
	CU_ASSERT_EQUAL_FATAL(
		read_in("fx", "implied", 0, NULL, NULL, &lim, &ii, &g), 0);
	CU_ASSERT_EQUAL(cap.made, 8);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT_NSTRING_EQUAL(bd_buf_str(&g.warnings),
				"'implied/blobs/sha256/", 22);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&g.warnings),
				      "': more than 8 directories made for "
				      "entry names that no entry lists, in "
				      "the image: the entries needing more "
				      "are skipped\n"));
	CU_ASSERT(has_file(&ii, "usr/lib/libtop.so.1"));
	CU_ASSERT(has_file(&ii, "deep/er/x.so"));
	CU_ASSERT_FALSE(has_file(&ii, "d1/a/b/x.so"));
	bd_input_image_release(&ii);
	got_release(&g);
	/* The default cap: nothing said. */
	CU_ASSERT_EQUAL_FATAL(
		read_in("fx", "implied", 0, NULL, NULL, NULL, &ii, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

/* The directories of the image's merged tree. */
static size_t dirs_made(const struct bd_input_image *ii)
{
	return bd_test_tree_count(ii->rootfs, true);
}

/* The directories entries list are capped in all of an image
 * (bd_archive_limits.listed), counted by its merge: past the cap, one
 * warning naming the layer, and a listed directory is made only above a
 * file kept below it. */
static void test_listed_capped(void)
{
	struct bd_archive_implied cap = { .max = 8,
					  .kind = BD_ARCHIVE_CAP_LISTED };
	struct bd_archive_limits lim;
	struct bd_input_image ii;
	struct got g;
	size_t all;

	CU_ASSERT_EQUAL_FATAL(
		read_in("fx", "listed", 0, NULL, NULL, NULL, &ii, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	all = dirs_made(&ii);
	bd_input_image_release(&ii);
	got_release(&g);

	bd_archive_limits_default(&lim);
	lim.listed = &cap;
	CU_ASSERT_EQUAL_FATAL(
		read_in("fx", "listed", 0, NULL, NULL, &lim, &ii, &g), 0);
	/* usr, usr/lib, t1, t2; l00 to l03 */
	CU_ASSERT_EQUAL(cap.made, 8);
	CU_ASSERT_EQUAL(cap.cut, 4); /* l04, l05, deep, deep/a */
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT_NSTRING_EQUAL(bd_buf_str(&g.warnings),
				"'listed/blobs/sha256/", 21);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&g.warnings),
				      "': more than 8 directories listed as "
				      "entries, in the image: the rest are "
				      "made only above what is kept\n"));
	CU_ASSERT(has_file(&ii, "usr/lib/libtop.so.1"));
	CU_ASSERT(has_file(&ii, "deep/a/x.so"));
	CU_ASSERT(has_file(&ii, "l03"));
	CU_ASSERT_FALSE(has_file(&ii, "l04"));
	CU_ASSERT_EQUAL(dirs_made(&ii), all - 2); /* l04, l05 */
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

/* The files and links of the image's merged tree. */
static size_t files_made(const struct bd_input_image *ii)
{
	return bd_test_tree_count(ii->rootfs, false);
}

/* The files and links written are capped in all of an image
 * (bd_archive_limits.written), its layers read top-down: past the cap,
 * one warning naming the layer, and nothing more is written, so that a
 * lower layer's file never shows at the path of an upper one skipped. */
static void test_written_capped(void)
{
	struct bd_archive_implied cap = { .max = 2,
					  .kind = BD_ARCHIVE_CAP_WRITTEN };
	struct bd_archive_limits lim;
	struct bd_input_image ii;
	struct got g;

	CU_ASSERT_EQUAL_FATAL(
		read_in("fx", "written", 0, NULL, NULL, NULL, &ii, &g), 0);
	CU_ASSERT_EQUAL(g.nwarn, 0);
	CU_ASSERT_EQUAL(files_made(&ii), 6);
	bd_input_image_release(&ii);
	got_release(&g);

	bd_archive_limits_default(&lim);
	lim.written = &cap;
	CU_ASSERT_EQUAL_FATAL(
		read_in("fx", "written", 0, NULL, NULL, &lim, &ii, &g), 0);
	CU_ASSERT_EQUAL(cap.made, 2);
	/* shared.so, t3; lo1.so, lo2.so, and the lower shared.so, put
	 * aside for hard links to it */
	CU_ASSERT_EQUAL(cap.cut, 5);
	CU_ASSERT_EQUAL(g.nwarn, 1);
	CU_ASSERT_NSTRING_EQUAL(bd_buf_str(&g.warnings),
				"'written/blobs/sha256/", 22);
	CU_ASSERT_PTR_NOT_NULL(strstr(bd_buf_str(&g.warnings),
				      "': more than 2 files and links written "
				      "from its entries, in the image: the "
				      "rest are skipped\n"));
	CU_ASSERT(has_file(&ii, "t1.so") && has_file(&ii, "t2.so"));
	CU_ASSERT_FALSE(has_file(&ii, "shared.so"));
	CU_ASSERT_FALSE(has_file(&ii, "t3") || has_file(&ii, "lo1.so"));
	CU_ASSERT_EQUAL(files_made(&ii), 2);
	bd_input_image_release(&ii);
	got_release(&g);
	outside_intact();
}

/* ---- what a scan reads ------------------------------------------------- */

static void test_root_wanted(void)
{
	static const char *const yes[] = {
		"etc/ld.so.cache",
		"etc/ld.so.conf",
		"etc/ld.so.conf.d/libc.conf",
		"etc/ld.so.conf.d/sub/x.conf",
		"etc/os-release",
		"usr/lib/os-release",
		"etc/debian_version",
		"var/lib/dpkg/status",
		"var/lib/dpkg/diversions",
		"var/lib/dpkg/status.d/base",
		"var/lib/dpkg/status.d/base.md5sums",
		"var/lib/dpkg/info/libc6:amd64.list",
		"var/lib/dpkg/info/zlib1g.list",
		"var/lib/dpkg/updates/0001",
		"var/lib/dpkg/updates/0123456789",
		"lib/apk/db/installed",
		"var/lib/rpm/rpmdb.sqlite",
		"usr/lib/sysimage/rpm/rpmdb.sqlite",
		"var/lib/rpm/Packages",
		"usr/lib/python3/site-packages/numpy-1.26.dist-info/METADATA",
		"numpy-1.26.dist-info/RECORD",
		"x/y.dist-info/WHEEL",
		"package.json",
		"app/node_modules/@img/sharp/package.json",
		"usr/lib/libc.so",
		"usr/lib/libfoo.so.1.2",
		"etc/ld-musl-x86_64.path",
		"usr/etc/ld-musl-aarch64.path",
		"usr/local/etc/ld-musl-x86_64.path",
		"usr/glibc/etc/ld-musl-x86_64.path",
	};
	static const char *const no[] = {
		"etc/motd",
		"etc/ld.so.conf.d",
		"etc/ld.so.conf.bak",
		"var/lib/dpkg/info/libc6.md5sums",
		"var/lib/dpkg/info/sub/x.list",
		"var/lib/dpkg/status-old",
		"var/lib/dpkg/status.d/sub/x",
		"var/lib/dpkg/updates/tmp.i",
		"var/lib/dpkg/updates/01234567890",
		"var/lib/dpkg/updates/0001x",
		"var/lib/dpkg/updates/sub/0001",
		"usr/etc/os-release",
		"dist-info/METADATA",
		"x.dist-info/sub/METADATA",
		"x.dist-info/INSTALLER",
		"package.json.bak",
		"usr/lib/.so",
		"usr/lib/libx.so.a",
		"usr/lib/libx.sox",
		"usr/share/doc/x.so.txt",
		"etc/x/ld-musl-x86_64.path",
		"etc/ld-musl-x86_64.path.bak",
		"usr/myetc/ld-musl-x86_64.path",
		"etc/sub/ld-musl-x86_64.path",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!bd_input_root_wanted(yes[i]))
			fprintf(stderr, "\nnot wanted: %s\n", yes[i]);
		CU_ASSERT(bd_input_root_wanted(yes[i]));
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (bd_input_root_wanted(no[i]))
			fprintf(stderr, "\nwanted: %s\n", no[i]);
		CU_ASSERT_FALSE(bd_input_root_wanted(no[i]));
	}
}

static void cleanup(void)
{
	if (ready)
		bd_test_sh("chmod -R u+rwx %1$s; rm -rf %1$s", base);
	ready = false;
}

static void test_cleanup(void)
{
	cleanup();
}

void bd_test_register_input_image(void)
{
	BD_SUITE("input_image", BD_TEST(test_root_wanted),
		 BD_TEST(test_oci_dir), BD_TEST(test_oci_archive),
		 BD_TEST(test_docker_archive), BD_TEST(test_forms),
		 BD_TEST(test_choices), BD_TEST(test_plain_tarballs),
		 BD_TEST(test_held_past_the_cap), BD_TEST(test_corrupt_layer),
		 BD_TEST(test_hostile_layer), BD_TEST(test_limits),
		 BD_TEST(test_implied_capped), BD_TEST(test_listed_capped),
		 BD_TEST(test_written_capped), BD_TEST(test_cleanup));
}
