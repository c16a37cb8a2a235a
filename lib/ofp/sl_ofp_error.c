/* OFPT_ERROR helpers: names for logs, and the reply a refused request gets. */
#include <string.h>

#include "sl_ofp.h"
#include "sl_ofp_wire.h"

int sl_ofp_fail(struct sl_ofp_error *err, uint16_t type, uint16_t code, size_t offset)
{
	if (err != NULL) {
		err->type = type;
		err->code = code;
		err->offset = (uint32_t)offset;
	}
	return -1;
}

static const char *const type_names[] = {
	"OFPET_HELLO_FAILED", "OFPET_BAD_REQUEST", "OFPET_BAD_ACTION", "OFPET_BAD_INSTRUCTION",
	"OFPET_BAD_MATCH", "OFPET_FLOW_MOD_FAILED", "OFPET_GROUP_MOD_FAILED",
	"OFPET_PORT_MOD_FAILED", "OFPET_TABLE_MOD_FAILED", "OFPET_QUEUE_OP_FAILED",
	"OFPET_SWITCH_CONFIG_FAILED", "OFPET_ROLE_REQUEST_FAILED", "OFPET_METER_MOD_FAILED",
	"OFPET_TABLE_FEATURES_FAILED",
	/* OF1.4+ (one numbering across versions: the names hold for every version) */
	"OFPET_BAD_PROPERTY", "OFPET_ASYNC_CONFIG_FAILED", "OFPET_FLOW_MONITOR_FAILED",
	"OFPET_BUNDLE_FAILED",
};

const char *sl_ofp_error_type_name(uint16_t type)
{
	if (type == OFPET_EXPERIMENTER)
		return "OFPET_EXPERIMENTER";
	return type < sizeof(type_names) / sizeof(type_names[0]) ? type_names[type] : "?";
}

