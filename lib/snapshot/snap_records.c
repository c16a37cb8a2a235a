/* SPDX-License-Identifier: BSD-3-Clause */
/* Encoding of the snapshot's records (sl_snap_records.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_snap_records.h"
#include "snap_be.h"

/* OpenFlow 1.3: version 4; message types the object records carry. */
#define OFP13_VERSION 4
#define OFPT13_FLOW_MOD 14
#define OFPT13_GROUP_MOD 15
#define OFPT13_METER_MOD 29

#define ROLE_LEN 16
#define MAC_LEN 16
#define TABLE_LEN 8
#define NEIGH_FIXED 32

static int
bad(const struct sl_snap_rec *rec, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "record %u at offset %zu (%s): %s", rec->index, rec->offset,
		 sl_snap_type_name(rec->type), what);
	return -1;
}

int
sl_snap_add_obj(struct sl_snap_writer *w, uint16_t type, const struct sl_snap_obj *o)
{
	size_t flen = SL_SNAP_OBJ_FIXED_LEN + (size_t)o->n_counts * 16;
	uint8_t small[SL_SNAP_OBJ_FIXED_LEN + 16 * 8];
	uint8_t *f = flen <= sizeof(small) ? small : malloc(flen);
	int rc;

	if (f == NULL) {
		w->failed = true;
		return -1;
	}
	be64_put(f, o->age_ns);
	be64_put(f + 8, o->idle_ns);
	be64_put(f + 16, o->packets);
	be64_put(f + 24, o->bytes);
	be32_put(f + 32, o->n_counts);
	be32_put(f + 36, 0);
	for (uint32_t i = 0; i < 2 * o->n_counts; i++)
		be64_put(f + SL_SNAP_OBJ_FIXED_LEN + 8 * i, o->counts[i]);
	rc = sl_snap_add(w, type, 0, f, flen, o->msg, o->msg_len);
	if (f != small)
		free(f);
	return rc;
}

static uint8_t
obj_msg_type(uint16_t rec_type)
{
	return rec_type == SL_SNAP_RULE ? OFPT13_FLOW_MOD
	       : rec_type == SL_SNAP_GROUP ? OFPT13_GROUP_MOD : OFPT13_METER_MOD;
}

int
sl_snap_obj_decode(const struct sl_snap_rec *rec, struct sl_snap_obj *o, char *err, size_t errlen)
{
	const uint8_t *p = rec->payload;
	char what[128];

	memset(o, 0, sizeof(*o));
	if (rec->type != SL_SNAP_RULE && rec->type != SL_SNAP_GROUP && rec->type != SL_SNAP_METER)
		return bad(rec, err, errlen, "not a rule, group or meter");
	if (rec->len < SL_SNAP_OBJ_FIXED_LEN)
		return bad(rec, err, errlen, "shorter than its fixed fields");
	o->age_ns = be64_get(p);
	o->idle_ns = be64_get(p + 8);
	o->packets = be64_get(p + 16);
	o->bytes = be64_get(p + 24);
	o->n_counts = be32_get(p + 32);
	if (rec->type == SL_SNAP_RULE && o->n_counts != 0)
		return bad(rec, err, errlen, "a rule with bucket or band counters");
	if (o->n_counts > (rec->len - SL_SNAP_OBJ_FIXED_LEN) / 16)
		return bad(rec, err, errlen, "more counters than bytes");
	o->counts_raw = p + SL_SNAP_OBJ_FIXED_LEN;
	o->msg = o->counts_raw + (size_t)o->n_counts * 16;
	o->msg_len = rec->len - SL_SNAP_OBJ_FIXED_LEN - o->n_counts * 16;
	if (o->msg_len < 8)
		return bad(rec, err, errlen, "no OpenFlow message");
	if (o->msg[0] != OFP13_VERSION || o->msg[1] != obj_msg_type(rec->type) ||
	    be16_get(o->msg + 2) != o->msg_len) {
		snprintf(what, sizeof(what),
			 "OpenFlow message version %u type %u length %u, expected version %u "
			 "type %u length %u",
			 o->msg[0], o->msg[1], be16_get(o->msg + 2), OFP13_VERSION,
			 obj_msg_type(rec->type), o->msg_len);
		return bad(rec, err, errlen, what);
	}
	return 0;
}

