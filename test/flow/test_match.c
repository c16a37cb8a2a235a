/* SPDX-License-Identifier: BSD-3-Clause */
/* Match construction from OXM, prerequisites, and OXM round trips. */
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>

#include "cunit_main.h"

#include "sl_flow_consts.h"
#include "sl_flow_parse.h"
#include "sl_match.h"

static int
set16(struct sl_match *m, unsigned int f, uint16_t v)
{
	uint16_t be = rte_cpu_to_be_16(v);
	return sl_match_set_oxm(m, f, &be, NULL, 2);
}

static int
set8(struct sl_match *m, unsigned int f, uint8_t v)
{
	return sl_match_set_oxm(m, f, &v, NULL, 1);
}

static void
test_prereqs(void)
{
	struct sl_match m;
	/* tcp_dst alone: BAD_PREREQ */
	sl_match_init_catchall(&m);
	CU_ASSERT_EQUAL(set16(&m, OFPXMT_OFB_TCP_DST, 80), 0);
	CU_ASSERT_EQUAL(sl_match_validate(&m), SL_MATCH_ERR(OFPBMC_BAD_PREREQ));
	/* + ip_proto=6 but no eth_type: still BAD_PREREQ (chained) */
	CU_ASSERT_EQUAL(set8(&m, OFPXMT_OFB_IP_PROTO, 6), 0);
	CU_ASSERT_EQUAL(sl_match_validate(&m), SL_MATCH_ERR(OFPBMC_BAD_PREREQ));
	CU_ASSERT_EQUAL(set16(&m, OFPXMT_OFB_ETH_TYPE, 0x86dd), 0);
	CU_ASSERT_EQUAL(sl_match_validate(&m), 0);
	/* ip_proto=17 with tcp_dst: BAD_PREREQ */
	sl_match_init_catchall(&m);
	set16(&m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	set8(&m, OFPXMT_OFB_IP_PROTO, 17);
	set16(&m, OFPXMT_OFB_TCP_DST, 80);
	CU_ASSERT_EQUAL(sl_match_validate(&m), SL_MATCH_ERR(OFPBMC_BAD_PREREQ));
	/* ipv4_src needs eth_type 0x0800 exactly (0x86dd is wrong) */
	sl_match_init_catchall(&m);
	set16(&m, OFPXMT_OFB_ETH_TYPE, 0x86dd);
	uint32_t a = rte_cpu_to_be_32(0x0a000001);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_SRC, &a, NULL, 4), 0);
	CU_ASSERT_EQUAL(sl_match_validate(&m), SL_MATCH_ERR(OFPBMC_BAD_PREREQ));
	/* vlan_pcp needs vlan_vid with the PRESENT bit */
	sl_match_init_catchall(&m);
	set8(&m, OFPXMT_OFB_VLAN_PCP, 3);
	CU_ASSERT_EQUAL(sl_match_validate(&m), SL_MATCH_ERR(OFPBMC_BAD_PREREQ));
	uint16_t vid = rte_cpu_to_be_16(OFPVID_PRESENT), vmask = rte_cpu_to_be_16(OFPVID_PRESENT);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_VLAN_VID, &vid, &vmask, 2), 0);
	CU_ASSERT_EQUAL(sl_match_validate(&m), 0);
	/* ND target needs icmpv6_type 135 or 136 */
	sl_match_init_catchall(&m);
	set16(&m, OFPXMT_OFB_ETH_TYPE, 0x86dd);
	set8(&m, OFPXMT_OFB_IP_PROTO, 58);
	set8(&m, OFPXMT_OFB_ICMPV6_TYPE, 128);
	uint8_t tgt[16] = { 0x20, 1 };
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_IPV6_ND_TARGET, tgt, NULL, 16), 0);
	CU_ASSERT_EQUAL(sl_match_validate(&m), SL_MATCH_ERR(OFPBMC_BAD_PREREQ));
	/* in_phy_port needs in_port */
	sl_match_init_catchall(&m);
	uint32_t port = rte_cpu_to_be_32(3);
	sl_match_set_oxm(&m, OFPXMT_OFB_IN_PHY_PORT, &port, NULL, 4);
	CU_ASSERT_EQUAL(sl_match_validate(&m), SL_MATCH_ERR(OFPBMC_BAD_PREREQ));
	sl_match_set_oxm(&m, OFPXMT_OFB_IN_PORT, &port, NULL, 4);
	CU_ASSERT_EQUAL(sl_match_validate(&m), 0);
}

static void
test_oxm_errors(void)
{
	struct sl_match m;
	sl_match_init_catchall(&m);
	uint8_t v[16] = { 0 };
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, 40, v, NULL, 1), SL_MATCH_ERR(OFPBMC_BAD_FIELD));
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, 200, v, NULL, 1), SL_MATCH_ERR(OFPBMC_BAD_FIELD));
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, v, NULL, 4), SL_MATCH_ERR(OFPBMC_BAD_LEN));
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_ETH_TYPE, v, v, 2), SL_MATCH_ERR(OFPBMC_BAD_MASK));
	CU_ASSERT_EQUAL(set16(&m, OFPXMT_OFB_ETH_TYPE, 0x800), 0);
	CU_ASSERT_EQUAL(set16(&m, OFPXMT_OFB_ETH_TYPE, 0x800), SL_MATCH_ERR(OFPBMC_DUP_FIELD));
	CU_ASSERT_EQUAL(set8(&m, OFPXMT_OFB_VLAN_PCP, 8), SL_MATCH_ERR(OFPBMC_BAD_VALUE));
	CU_ASSERT_EQUAL(set8(&m, OFPXMT_OFB_IP_DSCP, 64), SL_MATCH_ERR(OFPBMC_BAD_VALUE));
	uint32_t ip = rte_cpu_to_be_32(0x0a000101), mask = rte_cpu_to_be_32(0xffffff00);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &ip, &mask, 4),
			SL_MATCH_ERR(OFPBMC_BAD_WILDCARDS));
	ip = rte_cpu_to_be_32(0x0a000100);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &ip, &mask, 4), 0);
	uint32_t lbl = rte_cpu_to_be_32(0x100000);
	CU_ASSERT_EQUAL(sl_match_set_oxm(&m, OFPXMT_OFB_MPLS_LABEL, &lbl, NULL, 4), SL_MATCH_ERR(OFPBMC_BAD_VALUE));
}

