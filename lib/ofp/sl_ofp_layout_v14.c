/* OF1.4 and OF1.5 wire layouts: only what changed since OF1.3.
 *
 * Each version's message table lists (a) the layouts that differ from
 * OF1.3, (b) an explicit refusal for every OF1.3 type whose layout or
 * meaning changed and that is not implemented here, and (c) falls back to
 * the OF1.3 table for the rest, whose wire layout is the same. Types new in
 * 1.4/1.5 that are absent here fall through to OF1.3, which does not know
 * them either: OFPBRC_BAD_TYPE / OFPBRC_BAD_MULTIPART. So nothing is ever
 * decoded or encoded with a layout of the wrong version. */
#include "openflow_v14.h"
#include "sl_ofp_desc.h"
#include "sl_ofp_layout.h"

typedef struct sl_ofp_msg M;

#define BRC_LEN SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN)
#define MSG_HDR FU8(M, NULL, version), FU8(M, NULL, type), FLEN(NULL), FU32(M, NULL, xid)
#define MP_HDR MSG_HDR, FU16(M, "type", u.multipart.type),                            \
	FU16(M, "flags", u.multipart.flags), FPAD(4)
#define MSG(var, ryu, minlen, ...)                                                    \
	static const struct sl_ofp_field var##_f[] = { MSG_HDR, __VA_ARGS__ };           \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(M), .span = SPAN_LEN16,  \
		.len_off = 2, .err_len = BRC_LEN, .fields = var##_f,                      \
		.n_fields = SL_ARRAY_LEN(var##_f) }
#define MP(var, ryu, minlen, ...)                                                     \
	static const struct sl_ofp_field var##_f[] = { MP_HDR, __VA_ARGS__ };            \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(M), .span = SPAN_LEN16,  \
		.len_off = 2, .err_len = BRC_LEN, .fields = var##_f,                      \
		.n_fields = SL_ARRAY_LEN(var##_f) }
#define DEF(var, ryu, minlen, C, spanmode, lenoff, err, ...)                        \
	static const struct sl_ofp_field var##_f[] = { __VA_ARGS__ };                    \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(C), .span = spanmode,    \
		.len_off = lenoff, .err_len = err, .fields = var##_f,                     \
		.n_fields = SL_ARRAY_LEN(var##_f) }
#define MPBODY(m) u.multipart.body.m
#define BODY_LIST(m, T) FLIST(M, "body", MPBODY(m.items), MPBODY(m.n), T)

/* A variant node that matches no tag: decoding answers its error, encoding
 * fails with -EINVAL. */
#define REFUSE(nm, off, size, coff, etype, ecode)                                    \
	static const struct sl_ofp_variants nm##_var = {                                \
		.tag_off = off, .tag_size = size, .tag_coff = coff,                       \
		.err_type = SL_ERR(etype, ecode) };                                      \
	static const struct sl_ofp_type nm = {                                          \
		.csize = sizeof(M), .err_len = BRC_LEN, .var = &nm##_var }
REFUSE(refuse_msg, 1, 1, SL_MEMBER_OFF(M, type), OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
REFUSE(refuse_mp, 8, 2, SL_MEMBER_OFF(M, u.multipart.type), OFPET_BAD_REQUEST,
       OFPBRC_BAD_MULTIPART);

/* ---------------- properties (OF1.4 7.2.1.1, 7.3.4.3, 7.2.1.2) ---------------- */
typedef struct sl_ofp_prop PR;
#define PHDR FU16(PR, "type", type), FLEN("length")
#define BPC_LEN SL_ERR(OFPET_BAD_PROPERTY, OFPBPC_BAD_LEN)
/* Experimenter properties: os-ken names their class after the object. */
#define PROP_EXP(nm, ryu)                                                             \
	DEF(nm, ryu, 12, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,                           \
	    FU32(PR, "experimenter", u.experimenter.experimenter),                        \
	    FU32(PR, "exp_type", u.experimenter.exp_type),                                \
	    FU32LIST(PR, "data", u.experimenter.data, u.experimenter.n_data))
PROP_EXP(port_exp, "OFPPortDescPropExperimenter");
PROP_EXP(stats_exp, "OFPPortStatsPropExperimenter");
PROP_EXP(mod_exp, "OFPPortModPropExperimenter");
PROP_EXP(table_exp, "OFPTableModPropExperimenter");
PROP_EXP(prop_exp, "OFPPropExperimenter");
/* Any other type: its bytes, kept as they came so a reply re-encodes
 * identically; whoever acts on a property looks at its type and refuses
 * what it does not implement. */
DEF(prop_opaque, "OFPPropUnknown", 4, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FBYTES(PR, "data", u.opaque.data, u.opaque.data_len));

DEF(port_eth, "OFPPortDescPropEthernet", 32, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR, FPAD(4),
    FU32(PR, "curr", u.port_eth.curr), FU32(PR, "advertised", u.port_eth.advertised),
    FU32(PR, "supported", u.port_eth.supported), FU32(PR, "peer", u.port_eth.peer),
    FU32(PR, "curr_speed", u.port_eth.curr_speed),
    FU32(PR, "max_speed", u.port_eth.max_speed));
DEF(port_optical, "OFPPortDescPropOptical", 40, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR, FPAD(4),
    FU32(PR, "supported", u.port_optical.supported),
    FU32(PR, "tx_min_freq_lmda", u.port_optical.tx_min_freq_lmda),
    FU32(PR, "tx_max_freq_lmda", u.port_optical.tx_max_freq_lmda),
    FU32(PR, "tx_grid_freq_lmda", u.port_optical.tx_grid_freq_lmda),
    FU32(PR, "rx_min_freq_lmda", u.port_optical.rx_min_freq_lmda),
    FU32(PR, "rx_max_freq_lmda", u.port_optical.rx_max_freq_lmda),
    FU32(PR, "rx_grid_freq_lmda", u.port_optical.rx_grid_freq_lmda),
    FU16(PR, "tx_pwr_min", u.port_optical.tx_pwr_min),
    FU16(PR, "tx_pwr_max", u.port_optical.tx_pwr_max));
DEF(stats_eth, "OFPPortStatsPropEthernet", 40, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR, FPAD(4),
    FU64(PR, "rx_frame_err", u.stats_eth.rx_frame_err),
    FU64(PR, "rx_over_err", u.stats_eth.rx_over_err),
    FU64(PR, "rx_crc_err", u.stats_eth.rx_crc_err),
    FU64(PR, "collisions", u.stats_eth.collisions));
DEF(stats_optical, "OFPPortStatsPropOptical", 44, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR, FPAD(4),
    FU32(PR, "flags", u.stats_optical.flags),
    FU32(PR, "tx_freq_lmda", u.stats_optical.tx_freq_lmda),
    FU32(PR, "tx_offset", u.stats_optical.tx_offset),
    FU32(PR, "tx_grid_span", u.stats_optical.tx_grid_span),
    FU32(PR, "rx_freq_lmda", u.stats_optical.rx_freq_lmda),
    FU32(PR, "rx_offset", u.stats_optical.rx_offset),
    FU32(PR, "rx_grid_span", u.stats_optical.rx_grid_span),
    FU16(PR, "tx_pwr", u.stats_optical.tx_pwr), FU16(PR, "rx_pwr", u.stats_optical.rx_pwr),
    FU16(PR, "bias_current", u.stats_optical.bias_current),
    FU16(PR, "temperature", u.stats_optical.temperature));
DEF(mod_eth, "OFPPortModPropEthernet", 8, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FU32(PR, "advertise", u.mod_eth.advertise));
DEF(mod_optical, "OFPPortModPropOptical", 24, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FU32(PR, "configure", u.mod_optical.configure),
    FU32(PR, "freq_lmda", u.mod_optical.freq_lmda),
    FU32(PR, "fl_offset", u.mod_optical.fl_offset),
    FU32(PR, "grid_span", u.mod_optical.grid_span), FU32(PR, "tx_pwr", u.mod_optical.tx_pwr));
DEF(table_eviction, "OFPTableModPropEviction", 8, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FU32(PR, "flags", u.eviction.flags));
DEF(table_vacancy, "OFPTableModPropVacancy", 8, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FU8(PR, "vacancy_down", u.vacancy.vacancy_down),
    FU8(PR, "vacancy_up", u.vacancy.vacancy_up), FU8(PR, "vacancy", u.vacancy.vacancy), FPAD(1));

/* Type 0 and 1 are ethernet and optical for ports, port stats and port-mod;
 * table-mod's are eviction (2) and vacancy (3). */
#define PROP_SET(nm, t0, a, t1, b, exp)                                               \
	static const struct sl_ofp_variant nm##_v[] = {                                  \
		{ t0, &(a) }, { t1, &(b) }, { OFPPDPT_EXPERIMENTER, &(exp) } };            \
	static const struct sl_ofp_variants nm##_var = {                                 \
		.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(PR, type),         \
		.v = nm##_v, .n = 3, .fallback = &prop_opaque };                          \
	static const struct sl_ofp_type nm = {                                           \
		.csize = sizeof(PR), .err_len = BPC_LEN, .var = &nm##_var }
PROP_SET(port_prop_t, OFPPDPT_ETHERNET, port_eth, OFPPDPT_OPTICAL, port_optical, port_exp);
PROP_SET(stats_prop_t, OFPPDPT_ETHERNET, stats_eth, OFPPDPT_OPTICAL, stats_optical, stats_exp);
PROP_SET(mod_prop_t, OFPPDPT_ETHERNET, mod_eth, OFPPDPT_OPTICAL, mod_optical, mod_exp);
PROP_SET(table_prop_t, 2, table_eviction, 3, table_vacancy, table_exp);
/* The same set for table desc and table status (sl_ofp_table14.c). */
const struct sl_ofp_type sl_ofp14_table_prop_type = { .csize = sizeof(PR), .err_len = BPC_LEN,
						      .var = &table_prop_t_var };
static const struct sl_ofp_variants generic_prop_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(PR, type),
	.v = (const struct sl_ofp_variant[]){ { OFPPDPT_EXPERIMENTER, &prop_exp } }, .n = 1,
	.fallback = &prop_opaque };
static const struct sl_ofp_type generic_prop_t = {
	.csize = sizeof(PR), .err_len = BPC_LEN, .var = &generic_prop_var };

/* OF1.5 meter action; actions and instructions that may hold it. */
typedef struct sl_ofp_action A;
DEF(act_meter15, "OFPActionMeter", 8, A, SPAN_LEN16, 2, SL_ERR(OFPET_BAD_ACTION, OFPBAC_BAD_LEN),
    FU16(A, "type", type), FLEN("len"), FU32(A, "meter_id", u.meter.meter_id));
/* copy-field: two OXM headers (8 bytes for an experimenter one), then
 * padding to 8 (a length os-ken writes as 20, unpadded, is refused) */
DEF(act_copy_field15, "OFPActionCopyField", 20, A, SPAN_LEN16, 2,
    SL_ERR(OFPET_BAD_ACTION, OFPBAC_BAD_LEN), FU16(A, "type", type), FLEN("len"),
    FU16(A, "n_bits", u.copy_field.n_bits), FU16(A, "src_offset", u.copy_field.src_offset),
    FU16(A, "dst_offset", u.copy_field.dst_offset), FPAD(2),
    FOBJ(A, "src", u.copy_field.src, sl_ofp13_oxm_id_type),
    FOBJ(A, "dst", u.copy_field.dst, sl_ofp13_oxm_id_type), FALIGN8);
static const struct sl_ofp_variant action15_v[] = { { OFPAT_METER, &act_meter15 },
						    { OFPAT_COPY_FIELD, &act_copy_field15 } };
static const struct sl_ofp_variants action15_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(A, type), .v = action15_v,
	.n = SL_ARRAY_LEN(action15_v),
	.fallback = &sl_ofp13_action_type };
static const struct sl_ofp_type action15_t = {
	.csize = sizeof(A), .pos_coff = SL_MEMBER_OFF(A, wire_off),
	.err_len = SL_ERR(OFPET_BAD_ACTION, OFPBAC_BAD_LEN), .var = &action15_var };
typedef struct sl_ofp_instruction I;
DEF(ins_actions15, "OFPInstructionActions", 8, I, SPAN_LEN16, 2,
    SL_ERR(OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN), FU16(I, "type", type), FLEN("len"), FPAD(4),
    FLIST(I, "actions", u.actions.actions, u.actions.n_actions, action15_t));
static const struct sl_ofp_variant ins15_v[] = {
	{ OFPIT_WRITE_ACTIONS, &ins_actions15 }, { OFPIT_APPLY_ACTIONS, &ins_actions15 },
	{ OFPIT_CLEAR_ACTIONS, &ins_actions15 } };
static const struct sl_ofp_variants ins15_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(I, type), .v = ins15_v,
	.n = SL_ARRAY_LEN(ins15_v), .fallback = &sl_ofp13_instruction_type };
static const struct sl_ofp_type instruction15_t = {
	.csize = sizeof(I), .pos_coff = SL_MEMBER_OFF(I, wire_off),
	.err_len = SL_ERR(OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN), .var = &ins15_var };

/* OF1.5 bucket properties (7.3.4.2). */
DEF(bucket_weight, "OFPGroupBucketPropWeight", 8, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FU16(PR, "weight", u.weight.weight), FPAD(2));
DEF(bucket_watch, "OFPGroupBucketPropWatch", 8, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FU32(PR, "watch", u.watch.id));
PROP_EXP(bucket_exp, "OFPGroupBucketPropExperimenter");
static const struct sl_ofp_variant bucket_prop_v[] = {
	{ 0, &bucket_weight }, { 1, &bucket_watch }, { 2, &bucket_watch },
	{ OFPPDPT_EXPERIMENTER, &bucket_exp } };
static const struct sl_ofp_variants bucket_prop_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(PR, type), .v = bucket_prop_v,
	.n = SL_ARRAY_LEN(bucket_prop_v), .fallback = &prop_opaque };
