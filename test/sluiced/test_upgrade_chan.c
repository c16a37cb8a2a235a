/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hand-over channel (sluiced/upgrade/upgrade_chan.h) on a socketpair:
 * messages in two parts arrive whole, descriptors passed with them work in
 * the receiver, a peer that goes away or sends garbage is an error, not a
 * hang; the port records' version (another one refused with both
 * numbers, never read as this one's); and the hugepage pre-flight on fake
 * /proc/meminfo files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cunit_main.h"
#include "sl_upgrade.h"
#include "upgrade_chan.h"

static int sp[2];

static void
pair(void)
{
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0);
}

static void
unpair(void)
{
	close(sp[0]);
	close(sp[1]);
}

/* Two payload parts and two pipe ends; the received write end reaches our
 * read end, so it is the same pipe and not a copy of a number. */
static void
test_message_and_fds(void)
{
	static uint8_t big[300000];
	const char head[] = "head";
	struct up_msg m;
	int p1[2], p2[2], fds[2];
	char buf[8] = "";

	pair();
	CU_ASSERT_FATAL(pipe(p1) == 0 && pipe(p2) == 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	fds[0] = p1[1];
	fds[1] = p2[1];
	/* a reader on the other side, as the big payload exceeds the buffer */
	pid_t child = fork();
	int status = -1;

	CU_ASSERT_FATAL(child >= 0);
	if (child == 0) {
		int rc = up_send(sp[0], UP_HELLO, head, sizeof(head), big, sizeof(big), fds, 2, 5000);

		_exit(rc == 0 ? 0 : 1);
	}
	CU_ASSERT_FATAL(up_recv(sp[1], &m, 5000) == 0);
	CU_ASSERT_EQUAL(m.type, UP_HELLO);
	CU_ASSERT_EQUAL(m.len, sizeof(head) + sizeof(big));
	CU_ASSERT_EQUAL(memcmp(m.payload, head, sizeof(head)), 0);
	CU_ASSERT_EQUAL(memcmp(m.payload + sizeof(head), big, sizeof(big)), 0);
	CU_ASSERT_EQUAL_FATAL(m.n_fds, 2);
	CU_ASSERT_EQUAL(write(m.fds[1], "x", 1), 1);
	CU_ASSERT_EQUAL(read(p2[0], buf, 1), 1);
	CU_ASSERT_EQUAL(buf[0], 'x');
	up_msg_free(&m);
	CU_ASSERT_EQUAL(m.n_fds, 0);
	CU_ASSERT_EQUAL(waitpid(child, &status, 0), child);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (int i = 0; i < 2; i++) {
		close(p1[i]);
		close(p2[i]);
	}
	unpair();
}

static void
test_peer_gone(void)
{
	struct up_msg m;

	pair();
	close(sp[0]);
	CU_ASSERT_EQUAL(up_recv(sp[1], &m, 5000), -1);
	CU_ASSERT_EQUAL(errno, EPIPE);
	close(sp[1]);
}

static void
test_garbage(void)
{
	static const char junk[16] = "GET / HTTP/1.0\r\n";
	struct up_msg m;

	pair();
	CU_ASSERT_EQUAL(write(sp[0], junk, sizeof(junk)), (ssize_t)sizeof(junk));
	CU_ASSERT_EQUAL(up_recv(sp[1], &m, 5000), -1);
	CU_ASSERT_EQUAL(errno, EPROTO);
	unpair();
}

static void
test_silent_peer(void)
{
	struct up_msg m;

	pair();
	CU_ASSERT_EQUAL(up_recv(sp[1], &m, 50), -1);
	CU_ASSERT_EQUAL(errno, ETIMEDOUT);
	unpair();
}

/* The pre-flight on a fake meminfo: free pages x page size against need. */
static void
test_preflight(void)
{
	char dir[] = "/tmp/u1-preflight.XXXXXX", path[64], err[512];
	FILE *f;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/proc", dir);
	CU_ASSERT_FATAL(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/proc/meminfo", dir);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs("HugePages_Total:    2048\nHugePages_Free:      100\nHugepagesize:       2048 kB\n",
	      f);
	fclose(f);
	setenv("SLUICE_SYSFS_ROOT", dir, 1);
	CU_ASSERT_EQUAL(sl_upgrade_preflight(200ull << 20, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(sl_upgrade_preflight(201ull << 20, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "holds 201 MiB, 200 MiB are free"));
	unsetenv("SLUICE_SYSFS_ROOT");
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", dir);
	rmdir(path);
	rmdir(dir);
}

/* HELLO and PORT records of another version, size or descriptor count are
 * refused, saying which; this build's are read. */
/* A version 2 record (the previous release: struct sl_tunnel_params without
 * its proto, the params' tail 4 bytes earlier, the same struct up_port
 * size) of a VXLAN port is read into this release's layout; @p up is a
 * current record, restored on return. */
static void
port_from_v2(struct up_port *up)
{
	const size_t tnl_end = offsetof(struct sl_port_params, tnl) +
			       offsetof(struct sl_tunnel_params, proto);
	const size_t tail = offsetof(struct sl_port_params, offloads);
	struct up_port v2 = *up, got;
	uint8_t *op = (uint8_t *)&v2.params;
	char err[512];

	up->params.type = SL_PORT_TUNNEL;
	up->params.tnl.vni = 4242;
	up->params.tnl.df = true;
	up->params.tnl.proto = SL_TNL_PROTO_GENEVE; /* what v2 cannot say */
	up->params.offloads = true;
	up->params.tx_retries = 7;
	v2 = *up;
	v2.version = 2;
	v2.params_size = 708;
	memmove(op + tnl_end, (uint8_t *)&up->params + tail, sizeof(up->params) - tail);
	memset(op + 708, 0xa5, sizeof(up->params) - 708); /* v2's padding */
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&v2, sizeof(v2), 0, &got, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(got.params.name, up->params.name);
	CU_ASSERT_EQUAL(got.params_size, sizeof(got.params));
	CU_ASSERT_EQUAL(got.params.tnl.vni, 4242);
	CU_ASSERT(got.params.tnl.df);
	CU_ASSERT_EQUAL(got.params.tnl.proto, SL_TNL_PROTO_VXLAN);
	CU_ASSERT(got.params.offloads);
	CU_ASSERT_EQUAL(got.params.tx_retries, 7);
	v2.version = 1; /* version 1: the same layout */
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&v2, sizeof(v2), 0, &got, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(got.params.tx_retries, 7);
	v2.params_size = sizeof(v2.params); /* a v2 record with v3's size: refused */
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&v2, sizeof(v2), 0, &got, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "port parameters of 712 bytes, 708 in version 1"));
	memset(&up->params.tnl, 0, sizeof(up->params.tnl));
	up->params.type = SL_PORT_VHOST;
	up->params.offloads = false;
	up->params.tx_retries = 0;
}

static void
test_port_versions(void)
{
	struct up_hello h = { .has_mgmt = 1, .n_listeners = 2,
			      .params_size = sizeof(struct sl_port_params),
			      .port_version = UP_PORT_VERSION };
	struct up_port up = { .version = UP_PORT_VERSION, .params_size = sizeof(up.params) },
		       got;
	char err[512];

	CU_ASSERT_EQUAL(up_hello_check(&h, 3, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(up_hello_check(&h, 2, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "announced 3 sockets and sent 2"));
	h.port_version = 0;
	CU_ASSERT_EQUAL(up_hello_check(&h, 3, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "port records of version 0 (a release before "
				      "versioned records), this release reads versions 1 to 3"));
	/* versions 1 and 2 (the previous releases) had a shorter sl_port_params
	 * (no tunnel protocol): taken over, with their size */
	h.port_version = 2;
	CU_ASSERT_EQUAL(up_hello_check(&h, 3, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "port parameters of 712 bytes, 708 in version 2"));
	h.params_size = 708;
	CU_ASSERT_EQUAL(up_hello_check(&h, 3, err, sizeof(err)), 0);
	h.port_version = 1;
	CU_ASSERT_EQUAL(up_hello_check(&h, 3, err, sizeof(err)), 0);
	h.params_size = sizeof(struct sl_port_params);
	h.port_version = UP_PORT_VERSION + 1;
	CU_ASSERT_EQUAL(up_hello_check(&h, 3, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "version 4, this release reads versions 1 to 3: "
				      "hand-over refused, restart instead"));
	h.port_version = UP_PORT_VERSION;
	h.params_size += 8;
	CU_ASSERT_EQUAL(up_hello_check(&h, 3, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "another build"));

	snprintf(up.params.name, sizeof(up.params.name), "vm1");
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 0, &got, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(got.params.name, "vm1");
	port_from_v2(&up);
	up.version = 0;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 0, &got, err, sizeof(err)), -1);
	/* a newer record, longer: its version is read first, whatever its length */
	up.version = UP_PORT_VERSION + 1;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up) - 16, 0, &got, err,
				     sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "port records of version 4"));
	up.version = UP_PORT_VERSION;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up) - 8, 0, &got, err, sizeof(err)),
			-1);
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, 2, 0, &got, err, sizeof(err)), -1);
	/* sockets announced and sent must agree */
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 1, &got, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "1 descriptors came for 0"));
	/* a namespace passed (a tap in another netns): one more descriptor,
	 * not an af_packet socket; announced without one: refused */
	up.flags = UP_PORT_F_NETNS | UP_PORT_F_SLOT;
	up.slot = 5;
	up.n_fds = 1;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 1, &got, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(got.slot, 5);
	up.n_fds = 0;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 0, &got, err, sizeof(err)), -1);
	/* af_packet sockets and a namespace: the sockets are n_fds - 1 */
	up.n_fds = 3;
	up.afp.n_rxq = 2;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 3, &got, err, sizeof(err)), 0);
	up.afp.n_rxq = 3;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 3, &got, err, sizeof(err)), -1);
	/* a flag this release does not know: refused, never ignored */
	up.flags = 0x80;
	up.n_fds = 0;
	up.afp.n_rxq = 0;
	CU_ASSERT_EQUAL(up_port_read((uint8_t *)&up, sizeof(up), 0, &got, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "flags 0x80"));
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "port record versions", test_port_versions },
		{ "message and fds", test_message_and_fds },
		{ "peer gone", test_peer_gone },
		{ "garbage", test_garbage },
		{ "silent peer", test_silent_peer },
		{ "preflight", test_preflight },
	};

	return cunit_run_suite("upgrade_chan", tests, CUNIT_N_TESTS(tests));
}
