/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Hand-over upgrade: a new sluiced (`sluiced --take-over SOCKET`, which
 * `sluicectl upgrade [PATH]` starts) takes the switch over from the
 * running one without an outage. docs/upgrade.md has the whole story; in
 * short:
 *
 * 1. The new process asks the old one (`upgrade-info` on the management
 *    socket) for its configuration file, EAL arguments and hugepage
 *    memory, checks there is as much free (refusing before it starts
 *    anything), and starts EAL with a file prefix of its own.
 * 2. It asks for the hand-over (`upgrade-handover @NAME`): the old process
 *    connects to the new one's abstract Unix socket NAME and sends its
 *    state (sl_state_build()) with its management and OpenFlow listening
 *    sockets (SCM_RIGHTS); the new process creates its agent on those
 *    listeners, applies the state and launches its workers, with no port.
 * 3. The old process releases its ports one by one: each leaves its
 *    workers, then goes over: an af_packet port's rx sockets are passed
 *    (their rings keep filling); a vhost-user client port is opened in the
 *    new process first (its connection waits in QEMU's listening backlog)
 *    and closed in the old one after; any other port is closed in the old
 *    and opened again in the new (a net_tap's interface held meanwhile, so
 *    its addresses stay; NIC: stopped and started). The new process
 *    confirms each.
 * 4. With no port left, the old process sends its state again; the new
 *    one adds what the rules, groups and meters counted since the first
 *    (their counters continue) and learns the MAC addresses, confirms, and the old
 *    process exits without writing a state file.
 *
 * Any failure (the new process dies, refuses a port, a deadline passes)
 * rolls back: the old process kills the new one, opens the ports it
 * released again and goes on forwarding; its tables never changed. The
 * old process's control lcore is busy with the hand-over from step 2 to
 * the end (its workers forward): no flow-mod can change its tables after
 * the state was taken.
 */
#ifndef SL_UPGRADE_H
#define SL_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sl_agent;
struct sl_datapath;
struct sl_out;

/** Most EAL arguments carried over. */
#define SL_UPGRADE_MAX_EAL_ARGS 64

/** What the running sluiced tells the one taking over (`upgrade-info`). */
struct sl_upgrade_info {
	long pid;                   /**< the running process */
	char config[512];           /**< its configuration file; "" for the embedded default */
	char binary[512];           /**< its executable */
	uint64_t hugepage_bytes;    /**< hugepage memory it holds */
	int eal_argc;               /**< its EAL arguments (argv[0] included) */
	char *eal_argv[SL_UPGRADE_MAX_EAL_ARGS]; /**< into eal_buf */
	char eal_buf[4096];         /**< the arguments' bytes */
};

/**
 * The running process remembers what a successor needs (its config file
 * and EAL arguments). main(), before rte_eal_init().
 * @param config the configuration file, NULL for the embedded default
 * @param argc   EAL arguments
 * @param argv   the arguments (copied)
 */
void sl_upgrade_note_process(const char *config, int argc, char *const *argv);

/**
 * Ask the sluiced on management socket @p sock for sl_upgrade_info.
 * @param sock   its management socket
 * @param info   out
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1.
 */
int sl_upgrade_query(const char *sock, struct sl_upgrade_info *info, char *err, size_t errlen);

/**
 * Check that @p need bytes of hugepages are free on this host (both
 * processes hold theirs during a hand-over).
 * @param need   bytes the running process holds
 * @param err    out: when not, what to do
 * @param errlen bytes at @p err
 * @return 0 when there is room, -1 with @p err set.
 */
int sl_upgrade_preflight(uint64_t need, char *err, size_t errlen);

/**
 * EAL arguments for the process taking over: the running one's with a
 * file prefix of its own (its prefix, ".up" and this pid) replacing its
 * --file-prefix.
 * @param info the running one's
 * @param argv out: SL_UPGRADE_MAX_EAL_ARGS entries (into @p info and @p buf)
 * @param buf  room for the new prefix argument
 * @param len  bytes at @p buf
 * @return the argument count, or -1 when there are too many.
 */
int sl_upgrade_eal_argv(struct sl_upgrade_info *info, char **argv, char *buf, size_t len);

/**
 * Management commands of the running process (the old one's side).
 * @{
 */
/** `upgrade-info`: what sl_upgrade_query() reads. @param ctx struct
 *  sl_mgmt_ctx @param argc words @param argv words @param out the answer
 *  @return 0 or -1 */
int sl_mgmt_cmd_upgrade_info(void *ctx, int argc, char **argv, struct sl_out *out);
/** `upgrade-handover @NAME`: hand the switch to the process listening on
 *  abstract socket NAME; answers once it is done or rolled back. @param ctx
 *  struct sl_mgmt_ctx @param argc words @param argv words @param out the
 *  answer @return 0 or -1 */
int sl_mgmt_cmd_upgrade_handover(void *ctx, int argc, char **argv, struct sl_out *out);
/** @} */

/**
 * Whether this process handed the switch over (the control loop ends, no
 * state file is written, the management socket's path is left to the new
 * process).
 * @return true after a hand-over that completed
 */
bool sl_upgrade_handed_over(void);

/**
 * The new process's side, step 2: ask the old process on @p sock for the
 * hand-over, receive its state and listening sockets; the OpenFlow
 * listeners are given to the agent that is created next
 * (sl_ofconn_inherit_listener()).
 * @param sock   the old process's management socket
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 (nothing changed in the old process).
 */
int sl_upgrade_takeover_begin(const char *sock, char *err, size_t errlen);

/**
 * The management socket's listening descriptor received, or -1.
 * @return the descriptor (the caller owns it from then on)
 */
int sl_upgrade_mgmt_fd(void);

/**
 * Apply the state received into the empty tables (instead of
 * sl_state_restore()).
 * @param dp the datapath
 * @param a  the agent
 * @return 0, or -1 (said on stderr).
 */
int sl_upgrade_takeover_apply(struct sl_datapath *dp, struct sl_agent *a);

/**
 * Steps 3 and 4, once the workers run: take the ports one by one, then
 * continue the counters. On failure the caller exits (the old process
 * rolls back).
 * @param dp     the datapath, started
 * @param a      the agent
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1.
 */
int sl_upgrade_takeover_finish(struct sl_datapath *dp, struct sl_agent *a, char *err,
			       size_t errlen);

/**
 * Continue the counters of the rules, groups and meters: add, to each
 * one made from @p s1, what the same record counted more in @p s2 (two
 * snapshots of the old process whose tables did not change in between);
 * group buckets and meter bands included.
 * @param dp     the datapath
 * @param s1     the first snapshot, applied
 * @param len1   its bytes
 * @param s2     the last
 * @param len2   its bytes
 * @param n_cont out: rules, groups and meters continued
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1.
 */
int sl_upgrade_continue_counts(struct sl_datapath *dp, const uint8_t *s1, size_t len1,
			       const uint8_t *s2, size_t len2, uint32_t *n_cont, char *err,
			       size_t errlen);

#endif /* SL_UPGRADE_H */
