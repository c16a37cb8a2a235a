/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture sessions (sl_capture.h): the workers' copies and the control
 * lcore's writer. A session's ring and the capture pool are made at its
 * first use and kept until exit, so that a session costs no allocation
 * once made and nothing at all when capture is never used.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sl_capture.h"
#include "sl_datapath.h"
#include "sl_log.h"

/* Copies in the capture pool: every session's ring full, and some. */
#define CAP_POOL_MBUFS (SL_CAPTURE_SESSIONS * SL_CAPTURE_RING + 1023)
/* Copies written per session per pass of the control loop. */
#define CAP_WRITE_BURST 256
/* A client that asked nothing for this long is gone: its session ends. */
#define CAP_CLIENT_TIMEOUT_MS 5000
/* Copies a worker makes per enqueue. */
#define CAP_CHUNK 32

uint8_t sl_capture_ports[SL_MAX_PORTS];

/* What a worker stamps on each copy (the capture pool's private area). */
struct cap_meta {
	uint64_t tsc;      /* when the burst was received or sent */
	uint32_t orig_len; /* the packet's length */
	uint32_t dir;      /* SL_CAPTURE_RX or SL_CAPTURE_TX */
};

struct cap_session {
	struct rte_ring *ring;   /* workers -> control lcore (MP/SC), kept once made */
	uint32_t snaplen;        /* read by workers once armed */
	uint64_t ring_full;      /* workers: copies the ring refused */
	uint64_t no_mbuf;        /* workers: copies the pool could not make */
	/* control lcore only from here */
	bool in_use, armed;
	struct sl_port *port;    /* to notice a deleted port */
	FILE *f;
	uint64_t tsc0, real0_ns; /* TSC and Unix time at the start */
	uint64_t last_ask_ms;    /* the client's last status */
	struct sl_capture_info info;
};

static struct cap_session sessions[SL_CAPTURE_SESSIONS];
static struct rte_mempool *cap_pool;

static struct cap_meta *
cap_meta(struct rte_mbuf *m)
{
	return rte_mbuf_to_priv(m);
}

void
sl_capture_burst(uint8_t flags, uint16_t port_idx, unsigned int dir,
		 struct rte_mbuf *const *pkts, uint16_t n)
{
	struct cap_session *s = &sessions[(flags >> 4) % SL_CAPTURE_SESSIONS];
	uint64_t tsc = rte_rdtsc();
	uint32_t snaplen = s->snaplen;

	(void)port_idx;
	for (uint16_t done = 0; done < n;) {
		struct rte_mbuf *c[CAP_CHUNK];
		unsigned int k = 0, q;
		uint16_t todo = RTE_MIN((uint16_t)(n - done), (uint16_t)CAP_CHUNK);

		for (uint16_t i = 0; i < todo; i++) {
			const struct rte_mbuf *m = pkts[done + i];
			struct rte_mbuf *cp = rte_pktmbuf_copy(m, cap_pool, 0, snaplen);

			if (unlikely(cp == NULL)) {
				__atomic_fetch_add(&s->no_mbuf, 1, __ATOMIC_RELAXED);
				continue;
			}
			*cap_meta(cp) = (struct cap_meta){ .tsc = tsc,
							   .orig_len = rte_pktmbuf_pkt_len(m),
							   .dir = dir };
			c[k++] = cp;
		}
		q = rte_ring_mp_enqueue_burst(s->ring, (void **)c, k, NULL);
		if (unlikely(q < k)) {
			__atomic_fetch_add(&s->ring_full, k - q, __ATOMIC_RELAXED);
			rte_pktmbuf_free_bulk(&c[q], k - q);
		}
		done = (uint16_t)(done + todo);
	}
}

