/* A corpus of messages built with the codec's structures: at least one of
 * every OF1.3 message and multipart type, with realistic values.  Used by
 * the round-trip test, the ovs-ofctl / os-ken cross-check and the fuzzer
 * seeds. */
#include "ofp_corpus.h"

#include <stdlib.h>
#include <string.h>

#include "sl_ofp_hello.h"

static const uint8_t frame[60] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x0a, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02,
};

static void *alloc(struct sl_ofp_msg *m, size_t n)
{
	void *p = sl_ofp_msg_alloc(m, n);
	if (p == NULL)
		abort();
	return p;
}

static struct sl_ofp_msg *add(struct ofp_corpus *c, const char *name, uint8_t type)
{
	if (c->n == OFP_CORPUS_MAX)
		abort();
	struct ofp_sample *s = &c->v[c->n++];
	s->name = name;
	s->to_switch = false;
	sl_ofp_msg_init(&s->msg, type, 0x1000u + (uint32_t)c->n);
	return &s->msg;
}

/* eth_type=0x0800, ip_proto=6, ipv4_dst=10.0.0.0/8, tcp_dst=80, in_port=1 */
static void ipv4_tcp_match(struct sl_ofp_msg *m, struct sl_ofp_match *match)
{
	struct sl_ofp_oxm *f = alloc(m, 5 * sizeof(*f));
	uint64_t mask8 = 0xff000000u;
	sl_ofp_oxm_set_basic(&f[0], OFPXMT_OFB_IN_PORT, 1, NULL);
	sl_ofp_oxm_set_basic(&f[1], OFPXMT_OFB_ETH_TYPE, 0x0800, NULL);
	sl_ofp_oxm_set_basic(&f[2], OFPXMT_OFB_IP_PROTO, 6, NULL);
	sl_ofp_oxm_set_basic(&f[3], OFPXMT_OFB_IPV4_DST, 0x0a000000u, &mask8);
	sl_ofp_oxm_set_basic(&f[4], OFPXMT_OFB_TCP_DST, 80, NULL);
	match->type = OFPMT_OXM;
	match->fields = f;
	match->n_fields = 5;
}

static struct sl_ofp_action *output_action(struct sl_ofp_msg *m, uint32_t port)
{
	struct sl_ofp_action *a = alloc(m, sizeof(*a));
	a->type = OFPAT_OUTPUT;
	a->u.output.port = port;
	a->u.output.max_len = port == OFPP_CONTROLLER ? 128 : 0;
	return a;
}

/* apply(push_vlan, set vlan_vid=10, set ipv4_src, dec_nw_ttl, output:2),
 * write_metadata, meter 1, goto_table 1 */
static void flow_instructions(struct sl_ofp_msg *m, struct sl_ofp_instruction **out, uint32_t *n)
{
	struct sl_ofp_action *a = alloc(m, 5 * sizeof(*a));
	a[0].type = OFPAT_PUSH_VLAN;
	a[0].u.ethertype.ethertype = 0x8100;
	a[1].type = OFPAT_SET_FIELD;
	sl_ofp_oxm_set_basic(&a[1].u.set_field, OFPXMT_OFB_VLAN_VID, OFPVID_PRESENT | 10, NULL);
	a[2].type = OFPAT_SET_FIELD;
	sl_ofp_oxm_set_basic(&a[2].u.set_field, OFPXMT_OFB_IPV4_SRC, 0xc0a80001u, NULL);
	a[3].type = OFPAT_DEC_NW_TTL;
	a[4].type = OFPAT_OUTPUT;
	a[4].u.output.port = 2;
	struct sl_ofp_instruction *ins = alloc(m, 4 * sizeof(*ins));
	ins[0].type = OFPIT_METER;
	ins[0].u.meter.meter_id = 1;
	ins[1].type = OFPIT_APPLY_ACTIONS;
	ins[1].u.actions.actions = a;
	ins[1].u.actions.n_actions = 5;
	ins[2].type = OFPIT_WRITE_METADATA;
	ins[2].u.write_metadata.metadata = 0x10;
	ins[2].u.write_metadata.metadata_mask = 0xff;
	ins[3].type = OFPIT_GOTO_TABLE;
	ins[3].u.goto_table.table_id = 1;
	*out = ins;
	*n = 4;
}

