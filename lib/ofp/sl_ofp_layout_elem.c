/* OF1.3 wire layouts of the objects messages are built from: match, actions,
 * instructions, buckets, meter bands, ports, queues, hello elements, stats
 * entries and table-features properties.  Names are os-ken's class and
 * attribute names so a dump compares with os-ken's JSON. */
#include "openflow_v14.h" /* OF1.5 table-feature property types */
#include "sl_ofp_desc.h"
#include "sl_ofp_layout.h"

#define DEF(var, ryu, minlen, C, spanmode, lenoff, err, ...)                        \
	static const struct sl_ofp_field var##_f[] = { __VA_ARGS__ };                    \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(C), .span = spanmode,    \
		.len_off = lenoff, .err_len = err, .fields = var##_f,         \
		.n_fields = SL_ARRAY_LEN(var##_f) }

/* Same, for layouts other files reference. */
#define DEFX(var, ryu, minlen, C, spanmode, lenoff, err, ...)                       \
	static const struct sl_ofp_field var##_f[] = { __VA_ARGS__ };                    \
	const struct sl_ofp_type var = {                                                 \
		.name = ryu, .min_len = minlen, .csize = sizeof(C), .span = spanmode,    \
		.len_off = lenoff, .err_len = err, .fields = var##_f,         \
		.n_fields = SL_ARRAY_LEN(var##_f) }

#define BRC_LEN SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN)

/* ---------------- match ---------------- */
typedef struct sl_ofp_match MT;
DEF(match_oxm, "OFPMatch", 4, MT, SPAN_LEN16_PAD8, 2, SL_ERR(OFPET_BAD_MATCH, OFPBMC_BAD_LEN),
    FU16(MT, "type", type), FLEN("length"),
    FLIST(MT, "oxm_fields", fields, n_fields, sl_ofp13_oxm_type));
static const struct sl_ofp_variant match_v[] = { { OFPMT_OXM, &match_oxm } };
static const struct sl_ofp_variants match_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(MT, type), .v = match_v,
	.n = SL_ARRAY_LEN(match_v), .err_type = SL_ERR(OFPET_BAD_MATCH, OFPBMC_BAD_TYPE) };
const struct sl_ofp_type sl_ofp13_match_type = {
	.csize = sizeof(MT), .err_len = SL_ERR(OFPET_BAD_MATCH, OFPBMC_BAD_LEN), .var = &match_var };

/* ---------------- actions ---------------- */
typedef struct sl_ofp_action A;
#define AHDR FU16(A, "type", type), FLEN("len")
#define BAC_LEN SL_ERR(OFPET_BAD_ACTION, OFPBAC_BAD_LEN)
#define ACT_EMPTY(var, ryu) DEF(var, ryu, 8, A, SPAN_LEN16, 2, BAC_LEN, AHDR, FPAD(4))
#define ACT_ETH(var, ryu) \
	DEF(var, ryu, 8, A, SPAN_LEN16, 2, BAC_LEN, AHDR,                                  \
	    FU16(A, "ethertype", u.ethertype.ethertype), FPAD(2))

DEF(act_output, "OFPActionOutput", 16, A, SPAN_LEN16, 2, BAC_LEN, AHDR,
    FU32(A, "port", u.output.port), FU16(A, "max_len", u.output.max_len), FPAD(6));
ACT_EMPTY(act_copy_ttl_out, "OFPActionCopyTtlOut");
ACT_EMPTY(act_copy_ttl_in, "OFPActionCopyTtlIn");
DEF(act_set_mpls_ttl, "OFPActionSetMplsTtl", 8, A, SPAN_LEN16, 2, BAC_LEN, AHDR,
    FU8(A, "mpls_ttl", u.set_mpls_ttl.mpls_ttl), FPAD(3));
ACT_EMPTY(act_dec_mpls_ttl, "OFPActionDecMplsTtl");
ACT_ETH(act_push_vlan, "OFPActionPushVlan");
ACT_EMPTY(act_pop_vlan, "OFPActionPopVlan");
ACT_ETH(act_push_mpls, "OFPActionPushMpls");
ACT_ETH(act_pop_mpls, "OFPActionPopMpls");
DEF(act_set_queue, "OFPActionSetQueue", 8, A, SPAN_LEN16, 2, BAC_LEN, AHDR,
    FU32(A, "queue_id", u.set_queue.queue_id));
DEF(act_group, "OFPActionGroup", 8, A, SPAN_LEN16, 2, BAC_LEN, AHDR,
    FU32(A, "group_id", u.group.group_id));
DEF(act_set_nw_ttl, "OFPActionSetNwTtl", 8, A, SPAN_LEN16, 2, BAC_LEN, AHDR,
    FU8(A, "nw_ttl", u.set_nw_ttl.nw_ttl), FPAD(3));
ACT_EMPTY(act_dec_nw_ttl, "OFPActionDecNwTtl");
DEF(act_set_field, "OFPActionSetField", 8, A, SPAN_LEN16, 2,
    SL_ERR(OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN),
    AHDR, FOBJ(A, "field", u.set_field, sl_ofp13_setfield_oxm_type), FALIGN8);
ACT_ETH(act_push_pbb, "OFPActionPushPbb");
ACT_EMPTY(act_pop_pbb, "OFPActionPopPbb");
/* Nicira's id gets its 16-bit subtype split out, as os-ken prints it. */
DEF(act_exp_nx, "NXActionUnknown", 10, A, SPAN_LEN16, 2, BAC_LEN, AHDR,
    FU32(A, "experimenter", u.experimenter.experimenter),
    FU16(A, "subtype", u.experimenter.subtype),
    FBYTES(A, "data", u.experimenter.data, u.experimenter.data_len));
DEF(act_exp_other, "OFPActionExperimenterUnknown", 8, A, SPAN_LEN16, 2, BAC_LEN, AHDR,
    FU32(A, "experimenter", u.experimenter.experimenter),
    FBYTES(A, "data", u.experimenter.data, u.experimenter.data_len));
static const struct sl_ofp_variant act_exp_v[] = { { SL_OFP_NX_EXPERIMENTER, &act_exp_nx } };
static const struct sl_ofp_variants act_exp_var = {
	.tag_off = 4, .tag_size = 4, .tag_coff = SL_MEMBER_OFF(A, u.experimenter.experimenter),
	.v = act_exp_v, .n = SL_ARRAY_LEN(act_exp_v), .fallback = &act_exp_other };
static const struct sl_ofp_type act_experimenter = {
	.csize = sizeof(A), .err_len = BAC_LEN, .var = &act_exp_var };

static const struct sl_ofp_variant action_v[] = {
	{ OFPAT_OUTPUT, &act_output }, { OFPAT_COPY_TTL_OUT, &act_copy_ttl_out },
	{ OFPAT_COPY_TTL_IN, &act_copy_ttl_in }, { OFPAT_SET_MPLS_TTL, &act_set_mpls_ttl },
	{ OFPAT_DEC_MPLS_TTL, &act_dec_mpls_ttl }, { OFPAT_PUSH_VLAN, &act_push_vlan },
	{ OFPAT_POP_VLAN, &act_pop_vlan }, { OFPAT_PUSH_MPLS, &act_push_mpls },
	{ OFPAT_POP_MPLS, &act_pop_mpls }, { OFPAT_SET_QUEUE, &act_set_queue },
	{ OFPAT_GROUP, &act_group }, { OFPAT_SET_NW_TTL, &act_set_nw_ttl },
	{ OFPAT_DEC_NW_TTL, &act_dec_nw_ttl }, { OFPAT_SET_FIELD, &act_set_field },
	{ OFPAT_PUSH_PBB, &act_push_pbb }, { OFPAT_POP_PBB, &act_pop_pbb },
	{ OFPAT_EXPERIMENTER, &act_experimenter },
};
static const struct sl_ofp_variants action_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(A, type), .v = action_v,
	.n = SL_ARRAY_LEN(action_v), .err_type = SL_ERR(OFPET_BAD_ACTION, OFPBAC_BAD_TYPE) };
const struct sl_ofp_type sl_ofp13_action_type = {
	.csize = sizeof(A), .pos_coff = SL_MEMBER_OFF(A, wire_off), .err_len = BAC_LEN,
	.var = &action_var };

/* ---------------- instructions ---------------- */
typedef struct sl_ofp_instruction I;
#define IHDR FU16(I, "type", type), FLEN("len")
#define BIC_LEN SL_ERR(OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN)
DEF(ins_goto, "OFPInstructionGotoTable", 8, I, SPAN_LEN16, 2, BIC_LEN, IHDR,
    FU8(I, "table_id", u.goto_table.table_id), FPAD(3));
DEF(ins_metadata, "OFPInstructionWriteMetadata", 24, I, SPAN_LEN16, 2, BIC_LEN, IHDR, FPAD(4),
    FU64(I, "metadata", u.write_metadata.metadata),
    FU64(I, "metadata_mask", u.write_metadata.metadata_mask));
DEF(ins_actions, "OFPInstructionActions", 8, I, SPAN_LEN16, 2, BIC_LEN, IHDR, FPAD(4),
    FLIST(I, "actions", u.actions.actions, u.actions.n_actions, sl_ofp13_action_type));
DEF(ins_meter, "OFPInstructionMeter", 8, I, SPAN_LEN16, 2, BIC_LEN, IHDR,
    FU32(I, "meter_id", u.meter.meter_id));
DEF(ins_experimenter, "OFPInstructionExperimenter", 8, I, SPAN_LEN16, 2, BIC_LEN, IHDR,
    FU32(I, "experimenter", u.experimenter.experimenter),
    FBYTES(I, "data", u.experimenter.data, u.experimenter.data_len));
/* OF1.5: decoded (opaque) only so that validation answers UNSUP_INST in
 * 1.5 and UNKNOWN_INST before, as the versions define it */
DEF(ins_stat_trigger, "OFPInstructionStatTrigger", 8, I, SPAN_LEN16, 2, BIC_LEN, IHDR,
    FBYTES(I, "data", u.stat_trigger.data, u.stat_trigger.data_len));
static const struct sl_ofp_variant ins_v[] = {
	{ OFPIT_GOTO_TABLE, &ins_goto }, { OFPIT_WRITE_METADATA, &ins_metadata },
	{ OFPIT_WRITE_ACTIONS, &ins_actions }, { OFPIT_APPLY_ACTIONS, &ins_actions },
	{ OFPIT_CLEAR_ACTIONS, &ins_actions }, { OFPIT_METER, &ins_meter },
	{ OFPIT_STAT_TRIGGER, &ins_stat_trigger }, { OFPIT_EXPERIMENTER, &ins_experimenter },
};
static const struct sl_ofp_variants ins_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(I, type), .v = ins_v,
	.n = SL_ARRAY_LEN(ins_v), .err_type = SL_ERR(OFPET_BAD_INSTRUCTION, OFPBIC_UNKNOWN_INST) };
