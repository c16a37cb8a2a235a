/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_CAPTURE_H
#define SL_CAPTURE_H

/**
 * @file
 * Packet capture on any port, vhost-user ones included (`sluicectl
 * capture`, docs/capture.md): the one way that works for every port kind,
 * beside Debian's dpdk-dumpcap, which sees ethdevs only (rte_vhost ports are
 * no ethdevs).
 *
 * A session captures one port, one or both directions. Arming it sets the
 * port's byte in sl_capture_ports[], which the workers load once per rx
 * burst and once per tx burst (a predictable branch while it is 0: the only
 * cost of capture when off). While it is set, a worker copies each packet
 * (rte_pktmbuf_copy, up to the snap length, chained or shared mbufs alike)
 * into the capture pool and puts the copy on the session's ring, stamped
 * with the TSC, the original length, the port and the direction. A copy,
 * not a clone: the executor rewrites headers in place after rx (set-field on
 * a packet whose refcnt is 1), and a clone would show the rewritten bytes.
 * A full ring or an empty pool drops the copy, never the packet, and counts
 * it (ring_full, no_mbuf). The control lcore drains the ring into a pcapng
 * file (sl_capture_run), one interface block named after the port,
 * directions in each packet's flags, and disarms once it wrote the count
 * asked for. Rx is captured as received, before anything is decided; tx as
 * handed to the device, after the MTU and runt checks (a packet the device
 * then refuses, its ring full, is in the capture and counted as a drop).
 *
 * Threading: sl_capture_rx()/sl_capture_tx() on workers (the rings are
 * multi-producer: several workers may feed one session); everything else on
 * the control lcore.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>

#include "sl_port.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_CAPTURE_RX 1u          /**< sl_capture_ports[] bit: received packets */
#define SL_CAPTURE_TX 2u          /**< sl_capture_ports[] bit: transmitted packets */
#define SL_CAPTURE_SESSIONS 4     /**< sessions at once (one port each) */
#define SL_CAPTURE_RING 4096      /**< copies one session's ring holds */
#define SL_CAPTURE_SNAPLEN_MAX 65535 /**< longest snap length, and the default */

/**
 * Per port index: 0 while not captured; else the directions captured
 * (SL_CAPTURE_RX | SL_CAPTURE_TX) in the low bits and the session in bits
 * 4-7. Written by the control lcore, loaded once per burst by workers.
 */
extern uint8_t sl_capture_ports[SL_MAX_PORTS];

/** One session's state, as sl_capture_status() reports it. */
struct sl_capture_info {
	bool active;          /**< armed or with copies left to write */
	bool done;            /**< finished: count reached, port gone, or stopped */
	uint16_t port_idx;    /**< the port's index */
	uint8_t dirs;         /**< SL_CAPTURE_RX | SL_CAPTURE_TX */
	uint32_t snaplen;     /**< bytes kept of each packet */
	uint64_t count;       /**< packets asked for (0: until stopped) */
	uint64_t written;     /**< packets written to the file */
	uint64_t ring_full;   /**< copies lost: the ring was full */
	uint64_t no_mbuf;     /**< copies lost: the capture pool was empty */
	uint64_t write_errors; /**< packets lost: the file could not be written */
	char why[96];         /**< why it is done ("count reached", "port deleted", ...) */
};

struct sl_datapath;

/**
 * Start capturing a port into a pcapng file.
 * @param dp       the runtime
 * @param port_idx the port's index (an open port)
 * @param dirs     SL_CAPTURE_RX, SL_CAPTURE_TX or both
 * @param count    stop after this many packets (0: when stopped)
 * @param snaplen  bytes to keep of each packet, 1..SL_CAPTURE_SNAPLEN_MAX
 * @param path     the file (created or truncated, mode 0600)
 * @param err      on failure: why
 * @param errlen   bytes at @p err
 * @return the session id (0..SL_CAPTURE_SESSIONS-1), or -1 with @p err set.
 */