static void fill_port(struct sl_ofp_port *p, uint32_t no, const char *name)
{
	p->port_no = no;
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	memcpy(p->hw_addr, mac, 6);
	p->hw_addr[5] = (uint8_t)no;
	strncpy(p->name, name, sizeof(p->name) - 1);
	p->state = OFPPS_LIVE;
	p->curr = p->advertised = p->supported = p->peer = OFPPF_10GB_FD | OFPPF_FIBER;
	p->curr_speed = p->max_speed = 10000000;
}

static struct sl_ofp_meter_band *bands(struct sl_ofp_msg *m, uint32_t *n)
{
	struct sl_ofp_meter_band *b = alloc(m, 2 * sizeof(*b));
	b[0].type = OFPMBT_DROP;
	b[0].rate = 1000;
	b[0].burst_size = 100;
	b[1].type = OFPMBT_DSCP_REMARK;
	b[1].rate = 500;
	b[1].burst_size = 50;
	b[1].prec_level = 1;
	*n = 2;
	return b;
}

static struct sl_ofp_bucket *buckets(struct sl_ofp_msg *m, uint32_t *n)
{
	struct sl_ofp_bucket *b = alloc(m, 2 * sizeof(*b));
	for (int i = 0; i < 2; i++) {
		b[i].weight = 50;
		b[i].watch_port = OFPP_ANY;
		b[i].watch_group = OFPG_ANY;
		b[i].actions = output_action(m, (uint32_t)(3 + i));
		b[i].n_actions = 1;
	}
	*n = 2;
	return b;
}

