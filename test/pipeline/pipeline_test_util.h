/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the pipeline test programs (one copy per program); what
 * other test folders use too is in test/common. */
#ifndef PIPELINE_TEST_UTIL_H
#define PIPELINE_TEST_UTIL_H

#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>

#include "sl_flow_consts.h"
#include "sl_flow_parse.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"
#include "test_flow_mod.h" /* fm_new() */

static struct sl_pipeline *pl __attribute__((unused));
static struct sl_xlate_result res __attribute__((unused));

static inline void
setup(void)
{
	struct sl_pipeline_config cfg = { .max_readers = 2, .max_rules_per_table = 8 };
	pl = sl_pipeline_create(&cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
}

static inline void
teardown(void)
{
	sl_pipeline_destroy(pl);
	pl = NULL;
}

static inline void
m16(struct sl_match *m, unsigned int f, uint16_t v)
{
	uint16_t be = rte_cpu_to_be_16(v);
	CU_ASSERT_EQUAL(sl_match_set_oxm(m, f, &be, NULL, 2), 0);
}

static inline void
m32(struct sl_match *m, unsigned int f, uint32_t v)
{
	uint32_t be = rte_cpu_to_be_32(v);
	CU_ASSERT_EQUAL(sl_match_set_oxm(m, f, &be, NULL, 4), 0);
}

static inline struct sl_action
out(uint32_t port)
{
	struct sl_action a = { .type = OFPAT_OUTPUT };
	a.output.port = port;
	a.output.max_len = 0xffff;
	return a;
}

static inline struct sl_action
setf(unsigned int field, const void *v, unsigned int len)
{
	struct sl_action a = { .type = OFPAT_SET_FIELD };
	a.set_field.field = (uint8_t)field;
	a.set_field.len = (uint8_t)len;
	memcpy(a.set_field.value, v, len);
	return a;
}

/* IPv4/TCP 10.0.0.1:1234 -> 10.0.0.2:80 on port 1 */
static const uint8_t PKT[] __attribute__((unused)) = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x28, 0, 0, 0x40, 0, 0x40, 0x06, 0, 0,
	0x0a, 0, 0, 1, 0x0a, 0, 0, 2,
	0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
};

static inline struct sl_flow_key
pkt_key(uint32_t in_port)
{
	struct sl_flow_key k;
	sl_flow_parse(PKT, sizeof(PKT), in_port, in_port, 0, &k, NULL);
	return k;
}

static inline const char *
xlate_str(const struct sl_flow_key *k)
{
	static char buf[512];
	CU_ASSERT_EQUAL(sl_xlate(pl, k, &res), 0);
	sl_xlate_format(&res, buf, sizeof(buf));
	return buf;
}


#endif /* PIPELINE_TEST_UTIL_H */
