/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the action executor (dataplane/execute). The input
 * picks a frame (one of exec_test_util's well-formed kinds with bytes
 * patched, or raw bytes; sometimes with a long payload, sometimes truncated
 * after it was parsed, so that the layout claims headers the packet no
 * longer holds) and an action list: OpenFlow actions translated by
 * lib/pipeline (set-field on every writable field, push/pop, TTLs, groups
 * that clone and share), raw datapath actions with any layer, offset,
 * length, mask and checksum flags, or both. The list runs twice:
 *  - on the frame as one mbuf, and
 *  - on the same bytes cut into 1..6 segments of random sizes, some of
 *    whose later segments are shared (a reference the harness keeps), with
 *    the same headroom and tailroom at the head;
 * both with mbufs from the pool or with external buffers malloc'ed to the
 * byte (rte_pktmbuf_attach_extbuf), so that ASan sees any write past a
 * buffer. The head always has reference count 1, as sl_execute() requires.
 * Checked:
 *  - every mbuf handed to an output, packet-in or recirculation is well
 *    formed (rte_mbuf_check, pkt_len == sum of data_len) and is not changed
 *    afterwards (bytes and queue id compared when the run ends);
 *  - the chained run sends exactly what the flat run sends (same order,
 *    ports, packet-in metadata, bytes), as a chained packet is the same
 *    packet, unless the pool ran out (a copy, a pull-up or a push failed);
 *  - the shared segments the harness kept are unchanged;
 *  - every mbuf is back in the pool once the outputs are freed (in-use
 *    count back to its value before the input).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "exec_test_util.h"
#include "sl_execute.h"
#include "sl_flow_consts.h"
#include "sl_flow_parse.h"
#include "sl_meter.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

#define MAX_FRAME 1700
#define MAX_GROWTH 22 /* a push adds at most this (PBB: 18 bytes; VLAN, MPLS: 4) */
#define MAX_PKT (MAX_FRAME + SL_XLATE_MAX_ACTIONS * MAX_GROWTH)
#define MAX_OUT 160
#define MAX_SEGS 6

/* ------------------------------------------------------- input bytes ---- */

static const uint8_t *in_p;
static size_t in_n, in_i;

static uint32_t
rnd(uint32_t n)
{
	uint32_t v = 0;

	if (n <= 1)
		return 0;
	for (uint32_t span = 1; span < n && span != 0; span <<= 8)
		v = v << 8 | (in_i < in_n ? in_p[in_i++] : 0);
	return v % n;
}

static void __attribute__((noreturn))
fail(const char *what)
{
	fprintf(stderr, "fuzz_exec: invariant violated: %s\n", what);
	abort();
}

/* ----------------------------------------------------------- capture ---- */

enum { OUT_PORT = 1, OUT_PIN, OUT_RECIRC };

struct out {
	uint8_t kind, reason, table_id;
	uint16_t max_len;
	uint32_t port, len, queue;
	uint64_t cookie, metadata;
	struct rte_mbuf *m;
	uint8_t snap[MAX_PKT];
};

struct cap {
	unsigned int n, dropped;
	struct out o[MAX_OUT];
	struct sl_meter *meter;
};

static struct cap caps[2]; /* [0] flat run, [1] chained run */
static uint32_t len_limit; /* longest a packet may become: its length + pushes */

static void
check_mbuf(const struct rte_mbuf *m)
{
	const char *why = NULL;
	uint32_t sum = 0;
	uint16_t n = 0;

	if (rte_mbuf_check(m, 1, &why) != 0) {
		fprintf(stderr, "fuzz_exec: %s\n", why);
		fail("a packet handed over is not a valid mbuf");
	}
	for (const struct rte_mbuf *s = m; s != NULL; s = s->next, n++)
		sum += s->data_len;
	if (sum != rte_pktmbuf_pkt_len(m) || n != m->nb_segs)
		fail("pkt_len / nb_segs disagree with the segments");
	if (rte_pktmbuf_pkt_len(m) > len_limit)
		fail("a packet grew past what its pushes allow");
}

