/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Datapath action executor: the walk over an action list, CLONE contexts and
 * the copy/share rules (see sl_execute.h). Header rewrites live in
 * execute_hdr.c, push/pop and TTLs in execute_push.c.
 *
 * Before running a list we analyse it once (two passes over at most
 * SL_XLATE_MAX_ACTIONS entries, no allocation): for each action, whether a
 * later action of the same packet context still uses the packet (F_USE) and
 * whether one modifies it (F_MOD). That is what decides, at each consumer,
 * between handing over the original (last use), sharing it by reference count
 * (nothing changes it afterwards) and copying it (something does). Copies are
 * the only allocation on the fast path, so we make as few as the rules allow.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "execute_private.h"
#include "sl_flow_consts.h"
#include "sl_meter.h"

#define F_USE 0x01    /* a later action of this context uses the packet */
#define F_MOD 0x02    /* a later action of this context modifies the packet */
#define F_INLINE 0x04 /* CLONE: run the body on the packet itself, no copy */
#define F_SKIP 0x08   /* CLONE: the body has no consumer, nothing to run */
#define F_DEAD 0x10   /* no later consumer and no side effect: do not run */

#define NO_ITEM 0xff

/* ------------------------------------------------------------ analysis ---- */

/* What each action type does to the packet (index: enum sl_exec_type). */
#define K_CONSUMER 0x01  /* hands the packet to someone */
#define K_MODIFIER 0x02  /* changes packet bytes or mbuf metadata */
#define K_MAYBE 0x04     /* ... depending on its arguments (see action_kind) */
#define K_SIDE 0x08      /* has an effect besides the packet (meter buckets) */
static const uint8_t kinds[] = {
	[SL_EXEC_OUTPUT] = K_CONSUMER, [SL_EXEC_CONTROLLER] = K_CONSUMER, [SL_EXEC_CLONE] = 0,
	[SL_EXEC_SET_FIELD] = K_MODIFIER | K_MAYBE, [SL_EXEC_PUSH_VLAN] = K_MODIFIER,
	[SL_EXEC_POP_VLAN] = K_MODIFIER, [SL_EXEC_PUSH_MPLS] = K_MODIFIER, [SL_EXEC_POP_MPLS] = K_MODIFIER,
	[SL_EXEC_PUSH_PBB] = K_MODIFIER, [SL_EXEC_POP_PBB] = K_MODIFIER,
	[SL_EXEC_DEC_NW_TTL] = K_MODIFIER | K_MAYBE, [SL_EXEC_SET_NW_TTL] = K_MODIFIER,
	[SL_EXEC_DEC_MPLS_TTL] = K_MODIFIER | K_MAYBE, [SL_EXEC_SET_MPLS_TTL] = K_MODIFIER,
	[SL_EXEC_COPY_TTL_OUT] = K_MODIFIER, [SL_EXEC_COPY_TTL_IN] = K_MODIFIER,
	[SL_EXEC_SET_QUEUE] = K_MODIFIER,   /* mbuf metadata: no sharing across it */
	[SL_EXEC_METER] = K_MODIFIER | K_SIDE, /* a DSCP remark band rewrites the packet */
	/* The recirculated packet goes on to be changed: earlier users must not share it. */
	[SL_EXEC_RECIRC] = K_CONSUMER | K_MODIFIER,
};

static inline uint8_t
action_kind(const struct sl_exec_action *a)
{
	if (a->type >= sizeof(kinds))
		return 0; /* unknown: ignored when run */
	uint8_t k = kinds[a->type];
	if (!(k & K_MAYBE))
		return k;
	if (a->type == SL_EXEC_SET_FIELD) /* tunnel metadata too: it rides in the mbuf */
		return K_MODIFIER;
	return a->ttl.to_controller ? K_MODIFIER | K_CONSUMER : K_MODIFIER; /* packet-in on expiry */
}

static inline bool
is_modifier(const struct sl_exec_action *a)
{
	return action_kind(a) & K_MODIFIER;
}

/*
 * Record the item structure of [s, e): end[i] (index after the item starting
 * at i), prev[i] (previous item of the same range). A CLONE body is clamped to
 * its enclosing range. Returns the last item start, or NO_ITEM.
 */