static void build_simple(struct ofp_corpus *c)
{
	struct sl_ofp_msg *m = &c->v[c->n].msg;
	c->v[c->n].name = "hello";
	c->v[c->n].to_switch = true;
	sl_ofp_hello_build(m, sl_ofp_supported_versions(), 1);
	c->n++;

	m = add(c, "error", OFPT_ERROR);
	m->u.error.type = OFPET_BAD_REQUEST;
	m->u.error.code = OFPBRC_BAD_TYPE;
	static const uint8_t req[8] = { 4, OFPT_BARRIER_REQUEST, 0, 8, 0, 0, 0, 7 };
	m->u.error.data = req;
	m->u.error.data_len = sizeof(req);
	m = add(c, "echo_request", OFPT_ECHO_REQUEST);
	m->u.echo.data = (const uint8_t *)"ping";
	m->u.echo.data_len = 4;
	c->v[c->n - 1].to_switch = true;
	m = add(c, "echo_reply", OFPT_ECHO_REPLY);
	m->u.echo.data = (const uint8_t *)"ping";
	m->u.echo.data_len = 4;
	m = add(c, "experimenter", OFPT_EXPERIMENTER);
	/* Nicira NXT_SET_PACKET_IN_FORMAT(nxt_packet_in): one OVS can print */
	m->u.experimenter.experimenter = 0x00002320;
	m->u.experimenter.exp_type = 16;
	m->u.experimenter.data = (const uint8_t *)"\0\0\0\1";
	m->u.experimenter.data_len = 4;
	add(c, "features_request", OFPT_FEATURES_REQUEST);
	c->v[c->n - 1].to_switch = true;
	m = add(c, "features_reply", OFPT_FEATURES_REPLY);
	m->u.features.datapath_id = 0x0000020000000001ull;
	m->u.features.n_buffers = 0;
	m->u.features.n_tables = 254;
	m->u.features.capabilities = OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS |
				     OFPC_GROUP_STATS | OFPC_QUEUE_STATS;
	add(c, "get_config_request", OFPT_GET_CONFIG_REQUEST);
	c->v[c->n - 1].to_switch = true;
	m = add(c, "get_config_reply", OFPT_GET_CONFIG_REPLY);
	m->u.config.miss_send_len = 128;
	m = add(c, "set_config", OFPT_SET_CONFIG);
	m->u.config.miss_send_len = 256;
	c->v[c->n - 1].to_switch = true;
	add(c, "barrier_request", OFPT_BARRIER_REQUEST);
	c->v[c->n - 1].to_switch = true;
	add(c, "barrier_reply", OFPT_BARRIER_REPLY);
	m = add(c, "role_request", OFPT_ROLE_REQUEST);
	m->u.role.role = OFPCR_ROLE_MASTER;
	m->u.role.generation_id = 42;
	c->v[c->n - 1].to_switch = true;
	m = add(c, "role_reply", OFPT_ROLE_REPLY);
	m->u.role.role = OFPCR_ROLE_MASTER;
	m->u.role.generation_id = 42;
	add(c, "get_async_request", OFPT_GET_ASYNC_REQUEST);
	c->v[c->n - 1].to_switch = true;
	for (int k = 0; k < 2; k++) {
		m = add(c, k ? "set_async" : "get_async_reply", k ? OFPT_SET_ASYNC : OFPT_GET_ASYNC_REPLY);
		m->u.async.packet_in_mask[0] = 3;
		m->u.async.port_status_mask[0] = 7;
		m->u.async.flow_removed_mask[0] = 15;
		c->v[c->n - 1].to_switch = k == 1;
	}
	m = add(c, "queue_get_config_request", OFPT_QUEUE_GET_CONFIG_REQUEST);
	m->u.queue_config.port = 1;
	c->v[c->n - 1].to_switch = true;
	m = add(c, "queue_get_config_reply", OFPT_QUEUE_GET_CONFIG_REPLY);
	m->u.queue_config.port = 1;
	struct sl_ofp_packet_queue *q = alloc(m, sizeof(*q));
	struct sl_ofp_queue_prop *qp = alloc(m, 2 * sizeof(*qp));
	qp[0].property = OFPQT_MIN_RATE;
	qp[0].rate = 100;
	qp[1].property = OFPQT_MAX_RATE;
	qp[1].rate = 900;
	q->queue_id = 1;
	q->port = 1;
	q->properties = qp;
	q->n_properties = 2;
	m->u.queue_config.queues = q;
	m->u.queue_config.n_queues = 1;
}