static struct out *
record(struct cap *c, uint8_t kind, struct rte_mbuf *m)
{
	const void *d;
	struct out *o;

	check_mbuf(m);
	if (c->n == MAX_OUT) {
		c->dropped++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	o = &c->o[c->n++];
	memset(o, 0, offsetof(struct out, snap));
	o->kind = kind;
	o->m = m;
	o->len = rte_pktmbuf_pkt_len(m);
	o->queue = m->hash.sched.queue_id;
	d = rte_pktmbuf_read(m, 0, o->len, o->snap);
	if (d == NULL)
		fail("a packet handed over cannot be read to its length");
	if (d != o->snap)
		memcpy(o->snap, d, o->len);
	return o;
}

static void
cap_output(void *ctx, uint32_t ofport, uint32_t in_port, struct rte_mbuf *m)
{
	struct out *o = record(ctx, OUT_PORT, m);

	(void)in_port;
	if (o)
		o->port = ofport;
}

static void
cap_packet_in(void *ctx, struct rte_mbuf *m, uint8_t reason, uint8_t table_id, uint64_t cookie,
	      uint16_t max_len, uint32_t in_port, uint64_t metadata, uint64_t tunnel_id)
{
	struct out *o = record(ctx, OUT_PIN, m);

	(void)tunnel_id;
	if (o) {
		o->reason = reason;
		o->table_id = table_id;
		o->cookie = cookie;
		o->max_len = max_len;
		o->port = in_port;
		o->metadata = metadata;
	}
}

static void
cap_recirc(void *ctx, struct rte_mbuf *m, uint32_t recirc_id, uint32_t in_port)
{
	struct out *o = record(ctx, OUT_RECIRC, m);

	(void)in_port;
	if (o)
		o->port = recirc_id;
}

static struct sl_meter *
cap_meter(void *ctx, uint32_t id)
{
	return id == 1 ? ((struct cap *)ctx)->meter : NULL;
}

/* Nothing handed over changed afterwards; then free it all. */
static void
cap_finish(struct cap *c)
{
	static uint8_t now[MAX_PKT];

	for (unsigned int i = 0; i < c->n; i++) {
		struct out *o = &c->o[i];
		const uint8_t *d = rte_pktmbuf_read(o->m, 0, o->len, now);

		if (rte_pktmbuf_pkt_len(o->m) != o->len || d == NULL ||
		    memcmp(d, o->snap, o->len) != 0 || o->m->hash.sched.queue_id != o->queue)
			fail("a packet changed after it was handed over (shared and modified?)");
	}
	for (unsigned int i = 0; i < c->n; i++)
		rte_pktmbuf_free(c->o[i].m);
	c->n = 0;
}

/* On a failure: what ran and what came out. */
static void
dump(const struct sl_exec_action *acts, unsigned int n, const struct sl_exec_stats *st)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct sl_exec_action *a = &acts[i];

		fprintf(stderr, "  action %u: type %u", i, a->type);
		if (a->type == SL_EXEC_SET_FIELD)
			fprintf(stderr, " field %u layer %u offset %u len %u csum %#x",
				a->set_field.field, a->set_field.layer, a->set_field.offset,
				a->set_field.len, a->set_field.csum);
		else if (a->type == SL_EXEC_CLONE)
			fprintf(stderr, " n %u", a->clone.n);
		fputc('\n', stderr);
	}
	for (int r = 0; r < 2; r++) {
		fprintf(stderr, " run %d: truncated %lu bad_layout %lu push_failures %lu copies %lu\n",
			r, (unsigned long)st[r].truncated, (unsigned long)st[r].bad_layout,
			(unsigned long)st[r].push_failures, (unsigned long)st[r].copies);
		for (unsigned int i = 0; i < caps[r].n; i++) {
			const struct out *o = &caps[r].o[i];

			fprintf(stderr, "  out %u: kind %u port %u queue %u len %u:", i, o->kind, o->port,
				o->queue, o->len);
			for (uint32_t k = 0; k < o->len && k < 64; k++)
				fprintf(stderr, " %02x", o->snap[k]);
			fputc('\n', stderr);
		}
	}
}

