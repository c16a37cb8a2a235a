/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ports added at run time (`sluicectl add-port`), recorded so that the
 * next start brings them back, with the number they had.
 *
 * OVS keeps its ports in its database; sluiced keeps the ports of its
 * configuration file in that file, and those added at run time in a small
 * text file beside its management socket (MGMT_SOCKET.ports, one per
 * sluiced, as MGMT_SOCKET.ofports): add-port records a port's words and
 * the OpenFlow number it got, del-port forgets it, and the start adds
 * every recorded port to the configuration's before any port opens. The
 * file is replaced whole on each change (write, fsync, rename), so a
 * crash leaves the old or the new one, and a port added is recorded even
 * if sluiced is killed afterwards (the state file is written only at a
 * clean stop). A hand-over upgrade needs no file: the ports come from the
 * running process one by one, and the file, beside the same socket, is
 * the new process's from then on.
 *
 *     sluice-runtime-ports 1
 *     # comment lines
 *     NAME KEY=VALUE... ofport=N
 *
 * The first line names the format; a file of another format is refused
 * whole (set aside as PATH.bad with a message naming both numbers), never
 * misread. The words are the keys of a [port:NAME] section, read with the
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

/** The file format this release writes and reads. */
#define SL_RUNTIME_PORTS_FORMAT 1
/** Ports the file holds at most: as many as a switch has (SL_MAX_PORTS). */
#define SL_RUNTIME_PORTS_MAX 256

/**
 * Record port @p name, added with @p words, as OpenFlow port @p ofport
 * (a record of the same name is replaced; an ofport= word is replaced by
 * the number it got).
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
 * Forget port @p name (del-port); nothing when it is not recorded.
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
 * configuration port uses, is left out and forgotten. Each of these says
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
