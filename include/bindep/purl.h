/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_PURL_H
#define BINDEP_PURL_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/scan.h"

/*
 * Package URLs (ECMA-427 and purl-spec: docs/specification/, the type
 * definitions in types/<type>-definition.json): one builder and one parser
 * that share the rules of each registered type, so that whatever the parser
 * accepts the builder writes back in canonical form, and every purl the
 * builder writes parses back to the same parts.
 */

/* A purl's parts, unencoded. */
struct bd_purl {
	const char *type;      /* required */
	const char *namespace; /* NULL when none; '/' separates segments */
	const char *name;      /* required */
	const char *version;   /* NULL when none */
	const struct bd_kv *qualifiers;
	size_t nqualifiers;
	const char *subpath; /* NULL when none; '/' separates segments */
};

/* The longest purl either side handles, and the most qualifiers: bounds
 * for hostile input (a package name is at most 1 KiB where the tool reads
 * one, so its own purls stay far below). Beyond either: BD_ELIMIT. */
#define BD_PURL_MAX_LEN	       65536
#define BD_PURL_MAX_QUALIFIERS 32

/*
 * Appends the canonical string form (purl-spec how-to-build), each part
 * checked first, so that out is unchanged on failure:
 *  - the type lowercased: ASCII letters, digits, '.' and '-', starting
 *    with a letter;
 *  - the type's own rules (purl-spec types/): a namespace it requires or
 *    prohibits, a qualifier it requires, the parts it folds to lowercase
 *    (github, bitbucket, deb, apk, alpm, composer: namespace and name; rpm:
 *    the namespace; pypi: the name by PEP 503 and the version; oci: name
 *    and version), pypi's runs of '-', '_' and '.' as one '-';
 *  - namespace and subpath split at '/', empty segments dropped (and "."
 *    and ".." in a subpath), leading and trailing '/' of the name dropped;
 *  - each part UTF-8 (BD_EFORMAT if not) and percent-encoded: everything
 *    but A-Z a-z 0-9 . - _ ~ and ':' as %XX, uppercase hex ('/' in a
 *    qualifier value too, '+' in a version as %2B);
 *  - qualifiers with empty values dropped, keys lowercased and checked
 *    (a letter, then letters, digits, '.', '-', '_'; each key once), the
 *    "key=value" strings sorted.
 * Returns 0; BD_EFORMAT with err saying which rule failed; BD_ELIMIT for
 * more than BD_PURL_MAX_QUALIFIERS qualifiers or a result longer than
 * BD_PURL_MAX_LEN; BD_ENOMEM.
 */
int bd_purl_format(const struct bd_purl *p, struct bd_buf *out,
		   struct bd_error *err);

/*
 * Parsing accepts what purl-spec's required tests accept; with
 * BD_PURL_LENIENT also what its recommended tests normalise: qualifier
 * keys in any case (lowercased), and an unencoded '@' at the start of the
 * path, which read as the version's would leave no name (an npm scope
 * written "@babel/core"). Whatever parses strictly parses leniently to the
 * same.
 */
enum { BD_PURL_LENIENT = 1 };

/* A parsed purl. Holds pointers into itself: never copy it. */
struct bd_purl_parsed {
	struct bd_purl parts; /* decoded and normalised: canonical parts */
	struct bd_kv qualifiers[BD_PURL_MAX_QUALIFIERS];
	struct bd_buf canonical; /* bd_purl_format(&parts) */
	char *text;		 /* the storage the parts point into */
};

/*
 * Parses s by purl-spec's how-to-parse (right to left: subpath,
 * qualifiers, scheme "pkg" in any case and the slashes after it, type,
 * version, name, namespace), percent-decoding each part, then applies the
 * same type rules as bd_purl_format() and fills out->canonical with the
 * canonical form. Hostile input is refused, never trusted: a bad percent-
 * escape, a decoded NUL, ill-formed UTF-8, a decoded '/' inside a
 * segment, a duplicate key, a key that is not a key are BD_EFORMAT; longer
 * than BD_PURL_MAX_LEN or more qualifiers than BD_PURL_MAX_QUALIFIERS,
 * BD_ELIMIT. Messages quote at most a type or a qualifier key, cut
 * short. Whatever it returns, bd_purl_parsed_release() frees out.
 */
int bd_purl_parse(const char *s, unsigned flags, struct bd_purl_parsed *out,
		  struct bd_error *err);
void bd_purl_parsed_release(struct bd_purl_parsed *p);

/* Appends the canonical form of the purl string s (parse, then build). */
int bd_purl_canonical(const char *s, unsigned flags, struct bd_buf *out,
		      struct bd_error *err);

/*
 * Appends the purl string purl with its version replaced by version (none
 * for NULL or empty), in canonical form: for a registry's versionless purl
 * and the version read from a file.
 */
int bd_purl_with_version(const char *purl, const char *version,
			 struct bd_buf *out, struct bd_error *err);

#endif
