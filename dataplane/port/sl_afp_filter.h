/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_AFP_FILTER_H
#define SL_AFP_FILTER_H

/**
 * @file
 * Keeping the host's own frames out of the switch on packet sockets.
 *
 * A packet socket bound to an interface also reads what the host itself
 * sends out of it (PACKET_OUTGOING): with IPv6 on the switch's end of a
 * veth, the kernel's DAD, MLD and router solicitations entered the switch as
 * if they had come in from the wire, and rules that forward IPv6 sent them
 * on to other ports. PACKET_IGNORE_OUTGOING only works on a socket that is
 * not in a fanout group: a group's hook ignores its members' option (tried:
 * the frames still came). A classic BPF filter runs per socket, after the
 * group chose it, so it works in both cases.
 */

#include <stdint.h>
#include <sys/socket.h>

#include <linux/filter.h>
#include <linux/if_packet.h>

/**
 * Attach a filter to packet socket @p fd that drops the frames the host
 * sends out of its interface (and passes everything else whole).
 * @param fd an AF_PACKET socket
 * @return 0, or -1 with errno set by setsockopt(SO_ATTACH_FILTER)
 */
static inline int
sl_afp_drop_outgoing(int fd)
{
	static struct sock_filter drop_outgoing[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, UINT32_MAX),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(drop_outgoing) / sizeof(drop_outgoing[0]),
				   .filter = drop_outgoing };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

#endif /* SL_AFP_FILTER_H */