const struct sl_ofp_type sl_ofp13_instruction_type = {
	.csize = sizeof(I), .pos_coff = SL_MEMBER_OFF(I, wire_off), .err_len = BIC_LEN,
	.var = &ins_var };

/* ---------------- buckets, bands, ports ---------------- */
typedef struct sl_ofp_bucket B;
DEFX(sl_ofp13_bucket_t, "OFPBucket", 16, B, SPAN_LEN16, 0,
     SL_ERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET),
    FLEN("len"), FU16(B, "weight", weight), FU32(B, "watch_port", watch_port),
    FU32(B, "watch_group", watch_group), FPAD(4),
    FLIST(B, "actions", actions, n_actions, sl_ofp13_action_type));

typedef struct sl_ofp_meter_band MB;
#define MBHDR FU16(MB, "type", type), FLEN("len"), FU32(MB, "rate", rate), \
	FU32(MB, "burst_size", burst_size)
#define MM_BAND SL_ERR(OFPET_METER_MOD_FAILED, OFPMMFC_BAD_BAND)
DEF(band_drop, "OFPMeterBandDrop", 16, MB, SPAN_LEN16, 2, MM_BAND, MBHDR, FPAD(4));
DEF(band_dscp, "OFPMeterBandDscpRemark", 16, MB, SPAN_LEN16, 2, MM_BAND, MBHDR,
    FU8(MB, "prec_level", prec_level), FPAD(3));