static void build_async_and_mods(struct ofp_corpus *c)
{
	struct sl_ofp_msg *m = add(c, "packet_in", OFPT_PACKET_IN);
	m->u.packet_in.buffer_id = OFP_NO_BUFFER;
	m->u.packet_in.total_len = sizeof(frame);
	m->u.packet_in.reason = OFPR_ACTION;
	m->u.packet_in.cookie = 0x1234;
	struct sl_ofp_oxm *inport = alloc(m, sizeof(*inport));
	sl_ofp_oxm_set_basic(inport, OFPXMT_OFB_IN_PORT, 1, NULL);
	m->u.packet_in.match = (struct sl_ofp_match){ OFPMT_OXM, inport, 1 };
	m->u.packet_in.data = frame;
	m->u.packet_in.data_len = sizeof(frame);

	m = add(c, "flow_removed", OFPT_FLOW_REMOVED);
	m->u.flow_removed.cookie = 0xabc;
	m->u.flow_removed.priority = 100;
	m->u.flow_removed.reason = OFPRR_IDLE_TIMEOUT;
	m->u.flow_removed.duration_sec = 10;
	m->u.flow_removed.idle_timeout = 10;
	m->u.flow_removed.packet_count = 5;
	m->u.flow_removed.byte_count = 500;
	ipv4_tcp_match(m, &m->u.flow_removed.match);

	m = add(c, "port_status", OFPT_PORT_STATUS);
	m->u.port_status.reason = OFPPR_MODIFY;
	fill_port(&m->u.port_status.desc, 1, "eth1");

	m = add(c, "packet_out", OFPT_PACKET_OUT);
	c->v[c->n - 1].to_switch = true;
	m->u.packet_out.buffer_id = OFP_NO_BUFFER;
	m->u.packet_out.in_port = OFPP_CONTROLLER;
	m->u.packet_out.actions = output_action(m, OFPP_TABLE);
	m->u.packet_out.n_actions = 1;
	m->u.packet_out.data = frame;
	m->u.packet_out.data_len = sizeof(frame);

	m = add(c, "flow_mod", OFPT_FLOW_MOD);
	c->v[c->n - 1].to_switch = true;
	struct sl_ofp_flow_mod *fm = &m->u.flow_mod;
	fm->cookie = 0x1;
	fm->command = OFPFC_ADD;
	fm->idle_timeout = 60;
	fm->priority = 1000;
	fm->buffer_id = OFP_NO_BUFFER;
	fm->out_port = OFPP_ANY;
	fm->out_group = OFPG_ANY;
	fm->flags = OFPFF_SEND_FLOW_REM;
	ipv4_tcp_match(m, &fm->match);
	flow_instructions(m, &fm->instructions, &fm->n_instructions);

	m = add(c, "group_mod", OFPT_GROUP_MOD);
	c->v[c->n - 1].to_switch = true;
	m->u.group_mod.command = OFPGC_ADD;
	m->u.group_mod.type = OFPGT_SELECT;
	m->u.group_mod.group_id = 1;
	m->u.group_mod.buckets = buckets(m, &m->u.group_mod.n_buckets);

	m = add(c, "port_mod", OFPT_PORT_MOD);
	c->v[c->n - 1].to_switch = true;
	m->u.port_mod.port_no = 1;
	memcpy(m->u.port_mod.hw_addr, "\x02\x00\x00\x00\x00\x01", 6);
	m->u.port_mod.config = OFPPC_NO_PACKET_IN;
	m->u.port_mod.mask = OFPPC_NO_PACKET_IN;

	m = add(c, "table_mod", OFPT_TABLE_MOD);
	c->v[c->n - 1].to_switch = true;
	m->u.table_mod.table_id = 0;

	m = add(c, "meter_mod", OFPT_METER_MOD);
	c->v[c->n - 1].to_switch = true;
	m->u.meter_mod.command = OFPMC_ADD;
	m->u.meter_mod.flags = OFPMF_KBPS | OFPMF_BURST | OFPMF_STATS;
	m->u.meter_mod.meter_id = 1;
	m->u.meter_mod.bands = bands(m, &m->u.meter_mod.n_bands);
}

static struct sl_ofp_msg *mp(struct ofp_corpus *c, const char *name, bool request, uint16_t type)
{
	struct sl_ofp_msg *m = add(c, name, request ? OFPT_MULTIPART_REQUEST : OFPT_MULTIPART_REPLY);
	c->v[c->n - 1].to_switch = request;
	m->u.multipart.type = type;
	return m;
}