static const struct sl_ofp_type bucket_prop_t = {
	.csize = sizeof(PR), .err_len = BPC_LEN, .var = &bucket_prop_var };

typedef struct sl_ofp_bucket B;
DEF(bucket15_t, "OFPBucket", 8, B, SPAN_LEN16, 0, SL_ERR(OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET),
    FLEN("len"), FSUBLEN("action_array_len"), FU32(B, "bucket_id", bucket_id),
    FLIST(B, "actions", actions, n_actions, action15_t),
    FLIST(B, "properties", properties, n_properties, bucket_prop_t));
typedef struct sl_ofp_group_desc GD;
DEF(group_desc15_t, "OFPGroupDescStats", 16, GD, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU8(GD, "type", type), FPAD(1), FU32(GD, "group_id", group_id),
    FSUBLEN("bucket_array_len"), FPAD(6), FLIST(GD, "buckets", buckets, n_buckets, bucket15_t),
    FLIST(GD, "properties", properties, n_properties, generic_prop_t));

/* OF1.4 async config properties (7.3.10): one reason mask each, types
 * 0..13 (slave, master pairs), experimenter 0xfffe/0xffff. */
DEF(async_mask, "OFPAsyncConfigPropReasons", 8, PR, SPAN_LEN16_PAD8, 2, BPC_LEN, PHDR,
    FU32(PR, "mask", u.async.mask));
