/* SPDX-License-Identifier: BSD-3-Clause */
/* Fake runtime for the agent's tests, harness and benchmark (fake_dp.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fake_dp.h"
#include "openflow.h"
#include "sl_flow_parse.h"
#include "sl_xlate.h"

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
port_fill(struct sl_agent_port *p, uint32_t ofport)
{
	memset(p, 0, sizeof(*p));
	p->ofport = ofport;
	snprintf(p->name, sizeof(p->name), "p%u", ofport);
	p->hw_addr[0] = 0x02;
	p->hw_addr[5] = (uint8_t)ofport;
	p->state = OFPPS_LIVE;
	p->curr_speed = 10000000;
	p->max_speed = 10000000;
	p->rx_packets = 10 * ofport;
	p->tx_packets = 20 * ofport;
	p->rx_bytes = 1000 * ofport;
	p->tx_bytes = 2000 * ofport;
	p->created_ns = mono_ns();
}

void
fake_dp_init(struct fake_dp *d, unsigned int n)
{
	memset(d, 0, sizeof(*d));
	for (unsigned int i = 0; i < n && i < FAKE_MAX_PORTS; i++) {
		port_fill(&d->ports[i], i + 1);
		d->present[i] = true;
	}
	d->n_ports = n;
	d->seq = 1;
	for (unsigned int i = 0; i < sizeof(d->pin_data); i++)
		d->pin_data[i] = (uint8_t)i;
}

void
fake_dp_add_port(struct fake_dp *d, uint32_t ofport)
{
	if (d->n_ports >= FAKE_MAX_PORTS)
		return;
	port_fill(&d->ports[d->n_ports], ofport);
	d->present[d->n_ports++] = true;
	d->seq++;
}

void
fake_dp_remove_port(struct fake_dp *d, unsigned int idx)
{
	d->present[idx] = false;
	d->seq++;
}

void
fake_dp_set_link(struct fake_dp *d, unsigned int idx, bool up)
{
	d->ports[idx].state = up ? OFPPS_LIVE : OFPPS_LINK_DOWN;
	d->seq++;
}

void
fake_dp_inject_pin(struct fake_dp *d, uint8_t reason, uint8_t table_id, uint64_t cookie,
		   uint32_t in_port, uint64_t metadata, uint16_t max_len, uint32_t len)
{
	struct sl_agent_packet_in *p;

	if (d->pin_tail - d->pin_head >= FAKE_MAX_PINS) {
		d->ring_drops++;
		return;
	}
	p = &d->pins[d->pin_tail++ % FAKE_MAX_PINS];
	memset(p, 0, sizeof(*p));
	p->reason = reason;
	p->table_id = table_id;
	p->cookie = cookie;
	p->in_port = in_port;
	p->metadata = metadata;
	p->max_len = max_len;
	p->total_len = len;
	p->data = d->pin_data;
	p->data_len = len < sizeof(d->pin_data) ? len : sizeof(d->pin_data);
}

static unsigned int
f_n_ports(void *ctx)
{
	return ((struct fake_dp *)ctx)->n_ports;
}

static bool
f_port_get(void *ctx, unsigned int idx, struct sl_agent_port *out)
{
	struct fake_dp *d = ctx;

	if (idx >= d->n_ports || !d->present[idx])
		return false;
	*out = d->ports[idx];
	return true;
}

static int
f_port_by_ofport(void *ctx, uint32_t ofport)
{
	struct fake_dp *d = ctx;

	for (unsigned int i = 0; i < d->n_ports; i++)
		if (d->present[i] && d->ports[i].ofport == ofport)
			return (int)i;
	return -1;
}

static uint64_t
f_port_seq(void *ctx)
{
	return ((struct fake_dp *)ctx)->seq;
}

static int
f_port_mod(void *ctx, uint32_t ofport, uint32_t config, uint32_t mask, uint16_t *err_code)
{
	struct fake_dp *d = ctx;
	int i = f_port_by_ofport(ctx, ofport);

	if (i < 0) {
		*err_code = 0; /* OFPPMFC_BAD_PORT */
		return -1;
	}
	d->ports[i].config = (d->ports[i].config & ~mask) | (config & mask);
	d->n_port_mods++;
	d->seq++;
	return 0;
}

static void
f_port_mod_stage(void *ctx, uint32_t ofport, uint32_t config, uint32_t mask, uint64_t version)
{
	struct fake_dp *d = ctx;
	int i = f_port_by_ofport(ctx, ofport);
	uint32_t base;

	if (i < 0)
		return;
	base = d->staged_version[i] ? d->staged_config[i] : d->ports[i].config;
	d->staged_config[i] = (base & ~mask) | (config & mask);
	d->staged_version[i] = version;
	d->last_staged_version = version;
	d->n_port_stages++;
}

