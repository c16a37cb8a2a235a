/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which tx offloads a port asks of its device (sl_port_offload.h). Before
 * the hardening fix, a device offering RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE got
 * it, although Sluice shares mbufs and uses a pool per socket.
 */
#include <CUnit/Basic.h>

#include "cunit_main.h"
#include "sl_port_offload.h"

static void
test_never_fast_free(void)
{
	static const uint64_t offers[] = {
		0,
		RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE,
		RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE | RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
		UINT64_MAX,
	};

	for (unsigned int i = 0; i < RTE_DIM(offers); i++)
		CU_ASSERT_EQUAL(sl_port_tx_offloads(offers[i], true) & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, 0);
}

static void
test_multi_segs_when_offered(void)
{
	CU_ASSERT_EQUAL(sl_port_tx_offloads(RTE_ETH_TX_OFFLOAD_MULTI_SEGS, false),
			RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	CU_ASSERT_EQUAL(sl_port_tx_offloads(UINT64_MAX, false), RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	CU_ASSERT_EQUAL(sl_port_tx_offloads(0, false), 0);
	CU_ASSERT_EQUAL(sl_port_tx_offloads(0, true), 0);
}

/* offloads = yes: the three checksums together, TSO only with them; what
 * the port then takes as it is (sl_port_tx_ol_caps()). */
static void
test_offloads_yes(void)
{
	const uint64_t ck = SL_PORT_TX_CKSUM, tso = RTE_ETH_TX_OFFLOAD_TCP_TSO;
	const uint64_t ms = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;

	CU_ASSERT_EQUAL(sl_port_tx_offloads(ck | tso | ms, false), ms); /* off: nothing */
	CU_ASSERT_EQUAL(sl_port_tx_offloads(ck | tso | ms, true), ck | tso | ms);
	CU_ASSERT_EQUAL(sl_port_tx_offloads(UINT64_MAX, true), ck | tso | ms);
	/* no UDP checksum: no checksum at all, and so no TSO */
	CU_ASSERT_EQUAL(sl_port_tx_offloads((ck & ~RTE_ETH_TX_OFFLOAD_UDP_CKSUM) | tso, true), 0);
	CU_ASSERT_EQUAL(sl_port_tx_offloads(ck, true), ck);

	CU_ASSERT_EQUAL(sl_port_tx_ol_caps(0, "net_ixgbe"), 0);
	CU_ASSERT_EQUAL(sl_port_tx_ol_caps(ms | tso, "net_ixgbe"), 0);
	CU_ASSERT_EQUAL(sl_port_tx_ol_caps(ck, "net_ixgbe"), SL_TX_OL_CSUM | SL_TX_OL_DEV);
	CU_ASSERT_EQUAL(sl_port_tx_ol_caps(ck | tso, "net_e1000_igb"),
			SL_TX_OL_CSUM | SL_TX_OL_TSO4 | SL_TX_OL_TSO6 | SL_TX_OL_DEV);
	/* net_tap's TSO refuses full-size segments: its checksums only */
	CU_ASSERT_EQUAL(sl_port_tx_ol_caps(ck | tso, "net_tap"), SL_TX_OL_CSUM | SL_TX_OL_DEV);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "MBUF_FAST_FREE is never asked for", test_never_fast_free },
		{ "chained mbufs: MULTI_SEGS where the device offers it", test_multi_segs_when_offered },
		{ "offloads = yes: checksums and TSO", test_offloads_yes },
	};

	return cunit_run_suite("port offloads", tests, CUNIT_N_TESTS(tests));
}