static void build_mp_requests(struct ofp_corpus *c)
{
	static const struct { const char *name; uint16_t type; } empty[] = {
		{ "mp_desc_request", OFPMP_DESC }, { "mp_table_request", OFPMP_TABLE },
		{ "mp_group_desc_request", OFPMP_GROUP_DESC },
		{ "mp_group_features_request", OFPMP_GROUP_FEATURES },
		{ "mp_meter_features_request", OFPMP_METER_FEATURES },
		{ "mp_table_features_request", OFPMP_TABLE_FEATURES },
		{ "mp_port_desc_request", OFPMP_PORT_DESC },
	};
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
		mp(c, empty[i].name, true, empty[i].type);
	for (int k = 0; k < 2; k++) {
		struct sl_ofp_msg *m = mp(c, k ? "mp_aggregate_request" : "mp_flow_request", true,
					  k ? OFPMP_AGGREGATE : OFPMP_FLOW);
		m->u.multipart.body.flow_request.table_id = OFPTT_ALL;
		m->u.multipart.body.flow_request.out_port = OFPP_ANY;
		m->u.multipart.body.flow_request.out_group = OFPG_ANY;
		ipv4_tcp_match(m, &m->u.multipart.body.flow_request.match);
	}
	struct sl_ofp_msg *m = mp(c, "mp_port_stats_request", true, OFPMP_PORT_STATS);
	m->u.multipart.body.port_request.port_no = OFPP_ANY;
	m = mp(c, "mp_queue_request", true, OFPMP_QUEUE);
	m->u.multipart.body.queue_request.port_no = OFPP_ANY;
	m->u.multipart.body.queue_request.queue_id = OFPQ_ALL;
	m = mp(c, "mp_group_request", true, OFPMP_GROUP);
	m->u.multipart.body.group_request.group_id = OFPG_ALL;
	m = mp(c, "mp_meter_request", true, OFPMP_METER);
	m->u.multipart.body.meter_request.meter_id = OFPM_ALL;
	m = mp(c, "mp_meter_config_request", true, OFPMP_METER_CONFIG);
	m->u.multipart.body.meter_request.meter_id = OFPM_ALL;
	for (int k = 0; k < 2; k++) {
		m = mp(c, k ? "mp_experimenter_reply" : "mp_experimenter_request", k == 0,
		       OFPMP_EXPERIMENTER);
		c->v[c->n - 1].to_switch = false; /* a switch refuses unknown experimenters */
		m->u.multipart.body.experimenter.experimenter = 0x00abcdef;
		m->u.multipart.body.experimenter.exp_type = 1;
		m->u.multipart.body.experimenter.data = (const uint8_t *)"12345678";
		m->u.multipart.body.experimenter.data_len = 8;
	}
}

static void build_mp_replies(struct ofp_corpus *c)
{
	struct sl_ofp_msg *m = mp(c, "mp_desc_reply", false, OFPMP_DESC);
	struct sl_ofp_desc *d = &m->u.multipart.body.desc;
	strcpy(d->mfr_desc, "Sluice project");
	strcpy(d->hw_desc, "DPDK userspace");
	strcpy(d->sw_desc, "sluice 0.1.0");
	strcpy(d->serial_num, "none");
	strcpy(d->dp_desc, "br0");

	m = mp(c, "mp_flow_reply", false, OFPMP_FLOW);
	struct sl_ofp_flow_stats *fs = alloc(m, sizeof(*fs));
	fs->table_id = 0;
	fs->duration_sec = 3;
	fs->priority = 1000;
	fs->idle_timeout = 60;
	fs->cookie = 1;
	fs->packet_count = 10;
	fs->byte_count = 1000;
	ipv4_tcp_match(m, &fs->match);
	flow_instructions(m, &fs->instructions, &fs->n_instructions);
	m->u.multipart.body.flow_stats.items = fs;
	m->u.multipart.body.flow_stats.n = 1;

	m = mp(c, "mp_aggregate_reply", false, OFPMP_AGGREGATE);
	m->u.multipart.body.aggregate = (struct sl_ofp_aggregate_stats){ .packet_count = 10, .byte_count = 1000, .flow_count = 1 };

	m = mp(c, "mp_table_reply", false, OFPMP_TABLE);
	struct sl_ofp_table_stats *ts = alloc(m, 2 * sizeof(*ts));
	ts[0] = (struct sl_ofp_table_stats){ 0, 3, 100, 90 };
	ts[1] = (struct sl_ofp_table_stats){ 1, 1, 90, 90 };
	m->u.multipart.body.table_stats.items = ts;
	m->u.multipart.body.table_stats.n = 2;

	m = mp(c, "mp_port_stats_reply", false, OFPMP_PORT_STATS);
	struct sl_ofp_port_stats *ps = alloc(m, sizeof(*ps));
	ps->port_no = 1;
	ps->rx_packets = 100;
	ps->tx_packets = 90;
	ps->rx_bytes = 10000;
	ps->tx_bytes = 9000;
	ps->duration_sec = 60;
	m->u.multipart.body.port_stats.items = ps;
	m->u.multipart.body.port_stats.n = 1;

	m = mp(c, "mp_queue_reply", false, OFPMP_QUEUE);
	struct sl_ofp_queue_stats *qs = alloc(m, sizeof(*qs));
	*qs = (struct sl_ofp_queue_stats){ .port_no = 1, .queue_id = 1, .tx_bytes = 1000,
					    .tx_packets = 10, .duration_sec = 60 };
	m->u.multipart.body.queue_stats.items = qs;
	m->u.multipart.body.queue_stats.n = 1;

	m = mp(c, "mp_group_reply", false, OFPMP_GROUP);
	struct sl_ofp_group_stats *gs = alloc(m, sizeof(*gs));
	struct sl_ofp_bucket_counter *bc = alloc(m, 2 * sizeof(*bc));
	bc[0] = (struct sl_ofp_bucket_counter){ 5, 500 };
	bc[1] = (struct sl_ofp_bucket_counter){ 6, 600 };
	*gs = (struct sl_ofp_group_stats){ 1, 1, 11, 1100, 60, 0, bc, 2 };
	m->u.multipart.body.group_stats.items = gs;
	m->u.multipart.body.group_stats.n = 1;

}

