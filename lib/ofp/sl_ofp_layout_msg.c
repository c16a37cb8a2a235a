/* OF1.3 wire layouts of every message and multipart body. */
#include "sl_ofp_desc.h"
#include "sl_ofp_layout.h"

typedef struct sl_ofp_msg M;

#define MSG_HDR FU8(M, NULL, version), FU8(M, NULL, type), FLEN(NULL), FU32(M, NULL, xid)
#define MP_HDR MSG_HDR, FU16(M, "type", u.multipart.type),                            \
	FU16(M, "flags", u.multipart.flags), FPAD(4)

/* A message layout: header + body fields; length from the header. */
#define MSG(var, ryu, minlen, ...)                                                    \
	static const struct sl_ofp_field var##_f[] = { MSG_HDR, __VA_ARGS__ };           \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(M), .span = SPAN_LEN16,  \
		.len_off = 2, .err_len = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN),      \
		.fields = var##_f, .n_fields = SL_ARRAY_LEN(var##_f) }
#define MP(var, ryu, minlen, ...)                                                     \
	static const struct sl_ofp_field var##_f[] = { MP_HDR, __VA_ARGS__ };            \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(M), .span = SPAN_LEN16,  \
		.len_off = 2, .err_len = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN),      \
		.fields = var##_f, .n_fields = SL_ARRAY_LEN(var##_f) }
/* A fixed-size object embedded as a multipart body. */
#define BODY(var, ryu, C, minlen, spanmode, ...)                                      \
	static const struct sl_ofp_field var##_f[] = { __VA_ARGS__ };                    \
	static const struct sl_ofp_type var = {                                          \
		.name = ryu, .min_len = minlen, .csize = sizeof(C), .span = spanmode,    \
		.err_len = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN),                    \
		.fields = var##_f, .n_fields = SL_ARRAY_LEN(var##_f) }
#define MPBODY(m) u.multipart.body.m

/* ---------------- multipart bodies ---------------- */
typedef struct sl_ofp_desc DS;
BODY(desc_body, "OFPDescStats", DS, 1056, SPAN_FIXED,
     FSTR(DS, "mfr_desc", mfr_desc), FSTR(DS, "hw_desc", hw_desc), FSTR(DS, "sw_desc", sw_desc),
     FSTR(DS, "serial_num", serial_num), FSTR(DS, "dp_desc", dp_desc));
typedef struct sl_ofp_aggregate_stats AG;
BODY(aggregate_body, "OFPAggregateStats", AG, 24, SPAN_FIXED,
     FU64(AG, "packet_count", packet_count), FU64(AG, "byte_count", byte_count),
     FU32(AG, "flow_count", flow_count), FPAD(4));
typedef struct sl_ofp_group_features GF;
BODY(group_features_body, "OFPGroupFeaturesStats", GF, 40, SPAN_FIXED,
     FU32(GF, "types", types), FU32(GF, "capabilities", capabilities),
     FARR(GF, "max_groups", max_groups), FARR(GF, "actions", actions));
typedef struct sl_ofp_meter_features MF;
BODY(meter_features_body, "OFPMeterFeaturesStats", MF, 16, SPAN_FIXED,
     FU32(MF, "max_meter", max_meter), FU32(MF, "band_types", band_types),
     FU32(MF, "capabilities", capabilities), FU8(MF, "max_bands", max_bands),
     FU8(MF, "max_color", max_color), FPAD(2));
typedef struct sl_ofp_mp_experimenter MX;
BODY(exp_body, "OFPExperimenterMultipart", MX, 8, SPAN_REST,
     FU32(MX, "experimenter", experimenter), FU32(MX, "exp_type", exp_type),
     FBYTES(MX, "data", data, data_len));

#define FLOW_REQ_FIELDS                                                               \
	FU8(M, "table_id", MPBODY(flow_request.table_id)), FPAD(3),                       \
	FU32(M, "out_port", MPBODY(flow_request.out_port)),                              \
	FU32(M, "out_group", MPBODY(flow_request.out_group)), FPAD(4),                   \
	FU64(M, "cookie", MPBODY(flow_request.cookie)),                                  \
	FU64(M, "cookie_mask", MPBODY(flow_request.cookie_mask)),                        \
	FOBJ(M, "match", MPBODY(flow_request.match), sl_ofp13_match_type)
#define BODY_LIST(m, T) FLIST(M, "body", MPBODY(m.items), MPBODY(m.n), T)

