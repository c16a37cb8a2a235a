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
		CU_ASSERT_EQUAL(sl_port_tx_offloads(offers[i]) & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, 0);
}

static void
test_multi_segs_when_offered(void)
{
	CU_ASSERT_EQUAL(sl_port_tx_offloads(RTE_ETH_TX_OFFLOAD_MULTI_SEGS),
			RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	CU_ASSERT_EQUAL(sl_port_tx_offloads(UINT64_MAX), RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	CU_ASSERT_EQUAL(sl_port_tx_offloads(0), 0);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "MBUF_FAST_FREE is never asked for", test_never_fast_free },
		{ "chained mbufs: MULTI_SEGS where the device offers it", test_multi_segs_when_offered },
	};

	return cunit_run_suite("port offloads", tests, CUNIT_N_TESTS(tests));
}