static unsigned int
f_port_mods_settle(void *ctx)
{
	struct fake_dp *d = ctx;
	unsigned int changed = 0;

	for (unsigned int i = 0; i < d->n_ports; i++) {
		if (d->staged_version[i] == 0)
			continue;
		changed += d->ports[i].config != d->staged_config[i];
		d->ports[i].config = d->staged_config[i];
		d->staged_version[i] = 0;
	}
	d->seq += changed;
	d->n_settles++;
	d->n_syncs_at_settle = d->n_sync;
	return changed;
}

static void
f_tables_changed(void *ctx)
{
	((struct fake_dp *)ctx)->n_tables_changed++;
}

static void
f_sync(void *ctx)
{
	struct fake_dp *d = ctx;

	d->n_sync++;
	d->tables_changed_at_sync = d->n_tables_changed;
}

static unsigned int
f_pin_poll(void *ctx, struct sl_agent_packet_in *out, unsigned int max)
{
	struct fake_dp *d = ctx;
	unsigned int n = 0;

	while (n < max && d->pin_head != d->pin_tail)
		out[n++] = d->pins[d->pin_head++ % FAKE_MAX_PINS];
	return n;
}

static void
f_pin_release(void *ctx, struct sl_agent_packet_in *pin)
{
	(void)pin;
	((struct fake_dp *)ctx)->pin_released++;
}

static uint64_t
f_ring_drops(void *ctx)
{
	return ((struct fake_dp *)ctx)->ring_drops;
}

/* Run the packet through translation, then do what a worker would do
 * with the result: credit counters and send to-controller copies. */
static void
translate(struct fake_dp *d, struct fake_pout *p, uint32_t in_port,
	  const struct sl_agent_actions *l, const uint8_t *data, uint32_t len)
{
	static struct sl_xlate_result res;
	struct sl_pkt_layout layout;
	struct sl_flow_key key;
	uint64_t now = mono_ns();

	if (sl_flow_parse(data, len, in_port, in_port, 0, &key, &layout) < 0)
		return;
	if (sl_xlate_actions(d->pl, &key, l->actions, l->n_actions, &res) != 0)
		return;
	p->n_dp_actions = res.n_actions;
	for (unsigned int i = 0; i < res.n_rules; i++)
		sl_rule_credit(res.rules[i], 1, len, now);
	for (unsigned int i = 0; i < res.n_buckets; i++) {
		const struct sl_group *g = res.buckets[i].group;
		struct sl_bucket *b = (struct sl_bucket *)&g->buckets[res.buckets[i].bucket];

		__atomic_fetch_add(&g->stats->n_packets, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&g->stats->n_bytes, len, __ATOMIC_RELAXED);
		__atomic_fetch_add(&b->n_packets, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&b->n_bytes, len, __ATOMIC_RELAXED);
	}
	for (unsigned int i = 0; i < res.n_actions; i++) {
		const struct sl_exec_action *a = &res.actions[i];

		if (a->type == SL_EXEC_OUTPUT && p->first_dp_port == 0)
			p->first_dp_port = a->output.port;
		if (a->type == SL_EXEC_CONTROLLER) {
			unsigned int n = len < sizeof(d->pin_data) ? len : sizeof(d->pin_data);

			if (n) /* a packet-out without data: NULL (fuzz_agent found it) */
				memcpy(d->pin_data, data, n);
			fake_dp_inject_pin(d, a->controller.reason, a->controller.table_id,
					   a->controller.cookie, in_port, key.metadata,
					   a->controller.max_len, len);
		}
	}
}

static int
f_packet_out(void *ctx, uint32_t in_port, const void *actions, const uint8_t *data,
	     uint32_t len, uint16_t *err_type, uint16_t *err_code)
{
	struct fake_dp *d = ctx;
	const struct sl_agent_actions *l = actions;
	struct fake_pout *p;

	(void)err_type;
	(void)err_code;
	if (d->n_pouts >= FAKE_MAX_POUTS)
		return 0;
	p = &d->pouts[d->n_pouts++];
	p->in_port = in_port;
	p->n_actions = l->n_actions;
	p->len = len;
	p->first_type = 0xffff;
	if (l->n_actions) {
		p->first_type = l->actions[0].type;
		p->first_port = l->actions[0].output.port;
	}
	if (d->pl)
		translate(d, p, in_port, l, data, len);
	return 0;
}

const struct sl_agent_dp_ops fake_dp_ops = {
	.n_ports = f_n_ports,
	.port_get = f_port_get,
	.port_by_ofport = f_port_by_ofport,
	.port_seq = f_port_seq,
	.port_mod = f_port_mod,
	.port_mod_stage = f_port_mod_stage,
	.port_mods_settle = f_port_mods_settle,
	.tables_changed = f_tables_changed,
	.sync = f_sync,
	.packet_in_poll = f_pin_poll,
	.packet_in_release = f_pin_release,
	.packet_in_ring_drops = f_ring_drops,
	.packet_out = f_packet_out,
};