static const char *const hfc[] = { "OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM" };
static const char *const brc[] = {
	"OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART", "OFPBRC_BAD_EXPERIMENTER",
	"OFPBRC_BAD_EXP_TYPE", "OFPBRC_EPERM", "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY",
	"OFPBRC_BUFFER_UNKNOWN", "OFPBRC_BAD_TABLE_ID", "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT",
	"OFPBRC_BAD_PACKET", "OFPBRC_MULTIPART_BUFFER_OVERFLOW",
	"OFPBRC_MULTIPART_REQUEST_TIMEOUT", "OFPBRC_MULTIPART_REPLY_TIMEOUT", /* 1.4 */
	"OFPBRC_MULTIPART_BAD_SCHED", "OFPBRC_PIPELINE_FIELDS_ONLY", "OFPBRC_UNKNOWN", /* 1.5 */
};
static const char *const bac[] = {
	"OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER", "OFPBAC_BAD_EXP_TYPE",
	"OFPBAC_BAD_OUT_PORT", "OFPBAC_BAD_ARGUMENT", "OFPBAC_EPERM", "OFPBAC_TOO_MANY",
	"OFPBAC_BAD_QUEUE", "OFPBAC_BAD_OUT_GROUP", "OFPBAC_MATCH_INCONSISTENT",
	"OFPBAC_UNSUPPORTED_ORDER", "OFPBAC_BAD_TAG", "OFPBAC_BAD_SET_TYPE", "OFPBAC_BAD_SET_LEN",
	"OFPBAC_BAD_SET_ARGUMENT",
	"OFPBAC_BAD_SET_MASK", "OFPBAC_BAD_METER", /* 1.5 */
};
static const char *const bic[] = {
	"OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID",
	"OFPBIC_UNSUP_METADATA", "OFPBIC_UNSUP_METADATA_MASK", "OFPBIC_BAD_EXPERIMENTER",
	"OFPBIC_BAD_EXP_TYPE", "OFPBIC_BAD_LEN", "OFPBIC_EPERM",
	"OFPBIC_DUP_INST", /* 1.4 */
};
static const char *const bmc[] = {
	"OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG", "OFPBMC_BAD_DL_ADDR_MASK",
	"OFPBMC_BAD_NW_ADDR_MASK", "OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE",
	"OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ", "OFPBMC_DUP_FIELD", "OFPBMC_EPERM",
};
static const char *const fmfc[] = {
	"OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID", "OFPFMFC_OVERLAP",
	"OFPFMFC_EPERM", "OFPFMFC_BAD_TIMEOUT", "OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS",
	"OFPFMFC_CANT_SYNC", "OFPFMFC_BAD_PRIORITY", /* 1.4 */
	"OFPFMFC_IS_SYNC", /* 1.5 */
};
static const char *const gmfc[] = {
	"OFPGMFC_GROUP_EXISTS", "OFPGMFC_INVALID_GROUP", "OFPGMFC_WEIGHT_UNSUPPORTED",
	"OFPGMFC_OUT_OF_GROUPS", "OFPGMFC_OUT_OF_BUCKETS", "OFPGMFC_CHAINING_UNSUPPORTED",
	"OFPGMFC_WATCH_UNSUPPORTED", "OFPGMFC_LOOP", "OFPGMFC_UNKNOWN_GROUP",
	"OFPGMFC_CHAINED_GROUP", "OFPGMFC_BAD_TYPE", "OFPGMFC_BAD_COMMAND", "OFPGMFC_BAD_BUCKET",
	"OFPGMFC_BAD_WATCH", "OFPGMFC_EPERM",
	"OFPGMFC_UNKNOWN_BUCKET", "OFPGMFC_BUCKET_EXISTS", /* 1.5 */
};
static const char *const pmfc[] = {
	"OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR", "OFPPMFC_BAD_CONFIG", "OFPPMFC_BAD_ADVERTISE",
	"OFPPMFC_EPERM",
};
static const char *const tmfc[] = { "OFPTMFC_BAD_TABLE", "OFPTMFC_BAD_CONFIG", "OFPTMFC_EPERM" };
static const char *const qofc[] = { "OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE", "OFPQOFC_EPERM" };
static const char *const scfc[] = { "OFPSCFC_BAD_FLAGS", "OFPSCFC_BAD_LEN", "OFPSCFC_EPERM" };
static const char *const rrfc[] = {
	"OFPRRFC_STALE", "OFPRRFC_UNSUP", "OFPRRFC_BAD_ROLE",
	"OFPRRFC_ID_UNSUP", "OFPRRFC_ID_IN_USE", /* 1.5 */
};
static const char *const mmfc[] = {
	"OFPMMFC_UNKNOWN", "OFPMMFC_METER_EXISTS", "OFPMMFC_INVALID_METER",
	"OFPMMFC_UNKNOWN_METER", "OFPMMFC_BAD_COMMAND", "OFPMMFC_BAD_FLAGS", "OFPMMFC_BAD_RATE",
	"OFPMMFC_BAD_BURST", "OFPMMFC_BAD_BAND", "OFPMMFC_BAD_BAND_VALUE",
	"OFPMMFC_OUT_OF_METERS", "OFPMMFC_OUT_OF_BANDS",
};
static const char *const tffc[] = {
	"OFPTFFC_BAD_TABLE", "OFPTFFC_BAD_METADATA", "OFPTFFC_BAD_TYPE", "OFPTFFC_BAD_LEN",
	"OFPTFFC_BAD_ARGUMENT", "OFPTFFC_EPERM",
	"OFPTFFC_BAD_CAP", "OFPTFFC_BAD_MAX_ENT", "OFPTFFC_BAD_FEATURES", "OFPTFFC_BAD_COMMAND",
	"OFPTFFC_TOO_MANY", /* 1.5 */
};
/* Error types new in OF1.4 (os-ken's ofproto_v1_4 / v1_5 constants). */
static const char *const bpc[] = {
	"OFPBPC_BAD_TYPE", "OFPBPC_BAD_LEN", "OFPBPC_BAD_VALUE", "OFPBPC_TOO_MANY",
	"OFPBPC_DUP_TYPE", "OFPBPC_BAD_EXPERIMENTER", "OFPBPC_BAD_EXP_TYPE",
	"OFPBPC_BAD_EXP_VALUE", "OFPBPC_EPERM",
};
static const char *const acfc[] = { "OFPACFC_INVALID", "OFPACFC_UNSUPPORTED", "OFPACFC_EPERM" };
static const char *const mofc[] = {
	"OFPMOFC_UNKNOWN", "OFPMOFC_MONITOR_EXISTS", "OFPMOFC_INVALID_MONITOR",
	"OFPMOFC_UNKNOWN_MONITOR", "OFPMOFC_BAD_COMMAND", "OFPMOFC_BAD_FLAGS",
	"OFPMOFC_BAD_TABLE_ID", "OFPMOFC_BAD_OUT",
};
static const char *const bfc[] = {
	"OFPBFC_UNKNOWN", "OFPBFC_EPERM", "OFPBFC_BAD_ID", "OFPBFC_BUNDLE_EXIST",
	"OFPBFC_BUNDLE_CLOSED", "OFPBFC_OUT_OF_BUNDLES", "OFPBFC_BAD_TYPE", "OFPBFC_BAD_FLAGS",
	"OFPBFC_MSG_BAD_LEN", "OFPBFC_MSG_BAD_XID", "OFPBFC_MSG_UNSUP", "OFPBFC_MSG_CONFLICT",
	"OFPBFC_MSG_TOO_MANY", "OFPBFC_MSG_FAILED", "OFPBFC_TIMEOUT", "OFPBFC_BUNDLE_IN_PROGRESS",
	"OFPBFC_SCHED_NOT_SUPPORTED", "OFPBFC_SCHED_FUTURE", "OFPBFC_SCHED_PAST", /* 1.5 */
};

