/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_ip_addr.h
 * An IPv4 or IPv6 address of the underlay (a VTEP, a neighbour), shared by
 * the tunnel ports (dataplane/tunnel) and the neighbour table
 * (dataplane/neigh). Pure helpers: no EAL, usable by the config layer.
 */
#ifndef SL_IP_ADDR_H
#define SL_IP_ADDR_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/** An IPv4 or IPv6 address; all bytes past the address are zero, so that
 *  memcmp() compares two of them. */
struct sl_ip_addr {
	uint8_t family;   /**< AF_INET or AF_INET6; 0: none */
	uint8_t addr[16]; /**< network order; IPv4 in the first 4 bytes */
};

/** Longest text of an address, NUL included (INET6_ADDRSTRLEN). */
#define SL_IP_ADDR_STRLEN 46

/**
 * Whether two addresses are the same (family and bytes).
 * @param a an address
 * @param b another
 * @return true when equal.
 */
static inline bool
sl_ip_addr_eq(const struct sl_ip_addr *a, const struct sl_ip_addr *b)
{
	uint64_t x[2], y[2]; /* two loads each, no memcmp call: the decap compares per packet */

	memcpy(x, a->addr, 16);
	memcpy(y, b->addr, 16);
	return a->family == b->family && ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/**
 * Parse a dotted IPv4 or an IPv6 address (inet_pton: no names, no prefixes).
 * @param s   the text
 * @param out the address (zeroed first)
 * @return 0, or -1 when @p s is neither.
 */
static inline int
sl_ip_addr_parse(const char *s, struct sl_ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->addr) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

/**
 * Print an address ("-" for none).
 * @param a   the address
 * @param buf out: at least SL_IP_ADDR_STRLEN bytes
 * @param len size of @p buf
 * @return @p buf
 */
static inline const char *
sl_ip_addr_format(const struct sl_ip_addr *a, char *buf, size_t len)
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "-");
	return buf;
}

#endif /* SL_IP_ADDR_H */
