/* SPDX-License-Identifier: BSD-3-Clause */
/* Ports added at run time and the numbers of those deleted since, kept
 * for the next start and the next add (sl_runtime_ports.h). */
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
/* The previous release's number file: PATH's stem and this (load_legacy()). */
#define LEGACY_SUFFIX ".ofports"

_Static_assert(SL_PORT_NAME_MAX == 64, "the %63s conversions below");

/* A port to bring back at the next start. */
struct rec {
	char name[SL_PORT_NAME_MAX];
	uint32_t ofport;          /* its ofport= word; 0: none that reads */
	char words[LINE_MAX_LEN]; /* KEY=VALUE words, one space apart */
};

/* The number of a port deleted since, for its name's next add. */
struct gone {
	char name[SL_PORT_NAME_MAX];
	uint32_t ofport;
};

/* The file, read. */
struct recs {
	struct rec *v;       /* ports, in the order they were added */
	unsigned int n;
	struct gone *gone;   /* numbers of deleted ports, oldest first */
	unsigned int n_gone;
	bool legacy;         /* the previous release's number file was read */
};

static void
recs_free(struct recs *r)
{
	free(r->v);
	free(r->gone);
}

/* The number in @words' ofport= word; 0 when there is none that reads. */
static uint32_t
words_ofport(const char *words)
{
	const char *w = words, *hit = NULL;
	unsigned long x;
	char *end;

	for (; (w = strstr(w, "ofport=")) != NULL; w += 7)
		if (w == words || w[-1] == ' ')
			hit = w;
	if (hit == NULL)
		return 0;
	x = strtoul(hit + 7, &end, 10);
	return (*end == ' ' || *end == '\0') && x > 0 && x <= OFPP_MAX ? (uint32_t)x : 0;
}

/* Does a record, port or gone, hold @name or number @x? */
static bool
known(const struct recs *r, const char *name, uint32_t x)
{
	for (unsigned int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, name) == 0 || r->v[i].ofport == x)
			return true;
	for (unsigned int i = 0; i < r->n_gone; i++)
		if (strcmp(r->gone[i].name, name) == 0 || r->gone[i].ofport == x)
			return true;
	return false;
}

/* Remember number @x for @name, the oldest forgotten when they are too many. */
static void
add_gone(struct recs *r, const char *name, uint32_t x)
{
	if (r->n_gone == SL_RUNTIME_PORTS_GONE_MAX)
		memmove(&r->gone[0], &r->gone[1], (size_t)--r->n_gone * sizeof(r->gone[0]));
	snprintf(r->gone[r->n_gone].name, sizeof(r->gone[0].name), "%s", name);
	r->gone[r->n_gone++].ofport = x;
}

/* Forget the numbers remembered for @name, and number @x for any name. */
static void
drop_gone(struct recs *r, const char *name, uint32_t x)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < r->n_gone; i++)
		if (strcmp(r->gone[i].name, name) != 0 && r->gone[i].ofport != x)
			r->gone[k++] = r->gone[i];
	r->n_gone = k;
}

/* A port line's "NAME KEY=VALUE..." (@line modified). */
static int
load_port(struct recs *r, char *line, const char *path, unsigned int lno, char *err,
	  size_t errlen)
{
	char *sp = strchr(line, ' ');
	struct rec *p = &r->v[r->n];

	if (sp == NULL || (size_t)(sp - line) >= SL_PORT_NAME_MAX || r->n == SL_RUNTIME_PORTS_MAX) {
		snprintf(err, errlen, "%s:%u: expected NAME KEY=VALUE... (%u ports at most)", path,
			 lno, SL_RUNTIME_PORTS_MAX);
		return -1;
	}
	*sp = '\0';
	memcpy(p->name, line, (size_t)(sp - line) + 1); /* checked above */
	if (strlen(sp + 1) >= sizeof(p->words)) {
		snprintf(err, errlen, "%s:%u: line too long", path, lno);
		return -1;
	}
	memcpy(p->words, sp + 1, strlen(sp + 1) + 1);
	p->ofport = words_ofport(p->words);
	r->n++;
	return 0;
}

/* A line after the header, in format @fmt (@line modified). */
static int
load_line(struct recs *r, char *line, long fmt, const char *path, unsigned int lno, char *err,
	  size_t errlen)
{
	char name[SL_PORT_NAME_MAX];
	unsigned long x;
	int end = 0;

	if (fmt == 1) /* the previous release's: NAME KEY=VALUE... */
		return load_port(r, line, path, lno, err, errlen);
	if (strncmp(line, "port ", 5) == 0)
		return load_port(r, line + 5, path, lno, err, errlen);
	if (strncmp(line, "gone ", 5) == 0 && r->n_gone < SL_RUNTIME_PORTS_GONE_MAX &&
	    sscanf(line + 5, "%63s ofport=%lu%n", name, &x, &end) == 2 && line[5 + end] == '\0' &&
	    x > 0 && x <= OFPP_MAX) {
		add_gone(r, name, (uint32_t)x);
		return 0;
	}
	snprintf(err, errlen, "%s:%u: expected \"port NAME KEY=VALUE...\" or \"gone NAME "
		 "ofport=N\" (%u of these at most)", path, lno, SL_RUNTIME_PORTS_GONE_MAX);
	return -1;
}

