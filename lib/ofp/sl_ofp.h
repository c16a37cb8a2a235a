/* OpenFlow wire codec: messages as plain C structures, decode/encode/validate.
 *
 * decode() checks structure (lengths, known types) and copies everything it
 * keeps into an arena owned by the message, so the input buffer can be reused
 * at once.  validate() checks semantics (OXM prerequisites, ports, tables...)
 * the way a switch must before acting on a request.  Both report the exact
 * OFPT_ERROR (type, code) and the offset of the first offending byte.
 *
 * Structures are version-neutral in spirit but OF1.3-shaped today; a codec per
 * wire version sits behind sl_ofp_decode(), so OF1.0/1.4/1.5 can be added.
 * Fields named like os-ken's parser classes, so dumps compare with its JSON.
 */
#ifndef SL_OFP_H
#define SL_OFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_ofp_consts.h"
#include "sl_ofp_error.h"
#include "sl_ofp_oxm.h"

/** OpenFlow header size and the largest message (16-bit length). */
#define SL_OFP_HEADER_LEN 8
#define SL_OFP_MAX_MSG_LEN 65535

/* Variable-size members are (pointer, count) pairs: plain C, no hidden
 * container type.  Decoded ones live in the message arena; for encoding the
 * caller may point them anywhere. */

/** ofp_match: only OFPMT_OXM (type 1) is accepted. */
struct sl_ofp_match {
	uint16_t type;
	struct sl_ofp_oxm *fields;
	uint32_t n_fields;
};

/** One action (ofp_action_*), tagged by type (OFPAT_*). */
struct sl_ofp_action {
	uint16_t type;
	uint16_t wire_off; /**< offset in the message (decode only) */
	union {
		struct { uint32_t port; uint16_t max_len; } output;
		struct { uint8_t mpls_ttl; } set_mpls_ttl;
		struct { uint8_t nw_ttl; } set_nw_ttl;
		/** push_vlan, push_mpls, push_pbb, pop_mpls */
		struct { uint16_t ethertype; } ethertype;
		struct { uint32_t queue_id; } set_queue;
		struct { uint32_t group_id; } group;
		struct sl_ofp_oxm set_field;
		/** kept opaque: data = bytes after the experimenter id (after the
		 *  16-bit subtype for Nicira, experimenter 0x2320) */
		struct {
			uint32_t experimenter;
			uint16_t subtype;
			const uint8_t *data;
			uint32_t data_len;
		} experimenter;
	} u;
};

/** One instruction (ofp_instruction_*), tagged by type (OFPIT_*). */
struct sl_ofp_instruction {
	uint16_t type;
	uint16_t wire_off;
	union {
		struct { uint8_t table_id; } goto_table;
		struct { uint64_t metadata, metadata_mask; } write_metadata;
		/** write_actions, apply_actions, clear_actions (empty) */
		struct { struct sl_ofp_action *actions; uint32_t n_actions; } actions;
		struct { uint32_t meter_id; } meter;
		struct { uint32_t experimenter; const uint8_t *data; uint32_t data_len; } experimenter;
	} u;
};

struct sl_ofp_bucket {
	uint16_t weight;
	uint32_t watch_port, watch_group;
	struct sl_ofp_action *actions;
	uint32_t n_actions;
};

/** ofp_meter_band_*: drop (1), dscp_remark (2), experimenter (0xffff). */
struct sl_ofp_meter_band {
	uint16_t type;
	uint32_t rate, burst_size;
	uint8_t prec_level;      /**< dscp_remark */
	uint32_t experimenter;   /**< experimenter */
	const uint8_t *data;     /**< experimenter: bytes after the id */
	uint32_t data_len;
};

struct sl_ofp_port {
	uint32_t port_no;
	uint8_t hw_addr[6];
	char name[16]; /**< NUL-padded, not always NUL-terminated */
	uint32_t config, state, curr, advertised, supported, peer, curr_speed, max_speed;
};

