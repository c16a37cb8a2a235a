/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_DATAPATH_H
#define SL_DATAPATH_H

/**
 * @file
 * The runtime: ports, per-socket mempools, the workers (sl_worker.h) and
 * the OpenFlow tables they read (sl_tables.h).
 *
 * The control lcore owns struct sl_datapath and everything it points to;
 * workers read it. A worker forwards through the OpenFlow fast path
 * (sl_fastpath.h), or by the static cross-connect table from the config
 * ([xconnect]); both use the same rx burst -> per-output tx buffer -> one
 * tx burst per (port, queue) per iteration machinery (sl_worker_tx.h).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_spinlock.h>

#include "sl_config.h"
#include "sl_ctl_wake.h"
#include "sl_port.h"
#include "sl_rxq_balance.h"
#include "sl_sched.h"
#include "sl_worker.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_MAX_SOCKETS 8 /**< NUMA sockets with a mempool */
/** OpenFlow port numbers below this map to a port index by a direct array. */
#define SL_OFPORT_MAP 1024

struct sl_datapath;
struct sl_fastpath;
struct sl_pipeline;
struct sl_meter_table;
struct sl_rcu;
struct sl_miss_channel;

/** QSBR thread id of a miss handler running on a thread of its own (== n_workers). */
#define SL_QSBR_HANDLER_ID(dp) ((dp)->n_workers)
struct sl_xlate_result;
struct sl_tunnel_table;
struct sl_neigh_table;

/** The switch runtime. */
struct sl_datapath {
	struct sl_config *cfg;          /**< the configuration it was built from */
	/** port slots in use or used: cfg->n_ports; cfg->ports[i] describes
	 *  ports[i], and a slot whose name is "" is free (a port deleted at
	 *  run time, sl_datapath_port_del; the next port added takes it) */
	unsigned int n_ports;
	struct sl_port *ports[SL_MAX_PORTS]; /**< NULL when the port failed to open */
	/** held by the control lcore while it changes ports[] and cfg->ports[]
	 *  at run time, and by the telemetry thread while it reads them: the
	 *  only other thread that walks them (workers never wait on it) */
	rte_spinlock_t ports_lock;
	struct rte_mempool *pools[SL_MAX_SOCKETS]; /**< mbuf pool per socket (NULL: none) */
	unsigned int n_workers;         /**< worker lcores */
	struct sl_worker *workers[RTE_MAX_LCORE]; /**< the workers, by index */
	/** assign[port * SL_SCHED_MAX_RXQ + q] = worker index */
	int assign[SL_MAX_PORTS * SL_SCHED_MAX_RXQ];
	struct rte_rcu_qsbr *qsbr;      /**< workers report quiescence per iteration */
	volatile bool stop;             /**< set by the control lcore to end the loops */
	/** Bumped on every port add/remove/link/config change (port-status). */
	uint64_t port_seq;
	unsigned int pin_next_worker;   /**< round-robin cursor over pin rings */
	/** OpenFlow tables; NULL in static cross-connect mode ([xconnect]) */
	struct sl_pipeline *pipeline;
	struct sl_meter_table *meters;  /**< OpenFlow meters (with the pipeline) */
	struct sl_rcu *meter_rcu;       /**< deferred frees of deleted meters */
	struct sl_xlate_result *pout_xr; /**< packet-out scratch (control lcore) */
	unsigned int pout_next_worker;  /**< round-robin cursor over inject rings */
	uint64_t learn_drops_seen;      /**< sum of workers' learn_drops handled (sl_learn.h) */
	uint64_t learn_aged_ns;         /**< last MAC aging run */
	/** ofport -> port index for ofport < SL_OFPORT_MAP (else a scan) */
	int16_t ofport_map[SL_OFPORT_MAP];
	/** workers wake the control lcore through this (sl_ctl_wake.h) */
	struct sl_ctl_wake ctl_wake __rte_cache_aligned;
	/** rx queue balancing (sl_rxq_balance.h); control lcore only */
	struct sl_rxq_balance rxqb;
	/** tunnel ports' decap table (sl_tunnel.h), NULL while no tunnel port
	 *  was ever bound; built before the workers start
	 *  (sl_tunnel_datapath_bind), replaced whole by add-port / del-port */
	struct sl_tunnel_table *tunnels;
	/** underlay neighbours (ARP / ND, static entries: sl_neigh.h); NULL in [xconnect] mode */
	struct sl_neigh_table *neigh;
};

/**
 * Port index of OpenFlow port @p ofport. Fast for small numbers.
 * @param dp     the datapath
 * @param ofport OpenFlow port number
 * @return the index in dp->ports, or -1.
 */