/* ---------------- multipart requests ---------------- */
MP(mpq_desc, "OFPDescStatsRequest", 16, );
MP(mpq_flow, "OFPFlowStatsRequest", 40, FLOW_REQ_FIELDS);
MP(mpq_aggregate, "OFPAggregateStatsRequest", 40, FLOW_REQ_FIELDS);
MP(mpq_table, "OFPTableStatsRequest", 16, );
MP(mpq_port, "OFPPortStatsRequest", 24, FU32(M, "port_no", MPBODY(port_request.port_no)), FPAD(4));
MP(mpq_queue, "OFPQueueStatsRequest", 24, FU32(M, "port_no", MPBODY(queue_request.port_no)),
   FU32(M, "queue_id", MPBODY(queue_request.queue_id)));
MP(mpq_group, "OFPGroupStatsRequest", 24,
   FU32(M, "group_id", MPBODY(group_request.group_id)), FPAD(4));
MP(mpq_group_desc, "OFPGroupDescStatsRequest", 16, );
MP(mpq_group_features, "OFPGroupFeaturesStatsRequest", 16, );
MP(mpq_meter, "OFPMeterStatsRequest", 24,
   FU32(M, "meter_id", MPBODY(meter_request.meter_id)), FPAD(4));
MP(mpq_meter_config, "OFPMeterConfigStatsRequest", 24,
   FU32(M, "meter_id", MPBODY(meter_request.meter_id)), FPAD(4));
MP(mpq_meter_features, "OFPMeterFeaturesStatsRequest", 16, );
MP(mpq_table_features, "OFPTableFeaturesStatsRequest", 16,
   BODY_LIST(table_features, sl_ofp13_table_features_t));
MP(mpq_port_desc, "OFPPortDescStatsRequest", 16, );
MP(mpq_experimenter, "OFPExperimenterStatsRequest", 24,
   FU32(M, "experimenter", MPBODY(experimenter.experimenter)),
   FU32(M, "exp_type", MPBODY(experimenter.exp_type)),
   FBYTES(M, "data", MPBODY(experimenter.data), MPBODY(experimenter.data_len)));

static const struct sl_ofp_variant mpq_v[] = {
	{ OFPMP_DESC, &mpq_desc }, { OFPMP_FLOW, &mpq_flow },
	{ OFPMP_AGGREGATE, &mpq_aggregate }, { OFPMP_TABLE, &mpq_table },
	{ OFPMP_PORT_STATS, &mpq_port }, { OFPMP_QUEUE, &mpq_queue },
	{ OFPMP_GROUP, &mpq_group }, { OFPMP_GROUP_DESC, &mpq_group_desc },
	{ OFPMP_GROUP_FEATURES, &mpq_group_features }, { OFPMP_METER, &mpq_meter },
	{ OFPMP_METER_CONFIG, &mpq_meter_config }, { OFPMP_METER_FEATURES, &mpq_meter_features },
	{ OFPMP_TABLE_FEATURES, &mpq_table_features }, { OFPMP_PORT_DESC, &mpq_port_desc },
	{ OFPMP_EXPERIMENTER, &mpq_experimenter },
};
static const struct sl_ofp_variants mpq_var = {
	.tag_off = 8, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(M, u.multipart.type), .v = mpq_v,
	.n = SL_ARRAY_LEN(mpq_v), .err_type = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART) };
const struct sl_ofp_type sl_ofp13_mp_request_type = {
	.csize = sizeof(M), .err_len = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN), .var = &mpq_var };

/* ---------------- multipart replies ---------------- */
MP(mpr_desc, "OFPDescStatsReply", 16, FOBJ(M, "body", MPBODY(desc), desc_body));
MP(mpr_flow, "OFPFlowStatsReply", 16, BODY_LIST(flow_stats, sl_ofp13_flow_stats_t));
MP(mpr_aggregate, "OFPAggregateStatsReply", 16, FOBJ(M, "body", MPBODY(aggregate), aggregate_body));
MP(mpr_table, "OFPTableStatsReply", 16, BODY_LIST(table_stats, sl_ofp13_table_stats_t));
MP(mpr_port, "OFPPortStatsReply", 16, BODY_LIST(port_stats, sl_ofp13_port_stats_t));
MP(mpr_queue, "OFPQueueStatsReply", 16, BODY_LIST(queue_stats, sl_ofp13_queue_stats_t));
MP(mpr_group, "OFPGroupStatsReply", 16, BODY_LIST(group_stats, sl_ofp13_group_stats_t));
MP(mpr_group_desc, "OFPGroupDescStatsReply", 16, BODY_LIST(group_desc, sl_ofp13_group_desc_t));
MP(mpr_group_features, "OFPGroupFeaturesStatsReply", 16,
   FOBJ(M, "body", MPBODY(group_features), group_features_body));
