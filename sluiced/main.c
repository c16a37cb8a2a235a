/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluiced: the switch daemon. The main lcore is the control lcore; it sets
 * up the runtime, launches the workers, then polls links and waits for
 * SIGINT/SIGTERM to stop cleanly.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_pdump.h>
#include <rte_errno.h>
#include <rte_version.h>

#include "sl_config.h"
#include "sl_datapath.h"
#include "agent_ops.h"
#include "sl_agent.h"
#include "sl_check_host.h"
#include "sl_daemon_log.h"
#include "sl_eal_pci.h"
#include "sl_heap.h"
#include "sl_notify.h"
#include "sl_state.h"
#include "sl_tables.h"
#include "sl_fastpath.h"
#include "sl_learn.h"
#include "sl_neigh.h"
#include "sl_miss_handler.h"
#include "sl_capture.h"
#include "sl_mgmt_cmds.h"
#include "sl_runtime_ports.h"
#include "sl_upgrade.h"
#include "sl_version.h"

#define SL_MAX_EAL_ARGS 64

static volatile sig_atomic_t quit_signal;

/* --take-over SOCKET: the running sluiced's management socket */
static const char *takeover_sock;

static void
on_signal(int sig)
{
	quit_signal = sig;
}

static uint64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: sluiced [-c FILE] [--check-config] [--check-host] [--print-default] [--version] [-- EAL ARGS...]\n"
		"  -c, --config FILE   INI configuration (default: the embedded one)\n"
		"  --check-config      parse the configuration, print it, exit\n"
		"  --check-host        check hugepages, NUMA, CPU isolation and IOMMU for the\n"
		"                      configuration, say what to change; exit 1 on a problem\n"
		"  --print-default     print the embedded default configuration, exit\n"
		"  --version           print the version (and the DPDK built against), exit\n"
		"  --take-over SOCKET  take the switch over from the sluiced on management\n"
		"                      socket SOCKET without an outage (docs/upgrade.md)\n"
		"  -h, --help          this text\n"
		"EAL arguments after '--' are appended to [dpdk] eal_args.\n");
}

/* DPDK's own message for a failed start is often only "Cannot allocate
 * memory": say what is most often wrong on a new host, the hugepages, with
 * the numbers and the fix. */
static void
explain_eal_failure(int err)
{
	unsigned long total = 0, free_pages = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "HugePages_Total: %lu", &total);
		sscanf(line, "HugePages_Free: %lu", &free_pages);
	}
	if (f)
		fclose(f);
	if (total == 0)
		fprintf(stderr, "sluiced: no hugepages are reserved on this host: reserve some "
			"(bash scripts/setup.sh, or echo 2048 > "
			"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages) and mount "
			"hugetlbfs, or run with -- --no-huge for a test\n");
	else if (free_pages == 0)
		fprintf(stderr, "sluiced: all %lu hugepages are in use (another DPDK process?): "
			"reserve more or stop it\n", total);
	else if (err == ENOMEM || err == EACCES || err == ENOENT)
		fprintf(stderr, "sluiced: %lu of %lu hugepages free: is hugetlbfs mounted where "
			"--huge-dir (or the default) says, and are we root?\n", free_pages, total);
}

/* The -a values of the PCI ports (sl_eal_pci.h). */
static char pci_args[SL_EAL_PCI_MAX][SL_EAL_PCI_ARG_LEN];

/* argv for rte_eal_init: lcores from [switch], then [dpdk] eal_args, then
 * what followed "--" on our command line, then the PCI allow-list. */