static unsigned int
structure(struct exec_run *r, unsigned int s, unsigned int e)
{
	unsigned int last = NO_ITEM;
	for (unsigned int i = s; i < e;) {
		unsigned int next = i + 1;
		if (r->acts[i].type == SL_EXEC_CLONE) {
			next = i + 1 + r->acts[i].clone.n;
			if (next > e)
				next = e;
			r->body_last[i] = (uint8_t)structure(r, i + 1, next);
		}
		r->end[i] = (uint8_t)next;
		r->prev[i] = (uint8_t)last;
		last = i;
		i = next;
	}
	return last;
}

static bool
range_modifies(const struct exec_run *r, unsigned int s, unsigned int e)
{
	for (unsigned int i = s; i < e; i++)
		if (is_modifier(&r->acts[i]))
			return true;
	return false;
}

/* Flags of the (non-CLONE) action at @i given what follows; then account for it. */
static inline void
flag_action(struct exec_run *r, unsigned int i, bool *use, bool *mod)
{
	uint8_t k = action_kind(&r->acts[i]);
	r->flags[i] = (uint8_t)((*use ? F_USE : 0) | (*mod ? F_MOD : 0));
	if (!*use && !(k & (K_CONSUMER | K_SIDE)))
		r->flags[i] |= F_DEAD;
	*use = *use || (k & K_CONSUMER);
	*mod = *mod || (k & K_MODIFIER);
}

/*
 * Backward pass over one context, from its last item. *use / *mod: whether
 * something after the current point (this context's tail included) uses /
 * modifies the packet; updated to "from the start of the range".
 *
 * A CLONE runs inline (on the packet itself) when its body changes nothing,
 * or when nothing after it uses the packet (then nobody can tell that the
 * packet was not restored). Otherwise the body is a context of its own that
 * ends with the body, and the copy it gets protects the original.
 */
static void
analyze(struct exec_run *r, unsigned int last, bool *use, bool *mod)
{
	for (unsigned int i = last; i != NO_ITEM; i = r->prev[i]) {
		const struct sl_exec_action *a = &r->acts[i];
		if (a->type == SL_EXEC_CLONE) {
			if (!*use || !range_modifies(r, i + 1, r->end[i])) {
				r->flags[i] = F_INLINE;
				analyze(r, r->body_last[i], use, mod);
				continue;
			}
			bool body_use = false, body_mod = false;
			analyze(r, r->body_last[i], &body_use, &body_mod);
			r->flags[i] = body_use ? 0 : F_SKIP;
			*use = *use || body_use; /* taking the copy reads the packet */
			continue;
		}
		flag_action(r, i, use, mod);
	}
}

/* The common case, a list without CLONE: one backward pass. False if there is a CLONE. */
static bool
analyze_flat(struct exec_run *r, unsigned int n)
{
	bool use = false, mod = false;
	for (unsigned int i = n; i-- > 0;) {
		if (r->acts[i].type == SL_EXEC_CLONE)
			return false;
		flag_action(r, i, &use, &mod);
	}
	return true;
}

/* ------------------------------------------------------------ handing over ---- */

/* The mbuf a consumer gets, per the F_USE/F_MOD rules; NULL if a copy failed. */
static struct rte_mbuf *
take(struct exec_run *r, uint8_t f, struct exec_pkt *p)
{
	struct rte_mbuf *m = p->m;
	if (!(f & F_USE)) {
		p->m = NULL; /* the last use gets the original */
		return m;
	}
	if (!(f & F_MOD)) {
		sl_exec_share(m, 1);
		r->st->shares++;
		return m;
	}
	struct rte_mbuf *c = rte_pktmbuf_copy(m, r->env->pool, 0, UINT32_MAX);
	if (c == NULL)
		r->st->copy_failures++;
	else
		r->st->copies++;
	return c;
}

static void
send_output(struct exec_run *r, struct rte_mbuf *m, uint32_t port)
{
	if (r->env->output != NULL)
		r->env->output(r->env->ctx, port, r->in_port, m);
	else
		rte_pktmbuf_free(m);
}

