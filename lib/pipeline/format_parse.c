/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Matches and flows described in ovs-ofctl's syntax (sl_format.h):
 * "table=1,tcp,nw_src=10.0.0.0/8,tp_dst=80".
 *
 * OVS names a few fields by the packet type (nw_src is the ARP sender
 * address in an ARP match, tp_dst the TCP, UDP or SCTP port...), and
 * ovs-ofctl takes the fields in any order ("tp_dst=80,tcp"). So the words
 * are read in three passes: everything with one meaning first (the
 * shorthands among them fix eth_type and ip_proto), then nw_proto, then
 * the names that depend on them. Anything not understood is an error that
 * says what and why: a filter that silently dropped a field would show
 * more rules than asked for, a trace would trace another packet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <strings.h>

#include <rte_byteorder.h>

#include "format_private.h"
#include "pipeline_private.h"
#include "sl_flow_consts.h"

#define MAX_WORDS 64

struct parser {
	struct sl_match m;
	struct sl_flow_filter *f; /* NULL: a flow key (values only) */
	bool vid_set, pcp_set;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3)))
perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ----------------------------------------------------------- values ---- */

static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end || *out > max ? -1 : 0;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned int v[6];
	char c;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &c) != 6)
		return -1;
	for (unsigned int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int
parse_port(const char *s, uint32_t *port)
{
	static const char *const names[] = { "UNSET", "IN_PORT", "TABLE", "NORMAL", "FLOOD",
					     "ALL", "CONTROLLER", "LOCAL", "ANY" };
	uint64_t v;

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*port = OFPP_UNSET + i;
			return 0;
		}
	}
	if (parse_uint(s, UINT32_MAX, &v) != 0)
		return -1;
	*port = (uint32_t)v;
	return 0;
}