struct sl_ofp_hello_elem {
	uint16_t type; /**< OFPHET_VERSIONBITMAP or unknown (kept opaque) */
	uint32_t *bitmaps;
	uint32_t n_bitmaps;
	const uint8_t *data;
	uint32_t data_len;
};

struct sl_ofp_queue_prop {
	uint16_t property; /**< OFPQT_MIN_RATE, OFPQT_MAX_RATE, OFPQT_EXPERIMENTER */
	uint16_t rate;
	uint32_t experimenter;
	uint8_t *data;
	uint32_t n_data;
};

struct sl_ofp_packet_queue {
	uint32_t queue_id, port;
	struct sl_ofp_queue_prop *properties;
	uint32_t n_properties;
};

/* ---- multipart bodies ---- */
struct sl_ofp_desc {
	char mfr_desc[256], hw_desc[256], sw_desc[256], serial_num[32], dp_desc[256];
};
/** Flow and aggregate stats requests share a body. */
struct sl_ofp_flow_stats_request {
	uint8_t table_id;
	uint32_t out_port, out_group;
	uint64_t cookie, cookie_mask;
	struct sl_ofp_match match;
};
struct sl_ofp_flow_stats {
	uint8_t table_id;
	uint32_t duration_sec, duration_nsec;
	uint16_t priority, idle_timeout, hard_timeout, flags;
	uint64_t cookie, packet_count, byte_count;
	struct sl_ofp_match match;
	struct sl_ofp_instruction *instructions;
	uint32_t n_instructions;
};
struct sl_ofp_aggregate_stats { uint64_t packet_count, byte_count; uint32_t flow_count; };
struct sl_ofp_table_stats {
	uint8_t table_id;
	uint32_t active_count;
	uint64_t lookup_count, matched_count;
};
struct sl_ofp_port_stats {
	uint32_t port_no;
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped, tx_dropped;
	uint64_t rx_errors, tx_errors, rx_frame_err, rx_over_err, rx_crc_err, collisions;
	uint32_t duration_sec, duration_nsec;
};
struct sl_ofp_queue_stats {
	uint32_t port_no, queue_id;
	uint64_t tx_bytes, tx_packets, tx_errors;
	uint32_t duration_sec, duration_nsec;
};
struct sl_ofp_bucket_counter { uint64_t packet_count, byte_count; };
struct sl_ofp_group_stats {
	uint32_t group_id, ref_count;
	uint64_t packet_count, byte_count;
	uint32_t duration_sec, duration_nsec;
	struct sl_ofp_bucket_counter *bucket_stats;
	uint32_t n_bucket_stats;
};
struct sl_ofp_group_desc {
	uint8_t type;
	uint32_t group_id;
	struct sl_ofp_bucket *buckets;
	uint32_t n_buckets;
};
struct sl_ofp_group_features {
	uint32_t types, capabilities, max_groups[4], actions[4];
};
struct sl_ofp_meter_band_stats { uint64_t packet_band_count, byte_band_count; };
struct sl_ofp_meter_stats {
	uint32_t meter_id, flow_count;
	uint64_t packet_in_count, byte_in_count;
	uint32_t duration_sec, duration_nsec;
	struct sl_ofp_meter_band_stats *band_stats;
	uint32_t n_band_stats;
};
struct sl_ofp_meter_config {
	uint16_t flags;
	uint32_t meter_id;
	struct sl_ofp_meter_band *bands;
	uint32_t n_bands;
};
struct sl_ofp_meter_features {
	uint32_t max_meter, band_types, capabilities;
	uint8_t max_bands, max_color;
};
/** Instruction or action id in a table-features property. */
struct sl_ofp_tf_id { uint16_t type; uint32_t experimenter; };
struct sl_ofp_table_feature_prop {
	uint16_t type; /**< OFPTFPT_* */
	struct sl_ofp_tf_id *ids;          /**< instructions / actions props */
	uint32_t n_ids;
	uint8_t *table_ids;                /**< next_tables props */
	uint32_t n_table_ids;
	struct sl_ofp_oxm_id *oxm_ids;     /**< match/wildcards/setfield props */
	uint32_t n_oxm_ids;
	uint32_t experimenter, exp_type;   /**< experimenter props */
	uint32_t *data;
	uint32_t n_data;
};
struct sl_ofp_table_features {
	uint8_t table_id;
	char name[32];
	uint64_t metadata_match, metadata_write;
	uint32_t config, max_entries;
	struct sl_ofp_table_feature_prop *properties;
	uint32_t n_properties;
};
struct sl_ofp_mp_experimenter {
	uint32_t experimenter, exp_type;
	const uint8_t *data;
	uint32_t data_len;
};