static int
build_eal_argv(const struct sl_config *cfg, int extra_argc, char **extra_argv,
	       char **argv, char *buf, size_t buflen)
{
	int n = 0;
	size_t off = 0;
	char *save = NULL, *tok;

	argv[n++] = "sluiced";
	off += snprintf(buf + off, buflen - off, "%u", cfg->main_lcore);
	for (unsigned int i = 0; i < cfg->n_workers && off < buflen; i++)
		off += snprintf(buf + off, buflen - off, ",%u", cfg->worker_lcores[i]);
	/* eal_args' --lcores maps the lcores onto CPUs itself (e.g. two
	 * workers sharing a CPU in tests); EAL refuses -l beside it */
	if (strstr(cfg->eal_args, "--lcores") == NULL) {
		argv[n++] = "-l";
		argv[n++] = buf;
	}
	argv[n++] = "--main-lcore";
	off++;
	if (off >= buflen)
		return -1;
	argv[n++] = buf + off;
	off += snprintf(buf + off, buflen - off, "%u", cfg->main_lcore) + 1;
	if (off >= buflen)
		return -1;
	snprintf(buf + off, buflen - off, "%s", cfg->eal_args);
	for (tok = strtok_r(buf + off, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (n >= SL_MAX_EAL_ARGS - 1)
			return -1;
		argv[n++] = tok;
	}
	for (int i = 0; i < extra_argc; i++) {
		if (n >= SL_MAX_EAL_ARGS - 1)
			return -1;
		argv[n++] = extra_argv[i];
	}
	argv[n] = NULL;
	return sl_eal_pci_args(cfg, n, argv, SL_MAX_EAL_ARGS, pci_args);
}

static void
print_config(const struct sl_config *cfg)
{
	printf("config %s: datapath_id 0x%016llx, main lcore %u, %u worker(s):",
	       cfg->path, (unsigned long long)cfg->datapath_id, cfg->main_lcore, cfg->n_workers);
	for (unsigned int i = 0; i < cfg->n_workers; i++)
		printf(" %u", cfg->worker_lcores[i]);
	printf("\n");
	if (cfg->emc_insert_inv_prob)
		printf("  EMC: insertion probability 1/%u\n", cfg->emc_insert_inv_prob);
	else
		printf("  EMC: off\n");
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		const struct sl_port_params *p = &cfg->ports[i];

		printf("  port %s: ofport %u, %s \"%s\"%s", p->name, p->ofport,
		       sl_port_params_type_name(p), p->args,
		       p->type == SL_PORT_VHOST ? (p->vhost_server ? " server" : " client") : "");
		if (cfg->xconnect[i] >= 0)
			printf(" -> %s", cfg->ports[cfg->xconnect[i]].name);
		printf("\n");
	}
}

static void
print_worker_stats(const struct sl_datapath *dp)
{
	for (unsigned int i = 0; i < dp->n_workers; i++) {
		struct sl_worker_stats ws;
		const struct sl_worker_stats *s = &ws;

		sl_worker_stats_get(dp->workers[i], &ws); /* drops from the accounting */

		printf("sluiced: worker lcore %u: rx %llu tx %llu tx_dropped %llu no_output %llu "
		       "busy cycles/pkt %llu\n", dp->workers[i]->lcore,
		       (unsigned long long)s->rx_packets, (unsigned long long)s->tx_packets,
		       (unsigned long long)s->tx_dropped, (unsigned long long)s->no_output,
		       (unsigned long long)(s->rx_packets ? s->busy_cycles / s->rx_packets : 0));
		printf("sluiced: worker lcore %u: drops: port_config %llu mtu %llu runt %llu "
		       "seg %llu tx_prepare %llu\n", dp->workers[i]->lcore,
		       (unsigned long long)s->port_config_drops, (unsigned long long)s->mtu_drops,
		       (unsigned long long)s->runt_drops, (unsigned long long)s->seg_drops,
		       (unsigned long long)s->tx_prepare_drops);
		if (dp->workers[i]->fp) {
			const struct sl_fastpath_stats *f = sl_fastpath_stats(dp->workers[i]->fp);

			printf("sluiced: worker lcore %u: fast path: emc_hits %llu megaflow_hits %llu "
			       "(port_burst_hits %llu) emc_bypassed %llu misses %llu translations "
			       "%llu revalidations %llu (kept %llu) skipped %llu deferred %llu handler_sent %llu "
			       "handler_drops %llu handler_spills %llu handler_parked %llu "
			       "budget_drops %llu stats_pushes %llu lookup cycles/pkt %llu\n",
			       dp->workers[i]->lcore, (unsigned long long)f->emc_hits,
			       (unsigned long long)f->megaflow_hits,
			       (unsigned long long)f->port_burst_hits,
			       (unsigned long long)f->emc_bypassed, (unsigned long long)f->misses,
			       (unsigned long long)f->translations,
			       (unsigned long long)f->revalidations,
			       (unsigned long long)f->reval_kept,
			       (unsigned long long)f->reval_skipped,
			       (unsigned long long)f->reval_deferred,
			       (unsigned long long)f->handler_sent,
			       (unsigned long long)sl_fastpath_drops(dp->workers[i]->fp,
								      SL_DROP_MISS_HANDLER),
			       (unsigned long long)f->handler_spills,
			       (unsigned long long)f->handler_parked,
			       (unsigned long long)sl_fastpath_drops(dp->workers[i]->fp,
								      SL_DROP_MISS_BUDGET),
			       (unsigned long long)f->stats_pushes,
			       (unsigned long long)sl_fastpath_lookup_cycles_per_packet(f));
		}
	}
}

