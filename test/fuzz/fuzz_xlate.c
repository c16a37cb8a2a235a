/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for translation (lib/pipeline). test_xlate_diff draws its
 * rule sets from one fixed random stream; here the input bytes are that
 * stream, so libFuzzer steers the rule sets, group graphs and packets
 * towards new code and keeps what found it. The first byte picks a mode:
 *
 *  - reference (even): a world of test_xlate_diff's shape (4 tables, unique
 *    priorities, groups 1..6, the action types the reference knows), packets
 *    translated by sl_xlate, the datapath actions run by xlate_ref.c's
 *    interpreter and compared with its naive OpenFlow 1.3 pipeline; the
 *    megaflow mask checked as in the unit test (packets agreeing under it get
 *    the same actions, and those actions behave as the reference on them);
 *    group-mods that would close a loop must be refused (OFPGMFC_LOOP).
 *  - wild (odd): up to 40 groups of every type whose buckets name any group
 *    (loops, self references, chains deeper than SL_XLATE_MAX_GROUP_DEPTH),
 *    rules over six tables with every action type and match field, packets
 *    parsed from frames (truncated ones too). No reference: the result must
 *    respect the translator's own bounds (actions, rules, buckets, watches,
 *    CLONE nesting), be the same when translated again, and be transparent
 *    for real packets that agree under its mask.
 *
 * Bounded work: the translator has no step counter of its own, so the link
 * wraps its table and group lookups (-Wl,--wrap, scripts/fuzz.sh) and every
 * translation must stay under a bound derived from the translator's limits
 * (SL_XLATE_MAX_RULES lookups, SL_XLATE_MAX_BUCKETS buckets, the liveness
 * memo) and the world's list sizes: an exponential walk fails it long before
 * it would hang. libFuzzer's -timeout=10 stays as the backstop.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "sl_flow_consts.h"
#include "sl_flow_parse.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"
#include "xlate_diff.h"
#include "xlate_fuzz.h"

/* ------------------------------------------------------- input bytes ---- */

struct fz_in fz;
struct fz_stats fz_st;

uint32_t
rnd(uint32_t n)
{
	uint32_t v = 0;

	if (n <= 1)
		return 0;
	for (uint32_t span = 1; span < n && span != 0; span <<= 8)
		v = v << 8 | (fz.i < fz.n ? fz.p[fz.i++] : 0);
	return v % n;
}

void
fz_fail(const char *what)
{
	fprintf(stderr, "fuzz_xlate: invariant violated: %s\n", what);
	abort();
}

/* ------------------------------------------------- work (lookups) ---- */

const struct sl_cls_rule *__real_sl_cls_lookup_at(const struct sl_classifier *cls,
						  const struct sl_flow_key *key,
						  struct sl_flow_key *wc, uint64_t version);
const struct sl_cls_rule *__wrap_sl_cls_lookup_at(const struct sl_classifier *cls,
						  const struct sl_flow_key *key,
						  struct sl_flow_key *wc, uint64_t version);
const struct sl_group *__real_sl_pipeline_group_at(const struct sl_pipeline *pl, uint32_t id,
						   uint64_t version);
const struct sl_group *__wrap_sl_pipeline_group_at(const struct sl_pipeline *pl, uint32_t id,
						   uint64_t version);

static unsigned long work_lookups, work_groups;

const struct sl_cls_rule *
__wrap_sl_cls_lookup_at(const struct sl_classifier *cls, const struct sl_flow_key *key,
			struct sl_flow_key *wc, uint64_t version)
{
	work_lookups++;
	return __real_sl_cls_lookup_at(cls, key, wc, version);
}

const struct sl_group *
__wrap_sl_pipeline_group_at(const struct sl_pipeline *pl, uint32_t id, uint64_t version)
{
	work_groups++;
	return __real_sl_pipeline_group_at(pl, id, version);
}

/* ------------------------------------------------------ result checks ---- */

/* CLONE bodies nest inside their enclosing range; returns false if not. */
static bool
clones_nest(const struct sl_xlate_result *r, unsigned int s, unsigned int e, int depth)
{
	for (unsigned int i = s; i < e; i++) {
		const struct sl_exec_action *a = &r->actions[i];

		if (a->type < SL_EXEC_OUTPUT || a->type > SL_EXEC_RECIRC)
			return false;
		if (a->type != SL_EXEC_CLONE)
			continue;
		if (a->clone.n == 0 || i + 1 + a->clone.n > e || depth > SL_XLATE_MAX_GROUP_DEPTH + 1)
			return false;
		if (!clones_nest(r, i + 1, i + 1 + a->clone.n, depth + 1))
			return false;
		i += a->clone.n;
	}
	return true;
}