DEF(band_exp, "OFPMeterBandExperimenter", 16, MB, SPAN_LEN16, 2, MM_BAND, MBHDR,
    FU32(MB, "experimenter", experimenter), FBYTES(MB, NULL, data, data_len));
static const struct sl_ofp_variant band_v[] = {
	{ OFPMBT_DROP, &band_drop }, { OFPMBT_DSCP_REMARK, &band_dscp },
	{ OFPMBT_EXPERIMENTER, &band_exp },
};
static const struct sl_ofp_variants band_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(MB, type), .v = band_v,
	.n = SL_ARRAY_LEN(band_v), .err_type = MM_BAND };
const struct sl_ofp_type sl_ofp13_band_t = {
	.csize = sizeof(MB), .err_len = MM_BAND, .var = &band_var };

typedef struct sl_ofp_port P;
DEFX(sl_ofp13_port_t, "OFPPort", 64, P, SPAN_FIXED, 0, BRC_LEN,
    FU32(P, "port_no", port_no), FPAD(4), FMAC(P, "hw_addr", hw_addr), FPAD(2),
    FSTR(P, "name", name), FU32(P, "config", config), FU32(P, "state", state),
    FU32(P, "curr", curr), FU32(P, "advertised", advertised), FU32(P, "supported", supported),
    FU32(P, "peer", peer), FU32(P, "curr_speed", curr_speed), FU32(P, "max_speed", max_speed));

