/* SPDX-License-Identifier: BSD-3-Clause */
/* The switch's state across a restart (sl_state.h). */
#include <errno.h>
#include <inttypes.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_agent_snapshot.h"
#include "sl_config.h"
#include "sl_datapath.h"
#include "sl_mac_learning.h"
#include "sl_neigh.h"
#include "sl_pipeline.h"
#include "sl_snap_file.h"
#include "sl_snap_records.h"
#include "sl_state.h"
#include "sl_version.h"

#ifndef SL_PROJECT_VERSION
#define SL_PROJECT_VERSION "?"
#endif

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---------------------------------------------------------------- build */

struct mac_save {
	struct sl_snap_writer *w;
	int rc;
};

static void
save_mac(void *ctx, const struct sl_mac_info *e)
{
	struct mac_save *ms = ctx;
	struct sl_snap_mac m = { .vlan = e->vlan, .port = e->port,
				 .age_ms = e->age_s > UINT32_MAX / 1000 ? UINT32_MAX
									: e->age_s * 1000 };

	memcpy(m.mac, e->mac, sizeof(m.mac));
	if (sl_snap_add_mac(ms->w, &m) < 0)
		ms->rc = -1;
}

static int
save_ports(struct sl_datapath *dp, struct sl_snap_writer *w)
{
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		struct sl_snap_port p = { .ofport = dp->cfg->ports[i].ofport };

		if (!sl_datapath_slot_used(dp, i))
			continue;
		snprintf(p.name, sizeof(p.name), "%s", dp->cfg->ports[i].name);
		if (sl_snap_add_port(w, &p) < 0)
			return -1;
	}
	return 0;
}

struct neigh_save {
	struct sl_datapath *dp;
	struct sl_snap_writer *w;
	int rc;
};

/* A learned, resolved underlay neighbour (static ones are the
 * configuration's), with its underlay's name and slot. */
static int
save_neigh(const struct sl_neigh_entry_info *e, void *arg)
{
	struct neigh_save *ns = arg;
	struct sl_snap_neigh n = { .family = e->ip.family == AF_INET6 ? 6 : 4, .slot = e->port,
				   .age_ms = e->age_ms > UINT32_MAX ? UINT32_MAX
								    : (uint32_t)e->age_ms };

	if ((strcmp(e->state, "reachable") != 0 && strcmp(e->state, "refreshing") != 0) ||
	    e->port >= ns->dp->n_ports || !sl_datapath_slot_used(ns->dp, e->port))
		return 0;
	memcpy(n.addr, e->ip.addr, sizeof(n.addr));
	memcpy(n.mac, e->mac.addr_bytes, sizeof(n.mac));
	snprintf(n.port, sizeof(n.port), "%s", ns->dp->cfg->ports[e->port].name);
	if (sl_snap_add_neigh(ns->w, &n) < 0) {
		ns->rc = -1;
		return 1;
	}
	return 0;
}

