/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_snap_records.h
 * What the records of a state snapshot (sl_snap.h) hold, and their
 * encoding (big-endian, fixed offsets; every decoder checks lengths and
 * says what is wrong).
 *
 * Rules, groups and meters are "objects": what OpenFlow cannot carry
 * (counters, age) in fixed fields, followed by the OpenFlow 1.3 message
 * that makes the object again (OFPT_FLOW_MOD, OFPT_GROUP_MOD,
 * OFPT_METER_MOD, command ADD), encoded by lib/ofp. The version of that
 * content is the OpenFlow version in the message's header.
 *
 *     object  age (ns, u64), idle time (ns, u64; rules only, else 0),
 *             packets (u64), bytes (u64), n (u32), 0 (u32),
 *             n x (packets u64, bytes u64) (group buckets, meter bands),
 *             the OpenFlow message (its header's length = the rest)
 *     role    generation id valid (u8), 7 zero bytes, generation id (u64)
 *     mac     VLAN (u16), address (6 bytes), OpenFlow port (u32),
 *             age (ms, u32)
 *     port    OpenFlow port (u32), the name (the rest, no NUL)
 *     table   record version (u8, 1), table id (u8), events (u8: 0 off,
 *             else the OpenFlow 1.4 reason armed next: 3 VACANCY_DOWN,
 *             4 VACANCY_UP), vacancy_down (u8), vacancy_up (u8), 3 zero
 *             bytes; written with SL_SNAP_REC_OPTIONAL, so a release
 *             without it skips it. A later layout is a higher record
 *             version, refused by name (its release reads its own).
 *     neighbour record version (u8, 1), family (u8: 4 or 6), port slot
 *             (u16), age (ms, u32), MAC (6 bytes), 2 zero bytes, address
 *             (16 bytes; IPv4 in the first 4, the rest 0), the underlay
 *             port's name (the rest, no NUL); optional, as the table record
 *
 * Ages and idle times are relative to the time the snapshot was written
 * (its header): absolute clocks do not survive a reboot, a relative time
 * plus the time the snapshot was written does.
 */
#ifndef SL_SNAP_RECORDS_H
#define SL_SNAP_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_snap.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of an object's fixed part, before its n counter pairs. */
#define SL_SNAP_OBJ_FIXED_LEN 40
/** Longest port name a port record carries. */
#define SL_SNAP_PORT_NAME_MAX 63

/** A rule, group or meter record. */
struct sl_snap_obj {
	uint64_t age_ns;  /**< since it was added (its duration) */
	uint64_t idle_ns; /**< rules: since the last packet (or since added) */
	/** @{ */
	uint64_t packets, bytes; /**< its counters */
	/** @} */
	uint32_t n_counts; /**< group: buckets; meter: bands; rule: 0 */
	/** encode: 2 * n_counts values, (packets, bytes) per bucket or band;
	 *  decode: NULL (read them with sl_snap_obj_count()) */
	const uint64_t *counts;
	const uint8_t *counts_raw; /**< decode: the pairs in the record */
	const uint8_t *msg; /**< the OpenFlow 1.3 message */
	uint32_t msg_len;   /**< its bytes */
};

/** The role record. */
struct sl_snap_role {
	bool gen_valid;  /**< a MASTER or SLAVE request has set it */
	uint64_t gen_id; /**< the highest generation id seen */
};

/** A learned MAC. */
struct sl_snap_mac {
	uint16_t vlan;   /**< VLAN id, 0: untagged */
	uint8_t mac[6];  /**< the address */
	uint32_t port;   /**< the OpenFlow port it is behind */
	uint32_t age_ms; /**< since learned or refreshed */
};

/** A port. */
struct sl_snap_port {
	uint32_t ofport; /**< its OpenFlow number */
	char name[SL_SNAP_PORT_NAME_MAX + 1]; /**< its name */
};

/** Version of the table record's layout. */
#define SL_SNAP_TABLE_VERSION 1

/** A table's config (only tables whose config is not the default). */
struct sl_snap_table {
	uint8_t table;        /**< its id */
	uint8_t events;       /**< 0: vacancy events off; else the reason armed next */
	uint8_t vacancy_down; /**< threshold, percent (0..100) */
	uint8_t vacancy_up;   /**< threshold, percent (vacancy_down..100) */
};

/** Version of the neighbour record's layout. */
#define SL_SNAP_NEIGH_VERSION 1

/** A learned underlay neighbour (dataplane/neigh). */
struct sl_snap_neigh {
	uint8_t family;     /**< 4 or 6 */
	uint16_t slot;      /**< the underlay's port slot in the process that wrote it */
	uint32_t age_ms;    /**< since last confirmed */
	uint8_t mac[6];     /**< its MAC */
	uint8_t addr[16];   /**< its address, network order */
	char port[SL_SNAP_PORT_NAME_MAX + 1]; /**< the underlay port's name */
};

/**
 * Append a rule (SL_SNAP_RULE), group (SL_SNAP_GROUP) or meter (SL_SNAP_METER).
 * @param w    the writer
 * @param type SL_SNAP_RULE, SL_SNAP_GROUP or SL_SNAP_METER
 * @param o    the object (counts and msg as for encoding)
 * @return 0, or -1 (out of memory).
 */
int sl_snap_add_obj(struct sl_snap_writer *w, uint16_t type, const struct sl_snap_obj *o);

/**
 * Read an object record: lengths, and that the message is one OpenFlow 1.3
 * message of the type its record type needs, as long as the rest.
 * @param rec    the record
 * @param o      out: the object (msg and counts_raw point into the record)
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_snap_obj_decode(const struct sl_snap_rec *rec, struct sl_snap_obj *o, char *err,
		       size_t errlen);

/**
 * Counter pair @p i of a decoded object.
 * @param o       the object (decoded)
 * @param i       below o->n_counts
 * @param packets out: packets
 * @param bytes   out: bytes
 */
void sl_snap_obj_count(const struct sl_snap_obj *o, uint32_t i, uint64_t *packets,
		       uint64_t *bytes);

/**
 * Append the role record.
 * @param w the writer
 * @param r the role state
 * @return 0, or -1 (out of memory).
 */
int sl_snap_add_role(struct sl_snap_writer *w, const struct sl_snap_role *r);

/**
 * Read a role record.
 * @param rec    the record
 * @param r      out: the role state
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_snap_role_decode(const struct sl_snap_rec *rec, struct sl_snap_role *r, char *err,
			size_t errlen);

/**
 * Append a MAC record.
 * @param w the writer
 * @param m the entry
 * @return 0, or -1 (out of memory).
 */
int sl_snap_add_mac(struct sl_snap_writer *w, const struct sl_snap_mac *m);

/**
 * Read a MAC record.
 * @param rec    the record
 * @param m      out: the entry
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_snap_mac_decode(const struct sl_snap_rec *rec, struct sl_snap_mac *m, char *err,
		       size_t errlen);

/**
 * Append a port record.
 * @param w the writer
 * @param p the port (a name longer than SL_SNAP_PORT_NAME_MAX is refused)
 * @return 0, or -1 (out of memory, bad name).
 */
int sl_snap_add_port(struct sl_snap_writer *w, const struct sl_snap_port *p);

/**
 * Read a port record: the name must be 1..SL_SNAP_PORT_NAME_MAX printable
 * characters.
 * @param rec    the record
 * @param p      out: the port
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_snap_port_decode(const struct sl_snap_rec *rec, struct sl_snap_port *p, char *err,
			size_t errlen);

/**
 * Append a table record (optional: releases without it skip it).
 * @param w the writer
 * @param t the table's config
 * @return 0, or -1 (out of memory).
 */
int sl_snap_add_table(struct sl_snap_writer *w, const struct sl_snap_table *t);

/**
 * Read a table record: its version, the thresholds (0..100, down <= up)
 * and the events byte (0, 3 or 4).
 * @param rec    the record
 * @param t      out: the table's config
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_snap_table_decode(const struct sl_snap_rec *rec, struct sl_snap_table *t, char *err,
			 size_t errlen);

/**
 * Append a neighbour record (optional: releases without it skip it).
 * @param w the writer
 * @param n the entry (a port name longer than SL_SNAP_PORT_NAME_MAX is refused)
 * @return 0, or -1 (out of memory, bad name).
 */
int sl_snap_add_neigh(struct sl_snap_writer *w, const struct sl_snap_neigh *n);

/**
 * Read a neighbour record: version, family, zero bytes, the port's name
 * (1..SL_SNAP_PORT_NAME_MAX printable characters).
 * @param rec    the record
 * @param n      out: the entry
 * @param err    out: on failure, why
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_snap_neigh_decode(const struct sl_snap_rec *rec, struct sl_snap_neigh *n, char *err,
			 size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* SL_SNAP_RECORDS_H */
