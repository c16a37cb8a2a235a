/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports added at run time, recorded for the next start (sluiced's
 * runtime_ports.c, no EAL): add-port's words come back as ports of the
 * configuration with the number they got, del-port forgets them but for
 * their numbers, which a port added again by the same name gets back, a
 * configuration port of the same name wins, a number the configuration
 * took moves, a file of another format is refused whole (set aside), and
 * the previous release's two files (format 1 and the number file) are
 * read and written as one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"
#include "openflow.h"
#include "sl_config.h"
#include "sl_runtime_ports.h"

#define HEAD "[switch]\nworkers = 1\n"
#define PORT_A "[port:a]\ntype = dpdk\ndevargs = net_null0\nofport = 1\n"

static struct sl_config cfg;
static char path[256], err[1024], logbuf[8192];

static void
load_cfg(const char *text)
{
	char e[SL_CONFIG_ERR_MAX];

	CU_ASSERT_EQUAL_FATAL(sl_config_load_string(&cfg, text, "t.ini", e, sizeof(e)), 0);
}

/* Merge into cfg with the messages in logbuf; the count. */
static int
merge(void)
{
	FILE *log = fmemopen(logbuf, sizeof(logbuf), "w");
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	n = sl_runtime_ports_merge(&cfg, path, NULL, log);
	fclose(log);
	return n;
}

static int
record(const char *name, const char *line, uint32_t ofport)
{
	char copy[512], *w[16], *save = NULL;
	unsigned int n = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok_r(copy, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return sl_runtime_ports_record(path, name, w, n, ofport, err, sizeof(err));
}

static void
write_to(const char *where, const char *text)
{
	FILE *f = fopen(where, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void
write_file(const char *text)
{
	write_to(path, text);
}

/* The file as it is now, in a static buffer ("" when it cannot be read). */
static const char *
slurp(void)
{
	static char buf[1 << 18];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The number sl_runtime_ports_pick() gives @name with @used taken; 0 if none. */
static uint32_t
pick(const char *name, const uint32_t *used, unsigned int n_used)
{
	uint32_t x = 0;

	CU_ASSERT_EQUAL(sl_runtime_ports_pick(path, name, used, n_used, &x), 0);
	return x;
}

static void
setup(void)
{
	snprintf(path, sizeof(path), "/tmp/sl-test-rtports-%ld.ports", (long)getpid());
	unlink(path);
}

static void
test_round_trip(void)
{
	setup();
	/* no file: nothing to add */
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 0);
	CU_ASSERT_EQUAL(cfg.n_ports, 1);
	/* two ports recorded, one replaced, its given ofport= replaced by the number it got */
	CU_ASSERT_EQUAL(record("vm1", "type=vhost-user path=/tmp/x1.sock mtu=9000", 5), 0);
	CU_ASSERT_EQUAL(record("b", "type=dpdk devargs=net_null1 ofport=9", 7), 0);
	CU_ASSERT_EQUAL(record("vm1", "type=vhost-user path=/tmp/x1.sock", 6), 0);
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 2);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 3);
	CU_ASSERT_STRING_EQUAL(cfg.ports[1].name, "b");
	CU_ASSERT_EQUAL(cfg.ports[1].ofport, 7);
	CU_ASSERT_STRING_EQUAL(cfg.ports[1].args, "net_null1");
	CU_ASSERT_STRING_EQUAL(cfg.ports[2].name, "vm1");
	CU_ASSERT_EQUAL(cfg.ports[2].ofport, 6);
	CU_ASSERT_EQUAL(cfg.ports[2].type, SL_PORT_VHOST);
	CU_ASSERT_EQUAL(cfg.ports[2].mtu, 0); /* the record replaced, not merged */
	CU_ASSERT_EQUAL(cfg.xconnect[2], -1);
	/* forgotten: gone at the next start, but for its number; forgetting a
	 * name never recorded is fine */
	CU_ASSERT_EQUAL(sl_runtime_ports_forget(path, "b", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(sl_runtime_ports_forget(path, "nothere", err, sizeof(err)), 0);
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 1);
	CU_ASSERT_EQUAL(cfg.n_ports, 2);
	CU_ASSERT_STRING_EQUAL(cfg.ports[1].name, "vm1");
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(), "\nport vm1 type=vhost-user path=/tmp/x1.sock "
				      "ofport=6\ngone b ofport=7\n"));
	CU_ASSERT_EQUAL(pick("b", (const uint32_t[]){ 1, 6 }, 2), 7);
	unlink(path);
}

