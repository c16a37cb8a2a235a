/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_PORT_HANDOVER_H
#define SL_PORT_HANDOVER_H

/**
 * @file
 * Ports handed from one sluiced to the next (a hand-over upgrade,
 * sluiced/upgrade/): what of a port's kernel objects can be passed with
 * SCM_RIGHTS so that they live on across the two processes.
 *
 * An af_packet port's rx sockets are passed whole: the kernel keeps
 * filling their rings while neither process reads, and the new process
 * maps the same rings and goes on at the old one's read position, so no
 * frame that reached the ring is lost or seen twice. Its tx sockets are
 * not passed (they receive nothing; new ones are as good).
 */

#include <stdint.h>

#include "sl_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One rx ring of an af_packet port, as the next process maps it. */
struct sl_port_afp_ring_shape {
	/** the ring's struct tpacket_req @{ */
	uint32_t block_size, block_nr, frame_size;
	/** @} */
	uint32_t head; /**< the next slot to read */
};

/** What an af_packet port hands over: its rx sockets and their rings. */
struct sl_port_afp_handover {
	uint16_t n_rxq;                                   /**< rx sockets */
	struct sl_port_afp_ring_shape rxq[SL_PORT_MAX_QUEUES]; /**< their rings */
	int fds[SL_PORT_MAX_QUEUES];                      /**< the sockets */
};

/**
 * Describe an af_packet port's rx sockets for the next process. Call it
 * once no worker polls the port any more (the read positions are final).
 * The descriptors stay the port's own (the caller passes copies).
 * @param p the port (type SL_PORT_AFPACKET)
 * @param h out: the sockets and their rings
 * @return 0, or -1 when @p p is no af_packet port.
 */
int sl_port_afpacket_export(const struct sl_port *p, struct sl_port_afp_handover *h);

/**
 * Open an af_packet port on rx sockets another process handed over (see
 * sl_port_afpacket_export()); tx sockets are made new. The port keeps
 * copies of the descriptors: the caller closes its own.
 * @param params    what the port is (the same as in the other process)
 * @param n_workers worker lcores (one tx queue each)
 * @param pools     one mempool per NUMA socket
 * @param h         the rx sockets and their rings
 * @param err       out: on failure, why
 * @param errlen    bytes at @p err
 * @return the port (not started), or NULL.
 */
struct sl_port *sl_port_afpacket_adopt(const struct sl_port_params *params,
				       unsigned int n_workers,
				       struct rte_mempool *const *pools,
				       const struct sl_port_afp_handover *h, char *err,
				       size_t errlen);

/**
 * Close a vhost-user port's connection to the guest and keep the port: its
 * rx finds no guest (nothing received), its tx drops and counts
 * (tx_dropped), its counters stay readable, and sl_port_destroy() frees it
 * later. A hand-over closes a vhost-user client port this way while the
 * old process's workers still poll it, so that taking it out of their
 * hands (two grace periods) is not in the guest's gap: rte_vhost's
 * destroy callback fences the workers by itself (it clears the masks they
 * read and waits until none is inside a burst). Control lcore only.
 * @param p the port
 * @return 0, or -1 when @p p is no vhost-user port.
 */
int sl_port_vhost_disconnect(struct sl_port *p);

#ifdef __cplusplus
}
#endif
#endif /* SL_PORT_HANDOVER_H */