/* one table with all eight properties OVS requires */
static void build_table_features_reply(struct ofp_corpus *c)
{
	struct sl_ofp_msg *m;
	m = mp(c, "mp_table_features_reply", false, OFPMP_TABLE_FEATURES);
	struct sl_ofp_table_features *tf = alloc(m, sizeof(*tf));
	tf->table_id = 0;
	strcpy(tf->name, "table0");
	tf->metadata_match = tf->metadata_write = UINT64_MAX;
	tf->max_entries = 1000000;
	/* all eight properties OVS requires, each with a couple of ids */
	struct sl_ofp_table_feature_prop *tp = alloc(m, 8 * sizeof(*tp));
	struct sl_ofp_tf_id *ins_ids = alloc(m, 2 * sizeof(*ins_ids));
	ins_ids[0].type = OFPIT_APPLY_ACTIONS;
	ins_ids[1].type = OFPIT_GOTO_TABLE;
	uint8_t *next = alloc(m, 2);
	next[0] = 1;
	next[1] = 2;
	struct sl_ofp_tf_id *act_ids = alloc(m, 2 * sizeof(*act_ids));
	act_ids[0].type = OFPAT_OUTPUT;
	act_ids[1].type = OFPAT_SET_FIELD;
	struct sl_ofp_oxm_id *oxm_ids = alloc(m, 2 * sizeof(*oxm_ids));
	oxm_ids[0].header = (uint32_t)OFPXMC_OPENFLOW_BASIC << 16 | OFPXMT_OFB_IN_PORT << 9 | 4;
	oxm_ids[1].header = (uint32_t)OFPXMC_OPENFLOW_BASIC << 16 | OFPXMT_OFB_ETH_DST << 9 | 6;
	static const uint16_t types[8] = {
		OFPTFPT_INSTRUCTIONS, OFPTFPT_NEXT_TABLES, OFPTFPT_WRITE_ACTIONS,
		OFPTFPT_APPLY_ACTIONS, OFPTFPT_MATCH, OFPTFPT_WILDCARDS, OFPTFPT_WRITE_SETFIELD,
		OFPTFPT_APPLY_SETFIELD,
	};
	for (int i = 0; i < 8; i++) {
		tp[i].type = types[i];
		if (types[i] == OFPTFPT_INSTRUCTIONS) {
			tp[i].ids = ins_ids;
			tp[i].n_ids = 2;
		} else if (types[i] == OFPTFPT_NEXT_TABLES) {
			tp[i].table_ids = next;
			tp[i].n_table_ids = 2;
		} else if (types[i] <= OFPTFPT_APPLY_ACTIONS_MISS) {
			tp[i].ids = act_ids;
			tp[i].n_ids = 2;
		} else {
			tp[i].oxm_ids = oxm_ids;
			tp[i].n_oxm_ids = types[i] == OFPTFPT_MATCH || types[i] == OFPTFPT_WILDCARDS ? 2 : 1;
		}
	}
	tf->properties = tp;
	tf->n_properties = 8;
	m->u.multipart.body.table_features.items = tf;
	m->u.multipart.body.table_features.n = 1;

}

