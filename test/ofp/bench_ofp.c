/* Benchmark: flow-mod decode, decode+validate and encode rates (msgs/s).
 * Rates use this process's CPU time (single thread), so a loaded machine
 * skews them less than wall time would; wall-clock rates are printed too.
 * Usage: bench_ofp [SECONDS_PER_CASE]   (prints numbers, asserts nothing) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofp_corpus.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

enum bench_op { OP_DECODE, OP_DECODE_VALIDATE, OP_ENCODE };

static void run(const char *label, enum bench_op op, const struct sl_ofp_msg *msg,
		const uint8_t *wire, size_t len, double secs)
{
	struct sl_ofp_buf out = { 0 };
	unsigned long n = 0, batch = 1000;
	double t0 = now(), t, w0 = clock_s(CLOCK_MONOTONIC);
	volatile unsigned long sink = 0;
	do {
		for (unsigned long i = 0; i < batch; i++) {
			struct sl_ofp_msg m;
			struct sl_ofp_error err;
			if (op == OP_ENCODE) {
				out.len = 0;
				if (sl_ofp_encode(msg, &out) != 0)
					abort();
				sink += out.len;
				continue;
			}
			if (sl_ofp_decode(wire, len, &m, &err) != 0)
				abort();
			if (op == OP_DECODE_VALIDATE && sl_ofp_validate(&m, &err) != 0)
				abort();
			sink += m.u.flow_mod.n_instructions;
			sl_ofp_msg_free(&m);
		}
		n += batch;
		t = now();
	} while (t - t0 < secs);
	double rate = (double)n / (t - t0);
	double wall = (double)n / (clock_s(CLOCK_MONOTONIC) - w0);
	printf("%-20s %10.0f msgs/s  %7.1f ns/msg  %6.1f MB/s  (wall: %.0f msgs/s)\n", label,
	       rate, 1e9 / rate, rate * (double)len / 1e6, wall);
	sl_ofp_buf_free(&out);
	(void)sink;
}

static void bench_msg(const char *name, const struct sl_ofp_msg *msg, double secs)
{
	struct sl_ofp_buf wire = { 0 };
	if (sl_ofp_encode(msg, &wire) != 0)
		abort();
	char label[128];
	printf("%s: %zu bytes, %u match fields, %u instructions\n", name, wire.len,
	       msg->u.flow_mod.match.n_fields, msg->u.flow_mod.n_instructions);
	snprintf(label, sizeof(label), "  decode");
	run(label, OP_DECODE, msg, wire.data, wire.len, secs);
	snprintf(label, sizeof(label), "  decode+validate");
	run(label, OP_DECODE_VALIDATE, msg, wire.data, wire.len, secs);
	snprintf(label, sizeof(label), "  encode");
	run(label, OP_ENCODE, msg, wire.data, wire.len, secs);
	sl_ofp_buf_free(&wire);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	struct ofp_corpus *c = malloc(sizeof(*c));
	if (c == NULL)
		return 1;
	ofp_corpus_build(c);
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, "flow_mod") == 0)
			bench_msg("flow_mod (5-field match, meter+apply(5 actions)+metadata+goto)",
				  &c->v[i].msg, secs);
	/* the smallest useful flow-mod: in_port match, one output */
	struct sl_ofp_msg small;
	sl_ofp_msg_init(&small, OFPT_FLOW_MOD, 1);
	struct sl_ofp_oxm in_port;
	sl_ofp_oxm_set_basic(&in_port, OFPXMT_OFB_IN_PORT, 1, NULL);
	struct sl_ofp_action out = { .type = OFPAT_OUTPUT, .u.output = { 2, 0 } };
	struct sl_ofp_instruction apply = { .type = OFPIT_APPLY_ACTIONS,
					    .u.actions = { &out, 1 } };
	small.u.flow_mod.buffer_id = OFP_NO_BUFFER;
	small.u.flow_mod.out_port = OFPP_ANY;
	small.u.flow_mod.out_group = OFPG_ANY;
	small.u.flow_mod.match = (struct sl_ofp_match){ OFPMT_OXM, &in_port, 1 };
	small.u.flow_mod.instructions = &apply;
	small.u.flow_mod.n_instructions = 1;
	bench_msg("flow_mod (in_port=1 actions=output:2)", &small, secs);
	ofp_corpus_free(c);
	free(c);
	return 0;
}