PROP_EXP(async_exp, "OFPAsyncConfigPropExperimenter");
#define AM(t) { t, &async_mask }
static const struct sl_ofp_variant async_prop_v[] = {
	AM(0), AM(1), AM(2), AM(3), AM(4), AM(5), AM(6), AM(7), AM(8), AM(9), AM(10), AM(11),
	AM(12), AM(13), { 0xfffe, &async_exp }, { 0xffff, &async_exp } };
static const struct sl_ofp_variants async_prop_var = {
	.tag_off = 0, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(PR, type), .v = async_prop_v,
	.n = SL_ARRAY_LEN(async_prop_v), .fallback = &prop_opaque };
static const struct sl_ofp_type async_prop_t = {
	.csize = sizeof(PR), .err_len = BPC_LEN, .var = &async_prop_var };

/* ---------------- ports and port stats ---------------- */
typedef struct sl_ofp_port P;
DEF(port14_t, "OFPPort", 40, P, SPAN_LEN16, 4, BRC_LEN,
    FU32(P, "port_no", port_no), FLEN("length"), FPAD(2), FMAC(P, "hw_addr", hw_addr),
    FPAD(2), FSTR(P, "name", name), FU32(P, "config", config), FU32(P, "state", state),
    FLIST(P, "properties", properties, n_properties, port_prop_t));