/* The header line's format, or -1 with @err set. */
static long
load_header(const char *line, const char *path, unsigned int lno, char *err, size_t errlen)
{
	long fmt;

	if (sscanf(line, HEADER " %ld", &fmt) != 1) {
		snprintf(err, errlen, "%s:%u: not a run-time ports file (expected \"" HEADER
			 " %d\")", path, lno, SL_RUNTIME_PORTS_FORMAT);
		return -1;
	}
	if (fmt != 1 && fmt != SL_RUNTIME_PORTS_FORMAT) {
		snprintf(err, errlen, "%s: format %ld, this release reads formats 1 and %d only",
			 path, fmt, SL_RUNTIME_PORTS_FORMAT);
		return -1;
	}
	return fmt;
}

/* The previous release's number file beside @path (PATH's stem and
 * LEGACY_SUFFIX) into @out; false when @path has no such stem. */
static bool
legacy_path(const char *path, char *out, size_t size)
{
	size_t len = strlen(path);

	if (len < 6 || strcmp(path + len - 6, ".ports") != 0 ||
	    (size_t)snprintf(out, size, "%.*s" LEGACY_SUFFIX, (int)(len - 6), path) >= size)
		return false;
	return true;
}

/* The previous release kept the numbers in a file of their own, "NAME
 * NUMBER" lines: those of names and numbers @r does not hold are added as
 * gone, so that an upgrade keeps them; a line that does not read is
 * passed over, as that release did (a port then gets a new number, never a
 * wrong one). The file is removed once @r is written (save()). */
static void
load_legacy(struct recs *r, const char *path)
{
	char old[4096], line[SL_PORT_NAME_MAX + 32];
	FILE *f;

	if (!legacy_path(path, old, sizeof(old)) || (f = fopen(old, "r")) == NULL)
		return;
	r->legacy = true;
	while (fgets(line, sizeof(line), f)) {
		char name[SL_PORT_NAME_MAX];
		unsigned long x;
		int end = 0;

		if (sscanf(line, "%63s %lu%n", name, &x, &end) == 2 && x > 0 && x <= OFPP_MAX &&
		    (line[end] == '\n' || line[end] == '\0') && !known(r, name, (uint32_t)x))
			add_gone(r, name, (uint32_t)x);
	}
	fclose(f);
}

/* Read @path into @r (empty when the file is missing), and the previous
 * release's number file beside it. -1 with @err set when it is not a file
 * of these formats: refused whole, never guessed at. */
static int
load(const char *path, struct recs *r, char *err, size_t errlen)
{
	char line[LINE_MAX_LEN + SL_PORT_NAME_MAX + 8];
	unsigned int lno = 0;
	long fmt = 0;
	FILE *f;

	*r = (struct recs){ .v = calloc(SL_RUNTIME_PORTS_MAX, sizeof(*r->v)),
			    .gone = calloc(SL_RUNTIME_PORTS_GONE_MAX, sizeof(*r->gone)) };
	if (r->v == NULL || r->gone == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f = fopen(path, "r");
	if (f == NULL && errno != ENOENT) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (f && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");

		lno++;
		if (line[len] != '\n' && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line longer than %u bytes", path, lno,
				 LINE_MAX_LEN);
			goto bad;
		}
		line[len] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (fmt == 0)
			fmt = load_header(line, path, lno, err, errlen);
		else if (load_line(r, line, fmt, path, lno, err, errlen) < 0)
			fmt = -1;
		if (fmt < 0)
			goto bad;
	}
	if (f)
		fclose(f);
	load_legacy(r, path);
	return 0;
bad:
	fclose(f);
	return -1;
}