/* ---------------- hello elements ---------------- */
typedef struct sl_ofp_hello_elem HE;
DEF(hello_bitmap, "OFPHelloElemVersionBitmap", 4, HE, SPAN_LEN16_PAD8, 2,
    SL_ERR(OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE),
    FU16(HE, "type", type), FLEN("length"), FBITMAP(HE, "versions", bitmaps, n_bitmaps));
/* Unknown elements must be ignored (OF1.3 7.5.1): kept opaque. */
DEF(hello_unknown, "OFPHelloElemUnknown", 4, HE, SPAN_LEN16_PAD8, 2,
    SL_ERR(OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE),
    FU16(HE, "type", type), FLEN("length"), FBYTES(HE, "data", data, data_len));
static const struct sl_ofp_variant hello_v[] = { { OFPHET_VERSIONBITMAP, &hello_bitmap } };
static const struct sl_ofp_variants hello_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(HE, type), .v = hello_v,
	.n = SL_ARRAY_LEN(hello_v), .fallback = &hello_unknown };
const struct sl_ofp_type sl_ofp13_hello_elem_t = {
	.csize = sizeof(HE), .err_len = SL_ERR(OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE),
	.var = &hello_var };

/* ---------------- queues ---------------- */
typedef struct sl_ofp_queue_prop QP;
#define QPHDR FU16(QP, "property", property), FLEN("len"), FPAD(4)
DEF(qp_min, "OFPQueuePropMinRate", 16, QP, SPAN_LEN16, 2, BRC_LEN, QPHDR,
    FU16(QP, "rate", rate), FPAD(6));
DEF(qp_max, "OFPQueuePropMaxRate", 16, QP, SPAN_LEN16, 2, BRC_LEN, QPHDR,
    FU16(QP, "rate", rate), FPAD(6));
DEF(qp_exp, "OFPQueuePropExperimenter", 16, QP, SPAN_LEN16, 2, BRC_LEN, QPHDR,
    FU32(QP, "experimenter", experimenter), FPAD(4), FU8LIST(QP, "data", data, n_data));
static const struct sl_ofp_variant qp_v[] = {
	{ OFPQT_MIN_RATE, &qp_min }, { OFPQT_MAX_RATE, &qp_max }, { OFPQT_EXPERIMENTER, &qp_exp },
};
static const struct sl_ofp_variants qp_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(QP, property), .v = qp_v,
	.n = SL_ARRAY_LEN(qp_v), .err_type = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE) };
static const struct sl_ofp_type qprop_t = {
	.csize = sizeof(QP), .err_len = BRC_LEN, .var = &qp_var };