typedef struct sl_ofp_port_stats PS;
DEF(port_stats14_t, "OFPPortStats", 80, PS, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FPAD(2), FU32(PS, "port_no", port_no),
    FU32(PS, "duration_sec", duration_sec), FU32(PS, "duration_nsec", duration_nsec),
    FU64(PS, "rx_packets", rx_packets), FU64(PS, "tx_packets", tx_packets),
    FU64(PS, "rx_bytes", rx_bytes), FU64(PS, "tx_bytes", tx_bytes),
    FU64(PS, "rx_dropped", rx_dropped), FU64(PS, "tx_dropped", tx_dropped),
    FU64(PS, "rx_errors", rx_errors), FU64(PS, "tx_errors", tx_errors),
    FLIST(PS, "properties", properties, n_properties, stats_prop_t));

typedef struct sl_ofp_queue_stats QS;
DEF(queue_stats14_t, "OFPQueueStats", 48, QS, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FPAD(6), FU32(QS, "port_no", port_no), FU32(QS, "queue_id", queue_id),
    FU64(QS, "tx_bytes", tx_bytes), FU64(QS, "tx_packets", tx_packets),
    FU64(QS, "tx_errors", tx_errors), FU32(QS, "duration_sec", duration_sec),
    FU32(QS, "duration_nsec", duration_nsec),
    FLIST(QS, "properties", properties, n_properties, generic_prop_t));