int
fz_translate(const struct sl_pipeline *pl, const struct sl_flow_key *key,
	     const struct sl_action *acts, unsigned int n_acts, struct sl_xlate_result *r,
	     const struct fz_bounds *b)
{
	unsigned long max_groups;
	int rc;

	work_lookups = work_groups = 0;
	rc = acts ? sl_xlate_actions(pl, key, acts, n_acts, r) : sl_xlate(pl, key, r);
	/* Every list run (a rule's, a bucket's, the action set, the packet-out)
	 * resolves at most one group per action and one per bucket it looks at
	 * for liveness; the liveness memo answers each (group, depth) once. */
	max_groups = (unsigned long)(SL_XLATE_MAX_RULES + SL_XLATE_MAX_BUCKETS + 4) *
			     (b->max_acts + 32) * (b->max_buckets + 1) +
		     128ul * (b->max_buckets + 1);
	if (work_lookups > SL_XLATE_MAX_RULES + 1)
		fz_fail("more table lookups than SL_XLATE_MAX_RULES");
	if (work_groups > max_groups)
		fz_fail("group lookups beyond the bound (exponential walk?)");
	if (rc != r->error || rc < 0 || rc > SL_XLATE_RECIRC_LOST)
		fz_fail("return code and result error disagree");
	if (r->n_actions > SL_XLATE_MAX_ACTIONS || r->n_rules > SL_XLATE_MAX_RULES ||
	    r->n_buckets > SL_XLATE_MAX_BUCKETS || r->n_tables > SL_XLATE_MAX_RULES ||
	    r->n_watch_ports > SL_XLATE_MAX_WATCH || r->n_watch_groups > SL_XLATE_MAX_WATCH)
		fz_fail("result counts beyond their arrays");
	if (acts == NULL && r->n_rules > r->n_tables)
		fz_fail("more rules hit than tables looked up");
	if (rc != 0 && r->n_actions != 0)
		fz_fail("a failed translation must be a drop");
	fz_st.translations++;
	fz_st.errors[rc]++;
	fz_st.with_buckets += r->n_buckets > 0;
	fz_st.with_recirc += r->recirc;
	if (!clones_nest(r, 0, r->n_actions, 0))
		fz_fail("CLONE bodies do not nest");
	for (unsigned int i = 0; i < r->n_actions; i++)
		if (r->actions[i].type == SL_EXEC_SET_FIELD && r->actions[i].set_field.len > 16)
			fz_fail("set_field longer than its value");
	return rc;
}

/* Translating again (uncounted) gives the same result. */
void
fz_check_again(const struct sl_pipeline *pl, const struct sl_flow_key *key,
	       const struct sl_xlate_result *r)
{
	static struct sl_xlate_result r2;

	if (sl_xlate_uncounted(pl, key, &r2) != r->error || r2.n_actions != r->n_actions ||
	    r2.n_rules != r->n_rules ||
	    memcmp(r2.actions, r->actions, r->n_actions * sizeof(r->actions[0])) != 0 ||
	    memcmp(r2.rules, r->rules, r->n_rules * sizeof(r->rules[0])) != 0 ||
	    memcmp(&r2.mask, &r->mask, sizeof(r->mask)) != 0)
		fz_fail("the same key translated twice differently");
}

/* ------------------------------------------------------------ frames ---- */

static void
put16(uint8_t *f, size_t *n, uint16_t v)
{
	f[(*n)++] = (uint8_t)(v >> 8);
	f[(*n)++] = (uint8_t)v;
}

static void
put_bytes(uint8_t *f, size_t *n, unsigned int k)
{
	for (unsigned int i = 0; i < k; i++)
		f[(*n)++] = (uint8_t)rnd(256);
}

static void
put_l4(uint8_t *f, size_t *n, uint8_t proto)
{
	switch (proto) {
	case SL_IPPROTO_TCP:
		put16(f, n, (uint16_t)rnd(4));
		put16(f, n, (uint16_t)(1 + rnd(4)));
		put_bytes(f, n, 8);
		put16(f, n, 0x5000 | (uint16_t)rnd(0x200));
		put_bytes(f, n, 6);
		break;
	case SL_IPPROTO_UDP:
	case SL_IPPROTO_SCTP:
		put16(f, n, (uint16_t)rnd(4));
		put16(f, n, (uint16_t)(1 + rnd(4)));
		put_bytes(f, n, proto == SL_IPPROTO_UDP ? 4 : 8);
		break;
	default: /* ICMP / ICMPv6: type, code, checksum, rest */
		f[(*n)++] = (uint8_t)(rnd(2) ? rnd(256) : 135 + rnd(2));
		put_bytes(f, n, 7 + (rnd(2) ? 24 : 0));
	}
}