typedef struct sl_ofp_packet_queue PQ;
DEFX(sl_ofp13_queue_t, "OFPPacketQueue", 16, PQ, SPAN_LEN16, 8, BRC_LEN,
    FU32(PQ, "queue_id", queue_id), FU32(PQ, "port", port), FLEN("len"), FPAD(6),
    FLIST(PQ, "properties", properties, n_properties, qprop_t));

/* ---------------- stats entries ---------------- */
typedef struct sl_ofp_flow_stats FS;
DEFX(sl_ofp13_flow_stats_t, "OFPFlowStats", 48, FS, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU8(FS, "table_id", table_id), FPAD(1),
    FU32(FS, "duration_sec", duration_sec), FU32(FS, "duration_nsec", duration_nsec),
    FU16(FS, "priority", priority), FU16(FS, "idle_timeout", idle_timeout),
    FU16(FS, "hard_timeout", hard_timeout), FU16(FS, "flags", flags), FPAD(4),
    FU64(FS, "cookie", cookie), FU64(FS, "packet_count", packet_count),
    FU64(FS, "byte_count", byte_count), FOBJ(FS, "match", match, sl_ofp13_match_type),
    FLIST(FS, "instructions", instructions, n_instructions, sl_ofp13_instruction_type));

typedef struct sl_ofp_table_stats TS;
DEFX(sl_ofp13_table_stats_t, "OFPTableStats", 24, TS, SPAN_FIXED, 0, BRC_LEN,
    FU8(TS, "table_id", table_id), FPAD(3), FU32(TS, "active_count", active_count),
    FU64(TS, "lookup_count", lookup_count), FU64(TS, "matched_count", matched_count));

typedef struct sl_ofp_port_stats PS;
DEFX(sl_ofp13_port_stats_t, "OFPPortStats", 112, PS, SPAN_FIXED, 0, BRC_LEN,
    FU32(PS, "port_no", port_no), FPAD(4), FU64(PS, "rx_packets", rx_packets),
    FU64(PS, "tx_packets", tx_packets), FU64(PS, "rx_bytes", rx_bytes),
    FU64(PS, "tx_bytes", tx_bytes), FU64(PS, "rx_dropped", rx_dropped),
    FU64(PS, "tx_dropped", tx_dropped), FU64(PS, "rx_errors", rx_errors),
    FU64(PS, "tx_errors", tx_errors), FU64(PS, "rx_frame_err", rx_frame_err),
    FU64(PS, "rx_over_err", rx_over_err), FU64(PS, "rx_crc_err", rx_crc_err),
    FU64(PS, "collisions", collisions), FU32(PS, "duration_sec", duration_sec),
    FU32(PS, "duration_nsec", duration_nsec));

typedef struct sl_ofp_queue_stats QS;
DEFX(sl_ofp13_queue_stats_t, "OFPQueueStats", 40, QS, SPAN_FIXED, 0, BRC_LEN,
    FU32(QS, "port_no", port_no), FU32(QS, "queue_id", queue_id),
    FU64(QS, "tx_bytes", tx_bytes), FU64(QS, "tx_packets", tx_packets),
    FU64(QS, "tx_errors", tx_errors), FU32(QS, "duration_sec", duration_sec),
    FU32(QS, "duration_nsec", duration_nsec));

typedef struct sl_ofp_bucket_counter BC;
DEF(bucket_counter_t, "OFPBucketCounter", 16, BC, SPAN_FIXED, 0, BRC_LEN,
    FU64(BC, "packet_count", packet_count), FU64(BC, "byte_count", byte_count));
typedef struct sl_ofp_group_stats GS;
DEFX(sl_ofp13_group_stats_t, "OFPGroupStats", 40, GS, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FPAD(2), FU32(GS, "group_id", group_id), FU32(GS, "ref_count", ref_count),
    FPAD(4), FU64(GS, "packet_count", packet_count), FU64(GS, "byte_count", byte_count),
    FU32(GS, "duration_sec", duration_sec), FU32(GS, "duration_nsec", duration_nsec),
    FLIST(GS, "bucket_stats", bucket_stats, n_bucket_stats, bucket_counter_t));

