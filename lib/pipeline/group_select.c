/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Select groups: which fields pick a bucket, and the weighted rendezvous
 * score of each bucket (see sl_xlate.h). Translation (xlate.c) chooses the
 * live bucket with the highest score for the packet's flow.
 */
#include <math.h>

#include "xlate_private.h"

/* Fields a select group hashes on (so one flow stays on one bucket). Built
 * once at load time so that concurrent translations only read them. ARP
 * packets hash their sender/target protocol addresses like IP addresses:
 * without them every ARP packet between two MACs takes one bucket (issue
 * 25). The opcode and hardware addresses are left out, so a request and
 * its reply hash alike (sha/tha repeat eth_src/eth_dst anyway). Which set
 * applies depends on eth_type, which both contain: packets that agree on
 * the megaflow agree on the set (cache transparency), and IP megaflows
 * gain no ARP bits. */
static struct sl_flow_key select_mask, select_mask_arp;

static void
mask_fields(struct sl_flow_key *mask, const uint8_t *fields, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		sl_field_mask_all(sl_field_by_oxm(fields[i]), mask);
}

__attribute__((constructor)) static void
init_select_mask(void)
{
	static const uint8_t fields[] = {
		OFPXMT_OFB_ETH_DST, OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_TYPE, OFPXMT_OFB_VLAN_VID,
		OFPXMT_OFB_IP_PROTO, OFPXMT_OFB_IPV4_SRC, OFPXMT_OFB_IPV4_DST, OFPXMT_OFB_IPV6_SRC,
		OFPXMT_OFB_IPV6_DST, OFPXMT_OFB_TCP_SRC, OFPXMT_OFB_TCP_DST, OFPXMT_OFB_UDP_SRC,
		OFPXMT_OFB_UDP_DST, OFPXMT_OFB_SCTP_SRC, OFPXMT_OFB_SCTP_DST,
	};
	static const uint8_t arp_fields[] = {
		OFPXMT_OFB_ETH_DST, OFPXMT_OFB_ETH_SRC, OFPXMT_OFB_ETH_TYPE, OFPXMT_OFB_VLAN_VID,
		OFPXMT_OFB_ARP_SPA, OFPXMT_OFB_ARP_TPA,
	};
	mask_fields(&select_mask, fields, sizeof(fields));
	mask_fields(&select_mask_arp, arp_fields, sizeof(arp_fields));
}

const struct sl_flow_key *
xl_select_mask(const struct sl_flow_key *key)
{
	return key->eth_type == rte_cpu_to_be_16(SL_ETH_ARP) ? &select_mask_arp : &select_mask;
}

uint32_t
sl_select_hash(const struct sl_flow_key *key, uint32_t group_id)
{
	return sl_flow_hash_masked(key, xl_select_mask(key), group_id);
}

uint32_t
sl_select_bucket_hash(uint32_t flow_hash, uint16_t bucket)
{
	/* murmur3 finalizer over (flow hash, bucket): full avalanche, so the
	 * per-bucket values of one flow are independent uniform draws. */
	uint32_t h = flow_hash ^ (0x9e3779b9u * (uint32_t)(bucket + 1));
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

double
sl_select_score(uint32_t flow_hash, uint16_t bucket, uint16_t weight)
{
	/* Weighted rendezvous (Schindelhauer & Schomaker): with u uniform in
	 * (0,1), -w / ln(u) is the largest among live buckets with probability
	 * w / sum(w), and a flow only moves when its own winner disappears. */
	double u = ((double)sl_select_bucket_hash(flow_hash, bucket) + 0.5) / 4294967296.0;
	return -(double)weight / log(u);
}
