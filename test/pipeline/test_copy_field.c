/* SPDX-License-Identifier: BSD-3-Clause */
/* Copy-field in the pipeline: validation with the spec's errors, the
 * translation (a masked set-field of the destination bits, the source bits
 * in the megaflow mask, the key updated for later tables), tcp_flags
 * matched with a mask and kept in the megaflow mask, and actset_output
 * (the action set's output at each lookup, never in the megaflow mask). */
#include "cunit_main.h"
#include "pipeline_test_util.h"
#include "sl_format.h"

static struct sl_action
copyf(unsigned int src, unsigned int dst, uint16_t n, uint16_t so, uint16_t dof)
{
	struct sl_action a = { .type = OFPAT_COPY_FIELD };
	a.copy_field.src = (uint8_t)src;
	a.copy_field.dst = (uint8_t)dst;
	a.copy_field.n_bits = n;
	a.copy_field.src_ofs = so;
	a.copy_field.dst_ofs = dof;
	return a;
}

static int
add(uint8_t table, struct sl_match *m, struct sl_action *acts, unsigned int n, int write)
{
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, table, 10);
	if (m)
		fm.match = *m;
	if (write) {
		fm.ins.has_write = true;
		fm.ins.write = acts;
		fm.ins.n_write = (uint16_t)n;
	} else {
		fm.ins.apply = acts;
		fm.ins.n_apply = (uint16_t)n;
	}
	return sl_pipeline_flow_mod(pl, &fm, NULL);
}

static void
tcp_match(struct sl_match *m)
{
	sl_match_init_catchall(m);
	m16(m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	uint8_t p = 6;
	CU_ASSERT_EQUAL(sl_match_set_oxm(m, OFPXMT_OFB_IP_PROTO, &p, NULL, 1), 0);
}

static void
test_validate(void)
{
	struct sl_match m;
	struct sl_action a[2];

	setup();
	tcp_match(&m);
	a[0] = copyf(OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_DST, 48, 0, 0);
	CU_ASSERT_EQUAL(add(0, &m, a, 1, 0), 0);
	a[0] = copyf(OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_DST, 48, 1, 0); /* past eth_src */
	CU_ASSERT_EQUAL(add(0, &m, a, 1, 0), SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN));
	a[0] = copyf(OFPXMT_OFB_TCP_FLAGS, OFPXMT_OFB_IP_DSCP, 7, 0, 0); /* dscp has 6 bits */
	CU_ASSERT_EQUAL(add(0, &m, a, 1, 0), SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN));
	a[0] = copyf(OFPXMT_OFB_TCP_SRC, OFPXMT_OFB_IN_PORT, 16, 0, 0); /* in_port: read-only */
	CU_ASSERT_EQUAL(add(0, &m, a, 1, 0),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT));
	a[0] = copyf(OFPXMT_OFB_PACKET_TYPE, OFPXMT_OFB_ETH_DST, 8, 0, 0);
	CU_ASSERT_EQUAL(add(0, &m, a, 1, 0), SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE));
	a[0] = copyf(OFPXMT_OFB_UDP_SRC, OFPXMT_OFB_TCP_DST, 16, 0, 0); /* no UDP in a TCP match */
	CU_ASSERT_EQUAL(add(0, &m, a, 1, 0),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT));
	/* after a copy into ip_proto, a set-field of tcp_dst has no known prerequisite */
	uint16_t port = rte_cpu_to_be_16(80);
	a[0] = copyf(OFPXMT_OFB_IP_DSCP, OFPXMT_OFB_IP_PROTO, 6, 0, 0);
	a[1] = setf(OFPXMT_OFB_TCP_DST, &port, 2);
	CU_ASSERT_EQUAL(add(0, &m, a, 2, 0),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_MATCH_INCONSISTENT));
	/* no place for it in the action set */
	a[0] = copyf(OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_DST, 48, 0, 0);
	CU_ASSERT_EQUAL(add(0, &m, a, 1, 1),
			SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_UNSUPPORTED_ORDER));
	teardown();
}

