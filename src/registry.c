/* SPDX-License-Identifier: MIT */
#include "bindep/registry.h"
#include "bindep/buf.h"
#include "bindep/license.h"
#include "bindep/yaml.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

#define FIELD(key, member)                                                     \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,  \
			       struct bd_registry_package, member, 0,          \
			       CYAML_UNLIMITED)

/* The registry's files carry more (description, contact, download_url):
 * unknown keys are ignored, the ones read must have the right shape. */
static const cyaml_schema_field_t package_fields[] = {
	FIELD("namespace", namespace),
	FIELD("name", name),
	FIELD("homepage_url", homepage_url),
	FIELD("vcs_url", vcs_url),
	FIELD("license", license),
	CYAML_FIELD_SEQUENCE("alternative_purls",
			     CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct bd_registry_package, alternative_purls,
			     &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t package_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct bd_registry_package,
			    package_fields),
};

static const cyaml_schema_value_t purls_schema = {
	CYAML_VALUE_SEQUENCE(CYAML_FLAG_POINTER, char *, &string_entry, 0,
			     CYAML_UNLIMITED),
};

/* A ref names one package: "<namespace>/<name>", plain names only. */
static bool valid_ref(const char *ref)
{
	const char *slash = strchr(ref, '/');

	return slash && slash != ref && slash[1] && !strchr(slash + 1, '/') &&
	       strncmp(ref, "..", 2) && strcmp(slash + 1, "..") &&
	       strcmp(slash + 1, ".") && strncmp(ref, "./", 2);
}

/* The line of a top-level key in a block mapping's text; 0: none there
 * (a flow mapping). */
static unsigned top_key_line(const char *text, const char *key)
{
	unsigned line = 1;
	const char *p;

	for (p = text; *p; p = bd_yaml_next_line(p), line++)
		if (bd_yaml_key_at(p, key))
			return line;
	return 0;
}

/* A package's licence is an expression the outputs take, as a mapping
 * entry's (bd_license_registry_ok): they write it as one, and a checkout
 * holds others (package-url/purl-registry's linux/kernel says
 * "GPL-2.0-only WITH Linux-syscall-notes", an exception the list spells
 * Linux-syscall-note). Only the licence is left out, said at its key: the
 * package's links and purls are no less right for it, and the checkout is
 * upstream's, not the user's to mend. (A mapping file refuses itself
 * instead, mapping.c: its every field is checked so, and it is the
 * user's or ours.) */
static void leave_out_bad_license(const char *path, const char *text,
				  struct bd_registry_package *p,
				  const struct bd_diag *diag)
{
	unsigned line;

	if (!p || !p->license || bd_license_registry_ok(p->license))
		return;
	line = top_key_line(text, "license");
	if (line)
		bd_diag_report(
			diag, BD_DIAG_WARNING,
			"'%s:%u:1': license: '%s' " BD_LICENSE_REGISTRY_WANTED
			", leaving it out",
			path, line, p->license);
	else
		bd_diag_report(diag, BD_DIAG_WARNING,
			       "'%s': license: '%s' " BD_LICENSE_REGISTRY_WANTED
			       ", leaving it out",
			       path, p->license);
	/* libcyaml's strings are malloc'd (bd_yaml_config). */
	free(p->license);
	p->license = NULL;
}

/* diag: where a package file's licence left out is said. */
static int load(const char *path, const cyaml_schema_value_t *schema,
		void **data, unsigned *count, const struct bd_diag *diag,
		struct bd_error *err)
{
	struct bd_yaml_log pos = { "", 0, 0 };
	cyaml_config_t cfg =
		bd_yaml_config(&pos, CYAML_CFG_IGNORE_UNKNOWN_KEYS);
	cyaml_err_t e;
	char *text;
	size_t len;
	int rc;