/* An address (IPv4: 4 bytes, IPv6: 16) and its mask: "/N" or an address. */
static int
parse_addr(const char *s, const char *ms, int af, uint8_t *v, uint8_t *m)
{
	unsigned int len = af == AF_INET ? 4 : 16;
	uint64_t bits;

	if (inet_pton(af, s, v) != 1)
		return -1;
	if (ms == NULL) {
		memset(m, 0xff, len);
		return 0;
	}
	if (strchr(ms, af == AF_INET ? '.' : ':'))
		return inet_pton(af, ms, m) == 1 ? 0 : -1;
	if (parse_uint(ms, len * 8, &bits) != 0)
		return -1;
	memset(m, 0, len);
	for (unsigned int i = 0; i < bits; i++)
		m[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	return 0;
}

static void
put_be(uint8_t *p, unsigned int len, uint64_t v)
{
	for (unsigned int i = 0; i < len; i++)
		p[i] = (uint8_t)(v >> (8 * (len - 1 - i)));
}

/* A value (and mask) of field @d, by the kind of field it is. */
static int
parse_field_value(const struct sl_field_desc *d, const char *s, const char *ms, uint8_t *v,
		  uint8_t *m)
{
	uint64_t x, y;
	uint32_t port;

	switch (d->oxm) {
	case OFPXMT_OFB_ETH_DST: case OFPXMT_OFB_ETH_SRC: case OFPXMT_OFB_ARP_SHA:
	case OFPXMT_OFB_ARP_THA: case OFPXMT_OFB_IPV6_ND_SLL: case OFPXMT_OFB_IPV6_ND_TLL:
		if (ms == NULL)
			memset(m, 0xff, 6);
		return parse_mac(s, v) || (ms && parse_mac(ms, m)) ? -1 : 0;
	case OFPXMT_OFB_IPV4_SRC: case OFPXMT_OFB_IPV4_DST: case OFPXMT_OFB_ARP_SPA:
	case OFPXMT_OFB_ARP_TPA: case SL_OXM_TUN_IPV4_SRC: case SL_OXM_TUN_IPV4_DST:
		return parse_addr(s, ms, AF_INET, v, m);
	case OFPXMT_OFB_IPV6_SRC: case OFPXMT_OFB_IPV6_DST: case OFPXMT_OFB_IPV6_ND_TARGET:
	case SL_OXM_TUN_IPV6_SRC: case SL_OXM_TUN_IPV6_DST:
		return parse_addr(s, ms, AF_INET6, v, m);
	case OFPXMT_OFB_IN_PORT: case OFPXMT_OFB_IN_PHY_PORT: case OFPXMT_OFB_ACTSET_OUTPUT:
		if (ms != NULL || parse_port(s, &port) != 0)
			return -1;
		put_be(v, 4, port);
		put_be(m, 4, UINT32_MAX);
		return 0;
	default:
		if (parse_uint(s, d->valid_bits, &x) != 0 ||
		    (ms && parse_uint(ms, d->valid_bits, &y) != 0))
			return -1;
		put_be(v, d->len, x);
		put_be(m, d->len, ms ? y : d->valid_bits);
		return 0;
	}
}

/* ------------------------------------------------------------ fields ---- */

/* Set OXM field @oxm from the text @val ("value" or "value/mask"). */
static int
set_field(struct parser *p, const char *name, unsigned int oxm, const char *val)
{
	const struct sl_field_desc *d = sl_field_by_oxm(oxm);
	uint8_t v[16], m[16];
	char text[128], *ms;
	int rc;

	if (val == NULL || strlen(val) >= sizeof(text))
		return perr(p, "%s: give a value (%s=VALUE)", name, name);
	strcpy(text, val);
	ms = strchr(text, '/');
	if (ms)
		*ms++ = '\0';
	if (ms && p->f == NULL)
		return perr(p, "%s=%s: a flow has values, not masks", name, val);
	if (ms && !d->maskable)
		return perr(p, "%s cannot be masked", name);
	if (parse_field_value(d, text, ms, v, m) != 0)
		return perr(p, "%s=%s: not a valid %s", name, val, name);
	for (unsigned int i = 0; i < d->len; i++)
		v[i] &= m[i]; /* as ovs-ofctl: value bits outside the mask are dropped */
	rc = sl_match_set_oxm(&p->m, oxm, v, d->maskable ? m : NULL, d->len);
	if (rc == SL_MATCH_ERR(OFPBMC_DUP_FIELD))
		return perr(p, "%s given twice (or with a name for the same field)", name);
	if (rc != 0)
		return perr(p, "%s=%s: value out of the field's range", name, val);
	return 0;
}

static uint16_t
cur_eth_type(const struct parser *p)
{
	return p->m.mask.eth_type == 0xffff ? rte_be_to_cpu_16(p->m.key.eth_type) : 0;
}

static int
cur_ip_proto(const struct parser *p)
{
	return p->m.mask.ip_proto == 0xff ? p->m.key.ip_proto : -1;
}

/* ip, tcp, arp...: eth_type and maybe ip_proto. 1: not a shorthand. */
static int
set_shorthand(struct parser *p, const char *word)
{
	static const struct { const char *name; uint16_t type; uint8_t proto; } sh[] = {
		{ "ip", SL_ETH_IPV4, 0 }, { "icmp", SL_ETH_IPV4, SL_IPPROTO_ICMP },
		{ "tcp", SL_ETH_IPV4, SL_IPPROTO_TCP }, { "udp", SL_ETH_IPV4, SL_IPPROTO_UDP },
		{ "sctp", SL_ETH_IPV4, SL_IPPROTO_SCTP }, { "ipv6", SL_ETH_IPV6, 0 },
		{ "icmp6", SL_ETH_IPV6, SL_IPPROTO_ICMPV6 }, { "tcp6", SL_ETH_IPV6, SL_IPPROTO_TCP },
		{ "udp6", SL_ETH_IPV6, SL_IPPROTO_UDP }, { "sctp6", SL_ETH_IPV6, SL_IPPROTO_SCTP },
		{ "arp", SL_ETH_ARP, 0 }, { "rarp", 0x8035, 0 }, { "mpls", SL_ETH_MPLS, 0 },
		{ "mplsm", SL_ETH_MPLS_MC, 0 },
	};
	char num[16];

	for (unsigned int i = 0; i < sizeof(sh) / sizeof(sh[0]); i++) {
		if (strcmp(word, sh[i].name) != 0)
			continue;
		snprintf(num, sizeof(num), "%u", sh[i].type);
		if (set_field(p, word, OFPXMT_OFB_ETH_TYPE, num) != 0)
			return -1;
		snprintf(num, sizeof(num), "%u", sh[i].proto);
		return sh[i].proto ? set_field(p, word, OFPXMT_OFB_IP_PROTO, num) : 0;
	}
	return 1;
}

/* dl_vlan, dl_vlan_pcp, vlan_tci, nw_tos: OVS's views of OXM fields. */
static int
set_vlan_tos(struct parser *p, const char *name, const char *val)
{
	char num[32];
	uint64_t v, m = 0xffff;
	const char *slash = val ? strchr(val, '/') : NULL;
	char text[64];

	if (val == NULL || strlen(val) >= sizeof(text))
		return perr(p, "%s: give a value", name);
	strcpy(text, val);
	if (slash) {
		text[slash - val] = '\0';
		if (p->f == NULL)
			return perr(p, "%s=%s: a flow has values, not masks", name, val);
		if (strcmp(name, "vlan_tci") != 0 || parse_uint(slash + 1, 0xffff, &m) != 0)
			return perr(p, "%s=%s: not a valid %s", name, val, name);
	}
	if (parse_uint(text, 0xffff, &v) != 0)
		return perr(p, "%s=%s: not a valid %s", name, val, name);
	if (strcmp(name, "nw_tos") == 0) {
		if (v > 0xff || (v & 3))
			return perr(p, "nw_tos=%s: the DSCP bits of the TOS byte (a multiple of 4)",
				    val);
		snprintf(num, sizeof(num), "%" PRIu64, v >> 2);
		return set_field(p, name, OFPXMT_OFB_IP_DSCP, num);
	}
	if (strcmp(name, "dl_vlan_pcp") == 0) {
		p->pcp_set = true;
		return set_field(p, name, OFPXMT_OFB_VLAN_PCP, text);
	}
	if (strcmp(name, "dl_vlan") == 0) {
		if (v != 0xffff && v > 0x0fff)
			return perr(p, "dl_vlan=%s: a VLAN id (0..4095, 0xffff: no tag)", val);
		v = v == 0xffff ? 0 : (v | OFPVID_PRESENT);
		m = 0x1fff;
	} else if ((m & 0x1000) && !(v & 0x1000)) {
		v = 0; /* vlan_tci without CFI: no tag at all */
		m = 0x1fff;
	} else if ((m & 0xe000) && (m & 0xe000) != 0xe000) {
		return perr(p, "vlan_tci=%s: the PCP bits are all or nothing in OpenFlow 1.3", val);
	} else if (m & 0xe000) {
		snprintf(num, sizeof(num), "%" PRIu64, v >> 13);
		if (set_field(p, name, OFPXMT_OFB_VLAN_PCP, num) != 0)
			return -1;
		p->pcp_set = true;
	}
	p->vid_set = true;
	if (slash)
		snprintf(num, sizeof(num), "%#" PRIx64 "/%#" PRIx64, v & 0x1fff, m & 0x1fff);
	else
		snprintf(num, sizeof(num), "%#" PRIx64, v & 0x1fff);
	return set_field(p, name, OFPXMT_OFB_VLAN_VID, num);
}

/* table, priority, cookie, out_port, out_group: what a dump selects by
 * besides the match. 1: not one of them. */
static int
set_filter_key(struct parser *p, const char *name, const char *val)
{
	static const char *const keys[] = { "table", "priority", "cookie", "out_port", "out_group" };
	struct sl_flow_filter *f = p->f;
	uint64_t v, m = UINT64_MAX;
	char text[64], *ms;
	unsigned int i;
	uint32_t port;

	for (i = 0; i < 5 && strcmp(name, keys[i]) != 0; i++)
		;
	if (i == 5)
		return 1;
	if (f == NULL)
		return perr(p, "%s: not a field of a packet", name);
	if (val == NULL || strlen(val) >= sizeof(text))
		return perr(p, "%s: give a value", name);
	strcpy(text, val);
	ms = strchr(text, '/');
	if (ms)
		*ms++ = '\0';
	if (ms && (i != 2 || parse_uint(ms, UINT64_MAX, &m) != 0))
		return perr(p, "%s=%s: not a valid %s", name, val, name);
	if (i == 3) {
		if (parse_port(text, &port) != 0)
			return perr(p, "out_port=%s: not a port", val);
		f->out_port = port;
		return 0;
	}
	if (parse_uint(text, i == 0 ? SL_N_TABLES - 1 : i == 1 ? 0xffff : i == 2 ? UINT64_MAX
				       : OFPG_MAX, &v) != 0)
		return perr(p, "%s=%s: not a valid %s", name, val, name);
	if (i == 0)
		f->table = (int)v;
	else if (i == 1)
		f->priority = (int)v;
	else if (i == 2) {
		f->cookie = v & m;
		f->cookie_mask = m;
	} else {
		f->out_group = (uint32_t)v;
	}
	return 0;
}

/* OVS's names for the OXM fields whose Sluice name differs. */
static const struct {
	const char *name;
	unsigned int oxm;
} aliases[] = {
	{ "dl_src", OFPXMT_OFB_ETH_SRC }, { "dl_dst", OFPXMT_OFB_ETH_DST },
	{ "dl_type", OFPXMT_OFB_ETH_TYPE }, { "ip_src", OFPXMT_OFB_IPV4_SRC },
	{ "ip_dst", OFPXMT_OFB_IPV4_DST }, { "nw_ecn", OFPXMT_OFB_IP_ECN },
	{ "tun_id", OFPXMT_OFB_TUNNEL_ID }, { "ipv6_label", OFPXMT_OFB_IPV6_FLABEL },
	{ "nd_target", OFPXMT_OFB_IPV6_ND_TARGET }, { "nd_sll", OFPXMT_OFB_IPV6_ND_SLL },
	{ "nd_tll", OFPXMT_OFB_IPV6_ND_TLL },
};

/* The pass a name is read in: 0 most, 1 nw_proto, 2 the names whose field
 * depends on eth_type and ip_proto. */
static unsigned int
pass_of(const char *name)
{
	static const char *const late[] = { "nw_src", "nw_dst", "tp_src", "tp_dst", "icmp_type",
					    "icmp_code" };

	if (strcmp(name, "nw_proto") == 0)
		return 1;
	for (unsigned int i = 0; i < sizeof(late) / sizeof(late[0]); i++)
		if (strcmp(name, late[i]) == 0)
			return 2;
	return 0;
}

static int
set_late(struct parser *p, const char *name, const char *val)
{
	uint16_t type = cur_eth_type(p);
	int proto = cur_ip_proto(p);
	bool arp = type == SL_ETH_ARP || type == 0x8035;
	bool ip = type == SL_ETH_IPV4 || type == SL_ETH_IPV6;
	bool src = strstr(name, "src") != NULL;

	if (strcmp(name, "nw_proto") == 0) {
		if (arp || ip)
			return set_field(p, name, arp ? OFPXMT_OFB_ARP_OP : OFPXMT_OFB_IP_PROTO, val);
		return perr(p, "nw_proto needs ip, ipv6 or arp first (e.g. ip,nw_proto=6)");
	}
	if (strncmp(name, "nw_", 3) == 0) {
		if (arp)
			return set_field(p, name, src ? OFPXMT_OFB_ARP_SPA : OFPXMT_OFB_ARP_TPA, val);
		if (type == SL_ETH_IPV4)
			return set_field(p, name, src ? OFPXMT_OFB_IPV4_SRC : OFPXMT_OFB_IPV4_DST, val);
		return perr(p, "%s needs ip or arp (e.g. ip,%s=10.0.0.1; ipv6_src for IPv6)", name,
			    name);
	}
	if (strncmp(name, "tp_", 3) == 0) {
		if (ip && proto == SL_IPPROTO_TCP)
			return set_field(p, name, src ? OFPXMT_OFB_TCP_SRC : OFPXMT_OFB_TCP_DST, val);
		if (ip && proto == SL_IPPROTO_UDP)
			return set_field(p, name, src ? OFPXMT_OFB_UDP_SRC : OFPXMT_OFB_UDP_DST, val);
		if (ip && proto == SL_IPPROTO_SCTP)
			return set_field(p, name, src ? OFPXMT_OFB_SCTP_SRC : OFPXMT_OFB_SCTP_DST, val);
		return perr(p, "%s needs tcp, udp or sctp (e.g. tcp,%s=80)", name, name);
	}
	src = strcmp(name, "icmp_type") == 0; /* else icmp_code */
	if (type == SL_ETH_IPV4 && proto == SL_IPPROTO_ICMP)
		return set_field(p, name, src ? OFPXMT_OFB_ICMPV4_TYPE : OFPXMT_OFB_ICMPV4_CODE, val);
	if (type == SL_ETH_IPV6 && proto == SL_IPPROTO_ICMPV6)
		return set_field(p, name, src ? OFPXMT_OFB_ICMPV6_TYPE : OFPXMT_OFB_ICMPV6_CODE, val);
	return perr(p, "%s needs icmp or icmp6 (e.g. icmp,%s=8)", name, name);
}

static int
set_word(struct parser *p, const char *name, const char *val)
{
	const struct sl_field_desc *d;
	int rc;

	if (val == NULL && (rc = set_shorthand(p, name)) <= 0)
		return rc;
	if ((rc = set_filter_key(p, name, val)) <= 0)
		return rc;
	if (strcmp(name, "dl_vlan") == 0 || strcmp(name, "dl_vlan_pcp") == 0 ||
	    strcmp(name, "vlan_tci") == 0 || strcmp(name, "nw_tos") == 0)
		return set_vlan_tos(p, name, val);
	for (unsigned int i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i].name) == 0)
			return set_field(p, name, aliases[i].oxm, val);
	d = sl_field_by_name(name);
	if (d == NULL)
		return perr(p, "unknown field \"%s\"", name);
	p->vid_set |= d->oxm == OFPXMT_OFB_VLAN_VID;
	p->pcp_set |= d->oxm == OFPXMT_OFB_VLAN_PCP;
	return set_field(p, name, d->oxm, val);
}

