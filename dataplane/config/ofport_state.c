/* SPDX-License-Identifier: BSD-3-Clause */
/* OpenFlow numbers of run-time ports across restarts (sl_ofport_state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openflow.h"
#include "sl_ofport_state.h"
#include "sl_port.h"

struct entry {
	char name[SL_PORT_NAME_MAX];
	uint32_t ofport;
};

/* The file's entries, oldest first; a missing or unreadable file, or a
 * line that is not "NAME NUMBER", remembers nothing (it is a hint: a port
 * then gets a new number, never a wrong one). Returns how many, or -1 when
 * out of memory. */
static int
load(const char *path, struct entry **out)
{
	struct entry *v = calloc(SL_OFPORT_STATE_MAX, sizeof(*v));
	char line[SL_PORT_NAME_MAX + 32];
	int n = 0;
	FILE *f;

	*out = v;
	if (v == NULL)
		return -1;
	f = fopen(path, "r");
	while (f && n < SL_OFPORT_STATE_MAX && fgets(line, sizeof(line), f)) {
		char name[SL_PORT_NAME_MAX];
		unsigned long x;
		int end = 0;

		if (sscanf(line, "%63s %lu%n", name, &x, &end) != 2 || x == 0 || x > OFPP_MAX ||
		    (line[end] != '\n' && line[end] != '\0'))
			continue;
		snprintf(v[n].name, sizeof(v[n].name), "%s", name);
		v[n++].ofport = (uint32_t)x;
	}
	if (f)
		fclose(f);
	return n;
}

static bool
in_use(uint32_t x, const uint32_t *used, unsigned int n_used)
{
	for (unsigned int i = 0; i < n_used; i++)
		if (used[i] == x)
			return true;
	return false;
}

int
sl_ofport_state_pick(const char *path, const char *name, const uint32_t *used,
		     unsigned int n_used, uint32_t *ofport)
{
	struct entry *v;
	int n = load(path, &v);
	uint32_t x;

	for (int i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0 && !in_use(v[i].ofport, used, n_used)) {
			*ofport = v[i].ofport;
			free(v);
			return 0;
		}
	/* at most n_used + n numbers are excluded: the loop ends well below OFPP_MAX */
	for (x = 1; x <= OFPP_MAX; x++) {
		bool taken = in_use(x, used, n_used);

		for (int i = 0; i < n && !taken; i++)
			taken = v[i].ofport == x && strcmp(v[i].name, name) != 0;
		if (!taken)
			break;
	}
	free(v);
	if (x > OFPP_MAX)
		return -1;
	*ofport = x;
	return 0;
}

/* Write @v[0..n) to @path through a temporary file and a rename. */
static int
save(const char *path, const struct entry *v, int n, char *err, size_t errlen)
{
	char tmp[4096];
	FILE *f;
	int rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	f = fopen(tmp, "w");
	if (f == NULL) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "# OpenFlow numbers of ports added at run time (sluicectl add-port), "
		"by name; written by sluiced\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "%s %u\n", v[i].name, v[i].ofport);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}

int
sl_ofport_state_remember(const char *path, const char *name, uint32_t ofport,
			 char *err, size_t errlen)
{
	struct entry *v;
	int n = load(path, &v), k = 0, rc;

	if (n < 0) {
		free(v);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].name, name) != 0 && v[i].ofport != ofport)
			v[k++] = v[i];
	if (k == SL_OFPORT_STATE_MAX) /* forget the oldest */
		memmove(&v[0], &v[1], (size_t)--k * sizeof(v[0]));
	snprintf(v[k].name, sizeof(v[k].name), "%s", name);
	v[k++].ofport = ofport;
	rc = save(path, v, k, err, errlen);
	free(v);
	return rc;
}