/** OFPT_MULTIPART_REQUEST / REPLY; which body member is used follows type. */
struct sl_ofp_multipart {
	uint16_t type;  /**< OFPMP_* */
	uint16_t flags; /**< OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE */
	union {
		struct sl_ofp_flow_stats_request flow_request; /* FLOW, AGGREGATE */
		struct { uint32_t port_no; } port_request;    /* PORT_STATS */
		struct { uint32_t port_no, queue_id; } queue_request;
		struct { uint32_t group_id; } group_request;  /* GROUP */
		struct { uint32_t meter_id; } meter_request;  /* METER, METER_CONFIG */
		struct sl_ofp_mp_experimenter experimenter;   /* EXPERIMENTER req/reply */
		struct sl_ofp_desc desc;
		struct sl_ofp_aggregate_stats aggregate;
		struct sl_ofp_group_features group_features;
		struct { struct sl_ofp_flow_stats *items; uint32_t n; } flow_stats;
		struct { struct sl_ofp_table_stats *items; uint32_t n; } table_stats;
		struct { struct sl_ofp_port_stats *items; uint32_t n; } port_stats;
		struct { struct sl_ofp_queue_stats *items; uint32_t n; } queue_stats;
		struct { struct sl_ofp_group_stats *items; uint32_t n; } group_stats;
		struct { struct sl_ofp_group_desc *items; uint32_t n; } group_desc;
		struct { struct sl_ofp_meter_stats *items; uint32_t n; } meter_stats;
		struct { struct sl_ofp_meter_config *items; uint32_t n; } meter_config;
		struct { struct sl_ofp_table_features *items; uint32_t n; } table_features;
		struct { struct sl_ofp_port *items; uint32_t n; } port_desc;
		/** a list of one, as os-ken models it */
		struct { struct sl_ofp_meter_features *items; uint32_t n; } meter_features;
	} body;
};