/* OpenFlow 1.3's prerequisites (tp_dst needs tcp...), named in the error. */
static int
check_prereqs(struct parser *p)
{
	if (sl_match_validate(&p->m) == 0)
		return 0;
	for (unsigned int oxm = 0; oxm < SL_OXM_N_FIELDS; oxm++)
		if ((p->m.present & 1ull << oxm) && !sl_match_prereq_satisfied(&p->m, oxm))
			return perr(p, "%s needs what it belongs to in the match too (OpenFlow "
				    "prerequisites: e.g. ip for nw_dst, tcp for tp_dst, arp for "
				    "arp_op, dl_vlan for dl_vlan_pcp)", sl_field_by_oxm(oxm)->name);
	return perr(p, "OpenFlow prerequisites not met");
}

static int
parse(struct parser *p, const char *s)
{
	char *copy = strdup(s), *save = NULL, *w;
	char *names[MAX_WORDS], *vals[MAX_WORDS];
	unsigned int n = 0;
	int rc = 0;

	if (copy == NULL)
		return perr(p, "out of memory");
	for (w = strtok_r(copy, ",", &save); w && rc == 0; w = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(w, '=');

		if (n == MAX_WORDS) {
			rc = perr(p, "more than %u fields", MAX_WORDS);
			break;
		}
		if (eq)
			*eq++ = '\0';
		names[n] = w;
		vals[n++] = eq;
	}
	for (unsigned int pass = 0; pass < 3 && rc == 0; pass++)
		for (unsigned int i = 0; i < n && rc == 0; i++)
			if (pass_of(names[i]) == pass)
				rc = pass ? set_late(p, names[i], vals[i])
					  : set_word(p, names[i], vals[i]);
	if (rc == 0 && p->pcp_set && !p->vid_set) /* as ovs-ofctl: a PCP means a tag */
		rc = set_field(p, "dl_vlan_pcp", OFPXMT_OFB_VLAN_VID,
			       p->f ? "0x1000/0x1000" : "0x1000");
	if (rc == 0)
		rc = check_prereqs(p);
	free(copy);
	return rc;
}