MP(mpr_meter, "OFPMeterStatsReply", 16, BODY_LIST(meter_stats, sl_ofp13_meter_stats_t));
MP(mpr_meter_config, "OFPMeterConfigStatsReply", 16,
   BODY_LIST(meter_config, sl_ofp13_meter_config_t));
MP(mpr_meter_features, "OFPMeterFeaturesStatsReply", 16,
   BODY_LIST(meter_features, meter_features_body));
MP(mpr_table_features, "OFPTableFeaturesStatsReply", 16,
   BODY_LIST(table_features, sl_ofp13_table_features_t));
MP(mpr_port_desc, "OFPPortDescStatsReply", 16, BODY_LIST(port_desc, sl_ofp13_port_t));
MP(mpr_experimenter, "OFPExperimenterStatsReply", 24,
   FOBJ(M, "body", MPBODY(experimenter), exp_body));

static const struct sl_ofp_variant mpr_v[] = {
	{ OFPMP_DESC, &mpr_desc }, { OFPMP_FLOW, &mpr_flow },
	{ OFPMP_AGGREGATE, &mpr_aggregate }, { OFPMP_TABLE, &mpr_table },
	{ OFPMP_PORT_STATS, &mpr_port }, { OFPMP_QUEUE, &mpr_queue },
	{ OFPMP_GROUP, &mpr_group }, { OFPMP_GROUP_DESC, &mpr_group_desc },
	{ OFPMP_GROUP_FEATURES, &mpr_group_features }, { OFPMP_METER, &mpr_meter },
	{ OFPMP_METER_CONFIG, &mpr_meter_config }, { OFPMP_METER_FEATURES, &mpr_meter_features },
	{ OFPMP_TABLE_FEATURES, &mpr_table_features }, { OFPMP_PORT_DESC, &mpr_port_desc },
	{ OFPMP_EXPERIMENTER, &mpr_experimenter },
};
static const struct sl_ofp_variants mpr_var = {
	.tag_off = 8, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(M, u.multipart.type), .v = mpr_v,
	.n = SL_ARRAY_LEN(mpr_v), .err_type = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART) };
const struct sl_ofp_type sl_ofp13_mp_reply_type = {
	.csize = sizeof(M), .err_len = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN), .var = &mpr_var };

/* ---------------- messages ---------------- */
MSG(m_hello, "OFPHello", 8,
    FLIST(M, "elements", u.hello.elements, u.hello.n_elements, sl_ofp13_hello_elem_t));
MSG(m_error, "OFPErrorMsg", 12, FU16(M, "type", u.error.type), FU16(M, "code", u.error.code),
    FBYTES(M, "data", u.error.data, u.error.data_len));
/* os-ken prints code=null for experimenter errors. */
MSG(m_error_exp, "OFPErrorMsg", 16, FU16(M, "type", u.error.type),
    FU16(M, "exp_type", u.error.exp_type), FU32(M, "experimenter", u.error.experimenter),
    FNULL("code"), FBYTES(M, "data", u.error.data, u.error.data_len));
static const struct sl_ofp_variant err_v[] = { { OFPET_EXPERIMENTER, &m_error_exp } };
static const struct sl_ofp_variants err_var = {
	.tag_off = 8, .tag_size = 2, .tag_coff = SL_MEMBER_OFF(M, u.error.type), .v = err_v,
	.n = 1, .fallback = &m_error };
static const struct sl_ofp_type m_error_root = {
	.csize = sizeof(M), .err_len = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN), .var = &err_var };
MSG(m_echo_request, "OFPEchoRequest", 8, FBYTES(M, "data", u.echo.data, u.echo.data_len));
MSG(m_echo_reply, "OFPEchoReply", 8, FBYTES(M, "data", u.echo.data, u.echo.data_len));
MSG(m_experimenter, "OFPExperimenter", 16,
    FU32(M, "experimenter", u.experimenter.experimenter),
    FU32(M, "exp_type", u.experimenter.exp_type),
    FBYTES(M, "data", u.experimenter.data, u.experimenter.data_len));
MSG(m_features_request, "OFPFeaturesRequest", 8, );
MSG(m_features_reply, "OFPSwitchFeatures", 32, FU64(M, "datapath_id", u.features.datapath_id),
    FU32(M, "n_buffers", u.features.n_buffers), FU8(M, "n_tables", u.features.n_tables),
    FU8(M, "auxiliary_id", u.features.auxiliary_id), FPAD(2),
    FU32(M, "capabilities", u.features.capabilities), FU32(M, NULL, u.features.reserved));
