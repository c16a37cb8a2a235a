/**
 * @file sl_ofp.h
 * OpenFlow wire codec: messages as plain C structures, decode/encode/validate.
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

#include "openflow.h"
#include "sl_ofp_error.h"
#include "sl_ofp_copy_field.h"
#include "sl_ofp_oxm.h"

/** Largest OpenFlow message: the header's length field is 16 bits. */
#define SL_OFP_MAX_MSG_LEN 65535

/* Variable-size members are (pointer, count) pairs: plain C, no hidden
 * container type.  Decoded ones live in the message arena; for encoding the
 * caller may point them anywhere. */

/** ofp_match: only OFPMT_OXM (type 1) is accepted. */
struct sl_ofp_match {
	uint16_t type;             /**< OFPMT_OXM */
	struct sl_ofp_oxm *fields; /**< OXM TLVs in wire order */
	uint32_t n_fields;         /**< entries in fields */
};

/** One action (ofp_action_*), tagged by type (OFPAT_*). */
struct sl_ofp_action {
	uint16_t type;     /**< OFPAT_*: which member of u is used */
	uint16_t wire_off; /**< offset in the message (decode only) */
	/** The arguments, by type (named after the action). */
	union {
		struct { uint32_t port; uint16_t max_len; } output;
		struct { uint8_t mpls_ttl; } set_mpls_ttl;
		struct { uint8_t nw_ttl; } set_nw_ttl;
		/** push_vlan, push_mpls, push_pbb, pop_mpls */
		struct { uint16_t ethertype; } ethertype;
		struct { uint32_t queue_id; } set_queue;
		struct { uint32_t group_id; } group;
		struct { uint32_t meter_id; } meter; /**< OF1.5 OFPAT_METER */
		struct sl_ofp_copy_field copy_field; /**< OF1.5 OFPAT_COPY_FIELD */
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
	uint16_t type;     /**< OFPIT_*: which member of u is used */
	uint16_t wire_off; /**< offset in the message (decode only) */
	/** The arguments, by type (named after the instruction). */
	union {
		struct { uint8_t table_id; } goto_table;
		struct { uint64_t metadata, metadata_mask; } write_metadata;
		/** write_actions, apply_actions, clear_actions (empty) */
		struct { struct sl_ofp_action *actions; uint32_t n_actions; } actions;
		struct { uint32_t meter_id; } meter;
		struct { uint32_t experimenter; const uint8_t *data; uint32_t data_len; } experimenter;
		/** OF1.5 stat_trigger: kept opaque (flags and OXS thresholds), so
		 *  validation can refuse it with OFPBIC_UNSUP_INST */
		struct { const uint8_t *data; uint32_t data_len; } stat_trigger;
	} u;
};

/** A group bucket (ofp_bucket). */
struct sl_ofp_bucket {
	uint16_t weight;       /**< share of traffic (select groups) */
	/** port / group whose liveness decides the bucket's (fast failover);
	 *  OFPP_ANY / OFPG_ANY: none @{ */
	uint32_t watch_port, watch_group;
	/** @} */
	struct sl_ofp_action *actions; /**< the bucket's action set */
	uint32_t n_actions;    /**< entries in actions */
	uint32_t bucket_id;    /**< OF1.5: the bucket's id */
	/** OF1.5: weight, watch_port, watch_group as properties
	 *  (sl_ofp_bucket_add_props() builds them from the members above) */
	struct sl_ofp_prop *properties;
	uint32_t n_properties; /**< entries in properties */
};

/** ofp_meter_band_*: drop (1), dscp_remark (2), experimenter (0xffff). */
struct sl_ofp_meter_band {
	uint16_t type;           /**< OFPMBT_* */
	/** rate above which the band applies and its burst, in kb/s and kb, or
	 *  packets/s and packets with OFPMF_PKTPS @{ */
	uint32_t rate, burst_size;
	/** @} */
	uint8_t prec_level;      /**< dscp_remark */
	uint32_t experimenter;   /**< experimenter */
	const uint8_t *data;     /**< experimenter: bytes after the id */
	uint32_t data_len;       /**< bytes at data */
};

/** An OF1.4+ property (port description, port stats, port-mod, table-mod):
 *  type says which member of u is used; unknown types are kept opaque. */
struct sl_ofp_prop {
	uint16_t type; /**< OFPPDPT_* / OFPPSPT_* / OFPPMPT_* / OFPTMPT_* */
	/** The property's body, by the object it belongs to and its type. */
	union {
		/** port description, ethernet: OFPPF_* bits and speeds in kb/s */
		struct { uint32_t curr, advertised, supported, peer, curr_speed, max_speed; } port_eth;
		/** port stats, ethernet: the error counters OF1.3 had in the body */
		struct { uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions; } stats_eth;
		/** port-mod, ethernet: OFPPF_* features to advertise */
		struct { uint32_t advertise; } mod_eth;
		/** port description, optical (decoded and encoded, never used) */
		struct {
			uint32_t supported, tx_min_freq_lmda, tx_max_freq_lmda, tx_grid_freq_lmda;
			uint32_t rx_min_freq_lmda, rx_max_freq_lmda, rx_grid_freq_lmda;
			uint16_t tx_pwr_min, tx_pwr_max;
		} port_optical;
		/** port stats, optical */
		struct {
			uint32_t flags, tx_freq_lmda, tx_offset, tx_grid_span;
			uint32_t rx_freq_lmda, rx_offset, rx_grid_span;
			uint16_t tx_pwr, rx_pwr, bias_current, temperature;
		} stats_optical;
		/** port-mod, optical (refused by validate) */
		struct { uint32_t configure, freq_lmda, fl_offset, grid_span, tx_pwr; } mod_optical;
		/** table-mod eviction (refused by validate) */
		struct { uint32_t flags; } eviction;
		/** table-mod vacancy (refused by validate) */
		struct { uint8_t vacancy_down, vacancy_up, vacancy; } vacancy;
		/** OF1.4 async config: the reasons wanted */
		struct { uint32_t mask; } async;
		/** OF1.5 bucket weight */
		struct { uint16_t weight; } weight;
		/** OF1.5 bucket watch_port / watch_group */
		struct { uint32_t id; } watch;
		/** experimenter: id, its type, and the data words after them */
		struct { uint32_t experimenter, exp_type; uint32_t *data; uint32_t n_data; } experimenter;
		/** any other type: the bytes after type and length */
		struct { const uint8_t *data; uint32_t data_len; } opaque;
	} u;
};

/** One OF1.5 OXS statistic (flow desc, flow removed, aggregate). */
struct sl_ofp_oxs_stat {
	uint16_t oxs_class; /**< OFPXSC_OPENFLOW_BASIC (0x8002) */
	uint8_t field;      /**< the wire byte: OFPXST_OFB_* << 1 (no mask) */
	uint8_t length;     /**< bytes of value on the wire (4 or 8) */
	/** duration and idle_time: seconds << 32 | nanoseconds; flow_count,
	 *  packet_count, byte_count: the count */
	uint64_t value;
};

/** A port's description (ofp_port): port-desc replies, port-status. */
struct sl_ofp_port {
	uint32_t port_no;   /**< OpenFlow port number */
	uint8_t hw_addr[6]; /**< MAC address */
	char name[16]; /**< NUL-padded, not always NUL-terminated */
	/** OFPPC_* config and OFPPS_* state bits; OFPPF_* feature bits (curr,
	 *  advertised, supported, peer); speeds in kb/s @{ */
	uint32_t config, state, curr, advertised, supported, peer, curr_speed, max_speed;
	/** @} */
	/** OF1.4+: the properties on the wire (an ethernet one carries curr..
	 *  max_speed: sl_ofp_port_add_props() builds it from them) */
	struct sl_ofp_prop *properties;
	uint32_t n_properties; /**< entries in properties */
};

/** A hello element (ofp_hello_elem_header and its body). */
struct sl_ofp_hello_elem {
	uint16_t type; /**< OFPHET_VERSIONBITMAP or unknown (kept opaque) */
	uint32_t *bitmaps;   /**< version bitmap: bit v % 32 of word v / 32 = version v */
	uint32_t n_bitmaps;  /**< words in bitmaps */
	const uint8_t *data; /**< unknown type: the element's body */
	uint32_t data_len;   /**< bytes at data */
};

/** A queue property (ofp_queue_prop_*). */
struct sl_ofp_queue_prop {
	uint16_t property; /**< OFPQT_MIN_RATE, OFPQT_MAX_RATE, OFPQT_EXPERIMENTER */
	uint16_t rate;         /**< min/max rate, in 1/10 of a percent */
	uint32_t experimenter; /**< experimenter id */
	uint8_t *data;         /**< experimenter: bytes after the id */
	uint32_t n_data;       /**< bytes at data */
};

/** A queue of a port (ofp_packet_queue), in queue-get-config replies. */
struct sl_ofp_packet_queue {
	/** the queue and the port it is attached to @{ */
	uint32_t queue_id, port;
	/** @} */
	struct sl_ofp_queue_prop *properties; /**< its properties */
	uint32_t n_properties;  /**< entries in properties */
};

/* ---- multipart bodies ---- */
/** Switch description (ofp_desc, OFPMP_DESC reply). */
struct sl_ofp_desc {
	/** manufacturer, hardware, software, serial number and datapath
	 *  descriptions: NUL-padded strings @{ */
	char mfr_desc[256], hw_desc[256], sw_desc[256], serial_num[32], dp_desc[256];
	/** @} */
};
/** Flow and aggregate stats requests share a body. */
struct sl_ofp_flow_stats_request {
	uint8_t table_id;   /**< table to read, or OFPTT_ALL */
	/** only flows that output to this port / group (OFPP_ANY, OFPG_ANY:
	 *  any) @{ */
	uint32_t out_port, out_group;
	/** @} */
	/** only flows whose cookie equals cookie under cookie_mask @{ */
	uint64_t cookie, cookie_mask;
	/** @} */
	struct sl_ofp_match match; /**< only flows this match covers */
};
/** One flow's statistics (ofp_flow_stats, OFPMP_FLOW reply). */
struct sl_ofp_flow_stats {
	uint8_t table_id;   /**< the flow's table */
	/** time since the flow was installed: seconds, and nanoseconds past
	 *  them @{ */
	uint32_t duration_sec, duration_nsec;
	/** @} */
	/** as set by the flow-mod (timeouts in seconds, flags OFPFF_*) @{ */
	uint16_t priority, idle_timeout, hard_timeout, flags;
	/** @} */
	uint16_t importance; /**< OF1.4+: eviction importance */
	/** the flow's cookie, and the packets and bytes it matched @{ */
	uint64_t cookie, packet_count, byte_count;
	/** @} */
	struct sl_ofp_match match; /**< the flow's match */
	struct sl_ofp_instruction *instructions; /**< the flow's instructions */
	uint32_t n_instructions; /**< entries in instructions */
	/** OF1.5: the counters as OXS (sl_ofp_flow_stats_v15() builds them
	 *  from duration, packet_count and byte_count) */
	struct sl_ofp_oxs_stat *stats;
	uint32_t n_stats; /**< entries in stats */
};
/** Totals over the flows an aggregate request selects (ofp_aggregate_stats_reply). */
struct sl_ofp_aggregate_stats {
	/** packets, bytes, flows @{ */
	uint64_t packet_count, byte_count;
	uint32_t flow_count;
	/** @} */
	/** OF1.5: the same as OXS (sl_ofp_aggregate_add_oxs()) */
	struct sl_ofp_oxs_stat *stats;
	uint32_t n_stats; /**< entries in stats */
};
/** One table's statistics (ofp_table_stats, OFPMP_TABLE reply). */
struct sl_ofp_table_stats {
	uint8_t table_id;      /**< the table */
	uint32_t active_count; /**< flows in it */
	/** packets looked up in it, and those that hit a flow @{ */
	uint64_t lookup_count, matched_count;
	/** @} */
};
/** One port's counters (ofp_port_stats, OFPMP_PORT_STATS reply). */
struct sl_ofp_port_stats {
	uint32_t port_no;   /**< the port */
	/** packet, byte, drop and error counters, named as in ofp_port_stats @{ */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped, tx_dropped;
	uint64_t rx_errors, tx_errors, rx_frame_err, rx_over_err, rx_crc_err, collisions;
	/** @} */
	/** time the port has been up: seconds, and nanoseconds past them @{ */
	uint32_t duration_sec, duration_nsec;
	/** @} */
	/** OF1.4+: the properties on the wire (the ethernet one carries
	 *  rx_frame_err..collisions: sl_ofp_port_stats_add_props()) */
	struct sl_ofp_prop *properties;
	uint32_t n_properties; /**< entries in properties */
};
/** One queue's counters (ofp_queue_stats, OFPMP_QUEUE reply). */
struct sl_ofp_queue_stats {
	/** the port and its queue @{ */
	uint32_t port_no, queue_id;
	/** @} */
	/** bytes and packets sent, and those dropped by overrun @{ */
	uint64_t tx_bytes, tx_packets, tx_errors;
	/** @} */
	/** time the queue has been installed: seconds, and nanoseconds past
	 *  them @{ */
	uint32_t duration_sec, duration_nsec;
	/** @} */
	struct sl_ofp_prop *properties; /**< OF1.4+: kept opaque */
	uint32_t n_properties; /**< entries in properties */
};
/** Packets and bytes a group bucket processed (ofp_bucket_counter). */
struct sl_ofp_bucket_counter { /** packets, bytes @{ */ uint64_t packet_count, byte_count; /** @} */ };
/** One group's statistics (ofp_group_stats, OFPMP_GROUP reply). */
struct sl_ofp_group_stats {
	/** the group, and the flows and groups that forward to it @{ */
	uint32_t group_id, ref_count;
	/** @} */
	/** packets and bytes the group processed @{ */
	uint64_t packet_count, byte_count;
	/** @} */
	/** time since the group was added: seconds, and nanoseconds past
	 *  them @{ */
	uint32_t duration_sec, duration_nsec;
	/** @} */
	struct sl_ofp_bucket_counter *bucket_stats; /**< one per bucket, in order */
	uint32_t n_bucket_stats; /**< entries in bucket_stats */
};
/** One group's definition (ofp_group_desc, OFPMP_GROUP_DESC reply). */
struct sl_ofp_group_desc {
	uint8_t type;       /**< OFPGT_* */
	uint32_t group_id;  /**< the group */
	struct sl_ofp_bucket *buckets; /**< its buckets */
	uint32_t n_buckets; /**< entries in buckets */
	struct sl_ofp_prop *properties; /**< OF1.5: kept opaque */
	uint32_t n_properties; /**< entries in properties */
};
/** Group capabilities (ofp_group_features, OFPMP_GROUP_FEATURES reply). */
struct sl_ofp_group_features {
	/** bitmaps of OFPGT_* types and OFPGFC_* capabilities; per group type,
	 *  the most groups and a bitmap of the OFPAT_* actions supported @{ */
	uint32_t types, capabilities, max_groups[4], actions[4];
	/** @} */
};
/** Packets and bytes a meter band applied to (ofp_meter_band_stats). */
struct sl_ofp_meter_band_stats { /** packets, bytes @{ */ uint64_t packet_band_count, byte_band_count; /** @} */ };
/** One meter's statistics (ofp_meter_stats, OFPMP_METER reply). */
struct sl_ofp_meter_stats {
	/** the meter, and the flows that use it @{ */
	uint32_t meter_id, flow_count;
	/** @} */
	/** packets and bytes that entered the meter @{ */
	uint64_t packet_in_count, byte_in_count;
	/** @} */
	/** time since the meter was added: seconds, and nanoseconds past
	 *  them @{ */
	uint32_t duration_sec, duration_nsec;
	/** @} */
	struct sl_ofp_meter_band_stats *band_stats; /**< one per band, in order */
	uint32_t n_band_stats; /**< entries in band_stats */
};
/** One meter's definition (ofp_meter_config, OFPMP_METER_CONFIG reply). */
struct sl_ofp_meter_config {
	uint16_t flags;     /**< OFPMF_* */
	uint32_t meter_id;  /**< the meter */
	struct sl_ofp_meter_band *bands; /**< its bands */
	uint32_t n_bands;   /**< entries in bands */
};
/** Meter capabilities (ofp_meter_features, OFPMP_METER_FEATURES reply). */
struct sl_ofp_meter_features {
	/** most meters; bitmaps of the OFPMBT_* band types and OFPMF_*
	 *  capabilities @{ */
	uint32_t max_meter, band_types, capabilities;
	/** @} */
	/** most bands per meter, and most colour value @{ */
	uint8_t max_bands, max_color;
	/** @} */
};
/** Instruction or action id in a table-features property. */
struct sl_ofp_tf_id { uint16_t type; /**< OFPIT_* / OFPAT_* */ uint32_t experimenter; /**< of an experimenter id */ };
/** A table-features property (ofp_table_feature_prop_*); type says which members are used. */
struct sl_ofp_table_feature_prop {
	uint16_t type; /**< OFPTFPT_* */
	struct sl_ofp_tf_id *ids;          /**< instructions / actions props */
	uint32_t n_ids;                    /**< entries in ids */
	uint8_t *table_ids;                /**< next_tables props */
	uint32_t n_table_ids;              /**< entries in table_ids */
	struct sl_ofp_oxm_id *oxm_ids;     /**< match/wildcards/setfield/copyfield props */
	uint32_t n_oxm_ids;                /**< entries in oxm_ids */
	struct sl_ofp_oxm *oxm_values;     /**< OF1.5 packet-types prop: OXM TLVs */
	uint32_t n_oxm_values;             /**< entries in oxm_values */
	/** @{ */
	uint32_t experimenter, exp_type;   /**< experimenter props */
	/** @} */
	uint32_t *data;                    /**< experimenter props: data words */
	uint32_t n_data;                   /**< words at data */
};
/** One table's features (ofp_table_features, OFPMP_TABLE_FEATURES). */
struct sl_ofp_table_features {
	uint8_t table_id;   /**< the table */
	char name[32];      /**< NUL-padded name */
	/** metadata bits the table can match and write @{ */
	uint64_t metadata_match, metadata_write;
	/** @} */
	/** OFPTC_* config bits, and the most flows it holds @{ */
	uint32_t config, max_entries;
	/** @} */
	/** OF1.5: OFPTFC_* command (requests) and OFPTFF_* features (pad
	 *  before: zero) @{ */
	uint8_t command;
	uint32_t features;
	/** @} */
	struct sl_ofp_table_feature_prop *properties; /**< its properties */
	uint32_t n_properties; /**< entries in properties */
};
/** Experimenter multipart body (ofp_experimenter_multipart_header and data). */
struct sl_ofp_mp_experimenter {
	/** experimenter id and its own type @{ */
	uint32_t experimenter, exp_type;
	/** @} */
	const uint8_t *data; /**< the bytes that follow */
	uint32_t data_len;   /**< bytes at data */
};

/** OFPT_MULTIPART_REQUEST / REPLY; which body member is used follows type. */
struct sl_ofp_multipart {
	uint16_t type;  /**< OFPMP_* */
	uint16_t flags; /**< OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE */
	/** The body: requests, then replies (the member named after type). */
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
/** An opaque body: echo request/reply data. */
struct sl_ofp_bytes_body { const uint8_t *data; /**< the bytes */ uint32_t data_len; /**< bytes at data */ };
/** OFPT_HELLO: its elements (ofp_hello). */
struct sl_ofp_hello { struct sl_ofp_hello_elem *elements; /**< in wire order */ uint32_t n_elements; /**< entries */ };
/** OFPT_ERROR (ofp_error_msg, ofp_error_experimenter_msg). */
struct sl_ofp_error_msg {
	/** OFPET_* type and its code @{ */
	uint16_t type, code;     /**< code unused when type == OFPET_EXPERIMENTER */
	/** @} */
	uint16_t exp_type;       /**< OFPET_EXPERIMENTER: experimenter's type */
	uint32_t experimenter;   /**< OFPET_EXPERIMENTER: experimenter id */
	const uint8_t *data;     /**< usually the start of the failed request */
	uint32_t data_len;       /**< bytes at data */
};
/** OFPT_EXPERIMENTER (ofp_experimenter_header and data). */
struct sl_ofp_experimenter_msg {
	/** experimenter id and its own type @{ */
	uint32_t experimenter, exp_type;
	/** @} */
	const uint8_t *data; /**< the bytes that follow */
	uint32_t data_len;   /**< bytes at data */
};
/** OFPT_FEATURES_REPLY (ofp_switch_features). */
struct sl_ofp_features_reply {
	uint64_t datapath_id;  /**< the switch's datapath id */
	uint32_t n_buffers;    /**< packets it can buffer for packet-in */
	/** tables in the pipeline; 0 on the main connection @{ */
	uint8_t n_tables, auxiliary_id;
	/** @} */
	/** OFPC_* capability bits; reserved (zero) @{ */
	uint32_t capabilities, reserved;
	/** @} */
};
/** OFPT_GET_CONFIG_REPLY, OFPT_SET_CONFIG (ofp_switch_config). */
struct sl_ofp_switch_config { /** OFPC_FRAG_* flags; bytes of a packet sent to the controller @{ */ uint16_t flags, miss_send_len; /** @} */ };
/** OFPT_PACKET_IN (ofp_packet_in). */
struct sl_ofp_packet_in {
	uint32_t buffer_id;  /**< buffered packet, or OFP_NO_BUFFER */
	uint16_t total_len;  /**< length of the whole frame */
	/** OFPR_* reason; the table it was looked up in @{ */
	uint8_t reason, table_id;
	/** @} */
	uint64_t cookie;     /**< cookie of the flow that sent it */
	struct sl_ofp_match match; /**< the packet's pipeline fields (in_port...) */
	const uint8_t *data; /**< the frame, or its first bytes */
	uint32_t data_len;   /**< bytes at data */
};
/** OFPT_FLOW_REMOVED (ofp_flow_removed). */
struct sl_ofp_flow_removed {
	uint64_t cookie;     /**< the flow's cookie */
	uint16_t priority;   /**< the flow's priority */
	/** OFPRR_* reason; the flow's table @{ */
	uint8_t reason, table_id;
	/** @} */
	/** time the flow was installed: seconds, and nanoseconds past them @{ */
	uint32_t duration_sec, duration_nsec;
	/** @} */
	/** the flow's timeouts, in seconds @{ */
	uint16_t idle_timeout, hard_timeout;
	/** @} */
	/** packets and bytes the flow matched @{ */
	uint64_t packet_count, byte_count;
	/** @} */
	struct sl_ofp_match match; /**< the flow's match */
};
/** OFPT_PORT_STATUS (ofp_port_status). */
struct sl_ofp_port_status { uint8_t reason; /**< OFPPR_* */ struct sl_ofp_port desc; /**< the port now */ };
/** OFPT_PACKET_OUT (ofp_packet_out). */
struct sl_ofp_packet_out {
	/** buffered packet to send (OFP_NO_BUFFER: data), and the port it
	 *  counts as received on @{ */
	uint32_t buffer_id, in_port;
	/** @} */
	struct sl_ofp_match match; /**< OF1.5: the pipeline fields, in_port among them */
	struct sl_ofp_action *actions; /**< what to do with it */
	uint32_t n_actions;  /**< entries in actions */
	const uint8_t *data; /**< the frame, when not buffered */
	uint32_t data_len;   /**< bytes at data */
};
/** OFPT_FLOW_MOD (ofp_flow_mod). */
struct sl_ofp_flow_mod {
	/** the new flow's cookie; for modify and delete, flows are selected by
	 *  cookie under cookie_mask @{ */
	uint64_t cookie, cookie_mask;
	/** @} */
	/** the table (OFPTT_ALL for deletes), and OFPFC_* @{ */
	uint8_t table_id, command;
	/** @} */
	/** timeouts in seconds (0: none), and the flow's priority @{ */
	uint16_t idle_timeout, hard_timeout, priority;
	/** @} */
	/** buffered packet to run through the new flow (OFP_NO_BUFFER: none);
	 *  deletes: only flows that output to out_port / out_group @{ */
	uint32_t buffer_id, out_port, out_group;
	/** @} */
	uint16_t flags;      /**< OFPFF_* */
	uint16_t importance; /**< OF1.4+: eviction importance (pad in OF1.3) */
	struct sl_ofp_match match; /**< the flow's match */
	struct sl_ofp_instruction *instructions; /**< the flow's instructions */
	uint32_t n_instructions; /**< entries in instructions */
};
/** OFPT_GROUP_MOD (ofp_group_mod). */
struct sl_ofp_group_mod {
	uint16_t command;   /**< OFPGC_* */
	uint8_t type;       /**< OFPGT_* */
	uint32_t group_id;  /**< the group */
	uint32_t command_bucket_id; /**< OF1.5: the bucket a command applies to */
	struct sl_ofp_bucket *buckets; /**< its buckets */
	uint32_t n_buckets; /**< entries in buckets */
	struct sl_ofp_prop *properties; /**< OF1.5: kept opaque (refused) */
	uint32_t n_properties; /**< entries in properties */
};
/** OFPT_PORT_MOD (ofp_port_mod). */
struct sl_ofp_port_mod {
	uint32_t port_no;   /**< the port */
	uint8_t hw_addr[6]; /**< its MAC address, as a check */
	/** OFPPC_* bits to set, those of them to change, and OFPPF_* features
	 *  to advertise (0: unchanged) @{ */
	uint32_t config, mask, advertise;
	/** @} */
	/** OF1.4+: the properties (the ethernet one carries advertise) */
	struct sl_ofp_prop *properties;
	uint32_t n_properties; /**< entries in properties */
};
/** OFPT_TABLE_MOD (ofp_table_mod). */
struct sl_ofp_table_mod {
	uint8_t table_id; /**< the table, or OFPTT_ALL */
	uint32_t config;  /**< OFPTC_* */
	struct sl_ofp_prop *properties; /**< OF1.4+ (eviction, vacancy: kept opaque) */
	uint32_t n_properties; /**< entries in properties */
};
/** OFPT_QUEUE_GET_CONFIG_REQUEST / _REPLY (ofp_queue_get_config_*). */
struct sl_ofp_queue_get_config {
	uint32_t port;      /**< the port, or OFPP_ANY */
	struct sl_ofp_packet_queue *queues; /**< reply only */
	uint32_t n_queues;  /**< entries in queues */
};
/** OFPT_ROLE_REQUEST / _REPLY (ofp_role_request). */
struct sl_ofp_role {
	uint32_t role;          /**< OFPCR_ROLE_* */
	uint16_t short_id;      /**< OF1.5: the controller's short id */
	uint8_t reason;         /**< OF1.4 OFPT_ROLE_STATUS: OFPCRR_* */
	uint64_t generation_id; /**< master election generation */
	struct sl_ofp_prop *properties; /**< OF1.4 role status: kept opaque */
	uint32_t n_properties;  /**< entries in properties */
};
/** OFPT_GET_ASYNC_REPLY, OFPT_SET_ASYNC (ofp_async_config). */
struct sl_ofp_async {
	/** OFPR_*, OFPPR_* and OFPRR_* reason bits the controller wants, as
	 *  [master or equal, slave] @{ */
	uint32_t packet_in_mask[2], port_status_mask[2], flow_removed_mask[2];
	/** @} */
	uint32_t role_status_mask[2]; /**< OF1.4+: OFPCRR_* bits, same order */
	/** OF1.4+ set-async: bit t set = a property of type t (0..7) came, so
	 *  its mask changes; the others stay */
	uint32_t present;
	struct sl_ofp_prop *properties; /**< OF1.4+: the wire form */
	uint32_t n_properties; /**< entries in properties */
};
/** OFPT_METER_MOD (ofp_meter_mod). */
struct sl_ofp_meter_mod {
	/** OFPMC_*, and OFPMF_* @{ */
	uint16_t command, flags;
	/** @} */
	uint32_t meter_id;  /**< the meter */
	struct sl_ofp_meter_band *bands; /**< its bands */
	uint32_t n_bands;   /**< entries in bands */
};

struct sl_ofp_arena;

/** A decoded (or to-be-encoded) OpenFlow message. */
struct sl_ofp_msg {
	uint8_t version; /**< wire version (4 for OF1.3) */
	uint8_t type;    /**< OFPT_* */
	uint32_t xid;    /**< transaction id, echoed by the reply */
	/** The body: the member named after type (none for bodiless types). */
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
		struct sl_ofp_role role;                  /* ROLE_REQUEST/REPLY/STATUS */
		struct sl_ofp_async async;                /* GET_ASYNC_REPLY, SET_ASYNC */
		struct sl_ofp_meter_mod meter_mod;
	} u;
	struct sl_ofp_arena *arena; /**< owns decoded variable-size parts */
};

/** Growable output buffer for encoding: start zeroed, free with sl_ofp_buf_free(). */
struct sl_ofp_buf {
	uint8_t *data;   /**< the encoded bytes */
	/** bytes used, bytes allocated @{ */
	size_t len, cap;
	/** @} */
};

/**
 * Release the buffer's memory and reset it to empty.
 * @param buf the buffer
 */
void sl_ofp_buf_free(struct sl_ofp_buf *buf);

/**
 * Initialise @p msg as an empty message of @p type (version 4, xid given).
 * @param msg  the message
 * @param type OFPT_*
 * @param xid  transaction id
 */
void sl_ofp_msg_init(struct sl_ofp_msg *msg, uint8_t type, uint32_t xid);

/**
 * Free everything decode() allocated for @p msg; the struct may be reused.
 * @param msg the message
 */
void sl_ofp_msg_free(struct sl_ofp_msg *msg);

/**
 * Allocate @p size zeroed bytes owned by @p msg (freed by sl_ofp_msg_free).
 * Lets the agent build replies whose lists live as long as the message.
 * @param msg  the owner
 * @param size bytes wanted
 * @return the memory, or NULL on allocation failure.
 */
void *sl_ofp_msg_alloc(struct sl_ofp_msg *msg, size_t size);

/**
 * Length of the next message in a connection buffer.
 * @param buf   received bytes, starting at a message boundary
 * @param avail bytes in @p buf
 * @return the header's length once 8 bytes are there, 0 if fewer, or -1 if
 * the length field is < 8 (a framing error: OFPBRC_BAD_LEN, close the link).
 */
long sl_ofp_frame_len(const uint8_t *buf, size_t avail);

/**
 * Decode one message.  @p len must be the message length from its header
 * (use sl_ofp_frame_len); extra or missing bytes give OFPBRC_BAD_LEN.
 * Hello is accepted in any version; other messages need a supported version.
 * @param buf the message
 * @param len its length
 * @param msg out: the decoded message
 * @param err out: why it was refused
 * @return 0 on success (free @p msg with sl_ofp_msg_free), or -1 with @p err
 * set (nothing to free).
 */
int sl_ofp_decode(const uint8_t *buf, size_t len, struct sl_ofp_msg *msg,
		  struct sl_ofp_error *err);

/**
 * Check what a switch must check before acting on a decoded message: known
 * match fields and prerequisites, action and instruction arguments, port,
 * table, group and meter ids, experimenter parts (refused).
 * @param msg a decoded message
 * @param err out: the error to send back
 * @return 0 if acceptable, else -1 with @p err set.
 */
int sl_ofp_validate(const struct sl_ofp_msg *msg, struct sl_ofp_error *err);

/**
 * Check an action list: output ports (OFPP_TABLE only when @p packet_out),
 * group ids, push/pop ethertypes, set-field fields and their prerequisites
 * against @p match (NULL: none) and earlier push actions, experimenter
 * actions refused with OFPBAC_BAD_EXPERIMENTER.
 * @param acts       the actions, in order
 * @param n          entries in @p acts
 * @param match      the match they run after, or NULL
 * @param packet_out the list is a packet-out's
 * @param err        out: the error to send back
 * @return 0 if valid, else -1 with @p err set (offset of the action).
 */
int sl_ofp_actions_validate(const struct sl_ofp_action *acts, uint32_t n,
			    const struct sl_ofp_match *match, bool packet_out,
			    struct sl_ofp_error *err);

/**
 * Append the wire encoding of @p msg to @p out.
 * @param msg the message
 * @param out the buffer to append to
 * @return 0, -EINVAL for an unknown type/variant, -EMSGSIZE if it does not fit
 * in 64 KiB, -ENOMEM.
 */
int sl_ofp_encode(const struct sl_ofp_msg *msg, struct sl_ofp_buf *out);

/**
 * Append a multipart reply split into as many messages as needed so none is
 * larger than @p max_len (0 = 65535): body items are never cut, every part but
 * the last carries OFPMPF_REPLY_MORE, all share the xid.
 * @param msg     a multipart reply, of any size
 * @param out     the buffer to append to
 * @param max_len largest message
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
 * @param msg the message
 * @param fn  called once per line, in order
 * @param arg passed to @p fn
 * @return 0, or a negative errno if @p msg cannot be encoded.
 */
int sl_ofp_dump(const struct sl_ofp_msg *msg, sl_ofp_dump_fn fn, void *arg);

/**
 * Name of a message type.
 * @param type OFPT_*
 * @return e.g. "OFPT_FLOW_MOD" ("?" if unknown).
 */
const char *sl_ofp_type_name(uint8_t type);

#endif /* SL_OFP_H */