static void
test_config_wins(void)
{
	setup();
	CU_ASSERT_EQUAL(record("a", "type=dpdk devargs=net_null5", 4), 0);
	CU_ASSERT_EQUAL(record("c", "type=dpdk devargs=net_null0", 5), 0);  /* a's device */
	CU_ASSERT_EQUAL(record("d", "type=dpdk devargs=net_null6", 1), 0);  /* a's number */
	CU_ASSERT_EQUAL(record("e", "type=dpdk nosuchkey=1", 8), 0);        /* no longer parses */
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 1);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 2);
	/* a: the configuration's; d: moved to the lowest free number */
	CU_ASSERT_STRING_EQUAL(cfg.ports[0].args, "net_null0");
	CU_ASSERT_STRING_EQUAL(cfg.ports[1].name, "d");
	CU_ASSERT_EQUAL(cfg.ports[1].ofport, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "run-time port a ("));
	CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "the configuration has a port of that name, "
				      "which wins"));
	CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "port a uses device \"net_null0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "ofport 1 is taken now; it gets 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "run-time port e"));
	if (!strstr(logbuf, "which wins"))
		fprintf(stderr, "\n  log: %s\n", logbuf);
	/* what was left out is forgotten, the move is recorded */
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 1);
	CU_ASSERT_EQUAL(cfg.ports[1].ofport, 2);
	CU_ASSERT_PTR_NULL(strstr(logbuf, "taken now"));
	unlink(path);
}

