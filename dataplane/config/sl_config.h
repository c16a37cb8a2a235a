/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_CONFIG_H
#define SL_CONFIG_H

/**
 * @file
 * sluiced configuration: an INI file read with DPDK's rte_cfgfile, or the
 * embedded default when no file is given.
 *
 * rte_cfgfile does not remember where an entry came from, so the file is
 * first scanned line by line (syntax, duplicate sections and keys, with
 * line numbers), then loaded with rte_cfgfile and interpreted section by
 * section. Every error names the file, the line (or section) and what was
 * expected; an unknown section or key is an error, never ignored, because
 * a typo in a production config must not silently change behaviour.
 *
 * The parser needs no EAL and no hugepages: it is unit-tested on its own.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "sl_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest lcore id accepted in "workers" (RTE_MAX_LCORE in Debian's build). */
#define SL_CONFIG_MAX_LCORE 128
#define SL_CONFIG_EAL_ARGS_MAX 1024  /**< bytes of [dpdk] eal_args */
#define SL_CONFIG_ERR_MAX 512        /**< error buffer size that holds any message */
#define SL_CONFIG_MAX_OF_TARGETS 8   /**< [openflow] controllers and listen, in all */
#define SL_CONFIG_PATH_MAX 256       /**< bytes of a path in a value (rte_cfgfile's CFG_VALUE_LEN) */
/** Size of a kernel interface name, NUL included (IFNAMSIZ). */
#define SL_CONFIG_IFNAME_MAX 16
/** Default management socket, next to the embedded default's vhost sockets. */
#define SL_CONFIG_MGMT_SOCKET "/var/run/sluice/sluiced.ctl"
/** The embedded default's [switch] state_file: the run directory, next to the socket. */
#define SL_CONFIG_STATE_FILE "/var/run/sluice/sluiced.state"

/** [switch] emc_insert_inv_prob when absent (the EMC library's
 *  SL_EMC_DEFAULT_INV_PROB: worker.c checks that they agree; this library
 *  does not depend on the EMC's). */
#define SL_CONFIG_EMC_DEFAULT_INV_PROB 100u

/** Most static entries in [neighbours]. */
#define SL_CONFIG_MAX_NEIGH 256

/** [neighbours] IP = MAC[\@PORT]: a static underlay neighbour (sl_neigh.h). */
struct sl_config_neigh {
	struct sl_ip_addr ip; /**< the neighbour's address */
	uint8_t mac[6];       /**< its MAC */
	int port;             /**< index in ports[] (\@PORT), or -1: on any port */
};