#define CODES(a) { a, sizeof(a) / sizeof(a[0]) }
static const struct {
	const char *const *names;
	size_t n;
} code_names[] = {
	CODES(hfc), CODES(brc), CODES(bac), CODES(bic), CODES(bmc), CODES(fmfc), CODES(gmfc),
	CODES(pmfc), CODES(tmfc), CODES(qofc), CODES(scfc), CODES(rrfc), CODES(mmfc), CODES(tffc),
	CODES(bpc), CODES(acfc), CODES(mofc), CODES(bfc),
};

const char *sl_ofp_error_code_name(uint16_t type, uint16_t code)
{
	if (type >= sizeof(code_names) / sizeof(code_names[0]))
		return "?";
	return code < code_names[type].n ? code_names[type].names[code] : "?";
}

void sl_ofp_error_reply(const struct sl_ofp_error *err, const uint8_t *request,
			size_t request_len, struct sl_ofp_msg *reply)
{
	uint32_t xid = request_len >= OFP_HEADER_SIZE ? sl_rd32(request + 4) : 0;
	sl_ofp_msg_init(reply, OFPT_ERROR, xid);
	reply->u.error.type = err->type;
	reply->u.error.code = err->code;
	reply->u.error.data = request;
	reply->u.error.data_len = (uint32_t)(request_len < 64 ? request_len : 64);
}

const char *sl_ofp_type_name(uint8_t type)
{
	static const char *const names[] = {
		"OFPT_HELLO", "OFPT_ERROR", "OFPT_ECHO_REQUEST", "OFPT_ECHO_REPLY",
		"OFPT_EXPERIMENTER", "OFPT_FEATURES_REQUEST", "OFPT_FEATURES_REPLY",
		"OFPT_GET_CONFIG_REQUEST", "OFPT_GET_CONFIG_REPLY", "OFPT_SET_CONFIG",
		"OFPT_PACKET_IN", "OFPT_FLOW_REMOVED", "OFPT_PORT_STATUS", "OFPT_PACKET_OUT",
		"OFPT_FLOW_MOD", "OFPT_GROUP_MOD", "OFPT_PORT_MOD", "OFPT_TABLE_MOD",
		"OFPT_MULTIPART_REQUEST", "OFPT_MULTIPART_REPLY", "OFPT_BARRIER_REQUEST",
		"OFPT_BARRIER_REPLY", "OFPT_QUEUE_GET_CONFIG_REQUEST", "OFPT_QUEUE_GET_CONFIG_REPLY",
		"OFPT_ROLE_REQUEST", "OFPT_ROLE_REPLY", "OFPT_GET_ASYNC_REQUEST",
		"OFPT_GET_ASYNC_REPLY", "OFPT_SET_ASYNC", "OFPT_METER_MOD",
		/* OF1.4 / 1.5 */
		"OFPT_ROLE_STATUS", "OFPT_TABLE_STATUS", "OFPT_REQUESTFORWARD",
		"OFPT_BUNDLE_CONTROL", "OFPT_BUNDLE_ADD_MESSAGE", "OFPT_CONTROLLER_STATUS",
	};
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}
