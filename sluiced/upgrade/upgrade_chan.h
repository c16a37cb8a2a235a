/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The hand-over channel between the running sluiced and the one taking
 * over (sl_upgrade.h): framed messages on a Unix stream socket, with file
 * descriptors passed beside a message's header (SCM_RIGHTS). Both ends
 * block, with a deadline per message: the old process's workers forward
 * meanwhile, and the new one's control loop has not started.
 */
#ifndef SL_UPGRADE_CHAN_H
#define SL_UPGRADE_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "sl_port.h"
#include "sl_port_handover.h"

/** Descriptors one message carries at most. */
#define UP_MAX_FDS 32u
/** Longest payload (a snapshot of a million rules fits). */
#define UP_MAX_PAYLOAD (1024u * 1024 * 1024)

/** The messages, in the order they come. */
enum up_type {
	UP_HELLO = 1, /**< old -> new: state S1; fds: mgmt listener, OpenFlow listeners */
	UP_READY,     /**< new -> old: tables built, workers running, no ports yet */
	UP_PORT,      /**< old -> new: one port released (struct up_port); fds: its sockets */
	UP_PORT_OK,   /**< new -> old: the port forwards in the new process */
	UP_PORT_FAIL, /**< new -> old: it does not (payload: why); the old rolls back */
	UP_FINAL,     /**< old -> new: state S2, taken with no port left in the old */
	UP_DONE,      /**< new -> old: counters continued; the old exits */
	/** old -> new, after PORT_OK for a vhost-user client port: its final
	 *  counters (struct up_counts), read once it has left the old
	 *  process's workers; answered with PORT_OK. Since version 2. */
	UP_PORT_COUNTS,
};

/**
 * Version of the port records (struct up_port, and struct sl_port_params
 * inside it, sent as they are in memory): a release that changes either
 * layout moves it on, and a hand-over between two versions is refused with
 * both numbers (restart instead: the state file is versioned on its own).
 * Releases before versioned records sent 0 where the version is now.
 */
/* 2: UP_PORT_COUNTS after a vhost-user client port; 3: a tunnel port's
 * protocol (struct sl_tunnel_params.proto: vxlan or geneve) */
#define UP_PORT_VERSION 3u
/**
 * The oldest version this release takes over from. Version 1 records have
 * version 2's layout; a version 1 process sends a vhost-user client port's
 * final counters in its PORT record (it detaches the port first) and no
 * UP_PORT_COUNTS, which the new process does not wait for. Versions 1 and
 * 2 have a struct sl_port_params 4 bytes shorter (no tunnel protocol: every
 * tunnel port was VXLAN) in a struct up_port of the same size; their
 * records are converted on reading (up_port_read). So the previous
 * releases hand over to this one hitlessly, as before.
 */
#define UP_PORT_VERSION_MIN 1u

/** UP_HELLO's fixed part (the snapshot follows). */
struct up_hello {
	uint32_t has_mgmt;     /**< the first fd is the management socket's listener */
	uint32_t n_listeners;  /**< OpenFlow listeners among the fds (after it) */
	uint32_t params_size;  /**< sizeof(struct sl_port_params): same build family */
	uint32_t port_version; /**< UP_PORT_VERSION (0: a release before it) */
};

/** UP_PORT flag: the last descriptor passed is the network namespace the
 *  port's kernel interface lives in (a net_tap moved out of ours): the new
 *  process opens the port inside it. A release that does not know the flag
 *  refuses the record (its descriptors do not add up), never misreads it. */
#define UP_PORT_F_NETNS 0x1u
/** UP_PORT flag: `slot` is the port's slot in the old process; the new
 *  one puts it in the same slot (the neighbour table's entries and a
 *  tunnel port's underlay are by slot). Without it: the lowest free one. */
#define UP_PORT_F_SLOT 0x2u

/** UP_PORT's payload: what the port is, what it counted, its sockets. The
 *  version comes first so that any release can read it. */
struct up_port {
	uint32_t version;               /**< UP_PORT_VERSION */
	uint32_t params_size;           /**< sizeof(struct sl_port_params) */
	uint32_t n_fds;                 /**< descriptors passed with it */
	uint16_t flags;                 /**< UP_PORT_F_* (releases before them: 0) */
	uint16_t slot;                  /**< with UP_PORT_F_SLOT: its slot in the old process */
	struct sl_port_params params;   /**< as the old process had it */
	struct sl_port_stats counted;   /**< its counters at release (continued) */
	uint64_t created_ns;            /**< CLOCK_MONOTONIC it was made (durations go on) */
	struct sl_port_afp_handover afp; /**< af_packet: rx rings (fds passed) */
};

/** UP_PORT_COUNTS: a port's counters at the end of its hand-over; they
 *  replace the ones its UP_PORT carried (read while it still forwarded). */
struct up_counts {
	uint32_t ofport;              /**< the port's number */
	uint32_t pad;                 /**< 0 */
	struct sl_port_stats counted; /**< its counters, final */
};

/** A message received. */
struct up_msg {
	uint32_t type;            /**< enum up_type */
	uint32_t len;             /**< payload bytes */
	uint8_t *payload;         /**< malloc'd (NULL when len is 0) */
	unsigned int n_fds;       /**< descriptors received */
	int fds[UP_MAX_FDS];      /**< theirs to close */
};

/**
 * Send a message.
 * @param fd       the channel
 * @param type     enum up_type
 * @param a        first part of the payload (may be NULL when @p alen is 0)
 * @param alen     its bytes
 * @param b        second part (NULL: none)
 * @param blen     its bytes
 * @param fds      descriptors to pass
 * @param n_fds    how many (UP_MAX_FDS at most)
 * @param timeout_ms deadline for the whole message
 * @return 0, or -1 (peer gone, timeout) with errno set.
 */
int up_send(int fd, uint32_t type, const void *a, size_t alen, const void *b, size_t blen,
	    const int *fds, unsigned int n_fds, int timeout_ms);

/**
 * Receive a message.
 * @param fd         the channel
 * @param m          out: the message (free with up_msg_free())
 * @param timeout_ms deadline
 * @return 0, or -1 (peer gone: errno EPIPE; timeout: ETIMEDOUT; garbage:
 *         EPROTO).
 */
int up_recv(int fd, struct up_msg *m, int timeout_ms);

/**
 * Free a message's payload and close the descriptors still in it (those
 * taken set to -1 are left).
 * @param m the message
 */
void up_msg_free(struct up_msg *m);

/**
 * Check the old process's UP_HELLO: the same port record version and
 * layout as this build's, and the descriptors it announces.
 * @param h      its fixed part
 * @param n_fds  descriptors that came with it
 * @param err    out: why not, and what to do
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int up_hello_check(const struct up_hello *h, unsigned int n_fds, char *err, size_t errlen);

/**
 * Read an UP_PORT payload: refused, saying why, when its version or size
 * is not this build's or its descriptors do not match.
 * @param payload the message's payload
 * @param len     its bytes
 * @param n_fds   descriptors that came with it
 * @param up      out: the record
 * @param err     out: why not
 * @param errlen  bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int up_port_read(const uint8_t *payload, size_t len, unsigned int n_fds, struct up_port *up,
		 char *err, size_t errlen);

/**
 * The name of a message type, for logs.
 * @param type enum up_type
 * @return the name
 */
const char *up_type_name(uint32_t type);

#endif /* SL_UPGRADE_CHAN_H */