/* group, meter, table-features and port-desc replies */
static void build_mp_replies2(struct ofp_corpus *c)
{
	struct sl_ofp_msg *m = mp(c, "mp_group_desc_reply", false, OFPMP_GROUP_DESC);
	struct sl_ofp_group_desc *gd = alloc(m, sizeof(*gd));
	gd->type = OFPGT_SELECT;
	gd->group_id = 1;
	gd->buckets = buckets(m, &gd->n_buckets);
	m->u.multipart.body.group_desc.items = gd;
	m->u.multipart.body.group_desc.n = 1;

	m = mp(c, "mp_group_features_reply", false, OFPMP_GROUP_FEATURES);
	struct sl_ofp_group_features *gf = &m->u.multipart.body.group_features;
	gf->types = 1u << OFPGT_ALL | 1u << OFPGT_SELECT | 1u << OFPGT_INDIRECT | 1u << OFPGT_FF;
	gf->capabilities = OFPGFC_SELECT_WEIGHT | OFPGFC_SELECT_LIVENESS;
	for (int i = 0; i < 4; i++) {
		gf->max_groups[i] = 65536;
		gf->actions[i] = 1u << OFPAT_OUTPUT | 1u << OFPAT_SET_FIELD;
	}

	m = mp(c, "mp_meter_reply", false, OFPMP_METER);
	struct sl_ofp_meter_stats *ms = alloc(m, sizeof(*ms));
	struct sl_ofp_meter_band_stats *bs = alloc(m, sizeof(*bs));
	*bs = (struct sl_ofp_meter_band_stats){ 3, 300 };
	*ms = (struct sl_ofp_meter_stats){ 1, 1, 10, 1000, 60, 0, bs, 1 };
	m->u.multipart.body.meter_stats.items = ms;
	m->u.multipart.body.meter_stats.n = 1;

	m = mp(c, "mp_meter_config_reply", false, OFPMP_METER_CONFIG);
	struct sl_ofp_meter_config *mc = alloc(m, sizeof(*mc));
	mc->flags = OFPMF_KBPS | OFPMF_BURST;
	mc->meter_id = 1;
	mc->bands = bands(m, &mc->n_bands);
	m->u.multipart.body.meter_config.items = mc;
	m->u.multipart.body.meter_config.n = 1;

	m = mp(c, "mp_meter_features_reply", false, OFPMP_METER_FEATURES);
	struct sl_ofp_meter_features *mf = alloc(m, sizeof(*mf));
	*mf = (struct sl_ofp_meter_features){ 1024, 1u << OFPMBT_DROP | 1u << OFPMBT_DSCP_REMARK,
					      OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS,
					      4, 0 };
	m->u.multipart.body.meter_features.items = mf;
	m->u.multipart.body.meter_features.n = 1;

	build_table_features_reply(c);
	m = mp(c, "mp_port_desc_reply", false, OFPMP_PORT_DESC);
	struct sl_ofp_port *pd = alloc(m, 2 * sizeof(*pd));
	fill_port(&pd[0], 1, "eth1");
	fill_port(&pd[1], 2, "vhost-vm1");
	m->u.multipart.body.port_desc.items = pd;
	m->u.multipart.body.port_desc.n = 2;
}

void ofp_corpus_build(struct ofp_corpus *c)
{
	memset(c, 0, sizeof(*c));
	build_simple(c);
	build_async_and_mods(c);
	build_mp_requests(c);
	build_mp_replies(c);
	build_mp_replies2(c);
}

void ofp_corpus_free(struct ofp_corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		sl_ofp_msg_free(&c->v[i].msg);
	c->n = 0;
}