/** The whole configuration of one sluiced. */
struct sl_config {
	char path[PATH_MAX];          /**< file read, or "<embedded default>" */
	uint64_t datapath_id;         /**< [switch] datapath_id */
	unsigned int main_lcore;      /**< [switch] main_lcore: the control lcore */
	unsigned int n_workers;       /**< number of entries in worker_lcores */
	unsigned int worker_lcores[SL_CONFIG_MAX_LCORE]; /**< [switch] workers */
	unsigned int mbufs_per_socket;/**< [switch] mbufs_per_socket */
	/** [switch] prefix_tracking = no: megaflows exact on IP addresses
	 *  (OVS's Flow_Table prefixes=none), for measurements */
	bool no_prefix_tracking;
	/** [switch] miss_handling = handler (default): workers send misses to
	 *  the control lcore's loop to translate (sl_miss_handler.h); inline: they
	 *  translate them themselves, miss_budget per iteration */
	bool miss_handler;
	/** [switch] handler_spill = no: in handler mode, drop misses while the
	 *  handler is behind instead of translating them (sl_miss_handler.h, Spill) */
	bool no_handler_spill;
	/** [switch] mgmt_socket: the management socket's path, "" for none
	 *  ("none" in the file) [SL_CONFIG_MGMT_SOCKET] */
	char mgmt_socket[SL_CONFIG_PATH_MAX];
	/** [switch] heap_reserve_mb: MiB of malloc heap faulted in at start
	 *  and kept, for rules (sl_heap_prefault) [0] */
	unsigned int heap_reserve_mb;
	/** [switch] emc_insert_inv_prob = N: each worker's EMC takes a
	 *  missed flow with probability 1/N (OVS's
	 *  other_config:emc-insert-inv-prob); 0: no EMC at all
	 *  [SL_CONFIG_EMC_DEFAULT_INV_PROB] */
	unsigned int emc_insert_inv_prob;
	/** [switch] rxq_rebalance = manual: rx queues move only on `sluicectl
	 *  rebalance` (auto, the default: also when an imbalance lasts) */
	bool rxq_rebalance_manual;
	/** [switch] rxq_rebalance_threshold: percent the busiest worker's load
	 *  must drop by for queues to move [25] */
	unsigned int rxq_rebalance_threshold;
	/** [switch] local_port: the kernel interface of the switch's own port,
	 *  OpenFlow's LOCAL (a net_tap port, the last of ports[]), "" for none
	 *  ("none" in the file, and the default) */
	char local_port[SL_CONFIG_IFNAME_MAX];
	/** [switch] state_file: where the OpenFlow state, learned MACs and
	 *  port numbers are written at a clean stop and read at start
	 *  (sluiced/sl_state.h); "" for none ("none" in the file, and the
	 *  default when the key is absent; the embedded default names
	 *  SL_CONFIG_STATE_FILE) */
	char state_file[SL_CONFIG_PATH_MAX];
	/** [switch] state_restore = no: write state_file at a stop but do not
	 *  read it at start (yes, the default: restore it) */
	bool no_state_restore;
	char eal_args[SL_CONFIG_EAL_ARGS_MAX]; /**< [dpdk] eal_args */
	/** [openflow] controllers and listen: "tcp:HOST:PORT", "ssl:HOST:PORT",
	 *  "unix:PATH" / "ptcp:PORT[:IP]", "pssl:PORT[:IP]", "punix:PATH" */
	unsigned int n_of_targets;
	char of_targets[SL_CONFIG_MAX_OF_TARGETS][128]; /**< the targets, n_of_targets of them */
	/** [openflow] ssl_private_key, ssl_certificate, ssl_ca_cert: PEM files
	 *  of the ssl and pssl targets ("" when absent; each is required by
	 *  those targets, and refused without one) @{ */
	char ssl_private_key[SL_CONFIG_PATH_MAX], ssl_certificate[SL_CONFIG_PATH_MAX];
	char ssl_ca_cert[SL_CONFIG_PATH_MAX];
	/** @} */
	/** [openflow] ssl_verify_peer (default yes): peers' certificates must
	 *  chain to ssl_ca_cert, and pssl clients must show one */
	bool ssl_verify_peer;
	bool fail_standalone;          /**< [openflow] fail_mode = standalone */
	/** [openflow] service_roles = yes: sessions accepted on a listen target
	 *  may become MASTER or SLAVE (no, the default: they stay EQUAL) */
	bool service_roles;
	/** [openflow] max_rules: OpenFlow rules in all tables together (1000000) */
	uint32_t max_rules;
	uint16_t miss_send_len;        /**< [openflow] miss_send_len (default 128) */
	uint32_t mac_table_size;       /**< [openflow] mac_table_size: NORMAL's MAC table (8192) */
	uint32_t mac_aging_s;          /**< [openflow] mac_aging_time, seconds (300) */
	/** [openflow] mac_limit_per_port: MAC entries one port may hold (0: no limit) */
	uint32_t mac_limit_per_port;
	uint32_t packet_in_rate;       /**< [openflow] packet_in_rate, pps per controller */
	uint32_t packet_in_burst;      /**< [openflow] packet_in_burst */
	uint32_t probe_interval_ms;    /**< [openflow] probe_interval (seconds in the file) */
	uint32_t max_backoff_ms;       /**< [openflow] max_backoff (seconds in the file) */
	bool xconnect_only;            /**< [xconnect] present: static forwarding, no pipeline */
	unsigned int n_ports;          /**< entries in ports */
	struct sl_port_params ports[SL_MAX_PORTS]; /**< [port:NAME] sections, file order */
	/** [xconnect] A = B: xconnect[index of A] = index of B, or -1. */
	int xconnect[SL_MAX_PORTS];
	/** [switch] neighbour_timeout (seconds in the file; 300), neighbour_retries (3),
	 *  neighbour_queue (16): the underlay neighbour table's settings (sl_neigh.h) @{ */
	uint32_t neigh_timeout_ms, neigh_retries, neigh_queue_len;
	/** @} */
	unsigned int n_neighbours;    /**< entries in neighbours */
	struct sl_config_neigh neighbours[SL_CONFIG_MAX_NEIGH]; /**< [neighbours], file order */
};

