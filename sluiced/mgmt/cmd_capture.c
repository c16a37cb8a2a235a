/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `capture PORT [--count N] [--rx|--tx|--both] [--snaplen S] FILE`: copies
 * of a port's packets into a pcapng file (dataplane/capture/sl_capture.h,
 * docs/capture.md). sluiced writes the file itself, from its control loop,
 * so FILE is a path on the switch's host, absolute (sluicectl makes it so).
 *
 * As with `trace --live`, arming answers at once and the client asks
 * `capture --status ID` until the session is done or its time is up, then
 * `capture --stop ID`, which writes what is left, closes the file and
 * answers the counts. A session whose client stops asking for 5 s ends.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_capture.h"
#include "sl_datapath.h"
#include "sl_mgmt_cmds.h"

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A port by name or OpenFlow number; -1 if none. */
static int
cap_port(const struct sl_datapath *dp, const char *s)
{
	int idx = sl_datapath_port_find(dp, s);
	char *end;
	unsigned long n;

	if (idx >= 0)
		return dp->ports[idx] != NULL ? idx : -1;
	n = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n == 0 || n > UINT32_MAX)
		return -1;
	return sl_datapath_port_idx(dp, (uint32_t)n);
}

/* A number in 1..@max from @s; 0 if it is none. */
static uint64_t
cap_number(const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return 0;
	v = strtoull(s, &end, 10);
	return *end == '\0' && v <= max ? v : 0;
}

static const char *
cap_dirs(unsigned int dirs)
{
	return dirs == (SL_CAPTURE_RX | SL_CAPTURE_TX) ? "both" : dirs == SL_CAPTURE_RX ? "rx"
											 : "tx";
}

static void
cap_record(const struct sl_datapath *dp, unsigned int id, const struct sl_capture_info *i,
	   struct sl_out *out)
{
	const char *port = i->port_idx < dp->n_ports ? dp->cfg->ports[i->port_idx].name : "?";

	sl_out_list(out, "capture");
	sl_out_record(out);
	sl_out_u64(out, "id", id);
	sl_out_str(out, "port", "%s", port[0] ? port : "(deleted)");
	sl_out_str(out, "direction", "%s", cap_dirs(i->dirs));
	sl_out_u64(out, "count", i->count);
	sl_out_u64(out, "written", i->written);
	sl_out_u64(out, "ring_full", i->ring_full);
	sl_out_u64(out, "no_mbuf", i->no_mbuf);
	sl_out_u64(out, "write_errors", i->write_errors);
	sl_out_str(out, "state", "%s", i->done ? i->why : "capturing");
}

static int
cap_arm(struct sl_datapath *dp, int argc, char **argv, struct sl_out *out)
{
	static const char usage[] = "usage: capture PORT [--count N] [--rx|--tx|--both] "
				    "[--snaplen S] FILE";
	unsigned int dirs = SL_CAPTURE_RX | SL_CAPTURE_TX;
	uint64_t count = 0, snaplen = SL_CAPTURE_SNAPLEN_MAX;
	struct sl_capture_info info;
	char err[256];
	int idx, id, i;

	if (argc < 3)
		return sl_out_error(out, "%s", usage);
	for (i = 2; i < argc - 1; i++) {
		if (strcmp(argv[i], "--rx") == 0)
			dirs = SL_CAPTURE_RX;
		else if (strcmp(argv[i], "--tx") == 0)
			dirs = SL_CAPTURE_TX;
		else if (strcmp(argv[i], "--both") == 0)
			dirs = SL_CAPTURE_RX | SL_CAPTURE_TX;
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc - 1) {
			if ((count = cap_number(argv[++i], UINT32_MAX)) == 0)
				return sl_out_error(out, "capture: --count is 1 to %u packets",
						    UINT32_MAX);
		} else if (strcmp(argv[i], "--snaplen") == 0 && i + 1 < argc - 1) {
			if ((snaplen = cap_number(argv[++i], SL_CAPTURE_SNAPLEN_MAX)) == 0)
				return sl_out_error(out, "capture: --snaplen is 1 to %u bytes",
						    SL_CAPTURE_SNAPLEN_MAX);
		} else
			return sl_out_error(out, "capture: unexpected \"%s\"; %s", argv[i], usage);
	}
	if (argv[argc - 1][0] != '/')
		return sl_out_error(out, "capture: FILE must be an absolute path (sluiced writes "
				    "it), not \"%s\"", argv[argc - 1]);
	if ((idx = cap_port(dp, argv[1])) < 0)
		return sl_out_error(out, "capture: no port \"%s\"", argv[1]);
	id = sl_capture_start(dp, (unsigned int)idx, dirs, count, (uint32_t)snaplen,
			      argv[argc - 1], err, sizeof(err));
	if (id < 0)
		return sl_out_error(out, "capture: %s", err);
	sl_capture_status((unsigned int)id, mono_ms(), &info);
	if (sl_out_mode(out) != SL_OUT_JSON)
		sl_out_line(out, "capture %d: port %s (%s), %" PRIu64 " packets, snaplen %" PRIu64
			    ", to %s", id, dp->cfg->ports[idx].name, cap_dirs(dirs), count,
			    snaplen, argv[argc - 1]);
	else
		cap_record(dp, (unsigned int)id, &info, out);
	return 0;
}

int
sl_mgmt_cmd_capture(void *ctx, int argc, char **argv, struct sl_out *out)
{
	struct sl_mgmt_ctx *c = ctx;
	struct sl_capture_info info;
	uint64_t id;

	if (strcmp(argv[1], "--status") != 0 && strcmp(argv[1], "--stop") != 0)
		return cap_arm(c->dp, argc, argv, out);
	if (argc != 3 || ((id = cap_number(argv[2], SL_CAPTURE_SESSIONS)) == 0 && argv[2][0] != '0'))
		return sl_out_error(out, "usage: capture --status ID | --stop ID");
	if (strcmp(argv[1], "--status") == 0) {
		if (sl_capture_status((unsigned int)id, mono_ms(), &info) != 0)
			return sl_out_error(out, "capture: no session %" PRIu64, id);
		/* one line the client reads: state, written, wanted, losses */
		sl_out_line(out, "capture %" PRIu64 " %s %" PRIu64 " %" PRIu64 " %" PRIu64
			    " %" PRIu64, id, info.done ? "done" : "capturing", info.written,
			    info.count, info.ring_full, info.no_mbuf);
		return 0;
	}
	if (sl_capture_stop(c->dp, (unsigned int)id, &info) != 0)
		return sl_out_error(out, "capture: no session %" PRIu64, id);
	cap_record(c->dp, (unsigned int)id, &info, out);
	return 0;
}