static bool
same_outputs(const struct cap *a, const struct cap *b)
{
	if (a->n != b->n || a->dropped != b->dropped)
		return false;
	for (unsigned int i = 0; i < a->n; i++) {
		const struct out *x = &a->o[i], *y = &b->o[i];

		if (memcmp(x, y, offsetof(struct out, m)) != 0 || memcmp(x->snap, y->snap, x->len) != 0)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ mbufs ---- */

static void
extbuf_free(void *addr, void *opaque)
{
	free(addr);
	free(opaque);
}

/* An mbuf whose data buffer is exactly @p room bytes of malloc'ed memory
 * (the shared info lives apart), @p head bytes of it headroom. */
static struct rte_mbuf *
ext_mbuf(uint32_t room, uint16_t head)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(xt_pool());
	struct rte_mbuf_ext_shared_info *sh = calloc(1, sizeof(*sh));
	uint8_t *buf = malloc(room ? room : 1);

	if (m == NULL || sh == NULL || buf == NULL) {
		rte_pktmbuf_free(m);
		free(sh);
		free(buf);
		return NULL;
	}
	sh->free_cb = extbuf_free;
	sh->fcb_opaque = sh;
	rte_mbuf_ext_refcnt_set(sh, 1);
	rte_pktmbuf_attach_extbuf(m, buf, (rte_iova_t)(uintptr_t)buf, (uint16_t)room, sh);
	m->data_off = head;
	return m;
}

/* A segment holding @p len bytes of @p d, @p head bytes of headroom and
 * room for @p room bytes in all. */
static struct rte_mbuf *
segment(bool ext, const uint8_t *d, uint32_t len, uint16_t head, uint32_t room)
{
	struct rte_mbuf *m;

	if (ext) {
		m = ext_mbuf(head + room, head);
	} else {
		m = rte_pktmbuf_alloc(xt_pool());
		if (m != NULL)
			m->data_off = head;
	}
	if (m == NULL)
		return NULL;
	memset(&m->hash, 0, sizeof(m->hash)); /* the queue id SET_QUEUE writes there */
	if (len && rte_pktmbuf_append(m, (uint16_t)len) == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), d, len);
	return m;
}

struct shared_seg {
	struct rte_mbuf *m;
	uint16_t len;
	uint8_t d[MAX_FRAME];
};

static struct shared_seg shared[MAX_SEGS];
static unsigned int n_shared;

/* The frame cut into @p nseg segments at the input's cuts; the head has
 * headroom @p head and tailroom @p tail past the whole frame (as the flat
 * mbuf has). Later segments are shared with the harness when @p share. */
static struct rte_mbuf *
chain(bool ext, const uint8_t *f, uint32_t len, unsigned int nseg, uint16_t head, uint16_t tail,
      bool share)
{
	struct rte_mbuf *m = NULL, *last = NULL;
	uint32_t off = 0;

	for (unsigned int s = 0; s < nseg; s++) {
		uint32_t k = s + 1 == nseg ? len - off : rnd(len - off + 1);
		bool first = m == NULL;
		struct rte_mbuf *seg = segment(ext, f + off, k, first ? head : (uint16_t)rnd(64),
					       first ? len + tail : k + rnd(64));
		if (seg == NULL)
			fail("cannot build the chain (pool too small?)");
		if (!first && share && rnd(2) && n_shared < MAX_SEGS) {
			struct shared_seg *h = &shared[n_shared++];

			rte_mbuf_refcnt_update(seg, 1);
			h->m = seg;
			h->len = (uint16_t)k;
			memcpy(h->d, f + off, k);
		}
		if (first) {
			m = seg;
		} else {
			last->next = seg;
			m->nb_segs++;
			m->pkt_len += k;
		}
		last = seg;
		off += k;
	}
	return m;
}