/* ---- messages ---- */
struct sl_ofp_bytes_body { const uint8_t *data; uint32_t data_len; };
struct sl_ofp_hello { struct sl_ofp_hello_elem *elements; uint32_t n_elements; };
struct sl_ofp_error_msg {
	uint16_t type, code;     /**< code unused when type == OFPET_EXPERIMENTER */
	uint16_t exp_type;
	uint32_t experimenter;
	const uint8_t *data;
	uint32_t data_len;
};
struct sl_ofp_experimenter_msg {
	uint32_t experimenter, exp_type;
	const uint8_t *data;
	uint32_t data_len;
};
struct sl_ofp_features_reply {
	uint64_t datapath_id;
	uint32_t n_buffers;
	uint8_t n_tables, auxiliary_id;
	uint32_t capabilities, reserved;
};
struct sl_ofp_switch_config { uint16_t flags, miss_send_len; };
struct sl_ofp_packet_in {
	uint32_t buffer_id;
	uint16_t total_len;
	uint8_t reason, table_id;
	uint64_t cookie;
	struct sl_ofp_match match;
	const uint8_t *data;
	uint32_t data_len;
};
struct sl_ofp_flow_removed {
	uint64_t cookie;
	uint16_t priority;
	uint8_t reason, table_id;
	uint32_t duration_sec, duration_nsec;
	uint16_t idle_timeout, hard_timeout;
	uint64_t packet_count, byte_count;
	struct sl_ofp_match match;
};
struct sl_ofp_port_status { uint8_t reason; struct sl_ofp_port desc; };
struct sl_ofp_packet_out {
	uint32_t buffer_id, in_port;
	struct sl_ofp_action *actions;
	uint32_t n_actions;
	const uint8_t *data;
	uint32_t data_len;
};
struct sl_ofp_flow_mod {
	uint64_t cookie, cookie_mask;
	uint8_t table_id, command;
	uint16_t idle_timeout, hard_timeout, priority;
	uint32_t buffer_id, out_port, out_group;
	uint16_t flags;
	struct sl_ofp_match match;
	struct sl_ofp_instruction *instructions;
	uint32_t n_instructions;
};
struct sl_ofp_group_mod {
	uint16_t command;
	uint8_t type;
	uint32_t group_id;
	struct sl_ofp_bucket *buckets;
	uint32_t n_buckets;
};
struct sl_ofp_port_mod {
	uint32_t port_no;
	uint8_t hw_addr[6];
	uint32_t config, mask, advertise;
};
struct sl_ofp_table_mod { uint8_t table_id; uint32_t config; };
struct sl_ofp_queue_get_config {
	uint32_t port;
	struct sl_ofp_packet_queue *queues; /**< reply only */
	uint32_t n_queues;
};
struct sl_ofp_role { uint32_t role; uint64_t generation_id; };
struct sl_ofp_async {
	uint32_t packet_in_mask[2], port_status_mask[2], flow_removed_mask[2];
};
struct sl_ofp_meter_mod {
	uint16_t command, flags;
	uint32_t meter_id;
	struct sl_ofp_meter_band *bands;
	uint32_t n_bands;
};

struct sl_ofp_arena;

/** A decoded (or to-be-encoded) OpenFlow message. */
struct sl_ofp_msg {
	uint8_t version; /**< wire version (4 for OF1.3) */
	uint8_t type;    /**< OFPT_* */
	uint32_t xid;
	union {
		struct sl_ofp_hello hello;
		struct sl_ofp_error_msg error;
		struct sl_ofp_bytes_body echo;            /* ECHO_REQUEST/REPLY */
		struct sl_ofp_experimenter_msg experimenter;
		struct sl_ofp_features_reply features;
		struct sl_ofp_switch_config config;       /* GET_CONFIG_REPLY, SET_CONFIG */
		struct sl_ofp_packet_in packet_in;
		struct sl_ofp_flow_removed flow_removed;
		struct sl_ofp_port_status port_status;
		struct sl_ofp_packet_out packet_out;
		struct sl_ofp_flow_mod flow_mod;
		struct sl_ofp_group_mod group_mod;
		struct sl_ofp_port_mod port_mod;
		struct sl_ofp_table_mod table_mod;
		struct sl_ofp_multipart multipart;        /* MULTIPART_REQUEST/REPLY */
		struct sl_ofp_queue_get_config queue_config; /* QUEUE_GET_CONFIG_* */
		struct sl_ofp_role role;                  /* ROLE_REQUEST/REPLY */
		struct sl_ofp_async async;                /* GET_ASYNC_REPLY, SET_ASYNC */
		struct sl_ofp_meter_mod meter_mod;
	} u;
	struct sl_ofp_arena *arena; /**< owns decoded variable-size parts */
};

/** Growable output buffer for encoding: start zeroed, free with sl_ofp_buf_free(). */
struct sl_ofp_buf {
	uint8_t *data;
	size_t len, cap;
};

/** Release the buffer's memory and reset it to empty. */
void sl_ofp_buf_free(struct sl_ofp_buf *buf);

