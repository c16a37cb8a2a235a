/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Management requests: splitting the line (fuzzed: test/fuzz/fuzz_mgmt.c)
 * and dispatching it to a command. Kept apart from the socket code so that
 * both can be tested without one.
 */
#include <stdio.h>
#include <string.h>

#include "sl_mgmt.h"

int
sl_mgmt_parse_request(char *line, size_t len, char **argv, unsigned int max_args,
		      bool *json, char *err, size_t errlen)
{
	unsigned int n = 0;
	size_t i = 0;

	*json = false;
	if (len == 0 || line[len - 1] != '\n') {
		snprintf(err, errlen, "a request is one line ending in a newline");
		return -1;
	}
	line[len - 1] = '\0';
	for (size_t k = 0; k + 1 < len; k++) {
		unsigned char c = (unsigned char)line[k];

		if (c == '\t' || c == '\r')
			line[k] = ' ';
		else if (c < 0x20 || c == 0x7f) {
			snprintf(err, errlen, "control character 0x%02x at byte %zu", c, k);
			return -1;
		}
	}
	while (i + 1 < len) {
		char *w;

		while (line[i] == ' ')
			i++;
		if (line[i] == '\0')
			break;
		w = &line[i];
		while (line[i] != ' ' && line[i] != '\0')
			i++;
		if (line[i] == ' ')
			line[i++] = '\0';
		if (strcmp(w, "--json") == 0) {
			*json = true;
			continue;
		}
		if (n >= max_args) {
			snprintf(err, errlen, "more than %u words", max_args);
			return -1;
		}
		argv[n++] = w;
	}
	if (n == 0) {
		snprintf(err, errlen, "empty request (try \"help\")");
		return -1;
	}
	return (int)n;
}

static void
help(const struct sl_mgmt_cmd *cmds, unsigned int n_cmds, struct sl_out *out)
{
	sl_out_list(out, "commands");
	for (unsigned int i = 0; i < n_cmds; i++) {
		sl_out_record(out);
		sl_out_str(out, "command", "%s%s%s", cmds[i].name, cmds[i].args[0] ? " " : "",
			   cmds[i].args);
		sl_out_str(out, "does", "%s", cmds[i].help);
	}
}

void
sl_mgmt_dispatch(const struct sl_mgmt_cmd *cmds, unsigned int n_cmds, void *ctx, int argc,
		 char **argv, struct sl_out *out)
{
	if (strcmp(argv[0], "help") == 0) {
		help(cmds, n_cmds, out);
		return;
	}
	for (unsigned int i = 0; i < n_cmds; i++) {
		const struct sl_mgmt_cmd *c = &cmds[i];

		if (strcmp(argv[0], c->name) != 0)
			continue;
		if (argc - 1 < c->min_args || (c->max_args >= 0 && argc - 1 > c->max_args)) {
			sl_out_error(out, "usage: %s%s%s", c->name, c->args[0] ? " " : "", c->args);
			return;
		}
		c->fn(ctx, argc, argv, out);
		return;
	}
	sl_out_error(out, "unknown command \"%.64s\" (try \"help\")", argv[0]);
}