/* ---------------- flow stats ---------------- */
typedef struct sl_ofp_flow_stats FS;
DEF(flow_stats14_t, "OFPFlowStats", 56, FS, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FU8(FS, "table_id", table_id), FPAD(1),
    FU32(FS, "duration_sec", duration_sec), FU32(FS, "duration_nsec", duration_nsec),
    FU16(FS, "priority", priority), FU16(FS, "idle_timeout", idle_timeout),
    FU16(FS, "hard_timeout", hard_timeout), FU16(FS, "flags", flags),
    FU16(FS, "importance", importance), FPAD(2),
    FU64(FS, "cookie", cookie), FU64(FS, "packet_count", packet_count),
    FU64(FS, "byte_count", byte_count), FOBJ(FS, "match", match, sl_ofp13_match_type),
    FLIST(FS, "instructions", instructions, n_instructions, sl_ofp13_instruction_type));

/* OF1.5 OXS statistics (7.2.4): TLVs keyed by the field byte, in an
 * ofp_stats header padded to 8 like a match. */
typedef struct sl_ofp_oxs_stat OX;
#define OXHDR FU16(OX, "oxs_class", oxs_class), FU8(OX, "field", field), \
	FU8(OX, "length", length)
DEF(oxs_u64, "OXSTlv", 12, OX, SPAN_FIXED, 0, BRC_LEN, OXHDR, FU64(OX, "value", value));
DEF(oxs_u32, "OXSTlv", 8, OX, SPAN_FIXED, 0, BRC_LEN, OXHDR, FU32(OX, "value", value));
static const struct sl_ofp_variant oxs_v[] = {
	{ 0 << 1, &oxs_u64 }, /* duration */
	{ 1 << 1, &oxs_u64 }, /* idle_time */
	{ 3 << 1, &oxs_u32 }, /* flow_count */
	{ 4 << 1, &oxs_u64 }, /* packet_count */
	{ 5 << 1, &oxs_u64 }, /* byte_count */
};
static const struct sl_ofp_variants oxs_var = {
	.tag_off = 2, .tag_size = 1, .tag_coff = SL_MEMBER_OFF(OX, field), .v = oxs_v,
	.n = SL_ARRAY_LEN(oxs_v), .err_type = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE) };
static const struct sl_ofp_type oxs_t = { .csize = sizeof(OX), .err_len = BRC_LEN, .var = &oxs_var };

DEF(flow_stats15_oxs, "OFPStats", 4, FS, SPAN_LEN16_PAD8, 2, BRC_LEN,
    FPAD(2), FLEN("length"), FLIST(FS, "oxs_fields", stats, n_stats, oxs_t));
/* The stats object is embedded at offset 0: it reads the flow's own list. */
#define FSELF(n, T) { n, SLK_OBJ, 0, 0, 0, &(T) }
DEF(flow_desc15_t, "OFPFlowDesc", 32, FS, SPAN_LEN16, 0, BRC_LEN,
    FLEN("length"), FPAD(2), FU8(FS, "table_id", table_id), FPAD(1),
    FU16(FS, "priority", priority), FU16(FS, "idle_timeout", idle_timeout),
    FU16(FS, "hard_timeout", hard_timeout), FU16(FS, "flags", flags),
    FU16(FS, "importance", importance), FU64(FS, "cookie", cookie),
    FOBJ(FS, "match", match, sl_ofp13_match_type), FSELF("stats", flow_stats15_oxs),
    FLIST(FS, "instructions", instructions, n_instructions, instruction15_t));