/* eth_src -> eth_dst, then table 1 matches the new eth_dst. */
static void
test_xlate_whole_field(void)
{
	struct sl_action a[1] = { copyf(OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_DST, 48, 0, 0) };
	struct sl_flow_mod fm;
	struct sl_match m;

	setup();
	fm = fm_new(OFPFC_ADD, 0, 10);
	fm.ins.apply = a;
	fm.ins.n_apply = 1;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
	sl_match_init_catchall(&m);
	uint8_t src[6] = { 0, 0, 0, 0, 0, 1 };
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_ETH_DST, src, NULL, 6), 0);
	struct sl_action o = out(3);
	CU_ASSERT_EQUAL(add(1, &m, &o, 1, 0), 0);
	struct sl_flow_key k = pkt_key(1);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "set_field(eth_dst),output:3");
	CU_ASSERT_EQUAL(res.actions[0].set_field.field, OFPXMT_OFB_ETH_DST);
	CU_ASSERT_EQUAL(memcmp(res.actions[0].set_field.value, src, 6), 0);
	/* the source was read: it is in the megaflow; the destination was
	 * written before table 1 looked at it: it is not */
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zeros[6] = { 0 };
	CU_ASSERT_EQUAL(memcmp(res.mask.eth_src, ones, 6), 0);
	CU_ASSERT_EQUAL(memcmp(res.mask.eth_dst, zeros, 6), 0);
	teardown();
}

/* tcp_flags[0..3] -> ip_dscp[2..5]: only those bits written and consulted. */
static void
test_xlate_subfield(void)
{
	struct sl_match m;
	struct sl_action a[2];

	setup();
	tcp_match(&m);
	a[0] = copyf(OFPXMT_OFB_TCP_FLAGS, OFPXMT_OFB_IP_DSCP, 4, 0, 2);
	a[1] = out(2);
	CU_ASSERT_EQUAL(add(0, &m, a, 2, 0), 0);
	struct sl_flow_key k = pkt_key(1); /* SYN: flags 0x002 */
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "set_field(ip_dscp),output:2");
	const struct sl_exec_action *sf = &res.actions[0];
	/* IPv4 ToS byte: DSCP is bits 7..2, so dscp[2..5] is ToS bits 4..7 */
	CU_ASSERT_EQUAL(sf->set_field.mask[0], 0xf0);
	CU_ASSERT_EQUAL(sf->set_field.value[0], 0x20);
	CU_ASSERT_EQUAL(res.mask.tcp_flags, rte_cpu_to_be_16(0x000f));
	CU_ASSERT_EQUAL(res.mask.ip_dscp, 0);
	/* a packet that is not TCP: nothing copied, nothing emitted */
	k.ip_proto = 17;
	CU_ASSERT_EQUAL(sl_xlate(pl, &k, &res), 0);
	teardown();
}

/* tcp_flags matched with a mask: the rule's bits in the megaflow mask. */
static void
test_tcp_flags_match(void)
{
	struct sl_match m;
	struct sl_action o = out(4);

	setup();
	tcp_match(&m);
	uint16_t v = rte_cpu_to_be_16(0x002), mk = rte_cpu_to_be_16(0x012);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_TCP_FLAGS, &v, &mk, 2), 0);
	CU_ASSERT_EQUAL(sl_match_validate(&m), 0);
	CU_ASSERT_EQUAL(add(0, &m, &o, 1, 0), 0);
	struct sl_flow_key k = pkt_key(1);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "output:4");
	CU_ASSERT_EQUAL(res.mask.tcp_flags & rte_cpu_to_be_16(0x012), rte_cpu_to_be_16(0x012));
	k.tcp_flags = rte_cpu_to_be_16(0x012); /* SYN+ACK: no match */
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "drop");
	char buf[256];
	sl_format_match(&m.key, &m.mask, -1, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "tcp_flags=+syn-ack"));
	struct sl_action c = copyf(OFPXMT_OFB_TCP_FLAGS, OFPXMT_OFB_IP_DSCP, 4, 0, 2);
	sl_format_actions(&c, 1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "move:tcp_flags[0..3]->ip_dscp[2..5]");
	teardown();
}

/* Table 0's rule: @p ins_write (write-actions output:2) or clear-actions, goto 1. */
static void
actset_t0(bool write)
{
	static struct sl_action o2;
	struct sl_flow_mod fm = fm_new(OFPFC_ADD, 0, 10);

	o2 = out(2);
	fm.ins.clear_actions = !write;
	fm.ins.has_write = write;
	fm.ins.write = &o2;
	fm.ins.n_write = write;
	fm.ins.has_goto = true;
	fm.ins.goto_table = 1;
	CU_ASSERT_EQUAL(sl_pipeline_flow_mod(pl, &fm, NULL), 0);
}

/* table=0,actions=write_actions(output:2),goto_table:1 then
 * table=1,actset_output=2 / actset_output=UNSET: the rule that sees the
 * action set's output wins; the packet key (0 there) never matters and the
 * megaflow mask never holds the field, so the translation stays key-pure. */
