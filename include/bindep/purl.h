/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_PURL_H
#define BINDEP_PURL_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/scan.h"

/* A Package URL's parts (ECMA-427 / purl-spec), unencoded. */
struct bd_purl {
	const char *type;      /* required */
	const char *namespace; /* NULL when none; '/' separates segments */
	const char *name;      /* required */
	const char *version;   /* NULL when none */
	const struct bd_kv *qualifiers;
	size_t nqualifiers;
	const char *subpath; /* NULL when none */
};

/*
 * Appends the canonical string form: type lowercased, the type's own
 * normalisation of namespace and name (deb, apk, alpm, github, ...),
 * each part percent-encoded (everything but A-Z a-z 0-9 . - _ ~ and ':'),
 * qualifiers with empty values dropped, keys lowercased and sorted.
 * Returns 0, or BD_EFORMAT when type or name is missing or the type is not
 * a valid purl type.
 */
int bd_purl_format(const struct bd_purl *p, struct bd_buf *out,
		   struct bd_error *err);

/*
 * Appends "@" and the version, percent-encoded as bd_purl_format() does,
 * to a purl string that has none; nothing for an empty or NULL version.
 */
void bd_purl_add_version(struct bd_buf *purl, const char *version);

#endif
