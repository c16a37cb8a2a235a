/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_xlate.h
 * Translation: flow key -> (flat datapath actions, megaflow mask, rules and
 * group buckets hit). The result is all a worker needs to forward every packet
 * that matches (key & mask) without looking at OpenFlow structures again.
 *
 * Datapath action semantics (executed in order on one packet):
 *  - OUTPUT sends a copy of the packet as it is at that point. port may be a
 *    physical port or OFPP_IN_PORT / FLOOD / ALL / LOCAL, which the worker
 *    resolves (FLOOD and ALL exclude the ingress port).
 *  - CLONE n: the next n actions run on a copy; afterwards the packet is as it
 *    was before the clone (group buckets).
 *  - SET_FIELD writes value into the header at (layer, offset) computed by the
 *    parser's sl_pkt_layout; fix checksums per `csum` flags.
 *  - DEC_NW_TTL / DEC_MPLS_TTL: if the TTL is 0 or 1, stop processing this
 *    packet (copy) and, when `to_controller`, send a packet-in with reason
 *    OFPR_INVALID_TTL (table_id/cookie given); no megaflow bit depends on TTLs.
 *  - METER id: run meter id; if it drops, stop.
 *  - CONTROLLER: packet-in with the given reason, table, cookie, max_len.
 *  - RECIRC id: the packet (as modified so far) is parsed again, its key gets
 *    recirc_id = id (in_port unchanged) and it is looked up/translated again;
 *    the translation of that key continues where this one stopped (after a
 *    pop_mpls/pop_pbb exposed headers that later actions or tables read).
 * An empty list means drop.
 */
#ifndef SL_XLATE_H
#define SL_XLATE_H

#include <stdint.h>

#include "sl_flow_key.h"
#include "sl_pipeline.h"

/** Datapath action types. */
enum sl_exec_type {
	SL_EXEC_OUTPUT = 1, SL_EXEC_CONTROLLER, SL_EXEC_CLONE, SL_EXEC_SET_FIELD, SL_EXEC_PUSH_VLAN,
	SL_EXEC_POP_VLAN, SL_EXEC_PUSH_MPLS, SL_EXEC_POP_MPLS, SL_EXEC_PUSH_PBB, SL_EXEC_POP_PBB,
	SL_EXEC_DEC_NW_TTL, SL_EXEC_SET_NW_TTL, SL_EXEC_DEC_MPLS_TTL, SL_EXEC_SET_MPLS_TTL,
	SL_EXEC_COPY_TTL_OUT, SL_EXEC_COPY_TTL_IN, SL_EXEC_SET_QUEUE, SL_EXEC_METER,
	SL_EXEC_RECIRC,
};

/** Header a SET_FIELD offset is relative to (offsets from struct sl_pkt_layout). */
enum sl_exec_layer {
	SL_LAYER_ETH = 0,   /**< frame start */
	SL_LAYER_VLAN,      /**< outermost VLAN tag (its TPID) */
	SL_LAYER_MPLS,      /**< first MPLS label stack entry */
	SL_LAYER_PBB,       /**< PBB I-TAG */
	SL_LAYER_L3,        /**< IPv4/IPv6/ARP header */
	SL_LAYER_L4,        /**< TCP/UDP/SCTP/ICMP header */
	SL_LAYER_ND_OPT,    /**< ND SLL/TLL option data: worker finds option 1 (SLL) / 2 (TLL) */
	SL_LAYER_ETHTYPE,   /**< the innermost ethertype field (sl_pkt_layout.eth_type_ofs) */
	SL_LAYER_META,      /**< not in the packet: packet metadata (tunnel_id) */
};

/** SET_FIELD checksum fix-ups. */
#define SL_CSUM_IP4 0x01  /**< IPv4 header checksum */
#define SL_CSUM_L4 0x02   /**< TCP/UDP(nonzero)/ICMPv6 pseudo-header checksum */
#define SL_CSUM_SCTP 0x04 /**< SCTP CRC32c */
#define SL_CSUM_ICMP 0x08 /**< ICMPv4/ICMPv6 checksum over the message */