static void
shared_finish(void)
{
	for (unsigned int i = 0; i < n_shared; i++) {
		struct shared_seg *h = &shared[i];

		if (h->m->data_len != h->len ||
		    memcmp(rte_pktmbuf_mtod(h->m, uint8_t *), h->d, h->len) != 0)
			fail("a shared segment was written");
		rte_pktmbuf_free_seg(h->m);
	}
	n_shared = 0;
}

/* ------------------------------------------------------------ frames ---- */

/* A frame: a well-formed kind with a few bytes changed, or raw bytes; a
 * long payload now and then (long chains: headers pulled up, payload in place). */
static uint32_t
frame(uint8_t *f)
{
	struct xt_pb b;
	uint32_t kind = rnd(XK_TCP4_OPTS + 3), len;

	if (kind > XK_TCP4_OPTS) {
		len = rnd(200);
		for (uint32_t i = 0; i < len; i++)
			f[i] = (uint8_t)rnd(256);
		return len;
	}
	xt_build((enum xt_kind)kind, &b);
	len = b.len;
	memcpy(f, b.d, len);
	for (unsigned int k = rnd(4); k > 0; k--)
		f[rnd(len)] = (uint8_t)rnd(256);
	if (rnd(6) == 0) {
		uint32_t extra = rnd(MAX_FRAME - len + 1);

		for (uint32_t i = 0; i < extra; i++)
			f[len + i] = (uint8_t)i;
		len += extra;
	}
	return len;
}

/* ----------------------------------------------------------- actions ---- */

static struct sl_pipeline *pl; /* translates OpenFlow action lists; groups 1..5 */

static void
of_set_field(struct sl_action *a)
{
	const struct sl_field_desc *d = NULL;

	for (int tries = 0; tries < 8 && (d == NULL || !d->writable); tries++)
		d = sl_field_by_oxm(rnd(SL_OXM_N_FIELDS));
	if (d == NULL || !d->writable)
		d = sl_field_by_oxm(OFPXMT_OFB_IPV4_DST);
	a->type = OFPAT_SET_FIELD;
	a->set_field.field = d->oxm;
	a->set_field.len = d->len;
	for (unsigned int i = 0; i < d->len; i++)
		a->set_field.value[i] = (uint8_t)rnd(256);
	if (d->len <= 8 && d->valid_bits) {
		uint64_t v = 0;

		for (unsigned int i = 0; i < d->len; i++)
			v = v << 8 | a->set_field.value[i];
		v &= d->valid_bits;
		for (unsigned int i = 0; i < d->len; i++)
			a->set_field.value[d->len - 1 - i] = (uint8_t)(v >> (8 * i));
	}
}

static void
of_action(struct sl_action *a)
{
	static const uint32_t ports[] = { 1, 2, 3, 4, OFPP_IN_PORT, OFPP_FLOOD, OFPP_ALL,
					  OFPP_CONTROLLER, OFPP_LOCAL };
	static const uint16_t types[] = {
		OFPAT_PUSH_VLAN, OFPAT_POP_VLAN, OFPAT_PUSH_MPLS, OFPAT_POP_MPLS, OFPAT_PUSH_PBB,
		OFPAT_POP_PBB, OFPAT_DEC_NW_TTL, OFPAT_SET_NW_TTL, OFPAT_DEC_MPLS_TTL,
		OFPAT_SET_MPLS_TTL, OFPAT_COPY_TTL_OUT, OFPAT_COPY_TTL_IN, OFPAT_SET_QUEUE,
	};
	uint32_t k = rnd(16);

	memset(a, 0, sizeof(*a));
	if (k < 4) {
		a->type = OFPAT_OUTPUT;
		a->output.port = ports[rnd(sizeof(ports) / sizeof(ports[0]))];
		a->output.max_len = (uint16_t)(rnd(2) ? OFPCML_NO_BUFFER : rnd(200));
	} else if (k < 6) {
		a->type = OFPAT_GROUP;
		a->group_id = 1 + rnd(5);
	} else if (k < 11) {
		of_set_field(a);
	} else {
		a->type = types[rnd(sizeof(types) / sizeof(types[0]))];
		switch (a->type) {
		case OFPAT_PUSH_VLAN: a->ethertype = rnd(2) ? SL_ETH_VLAN : SL_ETH_QINQ; break;
		case OFPAT_PUSH_MPLS: a->ethertype = rnd(2) ? SL_ETH_MPLS : SL_ETH_MPLS_MC; break;
		case OFPAT_POP_MPLS: a->ethertype = rnd(2) ? SL_ETH_IPV4 : SL_ETH_MPLS; break;
		case OFPAT_PUSH_PBB: a->ethertype = SL_ETH_PBB; break;
		default: a->ttl = (uint8_t)rnd(4); a->queue_id = rnd(8); break;
		}
	}
}