/** Initialise @p msg as an empty message of @p type (version 4, xid given). */
void sl_ofp_msg_init(struct sl_ofp_msg *msg, uint8_t type, uint32_t xid);

/** Free everything decode() allocated for @p msg; the struct may be reused. */
void sl_ofp_msg_free(struct sl_ofp_msg *msg);

/**
 * Allocate @p size zeroed bytes owned by @p msg (freed by sl_ofp_msg_free).
 * Lets the agent build replies whose lists live as long as the message.
 * @return the memory, or NULL on allocation failure.
 */
void *sl_ofp_msg_alloc(struct sl_ofp_msg *msg, size_t size);

/**
 * Length of the next message in a connection buffer.
 * @return the header's length once 8 bytes are there, 0 if fewer, or -1 if
 * the length field is < 8 (a framing error: OFPBRC_BAD_LEN, close the link).
 */
long sl_ofp_frame_len(const uint8_t *buf, size_t avail);

/**
 * Decode one message.  @p len must be the message length from its header
 * (use sl_ofp_frame_len); extra or missing bytes give OFPBRC_BAD_LEN.
 * Hello is accepted in any version; other messages need a supported version.
 * @return 0 on success (free @p msg with sl_ofp_msg_free), or -1 with @p err
 * set (nothing to free).
 */
int sl_ofp_decode(const uint8_t *buf, size_t len, struct sl_ofp_msg *msg,
		  struct sl_ofp_error *err);

/**
 * Check what a switch must check before acting on a decoded message: known
 * match fields and prerequisites, action and instruction arguments, port,
 * table, group and meter ids, experimenter parts (refused).
 * @return 0 if acceptable, else -1 with @p err set.
 */
int sl_ofp_validate(const struct sl_ofp_msg *msg, struct sl_ofp_error *err);

/**
 * Check an action list: output ports (OFPP_TABLE only when @p packet_out),
 * group ids, push/pop ethertypes, set-field fields and their prerequisites
 * against @p match (NULL: none) and earlier push actions, experimenter
 * actions refused with OFPBAC_BAD_EXPERIMENTER.
 * @return 0 if valid, else -1 with @p err set (offset of the action).
 */
int sl_ofp_actions_validate(const struct sl_ofp_action *acts, uint32_t n,
			    const struct sl_ofp_match *match, bool packet_out,
			    struct sl_ofp_error *err);

/**
 * Append the wire encoding of @p msg to @p out.
 * @return 0, -EINVAL for an unknown type/variant, -EMSGSIZE if it does not fit
 * in 64 KiB, -ENOMEM.
 */
int sl_ofp_encode(const struct sl_ofp_msg *msg, struct sl_ofp_buf *out);

/**
 * Append a multipart reply split into as many messages as needed so none is
 * larger than @p max_len (0 = 65535): body items are never cut, every part but
 * the last carries OFPMPF_REPLY_MORE, all share the xid.
 * @return number of messages appended (>= 1), or a negative errno.
 */
int sl_ofp_encode_multipart(const struct sl_ofp_msg *msg, struct sl_ofp_buf *out,
			    size_t max_len);

/** Callback receiving one "path=value" line of a dump. */
typedef void (*sl_ofp_dump_fn)(void *arg, const char *line);

/**
 * Describe @p msg as flat "path=value" lines named after os-ken's JSON
 * (e.g. "OFPFlowMod.match.OFPMatch.oxm_fields[0].OXMTlv.field=in_port").
 * Used by tests to compare against os-ken's JSON and by logs.  Works for
 * reassembled multipart messages larger than 64 KiB too.
 * @return 0, or a negative errno if @p msg cannot be encoded.
 */
int sl_ofp_dump(const struct sl_ofp_msg *msg, sl_ofp_dump_fn fn, void *arg);

/** Name of a message type, e.g. "OFPT_FLOW_MOD" ("?" if unknown). */
const char *sl_ofp_type_name(uint8_t type);

#endif /* SL_OFP_H */