typedef struct sl_ofp_aggregate_stats AG;
DEF(aggregate15_body, "OFPStats", 4, AG, SPAN_LEN16_PAD8, 2, BRC_LEN,
    FPAD(2), FLEN("length"), FLIST(AG, "oxs_fields", stats, n_stats, oxs_t));

/* OF1.5 table features: command and features where OF1.3 had padding. */
typedef struct sl_ofp_table_features TF;
DEF(table_features15_t, "OFPTableFeaturesStats", 64, TF, SPAN_LEN16, 0,
    SL_ERR(OFPET_TABLE_FEATURES_FAILED, OFPTFFC_BAD_LEN),
    FLEN("length"), FU8(TF, "table_id", table_id), FU8(TF, "command", command),
    FU32(TF, "features", features), FSTR(TF, "name", name),
    FU64(TF, "metadata_match", metadata_match), FU64(TF, "metadata_write", metadata_write),
    FU32(TF, "config", config), FU32(TF, "max_entries", max_entries),
    FLIST(TF, "properties", properties, n_properties, sl_ofp13_tf_prop_t));

/* ---------------- multipart ---------------- */
MP(mpr_flow14, "OFPFlowStatsReply", 16, BODY_LIST(flow_stats, flow_stats14_t));
MP(mpr_port_stats14, "OFPPortStatsReply", 16, BODY_LIST(port_stats, port_stats14_t));
MP(mpr_queue14, "OFPQueueStatsReply", 16, BODY_LIST(queue_stats, queue_stats14_t));
MP(mpr_port_desc14, "OFPPortDescStatsReply", 16, BODY_LIST(port_desc, port14_t));
MP(mpr_flow15, "OFPFlowDescStatsReply", 16, BODY_LIST(flow_stats, flow_desc15_t));
MP(mpr_group_desc15, "OFPGroupDescStatsReply", 16, BODY_LIST(group_desc, group_desc15_t));
MP(mpq_group_desc15, "OFPGroupDescStatsRequest", 24,
   FU32(M, "group_id", MPBODY(group_request.group_id)), FPAD(4));
MP(mpr_aggregate15, "OFPAggregateStatsReply", 16,
   FOBJ(M, "body", MPBODY(aggregate), aggregate15_body));

MP(mpq_table_features15, "OFPTableFeaturesStatsRequest", 16,
   BODY_LIST(table_features, table_features15_t));
MP(mpr_table_features15, "OFPTableFeaturesStatsReply", 16,
   BODY_LIST(table_features, table_features15_t));

static const struct sl_ofp_variant mpr14_v[] = {
	{ OFPMP_FLOW, &mpr_flow14 }, { OFPMP_PORT_STATS, &mpr_port_stats14 },
	{ OFPMP_QUEUE, &mpr_queue14 }, { OFPMP_PORT_DESC, &mpr_port_desc14 },
};
static const struct sl_ofp_variants mpr14_var = {
	.tag_off = 8, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(M, u.multipart.type), .v = mpr14_v,
	.n = SL_ARRAY_LEN(mpr14_v), .fallback = &sl_ofp13_mp_reply_type };
static const struct sl_ofp_type mp_reply14 = { .csize = sizeof(M), .err_len = BRC_LEN,
					       .var = &mpr14_var };

/* OF1.5 group desc and meter features changed layout: refused for now. */
static const struct sl_ofp_variant mpr15_v[] = {
	{ OFPMP_FLOW, &mpr_flow15 }, { OFPMP_AGGREGATE, &mpr_aggregate15 },
	{ OFPMP_PORT_STATS, &mpr_port_stats14 }, { OFPMP_QUEUE, &mpr_queue14 },
	{ OFPMP_PORT_DESC, &mpr_port_desc14 }, { OFPMP_GROUP_DESC, &mpr_group_desc15 },
	{ OFPMP_METER_FEATURES, &refuse_mp }, { OFPMP_TABLE_FEATURES, &mpr_table_features15 },
};
static const struct sl_ofp_variants mpr15_var = {
	.tag_off = 8, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(M, u.multipart.type), .v = mpr15_v,
	.n = SL_ARRAY_LEN(mpr15_v), .fallback = &sl_ofp13_mp_reply_type };
