/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_REGISTRY_H
#define BINDEP_REGISTRY_H

#include "bindep/error.h"

/*
 * A checkout of package-url/purl-registry (--registry DIR): the package
 * files registry/purl/<namespace>/<name>/package.yml and the versions it
 * lists in purls.yml, read with libcyaml.
 */
struct bd_registry_package {
	char *namespace, *name;
	char *homepage_url, *vcs_url, *license;
	char **alternative_purls;
	unsigned alternative_purls_count;

	char **purls; /* purls.yml: "pkg:purl/<ns>/<name>@<version>" */
	unsigned purls_count;
	char *path; /* the package.yml read */
};

/*
 * Reads the package ref ("<namespace>/<name>") of the checkout at dir
 * (the checkout, or its registry/purl directory). Returns 0 with *out
 * (free with bd_registry_package_free), BD_ENOENT when there is no such
 * package, BD_EFORMAT with err naming "file:line:col" for a malformed
 * file, BD_ENOMEM. A licence that is no expression the outputs take
 * (bd_license_registry_ok) is left out, the package kept, with one
 * warning through diag naming "file:line:col" and the licence.
 */
int bd_registry_package_load(const char *dir, const char *ref,
			     struct bd_registry_package **out,
			     const struct bd_diag *diag, struct bd_error *err);
void bd_registry_package_free(struct bd_registry_package *p);

/* Whether dir can be a checkout: a directory. Else BD_ENOENT, err saying
 * why ("'dir': no purl registry there (No such file or directory)"), so
 * that a mistyped --registry is said once, not as each package it lacks. */
int bd_registry_check(const char *dir, struct bd_error *err);

/* Whether purls.yml lists that version. */
bool bd_registry_knows_version(const struct bd_registry_package *p,
			       const char *version);

#endif