	/* Read by the safe open (root.h), which never blocks on a FIFO or
	 * opens a device, rather than by libcyaml's fopen(). */
	rc = bd_yaml_read(path, &text, &len, err);
	if (rc)
		return rc;
	e = cyaml_load_data((const uint8_t *)text, len, &cfg, schema,
			    (cyaml_data_t **)data, count);
	rc = e == CYAML_OK ? 0 : bd_yaml_error(path, text, len, e, &pos, err);
	if (!rc && schema == &package_schema)
		leave_out_bad_license(path, text, *data, diag);
	free(text);
	return rc;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether there is anything at path, a FIFO or a dangling link included:
 * a purls.yml that is there but cannot be read is said, not ignored. */
static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int bd_registry_check(const char *dir, struct bd_error *err)
{
	struct stat st;

	if (stat(dir, &st))
		return bd_error_set(err, BD_ENOENT,
				    "'%s': no purl registry there (%s)", dir,
				    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return bd_error_set(err, BD_ENOENT,
				    "'%s': no purl registry there (not a "
				    "directory)",
				    dir);
	return 0;
}

int bd_registry_package_load(const char *dir, const char *ref,
			     struct bd_registry_package **out,
			     const struct bd_diag *diag, struct bd_error *err)
{
	struct bd_buf path = BD_BUF_INIT, purls = BD_BUF_INIT;
	struct bd_registry_package *p = NULL;
	int rc;

	*out = NULL;
	if (!valid_ref(ref))
		return bd_error_set(err, BD_ENOENT,
				    "'%s': not a registry package", ref);
	bd_buf_printf(&path, "%s/registry/purl/%s/package.yml", dir, ref);
	if (!is_file(bd_buf_str(&path))) {
		bd_buf_reset(&path);
		bd_buf_printf(&path, "%s/%s/package.yml", dir, ref);
	}
	if (!bd_buf_ok(&path)) {
		rc = BD_ENOMEM;
	} else if (!is_file(path.data)) {
		rc = bd_error_set(err, BD_ENOENT,
				  "'%s': no package '%s' in the registry", dir,
				  ref);
	} else {
		rc = load(path.data, &package_schema, (void **)&p, NULL, diag,
			  err);
	}
	if (!rc && p) {
		/* Not in the schema: ours to set. */
		p->purls = NULL;
		p->purls_count = 0;
		p->path = strdup(path.data);
		bd_buf_add(&purls, path.data, path.len - strlen("package.yml"));
		bd_buf_adds(&purls, "purls.yml");
		if (!p->path || !bd_buf_ok(&purls))
			rc = BD_ENOMEM;
		else if (exists(purls.data))
			rc = load(purls.data, &purls_schema, (void **)&p->purls,
				  &p->purls_count, NULL, err);
	}
	if (!rc && !p)
		rc = bd_error_set(err, BD_EFORMAT, "'%s': empty", path.data);
	if (rc)
		bd_registry_package_free(p);
	else
		*out = p;
	bd_buf_release(&path);
	bd_buf_release(&purls);
	return rc == BD_ENOMEM ? bd_error_set(err, rc, "out of memory") : rc;
}

void bd_registry_package_free(struct bd_registry_package *p)
{
	struct bd_yaml_log pos = { "", 0, 0 };
	cyaml_config_t cfg =
		bd_yaml_config(&pos, CYAML_CFG_IGNORE_UNKNOWN_KEYS);
	char **purls;
	unsigned n;

	if (!p)
		return;
	purls = p->purls;
	n = p->purls_count;
	free(p->path);
	p->purls = NULL;
	cyaml_free(&cfg, &package_schema, p, 0);
	cyaml_free(&cfg, &purls_schema, purls, n);
}

bool bd_registry_knows_version(const struct bd_registry_package *p,
			       const char *version)
{
	unsigned i;

	for (i = 0; version && i < p->purls_count; i++) {
		const char *at = strrchr(p->purls[i], '@');

		if (at && !strcmp(at + 1, version))
			return true;
	}
	return false;
}