int
sl_state_build(struct sl_datapath *dp, struct sl_agent *a, struct sl_snap_writer *w, char *err,
	       size_t errlen)
{
	struct mac_save ms = { .w = w };
	struct neigh_save ns = { .dp = dp, .w = w };

	if (sl_snap_writer_init(w, dp->cfg->datapath_id, clock_ns(CLOCK_REALTIME),
				SL_PROJECT_VERSION " " SL_BUILD_VERSION) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* A grace period: workers push what they counted lazily into the
	 * rules' counters (sl_rule_stats.h), as before a barrier reply. */
	sl_datapath_sync(dp);
	if (sl_agent_snapshot_save(a, w, err, errlen) < 0) {
		sl_snap_writer_free(w);
		return -1;
	}
	sl_pipeline_mac_foreach(dp->pipeline, clock_ns(CLOCK_MONOTONIC), save_mac, &ms);
	if (dp->neigh != NULL)
		sl_neigh_walk(dp->neigh, clock_ns(CLOCK_MONOTONIC) / 1000000, save_neigh, &ns);
	if (ms.rc < 0 || ns.rc < 0 || save_ports(dp, w) < 0 || sl_snap_finish(w) < 0) {
		snprintf(err, errlen, "out of memory");
		sl_snap_writer_free(w);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- apply */

/* The runtime's records, checked before anything is applied. */
static int
check_runtime_records(const struct sl_snap_reader *r, char *err, size_t errlen)
{
	struct sl_snap_reader it = *r;
	struct sl_snap_rec rec;
	struct sl_snap_mac m;
	struct sl_snap_port p;
	struct sl_snap_neigh n;

	while (sl_snap_next(&it, &rec)) {
		if (rec.type == SL_SNAP_MAC && sl_snap_mac_decode(&rec, &m, err, errlen) < 0)
			return -1;
		if (rec.type == SL_SNAP_NEIGH && sl_snap_neigh_decode(&rec, &n, err, errlen) < 0)
			return -1;
		if (rec.type == SL_SNAP_PORT && sl_snap_port_decode(&rec, &p, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* MACs learned again with their ages (plus the time stopped), oldest
 * first as they were written, so the table's order is kept; a MAC behind
 * a port that is gone is left out. */
static void
apply_mac(struct sl_datapath *dp, const struct sl_snap_mac *m, uint64_t stopped_ns,
	  struct sl_state_summary *sum)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	uint64_t ago = (uint64_t)m->age_ms * 1000000ull + stopped_ns;

	if (sl_datapath_port_idx(dp, m->port) < 0) {
		sum->macs_no_port++;
		return;
	}
	if (sl_pipeline_mac_learn(dp->pipeline, m->port, m->vlan, m->mac,
				  now > ago ? now - ago : 0) != SL_MAC_UNCHANGED)
		sum->macs++;
}

/* A learned underlay neighbour again, on its underlay's slot here (found
 * by name; in a take-over no port is here yet and each comes to the slot
 * it had: sluiced/upgrade/), aged by the time stopped: a tunnel's first
 * frames find their next hop and are not parked for an ARP / ND round. */
static void
apply_neigh(struct sl_datapath *dp, const struct sl_snap_neigh *n, uint64_t stopped_ns,
	    struct sl_state_summary *sum)
{
	int slot = sl_datapath_port_find(dp, n->port);
	uint64_t age = n->age_ms + stopped_ns / 1000000;
	struct sl_ip_addr ip = { .family = n->family == 6 ? AF_INET6 : AF_INET };
	struct rte_ether_addr mac;

	if (slot < 0 && dp->n_ports == 0)
		slot = n->slot;
	if (dp->neigh == NULL || slot < 0 || age > UINT32_MAX)
		return;
	memcpy(ip.addr, n->addr, sizeof(ip.addr));
	memcpy(mac.addr_bytes, n->mac, sizeof(n->mac));
	if (sl_neigh_learned_add(dp->neigh, (uint16_t)slot, &ip, &mac, (uint32_t)age,
				 clock_ns(CLOCK_MONOTONIC) / 1000000) == 0)
		sum->neighbours++;
}

/* A port's number is the configuration's (or, added at run time, the one
 * recorded in MGMT_SOCKET.ports): a different one is reported, since
 * rules name ports by number. */
static void
compare_port(struct sl_datapath *dp, const struct sl_snap_port *p, struct sl_state_summary *sum)
{
	for (unsigned int i = 0; i < dp->n_ports; i++) {
		if (!sl_datapath_slot_used(dp, i) || strcmp(dp->cfg->ports[i].name, p->name) != 0)
			continue;
		if (dp->cfg->ports[i].ofport != p->ofport) {
			fprintf(stderr,
				"sluiced: state: port %s was OpenFlow port %u, is %u now: the "
				"rules restored name it by its old number\n",
				p->name, p->ofport, dp->cfg->ports[i].ofport);
			sum->ports_moved++;
		}
		return;
	}
}

int
sl_state_apply(struct sl_datapath *dp, struct sl_agent *a, const uint8_t *buf, size_t len,
	       struct sl_state_summary *sum, char *err, size_t errlen)
{
	struct sl_agent_restore_stats st;
	struct sl_snap_reader r;
	struct sl_snap_rec rec;
	uint64_t now = clock_ns(CLOCK_REALTIME), stopped;

	memset(sum, 0, sizeof(*sum));
	if (sl_snap_open(buf, len, &r, err, errlen) < 0)
		return -1;
	sum->info = r.info;
	if (r.info.datapath_id != dp->cfg->datapath_id) {
		snprintf(err, errlen, "written by datapath 0x%016" PRIx64 ", this is 0x%016" PRIx64,
			 r.info.datapath_id, dp->cfg->datapath_id);
		return -1;
	}
	if (check_runtime_records(&r, err, errlen) < 0)
		return -1;
	/* The switch was not forwarding meanwhile: that time counts in every
	 * age (durations, idle and hard timeouts, MAC aging). A clock set
	 * back counts nothing. */
	stopped = now > r.info.written_unix_ns ? now - r.info.written_unix_ns : 0;
	sum->stopped_ms = stopped / 1000000;
	if (sl_agent_snapshot_restore(a, &r, stopped, &st, err, errlen) < 0)
		return -1;
	sum->rules = st.rules;
	sum->groups = st.groups;
	sum->meters = st.meters;
	while (sl_snap_next(&r, &rec)) {
		struct sl_snap_mac m;
		struct sl_snap_port p;
		struct sl_snap_neigh n;

		if (rec.type == SL_SNAP_MAC && sl_snap_mac_decode(&rec, &m, err, errlen) == 0)
			apply_mac(dp, &m, stopped, sum);
		else if (rec.type == SL_SNAP_NEIGH && sl_snap_neigh_decode(&rec, &n, err, errlen) == 0)
			apply_neigh(dp, &n, stopped, sum);
		else if (rec.type == SL_SNAP_PORT && sl_snap_port_decode(&rec, &p, err, errlen) == 0)
			compare_port(dp, &p, sum);
	}
	return 0;
}

/* ---------------------------------------------------------- the file */

void
sl_state_save(struct sl_datapath *dp, struct sl_agent *a, const struct sl_config *cfg)
{
	struct sl_snap_writer w;
	char err[512];
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC), t1;

	if (cfg->state_file[0] == '\0' || a == NULL || dp->pipeline == NULL)
		return;
	if (sl_state_build(dp, a, &w, err, sizeof(err)) < 0) {
		fprintf(stderr, "sluiced: state: not written to %s: %s\n", cfg->state_file, err);
		return;
	}
	t1 = clock_ns(CLOCK_MONOTONIC);
	if (sl_snap_file_write(cfg->state_file, w.buf, w.len, err, sizeof(err)) < 0)
		fprintf(stderr, "sluiced: state: not written: %s\n", err);
	else
		printf("sluiced: state: %u records, %zu bytes written to %s (built in %" PRIu64
		       " ms, written in %" PRIu64 " ms)\n",
		       w.n_records, w.len, cfg->state_file, (t1 - t0) / 1000000,
		       (clock_ns(CLOCK_MONOTONIC) - t1) / 1000000);
	sl_snap_writer_free(&w);
}

static void
set_aside(const char *path, const char *why)
{
	char bad[SL_CONFIG_PATH_MAX + 8];

	if (sl_snap_file_set_aside(path, bad, sizeof(bad)) == 0)
		fprintf(stderr, "sluiced: state: %s: %s; kept as %s, starting empty\n", path, why,
			bad);
	else
		fprintf(stderr, "sluiced: state: %s: %s; starting empty (not renamed: %s)\n",
			path, why, strerror(errno));
}

void
sl_state_restore(struct sl_datapath *dp, struct sl_agent *a, const struct sl_config *cfg)
{
	struct sl_state_summary sum;
	uint8_t *buf;
	size_t len;
	char err[512];
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	int rc;

	if (cfg->state_file[0] == '\0' || a == NULL || dp->pipeline == NULL)
		return;
	if (cfg->no_state_restore) {
		printf("sluiced: state: %s not read (state_restore = no)\n", cfg->state_file);
		return;
	}
	rc = sl_snap_file_read(cfg->state_file, &buf, &len, err, sizeof(err));
	if (rc == 1) {
		printf("sluiced: state: no %s, starting empty\n", cfg->state_file);
		return;
	}
	if (rc < 0) {
		fprintf(stderr, "sluiced: state: %s; starting empty\n", err);
		return;
	}
	rc = sl_state_apply(dp, a, buf, len, &sum, err, sizeof(err));
	free(buf);
	if (rc < 0) {
		set_aside(cfg->state_file, err);
		return;
	}
	/* Consumed: a sluiced killed later (SIGKILL, a crash) writes nothing,
	 * and its next start must not bring back tables older than its end. */
	if (unlink(cfg->state_file) < 0)
		fprintf(stderr, "sluiced: state: %s: not removed after the restore: %s\n",
			cfg->state_file, strerror(errno));
	printf("sluiced: state: restored %u rules, %u groups, %u meters, %u MACs from %s "
	       "(release %s, written %" PRIu64 " ms before) in %" PRIu64 " ms\n",
	       sum.rules, sum.groups, sum.meters, sum.macs, cfg->state_file, sum.info.release,
	       sum.stopped_ms, (clock_ns(CLOCK_MONOTONIC) - t0) / 1000000);
	if (sum.macs_no_port)
		printf("sluiced: state: %u MACs behind ports there are no more left out\n",
		       sum.macs_no_port);
	if (sum.neighbours)
		printf("sluiced: state: %u underlay neighbours learned again\n", sum.neighbours);
}

int
sl_state_apply_macs(struct sl_datapath *dp, const uint8_t *buf, size_t len, uint32_t *n)
{
	struct sl_state_summary sum;
	struct sl_snap_reader r;
	struct sl_snap_rec rec;
	char err[256];
	uint64_t now = clock_ns(CLOCK_REALTIME);

	memset(&sum, 0, sizeof(sum));
	*n = 0;
	if (sl_snap_open(buf, len, &r, err, sizeof(err)) < 0)
		return -1;
	while (sl_snap_next(&r, &rec)) {
		struct sl_snap_mac m;

		if (rec.type == SL_SNAP_MAC && sl_snap_mac_decode(&rec, &m, err, sizeof(err)) == 0)
			apply_mac(dp, &m, now > r.info.written_unix_ns ? now - r.info.written_unix_ns : 0,
				  &sum);
	}
	*n = sum.macs;
	return 0;
}
