/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ports added at run time (`sluicectl add-port`), recorded so that the
 * next start brings them back with the number they had, and the numbers
 * of those deleted since, so that a port added again by the same name gets
 * its number back (controllers key their rules on port numbers: a VM whose
 * port comes back must come back on the same number).
 *
 * OVS keeps its ports in its database; sluiced keeps the ports of its
 * configuration file in that file, and those added at run time in one
 * small text file beside its management socket (MGMT_SOCKET.ports, one per
 * sluiced): add-port records a port's words and the OpenFlow number it
 * got, del-port turns the record into a "gone" one that keeps only the
 * number, and the start adds every recorded port to the configuration's
 * before any port opens. The file is replaced whole on each change (write,
 * fsync, rename), so a crash leaves the old or the new one, and a port
 * added is recorded even if sluiced is killed afterwards (the state file
 * is written only at a clean stop). A hand-over upgrade needs no file: the
 * ports come from the running process one by one, and the file, beside the
 * same socket, is the new process's from then on.
 *
 *     sluice-runtime-ports 2
 *     # comment lines
 *     port NAME KEY=VALUE... ofport=N
 *     gone NAME ofport=N
 *
 * The first line names the format; a file of another format is refused
 * whole (set aside as PATH.bad with a message naming both numbers), never
 * misread. Format 1, the previous release's, is read too (its lines are
 * "NAME KEY=VALUE...", ports only), and so is that release's second file,
 * MGMT_SOCKET.ofports ("NAME NUMBER" lines: the numbers, kept apart): its
 * numbers join as gone records (the file's own records win), and it is
 * removed once this file is written, so that an upgrade keeps every
 * number. The words are the keys of a [port:NAME] section, read with the
 * configuration's own parser (sl_config_parse_port()): the same checks,
 * the same messages.
 *
 * No EAL: unit-tested on its own (test_runtime_ports).
 */
#ifndef SL_RUNTIME_PORTS_H
#define SL_RUNTIME_PORTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sl_config;

/** The file format this release writes (it reads format 1 too). */
#define SL_RUNTIME_PORTS_FORMAT 2
/** Ports the file holds at most: as many as a switch has (SL_MAX_PORTS). */
#define SL_RUNTIME_PORTS_MAX 256
/** Numbers of deleted ports the file remembers at most; the oldest go first. */
#define SL_RUNTIME_PORTS_GONE_MAX 4096

/**
 * The number for port @p name, added without one: the number recorded for
 * that name (port or gone) if it is not in @p used, else the lowest number
 * neither in @p used nor recorded for another name. A file that cannot be
 * read counts as empty (a new number, never a wrong one).
 * @param path   the file (missing: nothing recorded)
 * @param name   the port's name
 * @param used   OpenFlow numbers of the ports there are now
 * @param n_used entries in @p used
 * @param ofport out: the number, 1..OFPP_MAX
 * @return 0, or -1 when every number is taken.
 */
int sl_runtime_ports_pick(const char *path, const char *name, const uint32_t *used,
			  unsigned int n_used, uint32_t *ofport);

/**
 * Record port @p name, added with @p words, as OpenFlow port @p ofport
 * (a record of the same name is replaced; an ofport= word is replaced by
 * the number it got; a gone record of that number is forgotten).
 * @param path    the file
 * @param name    the port's name
 * @param words   its KEY=VALUE words, as add-port got them
 * @param n_words how many
 * @param ofport  the number it got
 * @param err     on failure: why (the file and the system's reason)
 * @param errlen  bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_runtime_ports_record(const char *path, const char *name, char *const *words,
			    unsigned int n_words, uint32_t ofport, char *err, size_t errlen);

/**
 * Forget port @p name (del-port): not brought back at the next start,
 * its number kept as a gone record; nothing when it is not recorded.
 * @param path   the file
 * @param name   the port's name
 * @param err    on failure: why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_runtime_ports_forget(const char *path, const char *name, char *err, size_t errlen);

/**
 * At start: add the recorded ports to @p cfg's, after its own. A port of
 * the configuration with the same name wins (the record is forgotten); a
 * record whose number the configuration now uses gets the lowest free one
 * (recorded); one that no longer parses, or names a device a
 * configuration port uses, is left out and forgotten (its number kept as a
 * gone record). The previous release's files are written in this
 * release's format (the file comment above). Each of these says
 * so on @p log, with the record, so that it can be added again by hand.
 * Nothing is added while a running sluiced answers on @p mgmt_socket:
 * the records are its ports (a second sluiced started with the same
 * default socket, as tests do, must not open them too).
 * @param cfg         the configuration, loaded
 * @param path        the file (missing: no run-time port)
 * @param mgmt_socket the management socket the file belongs to (NULL: not checked)
 * @param log         where to say what was added or left out
 * @return ports added, or -1 when the file was refused or belongs to a
 *         running sluiced (said on @p log).
 */
int sl_runtime_ports_merge(struct sl_config *cfg, const char *path, const char *mgmt_socket,
			   FILE *log);

#ifdef __cplusplus
}
#endif
#endif /* SL_RUNTIME_PORTS_H */