/* OpenFlow actions translated on the packet's key (packet-out style). */
static unsigned int
translated(const struct sl_flow_key *key, struct sl_exec_action *out, unsigned int cap)
{
	static struct sl_xlate_result res;
	struct sl_action acts[12];
	unsigned int n = 1 + rnd(12);

	for (unsigned int i = 0; i < n; i++)
		of_action(&acts[i]);
	if (sl_actions_validate(acts, n, NULL, true) != 0 ||
	    sl_xlate_actions(pl, key, acts, n, &res) != 0)
		return 0;
	n = res.n_actions < cap ? res.n_actions : cap;
	memcpy(out, res.actions, n * sizeof(*out));
	return n;
}

/* Raw datapath actions: any type, layer, offset, length, mask, checksum. */
static void
raw_action(struct sl_exec_action *a)
{
	memset(a, 0, sizeof(*a));
	a->type = (uint8_t)(1 + rnd(SL_EXEC_RECIRC + 1)); /* one past the last: unknown */
	switch (a->type) {
	case SL_EXEC_OUTPUT: a->output.port = rnd(6); break;
	case SL_EXEC_CONTROLLER:
		a->controller.reason = (uint8_t)rnd(3);
		a->controller.max_len = (uint16_t)(rnd(2) ? 0xffff : rnd(128));
		a->controller.cookie = rnd(4);
		break;
	case SL_EXEC_CLONE: a->clone.n = (uint16_t)rnd(8); break;
	case SL_EXEC_SET_FIELD:
		a->set_field.field = (uint8_t)rnd(SL_OXM_N_FIELDS);
		a->set_field.layer = (uint8_t)rnd(SL_LAYER_META + 2);
		a->set_field.offset = (uint16_t)(rnd(8) ? rnd(48) : rnd(2000));
		a->set_field.len = (uint8_t)rnd(18);
		a->set_field.csum = (uint8_t)rnd(16);
		a->set_field.shift = (uint8_t)rnd(8);
		for (int i = 0; i < 16; i++) {
			a->set_field.value[i] = (uint8_t)rnd(256);
			a->set_field.mask[i] = rnd(2) ? 0xff : (uint8_t)rnd(256);
		}
		break;
	case SL_EXEC_PUSH_VLAN: case SL_EXEC_PUSH_MPLS: case SL_EXEC_POP_MPLS:
	case SL_EXEC_PUSH_PBB:
		a->push.ethertype = (uint16_t)(rnd(2) ? SL_ETH_IPV4 : 0x8100 + rnd(0x800));
		break;
	case SL_EXEC_DEC_NW_TTL: case SL_EXEC_SET_NW_TTL: case SL_EXEC_DEC_MPLS_TTL:
	case SL_EXEC_SET_MPLS_TTL: case SL_EXEC_COPY_TTL_OUT: case SL_EXEC_COPY_TTL_IN:
		a->ttl.ttl = (uint8_t)rnd(3);
		a->ttl.to_controller = (uint8_t)rnd(2);
		a->ttl.table_id = (uint8_t)rnd(4);
		break;
	case SL_EXEC_SET_QUEUE: a->queue_id = rnd(8); break;
	case SL_EXEC_METER: a->meter_id = rnd(3); break;
	default: a->recirc_id = rnd(4); break;
	}
}