int sl_capture_start(struct sl_datapath *dp, unsigned int port_idx, unsigned int dirs,
		     uint64_t count, uint32_t snaplen, const char *path, char *err,
		     size_t errlen);

/**
 * Write what the workers copied; finish sessions that reached their count,
 * whose port went away, or whose client stopped asking (no status for
 * 5 s). Control lcore, every pass of its loop.
 * @param dp     the runtime
 * @param now_ms a monotonic clock in milliseconds
 */
void sl_capture_run(struct sl_datapath *dp, uint64_t now_ms);

/**
 * A session's state (and: its client is alive).
 * @param id     the session
 * @param now_ms a monotonic clock in milliseconds
 * @param info   out: its state
 * @return 0, or -1 if no such session.
 */
int sl_capture_status(unsigned int id, uint64_t now_ms, struct sl_capture_info *info);

/**
 * Stop a session (if running), write what is left, close its file and
 * free it.
 * @param dp   the runtime
 * @param id   the session
 * @param info out: its final state
 * @return 0, or -1 if no such session.
 */
int sl_capture_stop(struct sl_datapath *dp, unsigned int id, struct sl_capture_info *info);

/**
 * Stop every session and free the capture pool and rings (at exit).
 * @param dp the runtime
 */
void sl_capture_fini(struct sl_datapath *dp);

/**
 * Copy a burst to the session of @p flags (a worker; capture armed).
 * @param flags    the port's sl_capture_ports[] byte
 * @param port_idx the port's index
 * @param dir      SL_CAPTURE_RX or SL_CAPTURE_TX
 * @param pkts     the packets (only read)
 * @param n        how many
 */
void sl_capture_burst(uint8_t flags, uint16_t port_idx, unsigned int dir,
		      struct rte_mbuf *const *pkts, uint16_t n);

/**
 * The workers' hook: copy a burst if its port's direction is captured.
 * @param port_idx the port's index
 * @param dir      SL_CAPTURE_RX or SL_CAPTURE_TX
 * @param pkts     the packets (only read)
 * @param n        how many
 */
static inline void
sl_capture_hook(uint16_t port_idx, unsigned int dir, struct rte_mbuf *const *pkts, uint16_t n)
{
#ifdef SL_BENCH_NO_CAPTURE_HOOK
	/* test/bench/bench_worker's baseline only: the hook's cost against none */
	(void)port_idx; (void)dir; (void)pkts; (void)n;
#else
	uint8_t f = __atomic_load_n(&sl_capture_ports[port_idx], __ATOMIC_ACQUIRE);

	if (unlikely(f & dir))
		sl_capture_burst(f, port_idx, dir, pkts, n);
#endif
}

/**
 * Pcapng blocks (capture_pcapng.c), written with stdio: a section header,
 * one interface per port, enhanced packet blocks with direction flags.
 * @{
 */
/** Section header block. @param f the file @param app the writing program
 *  (shb_userappl) @return 0 or -1 (errno) */
int sl_pcapng_write_shb(FILE *f, const char *app);
/** Interface description block: Ethernet, ns timestamps. @param f the file
 *  @param name if_name @param descr if_description @param snaplen its snap
 *  length @return 0 or -1 */
int sl_pcapng_write_idb(FILE *f, const char *name, const char *descr, uint32_t snaplen);
/** Enhanced packet block of interface @p ifid with direction flags.
 *  @param f the file @param ifid interface index @param ts_ns Unix time in
 *  ns @param m the captured copy (may be chained) @param orig_len the
 *  packet's length on the wire @param dir SL_CAPTURE_RX or SL_CAPTURE_TX
 *  @return 0 or -1 */
int sl_pcapng_write_epb(FILE *f, uint32_t ifid, uint64_t ts_ns, const struct rte_mbuf *m,
			uint32_t orig_len, unsigned int dir);
/** @} */

#ifdef __cplusplus
}
#endif
#endif /* SL_CAPTURE_H */