/* Every known field: set (masked where allowed), iterate back, same bytes. */
static void
test_oxm_roundtrip(void)
{
	struct sl_match m, m2;
	sl_match_init_catchall(&m);
	for (unsigned int f = 0; f < SL_OXM_N_FIELDS; f++) {
		const struct sl_field_desc *d = sl_field_by_oxm(f);
		if (!d)
			continue;
		uint8_t v[16], mk[16];
		for (unsigned int i = 0; i < d->len; i++) {
			v[i] = (uint8_t)(0x5a + f + i);
			mk[i] = (uint8_t)(0xf0 | i);
		}
		if (d->len <= 8) { /* clip to valid bits */
			uint64_t vb = d->valid_bits;
			for (unsigned int i = 0; i < d->len; i++)
				v[i] &= (uint8_t)(vb >> (8 * (d->len - 1 - i)));
		}
		if (d->maskable) {
			for (unsigned int i = 0; i < d->len; i++)
				v[i] &= mk[i];
			CU_ASSERT_EQUAL(sl_match_set_oxm(&m, f, v, mk, d->len), 0);
		} else {
			CU_ASSERT_EQUAL(sl_match_set_oxm(&m, f, v, NULL, d->len), 0);
		}
	}
	unsigned int pos = 0, count = 0;
	struct sl_oxm o;
	sl_match_init_catchall(&m2);
	while (sl_match_next_oxm(&m, &pos, &o)) {
		const struct sl_field_desc *d = sl_field_by_oxm(o.field);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_EQUAL(o.len, d->len);
		CU_ASSERT_EQUAL(sl_match_set_oxm(&m2, o.field, o.value, o.has_mask ? o.mask : NULL, o.len), 0);
		count++;
	}
	/* OF1.3's 40, tcp_flags, actset_output, the 4 tunnel addresses */
	CU_ASSERT_EQUAL(count, 46);
	CU_ASSERT(memcmp(&m.key, &m2.key, sizeof(m.key)) == 0);
	CU_ASSERT(memcmp(&m.mask, &m2.mask, sizeof(m.mask)) == 0);
	char buf[2048];
	CU_ASSERT(sl_match_format(&m, buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "tcp_dst=0x"));
	CU_ASSERT_PTR_EQUAL(sl_field_by_name("ipv6_nd_target"), sl_field_by_oxm(OFPXMT_OFB_IPV6_ND_TARGET));
}

static void
test_match_packet(void)
{
	static const uint8_t pkt[] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x1c, 0, 0, 0, 0, 0x40, 0x11, 0, 0,
		0x0a, 0x00, 0x00, 0x01, 0xc0, 0xa8, 0x01, 0x02,
		0x00, 0x35, 0x00, 0x35, 0x00, 0x08, 0, 0,
	};
	struct sl_flow_key k;
	sl_flow_parse(pkt, sizeof(pkt), 1, 1, 0, &k, NULL);
	struct sl_match m;
	sl_match_init_catchall(&m);
	CU_ASSERT(sl_match_matches(&m, &k));
	set16(&m, OFPXMT_OFB_ETH_TYPE, 0x0800);
	uint32_t net = rte_cpu_to_be_32(0xc0a80100), mask = rte_cpu_to_be_32(0xffffff00);
	sl_match_set_oxm(&m, OFPXMT_OFB_IPV4_DST, &net, &mask, 4);
	CU_ASSERT(sl_match_matches(&m, &k));
	set8(&m, OFPXMT_OFB_IP_PROTO, 6);
	CU_ASSERT(!sl_match_matches(&m, &k));
	/* set_field prerequisites on packets */
	CU_ASSERT(sl_field_prereq_ok(OFPXMT_OFB_UDP_DST, &k));
	CU_ASSERT(!sl_field_prereq_ok(OFPXMT_OFB_TCP_DST, &k));
	CU_ASSERT(!sl_field_prereq_ok(OFPXMT_OFB_VLAN_PCP, &k));
	CU_ASSERT(sl_field_prereq_ok(OFPXMT_OFB_ETH_DST, &k));
	struct sl_flow_key pm;
	memset(&pm, 0, sizeof(pm));
	sl_field_prereq_mask(OFPXMT_OFB_UDP_DST, &pm);
	CU_ASSERT_EQUAL(pm.ip_proto, 0xff);
	CU_ASSERT_EQUAL(pm.eth_type, 0xffff);
	CU_ASSERT_EQUAL(sl_flow_mask_popcount(&pm), 24);
	memset(&pm, 0, sizeof(pm));
	sl_field_prereq_mask(OFPXMT_OFB_VLAN_PCP, &pm);
	CU_ASSERT_EQUAL(pm.vlan_vid, rte_cpu_to_be_16(OFPVID_PRESENT));
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "prereqs", test_prereqs },
		{ "oxm_errors", test_oxm_errors },
		{ "oxm_roundtrip", test_oxm_roundtrip },
		{ "match_packet", test_match_packet },
	};

	return cunit_run_suite("match", tests, CUNIT_N_TESTS(tests));
}