/* The agent's counters at exit: tests check that every packet-in is either
 * delivered or counted as dropped. */
static void
print_agent_stats(const struct sl_agent *a)
{
	struct sl_agent_stats st;

	if (a == NULL)
		return;
	sl_agent_get_stats(a, &st);
	printf("sluiced: agent: flow_mods %llu packet_ins_sent %llu packet_ins_rate_dropped %llu "
	       "packet_ins_meter_dropped %llu "
	       "packet_ins_queue_dropped %llu packet_ins_no_controller %llu "
	       "packet_ins_ring_dropped %llu flow_removed_sent %llu barriers %llu\n",
	       (unsigned long long)st.flow_mods, (unsigned long long)st.packet_ins_sent,
	       (unsigned long long)st.packet_ins_rate_dropped,
	       (unsigned long long)st.packet_ins_meter_dropped,
	       (unsigned long long)st.packet_ins_queue_dropped,
	       (unsigned long long)st.packet_ins_no_controller,
	       (unsigned long long)st.packet_ins_ring_dropped,
	       (unsigned long long)st.flow_removed_sent, (unsigned long long)st.barriers);
}

/* The pipeline is made before the agent; its flow-removed callback finds
 * the agent through this slot (NULL until the agent exists). */
static struct sl_agent *agent_slot;

/* The management socket (sluicectl), and what its commands see. */
static struct sl_mgmt *mgmt;
static struct sl_mgmt_ctx mgmt_ctx;

/* Open the management socket. A path the config names must work (exit
 * otherwise); the default one may be taken by another sluiced on this host
 * (tests run several): then it only warns. */
static int
start_mgmt(struct sl_datapath *dp, const struct sl_config *cfg)
{
	char err[256];

	if (cfg->mgmt_socket[0] == '\0')
		return 0;
	mgmt_ctx = (struct sl_mgmt_ctx){ .dp = dp, .agent = agent_slot,
					 .started_ms = monotonic_ms() };
	/* next to the socket: the run directory, one file per sluiced */
	snprintf(mgmt_ctx.runtime_ports, sizeof(mgmt_ctx.runtime_ports), "%s.ports",
		 cfg->mgmt_socket);
	int handed = sl_upgrade_mgmt_fd(); /* the old sluiced's, on a take-over */

	mgmt = handed >= 0 ? sl_mgmt_adopt(handed, cfg->mgmt_socket, sl_mgmt_cmds, sl_mgmt_n_cmds,
					   &mgmt_ctx, err, sizeof(err))
			   : sl_mgmt_open(cfg->mgmt_socket, sl_mgmt_cmds, sl_mgmt_n_cmds, &mgmt_ctx,
					  err, sizeof(err));
	if (mgmt != NULL) {
		printf("sluiced: management socket %s (sluicectl -s %s)\n", cfg->mgmt_socket,
		       cfg->mgmt_socket);
		return 0;
	}
	if (strcmp(cfg->mgmt_socket, SL_CONFIG_MGMT_SOCKET) == 0) {
		fprintf(stderr, "sluiced: warning: no management socket: %s\n", err);
		return 0;
	}
	fprintf(stderr, "sluiced: %s\n", err);
	return -1;
}

