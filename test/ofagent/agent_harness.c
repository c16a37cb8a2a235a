/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenFlow agent with a real pipeline and the fake runtime (3 ports),
 * listening on ptcp:PORT (0: any free port) so that real controllers and
 * ovs-ofctl can drive it without EAL or hugepages.
 *
 *   agent_harness PORT [--active tcp:IP:PORT] [--seconds N]
 *                      [--pin-every-ms N] [--dpid N]
 *
 * Prints "listening on PORT" once ready, then runs until SIGTERM/SIGINT or
 * N seconds. --pin-every-ms injects a table-miss packet-in (in_port 1)
 * periodically, so controller apps see packet-ins.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_dp.h"
#include "sl_agent.h"
#include "sl_pipeline.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	static struct fake_dp dp;
	struct sl_agent_config cfg = { 0 };
	struct sl_pipeline_config pc = { 0 };
	struct sl_agent *agent = NULL;
	struct sl_pipeline *pl;
	char ptcp[64], err[256];
	unsigned int seconds = 0, pin_every = 0;
	uint64_t start, next_pin;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PORT [--active tcp:IP:PORT] [--seconds N] "
			"[--pin-every-ms N] [--dpid N]\n", argv[0]);
		return 2;
	}
	snprintf(ptcp, sizeof(ptcp), "ptcp:%s", argv[1]);
	cfg.targets[cfg.n_targets++] = ptcp;
	cfg.datapath_id = 0x5100;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--active") == 0)
			cfg.targets[cfg.n_targets++] = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = (unsigned int)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--pin-every-ms") == 0)
			pin_every = (unsigned int)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--dpid") == 0)
			cfg.datapath_id = strtoull(argv[i + 1], NULL, 0);
	}
	fake_dp_init(&dp, 3);
	pc.on_removed = sl_agent_rule_removed;
	pc.cb_ctx = &agent;
	pl = sl_pipeline_create(&pc);
	if (pl == NULL) {
		fprintf(stderr, "pipeline: out of memory\n");
		return 1;
	}
	dp.pl = pl;
	cfg.max_backoff_ms = 1000;
	agent = sl_agent_create(&cfg, &fake_dp_ops, &dp, pl, err, sizeof(err));
	if (agent == NULL) {
		fprintf(stderr, "agent: %s\n", err);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("listening on %u\n", sl_agent_listen_port(agent, 0));
	fflush(stdout);
	start = now_ms();
	next_pin = start + pin_every;
	while (!stop && (seconds == 0 || now_ms() - start < seconds * 1000ull)) {
		sl_agent_run(agent, 10);
		if (pin_every && now_ms() >= next_pin) {
			fake_dp_inject_pin(&dp, 0 /* OFPR_NO_MATCH */, 0, 0, 1, 0, 0xffff, 60);
			next_pin += pin_every;
		}
	}
	sl_agent_destroy(agent);
	agent = NULL;
	sl_pipeline_destroy(pl);
	return 0;
}