static inline int
sl_datapath_port_idx(const struct sl_datapath *dp, uint32_t ofport)
{
	if (ofport < SL_OFPORT_MAP)
		return dp->ofport_map[ofport];
	for (unsigned int i = 0; i < dp->n_ports; i++)
		if (dp->ports[i] && dp->ports[i]->params.ofport == ofport &&
		    !dp->ports[i]->deleting)
			return (int)i;
	return -1;
}

/**
 * Whether port slot @p idx holds a port (failed to open or not), rather
 * than being free after a run-time delete.
 * @param dp  the datapath
 * @param idx a slot below dp->n_ports
 * @return true if a port is configured there.
 */
static inline bool
sl_datapath_slot_used(const struct sl_datapath *dp, unsigned int idx)
{
	return dp->cfg->ports[idx].name[0] != '\0';
}

/**
 * Create mempools, open every configured port (a port that fails is
 * reported on stderr and left NULL; the others go on), assign rx queues,
 * set up the workers. EAL must be initialised.
 * @param dp  out: the runtime (cleared first)
 * @param cfg the configuration; must outlive @p dp
 * @return 0, or -1 if nothing can run (no mempool, no worker lcore).
 */
int sl_datapath_init(struct sl_datapath *dp, struct sl_config *cfg);

/**
 * Start ports and launch the worker loops on their lcores. A port that
 * fails to start is reported on stderr; the others go on.
 * @param dp the runtime
 * @return 0, or -1 if a worker could not be launched.
 */
int sl_datapath_start(struct sl_datapath *dp);

/**
 * Stop workers and wait for them; call @p report (may be NULL) while the
 * workers' counters still exist; then stop and close ports and free
 * everything.
 * @param dp     the runtime
 * @param report called with @p dp before anything is freed; may be NULL
 */
void sl_datapath_stop(struct sl_datapath *dp,
		      void (*report)(const struct sl_datapath *dp));

/**
 * Index of the port called @p name.
 * @param dp   the runtime
 * @param name the port's name
 * @return the slot, or -1.
 */
int sl_datapath_port_find(const struct sl_datapath *dp, const char *name);

/**
 * Add a port while the workers forward (`sluicectl add-port`): open and
 * start it, give its rx queues to workers, and make its number reachable
 * (the tables version moves, so cached decisions are made again; the agent
 * sends OFPT_PORT_STATUS ADD). On failure nothing has changed: a duplicate
 * name, number, device or socket, a device that does not open, no free
 * slot. Control lcore; OpenFlow mode only.
 * @param dp     the runtime, started
 * @param pp     the port (pp->ofport set, 1..OFPP_MAX)
 * @param err    on failure: why, with the driver's message
 * @param errlen bytes at @p err
 * @return the port's index, or -1 with @p err set.
 */
int sl_datapath_port_add(struct sl_datapath *dp, const struct sl_port_params *pp,
			 char *err, size_t errlen);

/**
 * Remove a port while the workers forward (`sluicectl del-port`): its rx
 * queues leave their workers, its number leads nowhere (frames for it are
 * dropped and counted as no_output; NORMAL forgets its MAC addresses), and
 * after the workers' grace periods it is stopped and closed. The other
 * ports' queues are not touched. The agent sends OFPT_PORT_STATUS DELETE.
 * Control lcore; OpenFlow mode only.
 * @param dp     the runtime, started
 * @param idx    the port's index (not the LOCAL port)
 * @param err    on failure: why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_datapath_port_del(struct sl_datapath *dp, unsigned int idx, char *err, size_t errlen);

/**
 * Take a port out of the workers' hands without closing it, for a
 * hand-over to another sluiced (sluiced/upgrade/): as
 * sl_datapath_port_del() up to the close, so when this returns no worker
 * polls, sends to or holds the port, and its slot is free. The caller
 * stops and destroys it (sl_port_destroy()). The LOCAL port may go too.
 * @param dp     the runtime, started
 * @param idx    the port's index
 * @param err    on failure: why
 * @param errlen bytes at @p err
 * @return the port, or NULL with @p err set (nothing changed).
 */
struct sl_port *sl_datapath_port_detach(struct sl_datapath *dp, unsigned int idx, char *err,
					size_t errlen);

/**
 * Add a port opened elsewhere (sl_port_afpacket_adopt(), or sl_port_open())
 * while the workers forward, as sl_datapath_port_add() adds one: started,
 * published, its number and liveness set. Its parameters are p->params;
 * the LOCAL port's number is accepted. On failure @p p is destroyed.
 * A tunnel port is bound to its underlay when that is here, else published
 * unbound (link down) and bound, with a decap table, when its underlay is
 * adopted, before that underlay's rx queues are polled.
 * @param dp     the runtime, started
 * @param p      the port, opened and not started
 * @param slot   the slot it had in the process it comes from (a hand-over:
 *               slots name underlays in the neighbour table), or -1: the
 *               lowest free one
 * @param err    on failure: why
 * @param errlen bytes at @p err
 * @return the port's index, or -1 with @p err set.
 */
