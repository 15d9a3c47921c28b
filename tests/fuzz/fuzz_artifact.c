/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the artifact manifest readers. The first byte picks the reader (its
 * value modulo the number of readers), the rest is the manifest text, or
 * the file name, or an rpm header blob.
 */
#include "fuzz.h"
#include "bindep/artifact.h"

#include <stdlib.h>
#include <string.h>

enum {
	WHEEL_METADATA,
	WHEEL_FILENAME,
	WHEEL_BOTH, /* METADATA, then the file name after its first NUL */
	NPM,
	DEB,
	RPM,
	APK,
	CONDA,
	MAVEN,
	JAR_MANIFEST,
	GENERIC,
	NREADERS
};

static int rpm(const uint8_t *data, size_t size, struct bd_artifact_id *id,
	       struct bd_error *err)
{
	struct bd_rpm_header h;
	int rc;

	if (bd_rpm_parse_header(data, size, &h))
		return BD_EFORMAT;
	rc = bd_artifact_rpm(&h, NULL, id, err);
	bd_rpm_header_release(&h);
	return rc;
}

static int run(unsigned reader, const char *text, const uint8_t *data,
	       size_t size, struct bd_artifact_id *id, struct bd_error *err)
{
	switch (reader) {
	case WHEEL_METADATA: return bd_artifact_wheel(text, NULL, 0, id, err);
	case WHEEL_FILENAME: return bd_artifact_wheel(NULL, text, 0, id, err);
	case WHEEL_BOTH:
		return bd_artifact_wheel(text, text + strlen(text) + 1,
					 BD_ARTIFACT_ANY_VERSION, id, err);
	case NPM: return bd_artifact_npm(text, 0, id, err);
	case DEB: return bd_artifact_deb(text, NULL, id, err);
	case RPM: return rpm(data, size, id, err);
	case APK: return bd_artifact_apk(text, NULL, id, err);
	case CONDA: return bd_artifact_conda(text, id, err);
	case MAVEN: return bd_artifact_maven(text, id, err);
	case JAR_MANIFEST: return bd_artifact_jar_manifest(text, id, err);
	default: return bd_artifact_generic(text, id, err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bd_artifact_id id;
	struct bd_error err;
	unsigned reader;
	char *text;
	int rc;

	if (!size)
		return 0;
	reader = data[0] % NREADERS;
	data++;
	size--;
	/* Two NULs at the end: WHEEL_BOTH's file name is always there. */
	text = malloc(size + 2);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = text[size + 1] = '\0';
	bd_artifact_id_init(&id);
	rc = run(reader, text, data, size, &id, &err);
	/* A success has a purl (the jar manifest's aside), a failure none. */
	if (rc ? id.purl.len != 0
	       : reader != JAR_MANIFEST &&
			    strncmp(bd_buf_str(&id.purl), "pkg:", 4))
		abort();
	bd_artifact_id_release(&id);
	free(text);
	return 0;
}
