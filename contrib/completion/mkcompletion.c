/* SPDX-License-Identifier: MIT */
/*
 * mkcompletion bash|zsh: writes the shell completion of bindep-sbom to
 * standard output, from the option table that drives getopt_long and
 * --help (src/cli.c, read through bd_cli_option_info). The Makefile runs it
 * at build time (build/completion/), so an option, or a word an enumerated
 * option takes, cannot be added without being completed.
 *
 * What an argument is completed with follows from what --help calls it:
 * an option's words when it has some (--format, --color), files for FILE,
 * directories for DIR and DIRS, nothing for anything else (NAME, URL, N).
 * The operands (PATH) are files. An option whose help says "repeat" may be
 * given again (zsh offers it again), one that says "and exit" stands alone.
 */
#include "bindep/cli.h"

#include <stdio.h>
#include <string.h>

#define PROGRAM "bindep-sbom"

enum arg_kind {
	ARG_NONE,  /* no argument */
	ARG_WORDS, /* one of the option's choices */
	ARG_FILE,
	ARG_DIR,
	ARG_DIRS, /* a colon-separated list of directories */
	ARG_TEXT, /* any word: nothing to offer */
};

static enum arg_kind arg_kind(const struct bd_cli_option_info *o)
{
	if (!o->has_arg)
		return ARG_NONE;
	if (o->nchoices)
		return ARG_WORDS;
	if (!strcmp(o->arg, "FILE"))
		return ARG_FILE;
	if (!strcmp(o->arg, "DIR"))
		return ARG_DIR;
	if (!strcmp(o->arg, "DIRS"))
		return ARG_DIRS;
	return ARG_TEXT;
}

/* The option's choices, separated by spaces: "cyclonedx spdx text". */
static void put_choices(size_t i, FILE *out)
{
	const char *word;
	size_t k;

	for (k = 0; (word = bd_cli_option_choice(i, k)); k++)
		fprintf(out, "%s%s", k ? " " : "", word);
}

/* ---- bash ------------------------------------------------------------- */

static const char bash_head[] =
	"# bash completion for " PROGRAM "\n"
	"# Written by mkcompletion (contrib/completion/mkcompletion.c) from "
	"the\n"
	"# option table that --help is printed from. Do not edit: rebuild.\n"
	"\n"
	"_bindep_sbom_files()\n"
	"{\n"
	"\tcompopt -o filenames 2>/dev/null\n"
	"\tmapfile -t COMPREPLY < <(compgen \"$1\" -- \"$2\")\n"
	"}\n"
	"\n"
	"# Fills COMPREPLY with the values of option $1 that start with $2 "
	"($3\n"
	"# set: attached, as in --color=); returns 1 when $1 takes none here.\n"
	"_bindep_sbom_value()\n"
	"{\n"
	"\tlocal cur=$2\n"
	"\tcase $1 in\n";

static const char bash_main[] =
	"\t*)\n"
	"\t\treturn 1\n"
	"\t\t;;\n"
	"\tesac\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"_bindep_sbom()\n"
	"{\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} p=$COMP_CWORD i\n"
	"\tCOMPREPLY=()\n"
	"\t# After \"--\" every word is a PATH.\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\tif [[ ${COMP_WORDS[i]} == -- ]]; then\n"
	"\t\t\t_bindep_sbom_files -f \"$cur\"\n"
	"\t\t\treturn\n"
	"\t\tfi\n"
	"\tdone\n"
	"\t# Without '=' in COMP_WORDBREAKS, the word is \"--format=sp\".\n"
	"\tif [[ $cur == --*=* ]]; then\n"
	"\t\t_bindep_sbom_value \"${cur%%=*}\" \"${cur#*=}\" 1 &&\n"
	"\t\t\tCOMPREPLY=(\"${COMPREPLY[@]/#/${cur%%=*}=}\")\n"
	"\t\treturn\n"
	"\tfi\n"
	"\t# Bash splits the line at '=' and ':' (COMP_WORDBREAKS): "
	"\"--format=sp\"\n"
	"\t# is \"--format\" \"=\" \"sp\", \"--library-path /a:/b\" is\n"
	"\t# \"--library-path\" \"/a\" \":\" \"/b\", and the word being "
	"completed\n"
	"\t# is \"=\" or \":\" right after one. p: the value's first word.\n"
	"\t[[ $cur == [=:] ]] && cur=\n"
	"\twhile ((p > 1)) && [[ ${COMP_WORDS[p]} == : ||\n"
	"\t\t${COMP_WORDS[p - 1]} == : ]]; do\n"
	"\t\t((p--))\n"
	"\tdone\n"
	"\tif [[ ${COMP_WORDS[p]} == = ]]; then\n"
	"\t\t_bindep_sbom_value \"${COMP_WORDS[p - 1]}\" \"$cur\" 1\n"
	"\t\treturn\n"
	"\telif ((p > 1)) && [[ ${COMP_WORDS[p - 1]} == = ]]; then\n"
	"\t\t_bindep_sbom_value \"${COMP_WORDS[p - 2]}\" \"$cur\" 1\n"
	"\t\treturn\n"
	"\tfi\n"
	"\t((p > 0)) && _bindep_sbom_value \"${COMP_WORDS[p - 1]}\" \"$cur\" "
	"\"\" &&\n"
	"\t\treturn\n"
	"\tif [[ $cur == -* ]]; then\n"
	"\t\tmapfile -t COMPREPLY < <(compgen -W '";