int
sl_parse_flow_filter(const char *s, struct sl_flow_filter *f, char *err, size_t errlen)
{
	struct parser p = { .f = f, .err = err, .errlen = errlen };

	memset(f, 0, sizeof(*f));
	f->table = -1;
	f->priority = -1;
	f->out_port = OFPP_ANY;
	f->out_group = OFPG_ANY;
	sl_match_init_catchall(&p.m);
	if (parse(&p, s) != 0)
		return -1;
	f->match = p.m;
	return 0;
}

bool
sl_flow_filter_matches(const struct sl_flow_filter *f, const struct sl_rule *r)
{
	const struct sl_instructions *ins = LOAD(r->ins);

	if ((f->table >= 0 && r->table_id != f->table) ||
	    (f->priority >= 0 && r->cr.priority != (uint32_t)f->priority) ||
	    (r->cookie & f->cookie_mask) != f->cookie)
		return false;
	if (f->out_port != OFPP_ANY && !pl_ins_uses_port(ins, f->out_port))
		return false;
	if (f->out_group != OFPG_ANY && !pl_ins_uses_group(ins, f->out_group))
		return false;
	return sl_match_is_subset(&r->cr.match, &f->match);
}

int
sl_parse_flow_key(const char *s, struct sl_flow_key *key, char *err, size_t errlen)
{
	struct parser p = { .f = NULL, .err = err, .errlen = errlen };

	sl_match_init_catchall(&p.m);
	if (parse(&p, s) != 0)
		return -1;
	*key = p.m.key;
	if (!(p.m.present & 1ull << OFPXMT_OFB_IN_PHY_PORT))
		key->in_phy_port = key->in_port;
	if (key->vlan_vid & rte_cpu_to_be_16(OFPVID_PRESENT)) { /* as the parser: one 802.1Q tag */
		key->n_vlan = 1;
		key->vlan_tpid = rte_cpu_to_be_16(SL_ETH_VLAN);
	}
	return 0;
}
