/* SPDX-License-Identifier: MIT */
#include "bindep/emit.h"
#include "bindep/hash.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void bd_emit_timestamp(time_t t, char out[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(out, "1970-01-01T00:00:00Z");
}

/* The namespace of our name-based UUIDs: drawn at random once for
 * bindep-sbom. Never change it, or every serial number changes. */
static const unsigned char uuid_namespace[16] = {
	0x5c, 0x0e, 0x6f, 0x4a, 0x1b, 0x2d, 0x5e, 0x8f,
	0x9a, 0x3c, 0x47, 0x61, 0xd2, 0x08, 0xb5, 0x1e,
};

int bd_emit_uuid5(const void *data, size_t len, char out[37])
{
	unsigned char md[BD_SHA1_LEN];
	int rc = bd_sha1_2(uuid_namespace, sizeof(uuid_namespace), data, len,
			   md);

	if (rc)
		return rc;
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50); /* version 5 */
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8],
		 md[9], md[10], md[11], md[12], md[13], md[14], md[15]);
	return 0;
}

bool bd_emit_valid_uuid(const char *s, bool with_urn)
{
	size_t i;

	if (with_urn) {
		if (strncmp(s, "urn:uuid:", 9) != 0)
			return false;
		s += 9;
	}
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-'
			 : !(isdigit((unsigned char)s[i]) ||
			     (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[36] == '\0';
}
