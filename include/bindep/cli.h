/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_CLI_H
#define BINDEP_CLI_H

#include "bindep/buf.h"
#include "bindep/error.h"
#include "bindep/exclude.h"

enum bd_format {
	BD_FORMAT_CYCLONEDX,
	BD_FORMAT_SPDX,
	BD_FORMAT_SPDX3, /* SPDX 3.0.1 JSON-LD */
	BD_FORMAT_TEXT,
	BD_FORMAT_FUNDING,
	BD_FORMAT_SUMMARY, /* one row per upstream project, for people */
	BD_FORMAT_DOT,	   /* a Graphviz graph */
};

enum bd_color {
	BD_COLOR_AUTO, /* when standard output is a terminal */
	BD_COLOR_ALWAYS,
	BD_COLOR_NEVER,
};

#define BD_CLI_MAX_MAPPINGS 32
#define BD_CLI_MAX_AUTHORS  32
#define BD_CLI_MAX_EXCLUDES BD_EXCLUDE_MAX

/* The longest --contact (RFC 5321's address) and API URL taken. */
#define BD_CLI_MAX_CONTACT 254u
#define BD_CLI_MAX_URL	   2000u
/* --source-version: CycloneDX's component version is 1,024 at most. */
#define BD_CLI_MAX_VERSION 1024u

struct bd_options {
	enum bd_format format;
	bool format_given;	  /* --format was on the command line */
	unsigned depth;		  /* --depth: 0 for the default, or
							  BD_EMIT_DEPTH_ALL (emit.h) */
	const char *spec_version; /* --spec-version as given, or NULL */
	int cdx_version;	  /* enum bd_cdx_version */
	const char *output;	  /* NULL: standard output */
	const char *source_name;  /* NULL: the first PATH's base name */
	const char *source_version;
	const char *serial;			 /* "urn:uuid:..." or NULL */
	const char *authors[BD_CLI_MAX_AUTHORS]; /* --author "Name <email>" */
	size_t nauthors;
	const char *supplier; /* --supplier NAME, or NULL */
	int verbosity;	      /* -1 quiet, 0 normal, 1 verbose */
	unsigned jobs;	      /* scanning threads; 0: one per CPU */
	bool help, version;
	bool strict;		/* exit 3 when a needed library is missing */
	bool attach;		/* --attach: SBOMs into the wheels (PEP 770) */
	const char *attach_dir; /* --attach-dir DIR, or NULL: in place */
	bool force;		/* --force: drop a wheel's signature */
	const char *root;	/* --root DIR, or NULL */
	/* --exclude GLOB, in the order given (bindep/exclude.h checked
	 * each). */
	const char *excludes[BD_CLI_MAX_EXCLUDES];
	size_t nexcludes;
	const char *library_path; /* --library-path DIRS, or NULL */
	const char *mappings_dir; /* --mappings-dir DIR, or NULL: shipped */
	const char *mapping_files[BD_CLI_MAX_MAPPINGS]; /* --mapping FILE */
	size_t nmapping_files;
	const char *registry_dir; /* --registry DIR, or NULL */
	enum bd_color color;	  /* --color: for the text view */
	bool online;		  /* --online: ecosyste.ms lookups */
	const char *contact;	  /* --contact EMAIL, or NULL */
	long timeout;		  /* --timeout, seconds */
	const char *packages_api; /* NULL: the default */
	const char *repos_api;	  /* NULL: the default */
	const char *cache_dir;	  /* NULL: the XDG default */
	long cache_ttl;		  /* seconds */
	int funding_format;	  /* enum bd_funding_format */
	uint64_t max_unpacked;	  /* --max-unpacked, 0: the default */
	const char *platform;	  /* --platform os/arch[/variant] */
	const char *image_ref;	  /* --image-ref */
	char **paths;
	size_t npaths;
};

/*
 * Parses the command line. Returns 0, or BD_EUSAGE with err set to a
 * one-line message. With --help or --version the flag is set and the
 * rest need not be valid.
 */
int bd_cli_parse(int argc, char **argv, struct bd_options *opts,
		 struct bd_error *err);

/* The text of --help, generated from the option table. */
void bd_cli_help(struct bd_buf *out);

/*
 * One option of the table that drives getopt_long and --help, for the
 * shell completions, which contrib/completion/mkcompletion.c writes from
 * it at build time. The strings are static.
 */
struct bd_cli_option_info {
	const char *name; /* "format", without the dashes */
	int short_name;	  /* 'f', or 0 */
	int has_arg;	  /* as getopt_long: 0 none, 1 required, 2 optional */
	const char *arg;  /* what --help calls the argument ("FILE"), or NULL */
	const char *help; /* the line of --help */
	size_t nchoices;  /* the words the argument may be; 0: any */
};

/* Fills *info with option i, in --help's order; false past the last. */
bool bd_cli_option_info(size_t i, struct bd_cli_option_info *info);

/* Word k of option i's choices (bd_cli_option_info), or NULL. */
const char *bd_cli_option_choice(size_t i, size_t k);

#endif
