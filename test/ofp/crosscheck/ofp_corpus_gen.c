/* Writes the codec's corpus (one message per OF1.3 message and multipart
 * type, see ofp_corpus.c) as <dir>/<name>.bin, one message per file, for the
 * cross-check against ovs-ofctl and os-ken, and as fuzzer seeds; with
 * <dir>/<name>.dump, the codec's os-ken-style dump of what was meant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_corpus.h"

static void put_line(void *arg, const char *line)
{
	fprintf(arg, "%s\n", line);
}

static int write_dump(const char *dir, const struct ofp_sample *s)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.dump", dir, s->name);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return -1;
	int rc = sl_ofp_dump(&s->msg, put_line, f);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	struct ofp_corpus *c = malloc(sizeof(*c));
	if (c == NULL)
		return 1;
	ofp_corpus_build(c);
	int rc = 0;
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		struct sl_ofp_buf b = { 0 };
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s.bin", argv[1], c->v[i].name);
		FILE *f = fopen(path, "wb");
		if (f == NULL || sl_ofp_encode(&c->v[i].msg, &b) != 0 ||
		    fwrite(b.data, 1, b.len, f) != b.len) {
			fprintf(stderr, "cannot write %s\n", path);
			rc = 1;
		}
		if (f != NULL)
			fclose(f);
		if (rc == 0 && write_dump(argv[1], &c->v[i]) != 0)
			rc = 1;
		sl_ofp_buf_free(&b);
	}
	printf("%zu messages\n", c->n);
	ofp_corpus_free(c);
	free(c);
	return rc;
}