static const struct sl_ofp_type mp_reply15 = { .csize = sizeof(M), .err_len = BRC_LEN,
					       .var = &mpr15_var };
/* OF1.5 port desc request names a port (OFPP_ANY: all). */
MP(mpq_port_desc15, "OFPPortDescStatsRequest", 24,
   FU32(M, "port_no", MPBODY(port_request.port_no)), FPAD(4));
static const struct sl_ofp_variant mpq15_v[] = {
	{ OFPMP_PORT_DESC, &mpq_port_desc15 }, { OFPMP_GROUP_DESC, &mpq_group_desc15 }, { OFPMP_METER_FEATURES, &refuse_mp },
	{ OFPMP_TABLE_FEATURES, &mpq_table_features15 },
};
static const struct sl_ofp_variants mpq15_var = {
	.tag_off = 8, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(M, u.multipart.type), .v = mpq15_v,
	.n = SL_ARRAY_LEN(mpq15_v), .fallback = &sl_ofp13_mp_request_type };
static const struct sl_ofp_type mp_request15 = { .csize = sizeof(M), .err_len = BRC_LEN,
						 .var = &mpq15_var };

/* ---------------- messages ---------------- */
MSG(m_port_status14, "OFPPortStatus", 56, FU8(M, "reason", u.port_status.reason), FPAD(7),
    FOBJ(M, "desc", u.port_status.desc, port14_t));
MSG(m_port_mod14, "OFPPortMod", 32, FU32(M, "port_no", u.port_mod.port_no), FPAD(4),
    FMAC(M, "hw_addr", u.port_mod.hw_addr), FPAD(2), FU32(M, "config", u.port_mod.config),
    FU32(M, "mask", u.port_mod.mask),
    FLIST(M, "properties", u.port_mod.properties, u.port_mod.n_properties, mod_prop_t));
MSG(m_table_mod14, "OFPTableMod", 16, FU8(M, "table_id", u.table_mod.table_id), FPAD(3),
    FU32(M, "config", u.table_mod.config),
    FLIST(M, "properties", u.table_mod.properties, u.table_mod.n_properties, table_prop_t));
#define FLOW_MOD14_FIELDS(INS)                                                        \
	FU64(M, "cookie", u.flow_mod.cookie), FU64(M, "cookie_mask", u.flow_mod.cookie_mask), \
	FU8(M, "table_id", u.flow_mod.table_id), FU8(M, "command", u.flow_mod.command),     \
	FU16(M, "idle_timeout", u.flow_mod.idle_timeout),                                  \
	FU16(M, "hard_timeout", u.flow_mod.hard_timeout),                                  \
	FU16(M, "priority", u.flow_mod.priority), FU32(M, "buffer_id", u.flow_mod.buffer_id), \
	FU32(M, "out_port", u.flow_mod.out_port), FU32(M, "out_group", u.flow_mod.out_group), \
	FU16(M, "flags", u.flow_mod.flags), FU16(M, "importance", u.flow_mod.importance),   \
	FOBJ(M, "match", u.flow_mod.match, sl_ofp13_match_type),                          \
	FLIST(M, "instructions", u.flow_mod.instructions, u.flow_mod.n_instructions, INS)
MSG(m_flow_mod14, "OFPFlowMod", 56, FLOW_MOD14_FIELDS(sl_ofp13_instruction_type));
MSG(m_flow_mod15, "OFPFlowMod", 56, FLOW_MOD14_FIELDS(instruction15_t));
MSG(m_group_mod15, "OFPGroupMod", 24, FU16(M, "command", u.group_mod.command),
    FU8(M, "type", u.group_mod.type), FPAD(1), FU32(M, "group_id", u.group_mod.group_id),
    FSUBLEN("bucket_array_len"), FPAD(2),
    FU32(M, "command_bucket_id", u.group_mod.command_bucket_id),
    FLIST(M, "buckets", u.group_mod.buckets, u.group_mod.n_buckets, bucket15_t),
    FLIST(M, "properties", u.group_mod.properties, u.group_mod.n_properties, generic_prop_t));