static unsigned int
action_list(const struct sl_flow_key *key, struct sl_exec_action *acts)
{
	unsigned int n = 0;
	uint32_t how = rnd(4);

	if (how != 1)
		n = translated(key, acts, SL_XLATE_MAX_ACTIONS);
	if (how != 0) {
		/* raw actions, inserted anywhere */
		for (unsigned int k = rnd(16); k > 0 && n < SL_XLATE_MAX_ACTIONS; k--) {
			unsigned int at = rnd(n + 1);

			memmove(&acts[at + 1], &acts[at], (n - at) * sizeof(*acts));
			raw_action(&acts[at]);
			n++;
		}
	}
	return n;
}

/* ------------------------------------------------------------- runs ---- */

static void
run(struct cap *c, struct rte_mbuf *m, const struct sl_exec_action *acts, unsigned int n,
    const struct sl_flow_key *key, const struct sl_pkt_layout *lay, uint16_t band,
    struct sl_exec_stats *st)
{
	struct sl_exec_env env = {
		.ctx = c, .output = cap_output, .packet_in = cap_packet_in, .meter = cap_meter,
		.recirc = cap_recirc, .pool = xt_pool(), .now_ns = 1000000000ull,
	};

	c->n = c->dropped = 0;
	c->meter = band ? xt_meter(band, 1) : NULL;
	memset(st, 0, sizeof(*st));
	sl_execute(acts, n, m, key, lay, &env, st);
}

static void
one_input(void)
{
	static uint8_t f[MAX_FRAME];
	static struct sl_exec_action acts[SL_XLATE_MAX_ACTIONS + 1];
	struct sl_exec_stats st[2];
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	uint32_t len = frame(f), plen;
	uint32_t flags = rnd(256);
	bool ext = flags & 1, share = flags & 2;
	uint16_t head = (uint16_t)(flags & 4 ? rnd(RTE_PKTMBUF_HEADROOM + 1) : RTE_PKTMBUF_HEADROOM);
	uint16_t tail = (uint16_t)rnd(64);
	uint16_t band = flags & 8 ? (rnd(2) ? OFPMBT_DROP : OFPMBT_DSCP_REMARK) : 0;
	unsigned int nseg = 1 + rnd(MAX_SEGS), n, chained_head;
	struct rte_mbuf *flat, *chained;

	sl_flow_parse(f, len, 1 + rnd(4), 0, 0, &key, &lay);
	key.metadata = rte_cpu_to_be_64(0x1122334455667788ull);
	plen = flags & 16 ? rnd(len + 1) : len; /* truncated after parsing */
	n = action_list(&key, acts);
	len_limit = plen;
	for (unsigned int i = 0; i < n; i++)
		if (acts[i].type == SL_EXEC_PUSH_VLAN || acts[i].type == SL_EXEC_PUSH_MPLS ||
		    acts[i].type == SL_EXEC_PUSH_PBB)
			len_limit += MAX_GROWTH;
	flat = segment(ext, f, plen, head, plen + tail);
	chained = chain(ext, f, plen, nseg, head, tail, share);
	if (flat == NULL || chained == NULL)
		fail("cannot build the packet (pool too small?)");
	chained_head = chained->data_len;
	run(&caps[0], flat, acts, n, &key, &lay, band, &st[0]);
	run(&caps[1], chained, acts, n, &key, &lay, band, &st[1]);
	/* Only an empty pool may make the two runs differ. */
	uint64_t no_mbuf = st[0].copy_failures + st[1].copy_failures + st[0].pullup_failures +
			   st[1].pullup_failures + st[0].push_failures + st[1].push_failures;
	if (no_mbuf == 0 &&
	    !same_outputs(&caps[0], &caps[1])) {
		fprintf(stderr, "fuzz_exec: %u segments (head %u bytes), flat sent %u, chained %u\n",
			nseg, chained_head, caps[0].n, caps[1].n);
		dump(acts, n, st);
		fail("a chained packet is not forwarded as the same flat packet");
	}
	for (int i = 0; i < 2; i++) {
		cap_finish(&caps[i]);
		if (caps[i].meter)
			sl_meter_destroy(caps[i].meter);
	}
	shared_finish();
}