/* Write @r to @path through a temporary file and a rename; the previous
 * release's number file, folded in, goes then. */
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
	fprintf(f, HEADER " %d\n# port: added at run time (sluicectl add-port), brought back at "
		"the next start; gone: deleted since (del-port), its number given back when "
		"the name is added again; written by sluiced\n", SL_RUNTIME_PORTS_FORMAT);
	for (unsigned int i = 0; i < r->n; i++)
		fprintf(f, "port %s %s\n", r->v[i].name, r->v[i].words);
	for (unsigned int i = 0; i < r->n_gone; i++)
		fprintf(f, "gone %s ofport=%u\n", r->gone[i].name, r->gone[i].ofport);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	} else if (r->legacy && legacy_path(path, tmp, sizeof(tmp))) {
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

/* Port record @i is brought back no more; its number stays remembered for
 * its name, unless another record of that name is brought back. */
static void
retire(struct recs *r, unsigned int i)
{
	struct rec *p = &r->v[i];
	bool twice = false;

	for (unsigned int k = 0; k < r->n; k++)
		twice |= k != i && strcmp(r->v[k].name, p->name) == 0;
	if (p->ofport && !twice) {
		drop_gone(r, p->name, p->ofport);
		add_gone(r, p->name, p->ofport);
	}
	memmove(p, p + 1, (size_t)(r->n - i - 1) * sizeof(*p));
	r->n--;
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
	drop_gone(&r, name, ofport); /* the number is this name's now */
	if (r.n == SL_RUNTIME_PORTS_MAX) {
		snprintf(err, errlen, "%s: %u ports recorded already", path, r.n);
		goto out;
	}
	if (join_words(r.v[r.n].words, sizeof(r.v[r.n].words), words, n_words, ofport) < 0) {
		snprintf(err, errlen, "the port's words are longer than %u bytes", LINE_MAX_LEN);
		goto out;
	}
	snprintf(r.v[r.n].name, sizeof(r.v[r.n].name), "%s", name);
	r.v[r.n++].ofport = ofport;
	rc = save(path, &r, err, errlen);
out:
	recs_free(&r);
	return rc;
}

int
sl_runtime_ports_forget(const char *path, const char *name, char *err, size_t errlen)
{
	struct recs r;
	int rc = -1;

	if (load(path, &r, err, errlen) == 0) {
		rc = 0;
		for (unsigned int i = 0; i < r.n; i++)
			if (strcmp(r.v[i].name, name) == 0) {
				retire(&r, i);
				rc = save(path, &r, err, errlen);
				break;
			}
	}
	recs_free(&r);
	return rc;
}

/* Is @x one of @used? */
static bool
in_use(uint32_t x, const uint32_t *used, unsigned int n_used)
{
	for (unsigned int i = 0; i < n_used; i++)
		if (used[i] == x)
			return true;
	return false;
}

/* Is number @x recorded, port or gone, for a name other than @name? */
static bool
held_by_other(const struct recs *r, const char *name, uint32_t x)
{
	for (unsigned int i = 0; i < r->n; i++)
		if (r->v[i].ofport == x && strcmp(r->v[i].name, name) != 0)
			return true;
	for (unsigned int i = 0; i < r->n_gone; i++)
		if (r->gone[i].ofport == x && strcmp(r->gone[i].name, name) != 0)
			return true;
	return false;
}

/* The number recorded for @name, port or gone; 0 when none. */
static uint32_t
recorded_number(const struct recs *r, const char *name)
{
	for (unsigned int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].name, name) == 0 && r->v[i].ofport)
			return r->v[i].ofport;
	for (unsigned int i = 0; i < r->n_gone; i++)
		if (strcmp(r->gone[i].name, name) == 0)
			return r->gone[i].ofport;
	return 0;
}

int
sl_runtime_ports_pick(const char *path, const char *name, const uint32_t *used,
		      unsigned int n_used, uint32_t *ofport)
{
	char err[1024];
	struct recs r;
	uint32_t x;

	/* a hint: a file that does not read remembers nothing (the port gets
	 * a new number, never a wrong one; recording it says what is wrong) */
	if (load(path, &r, err, sizeof(err)) < 0)
		r.n = r.n_gone = 0;
	x = recorded_number(&r, name);
	/* at most n_used + r.n + r.n_gone numbers are excluded: well below OFPP_MAX */
	if (x == 0 || in_use(x, used, n_used))
		for (x = 1; x <= OFPP_MAX; x++)
			if (!in_use(x, used, n_used) && !held_by_other(&r, name, x))
				break;
	recs_free(&r);
	if (x > OFPP_MAX)
		return -1;
	*ofport = x;
	return 0;
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
 * Returns 1 to add, 0 to leave it out (retire()). */
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
		retire(r, *i);
		(*i)--; /* the next record moved into this one's place */
		return true;
	}
	if (moved) {
		fprintf(log, "sluiced: run-time port %s (%s): %s (rules name it by the old "
			"number)\n", rc->name, path, why);
		join_words(rc->words, sizeof(rc->words), argv, n, pp.ofport);
		rc->ofport = pp.ofport;
		drop_gone(r, rc->name, pp.ofport);
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
	bool changed = false, owned;
	struct recs r;
	int added;

	/* a file, this one or the previous release's number file, and an owner */
	owned = mgmt_socket && (access(path, F_OK) == 0 ||
				(legacy_path(path, bad, sizeof(bad)) && access(bad, F_OK) == 0));
	if (owned && socket_alive(mgmt_socket)) {
		fprintf(log, "sluiced: run-time ports in %s not added: a running sluiced answers on "
			"%s, they are its ports\n", path, mgmt_socket);
		return -1;
	}
	if (load(path, &r, err, sizeof(err)) < 0) {
		snprintf(bad, sizeof(bad), "%s.bad", path);
		fprintf(log, "sluiced: run-time ports not added: %s; the file is set aside as "
			"%s%s\n", err, bad, rename(path, bad) == 0 ? "" : " (failed)");
		recs_free(&r);
		return -1;
	}
	if (r.n && cfg->xconnect_only) {
		fprintf(log, "sluiced: run-time ports in %s not added: a static cross-connect has "
			"a fixed set of ports\n", path);
		recs_free(&r);
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
	changed |= r.legacy; /* written in this release's format, the old file gone */
	if (changed && save(path, &r, err, sizeof(err)) < 0)
		fprintf(log, "sluiced: run-time ports: %s\n", err);
	recs_free(&r);
	return added;
}