void
sl_snap_obj_count(const struct sl_snap_obj *o, uint32_t i, uint64_t *packets, uint64_t *bytes)
{
	*packets = be64_get(o->counts_raw + 16 * (size_t)i);
	*bytes = be64_get(o->counts_raw + 16 * (size_t)i + 8);
}

int
sl_snap_add_role(struct sl_snap_writer *w, const struct sl_snap_role *r)
{
	uint8_t b[ROLE_LEN] = { 0 };

	b[0] = r->gen_valid;
	be64_put(b + 8, r->gen_id);
	return sl_snap_add(w, SL_SNAP_ROLE, 0, b, sizeof(b), NULL, 0);
}

int
sl_snap_role_decode(const struct sl_snap_rec *rec, struct sl_snap_role *r, char *err,
		    size_t errlen)
{
	if (rec->type != SL_SNAP_ROLE || rec->len != ROLE_LEN)
		return bad(rec, err, errlen, "not a 16-byte role record");
	if (rec->payload[0] > 1)
		return bad(rec, err, errlen, "generation id flag neither 0 nor 1");
	r->gen_valid = rec->payload[0];
	r->gen_id = be64_get(rec->payload + 8);
	return 0;
}

int
sl_snap_add_mac(struct sl_snap_writer *w, const struct sl_snap_mac *m)
{
	uint8_t b[MAC_LEN];

	be16_put(b, m->vlan);
	memcpy(b + 2, m->mac, 6);
	be32_put(b + 8, m->port);
	be32_put(b + 12, m->age_ms);
	return sl_snap_add(w, SL_SNAP_MAC, 0, b, sizeof(b), NULL, 0);
}

int
sl_snap_mac_decode(const struct sl_snap_rec *rec, struct sl_snap_mac *m, char *err, size_t errlen)
{
	if (rec->type != SL_SNAP_MAC || rec->len != MAC_LEN)
		return bad(rec, err, errlen, "not a 16-byte MAC record");
	m->vlan = be16_get(rec->payload);
	if (m->vlan > 4095)
		return bad(rec, err, errlen, "VLAN id above 4095");
	memcpy(m->mac, rec->payload + 2, 6);
	m->port = be32_get(rec->payload + 8);
	m->age_ms = be32_get(rec->payload + 12);
	return 0;
}

int
sl_snap_add_port(struct sl_snap_writer *w, const struct sl_snap_port *p)
{
	uint8_t b[4];
	size_t n = strnlen(p->name, sizeof(p->name));

	if (n == 0 || n > SL_SNAP_PORT_NAME_MAX)
		return -1;
	be32_put(b, p->ofport);
	return sl_snap_add(w, SL_SNAP_PORT, 0, b, sizeof(b), p->name, n);
}

int
sl_snap_port_decode(const struct sl_snap_rec *rec, struct sl_snap_port *p, char *err,
		    size_t errlen)
{
	if (rec->type != SL_SNAP_PORT || rec->len < 5 || rec->len > 4 + SL_SNAP_PORT_NAME_MAX)
		return bad(rec, err, errlen, "not a port record with a name of 1 to 63 bytes");
	memset(p, 0, sizeof(*p));
	p->ofport = be32_get(rec->payload);
	for (uint32_t i = 4; i < rec->len; i++) {
		char c = (char)rec->payload[i];

		if (c <= 0x20 || c > 0x7e)
			return bad(rec, err, errlen, "port name with a blank or unprintable byte");
		p->name[i - 4] = c;
	}
	return 0;
}

