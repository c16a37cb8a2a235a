/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_mgmt.h
 * The management socket: a Unix stream socket (mode 0600, root or the
 * daemon's own user only) on which `sluicectl` asks sluiced questions and
 * gives it orders, like `ovs-appctl` with OVS's unixctl.
 *
 * Protocol, one request per connection: the client sends one line, the
 * command and its arguments separated by spaces ("dump-flows table=0"),
 * with "--json" anywhere among them for a JSON answer; at most
 * SL_MGMT_MAX_REQUEST bytes and SL_MGMT_MAX_ARGS words. The server answers
 * "OK\n" and the body, or "ERROR <message>\n", and closes the connection.
 *
 * Everything runs on the control lcore from sl_mgmt_run(), which never
 * blocks: sockets are non-blocking, a client that sends too much, too
 * slowly, or does not read its answer is dropped after SL_MGMT_TIMEOUT_MS
 * (a garbage, slow or half-closed client costs a slot, never a stall).
 */
#ifndef SL_MGMT_H
#define SL_MGMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_mgmt_out.h"

/** Where sluiced puts the socket unless its config says otherwise ([switch]
 *  mgmt_socket; the same literal as the config's SL_CONFIG_MGMT_SOCKET). */
#define SL_MGMT_DEFAULT_SOCKET "/var/run/sluice/sluiced.ctl"

/** Longest request line, newline included (a 9216-byte packet in hex fits). */
#define SL_MGMT_MAX_REQUEST 32768u
/** Most words in a request (the command included). */
#define SL_MGMT_MAX_ARGS 64u
/** Clients served at once; more wait in the listen backlog. */
#define SL_MGMT_MAX_CLIENTS 16u
/** A client must send its request, and read its answer, within this. */
#define SL_MGMT_TIMEOUT_MS 5000u

/**
 * A command handler: answer into @p out (sl_out_error() for a failure).
 * @param ctx  the context given to sl_mgmt_open()
 * @param argc words in @p argv, the command's name first
 * @param argv the words (modifiable, NUL-terminated)
 * @param out  the answer
 * @return 0, or -1 when @p out holds an error.
 */
typedef int (*sl_mgmt_fn)(void *ctx, int argc, char **argv, struct sl_out *out);

/** A command of the management socket. */
struct sl_mgmt_cmd {
	const char *name;  /**< first word of the request */
	const char *args;  /**< synopsis of its arguments ("" for none) */
	const char *help;  /**< one line for `sluicectl help` */
	int min_args;      /**< arguments it needs at least (the name not counted) */
	int max_args;      /**< arguments it takes at most; -1: any number */
	sl_mgmt_fn fn;     /**< the handler */
};

struct sl_mgmt;

/**
 * Split a request line into words. The line is modified in place (words
 * are NUL-terminated inside it). "--json" is taken out and sets @p json.
 * Refused: an empty request, a line without its newline, a NUL or another
 * control character (tabs and carriage returns count as spaces), more than
 * @p max_args words.
 * @param line     the request, @p len bytes (need not be NUL-terminated)
 * @param len      its length, newline included
 * @param argv     receives the words
 * @param max_args room in @p argv
 * @param json     set to whether "--json" was given
 * @param err      receives a message on failure
 * @param errlen   size of @p err
 * @return the number of words (>= 1), or -1 with @p err set.
 */
int sl_mgmt_parse_request(char *line, size_t len, char **argv, unsigned int max_args,
			  bool *json, char *err, size_t errlen);

/**
 * Answer one parsed request with @p cmds (or the built-in "help"): find the
 * command, check its argument count, run it.
 * @param cmds   the commands
 * @param n_cmds entries in @p cmds
 * @param ctx    passed to the handler
 * @param argc   words in @p argv
 * @param argv   the words
 * @param out    the answer
 */
void sl_mgmt_dispatch(const struct sl_mgmt_cmd *cmds, unsigned int n_cmds, void *ctx, int argc,
		      char **argv, struct sl_out *out);

/**
 * Create the socket at @p path (its directory is created if missing, mode
 * 0755; a stale socket left by a dead sluiced is replaced, a live one is
 * an error) with mode 0600.
 * @param path   the socket's path
 * @param cmds   the commands it answers (kept by pointer)
 * @param n_cmds entries in @p cmds
 * @param ctx    passed to every handler
 * @param err    receives a message on failure
 * @param errlen size of @p err
 * @return the server, or NULL with @p err set.
 */
struct sl_mgmt *sl_mgmt_open(const char *path, const struct sl_mgmt_cmd *cmds,
			     unsigned int n_cmds, void *ctx, char *err, size_t errlen);

/**
 * Serve on a listening socket another sluiced handed over (a hand-over
 * upgrade, sluiced/upgrade/), already bound at @p path.
 * @param fd     the listening socket (the server's from here on; closed on
 *               failure)
 * @param path   where it is bound (removed at sl_mgmt_close())
 * @param cmds   the commands it answers (kept by pointer)
 * @param n_cmds entries in @p cmds
 * @param ctx    passed to every handler
 * @param err    receives a message on failure
 * @param errlen size of @p err
 * @return the server, or NULL with @p err set.
 */
struct sl_mgmt *sl_mgmt_adopt(int fd, const char *path, const struct sl_mgmt_cmd *cmds,
			      unsigned int n_cmds, void *ctx, char *err, size_t errlen);

/**
 * Leave the socket file in place at sl_mgmt_close(): the listening socket
 * went to another process, which serves at the same path.
 * @param m the server (NULL: nothing)
 */
void sl_mgmt_disown(struct sl_mgmt *m);

/**
 * Serve: accept, read, answer and write what can be done without waiting.
 * Call it from the control loop (a few milliseconds apart at most).
 * @param m      the server
 * @param now_ms a monotonic clock in milliseconds (timeouts)
 */
void sl_mgmt_run(struct sl_mgmt *m, uint64_t now_ms);

/**
 * Close every connection and the socket, and remove the socket file.
 * @param m the server (NULL: nothing)
 */
void sl_mgmt_close(struct sl_mgmt *m);

/**
 * Requests answered so far, and connections dropped (timeouts, oversized or
 * malformed requests, refused peers).
 * @param m       the server
 * @param dropped set to the connections dropped
 * @return the requests answered.
 */
uint64_t sl_mgmt_stats(const struct sl_mgmt *m, uint64_t *dropped);

#endif /* SL_MGMT_H */
