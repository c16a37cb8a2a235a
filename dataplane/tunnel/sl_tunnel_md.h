/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_tunnel_md.h
 * A packet's tunnel metadata on its way through the datapath: an mbuf
 * dynamic field and two dynamic flags (docs/tunnels.md, "Flow-based ports").
 *
 * - Decap writes the VNI and the outer source and sets the rx flag: the
 *   fast path's parse makes tunnel_id, tun_src and tun_dst of them (the
 *   destination is the tunnel port's local_ip).
 * - The executor, after a set_field on tunnel_id or tun_dst / tun_ipv6_dst,
 *   writes the VNI and the remote the packet has at each output and sets
 *   the tx flag: the encap of a remote_ip = flow / key = flow port reads them
 *   there, per packet, so one megaflow serves every remote and VNI.
 * - Neither flag: no tunnel metadata (VNI 0, no remote); the field's bytes
 *   are then whatever the mbuf held and are never read.
 * The flags live in ol_flags, which every rx path and mbuf allocation
 * resets, so a set flag never comes from a previous use of the mbuf.
 */
#ifndef SL_TUNNEL_MD_H
#define SL_TUNNEL_MD_H

#include <stdint.h>

/** The dynamic field's layout (24 bytes, 4-byte aligned). */
struct sl_tunnel_md {
	uint32_t vni;     /**< host order; the key's tunnel_id (low 32 bits) */
	uint8_t family;   /**< of @c addr: AF_INET, AF_INET6, 0 (none) */
	uint8_t pad[3];   /**< zero */
	uint8_t addr[16]; /**< rx: outer source; tx: the remote (IPv4 in the first 4 bytes) */
};

/** Where the metadata is in an mbuf (filled by sl_tunnel_md_register). */
struct sl_tunnel_md_reg {
	int ofs;          /**< dynamic field offset; -1 until registered */
	uint64_t rx_flag; /**< ol_flags bit: decap wrote it (outer source) */
	uint64_t tx_flag; /**< ol_flags bit: the executor wrote it (the remote) */
};

/** The registration (one per process; -1 / 0 before sl_tunnel_md_register). */
extern struct sl_tunnel_md_reg sl_tunnel_md;

/**
 * Register the dynamic field and flags (idempotent; control lcore, before
 * the workers read sl_tunnel_md).
 * @return 0, or -1 (rte_errno) when the mbuf has no room left.
 */
int sl_tunnel_md_register(void);

#endif /* SL_TUNNEL_MD_H */
