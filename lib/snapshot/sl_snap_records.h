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

#ifdef __cplusplus
}
#endif
#endif /* SL_SNAP_RECORDS_H */