/** One compiled datapath action. */
struct sl_exec_action {
	uint8_t type; /**< enum sl_exec_type */
	union {
		struct {
			uint32_t port;
		} output;
		struct {
			uint8_t reason;   /**< OFPR_NO_MATCH (0), OFPR_ACTION (1) */
			uint8_t table_id;
			uint16_t max_len;
			uint64_t cookie;
		} controller;
		struct {
			uint16_t n;       /**< actions covered by the clone */
		} clone;
		struct {
			uint8_t field;    /**< OFPXMT_OFB_* (for the worker's key update) */
			uint8_t layer;    /**< enum sl_exec_layer */
			uint8_t len;      /**< bytes to write */
			uint8_t csum;     /**< SL_CSUM_* */
			uint16_t offset;  /**< byte offset inside the layer */
			uint8_t shift;    /**< sub-byte fields: value bits start at this bit (LSB=0) */
			uint8_t value[16];
			uint8_t mask[16]; /**< bits of the header bytes to replace */
		} set_field;
		struct {
			uint16_t ethertype;
		} push;               /**< PUSH_VLAN/MPLS/PBB; POP_MPLS: new ethertype */
		struct {
			uint8_t ttl;      /**< SET_*_TTL */
			uint8_t to_controller; /**< DEC_*_TTL: packet-in on invalid TTL */
			uint8_t table_id;
			uint64_t cookie;
		} ttl;
		uint32_t queue_id;
		uint32_t meter_id;
		uint32_t recirc_id;
	};
};

/** Bounds of one translation result; beyond them it ends in an error. @{ */
#define SL_XLATE_MAX_ACTIONS 128 /**< datapath actions */
#define SL_XLATE_MAX_RULES 64    /**< rules hit, tables looked up */
#define SL_XLATE_MAX_BUCKETS 64  /**< group buckets used */
#define SL_XLATE_MAX_WATCH 16    /**< watched ports, groups (more are not listed) */
#define SL_XLATE_MAX_GROUP_DEPTH 16 /**< groups chained through buckets */
/** @} */

/** Why a translation ended early (the action list then is a drop). */
enum sl_xlate_error {
	SL_XLATE_OK = 0,
	SL_XLATE_TOO_MANY_ACTIONS,
	SL_XLATE_GROUP_DEPTH,
	SL_XLATE_TOO_MANY_HITS, /**< more rules/buckets than the result can list (stats would be lost) */
	SL_XLATE_RECIRC_FULL,   /**< no recirculation id left (or no memory for the frozen state) */
	SL_XLATE_RECIRC_LOST,   /**< key.recirc_id names no (live) recirculation */
};

/** A group bucket used by a translation (to credit bucket stats). */
struct sl_xlate_bucket {
	const struct sl_group *group; /**< the group */
	uint16_t bucket;              /**< index of the bucket in it */
};

/**
 * A source the NORMAL action wants learned (or refreshed) in the MAC table:
 * the worker cannot write the table (one writer), so it forwards this to the
 * control lcore, which calls sl_pipeline_mac_learn() (sl_mac_learning.h).
 */
struct sl_xlate_learn {
	uint32_t port;   /**< OpenFlow ingress port */
	uint16_t vlan;   /**< outer VLAN id, 0 if untagged */
	uint8_t mac[6];  /**< eth_src */
};

/**
 * The result of a translation. The rule and group pointers stay valid while
 * sl_pipeline_version() still equals `version` (anything that unlinks a rule
 * or group bumps it), and in any case until the reader's next RCU quiescent
 * state: a cache that keeps results across quiescent states must revalidate
 * them against the version first.
 */
