/* Shared helpers for the codec tests. */
#include "ofp_test_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SL_OFP_VECTORS
#define SL_OFP_VECTORS "test/data/openflow-vectors/of13"
#endif

const char *ofp_vectors_dir(void)
{
	const char *env = getenv("SL_OFP_VECTORS");
	return env != NULL && *env ? env : SL_OFP_VECTORS;
}

uint8_t *ofp_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap + 1);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

int ofp_list_files(const char *dir, const char *substr, struct sl_lines *names)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strstr(de->d_name, substr) != NULL)
			sl_lines_add(names, de->d_name);
	closedir(d);
	sl_lines_sort(names);
	return 0;
}

static void add_line(void *arg, const char *line)
{
	sl_lines_add(arg, line);
}

int ofp_dump_lines(const struct sl_ofp_msg *msg, struct sl_lines *out)
{
	int rc = sl_ofp_dump(msg, add_line, out);
	sl_lines_sort(out);
	return rc;
}

size_t ofp_diff_lines(const struct sl_lines *a, const struct sl_lines *b, const char *tag)
{
	size_t i = 0, j = 0, diff = 0;
	while (i < a->n || j < b->n) {
		int c = i >= a->n ? 1 : j >= b->n ? -1 : strcmp(a->v[i], b->v[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (diff < 12 && tag != NULL)
			fprintf(stderr, "  %s %s %s\n", tag, c < 0 ? "ours  " : "theirs",
				c < 0 ? a->v[i] : b->v[j]);
		diff++;
		if (c < 0)
			i++;
		else
			j++;
	}
	return diff;
}
