/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Geneve's outer headers (sl_geneve.h): VXLAN's, with the Geneve header
 * written over the VXLAN one. The decap side is in sl_vxlan_parse (the
 * header's first word through sl_geneve_check) and the tunnel table.
 */
#include "sl_geneve.h"

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

int
sl_geneve_encap_init(struct sl_vxlan_encap *e, const struct sl_ip_addr *local,
		     const struct sl_ip_addr *remote, uint32_t vni, uint16_t dst_port,
		     uint8_t ttl, bool df, const struct rte_ether_addr *src_mac)
{
	int rc = sl_vxlan_encap_init(e, local, remote, vni, dst_port, ttl, df, src_mac);
	uint8_t *ip = e->hdr + RTE_ETHER_HDR_LEN, *gnv;

	if (rc != 0)
		return rc;
	gnv = ip + (e->ipv6 ? 40 : 20) + 8;
	/* version 0, no options, O and C clear, Ethernet; the VNI stays */
	gnv[0] = 0;
	gnv[1] = 0;
	gnv[2] = SL_GENEVE_PROTO_ETH >> 8;
	gnv[3] = SL_GENEVE_PROTO_ETH & 0xff;
	if (e->ipv6) /* the UDP checksum's constant part covers the tunnel header */
		e->csum_base = rte_raw_cksum(ip + 8, 32) + rte_cpu_to_be_16(IPPROTO_UDP) +
			       rte_raw_cksum(ip + 40, 16);
	return 0;
}