struct sl_xlate_result {
	uint16_t n_actions;                  /**< entries in actions (0: drop) */
	uint8_t n_rules;                     /**< entries in rules */
	uint8_t n_buckets;                   /**< entries in buckets */
	uint8_t n_watch_ports;               /**< entries in watch_ports */
	uint8_t n_watch_groups;              /**< entries in watch_groups */
	uint8_t n_tables;                    /**< tables looked up (n_tables > n_rules: last missed) */
	uint8_t error;                       /**< enum sl_xlate_error */
	uint8_t n_learn;                     /**< 1: `learn` holds a MAC to learn (NORMAL) */
	/** 1: every table lookup used the packet's own bits: no action wrote a
	 *  packet field (set-field, push/pop) before a lookup, and the key is not
	 *  a recirculation (metadata writes do not count: sl_change_log.h) */
	uint8_t key_pure;
	/** 1: the translation resumed a recirculation or emitted SL_EXEC_RECIRC:
	 *  its recirculation ids live only while translations refresh them, so
	 *  a cache must translate it again at every new version (recirc.c) */
	uint8_t recirc;
	/** 1: NORMAL looked the MAC table up (with in_port, vlan_vid, eth_src
	 *  and eth_dst in the mask): MAC learning changes may alter the result
	 *  (sl_change_log.h, SL_CHANGES_USES_MAC) */
	uint8_t uses_mac;
	struct sl_xlate_learn learn;         /**< see n_learn */
	uint64_t version;                    /**< tables version read at the start */
	struct sl_flow_key mask;             /**< megaflow mask */
	struct sl_exec_action actions[SL_XLATE_MAX_ACTIONS]; /**< what to do, in order */
	struct sl_rule *rules[SL_XLATE_MAX_RULES];      /**< rules hit, pipeline order */
	uint8_t tables[SL_XLATE_MAX_RULES];             /**< tables looked up, in order */
	struct sl_xlate_bucket buckets[SL_XLATE_MAX_BUCKETS]; /**< group buckets used */
	uint32_t watch_ports[SL_XLATE_MAX_WATCH];  /**< liveness consulted (fast-failover) */
	uint32_t watch_groups[SL_XLATE_MAX_WATCH]; /**< group liveness consulted (fast-failover) */
};

/**
 * Translate @p key through tables 0..N (or, when key->recirc_id != 0, from
 * where the translation that emitted SL_EXEC_RECIRC(recirc_id) stopped). Reader-side: call from an RCU read-side
 * section. Credits table lookup/match counters.
 * @param pl  the pipeline
 * @param key the packet's flow key
 * @param out out: the translation
 * @return 0, or an enum sl_xlate_error (the result is then a drop with a mask
 *         that is still exact).
 */
int sl_xlate(const struct sl_pipeline *pl, const struct sl_flow_key *key,
	     struct sl_xlate_result *out);

/**
 * sl_xlate() as of tables version @p at_version, which the caller read
 * earlier in this same read-side section (a worker, at the top of its
 * iteration): when the tables moved on since, rules are looked up as they
 * were at @p at_version across a transaction's commit, so that every
 * packet of the iteration is forwarded by one version's rules (and meets
 * the port configuration of that version: a bundle's port-mods). Changes
 * outside transactions are seen as by sl_xlate(); result->version is the
 * version read now, as there.
 * @param pl         the pipeline
 * @param key        the packet's flow key
 * @param out        out: the translation
 * @param at_version a tables version read earlier in this read-side
 *                   section (0: as sl_xlate())
 * @return as sl_xlate().
 */
int sl_xlate_at(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		struct sl_xlate_result *out, uint64_t at_version);

/**
 * sl_xlate() without crediting table lookup/match counters: for a
 * translation that may be thrown away (a miss handler's, which the worker
 * discards when the tables changed meanwhile); whoever uses the result
 * credits result->tables (sl_pipeline_credit_tables or a worker shard).
 * @param pl  the pipeline
 * @param key the packet's flow key
 * @param out out: the translation
 * @return as sl_xlate().
 */
int sl_xlate_uncounted(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		       struct sl_xlate_result *out);

/**
 * Number of live recirculation ids (frozen translation states); tests and stats.
 * @param pl the pipeline
 * @return the count.
 */
unsigned int sl_pipeline_n_recirc(const struct sl_pipeline *pl);

/**
 * Translate a packet-out: run @p acts as an action list on @p key (output to
 * OFPP_TABLE submits the packet to table 0).
 * @param pl   the pipeline
 * @param key  the packet's flow key
 * @param acts the packet-out's actions
 * @param n    entries in @p acts
 * @param out  out: the translation
 * @return as sl_xlate().
 */
int sl_xlate_actions(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		     const struct sl_action *acts, unsigned int n, struct sl_xlate_result *out);

