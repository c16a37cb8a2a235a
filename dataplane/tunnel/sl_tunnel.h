/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_tunnel.h
 * Tunnel ports (type vxlan or geneve): their parameters, as the configuration and the
 * management socket give them, and the table the workers consult on an
 * underlay port to tell whose tunnel packet a frame is (README.md,
 * docs/tunnels.md).
 *
 * A tunnel port is a port slot with no device of its own: its rx are the
 * frames decapsulated on its underlay port, its tx goes out of the
 * underlay's tx queues. The table is built on the control lcore and
 * published whole (workers read one pointer per burst under the
 * datapath's QSBR), so a worker never sees one half-changed.
 */
#ifndef SL_TUNNEL_H
#define SL_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_ip_addr.h"
#include "sl_vxlan.h"

/** Bytes of a port name, NUL included (SL_PORT_NAME_MAX, checked where both are seen). */
#define SL_TUNNEL_NAME_MAX 64
/** Tunnel ports on one switch. */
#define SL_TUNNEL_MAX 256
/** Port slots the table knows underlays among (SL_MAX_PORTS). */
#define SL_TUNNEL_MAX_SLOTS 256
/** Default outer TTL / hop limit. */
#define SL_TUNNEL_DEFAULT_TTL 64

/** One tunnel port's settings. */
struct sl_tunnel_params {
	char underlay[SL_TUNNEL_NAME_MAX]; /**< the port its frames use (dpdk or afpacket) */
	struct sl_ip_addr local;   /**< local VTEP address (outer source, decap dst) */
	struct sl_ip_addr remote;  /**< fixed remote VTEP; family 0 when remote_flow */
	bool remote_flow;          /**< remote_ip = flow: tun_ipv4_dst / tun_ipv6_dst chooses */
	bool key_flow;             /**< key = flow: tunnel_id chooses the VNI */
	uint32_t vni;              /**< fixed VNI (0..2^24-1) unless key_flow */
	uint16_t dst_port;         /**< UDP destination port [4789] */
	uint8_t ttl;               /**< outer TTL / hop limit [64] */
	bool df;                   /**< IPv4: set Don't Fragment [yes] */
	uint8_t proto;             /**< enum sl_tnl_proto: type vxlan (0) or geneve */
};

/**
 * Check one tunnel port's settings on their own (the config layer checks
 * the underlay's existence and the clashes between ports).
 * @param p   the settings
 * @param err out: why not, for the caller's "file:line: " prefix
 * @param len size of @p err
 * @return 0 or -1.
 */
int sl_tunnel_params_check(const struct sl_tunnel_params *p, char *err, size_t len);

/**
 * Whether two tunnel ports would take the same packets: same underlay, local
 * address and UDP port, and the same remote (or both flow) and the same key
 * (or both flow).
 * @param a a port's settings
 * @param b another's
 * @return true when they clash.
 */
bool sl_tunnel_params_clash(const struct sl_tunnel_params *a, const struct sl_tunnel_params *b);

/**
 * Whether two tunnel ports share a VTEP (underlay, local address and UDP
 * port) with different protocols (vxlan, geneve): a VTEP speaks one, the
 * UDP port tells them apart.
 * @param a a port's settings
 * @param b another's
 * @return true when they clash.
 */
bool sl_tunnel_params_proto_clash(const struct sl_tunnel_params *a,
				  const struct sl_tunnel_params *b);

/** One tunnel port as the workers see it. */
struct sl_tunnel_entry {
	struct sl_tunnel_params p; /**< its settings */
	uint16_t slot;             /**< its port slot */
	uint16_t underlay_slot;    /**< the underlay port's slot */
	uint32_t ofport;           /**< its OpenFlow port number */
};

/** Slots of the decap index: a power of two, over twice SL_TUNNEL_RECS,
 *  so that a probe sequence is short and always ends at an empty slot. */
#define SL_TUNNEL_HASH_SLOTS 2048
/** Records of the decap index: per port at most one of its own, one for
 *  its VTEP and one for its (VTEP, remote). */
#define SL_TUNNEL_RECS (3 * SL_TUNNEL_MAX)

/** A key of the decap index: addresses as 2 x 64 bits (0 where the record
 *  has no remote), then VNI, record kind, family, UDP port and underlay
 *  folded into one word (tunnel_table.c, key_meta). */
struct sl_tunnel_key {
	uint64_t local[2];  /**< local VTEP address bytes */
	uint64_t remote[2]; /**< remote VTEP address bytes, or 0 */
	uint64_t meta;      /**< VNI | kind << 24 | UDP port << 32 | underlay << 48 */
};

/** A record of the decap index (what its kind is: tunnel_table.c). */
struct sl_tunnel_rec {
	struct sl_tunnel_key k; /**< its key */
	uint16_t entry;         /**< the port it finds (index in e[]), or UINT16_MAX */
	uint16_t wild;          /**< VTEP / remote records: the port that takes what
	                         *   is left (key = flow), or UINT16_MAX */
	uint8_t flags;          /**< VTEP records: what wildcard ports it has */
};

/**
 * The tunnel ports of a datapath (immutable once published: a change
 * builds a new one, published by pointer and freed after a QSBR grace
 * period). A zeroed table is an empty one.
 */
struct sl_tunnel_table {
	unsigned int n;                            /**< entries in use */
	unsigned int n_recs;                       /**< records in use */
	/** slot -> some entry's underlay: a byte a burst for the worker's test
	 *  (filled with the entries by sl_tunnel_table_add) */
	bool underlay[SL_TUNNEL_MAX_SLOTS];
	/** the open-addressed index: 0 empty, else record + 1 in the low 16
	 *  bits and the key hash's high 16 bits above (compared first) */
	uint32_t slots[SL_TUNNEL_HASH_SLOTS];
	struct sl_tunnel_rec recs[SL_TUNNEL_RECS]; /**< the index's records */
	struct sl_tunnel_entry e[SL_TUNNEL_MAX];   /**< the ports */
};

/**
 * Add a tunnel port to a table being built (not yet published).
 * @param t        the table
 * @param p        the port's settings
 * @param slot     its port slot
 * @param underlay its underlay's slot (< SL_TUNNEL_MAX_SLOTS)
 * @param ofport   its OpenFlow port number
 * @return 0, or -1 when the table is full.
 */
int sl_tunnel_table_add(struct sl_tunnel_table *t, const struct sl_tunnel_params *p,
			uint16_t slot, uint16_t underlay, uint32_t ofport);

/**
 * Which tunnel port a parsed UDP datagram on an underlay port belongs to
 * (decap step 2, sl_vxlan.h). No VTEP (underlay, outer dst, UDP port):
 * SL_TNL_NOT_OURS, the frame goes on as an ordinary one. Else a malformed
 * datagram keeps its verdict (a header of the other protocol than the
 * VTEP's is malformed for it: SL_TNL_BAD_FLAGS at a VXLAN VTEP,
 * o->geneve_verdict at a Geneve one); else the port whose remote is the outer
 * source (a fixed remote before a remote_ip = flow port) and whose key is
 * the VNI (a fixed key before a key = flow port). A hash lookup: one probe
 * for a port with a fixed remote and key, up to four otherwise, whatever
 * the number of ports.
 * @param t        the table
 * @param underlay the slot the frame came in on
 * @param o        what sl_vxlan_parse() found
 * @param entry    out: the port, when SL_TNL_OK
 * @return SL_TNL_OK, SL_TNL_NOT_OURS or a drop verdict.
 */
enum sl_tnl_verdict sl_tunnel_rx_match(const struct sl_tunnel_table *t, uint16_t underlay,
				       const struct sl_vxlan_outer *o,
				       const struct sl_tunnel_entry **entry);

/**
 * The distinct local VTEP addresses on an underlay port (for the neighbour
 * code: which ARP / ND requests are ours to answer).
 * @param t        the table
 * @param underlay the underlay port's slot
 * @param out      out: up to @p max addresses
 * @param max      room in @p out
 * @return how many there are (may exceed @p max; only @p max are written).
 */
unsigned int sl_tunnel_vteps(const struct sl_tunnel_table *t, uint16_t underlay,
			     struct sl_ip_addr *out, unsigned int max);

/**
 * Whether a port slot is some tunnel's underlay (the worker decaps there only).
 * @param t    the table
 * @param slot a port slot
 * @return true when it is.
 */
bool sl_tunnel_is_underlay(const struct sl_tunnel_table *t, uint16_t slot);

#endif /* SL_TUNNEL_H */
