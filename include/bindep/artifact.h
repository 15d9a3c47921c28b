/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_ARTIFACT_H
#define BINDEP_ARTIFACT_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/pkgdb.h"

/*
 * The identity of a release artifact (a wheel, an npm tarball, a .deb,
 * .rpm or .apk, a conda package, a jar, a plain tarball) from its manifest
 * text: the purl of the artifact's own SBOM component (issue 12, point 6),
 * built with bd_purl_format() by the purl-spec rules of each type.
 *
 * Manifest texts are hostile: NUL-terminated (a NUL inside ends the text),
 * at most BD_ARTIFACT_MAX_MANIFEST bytes, any bytes at all. Of duplicate
 * keys the one the format's own reader takes wins: the last in a
 * package.json, a pom.properties and a MANIFEST.MF, else the first. A
 * value's bytes are kept as they are (the emitters apply the UTF-8
 * policy, bindep/json.h; the purl percent-encodes them).
 *
 * Each function returns 0, BD_EFORMAT (err names the missing or bad
 * field: "no 'Version' field"), BD_ELIMIT (a field longer than
 * BD_ARTIFACT_MAX_FIELD, or the text longer than BD_ARTIFACT_MAX_MANIFEST),
 * or BD_ENOMEM. On failure the id is left as it was.
 */

/* A manifest is a small text file; the reader caps what it stores. */
#define BD_ARTIFACT_MAX_MANIFEST (4u << 20)
/* Names, versions, architectures are short; a longer field is an attack
 * or garbage, not an identity. */
#define BD_ARTIFACT_MAX_FIELD 1024u

struct bd_artifact_id {
	struct bd_buf purl;    /* "pkg:pypi/demo-pkg@1.0"; empty: none */
	struct bd_buf name;    /* as the manifest writes it: "Demo_Pkg" */
	struct bd_buf version; /* deb: epoch included; rpm: version-release */
	struct bd_buf arch;    /* deb/rpm/apk arch, conda subdir, wheel
				  platform tag; empty when unknown */
	struct bd_buf source;  /* source package (deb Source, apk origin, rpm
				  SOURCERPM's name); empty when unknown */
	struct bd_buf source_version; /* deb "Source: foo (1.2-3)", rpm */
	/* The licence the manifest declares (npm "license", a wheel's
	 * License-Expression or License, conda "license"): an expression of
	 * the SPDX License List's identifiers, spelt as the list spells them
	 * (bd_license_add); else, when something was declared, license_text
	 * has it as written (at most BD_ARTIFACT_MAX_FIELD bytes). Never an
	 * error: a licence is no part of the identity. */
	struct bd_buf license;
	struct bd_buf license_text;
};

void bd_artifact_id_init(struct bd_artifact_id *id);
void bd_artifact_id_release(struct bd_artifact_id *id);

/* For the manifests of an installed tree (bundle.c), where a missing
 * version is no error: the purl has none. */
#define BD_ARTIFACT_ANY_VERSION 0x1u

/*
 * A wheel: its *.dist-info/METADATA (RFC 822 headers Name and Version;
 * the name normalised as PEP 503 says) and its file name (PEP 427/491),
 * either may be NULL. The file name fills what METADATA lacks and gives
 * the platform tag (id->arch). -> pkg:pypi/<name>@<version>
 */
int bd_artifact_wheel(const char *metadata, const char *filename,
		      unsigned flags, struct bd_artifact_id *id,
		      struct bd_error *err);

/* A wheel's file name, split per PEP 427 (and PEP 491's escaping):
 * "{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl". */
struct bd_wheel_name {
	struct bd_buf distribution, version, build, python, abi, platform;
};

void bd_wheel_name_init(struct bd_wheel_name *w);
void bd_wheel_name_release(struct bd_wheel_name *w);

/* filename may have directories before it. Returns 0, BD_EFORMAT (not a
 * wheel's name), BD_ELIMIT, BD_ENOMEM; w is left as it was on failure. */
int bd_artifact_wheel_filename(const char *filename, struct bd_wheel_name *w,
			       struct bd_error *err);

/* An npm package.json: name ("@scope/name": the scope is the namespace,
 * "%40scope") and version. -> pkg:npm/%40scope/name@version */
int bd_artifact_npm(const char *json, unsigned flags, struct bd_artifact_id *id,
		    struct bd_error *err);

/* A .deb's DEBIAN/control: Package, Version (required), Architecture,
 * Source ("foo" or "foo (1.2-3)"). vendor: the purl namespace, "debian"
 * when NULL or empty. -> pkg:deb/<vendor>/<name>@<version>?arch=<arch> */
int bd_artifact_deb(const char *control, const char *vendor,
		    struct bd_artifact_id *id, struct bd_error *err);

/* An .rpm's header, already parsed: name, version and release (required),
 * arch, epoch, SOURCERPM. vendor: "fedora" when NULL or empty, as
 * ident.c's installed packages. -> pkg:rpm/<vendor>/<name>@<version>-
 * <release>?arch=..&epoch=.. */
int bd_artifact_rpm(const struct bd_rpm_header *h, const char *vendor,
		    struct bd_artifact_id *id, struct bd_error *err);

/* An .apk's .PKGINFO ("key = value" lines, '#' comments): pkgname,
 * pkgver (required), arch, origin. vendor: "alpine" when NULL or empty.
 * -> pkg:apk/<vendor>/<name>@<ver>?arch=.. */
int bd_artifact_apk(const char *pkginfo, const char *vendor,
		    struct bd_artifact_id *id, struct bd_error *err);

/* A conda package's info/index.json: name, version (required), build,
 * subdir. -> pkg:conda/<name>@<version>?build=..&subdir=.. */
int bd_artifact_conda(const char *json, struct bd_artifact_id *id,
		      struct bd_error *err);

/* A jar's META-INF/maven/<g>/<a>/pom.properties (Java properties: '#'
 * and '!' comments, "key=value", "key: value", "key value", backslash
 * continuations and escapes, ISO-8859-1 bytes; the values come out as
 * UTF-8): groupId, artifactId, version, all required.
 * -> pkg:maven/<groupId>/<artifactId>@<version> */
int bd_artifact_maven(const char *properties, struct bd_artifact_id *id,
		      struct bd_error *err);

/*
 * A jar's META-INF/MANIFEST.MF main section (JAR File Specification:
 * "Name: value" headers, 72-byte lines continued by lines starting with
 * one space), the fallback when a jar has no pom.properties: the name is
 * Bundle-SymbolicName (without its directives) or Implementation-Title,
 * the version Bundle-Version or Implementation-Version. The manifest names
 * no groupId, so there is no purl: returns 0 with name (and version when
 * given) and id->purl empty; BD_ENOENT when it names nothing (no fault:
 * a bare `jar cf` manifest), BD_EFORMAT when a field is no text.
 */
int bd_artifact_jar_manifest(const char *manifest, struct bd_artifact_id *id,
			     struct bd_error *err);

/*
 * A plain release tarball's file name (directories before it allowed),
 * only where it is unambiguously "<name>-<version>.tar[.gz|.xz|...]":
 * "curl-8.5.0.tar.xz" -> pkg:generic/curl@8.5.0. BD_ENOENT when it is
 * not: no version-looking last part ("foo.tar.gz", "a-b-c.tgz",
 * "node-v20.1.0-linux-x64.tar.xz"), or more than one ("foo-1.2-3.tgz").
 */
int bd_artifact_generic(const char *filename, struct bd_artifact_id *id,
			struct bd_error *err);

#endif