static void
test_actset_output(void)
{
	struct sl_match m;
	struct sl_action o3 = out(3), o4 = out(4);
	static const struct sl_flow_key zero;

	setup();
	actset_t0(true);
	sl_match_init_catchall(&m);
	m32(&m, OFPXMT_OFB_ACTSET_OUTPUT, 2);
	CU_ASSERT_EQUAL(sl_match_validate(&m), 0); /* no prerequisite */
	CU_ASSERT_EQUAL(add(1, &m, &o3, 1, 0), 0);
	sl_match_init_catchall(&m);
	m32(&m, OFPXMT_OFB_ACTSET_OUTPUT, OFPP_UNSET);
	CU_ASSERT_EQUAL(add(1, &m, &o4, 1, 0), 0);
	struct sl_flow_key k = pkt_key(1);
	CU_ASSERT_EQUAL(k.actset_output, 0); /* not a packet field */
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "output:3,output:2");
	struct sl_flow_key mw = zero;
	mw.w[offsetof(struct sl_flow_key, actset_output) / 8] = res.mask.w[8];
	CU_ASSERT(memcmp(&mw, &zero, sizeof(zero)) == 0); /* the whole word 8 of the mask is 0 */
	CU_ASSERT_EQUAL(res.key_pure, 1);
	CU_ASSERT_EQUAL(res.n_rules, 2);
	/* a packet that claims some actset_output gets the same answer */
	k.actset_output = rte_cpu_to_be_32(4);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "output:3,output:2");
	/* table 0 clears the action set instead: UNSET, the other rule */
	actset_t0(false);
	k = pkt_key(1);
	CU_ASSERT_STRING_EQUAL(xlate_str(&k), "output:4");
	/* not maskable, not writable (set-field or copy-field destination) */
	uint32_t v = rte_cpu_to_be_32(2), mk = rte_cpu_to_be_32(0xff);
	sl_match_init_catchall(&m);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_ACTSET_OUTPUT, &v, &mk, 4),
			SL_MATCH_ERR(OFPBMC_BAD_MASK));
	struct sl_action sf = setf(OFPXMT_OFB_ACTSET_OUTPUT, &v, 4);
	CU_ASSERT_NOT_EQUAL(add(2, NULL, &sf, 1, 0), 0);
	struct sl_action c = copyf(OFPXMT_OFB_METADATA, OFPXMT_OFB_ACTSET_OUTPUT, 8, 0, 0);
	CU_ASSERT_EQUAL(add(2, NULL, &c, 1, 0), SL_OFPERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_ARGUMENT));
	/* printed as ovs-ofctl does, before the shorthand */
	char buf[256];
	sl_match_init_catchall(&m);
	m32(&m, OFPXMT_OFB_ACTSET_OUTPUT, OFPP_UNSET);
	m16(&m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	sl_format_match(&m.key, &m.mask, -1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "actset_output=UNSET,ip");
	teardown();
}

/* A copy-field reads the action set's output as it is when the copy runs
 * (write-actions output:2 in the same rule, before the apply list ends? no:
 * written by table 0, read in table 1), and the value is no mask bit. */
static void
test_actset_output_copy(void)
{
	struct sl_match m;
	struct sl_action c[2];

	setup();
	actset_t0(true);
	tcp_match(&m);
	c[0] = copyf(OFPXMT_OFB_ACTSET_OUTPUT, OFPXMT_OFB_IP_DSCP, 6, 0, 0);
	c[1] = out(3);
	CU_ASSERT_EQUAL(add(1, &m, c, 2, 0), 0);
	struct sl_flow_key k = pkt_key(1);
	const char *s = xlate_str(&k);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "output:3"));
	CU_ASSERT_EQUAL(res.mask.actset_output, 0);
	CU_ASSERT(res.n_actions >= 2 && res.actions[0].type == SL_EXEC_SET_FIELD);
	if (res.n_actions >= 2) /* dscp 2: bits 2..7 of the TOS byte */
		CU_ASSERT_EQUAL(res.actions[0].set_field.value[0] & res.actions[0].set_field.mask[0],
				2 << 2);
	teardown();
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "copy_field validate", test_validate },
		{ "copy_field whole field", test_xlate_whole_field },
		{ "copy_field subfield", test_xlate_subfield },
		{ "tcp_flags match", test_tcp_flags_match },
		{ "actset_output match", test_actset_output },
		{ "actset_output copy", test_actset_output_copy },
	};
	return cunit_run_suite("copy_field", tests, CUNIT_N_TESTS(tests));
}