static void
send_packet_in(struct exec_run *r, struct rte_mbuf *m, uint8_t reason, uint8_t table_id,
	       uint64_t cookie, uint16_t max_len)
{
	if (r->env->packet_in == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	r->env->packet_in(r->env->ctx, m, reason, table_id, cookie, max_len, r->in_port,
			  rte_be_to_cpu_64(r->key->metadata), rte_be_to_cpu_64(r->key->tunnel_id));
}

/* ------------------------------------------------------------ actions ---- */

static enum exec_verdict
do_meter(struct exec_run *r, struct exec_pkt *p, uint32_t meter_id)
{
	struct sl_meter *mt = r->env->meter ? r->env->meter(r->env->ctx, meter_id) : NULL;
	if (mt == NULL)
		return EXEC_CONTINUE;
	struct sl_meter_verdict v = sl_meter_apply(mt, r->env->now_ns, rte_pktmbuf_pkt_len(p->m));
	if (v.action == SL_METER_DROP) {
		r->st->meter_drops++;
		return EXEC_STOP;
	}
	if (v.action == SL_METER_REMARK)
		exec_dscp_remark(r, p, v.prec_level);
	return EXEC_CONTINUE;
}

/* ------------------------------------------------------------ headers ---- */

/* Bytes from the frame's start that header writers may touch (exec_at): the
 * innermost header the parser found and 64 bytes after its start (a TCP
 * header with options, an IP header behind a popped label), the whole
 * message for ICMPv6 (ND options follow the target), at most the frame. */
static uint32_t
header_span(const struct exec_pkt *p)
{
	uint32_t start = 0, len = rte_pktmbuf_pkt_len(p->m);

	if (p->lay.l4_ofs != SL_OFS_NONE) {
		if (p->l4_proto == SL_IPPROTO_ICMPV6)
			return len;
		start = p->lay.l4_ofs;
	} else if (p->lay.l3_ofs != SL_OFS_NONE) {
		start = p->lay.l3_ofs;
	} else if (p->lay.mpls_ofs != SL_OFS_NONE) {
		start = p->lay.mpls_ofs;
	} else if (p->lay.pbb_ofs != SL_OFS_NONE) {
		start = p->lay.pbb_ofs;
	}
	return RTE_MIN(start + 64, len);
}

/* Give the packet a fresh first segment from the copy pool holding its first
 * @len bytes (or as many as fit behind a full headroom); the rest of the chain
 * follows as it was. Segments wholly inside the moved bytes are released; the
 * one the cut falls in is trimmed when it is ours alone, and otherwise
 * replaced by an indirect mbuf onto the same buffer, since another holder
 * (refcnt > 1) must not see its data_off move. The old head, ours by the
 * executor's contract, keeps its buffer but no longer leads the packet. */
int
exec_pullup(struct exec_run *r, struct exec_pkt *p, uint32_t len)
{
	struct rte_mbuf *m = p->m, *h, *s, *next;
	uint32_t pkt_len = rte_pktmbuf_pkt_len(m), n = 0, skip;
	uint16_t nb_segs = 1;

	h = rte_pktmbuf_alloc(r->env->pool);
	if (h == NULL)
		return -1;
	len = RTE_MIN(RTE_MIN(len, pkt_len), (uint32_t)rte_pktmbuf_tailroom(h));
	for (s = m; n < len; s = s->next) {
		uint32_t k = RTE_MIN((uint32_t)s->data_len, len - n);
		memcpy(rte_pktmbuf_mtod_offset(h, uint8_t *, n), rte_pktmbuf_mtod(s, uint8_t *), k);
		n += k;
	}
	/* The packet's metadata, before the old head may be released. */
	h->port = m->port;
	h->vlan_tci = m->vlan_tci;
	h->vlan_tci_outer = m->vlan_tci_outer;
	h->tx_offload = m->tx_offload;
	h->hash = m->hash;
	h->packet_type = m->packet_type;
	h->ol_flags = m->ol_flags & ~(RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT);
	rte_mbuf_dynfield_copy(h, m);
	/* Release the segments whose bytes all moved (a shared one loses one
	 * reference, its next pointer untouched), then trim the cut one. */
	for (s = m, skip = len; s != NULL && skip > 0 && skip >= s->data_len; s = next) {
		skip -= s->data_len;
		next = s->next;
		rte_pktmbuf_free_seg(s);
	}
	if (s != NULL && skip > 0) {
		if (rte_mbuf_refcnt_read(s) != 1) {
			struct rte_mbuf *c = rte_pktmbuf_alloc(r->env->pool);
			if (c == NULL) {
				/* The moved bytes' segments are gone: the packet is lost. */
				rte_pktmbuf_free(s);
				rte_pktmbuf_free(h);
				p->m = NULL;
				return -1;
			}
			next = s->next;
			rte_pktmbuf_attach(c, s);
			rte_pktmbuf_free_seg(s);
			c->next = next;
			s = c;
		}
		s->data_off = (uint16_t)(s->data_off + skip);
		s->data_len = (uint16_t)(s->data_len - skip);
	}
	h->next = s;
	for (; s != NULL; s = s->next)
		nb_segs++;
	h->data_len = (uint16_t)len;
	h->pkt_len = pkt_len;
	h->nb_segs = nb_segs;
	p->m = h;
	r->st->pullups++;
	return 0;
}

/* Make the packet's headers writable: all of header_span() in its first
 * segment, which is the packet's own (sl_execute.h: refcnt 1). A chained
 * packet whose first segment holds them stays as it is; otherwise the
 * headers are pulled up into a fresh first segment, never linearising the
 * whole frame (a 9000-byte chain does not fit one mbuf). Checked before
 * every writer, as a push or pop moves the headers. The IP version is
 * worked out again each time: the one sl_execute() found saw only the first
 * segment, and a clone's copy inherits it although its own first segment
 * holds more. A first segment as long as a fresh one can be is as good as
 * it gets (headers deeper than that: writers past it count truncated). */
enum exec_verdict
exec_make_writable(struct exec_run *r, struct exec_pkt *p)
{
	uint32_t span = header_span(p);
	uint32_t room = rte_pktmbuf_data_room_size(r->env->pool) - RTE_PKTMBUF_HEADROOM;

	if (p->m->data_len < span && p->m->data_len < room && exec_pullup(r, p, span) != 0) {
		r->st->pullup_failures++;
		return EXEC_STOP; /* the packet (or, rarely, what is left of it) is freed */
	}
	p->ipver = (uint8_t)exec_ip_version(p);
	return EXEC_CONTINUE;
}

static enum exec_verdict
exec_action(struct exec_run *r, const struct sl_exec_action *a, uint8_t f, struct exec_pkt *p)
{
	struct rte_mbuf *m;

	/* Header writers need one segment; meters, SET_QUEUE and the tunnel
	 * metadata see to themselves. */
	if (is_modifier(a) && a->type != SL_EXEC_METER && a->type != SL_EXEC_SET_QUEUE &&
	    !(a->type == SL_EXEC_SET_FIELD && a->set_field.layer == SL_LAYER_META) &&
	    exec_make_writable(r, p) == EXEC_STOP)
		return EXEC_STOP;
	switch (a->type) {
	case SL_EXEC_OUTPUT:
		m = take(r, f, p);
		if (m != NULL) {
			exec_tnl_md_put(r, p, m);
			send_output(r, m, a->output.port);
		}
		return EXEC_CONTINUE;
	case SL_EXEC_CONTROLLER:
		m = take(r, f, p);
		if (m != NULL)
			send_packet_in(r, m, a->controller.reason, a->controller.table_id,
				       a->controller.cookie, a->controller.max_len);
		return EXEC_CONTINUE;
	case SL_EXEC_SET_FIELD:
		return exec_set_field(r, p, a);
	case SL_EXEC_PUSH_VLAN:
		return exec_push_vlan(r, p, a->push.ethertype);
	case SL_EXEC_POP_VLAN:
		return exec_pop_vlan(r, p);
	case SL_EXEC_PUSH_MPLS:
		return exec_push_mpls(r, p, a->push.ethertype);
	case SL_EXEC_POP_MPLS:
		return exec_pop_mpls(r, p, a->push.ethertype);
	case SL_EXEC_PUSH_PBB:
		return exec_push_pbb(r, p, a->push.ethertype);
	case SL_EXEC_POP_PBB:
		return exec_pop_pbb(r, p);
	case SL_EXEC_DEC_NW_TTL:
	case SL_EXEC_SET_NW_TTL:
	case SL_EXEC_DEC_MPLS_TTL:
	case SL_EXEC_SET_MPLS_TTL:
	case SL_EXEC_COPY_TTL_OUT:
	case SL_EXEC_COPY_TTL_IN:
		return exec_ttl(r, p, a);
	case SL_EXEC_SET_QUEUE:
		p->m->hash.sched.queue_id = a->queue_id;
		return EXEC_CONTINUE;
	case SL_EXEC_METER:
		return do_meter(r, p, a->meter_id);
	case SL_EXEC_RECIRC:
		/* The callee changes the packet: a copy unless this is its last use. */
		if (f & F_USE) {
			m = rte_pktmbuf_copy(p->m, r->env->pool, 0, UINT32_MAX);
			r->st->copies += m != NULL;
			r->st->copy_failures += m == NULL;
		} else {
			m = p->m;
			p->m = NULL;
		}
		if (m != NULL)
			exec_tnl_md_put(r, p, m);
		if (m != NULL && r->env->recirc != NULL)
			r->env->recirc(r->env->ctx, m, a->recirc_id, r->in_port);
		else if (m != NULL)
			rte_pktmbuf_free(m);
		return EXEC_CONTINUE;
	default:
		return EXEC_CONTINUE; /* unknown: ignore rather than drop */
	}
}

/* TTL expiry: the packet-in (if asked) gets the packet; this context ends. */
void
exec_ttl_expired(struct exec_run *r, struct exec_pkt *p, const struct sl_exec_action *a)
{
	r->st->ttl_drops++;
	if (a->ttl.to_controller && p->m != NULL) {
		struct rte_mbuf *m = p->m;
		p->m = NULL;
		r->st->ttl_to_controller++;
		send_packet_in(r, m, OFPR_INVALID_TTL, a->ttl.table_id, a->ttl.cookie,
			       OFPCML_NO_BUFFER);
	}
}

static void run_range(struct exec_run *r, unsigned int s, unsigned int e, struct exec_pkt *p);

/* A CLONE whose body modifies the packet and is followed by a use: run the body on a copy. */
static void
run_clone(struct exec_run *r, unsigned int i, struct exec_pkt *p)
{
	struct exec_pkt c = *p;
	c.m = rte_pktmbuf_copy(p->m, r->env->pool, 0, UINT32_MAX);
	if (c.m == NULL) {
		r->st->copy_failures++;
		return;
	}
	r->st->copies++;
	run_range(r, i + 1, r->end[i], &c);
}

/* Run the items of [s, e) on @p p; frees the packet if nobody took it. */
static void
run_range(struct exec_run *r, unsigned int s, unsigned int e, struct exec_pkt *p)
{
	unsigned int i = s;
	bool stopped = false;
	while (i < e && p->m != NULL) {
		const struct sl_exec_action *a = &r->acts[i];
		uint8_t f = r->flags[i];
		if (a->type == SL_EXEC_CLONE) {
			if (f & F_INLINE) {
				i++; /* the body follows: just walk on */
				continue;
			}
			if (!(f & F_SKIP))
				run_clone(r, i, p);
			i = r->end[i];
			continue;
		}
		i++;
		if (f & F_DEAD)
			continue;
		if (exec_action(r, a, f, p) == EXEC_STOP) {
			stopped = true; /* counted by the action that stopped it */
			break;
		}
	}
	if (p->m != NULL) {
		if (!stopped)
			r->st->unconsumed++;
		rte_pktmbuf_free(p->m);
		p->m = NULL;
	}
}

void
sl_execute(const struct sl_exec_action *acts, unsigned int n, struct rte_mbuf *m,
	   const struct sl_flow_key *key, const struct sl_pkt_layout *layout,
	   const struct sl_exec_env *env, struct sl_exec_stats *st)
{
	struct sl_exec_stats dummy;
	struct exec_run r;
	struct exec_pkt p;

	if (m == NULL)
		return;
	if (n == 0 || acts == NULL) {
		rte_pktmbuf_free(m); /* an empty list is a drop */
		return;
	}
	if (n > SL_XLATE_MAX_ACTIONS)
		n = SL_XLATE_MAX_ACTIONS;
	if (n == 1 && acts[0].type == SL_EXEC_OUTPUT && env->output != NULL) {
		/* The most common list by far: nothing to analyse. */
		env->output(env->ctx, acts[0].output.port, rte_be_to_cpu_32(key->in_port), m);
		return;
	}
	r.acts = acts;
	r.key = key;
	r.env = env;
	r.st = st != NULL ? st : &dummy;
	r.in_port = rte_be_to_cpu_32(key->in_port);
	if (!analyze_flat(&r, n)) {
		unsigned int last = structure(&r, 0, n);
		bool use = false, mod = false;
		analyze(&r, last, &use, &mod);
	}

	p.m = m;
	p.lay = *layout;
	p.l4_proto = key->ip_proto;
	p.nw_frag = key->nw_frag;
	p.ipver = (uint8_t)exec_ip_version(&p);
	p.tmd_set = false;
	run_range(&r, 0, n, &p);
}