typedef struct sl_ofp_group_desc GD;
DEFX(sl_ofp13_group_desc_t, "OFPGroupDescStats", 8, GD, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU8(GD, "type", type), FPAD(1), FU32(GD, "group_id", group_id),
    FLIST(GD, "buckets", buckets, n_buckets, sl_ofp13_bucket_t));

typedef struct sl_ofp_meter_band_stats MBS;
DEF(band_stats_t, "OFPMeterBandStats", 16, MBS, SPAN_FIXED, 0, BRC_LEN,
    FU64(MBS, "packet_band_count", packet_band_count),
    FU64(MBS, "byte_band_count", byte_band_count));
typedef struct sl_ofp_meter_stats MS;
DEFX(sl_ofp13_meter_stats_t, "OFPMeterStats", 40, MS, SPAN_LEN16, 4, BRC_LEN,
    FU32(MS, "meter_id", meter_id), FLEN("len"), FPAD(6), FU32(MS, "flow_count", flow_count),
    FU64(MS, "packet_in_count", packet_in_count), FU64(MS, "byte_in_count", byte_in_count),
    FU32(MS, "duration_sec", duration_sec), FU32(MS, "duration_nsec", duration_nsec),
    FLIST(MS, "band_stats", band_stats, n_band_stats, band_stats_t));

typedef struct sl_ofp_meter_config MC;
DEFX(sl_ofp13_meter_config_t, "OFPMeterConfigStats", 8, MC, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU16(MC, "flags", flags), FU32(MC, "meter_id", meter_id),
    FLIST(MC, "bands", bands, n_bands, sl_ofp13_band_t));

/* ---------------- table features ---------------- */
typedef struct sl_ofp_tf_id TI;
#define TFC_LEN SL_ERR(OFPET_TABLE_FEATURES_FAILED, OFPTFFC_BAD_LEN)
DEF(ins_id, "OFPInstructionId", 4, TI, SPAN_LEN16, 2, TFC_LEN, FU16(TI, "type", type), FLEN("len"));
DEF(ins_id_exp, "OFPInstructionId", 8, TI, SPAN_LEN16, 2, TFC_LEN, FU16(TI, "type", type),
    FLEN("len"), FU32(TI, "experimenter", experimenter));
DEF(act_id, "OFPActionId", 4, TI, SPAN_LEN16, 2, TFC_LEN, FU16(TI, "type", type), FLEN("len"));
DEF(act_id_exp, "OFPActionId", 8, TI, SPAN_LEN16, 2, TFC_LEN, FU16(TI, "type", type),
    FLEN("len"), FU32(TI, "experimenter", experimenter));
static const struct sl_ofp_variant ins_id_v[] = { { OFPIT_EXPERIMENTER, &ins_id_exp } };
static const struct sl_ofp_variants ins_id_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(TI, type), .v = ins_id_v, .n = 1,
	.fallback = &ins_id };
static const struct sl_ofp_type ins_id_t = {
	.csize = sizeof(TI), .err_len = TFC_LEN, .var = &ins_id_var };
static const struct sl_ofp_variant act_id_v[] = { { OFPAT_EXPERIMENTER, &act_id_exp } };
static const struct sl_ofp_variants act_id_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(TI, type), .v = act_id_v, .n = 1,
	.fallback = &act_id };
static const struct sl_ofp_type act_id_t = {
	.csize = sizeof(TI), .err_len = TFC_LEN, .var = &act_id_var };

typedef struct sl_ofp_table_feature_prop TP;
#define TPHDR FU16(TP, "type", type), FLEN("length")
DEF(tfp_ins, "OFPTableFeaturePropInstructions", 4, TP, SPAN_LEN16_PAD8, 2, TFC_LEN, TPHDR,
    FLIST(TP, "instruction_ids", ids, n_ids, ins_id_t));
DEF(tfp_next, "OFPTableFeaturePropNextTables", 4, TP, SPAN_LEN16_PAD8, 2, TFC_LEN, TPHDR,
    FU8LIST(TP, "table_ids", table_ids, n_table_ids));