static void
put_ip(uint8_t *f, size_t *n, bool v6)
{
	static const uint8_t protos[] = { SL_IPPROTO_TCP, SL_IPPROTO_UDP, SL_IPPROTO_ICMP,
					  SL_IPPROTO_SCTP, SL_IPPROTO_ICMPV6, 99 };
	uint8_t proto = protos[rnd(sizeof(protos))];
	uint8_t tos = (uint8_t)rnd(256);

	if (v6) {
		f[(*n)++] = (uint8_t)(0x60 | tos >> 4);
		f[(*n)++] = (uint8_t)(tos << 4);
		put16(f, n, (uint16_t)rnd(2));
		put16(f, n, 40);
		f[(*n)++] = rnd(6) ? proto : SL_IPPROTO_FRAGMENT;
		f[(*n)++] = (uint8_t)rnd(3);
		for (int a = 0; a < 2; a++) {
			static const uint8_t pfx[4] = { 0x20, 0x01, 0x0d, 0xb8 };
			memcpy(f + *n, pfx, 4);
			memset(f + *n + 4, 0, 11);
			f[*n + 15] = (uint8_t)rnd(8);
			*n += 16;
		}
	} else {
		f[(*n)++] = 0x45;
		f[(*n)++] = tos;
		put16(f, n, 40);
		put16(f, n, 1);
		put16(f, n, rnd(8) ? 0 : (uint16_t)(rnd(2) ? 0x2000 : 0x0010 | rnd(8)));
		f[(*n)++] = (uint8_t)rnd(3);
		f[(*n)++] = proto;
		put16(f, n, 0);
		put16(f, n, 0x0a00);
		put16(f, n, (uint16_t)rnd(4));
		put16(f, n, 0x0a00);
		put16(f, n, (uint16_t)rnd(8));
	}
	put_l4(f, n, proto);
}

size_t
fz_frame(uint8_t *f, size_t cap)
{
	size_t n = 0;

	if (rnd(8) == 0) { /* raw bytes, whatever they parse as */
		size_t k = rnd((uint32_t)(cap < 160 ? cap : 160));
		put_bytes(f, &n, (unsigned int)k);
		return n;
	}
	memset(f, 0, 12);
	f[5] = (uint8_t)rnd(4);
	f[11] = (uint8_t)rnd(4);
	n = 12;
	for (unsigned int t = rnd(4) ? 0 : 1 + rnd(2); t > 0; t--) {
		put16(f, &n, rnd(3) ? SL_ETH_VLAN : SL_ETH_QINQ);
		put16(f, &n, (uint16_t)(rnd(8) << 13 | (1 + rnd(3))));
	}
	switch (rnd(10)) {
	case 0:
		put16(f, &n, SL_ETH_ARP);
		put16(f, &n, 1);
		put16(f, &n, SL_ETH_IPV4);
		put16(f, &n, 0x0604);
		put16(f, &n, (uint16_t)(1 + rnd(2)));
		put_bytes(f, &n, 20);
		break;
	case 1:
		put16(f, &n, SL_ETH_MPLS);
		put16(f, &n, (uint16_t)(rnd(3) >> 4));
		put16(f, &n, (uint16_t)((rnd(3) << 12) | (rnd(2) ? 0x100 : 0) | rnd(3)));
		put_ip(f, &n, false);
		break;
	case 2:
		put16(f, &n, SL_ETH_PBB);
		put_bytes(f, &n, 4 + 12);
		put16(f, &n, SL_ETH_IPV4);
		put_ip(f, &n, false);
		break;
	case 3:
	case 4:
		put16(f, &n, SL_ETH_IPV6);
		put_ip(f, &n, true);
		break;
	default:
		put16(f, &n, SL_ETH_IPV4);
		put_ip(f, &n, false);
	}
	if (rnd(8) == 0)
		n = rnd((uint32_t)n + 1); /* truncated */
	return n;
}

/* ------------------------------------------------------------- entry ---- */

static void
print_stats(void)
{
	fprintf(stderr, "fuzz_xlate: worlds %lu reference + %lu wild, %lu translations "
		"(errors: %lu actions, %lu depth, %lu hits, %lu recirc), %lu through groups, "
		"%lu recirculating; %lu compared with the reference, %lu transparency checks; "
		"group-mods refused: %lu loops, %lu chained\n",
		fz_st.worlds[0], fz_st.worlds[1], fz_st.translations,
		fz_st.errors[SL_XLATE_TOO_MANY_ACTIONS], fz_st.errors[SL_XLATE_GROUP_DEPTH],
		fz_st.errors[SL_XLATE_TOO_MANY_HITS],
		fz_st.errors[SL_XLATE_RECIRC_FULL] + fz_st.errors[SL_XLATE_RECIRC_LOST],
		fz_st.with_buckets, fz_st.with_recirc, fz_st.compared, fz_st.transparent,
		fz_st.loops_refused, fz_st.chained_refused);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (getenv("SL_FUZZ_STATS"))
		atexit(print_stats);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fz.p = data + 1;
	fz.n = size - 1;
	fz.i = 0;
	fz_st.worlds[data[0] & 1]++;
	if (data[0] & 1)
		fz_wild();
	else
		fz_reference();
	return 0;
}
