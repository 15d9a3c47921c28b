/* SPDX-License-Identifier: MIT */
/*
 * purl-check: reads purls, one a line, and says of each that is not in
 * canonical form why: it does not parse (strictly), or parsing then
 * building gives other bytes. Exit status 1 when any is, else 0. The
 * end-to-end runner (tests/e2e/run.py) compiles it from src/purl.c and
 * its few dependencies, and passes it every purl of every SBOM a case
 * writes (issue 15: "every purl the tool writes ... round-trips").
 */
#include "bindep/purl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int status = 0;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		struct bd_purl_parsed p;
		struct bd_buf again = BD_BUF_INIT;
		struct bd_error err;

		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (bd_purl_parse(line, 0, &p, &err)) {
			printf("%s\tdoes not parse: %s\n", line, err.msg);
			status = 1;
		} else if (strcmp(p.canonical.data, line)) {
			printf("%s\tnot canonical: %s\n", line,
			       p.canonical.data);
			status = 1;
		} else if (bd_purl_format(&p.parts, &again, &err) ||
			   strcmp(again.data, line)) {
			printf("%s\tparts build to other bytes\n", line);
			status = 1;
		}
		bd_buf_release(&again);
		bd_purl_parsed_release(&p);
	}
	free(line);
	return status;
}