static struct sl_agent *
start_agent(struct sl_datapath *dp, const struct sl_config *cfg)
{
	struct sl_agent_config ac;
	char err[512];
	struct sl_agent *a;

	memset(&ac, 0, sizeof(ac));
	ac.datapath_id = cfg->datapath_id;
	for (unsigned int i = 0; i < cfg->n_of_targets && i < SL_AGENT_MAX_TARGETS; i++)
		ac.targets[ac.n_targets++] = cfg->of_targets[i];
	/* the config accepts TLS files only with TLS targets, and requires them there */
	ac.tls.private_key = cfg->ssl_private_key[0] ? cfg->ssl_private_key : NULL;
	ac.tls.certificate = cfg->ssl_certificate[0] ? cfg->ssl_certificate : NULL;
	ac.tls.ca_cert = cfg->ssl_ca_cert[0] ? cfg->ssl_ca_cert : NULL;
	ac.tls.no_verify_peer = !cfg->ssl_verify_peer;
	ac.fail_mode = cfg->fail_standalone ? SL_AGENT_FAIL_STANDALONE : SL_AGENT_FAIL_SECURE;
	ac.miss_send_len = cfg->miss_send_len;
	ac.pin_rate_pps = cfg->packet_in_rate;
	ac.pin_burst = cfg->packet_in_burst;
	ac.probe_interval_ms = cfg->probe_interval_ms;
	ac.service_roles = cfg->service_roles;
	ac.max_backoff_ms = cfg->max_backoff_ms;
	ac.meters = dp->meters;
	a = sl_agent_create(&ac, &sl_agent_ops_datapath, dp, dp->pipeline, err, sizeof(err));
	if (a == NULL)
		fprintf(stderr, "sluiced: OpenFlow agent: %s\n", err);
	else
		sl_agent_set_wake_fd(a, dp->ctl_wake.fd);
	for (unsigned int i = 0; a && i < ac.n_targets; i++)
		printf("sluiced: OpenFlow %s %s\n",
		       ac.targets[i][0] == 'p' ? "listening on" : "controller", ac.targets[i]);
	return a;
}

/* Idle passes (about 20 us each) the miss handler keeps polling fast. */
#define HANDLER_LINGER 100u

/*
 * The agent's wait. While workers leave it work (packet-ins, learning
 * reports, miss records), and for CTL_LINGER_MS after the last, it waits
 * CTL_POLL_MS at most and looks at their rings after each wait: that
 * bounds a packet-in's added latency. Then it waits up to CTL_WAIT_MS and
 * the next worker that queues work wakes it (sl_ctl_wake.h): an idle
 * control lcore wakes 100 times a second instead of 1000 (measured in
 * sl_ctl_wake.h). The linger bounds the workers' wake-ups, each a write()
 * to an eventfd, to one per CTL_LINGER_MS however packet-ins trickle.
 * Without the eventfd the wait is always CTL_POLL_MS.
 */
#define CTL_POLL_MS 1
#define CTL_LINGER_MS 100
#define CTL_WAIT_MS 10

/* One pass of the agent, waiting up to @wait_ms. A wait longer than
 * CTL_POLL_MS is armed first, then the rings are checked: work queued
 * before the arm is seen here, work queued after it wakes the wait. */
static void
run_agent(struct sl_datapath *dp, int wait_ms)
{
	bool armed = wait_ms > CTL_POLL_MS;

	if (armed) {
		sl_ctl_wake_arm(&dp->ctl_wake);
		if (sl_datapath_control_pending(dp))
			wait_ms = 0;
	}
	sl_agent_run(agent_slot, wait_ms);
	if (armed)
		sl_ctl_wake_disarm(&dp->ctl_wake);
}

/* The control lcore's loop until SIGINT or SIGTERM: the OpenFlow agent,
 * the miss handler (miss_handling = handler), MAC learning, reclaiming
 * freed rules and link polling. */