MSG(m_get_config_request, "OFPGetConfigRequest", 8, );
MSG(m_get_config_reply, "OFPGetConfigReply", 12, FU16(M, "flags", u.config.flags),
    FU16(M, "miss_send_len", u.config.miss_send_len));
MSG(m_set_config, "OFPSetConfig", 12, FU16(M, "flags", u.config.flags),
    FU16(M, "miss_send_len", u.config.miss_send_len));
MSG(m_packet_in, "OFPPacketIn", 24, FU32(M, "buffer_id", u.packet_in.buffer_id),
    FU16(M, "total_len", u.packet_in.total_len), FU8(M, "reason", u.packet_in.reason),
    FU8(M, "table_id", u.packet_in.table_id), FU64(M, "cookie", u.packet_in.cookie),
    FOBJ(M, "match", u.packet_in.match, sl_ofp13_match_type), FPAD(2),
    FBYTES(M, "data", u.packet_in.data, u.packet_in.data_len));
MSG(m_flow_removed, "OFPFlowRemoved", 48, FU64(M, "cookie", u.flow_removed.cookie),
    FU16(M, "priority", u.flow_removed.priority), FU8(M, "reason", u.flow_removed.reason),
    FU8(M, "table_id", u.flow_removed.table_id),
    FU32(M, "duration_sec", u.flow_removed.duration_sec),
    FU32(M, "duration_nsec", u.flow_removed.duration_nsec),
    FU16(M, "idle_timeout", u.flow_removed.idle_timeout),
    FU16(M, "hard_timeout", u.flow_removed.hard_timeout),
    FU64(M, "packet_count", u.flow_removed.packet_count),
    FU64(M, "byte_count", u.flow_removed.byte_count),
    FOBJ(M, "match", u.flow_removed.match, sl_ofp13_match_type));
MSG(m_port_status, "OFPPortStatus", 80, FU8(M, "reason", u.port_status.reason), FPAD(7),
    FOBJ(M, "desc", u.port_status.desc, sl_ofp13_port_t));
MSG(m_packet_out, "OFPPacketOut", 24, FU32(M, "buffer_id", u.packet_out.buffer_id),
    FU32(M, "in_port", u.packet_out.in_port), FSUBLEN("actions_len"), FPAD(6),
    FLIST(M, "actions", u.packet_out.actions, u.packet_out.n_actions, sl_ofp13_action_type),
    FBYTES(M, "data", u.packet_out.data, u.packet_out.data_len));
MSG(m_flow_mod, "OFPFlowMod", 48, FU64(M, "cookie", u.flow_mod.cookie),
    FU64(M, "cookie_mask", u.flow_mod.cookie_mask), FU8(M, "table_id", u.flow_mod.table_id),
    FU8(M, "command", u.flow_mod.command), FU16(M, "idle_timeout", u.flow_mod.idle_timeout),
    FU16(M, "hard_timeout", u.flow_mod.hard_timeout), FU16(M, "priority", u.flow_mod.priority),
    FU32(M, "buffer_id", u.flow_mod.buffer_id), FU32(M, "out_port", u.flow_mod.out_port),
    FU32(M, "out_group", u.flow_mod.out_group), FU16(M, "flags", u.flow_mod.flags), FPAD(2),
    FOBJ(M, "match", u.flow_mod.match, sl_ofp13_match_type),
    FLIST(M, "instructions", u.flow_mod.instructions, u.flow_mod.n_instructions,
	  sl_ofp13_instruction_type));
MSG(m_group_mod, "OFPGroupMod", 16, FU16(M, "command", u.group_mod.command),
    FU8(M, "type", u.group_mod.type), FPAD(1), FU32(M, "group_id", u.group_mod.group_id),
    FLIST(M, "buckets", u.group_mod.buckets, u.group_mod.n_buckets, sl_ofp13_bucket_t));
MSG(m_port_mod, "OFPPortMod", 40, FU32(M, "port_no", u.port_mod.port_no), FPAD(4),
    FMAC(M, "hw_addr", u.port_mod.hw_addr), FPAD(2), FU32(M, "config", u.port_mod.config),
    FU32(M, "mask", u.port_mod.mask), FU32(M, "advertise", u.port_mod.advertise), FPAD(4));