/**
 * The hash a select group uses to pick a bucket for @p key: CRC32 of the
 * Ethernet addresses/type, VLAN VID, IP addresses and protocol and L4 ports
 * (ARP: the Ethernet fields, VLAN VID and sender/target protocol addresses),
 * seeded with the group id. The bucket is chosen by weighted rendezvous
 * hashing: among live buckets with weight > 0, the one with the highest
 * sl_select_score(hash, index, weight) (ties: lowest index). A group with a
 * single live bucket does not hash.
 * @param key      the packet's flow key
 * @param group_id the select group
 * @return the flow's hash.
 */
uint32_t sl_select_hash(const struct sl_flow_key *key, uint32_t group_id);

/**
 * Per-(flow, bucket) draw of the rendezvous hash: a 32-bit mix (murmur3
 * finalizer) of @p flow_hash ^ (0x9e3779b9 * (bucket + 1)).
 * @param flow_hash sl_select_hash() of the flow
 * @param bucket    bucket index in the group
 * @return the draw.
 */
uint32_t sl_select_bucket_hash(uint32_t flow_hash, uint16_t bucket);

/**
 * Rendezvous score of bucket @p bucket (index in the group) with weight
 * @p weight for a flow hashing to @p flow_hash: -weight / ln(u) with
 * u = (sl_select_bucket_hash() + 0.5) / 2^32. The highest score wins, which
 * picks each bucket with probability weight / total weight, and a liveness
 * change only moves the flows of the bucket that changed.
 * @param flow_hash sl_select_hash() of the flow
 * @param bucket    bucket index in the group
 * @param weight    the bucket's weight
 * @return the score.
 */
double sl_select_score(uint32_t flow_hash, uint16_t bucket, uint16_t weight);

/**
 * Credit @p packets / @p bytes to everything a translation used: its rules
 * (and their used time), group buckets and groups. Worker side (atomic adds);
 * call under RCU, e.g. when a megaflow's counters are flushed.
 * @param r       the translation
 * @param packets packets to add
 * @param bytes   bytes to add
 * @param now_ns  the time, recorded as the rules' last use
 */
void sl_xlate_credit(const struct sl_xlate_result *r, uint64_t packets, uint64_t bytes,
		     uint64_t now_ns);

/**
 * Credit table lookup/matched counters for @p packets forwarded with result
 * @p r WITHOUT calling sl_xlate (cache hits). sl_xlate itself already counts
 * the lookups of the packet it translates.
 * @param pl      the pipeline
 * @param r       the translation the packets were forwarded with
 * @param packets packets to count
 */
void sl_xlate_credit_tables(const struct sl_pipeline *pl, const struct sl_xlate_result *r,
			    uint64_t packets);

/**
 * Credit table counters for @p packets that went through tables
 * @p tables[0..n_tables) (cache hits), the first @p n_matched of which
 * matched a rule: the same as sl_xlate_credit_tables() for callers that
 * keep the table list and not the whole result (the fast path's caches).
 * @param pl        the pipeline
 * @param tables    the tables looked up, in order
 * @param n_tables  entries in @p tables
 * @param n_matched how many of them, first to last, matched a rule
 * @param packets   packets to count
 */
void sl_pipeline_credit_tables(const struct sl_pipeline *pl, const uint8_t *tables,
			       unsigned int n_tables, unsigned int n_matched, uint64_t packets);

/**
 * Credit @p packets / @p bytes to the group buckets @p buckets[0..n) (as
 * listed in a translation result) and to their groups, each group once.
 * Worker side (atomic adds), under RCU.
 * @param buckets the buckets used
 * @param n       entries in @p buckets
 * @param packets packets to add
 * @param bytes   bytes to add
 */
void sl_pipeline_credit_buckets(const struct sl_xlate_bucket *buckets, unsigned int n,
				uint64_t packets, uint64_t bytes);

/**
 * Format a datapath action list like "set_field(eth_dst),output:3" (tests, logs).
 * @param r    the translation
 * @param buf  out: the text, NUL-terminated when @p size > 0
 * @param size bytes at @p buf
 * @return the length of the full text (as snprintf: >= @p size means cut).
 */
int sl_xlate_format(const struct sl_xlate_result *r, char *buf, unsigned int size);

#endif /* SL_XLATE_H */