static void
control_loop(struct sl_datapath *dp, struct sl_miss_handler *handler)
{
	const struct timespec handler_nap = { 0, 20 * 1000 };
	const struct timespec handler_tick = { 0, 1000 * 1000 };
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	unsigned int idle_passes = 0;
	uint64_t last_reclaim = monotonic_ms(), last_links = last_reclaim;
	uint64_t last_work = last_reclaim, taken = sl_datapath_control_taken(dp);

	while (!quit_signal && !sl_upgrade_handed_over()) {
		uint64_t now = monotonic_ms(), t = sl_datapath_control_taken(dp);

		/* Handler mode polls the to-handler rings with 20 us naps while
		 * misses come, and for HANDLER_LINGER passes after the last one
		 * (a new flow's wait is then 20 us, where the agent's wait
		 * would be 1 ms). Then it falls back to the agent's wait (see
		 * CTL_POLL_MS): a control lcore that shares its core (with VMs,
		 * or a traffic generator) must not take 50k wakeups a second
		 * while no flow is new; that cost the generator's share of CPU 0
		 * in the PVP benchmark. */
		bool hot = handler != NULL && idle_passes < HANDLER_LINGER;
		int wait_ms;

		if (t != taken) {
			taken = t;
			last_work = now;
		}
		wait_ms = now - last_work < CTL_LINGER_MS || dp->ctl_wake.fd < 0 ? CTL_POLL_MS
										  : CTL_WAIT_MS;
		if (agent_slot)
			run_agent(dp, hot ? 0 : wait_ms);
		else if (!hot)
			nanosleep(handler ? &handler_tick : &tick, NULL);
		if (handler) {
			if (sl_miss_handle_all(handler, SL_MISS_RECORDS) != 0) {
				idle_passes = 0;
			} else if (hot) {
				idle_passes++;
				nanosleep(&handler_nap, NULL);
			}
		}
		now = monotonic_ms();
		if (mgmt)
			sl_mgmt_run(mgmt, now);
		sl_capture_run(dp, now); /* sluicectl capture: copies to files */
		if (dp->neigh)
			sl_neigh_run(dp->neigh, now); /* underlay ARP / ND, parked packets */
		if (dp->pipeline)
			sl_learn_run(dp, now * 1000000ull);
		sl_rxq_balance_run(dp, now);
		if (now - last_reclaim >= 10) {
			last_reclaim = now;
			sl_tables_reclaim(dp);
		}
		if (now - last_links >= 1000) {
			last_links = now;
			sl_datapath_poll_links(dp);
			fflush(stdout);
		}
	}
}

