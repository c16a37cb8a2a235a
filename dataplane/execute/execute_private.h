/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the executor's files (execute.c: action list walk and
 * copy rules; execute_hdr.c: set-field and checksums; execute_push.c:
 * push/pop and TTLs). Not a public header.
 */
#ifndef SL_EXECUTE_PRIVATE_H
#define SL_EXECUTE_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sl_execute.h"

/** The packet one context (the original, or a clone's copy) works on. */
struct exec_pkt {
	struct rte_mbuf *m;         /* NULL once handed to its last consumer */
	struct sl_pkt_layout lay;   /* header offsets of this copy */
	uint8_t l4_proto;           /* IP protocol of the L4 header at lay.l4_ofs */
	uint8_t nw_frag;            /* SL_FRAG_* of this packet */
	uint8_t ipver;              /* 4, 6, or 0 when L3 is not IP (exec_ip_version) */
	bool tmd_set;               /* a set_field changed the tunnel metadata: tmd holds it */
	struct sl_tunnel_md tmd;    /* the VNI and remote the outputs hand over */
};

/** One sl_execute() call. */
struct exec_run {
	const struct sl_exec_action *acts;
	const struct sl_flow_key *key;
	const struct sl_exec_env *env;
	struct sl_exec_stats *st;
	uint32_t in_port;                        /* host order */
	uint8_t flags[SL_XLATE_MAX_ACTIONS];     /* EXEC_F_* per action */
	uint8_t end[SL_XLATE_MAX_ACTIONS];       /* index after the item starting here */
	uint8_t prev[SL_XLATE_MAX_ACTIONS];      /* previous item start in the same range */
	uint8_t body_last[SL_XLATE_MAX_ACTIONS]; /* CLONE: last item start of its body */
};

/** What an action tells the walk. */
enum exec_verdict {
	EXEC_CONTINUE = 0,
	EXEC_STOP,      /* drop this packet (copy): TTL expired, meter drop, no room */
};

/* Header access: a pointer to @len bytes at @ofs of the first segment, or NULL. */
static inline uint8_t *
exec_at(const struct exec_pkt *p, uint32_t ofs, uint32_t len)
{
	if (ofs > p->m->data_len || len > (uint32_t)p->m->data_len - ofs)
		return NULL;
	return rte_pktmbuf_mtod_offset(p->m, uint8_t *, ofs);
}

static inline uint16_t
exec_rd16(const uint8_t *b)
{
	return (uint16_t)((b[0] << 8) | b[1]);
}

static inline void
exec_wr16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* execute_hdr.c */
/** IP version of the packet's L3 header (4 or 6), 0 when it is not IP (cached in p->ipver). */
int exec_ip_version(const struct exec_pkt *p);
/** Apply one SET_FIELD with its checksum fix-ups; EXEC_STOP (counted) when the
 *  bytes lie deep in a chain and no mbuf was left to gather them. */
enum exec_verdict exec_set_field(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a);
/** RFC 1624 update of the checksum at @ck for bytes @old -> @new (first byte at parity @odd). */
void exec_csum_fix(uint8_t *ck, const uint8_t *old, const uint8_t *new_bytes, unsigned int len,
		   unsigned int odd, bool udp);
/** Apply a SET_FIELD on SL_LAYER_META: the tunnel metadata (exec_tnl_md_put hands it over). */
void exec_set_tunnel(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a);
/** Give @p m (about to be handed over) the tunnel metadata of @p p, when a set_field set it. */
void exec_tnl_md_put(const struct exec_run *r, const struct exec_pkt *p, struct rte_mbuf *m);
/** Rewrite the DSCP for a meter's dscp_remark band. */
void exec_dscp_remark(struct exec_run *r, struct exec_pkt *p, uint8_t prec_level);

/* execute.c */
/** Make the headers writable: the bytes header writers may touch in the first
 *  segment (pulled up into a fresh one when they are not), the IP version
 *  worked out again; EXEC_STOP (counted) when no mbuf was left for that. */
enum exec_verdict exec_make_writable(struct exec_run *r, struct exec_pkt *p);
/** Put the first @p len bytes of the packet (as many as fit) in a fresh first
 *  segment with a full headroom, the rest of the chain behind it; shared
 *  segments are never changed. 0, or -1 when the pool is empty (p->m is then
 *  the packet as it was, or NULL in the rare case it was lost half-way). */
int exec_pullup(struct exec_run *r, struct exec_pkt *p, uint32_t len);
/** Count a TTL drop; send the packet-in when the action asks (the packet is then taken). */
void exec_ttl_expired(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a);

/* execute_push.c */
enum exec_verdict exec_push_vlan(struct exec_run *r, struct exec_pkt *p, uint16_t tpid);
enum exec_verdict exec_pop_vlan(struct exec_run *r, struct exec_pkt *p);
enum exec_verdict exec_push_mpls(struct exec_run *r, struct exec_pkt *p, uint16_t ethertype);
enum exec_verdict exec_pop_mpls(struct exec_run *r, struct exec_pkt *p, uint16_t ethertype);
enum exec_verdict exec_push_pbb(struct exec_run *r, struct exec_pkt *p, uint16_t ethertype);
enum exec_verdict exec_pop_pbb(struct exec_run *r, struct exec_pkt *p);
enum exec_verdict exec_ttl(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a);
/** Re-parse the packet after headers moved: refresh layout, L4 protocol, fragment bits. */
void exec_reparse(struct exec_pkt *p);

#endif /* SL_EXECUTE_PRIVATE_H */
