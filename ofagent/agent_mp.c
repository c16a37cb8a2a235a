/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multipart requests about the switch and its ports (desc, port desc, port
 * and queue stats). Those reading the tables, groups and meters are in
 * agent_flow.c. Replies go through the codec's splitter, so any reply size
 * is fine (parts of at most 64 KiB, OFPMPF_REPLY_MORE on all but the last).
 */
#include <stdio.h>
#include <string.h>

#include "agent_private.h"

static void
reply_desc(struct agent_conn *ac, struct sl_ofp_msg *r)
{
	struct sl_ofp_desc *d = &r->u.multipart.body.desc;

	snprintf(d->mfr_desc, sizeof(d->mfr_desc), "Sluice project");
	snprintf(d->hw_desc, sizeof(d->hw_desc), "DPDK userspace switch");
	snprintf(d->sw_desc, sizeof(d->sw_desc), "sluice 0.1.0");
	snprintf(d->serial_num, sizeof(d->serial_num), "None");
	snprintf(d->dp_desc, sizeof(d->dp_desc), "%s", ac->a->cfg.dp_desc);
	agent_send_multipart(ac, r);
}

static void
port_stats_fill(const struct sl_agent_port *p, uint64_t now, struct sl_ofp_port_stats *s)
{
	uint64_t age = now > p->created_ns ? now - p->created_ns : 0;

	memset(s, 0, sizeof(*s));
	s->port_no = p->ofport;
	s->rx_packets = p->rx_packets;
	s->tx_packets = p->tx_packets;
	s->rx_bytes = p->rx_bytes;
	s->tx_bytes = p->tx_bytes;
	s->rx_dropped = p->rx_dropped;
	s->tx_dropped = p->tx_dropped;
	s->rx_errors = p->rx_errors;
	s->tx_errors = p->tx_errors;
	s->duration_sec = (uint32_t)(age / 1000000000u);
	s->duration_nsec = (uint32_t)(age % 1000000000u);
}

/* PORT_STATS and PORT_DESC: one item per port (or the one asked for). */
static void
reply_ports(struct agent_conn *ac, struct sl_ofp_msg *r, uint32_t only,
	    const uint8_t *raw, size_t len)
{
	struct sl_agent *a = ac->a;
	unsigned int n = a->ops->n_ports(a->dp), k = 0;
	bool stats = r->u.multipart.type == OFPMP_PORT_STATS;
	struct sl_ofp_port_stats *st = NULL;
	struct sl_ofp_port *pd = NULL;
	uint64_t now = agent_now_ns();

	if (only != OFPP_ANY && a->ops->port_by_ofport(a->dp, only) < 0) {
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT);
		return;
	}
	if (stats)
		st = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*st));
	else
		pd = sl_ofp_msg_alloc(r, (n ? n : 1) * sizeof(*pd));
	if (st == NULL && pd == NULL)
		return;
	for (unsigned int i = 0; i < n; i++) {
		struct sl_agent_port p;

		if (!a->ops->port_get(a->dp, i, &p) || (only != OFPP_ANY && p.ofport != only))
			continue;
		/* the OF1.4+ property lists are built whatever the version:
		 * the OF1.3 layout does not read them */
		if (stats) {
			port_stats_fill(&p, now, &st[k]);
			if (sl_ofp_port_stats_add_props(r, &st[k++]) != 0)
				return;
		} else {
			agent_port_to_ofp(&p, &pd[k]);
			if (sl_ofp_port_add_props(r, &pd[k++]) != 0)
				return;
		}
	}
	if (stats) {
		r->u.multipart.body.port_stats.items = st;
		r->u.multipart.body.port_stats.n = k;
	} else {
		r->u.multipart.body.port_desc.items = pd;
		r->u.multipart.body.port_desc.n = k;
	}
	agent_send_multipart(ac, r);
}

void
agent_handle_multipart(struct agent_conn *ac, const struct sl_ofp_msg *m,
		       const uint8_t *raw, size_t len)
{
	const struct sl_ofp_multipart *mp = &m->u.multipart;
	struct sl_agent *a = ac->a;
	struct sl_ofp_msg r;

	/* Requests spanning several messages (only table-features uses them)
	 * are not assembled: say so rather than act on a part. */
	if (mp->flags & OFPMPF_REQ_MORE) {
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST,
				 OFPBRC_MULTIPART_BUFFER_OVERFLOW);
		return;
	}
	sl_ofp_msg_init(&r, OFPT_MULTIPART_REPLY, m->xid);
	r.u.multipart.type = mp->type;
	switch (mp->type) {
	case OFPMP_DESC:
		reply_desc(ac, &r);
		break;
	case OFPMP_PORT_STATS:
		reply_ports(ac, &r, mp->body.port_request.port_no, raw, len);
		break;
	case OFPMP_PORT_DESC:
		/* OF1.5 names a port; before, the request had no body */
		reply_ports(ac, &r, m->version >= OFP15_VERSION ? mp->body.port_request.port_no
							       : OFPP_ANY, raw, len);
		break;
	case OFPMP_QUEUE:
		/* No queues exist: an empty reply for a real port or ANY. */
		if (mp->body.queue_request.port_no != OFPP_ANY &&
		    a->ops->port_by_ofport(a->dp, mp->body.queue_request.port_no) < 0)
			agent_send_error(ac, raw, len, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT);
		else if (mp->body.queue_request.queue_id != OFPQ_ALL)
			agent_send_error(ac, raw, len, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_QUEUE);
		else
			agent_send_multipart(ac, &r);
		break;
	case OFPMP_EXPERIMENTER:
		agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER);
		break;
	default:
		if (!agent_flows_multipart(ac, m, raw, len))
			agent_send_error(ac, raw, len, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART);
		break;
	}
	sl_ofp_msg_free(&r);
}