static const char bash_tail[] =
	"' -- \"$cur\")\n"
	"\t\t# \"--color=\" waits for its value.\n"
	"\t\t[[ ${#COMPREPLY[@]} == 1 && $COMPREPLY == *= ]] &&\n"
	"\t\t\tcompopt -o nospace 2>/dev/null\n"
	"\t\treturn\n"
	"\tfi\n"
	"\t_bindep_sbom_files -f \"$cur\"\n"
	"}\n"
	"complete -F _bindep_sbom " PROGRAM "\n";

/* What fills COMPREPLY with the values of an argument of this kind. */
static const char *bash_action(enum arg_kind kind)
{
	switch (kind) {
	case ARG_FILE: return "_bindep_sbom_files -f \"$cur\"";
	case ARG_DIR:
	case ARG_DIRS: return "_bindep_sbom_files -d \"$cur\"";
	default: return ":"; /* any word: nothing to offer */
	}
}

/* "-f | --format" */
static void bash_pattern(const struct bd_cli_option_info *o, bool first,
			 FILE *out)
{
	fputs(first ? "\t" : " | ", out);
	if (o->short_name)
		fprintf(out, "-%c | ", o->short_name);
	fprintf(out, "--%s", o->name);
}

/* One case for an option with words, or with an optional argument: that
 * is only ever attached ("--color never" is --color and a PATH). */
static void bash_own_case(size_t i, const struct bd_cli_option_info *o,
			  FILE *out)
{
	bash_pattern(o, true, out);
	fputs(")\n", out);
	if (o->has_arg == 2)
		fputs("\t\t[[ $3 ]] || return 1\n", out);
	if (o->nchoices) {
		fputs("\t\tmapfile -t COMPREPLY < <(compgen -W '", out);
		put_choices(i, out);
		fputs("' -- \"$cur\")\n", out);
	} else {
		fprintf(out, "\t\t%s\n", bash_action(arg_kind(o)));
	}
	fputs("\t\t;;\n", out);
}

/* One case for every option of this kind (with a required argument). */
static void bash_kind_case(enum arg_kind kind, FILE *out)
{
	struct bd_cli_option_info o;
	bool first = true;
	size_t i;

	for (i = 0; bd_cli_option_info(i, &o); i++) {
		enum arg_kind k = arg_kind(&o);

		/* ':' splits the line too (COMP_WORDBREAKS): DIRS is
		 * completed as DIR, its last directory. */
		if (k == ARG_DIRS)
			k = ARG_DIR;
		if (o.has_arg == 1 && k == kind) {
			bash_pattern(&o, first, out);
			first = false;
		}
	}
	if (!first)
		fprintf(out, ")\n\t\t%s\n\t\t;;\n", bash_action(kind));
}

/* Every option, long and short: what "-<TAB>" offers. An optional
 * argument is offered attached too ("--color="). */