int
sl_snap_add_table(struct sl_snap_writer *w, const struct sl_snap_table *t)
{
	uint8_t b[TABLE_LEN] = { SL_SNAP_TABLE_VERSION, t->table, t->events, t->vacancy_down,
				 t->vacancy_up };

	return sl_snap_add(w, SL_SNAP_TABLE, SL_SNAP_REC_OPTIONAL, b, sizeof(b), NULL, 0);
}

int
sl_snap_table_decode(const struct sl_snap_rec *rec, struct sl_snap_table *t, char *err,
		     size_t errlen)
{
	const uint8_t *b = rec->payload;

	if (rec->type != SL_SNAP_TABLE || rec->len < 1)
		return bad(rec, err, errlen, "not a table record");
	if (b[0] != SL_SNAP_TABLE_VERSION) {
		char why[96];

		snprintf(why, sizeof(why), "table record version %u, this release reads %u",
			 b[0], SL_SNAP_TABLE_VERSION);
		return bad(rec, err, errlen, why);
	}
	if (rec->len != TABLE_LEN || b[5] || b[6] || b[7])
		return bad(rec, err, errlen, "not an 8-byte table record with 3 zero bytes");
	t->table = b[1];
	t->events = b[2];
	t->vacancy_down = b[3];
	t->vacancy_up = b[4];
	if (t->events != 0 && t->events != 3 && t->events != 4)
		return bad(rec, err, errlen, "events byte not 0, 3 or 4");
	if (t->vacancy_down > 100 || t->vacancy_up > 100 || t->vacancy_down > t->vacancy_up)
		return bad(rec, err, errlen, "vacancy thresholds not 0 <= down <= up <= 100");
	return 0;
}

int
sl_snap_add_neigh(struct sl_snap_writer *w, const struct sl_snap_neigh *n)
{
	uint8_t b[NEIGH_FIXED] = { SL_SNAP_NEIGH_VERSION, n->family };
	size_t l = strnlen(n->port, sizeof(n->port));

	if (l == 0 || l > SL_SNAP_PORT_NAME_MAX)
		return -1;
	be16_put(b + 2, n->slot);
	be32_put(b + 4, n->age_ms);
	memcpy(b + 8, n->mac, 6);
	memcpy(b + 16, n->addr, 16);
	return sl_snap_add(w, SL_SNAP_NEIGH, SL_SNAP_REC_OPTIONAL, b, sizeof(b), n->port, l);
}

int
sl_snap_neigh_decode(const struct sl_snap_rec *rec, struct sl_snap_neigh *n, char *err,
		     size_t errlen)
{
	const uint8_t *b = rec->payload;
	size_t l = rec->len > NEIGH_FIXED ? rec->len - NEIGH_FIXED : 0;

	if (rec->type != SL_SNAP_NEIGH || rec->len < 1)
		return bad(rec, err, errlen, "not a neighbour record");
	if (b[0] != SL_SNAP_NEIGH_VERSION) {
		char why[96];

		snprintf(why, sizeof(why), "neighbour record version %u, this release reads %u",
			 b[0], SL_SNAP_NEIGH_VERSION);
		return bad(rec, err, errlen, why);
	}
	if (l == 0 || l > SL_SNAP_PORT_NAME_MAX || b[14] || b[15])
		return bad(rec, err, errlen, "not a 32-byte neighbour record and a port name");
	if (b[1] != 4 && b[1] != 6)
		return bad(rec, err, errlen, "family not 4 or 6");
	n->family = b[1];
	n->slot = be16_get(b + 2);
	n->age_ms = be32_get(b + 4);
	memcpy(n->mac, b + 8, 6);
	memcpy(n->addr, b + 16, 16);
	memcpy(n->port, b + NEIGH_FIXED, l);
	n->port[l] = '\0';
	for (size_t i = 0; i < l; i++)
		if (n->port[i] <= ' ' || n->port[i] > '~')
			return bad(rec, err, errlen, "port name blank or not printable");
	return 0;
}