static void
test_format(void)
{
	char bad[300];
	FILE *f;

	setup();
	snprintf(bad, sizeof(bad), "%s.bad", path);
	unlink(bad);
	/* a newer format: refused whole with both numbers, set aside */
	write_file("sluice-runtime-ports 3\nport vm1 type=dpdk devargs=net_null3 ofport=3\n");
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), -1);
	CU_ASSERT_EQUAL(cfg.n_ports, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "format 3, this release reads formats 1 and 2 "
				      "only"));
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	f = fopen(bad, "r");
	CU_ASSERT_PTR_NOT_NULL(f);
	if (f)
		fclose(f);
	/* and recording refuses to overwrite what it cannot read */
	write_file("something else\n");
	CU_ASSERT_EQUAL(record("vm1", "type=dpdk devargs=net_null3", 3), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a run-time ports file"));
	/* a damaged line of this format: the file is refused, numbers from it
	 * are none (the lowest free one), and nothing is written over it */
	write_file("sluice-runtime-ports 2\ngone vm5 ofport=3\ngone vm6 ofport=x\n");
	CU_ASSERT_EQUAL(record("vm1", "type=dpdk devargs=net_null3", 4), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":3: expected \"port NAME KEY=VALUE...\" or \"gone "
				      "NAME ofport=N\""));
	CU_ASSERT_EQUAL(pick("vm5", NULL, 0), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(), "ofport=x"));
	/* comments and blank lines are fine, in both formats */
	write_file("# hi\n\nsluice-runtime-ports 1\n# x\nvm1 type=dpdk devargs=net_null3 ofport=3\n");
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 1);
	write_file("# hi\n\nsluice-runtime-ports 2\n# x\nport vm1 type=dpdk devargs=net_null3 "
		   "ofport=3\n\ngone vm5 ofport=5\n");
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 1);
	CU_ASSERT_EQUAL(pick("vm5", NULL, 0), 5);
	/* an unwritable place says so */
	CU_ASSERT_EQUAL(sl_runtime_ports_record("/nonexistent-dir/x", "vm1", NULL, 0, 3, err,
						sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file or directory"));
	unlink(path);
	unlink(bad);
}

/* The number of a port added without one: the one its name had, else the
 * lowest one neither taken nor recorded for another name. */
static void
test_numbers(void)
{
	uint32_t used[] = { 1, 2, 3 };
	char *gones = malloc(SL_RUNTIME_PORTS_GONE_MAX * 32 + 64);
	size_t off;

	setup();
	/* nothing recorded: the lowest free number */
	CU_ASSERT_EQUAL(pick("vm9", used, 3), 4);
	CU_ASSERT_EQUAL(record("vm9", "type=dpdk devargs=net_null9", 10), 0);
	CU_ASSERT_EQUAL(record("vm8", "type=dpdk devargs=net_null8", 4), 0);
	CU_ASSERT_EQUAL(sl_runtime_ports_forget(path, "vm9", err, sizeof(err)), 0);
	/* deleted and free: the same number, after a "restart" too */
	CU_ASSERT_EQUAL(pick("vm9", used, 3), 10);
	/* a new name skips the numbers recorded for others, port or gone */
	CU_ASSERT_EQUAL(pick("vm7", used, 3), 5);
	/* recorded but taken now: a new number, and the new one sticks */
	used[2] = 10;
	CU_ASSERT_EQUAL(pick("vm9", used, 3), 3);
	CU_ASSERT_EQUAL(record("vm9", "type=dpdk devargs=net_null9", 3), 0);
	/* a number given to another name is forgotten for the first */
	CU_ASSERT_EQUAL(sl_runtime_ports_forget(path, "vm8", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(record("vm1", "type=dpdk devargs=net_null1", 4), 0);
	used[2] = 0;
	CU_ASSERT_EQUAL(pick("vm8", used, 3), 5);
	CU_ASSERT_PTR_NULL(strstr(slurp(), "vm8"));
	/* too many gone: the oldest is forgotten first */
	CU_ASSERT_PTR_NOT_NULL_FATAL(gones);
	off = (size_t)sprintf(gones, "sluice-runtime-ports 2\n");
	for (unsigned int i = 0; i < SL_RUNTIME_PORTS_GONE_MAX; i++)
		off += (size_t)sprintf(gones + off, "gone g%u ofport=%u\n", i, 1000 + i);
	write_file(gones);
	CU_ASSERT_EQUAL(record("new", "type=dpdk devargs=net_null1", 50), 0);
	CU_ASSERT_EQUAL(sl_runtime_ports_forget(path, "new", err, sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(strstr(slurp(), "gone g0 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(), "\ngone g1 ofport=1001\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(), "\ngone new ofport=50\n"));
	free(gones);
	unlink(path);
}

/* An upgrade from the previous release: its ports file (format 1) and its
 * number file (MGMT_SOCKET.ofports) are read at the start, or at the first
 * add after a hand-over, and written as one file; no number is lost. */
static void
test_upgrade_files(void)
{
	static const char *const v1 =
		"sluice-runtime-ports 1\n# ports added at run time\n"
		"vm1 type=dpdk devargs=net_null3 ofport=3\n";
	static const char *const ofports =
		"# OpenFlow numbers of ports added at run time (sluicectl add-port), by name; "
		"written by sluiced\nvm1 3\nvm2 9\nvm3 3\ngarbage\nvm4 0\n";
	char old[300];

	setup();
	snprintf(old, sizeof(old), "/tmp/sl-test-rtports-%ld.ofports", (long)getpid());
	write_file(v1);
	write_to(old, ofports);
	load_cfg(HEAD PORT_A);
	CU_ASSERT_EQUAL(merge(), 1);
	CU_ASSERT_EQUAL_FATAL(cfg.n_ports, 2);
	CU_ASSERT_STRING_EQUAL(cfg.ports[1].name, "vm1");
	CU_ASSERT_EQUAL(cfg.ports[1].ofport, 3);
	/* one file now, the numbers in it; the old one gone */
	CU_ASSERT_EQUAL(access(old, F_OK), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(), "sluice-runtime-ports 2\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(), "\nport vm1 type=dpdk devargs=net_null3 ofport=3\n"
				      "gone vm2 ofport=9\n"));
	CU_ASSERT_PTR_NULL(strstr(slurp(), "vm3")); /* its number is vm1's */
	/* a port added again after the upgrade gets its number back */
	CU_ASSERT_EQUAL(pick("vm2", (const uint32_t[]){ 1, 3 }, 2), 9);
	CU_ASSERT_EQUAL(pick("vm3", (const uint32_t[]){ 1, 3 }, 2), 2);
	/* after a hand-over there is no start: the first add reads both files */
	write_file(v1);
	write_to(old, ofports);
	CU_ASSERT_EQUAL(pick("vm2", NULL, 0), 9);
	CU_ASSERT_EQUAL(record("vm5", "type=dpdk devargs=net_null5", 5), 0);
	CU_ASSERT_EQUAL(access(old, F_OK), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(), "\nport vm1 type=dpdk devargs=net_null3 ofport=3\n"
				      "port vm5 type=dpdk devargs=net_null5 ofport=5\n"
				      "gone vm2 ofport=9\n"));
	unlink(path);
	unlink(old);
}

/* A sluiced that answers on the management socket owns the records: a
 * second one started with the same socket adds none; a stale socket file
 * (its owner gone) is no owner. */
static void
test_live_owner(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	FILE *log;
	int fd;

	setup();
	CU_ASSERT_EQUAL(record("vm1", "type=dpdk devargs=net_null3", 3), 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/sl-test-rtports-%ld.ctl", (long)getpid());
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
			listen(fd, 4) == 0);
	load_cfg(HEAD PORT_A);
	log = fmemopen(logbuf, sizeof(logbuf), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_EQUAL(sl_runtime_ports_merge(&cfg, path, sa.sun_path, log), -1);
	fclose(log);
	CU_ASSERT_EQUAL(cfg.n_ports, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(logbuf, "a running sluiced answers on"));
	close(fd); /* the file stays, nobody answers */
	log = fmemopen(logbuf, sizeof(logbuf), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_EQUAL(sl_runtime_ports_merge(&cfg, path, sa.sun_path, log), 1);
	fclose(log);
	CU_ASSERT_EQUAL(cfg.n_ports, 2);
	unlink(sa.sun_path);
	unlink(path);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "record, forget, bring back", test_round_trip },
		{ "the configuration wins", test_config_wins },
		{ "file format", test_format },
		{ "numbers given back", test_numbers },
		{ "upgrade from the previous release's files", test_upgrade_files },
		{ "a live owner", test_live_owner },
	};

	return cunit_run_suite("runtime_ports", tests, CUNIT_N_TESTS(tests));
}