/* ------------------------------------------------------------- entry ---- */

/* Groups the translated lists use: they clone, share, rewrite and nest. */
static void
add_groups(void)
{
	static struct sl_action a1[] = {
		{ .type = OFPAT_OUTPUT, .output = { 1, 0xffff } },
		{ .type = OFPAT_DEC_NW_TTL },
		{ .type = OFPAT_OUTPUT, .output = { 2, 0xffff } },
		{ .type = OFPAT_PUSH_VLAN, .ethertype = SL_ETH_VLAN },
		{ .type = OFPAT_OUTPUT, .output = { 3, 0xffff } },
	};
	static struct sl_action a2[] = {
		{ .type = OFPAT_PUSH_MPLS, .ethertype = SL_ETH_MPLS },
		{ .type = OFPAT_OUTPUT, .output = { OFPP_IN_PORT, 0xffff } },
		{ .type = OFPAT_GROUP, .group_id = 1 },
		{ .type = OFPAT_OUTPUT, .output = { OFPP_CONTROLLER, 64 } },
	};
	struct sl_bucket all[] = {
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &a1[0] },
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = &a1[1] },
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = &a1[3] },
	};
	struct sl_bucket sel[] = {
		{ .weight = 1, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = &a1[1] },
		{ .weight = 2, .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = &a2[0] },
	};
	struct sl_bucket ind[] = {
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = &a2[2] },
	};
	struct sl_bucket ff[] = {
		{ .watch_port = 9, .watch_group = OFPG_ANY, .n_actions = 1, .actions = &a1[0] },
		{ .watch_port = 2, .watch_group = OFPG_ANY, .n_actions = 2, .actions = &a1[3] },
	};
	struct sl_bucket all2[] = {
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 3, .actions = &a2[1] },
		{ .watch_port = OFPP_ANY, .watch_group = OFPG_ANY, .n_actions = 2, .actions = &a1[3] },
	};
	struct sl_group_mod gm[] = {
		{ .command = OFPGC_ADD, .type = OFPGT_ALL, .group_id = 1, .n_buckets = 3, .buckets = all },
		{ .command = OFPGC_ADD, .type = OFPGT_SELECT, .group_id = 2, .n_buckets = 2, .buckets = sel },
		{ .command = OFPGC_ADD, .type = OFPGT_INDIRECT, .group_id = 3, .n_buckets = 1, .buckets = ind },
		{ .command = OFPGC_ADD, .type = OFPGT_FF, .group_id = 4, .n_buckets = 2, .buckets = ff },
		{ .command = OFPGC_ADD, .type = OFPGT_ALL, .group_id = 5, .n_buckets = 2, .buckets = all2 },
	};

	for (unsigned int i = 0; i < sizeof(gm) / sizeof(gm[0]); i++)
		if (sl_pipeline_group_mod(pl, &gm[i]) != 0)
			fail("cannot add the test groups");
	sl_pipeline_set_port_live(pl, 9, false);
}

static void
teardown(void)
{
	sl_pipeline_destroy(pl);
	xt_fini();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sl_pipeline_config cfg = { .max_readers = 1 };

	(void)argc;
	(void)argv;
	if (xt_init() != 0)
		fail("EAL init (--no-huge) failed");
	pl = sl_pipeline_create(&cfg);
	if (pl == NULL)
		fail("no pipeline");
	add_groups();
	atexit(teardown);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int in_use = rte_mempool_in_use_count(xt_pool());

	in_p = data;
	in_n = size;
	in_i = 0;
	one_input();
	if (rte_mempool_in_use_count(xt_pool()) != in_use)
		fail("mbufs not returned to the pool");
	return 0;
}