MSG(m_table_mod, "OFPTableMod", 16, FU8(M, "table_id", u.table_mod.table_id), FPAD(3),
    FU32(M, "config", u.table_mod.config));
MSG(m_barrier_request, "OFPBarrierRequest", 8, );
MSG(m_barrier_reply, "OFPBarrierReply", 8, );
MSG(m_queue_request, "OFPQueueGetConfigRequest", 16, FU32(M, "port", u.queue_config.port), FPAD(4));
MSG(m_queue_reply, "OFPQueueGetConfigReply", 16, FU32(M, "port", u.queue_config.port), FPAD(4),
    FLIST(M, "queues", u.queue_config.queues, u.queue_config.n_queues, sl_ofp13_queue_t));
MSG(m_role_request, "OFPRoleRequest", 24, FU32(M, "role", u.role.role), FPAD(4),
    FU64(M, "generation_id", u.role.generation_id));
MSG(m_role_reply, "OFPRoleReply", 24, FU32(M, "role", u.role.role), FPAD(4),
    FU64(M, "generation_id", u.role.generation_id));
MSG(m_get_async_request, "OFPGetAsyncRequest", 8, );
#define ASYNC_FIELDS FARR(M, "packet_in_mask", u.async.packet_in_mask),                 \
	FARR(M, "port_status_mask", u.async.port_status_mask),                             \
	FARR(M, "flow_removed_mask", u.async.flow_removed_mask)
MSG(m_get_async_reply, "OFPGetAsyncReply", 32, ASYNC_FIELDS);
MSG(m_set_async, "OFPSetAsync", 32, ASYNC_FIELDS);
MSG(m_meter_mod, "OFPMeterMod", 16, FU16(M, "command", u.meter_mod.command),
    FU16(M, "flags", u.meter_mod.flags), FU32(M, "meter_id", u.meter_mod.meter_id),
    FLIST(M, "bands", u.meter_mod.bands, u.meter_mod.n_bands, sl_ofp13_band_t));

static const struct sl_ofp_variant msg_v[] = {
	{ OFPT_HELLO, &m_hello }, { OFPT_ERROR, &m_error_root },
	{ OFPT_ECHO_REQUEST, &m_echo_request }, { OFPT_ECHO_REPLY, &m_echo_reply },
	{ OFPT_EXPERIMENTER, &m_experimenter }, { OFPT_FEATURES_REQUEST, &m_features_request },
	{ OFPT_FEATURES_REPLY, &m_features_reply },
	{ OFPT_GET_CONFIG_REQUEST, &m_get_config_request },
	{ OFPT_GET_CONFIG_REPLY, &m_get_config_reply }, { OFPT_SET_CONFIG, &m_set_config },
	{ OFPT_PACKET_IN, &m_packet_in }, { OFPT_FLOW_REMOVED, &m_flow_removed },
	{ OFPT_PORT_STATUS, &m_port_status }, { OFPT_PACKET_OUT, &m_packet_out },
	{ OFPT_FLOW_MOD, &m_flow_mod }, { OFPT_GROUP_MOD, &m_group_mod },
	{ OFPT_PORT_MOD, &m_port_mod }, { OFPT_TABLE_MOD, &m_table_mod },
	{ OFPT_MULTIPART_REQUEST, &sl_ofp13_mp_request_type },
	{ OFPT_MULTIPART_REPLY, &sl_ofp13_mp_reply_type },
	{ OFPT_BARRIER_REQUEST, &m_barrier_request }, { OFPT_BARRIER_REPLY, &m_barrier_reply },
	{ OFPT_QUEUE_GET_CONFIG_REQUEST, &m_queue_request },
	{ OFPT_QUEUE_GET_CONFIG_REPLY, &m_queue_reply },
	{ OFPT_ROLE_REQUEST, &m_role_request }, { OFPT_ROLE_REPLY, &m_role_reply },
	{ OFPT_GET_ASYNC_REQUEST, &m_get_async_request },
	{ OFPT_GET_ASYNC_REPLY, &m_get_async_reply }, { OFPT_SET_ASYNC, &m_set_async },
	{ OFPT_METER_MOD, &m_meter_mod },
};
static const struct sl_ofp_variants msg_var = {
	.tag_off = 1, .tag_size = 1, .tag_coff = SL_MEMBER_OFF(M, type), .v = msg_v,
	.n = SL_ARRAY_LEN(msg_v), .err_type = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE) };
const struct sl_ofp_type sl_ofp13_msg_type = {
	.csize = sizeof(M), .err_len = SL_ERR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN), .var = &msg_var };
