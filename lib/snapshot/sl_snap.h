/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_snap.h
 * The state snapshot's container: a versioned, checksummed sequence of
 * typed records, built in memory and read back from memory, so that a file
 * (sl_snap_file.h) is one user and a stream over the management socket can
 * be another. What the records hold is sl_snap_records.h.
 *
 * Layout (every integer big-endian, as the OpenFlow messages inside):
 *
 *     header   magic "SLUICEST", format version (u16), header length (u16),
 *              flags (u32, 0), total length (u64), datapath id (u64), time
 *              written (u64, ns since the Unix epoch), writing release
 *              (32 bytes, NUL padded)                              72 bytes
 *     records  type (u16), flags (u16), payload length (u32), payload,
 *              zero padding to 8 bytes; in the order written
 *     trailer  CRC32c (Castagnoli) of every byte before it (u32), 4 zero
 *              bytes                                                8 bytes
 *
 * sl_snap_open() checks all of it before a single record is handed out: a
 * snapshot is used whole or not at all, never misread. Pure library: no
 * EAL, no threads.
 */
#ifndef SL_SNAP_H
#define SL_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The format this release writes, and the newest it reads. */
#define SL_SNAP_FORMAT_VERSION 1
/** The oldest format this release reads (older ones are refused by name). */
#define SL_SNAP_FORMAT_OLDEST 1
/** The header's length in format 1. */
#define SL_SNAP_HEADER_LEN 72
/** The trailer's length: CRC32c and padding. */
#define SL_SNAP_TRAILER_LEN 8
/** Bytes of a record's own header (type, flags, length). */
#define SL_SNAP_REC_HDR_LEN 8
/** Bytes for the writing release in the header, NUL included when shorter. */
#define SL_SNAP_RELEASE_LEN 32
/** Record flag: a reader that does not know the type may skip the record.
 *  Without it an unknown type refuses the whole snapshot. */
#define SL_SNAP_REC_OPTIONAL 0x0001u

/** Record types of format 1 (sl_snap_records.h says what each holds). */
enum sl_snap_type {
	SL_SNAP_METER = 1, /**< a meter: counters, age + OFPT_METER_MOD */
	SL_SNAP_GROUP = 2, /**< a group: counters, age + OFPT_GROUP_MOD */
	SL_SNAP_RULE = 3,  /**< a rule: counters, age, idle time + OFPT_FLOW_MOD */
	SL_SNAP_ROLE = 4,  /**< the controllers' master election generation id */
	SL_SNAP_MAC = 5,   /**< one learned MAC: VLAN, address, port, age */
	SL_SNAP_PORT = 6,  /**< one port: name and OpenFlow number */
	SL_SNAP_TABLE = 7, /**< one table's config (OF1.4 vacancy events); optional */
	SL_SNAP_NEIGH = 8, /**< one learned underlay neighbour (ARP / ND); optional */
	SL_SNAP_TYPE_MAX = 8, /**< the highest type this release knows */
};

/** What the header says. */
struct sl_snap_info {
	uint16_t format_version;  /**< SL_SNAP_FORMAT_* */
	uint64_t datapath_id;     /**< the switch that wrote it */
	uint64_t written_unix_ns; /**< when, on CLOCK_REALTIME */
	char release[SL_SNAP_RELEASE_LEN + 1]; /**< the release that wrote it */
	uint64_t total_len;       /**< bytes, header to trailer */
	uint32_t n_records;       /**< records (counted by sl_snap_open) */
};

/** A snapshot being built. Start with sl_snap_writer_init(). */
struct sl_snap_writer {
	uint8_t *buf;  /**< the bytes so far (malloc'd) */
	size_t len;    /**< bytes used */
	size_t cap;    /**< bytes allocated */
	bool failed;   /**< an allocation failed: sl_snap_finish() says so */
	uint32_t n_records; /**< records added */
};

