/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_mac_learning.h
 * The MAC learning table behind the OpenFlow NORMAL action (and fail mode
 * standalone): (VLAN id, MAC) -> OpenFlow port, with a capacity limit
 * (least recently learned/refreshed entry evicted), aging, and counters.
 *
 * Concurrency is the pipeline's: translations on worker lcores look entries
 * up lock-free under RCU (sl_pipeline_mac_lookup); the control lcore is the
 * only writer. Workers never learn themselves: a translation that needs a
 * source learned or refreshed reports it in sl_xlate_result.learn, the
 * worker forwards the report to the control lcore, which calls
 * sl_pipeline_mac_learn(). Every change that can alter a forwarding decision
 * (new entry, move, removal) bumps the pipeline version, so cached megaflows
 * revalidate. The scheme is explained in mac_learning.c.
 */
#ifndef SL_MAC_LEARNING_H
#define SL_MAC_LEARNING_H

#include <stdbool.h>
#include <stdint.h>

struct sl_pipeline;

#define SL_MAC_DEFAULT_MAX 8192u    /**< entries, as OVS's default mac-table-size */
#define SL_MAC_DEFAULT_AGING_S 300u /**< seconds, as OVS's default mac-aging-time */

/** Counters and sizes of the MAC table. */
struct sl_mac_stats {
	uint64_t learned;    /**< new (vlan, mac) entries */
	uint64_t moved;      /**< entries whose port changed */
	uint64_t refreshed;  /**< learn reports that only renewed an entry */
	uint64_t evicted;    /**< removed to make room (table full) */
	uint64_t aged;       /**< removed by aging */
	uint64_t flushed;    /**< removed by sl_pipeline_mac_flush */
	/** new MACs not learned: their port holds mac_limit_per_port entries */
	uint64_t limit_refused;
	uint32_t n_entries;  /**< entries now */
	uint32_t max_entries; /**< table size */
	uint32_t aging_s;    /**< aging time, in seconds */
	uint32_t port_limit; /**< entries one port may hold; 0: no limit */
};

/** What sl_pipeline_mac_learn() did. */
enum sl_mac_learn_result {
	SL_MAC_UNCHANGED = 0, /**< nothing to do (e.g. multicast source, bad port) */
	SL_MAC_REFRESHED,     /**< known on that port: its age restarts */
	SL_MAC_LEARNED,       /**< new entry */
	SL_MAC_MOVED,         /**< known on another port: now on @p port */
};

/** One entry, as sl_pipeline_mac_foreach() shows it. */
struct sl_mac_info {
	uint16_t vlan;    /**< VLAN id (0: untagged) */
	uint8_t mac[6];   /**< the learned address */
	uint32_t port;    /**< OpenFlow port it is behind */
	uint32_t age_s;   /**< seconds since learned or refreshed */
	bool stale;       /**< past the refresh mark: aged out unless refreshed */
};

/**
 * Learn (or refresh) @p mac on VLAN @p vlan (0..4095, 0 = untagged) behind
 * OpenFlow port @p port at time @p now_ns. Writer only (control lcore).
 * A learn or move bumps the pipeline version; a refresh does not (no
 * forwarding decision changes). Multicast sources and reserved ports
 * (>= OFPP_MAX) are not learned.
 * @param pl     the pipeline
 * @param port   OpenFlow port the source was seen on
 * @param vlan   VLAN id
 * @param mac    the source address
 * @param now_ns the time
 * @return what was done.
 */
enum sl_mac_learn_result sl_pipeline_mac_learn(struct sl_pipeline *pl, uint32_t port,
					       uint16_t vlan, const uint8_t mac[6],
					       uint64_t now_ns);

/**
 * Aging at time @p now_ns (call about once a second): entries not refreshed
 * for 3/4 of the aging time are marked stale (translations then report
 * their sources again, see mac_learning.c), entries not refreshed for the
 * whole aging time are removed. Bumps the version if anything changed.
 * Writer only.
 * @param pl     the pipeline
 * @param now_ns the time
 * @return the number of entries removed.
 */
