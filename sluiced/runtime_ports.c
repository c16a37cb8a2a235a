/* SPDX-License-Identifier: BSD-3-Clause */
/* Ports added at run time, recorded for the next start (sl_runtime_ports.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "openflow.h"
#include "sl_config.h"
#include "sl_port.h"
#include "sl_runtime_ports.h"

#define HEADER "sluice-runtime-ports"
/* The longest line: a name and the words of one add-port request. */
#define LINE_MAX_LEN 2048

struct rec {
	char name[SL_PORT_NAME_MAX];
	char words[LINE_MAX_LEN]; /* KEY=VALUE words, one space apart */
};

struct recs {
	struct rec *v;
	unsigned int n;
};

/* Read @path into @r (empty when the file is missing). -1 with @err set
 * when it is not a file of this format: refused whole, never guessed at. */
static int
load(const char *path, struct recs *r, char *err, size_t errlen)
{
	char line[LINE_MAX_LEN + SL_PORT_NAME_MAX + 8];
	bool header = false;
	unsigned int lno = 0;
	FILE *f;

	r->n = 0;
	r->v = calloc(SL_RUNTIME_PORTS_MAX, sizeof(*r->v));
	if (r->v == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f = fopen(path, "r");
	if (f == NULL && errno == ENOENT)
		return 0;
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");
		char *sp;
		long fmt;

		lno++;
		if (line[len] != '\n' && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line longer than %u bytes", path, lno,
				 LINE_MAX_LEN);
			goto bad;
		}
		line[len] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (!header) {
			if (sscanf(line, HEADER " %ld", &fmt) != 1) {
				snprintf(err, errlen, "%s:%u: not a run-time ports file (expected "
					 "\"" HEADER " %d\")", path, lno, SL_RUNTIME_PORTS_FORMAT);
				goto bad;
			}
			if (fmt != SL_RUNTIME_PORTS_FORMAT) {
				snprintf(err, errlen, "%s: format %ld, this release reads format %d "
					 "only", path, fmt, SL_RUNTIME_PORTS_FORMAT);
				goto bad;
			}
			header = true;
			continue;
		}
		sp = strchr(line, ' ');
		if (sp == NULL || (size_t)(sp - line) >= SL_PORT_NAME_MAX ||
		    r->n == SL_RUNTIME_PORTS_MAX) {
			snprintf(err, errlen, "%s:%u: expected NAME KEY=VALUE... (%u ports at most)",
				 path, lno, SL_RUNTIME_PORTS_MAX);
			goto bad;
		}
		*sp = '\0';
		memcpy(r->v[r->n].name, line, (size_t)(sp - line) + 1); /* checked above */
		if (strlen(sp + 1) >= sizeof(r->v[r->n].words)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lno);
			goto bad;
		}
		memcpy(r->v[r->n].words, sp + 1, strlen(sp + 1) + 1);
		r->n++;
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	return -1;
}

/* Write @r to @path through a temporary file and a rename. */
static int
save(const char *path, const struct recs *r, char *err, size_t errlen)
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
	fprintf(f, HEADER " %d\n# ports added at run time (sluicectl add-port), brought back "
		"at the next start; written by sluiced\n", SL_RUNTIME_PORTS_FORMAT);
	for (unsigned int i = 0; i < r->n; i++)
		fprintf(f, "%s %s\n", r->v[i].name, r->v[i].words);
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

/* Drop the record of @name, if any. */
static void
drop(struct recs *r, const char *name)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, name) != 0)
			r->v[k++] = r->v[i];
	r->n = k;
}

/* @words without their ofport= word, then "ofport=N", into @out. */
static int
join_words(char *out, size_t size, char *const *words, unsigned int n_words, uint32_t ofport)
{
	size_t off = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < n_words; i++) {
		if (strncmp(words[i], "ofport=", 7) == 0)
			continue;
		off += (size_t)snprintf(out + off, off < size ? size - off : 0, "%s ", words[i]);
	}
	off += (size_t)snprintf(out + off, off < size ? size - off : 0, "ofport=%u", ofport);
	return off < size ? 0 : -1;
}

int
sl_runtime_ports_record(const char *path, const char *name, char *const *words,
			unsigned int n_words, uint32_t ofport, char *err, size_t errlen)
{
	struct recs r;
	int rc = -1;

	if (strlen(name) >= SL_PORT_NAME_MAX) {
		snprintf(err, errlen, "port name longer than %d bytes", SL_PORT_NAME_MAX - 1);
		return -1;
	}
	if (load(path, &r, err, errlen) < 0)
		goto out;
	drop(&r, name);
	if (r.n == SL_RUNTIME_PORTS_MAX) {
		snprintf(err, errlen, "%s: %u ports recorded already", path, r.n);
		goto out;
	}
	if (join_words(r.v[r.n].words, sizeof(r.v[r.n].words), words, n_words, ofport) < 0) {
		snprintf(err, errlen, "the port's words are longer than %u bytes", LINE_MAX_LEN);
		goto out;
	}
	snprintf(r.v[r.n].name, sizeof(r.v[r.n].name), "%s", name);
	r.n++;
	rc = save(path, &r, err, errlen);
out:
	free(r.v);
	return rc;
}

int
sl_runtime_ports_forget(const char *path, const char *name, char *err, size_t errlen)
{
	struct recs r;
	unsigned int was;
	int rc = -1;

	if (load(path, &r, err, errlen) == 0) {
		was = r.n;
		drop(&r, name);
		rc = r.n == was ? 0 : save(path, &r, err, errlen);
	}
	free(r.v);
	return rc;
}