/**
 * Start a snapshot: writes the header (total length filled in by
 * sl_snap_finish()).
 * @param w           the writer
 * @param datapath_id the switch's datapath id
 * @param written_unix_ns the time, ns since the Unix epoch (CLOCK_REALTIME)
 * @param release     the writing release (cut at SL_SNAP_RELEASE_LEN bytes)
 * @return 0, or -1 when out of memory.
 */
int sl_snap_writer_init(struct sl_snap_writer *w, uint64_t datapath_id,
			uint64_t written_unix_ns, const char *release);

/**
 * Append a record whose payload is @p a followed by @p b (either may be
 * empty), so that fixed fields and an encoded OpenFlow message need no copy.
 * @param w     the writer
 * @param type  enum sl_snap_type
 * @param flags SL_SNAP_REC_* bits
 * @param a     first part of the payload (may be NULL when @p alen is 0)
 * @param alen  its bytes
 * @param b     second part (may be NULL when @p blen is 0)
 * @param blen  its bytes
 * @return 0, or -1 (out of memory, or a payload of 4 GiB or more); the
 *         writer then stays failed.
 */
int sl_snap_add(struct sl_snap_writer *w, uint16_t type, uint16_t flags, const void *a,
		size_t alen, const void *b, size_t blen);

/**
 * Close the snapshot: total length and checksum. The writer's buffer then
 * holds the whole snapshot (w->buf, w->len).
 * @param w the writer
 * @return 0, or -1 if an earlier add failed (nothing usable).
 */
int sl_snap_finish(struct sl_snap_writer *w);

/**
 * Free the writer's buffer.
 * @param w the writer
 */
void sl_snap_writer_free(struct sl_snap_writer *w);

/** One record, as the reader hands it out. */
struct sl_snap_rec {
	uint16_t type;          /**< enum sl_snap_type */
	uint16_t flags;         /**< SL_SNAP_REC_* */
	uint32_t len;           /**< payload bytes */
	const uint8_t *payload; /**< into the snapshot's buffer */
	uint32_t index;         /**< 0 for the first record */
	size_t offset;          /**< of its header, from the snapshot's start */
};

/** Reading a snapshot checked by sl_snap_open(). */
struct sl_snap_reader {
	const uint8_t *buf;    /**< the snapshot (not copied: must outlive the reader) */
	size_t end;            /**< where the records end (the trailer's offset) */
	size_t pos;            /**< the next record's offset */
	uint32_t next_index;   /**< the next record's index */
	struct sl_snap_info info; /**< the header */
};

/**
 * Check a snapshot whole, in this order: length for a header, magic,
 * format version (newer or older than this release reads: refused with
 * both versions and the writing release), total length against @p len
 * (truncated or trailing bytes), checksum, then every record's bounds and
 * type (an unknown type not marked optional is refused with its number,
 * index and offset).
 * @param buf    the snapshot
 * @param len    its bytes
 * @param r      out: the reader, positioned at the first record
 * @param err    out: on failure, what is wrong (one line, no file name)
 * @param errlen bytes at @p err
 * @return 0, or -1 with @p err set.
 */
int sl_snap_open(const uint8_t *buf, size_t len, struct sl_snap_reader *r, char *err,
		 size_t errlen);

/**
 * The next record (optional records of unknown types are skipped).
 * @param r   the reader
 * @param rec out: the record
 * @return true, or false after the last.
 */
bool sl_snap_next(struct sl_snap_reader *r, struct sl_snap_rec *rec);

/**
 * The record type's name ("rule", "group", ...), for messages.
 * @param type enum sl_snap_type
 * @return the name, or "unknown".
 */
const char *sl_snap_type_name(uint16_t type);

/**
 * CRC32c (Castagnoli, as iSCSI and ext4) of @p len bytes.
 * @param data the bytes
 * @param len  their number
 * @return the CRC (initial value and final xor 0xffffffff).
 */
uint32_t sl_snap_crc32c(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* SL_SNAP_H */