MSG(m_packet_out15, "OFPPacketOut", 24, FU32(M, "buffer_id", u.packet_out.buffer_id),
    FSUBLEN("actions_len"), FPAD(2), FOBJ(M, "match", u.packet_out.match, sl_ofp13_match_type),
    FLIST(M, "actions", u.packet_out.actions, u.packet_out.n_actions, action15_t),
    FBYTES(M, "data", u.packet_out.data, u.packet_out.data_len));

MSG(m_get_async_reply14, "OFPGetAsyncReply", 8,
    FLIST(M, "properties", u.async.properties, u.async.n_properties, async_prop_t));
MSG(m_set_async14, "OFPSetAsync", 8,
    FLIST(M, "properties", u.async.properties, u.async.n_properties, async_prop_t));

/* Role status (OF1.4 7.4.4): sent to a master that another one demoted. */
MSG(m_role_status14, "OFPRoleStatus", 24, FU32(M, "role", u.role.role),
    FU8(M, "reason", u.role.reason), FPAD(3), FU64(M, "generation_id", u.role.generation_id),
    FLIST(M, "properties", u.role.properties, u.role.n_properties, generic_prop_t));
MSG(m_role_request15, "OFPRoleRequest", 24, FU32(M, "role", u.role.role),
    FU16(M, "short_id", u.role.short_id), FPAD(2),
    FU64(M, "generation_id", u.role.generation_id));
MSG(m_role_reply15, "OFPRoleReply", 24, FU32(M, "role", u.role.role),
    FU16(M, "short_id", u.role.short_id), FPAD(2),
    FU64(M, "generation_id", u.role.generation_id));

/* Removed in OF1.4: queue config (moved to OFPMP_QUEUE_DESC, not
 * implemented).
 * o2: bundle rows go into these tables too. */
#define V14_COMMON                                                                    \
	{ OFPT_PORT_STATUS, &m_port_status14 }, { OFPT_PORT_MOD, &m_port_mod14 },          \
	{ OFPT_TABLE_MOD, &m_table_mod14 }, { OFPT_FLOW_MOD, &m_flow_mod14 },               \
	{ OFPT_QUEUE_GET_CONFIG_REQUEST, &refuse_msg },                                    \
	{ OFPT_QUEUE_GET_CONFIG_REPLY, &refuse_msg },                                      \
	{ OFPT_GET_ASYNC_REPLY, &m_get_async_reply14 }, { OFPT_SET_ASYNC, &m_set_async14 }, \
	{ OFPT_ROLE_STATUS, &m_role_status14 }
static const struct sl_ofp_variant msg14_v[] = {
	V14_COMMON, { OFPT_MULTIPART_REPLY, &mp_reply14 },
};
/* OF1.5: its own rows first (the first match wins), then 1.4's. Its
 * flow-removed carries OXS stats: refused (never sent in another layout). */
static const struct sl_ofp_variant msg15_v[] = {
	{ OFPT_MULTIPART_REPLY, &mp_reply15 }, { OFPT_MULTIPART_REQUEST, &mp_request15 },
	{ OFPT_PACKET_OUT, &m_packet_out15 }, { OFPT_FLOW_REMOVED, &refuse_msg },
	{ OFPT_GROUP_MOD, &m_group_mod15 }, { OFPT_ROLE_REQUEST, &m_role_request15 },
	{ OFPT_ROLE_REPLY, &m_role_reply15 }, { OFPT_FLOW_MOD, &m_flow_mod15 },
	V14_COMMON,
};
static const struct sl_ofp_variants msg14_var = {
	.tag_off = 1, .tag_size = 1, .tag_coff = SL_MEMBER_OFF(M, type), .v = msg14_v,
	.n = SL_ARRAY_LEN(msg14_v), .fallback = &sl_ofp13_msg_type };
static const struct sl_ofp_variants msg15_var = {
	.tag_off = 1, .tag_size = 1, .tag_coff = SL_MEMBER_OFF(M, type), .v = msg15_v,
	.n = SL_ARRAY_LEN(msg15_v), .fallback = &sl_ofp13_msg_type };
const struct sl_ofp_type sl_ofp14_msg_type = { .csize = sizeof(M), .err_len = BRC_LEN,
					       .var = &msg14_var };
const struct sl_ofp_type sl_ofp15_msg_type = { .csize = sizeof(M), .err_len = BRC_LEN,
					       .var = &msg15_var };