/* ------------------------------------------------------------- at start */

/* Is OpenFlow number @x taken by one of @cfg's ports? */
static bool
number_used(const struct sl_config *cfg, uint32_t x)
{
	for (unsigned int i = 0; i < cfg->n_ports; i++)
		if (cfg->ports[i].ofport == x)
			return true;
	return false;
}

/* Why record @pp cannot join @cfg's ports as it is ("" when it can); its
 * number is moved to a free one when only that is taken (*moved set).
 * Returns 1 to add, 0 to leave it out and forget it. */
static int
fit(struct sl_config *cfg, unsigned int n_conf, struct sl_port_params *pp, bool *moved,
    char *why, size_t len)
{
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct sl_port_params *o = &cfg->ports[i];

		if (strcmp(o->name, pp->name) == 0) {
			snprintf(why, len, i < n_conf ? "the configuration has a port of that name, "
				 "which wins" : "recorded twice");
			return 0;
		}
		if (o->type == pp->type && strcmp(o->args, pp->args) == 0) {
			snprintf(why, len, "port %s uses %s \"%s\"", o->name,
				 pp->type == SL_PORT_VHOST ? "path" : "device", pp->args);
			return 0;
		}
	}
	*moved = pp->ofport == 0 || number_used(cfg, pp->ofport);
	if (*moved) {
		uint32_t x = 1;

		while (x <= OFPP_MAX && number_used(cfg, x))
			x++;
		snprintf(why, len, "ofport %u is taken now; it gets %u", pp->ofport, x);
		pp->ofport = x;
	}
	return 1;
}

/* Split @words (modified) into @argv; the count. */
static unsigned int
split(char *words, char **argv, unsigned int max)
{
	unsigned int n = 0;
	char *save = NULL;

	for (char *w = strtok_r(words, " ", &save); w && n < max; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	return n;
}

/* Record @i of @r into @cfg, or not; whether @r changed. */
static bool
merge_one(struct sl_config *cfg, unsigned int n_conf, struct recs *r, unsigned int *i,
	  const char *path, FILE *log)
{
	struct rec *rc = &r->v[*i];
	char copy[LINE_MAX_LEN], why[1024] = "", *argv[128];
	struct sl_port_params pp;
	bool moved = false;
	unsigned int n;
	int ok;

	snprintf(copy, sizeof(copy), "%s", rc->words);
	n = split(copy, argv, 128);
	if (sl_config_parse_port(rc->name, argv, n, &pp, why, sizeof(why)) < 0)
		ok = 0;
	else
		ok = fit(cfg, n_conf, &pp, &moved, why, sizeof(why));
	if (!ok) {
		fprintf(log, "sluiced: run-time port %s (%s: \"%s\") left out and forgotten: %s\n",
			rc->name, path, rc->words, why);
		drop(r, rc->name);
		(*i)--; /* the next record moved into this one's place */
		return true;
	}
	if (moved) {
		fprintf(log, "sluiced: run-time port %s (%s): %s (rules name it by the old "
			"number)\n", rc->name, path, why);
		join_words(rc->words, sizeof(rc->words), argv, n, pp.ofport);
	}
	cfg->xconnect[cfg->n_ports] = -1;
	cfg->ports[cfg->n_ports++] = pp;
	fprintf(log, "sluiced: run-time port %s: ofport %u, recorded in %s (sluicectl add-port)\n",
		pp.name, pp.ofport, path);
	return moved;
}

/* Does a process accept connections on Unix socket @path? */
static bool
socket_alive(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;
	bool alive;

	if (strlen(path) >= sizeof(sa.sun_path))
		return false;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	alive = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	if (fd >= 0)
		close(fd);
	return alive;
}

int
sl_runtime_ports_merge(struct sl_config *cfg, const char *path, const char *mgmt_socket,
		       FILE *log)
{
	unsigned int n_conf = cfg->n_ports;
	char err[1024], bad[4200];
	bool changed = false;
	struct recs r;
	int added;

	if (mgmt_socket && access(path, F_OK) == 0 && socket_alive(mgmt_socket)) {
		fprintf(log, "sluiced: run-time ports in %s not added: a running sluiced answers on "
			"%s, they are its ports\n", path, mgmt_socket);
		return -1;
	}
	if (load(path, &r, err, sizeof(err)) < 0) {
		snprintf(bad, sizeof(bad), "%s.bad", path);
		fprintf(log, "sluiced: run-time ports not added: %s; the file is set aside as "
			"%s%s\n", err, bad, rename(path, bad) == 0 ? "" : " (failed)");
		free(r.v);
		return -1;
	}
	if (r.n && cfg->xconnect_only) {
		fprintf(log, "sluiced: run-time ports in %s not added: a static cross-connect has "
			"a fixed set of ports\n", path);
		free(r.v);
		return 0;
	}
	for (unsigned int i = 0; i < r.n; i++) {
		if (cfg->n_ports == SL_MAX_PORTS) {
			fprintf(log, "sluiced: run-time port %s not added: %d ports at most\n",
				r.v[i].name, SL_MAX_PORTS);
			continue;
		}
		changed |= merge_one(cfg, n_conf, &r, &i, path, log);
	}
	added = (int)(cfg->n_ports - n_conf);
	if (changed && save(path, &r, err, sizeof(err)) < 0)
		fprintf(log, "sluiced: run-time ports: %s\n", err);
	free(r.v);
	return added;
}