unsigned int sl_pipeline_mac_expire(struct sl_pipeline *pl, uint64_t now_ns);

/**
 * Remove the entries learned on @p port (OFPP_ANY: all); bumps the
 * version if any. Writer only.
 * @param pl   the pipeline
 * @param port OpenFlow port, or OFPP_ANY
 * @return how many were removed.
 */
unsigned int sl_pipeline_mac_flush(struct sl_pipeline *pl, uint32_t port);

/**
 * Reader side (under RCU): where @p mac is on @p vlan.
 * @param pl    the pipeline
 * @param vlan  VLAN id
 * @param mac   the destination address
 * @param stale out: whether the entry wants a refresh; may be NULL
 * @return the port @p mac is known behind on @p vlan, or OFPP_ANY.
 */
uint32_t sl_pipeline_mac_lookup(const struct sl_pipeline *pl, uint16_t vlan,
				const uint8_t mac[6], bool *stale);

/**
 * Some learn reports never reached the writer (a worker's ring was full):
 * bump the version so that cached decisions are translated again and their
 * sources reported again. Writer only.
 * @param pl the pipeline
 */
void sl_pipeline_mac_reports_lost(struct sl_pipeline *pl);

/**
 * Counters (writer side, or approximate from elsewhere).
 * @param pl the pipeline
 * @param st out: the counters
 */
void sl_pipeline_mac_stats(const struct sl_pipeline *pl, struct sl_mac_stats *st);

/**
 * Visit every entry from least to most recently refreshed, at time
 * @p now_ns (for ages). Writer only.
 * @param pl     the pipeline
 * @param now_ns the time
 * @param fn     called with @p ctx for each entry
 * @param ctx    passed to @p fn
 * @return the number visited.
 */
unsigned int sl_pipeline_mac_foreach(const struct sl_pipeline *pl, uint64_t now_ns,
				     void (*fn)(void *ctx, const struct sl_mac_info *e),
				     void *ctx);

/**
 * Fail mode standalone ("fail-open"): while @p on, a packet that misses in
 * table 0 runs the NORMAL action instead of being dropped (a hidden
 * table-miss entry: not listed, not counted as a rule, survives flow
 * deletes). Bumps the version when it changes. Writer only.
 * @param pl the pipeline
 * @param on true: SL_FAIL_OPEN_MISS; false: SL_FAIL_OPEN_OFF
 */
void sl_pipeline_set_fail_open(struct sl_pipeline *pl, bool on);

/** Where NORMAL stands while the switch fails open (as in OVS). */
enum sl_fail_open_mode {
	SL_FAIL_OPEN_OFF = 0, /**< a table-0 miss does what the tables say */
	/** Below every rule: a table-0 miss runs NORMAL. OVS's default NORMAL
	 *  flow on a bridge that has no controller configured. */
	SL_FAIL_OPEN_MISS,
	/** Above every rule: table 0 is not consulted, every packet runs
	 *  NORMAL. OVS's fail-open flow (priority 0xf0f0f0) while configured
	 *  controllers are all unreachable: rules the controller left behind
	 *  (e.g. its own table-miss to CONTROLLER) must not black-hole traffic. */
	SL_FAIL_OPEN_OVERRIDE,
};

/**
 * Set the fail-open mode; bumps the version when it changes. Writer only.
 * @param pl   the pipeline
 * @param mode the new mode
 */
void sl_pipeline_set_fail_open_mode(struct sl_pipeline *pl, enum sl_fail_open_mode mode);

/**
 * Current fail-open mode.
 * @param pl the pipeline
 * @return the mode.
 */
enum sl_fail_open_mode sl_pipeline_fail_open_mode(const struct sl_pipeline *pl);

/**
 * Whether the switch fails open.
 * @param pl the pipeline
 * @return true while fail-open is on (either mode).
 */
bool sl_pipeline_fail_open(const struct sl_pipeline *pl);

#endif /* SL_MAC_LEARNING_H */
