/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow-setup benchmark of the agent: N OFPFC_ADD flow-mods (distinct
 * ipv4_dst /32 rules, apply output), pre-encoded, sent over loopback TCP
 * to the agent (real pipeline, fake runtime), then a barrier; prints rules
 * applied per second, including decode, validation, conversion, classifier
 * insert and the barrier. One thread drives both ends, as the control lcore
 * would be the only one busy.
 *
 *   bench_flowmod [N] [tables]     (default 100000 rules in 1 table)
 *   bench_flowmod reactive [N]     (default 20000)
 *
 * "reactive": the controller loop as the agent sees it. N table-miss
 * packet-ins are injected (as workers would), in batches of 64; the
 * test controller answers each with a flow-mod (one new /32 rule) and a
 * packet-out (output:2, translated by the pipeline); then a barrier.
 * Prints flow setups per second (packet-in encode + flow-mod + packet-out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "agent_fixture.h"
#include "sl_heap.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process: on a shared machine the
 * wall clock also counts time other processes held the CPU. */
static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int
encode_flow_mods(unsigned int n, unsigned int n_tables, struct sl_ofp_buf *out)
{
	for (unsigned int i = 0; i < n; i++) {
		struct sl_ofp_msg m;
		struct sl_ofp_oxm *ox;
		int rc;

		build_flow_mod(&m, OFPFC_ADD, (uint8_t)(i % n_tables), (uint16_t)(100 + i % 1000),
			       0, 0x0800, 1 + i % 3);
		ox = sl_ofp_msg_alloc(&m, 2 * sizeof(*ox));
		if (ox == NULL)
			return -1;
		ox[0] = m.u.flow_mod.match.fields[0];
		sl_ofp_oxm_set_basic(&ox[1], 12 /* ipv4_dst */, 0x0a000000u + i, NULL);
		m.u.flow_mod.match.fields = ox;
		m.u.flow_mod.match.n_fields = 2;
		m.xid = i + 1;
		rc = sl_ofp_encode(&m, out);
		sl_ofp_msg_free(&m);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static void
pin_cfg(struct sl_agent_config *cfg)
{
	cfg->pin_rate_pps = 10000000;
	cfg->pin_burst = 10000000;
}

static int
answer_packet_in(const uint8_t *pin, long len, uint32_t i)
{
	struct sl_ofp_msg m, po;
	struct sl_ofp_error err;
	struct sl_ofp_action *a;

	if (sl_ofp_decode(pin, (size_t)len, &m, &err) != 0)
		return -1;
	/* flow-mod: in_port=1,ip,ipv4_dst=10.x/32 -> output:2 */
	build_flow_mod(&po, OFPFC_ADD, 0, 100, 1, 0x0800, 2);
	{
		struct sl_ofp_oxm *ox = sl_ofp_msg_alloc(&po, 3 * sizeof(*ox));

		ox[0] = po.u.flow_mod.match.fields[0];
		ox[1] = po.u.flow_mod.match.fields[1];
		sl_ofp_oxm_set_basic(&ox[2], 12, 0x0a000000u + i, NULL);
		po.u.flow_mod.match.fields = ox;
		po.u.flow_mod.match.n_fields = 3;
	}
	ofc_send(&fx.c, &po);
	sl_ofp_msg_free(&po);
	sl_ofp_msg_init(&po, OFPT_PACKET_OUT, 0);
	a = sl_ofp_msg_alloc(&po, sizeof(*a));
	a->type = OFPAT_OUTPUT;
	a->u.output.port = 2;
	po.u.packet_out.buffer_id = OFP_NO_BUFFER;
	po.u.packet_out.in_port = 1;
	po.u.packet_out.actions = a;
	po.u.packet_out.n_actions = 1;
	po.u.packet_out.data = m.u.packet_in.data;
	po.u.packet_out.data_len = m.u.packet_in.data_len;
	ofc_send(&fx.c, &po);
	sl_ofp_msg_free(&po);
	sl_ofp_msg_free(&m);
	return 0;
}

static int
bench_reactive(unsigned int n)
{
	static uint8_t msg[65536];
	struct sl_ofp_msg m;
	struct sl_agent_stats st;
	unsigned int done = 0;
	double t0, t1, c0, c1;

	if (fixture_up(pin_cfg) != 0)
		return 1;
	c0 = cpu_s();
	fx.dp.n_pouts = FAKE_MAX_POUTS; /* do not record, still translate */
	t0 = now_s();
	while (done < n) {
		unsigned int batch = n - done < 64 ? n - done : 64;

		for (unsigned int i = 0; i < batch; i++)
			fake_dp_inject_pin(&fx.dp, OFPR_NO_MATCH, 0, 0, 1, 0, OFPCML_NO_BUFFER, 64);
		for (unsigned int i = 0; i < batch; i++) {
			long len;

			do
				len = ofc_recv(&fx.c, msg, sizeof(msg), 2000);
			while (len > 0 && msg[1] != OFPT_PACKET_IN);
			if (len <= 0 || answer_packet_in(msg, len, done) != 0) {
				fprintf(stderr, "lost packet-in %u\n", done);
				return 1;
			}
			done++;
		}
	}
	sl_ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 0);
	ofc_send(&fx.c, &m);
	if (ofc_wait(&fx.c, OFPT_BARRIER_REPLY, &m, 600000) != 0)
		return 1;
	sl_ofp_msg_free(&m);
	t1 = now_s();
	c1 = cpu_s();
	sl_agent_get_stats(fx.agent, &st);
	printf("reactive: %u packet-ins, %lu flow-mods, %lu packet-outs, %u rules, %lu errors\n",
	       n, (unsigned long)st.flow_mods, (unsigned long)st.packet_outs,
	       sl_pipeline_table_count(fx.pl, 0), (unsigned long)st.errors_sent);
	printf("time: %.3f s => %.0f flow setups/s (packet-in + flow-mod + packet-out)\n",
	       t1 - t0, n / (t1 - t0));
	printf("cpu: %.3f s (agent and test controller together) => %.0f setups per CPU-second\n",
	       c1 - c0, n / (c1 - c0));
	fixture_down();
	return st.flow_mods == n ? 0 : 1;
}

int
main(int argc, char **argv)
{
	unsigned int n;
	unsigned int n_tables = argc > 2 ? (unsigned int)atoi(argv[2]) : 1;
	struct sl_ofp_buf buf = { 0 };
	struct sl_agent_stats st;
	uint32_t count = 0;
	double t0, t1, c0, c1;

	/* As sluiced: the heap on transparent huge pages (SLUICE_HEAP_THP=0: not). */
	sl_heap_thp_reexec(argv);
	{
		const char *tun = getenv("GLIBC_TUNABLES");

		printf("heap: %s\n", tun && strstr(tun, "glibc.malloc.hugetlb=1") ?
		       "glibc.malloc.hugetlb=1 (transparent huge pages)" : "default pages");
	}
	if (argc > 1 && strcmp(argv[1], "reactive") == 0)
		return bench_reactive(argc > 2 ? (unsigned int)atoi(argv[2]) : 20000);
	n = argc > 1 ? (unsigned int)atoi(argv[1]) : 100000;
	if (n_tables < 1 || n_tables > 254)
		n_tables = 1;
	if (fixture_up(NULL) != 0 || encode_flow_mods(n, n_tables, &buf) != 0) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	t0 = now_s();
	c0 = cpu_s();
	ofc_send_raw(&fx.c, buf.data, buf.len);
	if (ofc_barrier(&fx.c) != 0) {
		/* A barrier reply may take longer than the helper's 2 s wait. */
		struct sl_ofp_msg m;

		if (ofc_wait(&fx.c, OFPT_BARRIER_REPLY, &m, 600000) != 0) {
			fprintf(stderr, "no barrier reply\n");
			return 1;
		}
		sl_ofp_msg_free(&m);
	}
	t1 = now_s();
	c1 = cpu_s();
	sl_agent_get_stats(fx.agent, &st);
	for (unsigned int t = 0; t < n_tables; t++)
		count += sl_pipeline_table_count(fx.pl, (uint8_t)t);
	printf("flow-mods: %u sent, %lu applied, %u rules in %u table(s), %lu errors\n", n,
	       (unsigned long)st.flow_mods, count, n_tables, (unsigned long)st.errors_sent);
	printf("bytes: %zu (%.1f per flow-mod)\n", buf.len, (double)buf.len / n);
	printf("time to barrier reply: %.3f s => %.0f flow-mods/s\n", t1 - t0, n / (t1 - t0));
	printf("cpu: %.3f s => %.0f flow-mods per CPU-second\n", c1 - c0, n / (c1 - c0));
	sl_ofp_buf_free(&buf);
	fixture_down();
	return st.flow_mods == n ? 0 : 1;
}