static void bash_words(FILE *out)
{
	struct bd_cli_option_info o;
	size_t i;

	for (i = 0; bd_cli_option_info(i, &o); i++) {
		fprintf(out, "%s--%s", i ? " " : "", o.name);
		if (o.has_arg == 2)
			fprintf(out, " --%s=", o.name);
		if (o.short_name)
			fprintf(out, " -%c", o.short_name);
	}
}

static void write_bash(FILE *out)
{
	static const enum arg_kind kinds[] = { ARG_FILE, ARG_DIR, ARG_TEXT };
	struct bd_cli_option_info o;
	size_t i;

	fputs(bash_head, out);
	for (i = 0; bd_cli_option_info(i, &o); i++)
		if (o.nchoices || o.has_arg == 2)
			bash_own_case(i, &o, out);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		bash_kind_case(kinds[i], out);
	fputs(bash_main, out);
	bash_words(out);
	fputs(bash_tail, out);
}

/* ---- zsh -------------------------------------------------------------- */

/* Text inside a single-quoted _arguments spec: ' ends the quotes, and
 * _arguments itself reads \ : [ ] in a description or message. */
static void zsh_text(const char *s, FILE *out)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else if (strchr("\\:[]", *s))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

static void zsh_action(size_t i, const struct bd_cli_option_info *o, FILE *out)
{
	switch (arg_kind(o)) {
	case ARG_WORDS:
		fputc('(', out);
		put_choices(i, out);
		fputc(')', out);
		break;
	case ARG_FILE: fputs("_files", out); break;
	case ARG_DIR: fputs("_files -/", out); break;
	case ARG_DIRS: fputs("_dir_list", out); break;
	default: break; /* the message alone */
	}
}

/*
 * One _arguments spec: '(-f --format)'{-f+,--format=}'[help]:FORMAT:(...)'.
 * "--x=" takes --x=V and --x V, "--x=-" only --x=V (an optional argument),
 * "-x+" takes -xV and -x V. Short and long exclude each other unless the
 * option may be repeated ('*').
 */
static void zsh_spec(size_t i, const struct bd_cli_option_info *o, FILE *out)
{
	static const char *const long_suffix[] = { "", "=", "=-" };
	static const char *const short_suffix[] = { "", "+", "" };
	bool repeat = strstr(o->help, "repeat") != NULL;
	bool alone = strstr(o->help, "and exit") != NULL;
	int has_arg = o->has_arg >= 0 && o->has_arg <= 2 ? o->has_arg : 0;

	fputc('\t', out);
	if (alone)
		fputs("'(- *)'", out);
	else if (repeat)
		fputs("'*'", out);
	else if (o->short_name)
		fprintf(out, "'(-%c --%s)'", o->short_name, o->name);
	if (o->short_name && has_arg != 2)
		fprintf(out, "{-%c%s,--%s%s}'", o->short_name,
			short_suffix[has_arg], o->name, long_suffix[has_arg]);
	else
		fprintf(out, "'--%s%s", o->name, long_suffix[has_arg]);
	fputc('[', out);
	zsh_text(o->help, out);
	fputc(']', out);
	if (has_arg) {
		fputs(has_arg == 2 ? "::" : ":", out);
		zsh_text(o->arg, out);
		fputc(':', out);
		zsh_action(i, o, out);
	}
	fputs("'\n", out);
}

static void write_zsh(FILE *out)
{
	struct bd_cli_option_info o;
	size_t i;

	fputs("#compdef " PROGRAM "\n"
	      "# zsh completion for " PROGRAM "\n"
	      "# Written by mkcompletion (contrib/completion/mkcompletion.c) "
	      "from the\n"
	      "# option table that --help is printed from. Do not edit: "
	      "rebuild.\n"
	      "\n"
	      "local -a args\n"
	      "args=(\n",
	      out);
	for (i = 0; bd_cli_option_info(i, &o); i++)
		zsh_spec(i, &o, out);
	fputs("\t'*:PATH:_files'\n"
	      ")\n"
	      "_arguments -s -S $args\n",
	      out);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "bash"))
		write_bash(stdout);
	else if (argc == 2 && !strcmp(argv[1], "zsh"))
		write_zsh(stdout);
	else {
		fputs("usage: mkcompletion bash|zsh\n", stderr);
		return 2;
	}
	if (fflush(stdout) || ferror(stdout)) {
		perror("mkcompletion: standard output");
		return 1;
	}
	return 0;
}
