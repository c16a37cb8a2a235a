/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SL_OFP_TABLE14_H
#define SL_OFP_TABLE14_H

/**
 * @file
 * OpenFlow 1.4/1.5 table descriptions (issue 25): the OFPMP_TABLE_DESC
 * request and reply (OF1.4 7.3.5.9) and OFPT_TABLE_STATUS (7.4.5), whose
 * body is one ofp_table_desc. Like flow monitors, these are not in the
 * layout tables (sl_ofp.h does not grow): the agent takes them out of the
 * stream before sl_ofp_decode(), which still answers BAD_MULTIPART /
 * BAD_TYPE for them. The properties use the codec's table-mod property
 * layouts (eviction, vacancy, experimenter), so a table desc's properties
 * are struct sl_ofp_prop as in a table-mod.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_ofp.h"
#include "sl_ofp_error.h"

/** enum ofp_table_reason (OF1.4 7.4.5) @{ */
#define SL_OFPTR_VACANCY_DOWN 3u /**< vacancy fell below vacancy_down */
#define SL_OFPTR_VACANCY_UP 4u   /**< vacancy rose above vacancy_up */
/** @} */
/** Table-mod property types (enum ofp_table_mod_prop_type) @{ */
#define SL_OFPTMPT_EVICTION 2u
#define SL_OFPTMPT_VACANCY 3u
/** @} */
/** Set-async property types of table status (enum ofp_async_config_prop_type) @{ */
#define SL_OFPACPT_TABLE_STATUS_SLAVE 8u
#define SL_OFPACPT_TABLE_STATUS_MASTER 9u
/** @} */

/** One ofp_table_desc: a table's OFPTC_* config and its properties. */
struct sl_ofp_table_desc {
	uint8_t table_id;                /**< the table */
	uint32_t config;                 /**< OFPTC_* bits */
	struct sl_ofp_prop *properties;  /**< OFPTMPT_* properties, in wire order */
	uint32_t n_properties;           /**< entries in properties */
};

/** A table desc request/reply or a table status, decoded or to encode. */
struct sl_ofp_table14_msg {
	uint8_t version;  /**< OFP14_VERSION or OFP15_VERSION */
	uint8_t type;     /**< OFPT_MULTIPART_REQUEST / _REPLY, or OFPT_TABLE_STATUS */
	uint32_t xid;     /**< the header's xid */
	uint16_t flags;   /**< multipart flags (OFPMPF_*) */
	uint8_t reason;   /**< table status: SL_OFPTR_* */
	/** reply: one per table; table status: exactly one; request: none */
	struct sl_ofp_table_desc *descs;
	uint32_t n_descs; /**< entries in descs */
	struct sl_ofp_msg arena; /**< owns what decode allocated (sl_ofp_table14_free) */
};

/**
 * True if @p buf is an OF1.4/1.5 OFPMP_TABLE_DESC request or reply or an
 * OFPT_TABLE_STATUS (looks at the header and multipart type only).
 * @param buf a whole message
 * @param len its length
 * @return whether sl_ofp_table14_decode() is the decoder for it.
 */
bool sl_ofp_is_table14(const uint8_t *buf, size_t len);

/**
 * Decode a message sl_ofp_is_table14() accepts.
 * @param buf a whole message
 * @param len its length
 * @param out filled; free with sl_ofp_table14_free() (also on failure)
 * @param err on failure: the OFPT_ERROR type/code and offset
 * @return 0, or -1 with @p err set.
 */
int sl_ofp_table14_decode(const uint8_t *buf, size_t len, struct sl_ofp_table14_msg *out,
			  struct sl_ofp_error *err);

/**
 * Free what sl_ofp_table14_decode() allocated.
 * @param m the message
 */
void sl_ofp_table14_free(struct sl_ofp_table14_msg *m);

/**
 * Append @p m to @p out (a reply of up to 254 tables fits one message).
 * @param m   the message (its type decides the layout)
 * @param out the buffer
 * @return 0, -ENOMEM, -EMSGSIZE past 65535 bytes or -EINVAL for another
 *         type or a table status without exactly one desc.
 */
int sl_ofp_table14_encode(const struct sl_ofp_table14_msg *m, struct sl_ofp_buf *out);

#endif /* SL_OFP_TABLE14_H */
