/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_flow_consts.h
 * Protocol numbers used by the parser, the match code and the pipeline
 * (host byte order values; key fields hold them in network order).
 */
#ifndef SL_FLOW_CONSTS_H
#define SL_FLOW_CONSTS_H

#include "openflow.h"

/** Ethertypes @{ */
#define SL_ETH_TYPE_MIN 0x0600  /**< below: 802.3 length field */
#define SL_ETH_TYPE_NONE 0x05ff /**< 802.3 frame without SNAP ethertype */
#define SL_ETH_IPV4 0x0800
#define SL_ETH_ARP 0x0806
#define SL_ETH_VLAN 0x8100
#define SL_ETH_QINQ 0x88a8
#define SL_ETH_QINQ_OLD 0x9100
#define SL_ETH_IPV6 0x86dd
#define SL_ETH_MPLS 0x8847
#define SL_ETH_MPLS_MC 0x8848
#define SL_ETH_PBB 0x88e7
/** @} */

/** IP protocols / IPv6 next headers @{ */
#define SL_IPPROTO_HOPOPTS 0
#define SL_IPPROTO_ICMP 1
#define SL_IPPROTO_TCP 6
#define SL_IPPROTO_UDP 17
#define SL_IPPROTO_ROUTING 43
#define SL_IPPROTO_FRAGMENT 44
#define SL_IPPROTO_ESP 50
#define SL_IPPROTO_AH 51
#define SL_IPPROTO_ICMPV6 58
#define SL_IPPROTO_NONE 59
#define SL_IPPROTO_DSTOPTS 60
#define SL_IPPROTO_SCTP 132
/** @} */

/** ICMPv6 neighbour discovery: message types and option types @{ */
#define SL_ND_NS 135
#define SL_ND_NA 136
#define SL_ND_OPT_SLL 1
#define SL_ND_OPT_TLL 2
/** @} */

/* The OFPIEH_* bits of the IPV6_EXTHDR pseudo field (OF1.3 7.2.3.8) are
 * openflow.h's. */

#endif /* SL_FLOW_CONSTS_H */