/* --take-over, before the agent: the old sluiced's state and listeners. */
static int
upgrade_begin(const struct sl_config *cfg)
{
	char err[512];

	if (cfg->xconnect_only) {
		fprintf(stderr, "sluiced: --take-over: a static cross-connect is not handed over\n");
		return -1;
	}
	if (sl_upgrade_takeover_begin(takeover_sock, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluiced: --take-over %s: %s\n", takeover_sock, err);
		return -1;
	}
	return 0;
}

/* --take-over, workers running: the ports, then the counters. */
static int
upgrade_finish(struct sl_datapath *dp)
{
	char err[512];

	if (sl_upgrade_takeover_finish(dp, agent_slot, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluiced: --take-over: %s; exiting (the old sluiced rolls back)\n",
			err);
		return -1;
	}
	printf("sluiced: upgrade: took the switch over from %s\n", takeover_sock);
	return 0;
}

/* Stop what run() started, in the reverse order: the management socket,
 * the agent, the workers and ports (@p worker_stats prints the workers'
 * counters, NULL for none), the miss handler, the tables. Returns 1, run()'s
 * failure code. */
static int
teardown(struct sl_datapath *dp, struct sl_miss_handler *handler,
	 void (*worker_stats)(const struct sl_datapath *dp))
{
	sl_mgmt_close(mgmt);
	mgmt = NULL;
	sl_agent_destroy(agent_slot);
	agent_slot = NULL;
	sl_datapath_stop(dp, worker_stats);
	if (handler)
		printf("sluiced: miss handler: %" PRIu64 " translations, %" PRIu64
		       " reused for the same flow\n",
		       handler->stats.translations, handler->stats.reused);
	sl_miss_handler_destroy(handler);
	sl_tables_fini(dp);
	return 1;
}

static int
run(struct sl_config *cfg)
{
	static struct sl_datapath dp;
	struct sl_miss_handler *handler = NULL;
	bool mgmt_ok;

	if (takeover_sock)
		cfg->n_ports = 0; /* the ports come from the old sluiced, one by one */
	else if (cfg->mgmt_socket[0]) { /* add-port's, beside the socket (start_mgmt()) */
		char rp[sizeof(mgmt_ctx.runtime_ports)];

		snprintf(rp, sizeof(rp), "%s.ports", cfg->mgmt_socket);
		(void)sl_runtime_ports_merge(cfg, rp, cfg->mgmt_socket, stdout);
	}
	if (sl_datapath_init(&dp, cfg) < 0) {
		fprintf(stderr, "sluiced: cannot set up the datapath\n");
		return 1;
	}
	if (takeover_sock && upgrade_begin(cfg) < 0) {
		sl_datapath_stop(&dp, NULL);
		return 1;
	}
	if (!cfg->xconnect_only) {
		if (sl_tables_init(&dp, sl_agent_rule_removed, &agent_slot) < 0 ||
		    (agent_slot = start_agent(&dp, cfg)) == NULL) {
			sl_datapath_stop(&dp, NULL);
			sl_tables_fini(&dp);
			return 1;
		}
	}
	/* miss_handling = handler: the control loop is the handler. It is the
	 * thread that frees rules, so what it translates stays alive until it
	 * hands the records back, and the workers check the version
	 * (sl_miss_handler.h). */
	if (dp.pipeline && cfg->miss_handler && (handler = sl_miss_handler_create(&dp)) == NULL) {
		fprintf(stderr, "sluiced: cannot create the miss handler\n");
		return teardown(&dp, NULL, NULL);
	}
	if (!takeover_sock)
		sl_state_restore(&dp, agent_slot, cfg); /* before any port forwards */
	else if (sl_upgrade_takeover_apply(&dp, agent_slot) < 0)
		quit_signal = -1; /* said why; the old sluiced rolls back */
	sl_datapath_print_assignment(&dp, stdout);
	sl_telemetry_register(&dp);
	mgmt_ok = start_mgmt(&dp, cfg) == 0; /* it says why not */
	if (quit_signal == -1 || !mgmt_ok || sl_datapath_start(&dp) < 0 ||
	    (takeover_sock && upgrade_finish(&dp) < 0)) {
		if (mgmt_ok && quit_signal != -1 && !takeover_sock)
			fprintf(stderr, "sluiced: cannot launch workers\n");
		return teardown(&dp, handler, NULL);
	}
	printf("sluiced: forwarding with %u worker(s) (%s); SIGINT or SIGTERM stops\n",
	       dp.n_workers, dp.pipeline ? "OpenFlow pipeline" : "static cross-connect");
	fflush(stdout);
	sl_notify("READY=1\nSTATUS=forwarding");
	control_loop(&dp, handler);
	sl_notify("STOPPING=1");
	if (sl_upgrade_handed_over())
		sl_mgmt_disown(mgmt); /* the socket serves the new sluiced */
	else
		printf("sluiced: signal %d, stopping\n", (int)quit_signal);
	sl_mgmt_close(mgmt);
	mgmt = NULL;
	sl_capture_fini(&dp); /* workers still run: it syncs them */
	if (!sl_upgrade_handed_over()) /* the new sluiced has the state */
		sl_state_save(&dp, agent_slot, cfg); /* workers still run: it syncs them */
	print_agent_stats(agent_slot);
	teardown(&dp, handler, print_worker_stats);
	return 0;
}

/* --take-over: what the running sluiced runs with (its configuration
 * unless -c names one; its EAL arguments), and room for a second one. */
static int
takeover_prepare(struct sl_upgrade_info *info, const char **path)
{
	char err[768];

	if (sl_upgrade_query(takeover_sock, info, err, sizeof(err)) < 0 ||
	    sl_upgrade_preflight(info->hugepage_bytes, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluiced: --take-over: %s\n", err);
		return -1;
	}
	if (*path == NULL && info->config[0])
		*path = info->config;
	printf("sluiced: taking over from pid %ld (%s, %llu MiB of hugepages)\n", info->pid,
	       *path ? *path : "<embedded default>",
	       (unsigned long long)(info->hugepage_bytes >> 20));
	return 0;
}

/* What the command line asks for, besides the EAL arguments after "--". */
struct cmdline {
	const char *path;  /**< -c: the configuration file; NULL: embedded default */
	bool check_only;   /**< --check-config */
	bool check_host;   /**< --check-host */
};

/* Parse the options; returns -1 to go on, else main()'s exit code. */
static int
parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "check-host", no_argument, NULL, 'H' },
		{ "print-default", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "take-over", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cl->path = optarg; break;
		case 'T': takeover_sock = optarg; break;
		case 'k': cl->check_only = true; break;
		case 'H': cl->check_host = true; break;
		case 'p': fputs(sl_config_embedded_default, stdout); return 0;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("sluiced %s (build %s), %s\n", SL_PROJECT_VERSION, SL_BUILD_VERSION,
			       rte_version());
			return 0;
		default: usage(stderr); return 2;
		}
	}
	return -1;
}