int sl_datapath_port_adopt(struct sl_datapath *dp, struct sl_port *p, int slot, char *err,
			   size_t errlen);

/**
 * Set a port administratively up or down: OFPPC_PORT_DOWN, as an OpenFlow
 * port-mod sets it (nothing received or sent; OFPT_PORT_STATUS MODIFY).
 * @param dp   the runtime
 * @param idx  the port's index (an open port)
 * @param down true for down
 */
void sl_datapath_port_set_down(struct sl_datapath *dp, unsigned int idx, bool down);

/**
 * Set port @p idx's OFPPC_* bits under @p mask to @p config now (a port-mod
 * outside a bundle, sluicectl): workers see it from their next burst.
 * Settles what a bundle staged first, so the bits not in @p mask are the
 * settled ones. Bumps port_seq if it changed.
 * @param dp     the runtime
 * @param idx    the port's index (an open port)
 * @param config the OFPPC_* bits to set (those in @p mask)
 * @param mask   which bits change
 * @return true if the configuration changed.
 */
bool sl_datapath_port_set_config(struct sl_datapath *dp, unsigned int idx, uint32_t config,
				 uint32_t mask);

/**
 * Stage a bundle's port-mod: @p config under @p mask, over what is staged
 * already (several port-mods of one port apply in order), becomes port
 * @p idx's configuration for iterations at tables version @p version and
 * later (sl_port_config()). Call before the tables version reaches
 * @p version (the commit's bump), then sl_datapath_ports_settle() once every
 * worker is past it (sl_datapath_sync()).
 * @param dp      the runtime
 * @param idx     the port's index (an open port)
 * @param config  OFPPC_* bits
 * @param mask    which bits to change
 * @param version the tables version the commit publishes
 */
void sl_datapath_port_stage_config(struct sl_datapath *dp, unsigned int idx, uint32_t config,
				   uint32_t mask, uint64_t version);

/**
 * Make what sl_datapath_port_stage_config() staged the ports' plain
 * configuration (every worker is past its version), bumping port_seq if a
 * port's configuration changed (port-status, one per port).
 * @param dp the runtime
 * @return the number of ports whose configuration changed
 */
unsigned int sl_datapath_ports_settle(struct sl_datapath *dp);

/**
 * Change a dpdk port's MTU while it runs; frames longer than the new one
 * allows are dropped before the driver (mtu_drops).
 * @param dp     the runtime
 * @param idx    the port's index (an open port)
 * @param mtu    the MTU, 68..9600
 * @param err    on failure: the driver's refusal
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_datapath_port_set_mtu(struct sl_datapath *dp, unsigned int idx, uint16_t mtu,
			     char *err, size_t errlen);

/**
 * Print the rx queue assignment, one line per (port, queue).
 * @param dp the runtime
 * @param f  where to print
 */
void sl_datapath_print_assignment(const struct sl_datapath *dp, FILE *f);

/**
 * Poll link states; print and remember changes. Control lcore only.
 * @param dp the runtime
 */
void sl_datapath_poll_links(struct sl_datapath *dp);

/**
 * Barrier: wait until every worker has passed a quiescent state after the
 * current tables version was published (so none uses an older cache entry).
 * @param dp the runtime
 */
void sl_datapath_sync(struct sl_datapath *dp);

/**
 * Whether a worker has left work for the control lcore: packet-ins, MAC
 * learning reports, miss records. The control lcore asks after
 * sl_ctl_wake_arm() and before it blocks (sl_ctl_wake.h).
 * @param dp the runtime
 * @return true if a ring to the control lcore is not empty.
 */
bool sl_datapath_control_pending(const struct sl_datapath *dp);

/**
 * How many items the control lcore has taken from the workers' rings
 * (packet-ins, learning reports, miss records) since the start, modulo 2^32 per
 * ring: a value to compare with an earlier one, which changes whenever the
 * control lcore has had work from a worker.
 * @param dp the runtime
 * @return the count.
 */
uint64_t sl_datapath_control_taken(const struct sl_datapath *dp);

/**
 * Register /sluice/... telemetry commands for @p dp.
 * @param dp the runtime; must outlive the commands
 */
void sl_telemetry_register(struct sl_datapath *dp);

#ifdef __cplusplus
}
#endif
#endif /* SL_DATAPATH_H */