DEF(tfp_act, "OFPTableFeaturePropActions", 4, TP, SPAN_LEN16_PAD8, 2, TFC_LEN, TPHDR,
    FLIST(TP, "action_ids", ids, n_ids, act_id_t));
DEF(tfp_oxm, "OFPTableFeaturePropOxm", 4, TP, SPAN_LEN16_PAD8, 2, TFC_LEN, TPHDR,
    FLIST(TP, "oxm_ids", oxm_ids, n_oxm_ids, sl_ofp13_oxm_id_type));
/* OF1.5 packet types: whole OXM TLVs (packet_type values), as in a match */
DEF(tfp_oxm_values, "OFPTableFeaturePropOxmValues", 4, TP, SPAN_LEN16_PAD8, 2, TFC_LEN, TPHDR,
    FLIST(TP, "oxm_values", oxm_values, n_oxm_values, sl_ofp13_oxm_type));
DEF(tfp_exp, "OFPTableFeaturePropExperimenter", 12, TP, SPAN_LEN16_PAD8, 2, TFC_LEN, TPHDR,
    FU32(TP, "experimenter", experimenter), FU32(TP, "exp_type", exp_type),
    FU32LIST(TP, "data", data, n_data));
static const struct sl_ofp_variant tfp_v[] = {
	{ OFPTFPT_INSTRUCTIONS, &tfp_ins }, { OFPTFPT_INSTRUCTIONS_MISS, &tfp_ins },
	{ OFPTFPT_NEXT_TABLES, &tfp_next }, { OFPTFPT_NEXT_TABLES_MISS, &tfp_next },
	{ OFPTFPT_WRITE_ACTIONS, &tfp_act }, { OFPTFPT_WRITE_ACTIONS_MISS, &tfp_act },
	{ OFPTFPT_APPLY_ACTIONS, &tfp_act }, { OFPTFPT_APPLY_ACTIONS_MISS, &tfp_act },
	{ OFPTFPT_MATCH, &tfp_oxm }, { OFPTFPT_WILDCARDS, &tfp_oxm },
	{ OFPTFPT_WRITE_SETFIELD, &tfp_oxm }, { OFPTFPT_WRITE_SETFIELD_MISS, &tfp_oxm },
	{ OFPTFPT_APPLY_SETFIELD, &tfp_oxm }, { OFPTFPT_APPLY_SETFIELD_MISS, &tfp_oxm },
	/* OF1.5 (the layout is shared by every version's table features) */
	{ OFPTFPT_WRITE_COPYFIELD, &tfp_oxm }, { OFPTFPT_WRITE_COPYFIELD_MISS, &tfp_oxm },
	{ OFPTFPT_APPLY_COPYFIELD, &tfp_oxm }, { OFPTFPT_APPLY_COPYFIELD_MISS, &tfp_oxm },
	{ OFPTFPT_PACKET_TYPES, &tfp_oxm_values },
	{ OFPTFPT_EXPERIMENTER, &tfp_exp }, { OFPTFPT_EXPERIMENTER_MISS, &tfp_exp },
};
static const struct sl_ofp_variants tfp_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(TP, type), .v = tfp_v,
	.n = SL_ARRAY_LEN(tfp_v), .err_type = SL_ERR(OFPET_TABLE_FEATURES_FAILED, OFPTFFC_BAD_TYPE) };
const struct sl_ofp_type sl_ofp13_tf_prop_t = {
	.csize = sizeof(TP), .err_len = TFC_LEN, .var = &tfp_var };

typedef struct sl_ofp_table_features TF;
DEFX(sl_ofp13_table_features_t, "OFPTableFeaturesStats", 64, TF, SPAN_LEN16, 0, TFC_LEN,
    FLEN("length"), FU8(TF, "table_id", table_id), FPAD(5), FSTR(TF, "name", name),
    FU64(TF, "metadata_match", metadata_match), FU64(TF, "metadata_write", metadata_write),
    FU32(TF, "config", config), FU32(TF, "max_entries", max_entries),
    FLIST(TF, "properties", properties, n_properties, sl_ofp13_tf_prop_t));