/* heap_reserve_mb: before the agent makes its first rule (heap.c). */
static void
reserve_heap(const struct sl_config *cfg)
{
	uint64_t t0 = monotonic_ms();
	int rc = sl_heap_prefault(cfg->heap_reserve_mb);

	if (rc < 0)
		fprintf(stderr, "sluiced: heap_reserve_mb = %u: not reserved: %s\n",
			cfg->heap_reserve_mb, strerror(-rc));
	else
		printf("sluiced: heap: %u MiB faulted in for rules in %llu ms\n",
		       cfg->heap_reserve_mb, (unsigned long long)(monotonic_ms() - t0));
}

/* Signals, the EAL, sluiced's log types and packet capture; returns 0, or
 * main()'s exit code. */
static int
start_eal(int eal_argc, char **eal_argv)
{
	struct sigaction sa;

	printf("sluiced: EAL arguments:");
	for (int i = 1; i < eal_argc; i++)
		printf(" %s", eal_argv[i]);
	printf("\n");
	fflush(stdout);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "sluiced: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		explain_eal_failure(rte_errno);
		return 1;
	}
	if (sl_daemon_log_init() < 0)
		fprintf(stderr, "sluiced: warning: no rte_log types for sluice.*: lines go to "
			"stderr\n");
	/* dpdk-dumpcap and dpdk-pdump attach as secondary processes and capture
	 * on any ethdev port through rx/tx callbacks installed only while they
	 * capture: nothing is paid until then. */
	if (rte_pdump_init() < 0)
		fprintf(stderr, "sluiced: warning: no packet capture (rte_pdump): %s\n",
			rte_strerror(rte_errno));
	return 0;
}

int
main(int argc, char **argv)
{
	static struct sl_config cfg;
	static struct sl_upgrade_info info;
	char err[SL_CONFIG_ERR_MAX], ealbuf[2048], *eal_argv[SL_MAX_EAL_ARGS];
	struct cmdline cl = { 0 };
	int eal_argc, rc;

	/* Rules live on the heap: 2 MiB pages cut the agent's page faults (a
	 * third of a flow-mod's cost without them). May re-execute sluiced. */
	sl_heap_thp_reexec(argv);
	if ((rc = parse_cmdline(argc, argv, &cl)) >= 0)
		return rc;
	if (takeover_sock && takeover_prepare(&info, &cl.path) < 0)
		return 1;
	rc = cl.path ? sl_config_load(&cfg, cl.path, err, sizeof(err))
		     : sl_config_load_string(&cfg, sl_config_embedded_default,
					     "<embedded default>", err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "sluiced: configuration error: %s\n", err);
		return 2;
	}
	if (cl.check_only) {
		print_config(&cfg);
		return 0;
	}
	if (cl.check_host) /* SLUICE_SYSFS_ROOT: a fake /sys and /proc, for tests */
		return sl_check_host(&cfg, getenv("SLUICE_SYSFS_ROOT"), stdout) ? 1 : 0;
	if (cfg.heap_reserve_mb)
		reserve_heap(&cfg);
	eal_argc = takeover_sock ? sl_upgrade_eal_argv(&info, eal_argv, ealbuf, sizeof(ealbuf))
				 : build_eal_argv(&cfg, argc - optind, argv + optind, eal_argv, ealbuf,
						  sizeof(ealbuf));
	if (eal_argc < 0) {
		fprintf(stderr, "sluiced: too many EAL arguments\n");
		return 2;
	}
	sl_upgrade_note_process(cl.path, eal_argc, eal_argv); /* for a successor */
	if ((rc = start_eal(eal_argc, eal_argv)) != 0)
		return rc;
	print_config(&cfg);
	rc = run(&cfg);
	rte_pdump_uninit();
	rte_eal_cleanup();
	return rc;
}