static uint64_t
realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The pool and session @id's ring, made at their first use. */
static int
cap_resources(unsigned int id, char *err, size_t errlen)
{
	char name[RTE_RING_NAMESIZE];

	if (cap_pool == NULL)
		cap_pool = rte_pktmbuf_pool_create("sl_capture", CAP_POOL_MBUFS, 128,
						   RTE_ALIGN(sizeof(struct cap_meta),
							     RTE_MBUF_PRIV_ALIGN),
						   RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (cap_pool == NULL) {
		snprintf(err, errlen, "no memory for the capture pool (%u mbufs): %s",
			 CAP_POOL_MBUFS, rte_strerror(rte_errno));
		return -1;
	}
	snprintf(name, sizeof(name), "sl_capture_%u", id);
	if (sessions[id].ring == NULL)
		sessions[id].ring = rte_ring_create(name, SL_CAPTURE_RING, SOCKET_ID_ANY,
						    RING_F_SC_DEQ);
	if (sessions[id].ring == NULL) {
		snprintf(err, errlen, "no memory for the capture ring: %s",
			 rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* Open @path and write the section and the port's interface. */
static FILE *
cap_open(const struct sl_port *p, uint32_t snaplen, const char *path, char *err, size_t errlen)
{
	char descr[SL_PORT_ARGS_MAX + 32];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	snprintf(descr, sizeof(descr), "%s %s", sl_port_type_name(p->params.type), p->params.args);
	if (sl_pcapng_write_shb(f, "sluiced") || sl_pcapng_write_idb(f, p->params.name, descr,
								     snaplen) || fflush(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	return f;
}

int
sl_capture_start(struct sl_datapath *dp, unsigned int port_idx, unsigned int dirs,
		 uint64_t count, uint32_t snaplen, const char *path, char *err, size_t errlen)
{
	struct sl_port *p = port_idx < dp->n_ports ? dp->ports[port_idx] : NULL;
	struct cap_session *s = NULL;
	unsigned int id;

	if (p == NULL || p->deleting) {
		snprintf(err, errlen, "no such port");
		return -1;
	}
	if (sl_capture_ports[port_idx] != 0) {
		snprintf(err, errlen, "port %s is being captured already (session %u)",
			 p->params.name, sl_capture_ports[port_idx] >> 4);
		return -1;
	}
	for (id = 0; id < SL_CAPTURE_SESSIONS && s == NULL; id++)
		if (!sessions[id].in_use)
			s = &sessions[id];
	if (s == NULL) {
		snprintf(err, errlen, "%d captures run already: stop one first",
			 SL_CAPTURE_SESSIONS);
		return -1;
	}
	id = (unsigned int)(s - sessions);
	if (cap_resources(id, err, errlen) < 0 ||
	    (s->f = cap_open(p, snaplen, path, err, errlen)) == NULL)
		return -1;
	s->in_use = s->armed = true;
	s->port = p;
	s->snaplen = snaplen;
	__atomic_store_n(&s->ring_full, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->no_mbuf, 0, __ATOMIC_RELAXED);
	s->tsc0 = rte_rdtsc();
	s->real0_ns = realtime_ns();
	s->last_ask_ms = 0;
	s->info = (struct sl_capture_info){ .active = true, .port_idx = (uint16_t)port_idx,
					    .dirs = (uint8_t)dirs, .snaplen = snaplen,
					    .count = count };
	/* release: a worker that sees the byte sees the ring and snaplen */
	__atomic_store_n(&sl_capture_ports[port_idx], (uint8_t)(id << 4 | dirs), __ATOMIC_RELEASE);
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: capture %u: port %s %s%s, %" PRIu64
	       " packets, snaplen %u, to %s", id, p->params.name,
	       dirs & SL_CAPTURE_RX ? "rx" : "", dirs == (SL_CAPTURE_RX | SL_CAPTURE_TX) ? "+tx"
	       : dirs & SL_CAPTURE_TX ? "tx" : "", count, snaplen, path);
	return (int)id;
}

static uint64_t
cap_ts_ns(const struct cap_session *s, uint64_t tsc)
{
	uint64_t hz = rte_get_tsc_hz(), d = tsc - s->tsc0;

	if (tsc < s->tsc0) /* stamped by a worker just before the start's read */
		d = 0;
	return s->real0_ns + d / hz * 1000000000ull + d % hz * 1000000000ull / hz;
}

/* Write (or, past the count, free) up to @max copies; how many were taken. */
static unsigned int
cap_drain(struct cap_session *s, unsigned int max)
{
	struct rte_mbuf *m[CAP_WRITE_BURST];
	unsigned int n = rte_ring_sc_dequeue_burst(s->ring, (void **)m,
						   RTE_MIN(max, (unsigned int)CAP_WRITE_BURST), NULL);

	for (unsigned int i = 0; i < n; i++) {
		const struct cap_meta *cm = cap_meta(m[i]);

		if (s->info.count == 0 || s->info.written < s->info.count) {
			if (sl_pcapng_write_epb(s->f, 0, cap_ts_ns(s, cm->tsc), m[i], cm->orig_len,
						cm->dir) == 0)
				s->info.written++;
			else
				s->info.write_errors++;
		}
		rte_pktmbuf_free(m[i]);
	}
	return n;
}

/* Disarm: no worker copies into the session once this returns. */
static void
cap_disarm(struct sl_datapath *dp, struct cap_session *s, const char *why)
{
	if (!s->armed)
		return;
	__atomic_store_n(&sl_capture_ports[s->info.port_idx], 0, __ATOMIC_RELEASE);
	sl_datapath_sync(dp); /* a worker may be inside sl_capture_burst */
	s->armed = false;
	snprintf(s->info.why, sizeof(s->info.why), "%s", why);
}

/* Disarm, write what is left, close the file. */
static void
cap_finish(struct sl_datapath *dp, struct cap_session *s, const char *why)
{
	unsigned int id = (unsigned int)(s - sessions);

	cap_disarm(dp, s, why);
	while (cap_drain(s, CAP_WRITE_BURST) != 0)
		;
	if (s->f != NULL && fclose(s->f) != 0)
		s->info.write_errors++;
	s->f = NULL;
	s->info.ring_full = __atomic_load_n(&s->ring_full, __ATOMIC_RELAXED);
	s->info.no_mbuf = __atomic_load_n(&s->no_mbuf, __ATOMIC_RELAXED);
	s->info.active = false;
	s->info.done = true;
	SL_LOG(SL_LOG_PORT, SL_LOG_NOTICE, "sluiced: capture %u: %s: %" PRIu64 " packets written, "
	       "%" PRIu64 " lost (ring full), %" PRIu64 " lost (no mbuf), %" PRIu64
	       " write errors", id, s->info.why, s->info.written, s->info.ring_full,
	       s->info.no_mbuf, s->info.write_errors);
}

void
sl_capture_run(struct sl_datapath *dp, uint64_t now_ms)
{
	for (unsigned int id = 0; id < SL_CAPTURE_SESSIONS; id++) {
		struct cap_session *s = &sessions[id];
		unsigned int idx = s->info.port_idx;
		uint64_t silent;

		if (!s->in_use)
			continue;
		if (s->last_ask_ms == 0)
			s->last_ask_ms = now_ms;
		/* a status in this pass is newer than @now_ms */
		silent = now_ms > s->last_ask_ms ? now_ms - s->last_ask_ms : 0;
		if (!s->info.active) {
			/* finished, and nobody came for the result */
			if (silent > CAP_CLIENT_TIMEOUT_MS)
				s->in_use = false;
			continue;
		}
		cap_drain(s, CAP_WRITE_BURST);
		if (s->info.count && s->info.written >= s->info.count)
			cap_finish(dp, s, "count reached");
		else if (idx >= dp->n_ports || dp->ports[idx] != s->port || s->port->deleting)
			cap_finish(dp, s, "port deleted");
		else if (silent > CAP_CLIENT_TIMEOUT_MS)
			cap_finish(dp, s, "client gone (no status for 5 s)");
		else if (s->info.write_errors)
			cap_finish(dp, s, "cannot write the file");
		else
			fflush(s->f);
	}
}

static void
cap_info(struct cap_session *s, struct sl_capture_info *info)
{
	*info = s->info;
	if (s->info.active) {
		info->ring_full = __atomic_load_n(&s->ring_full, __ATOMIC_RELAXED);
		info->no_mbuf = __atomic_load_n(&s->no_mbuf, __ATOMIC_RELAXED);
	}
}

int
sl_capture_status(unsigned int id, uint64_t now_ms, struct sl_capture_info *info)
{
	if (id >= SL_CAPTURE_SESSIONS || !sessions[id].in_use)
		return -1;
	sessions[id].last_ask_ms = now_ms;
	cap_info(&sessions[id], info);
	return 0;
}

int
sl_capture_stop(struct sl_datapath *dp, unsigned int id, struct sl_capture_info *info)
{
	struct cap_session *s;

	if (id >= SL_CAPTURE_SESSIONS || !sessions[id].in_use)
		return -1;
	s = &sessions[id];
	if (s->info.active)
		cap_finish(dp, s, "stopped");
	cap_info(s, info);
	s->in_use = false;
	return 0;
}

void
sl_capture_fini(struct sl_datapath *dp)
{
	struct sl_capture_info info;

	for (unsigned int id = 0; id < SL_CAPTURE_SESSIONS; id++) {
		if (sessions[id].in_use)
			sl_capture_stop(dp, id, &info);
		rte_ring_free(sessions[id].ring);
		sessions[id].ring = NULL;
	}
	rte_mempool_free(cap_pool);
	cap_pool = NULL;
}