/** The configuration used when sluiced is started without -c. */
extern const char sl_config_embedded_default[];

/**
 * Read a configuration file.
 *
 * @param cfg   filled on success (and left in an unspecified state on error)
 * @param path  INI file to read
 * @param err   on failure: "FILE:LINE: message" or "FILE: [section]: message"
 * @param errlen bytes at @p err (SL_CONFIG_ERR_MAX holds any message)
 * @return 0 on success, -1 on error.
 */
int sl_config_load(struct sl_config *cfg, const char *path,
		   char *err, size_t errlen);

/**
 * Read a configuration from a string (used for the embedded default and by
 * tests). @p name stands in for the file name in error messages.
 * @param cfg    filled on success (unspecified on error)
 * @param text   the INI text
 * @param name   file name for messages
 * @param err    on failure: the message, as for sl_config_load()
 * @param errlen bytes at @p err
 * @return 0 on success, -1 on error.
 */
int sl_config_load_string(struct sl_config *cfg, const char *text,
			  const char *name, char *err, size_t errlen);

/**
 * Read one port's parameters from `KEY=VALUE` words, the keys of a
 * [port:NAME] section (`sluicectl add-port NAME type=dpdk devargs=...`),
 * with the same checks and messages as the file.
 * @param name     the port's name
 * @param words    the KEY=VALUE words
 * @param n_words  how many
 * @param out      filled on success; out->ofport is 0 when no ofport was given
 * @param err      on failure: what is wrong, naming the key
 * @param errlen   bytes at @p err
 * @return 0, or -1 with a message in @p err.
 */
int sl_config_parse_port(const char *name, char *const *words, unsigned int n_words,
			 struct sl_port_params *out, char *err, size_t errlen);

/**
 * The devargs of the LOCAL port on interface @p ifname: a net_tap whose MAC
 * address is made from the datapath id (locally administered, the same
 * across restarts, as OpenFlow controllers key on it).
 * @param ifname      the kernel interface ([switch] local_port)
 * @param datapath_id the switch's datapath id
 * @param out         receives the devargs
 * @param size        bytes at @p out (SL_PORT_ARGS_MAX)
 */
void sl_config_local_devargs(const char *ifname, uint64_t datapath_id, char *out, size_t size);

/**
 * Look a port up by name.
 * @param cfg  the configuration
 * @param name a [port:NAME] name
 * @return index of the port called @p name, or -1.
 */
int sl_config_port_index(const struct sl_config *cfg, const char *name);

/**
 * The distinct local VTEP addresses (local_ip) of the vxlan ports whose
 * underlay is port @p underlay, in file order (for the neighbour code).
 * @param cfg      the configuration
 * @param underlay the underlay port's name
 * @param out      out: up to @p max addresses
 * @param max      room in @p out
 * @return how many were written.
 */
unsigned int sl_config_vteps(const struct sl_config *cfg, const char *underlay,
			     struct sl_ip_addr *out, unsigned int max);

/**
 * The PCI address a dpdk port's devargs start with ("0000:03:00.0" or
 * "03:00.0", then the end or a comma), in full form.
 * @param p    the port
 * @param addr receives "DDDD:BB:SS.F"
 * @param size size of @p addr (13 or more)
 * @return true for a PCI port, false for any other (vdevs, vhost-user).
 */
bool sl_config_port_pci_address(const struct sl_port_params *p, char *addr, size_t size);

/**
 * Parse an lcore list such as "1", "1-3,5" into @p out (ascending, no
 * duplicates).
 * @param s      the list
 * @param out    out: the lcore ids
 * @param max    entries at @p out
 * @param err    on failure: the message
 * @param errlen bytes at @p err
 * @return the count, or -1 with a message in @p err.
 */
int sl_config_parse_lcores(const char *s, unsigned int *out, unsigned int max,
			   char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* SL_CONFIG_H */
