/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SCTP CRC32c the executor writes after a set-field, judged by
 * implementations other than Sluice's (issue 25 item 5):
 *  - sl_exec_crc32c() against the CRC32c vectors of RFC 3720 appendix B.4
 *    (and the customary "123456789" check value);
 *  - set_field sctp_dst on SCTP packets whose bytes before and after were
 *    computed by scapy 2.5 (its SCTP layer fills the checksum), with the
 *    frame in one segment, in chains cut everywhere that matters (inside
 *    the IP header, the port, the checksum, the payload) and with the
 *    segments after the first shared (refcnt 2: their other holder must
 *    keep the old bytes).
 * The vectors were made with (python3-scapy):
 *   pay = bytes((i * 7 + 3) & 0xff for i in range(n))
 *   p = Ether(dst="00:00:00:00:00:02", src="00:00:00:00:00:01") / L3 /
 *       SCTP(sport=5000, dport=DPORT) / Raw(pay)
 *   L3 = IP(src="10.0.0.1", dst="10.0.0.2", id=1, ttl=64) or
 *        IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=64)
 * and raw(p)[l4 + 8 : l4 + 12] is the checksum as it is on the wire.
 */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_mbuf.h>

#include "exec_test_util.h"
#include "sl_flow_consts.h"
#include "sl_pipeline.h"
#include "sl_xlate.h"

static struct sl_pipeline *pl;

/* RFC 3720 B.4: CRC32c of 32 zero bytes, 32 0xff bytes, 0..31, 31..0 and an
 * iSCSI read PDU; the RFC lists each CRC's bytes as sent (least significant
 * first), e.g. "aa 36 91 8a" for 0x8a9136aa. */
static void
test_rfc3720_vectors(void)
{
	uint8_t zeros[32] = { 0 }, ones[32], inc[32], dec[32];
	static const uint8_t pdu[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
		0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};

	for (unsigned int i = 0; i < 32; i++) {
		ones[i] = 0xff;
		inc[i] = (uint8_t)i;
		dec[i] = (uint8_t)(31 - i);
	}
	CU_ASSERT_EQUAL(sl_exec_crc32c(zeros, 32), 0x8a9136aau);
	CU_ASSERT_EQUAL(sl_exec_crc32c(ones, 32), 0x62a8ab43u);
	CU_ASSERT_EQUAL(sl_exec_crc32c(inc, 32), 0x46dd794eu);
	CU_ASSERT_EQUAL(sl_exec_crc32c(dec, 32), 0x113fdb5cu);
	CU_ASSERT_EQUAL(sl_exec_crc32c(pdu, 48), 0xd9963a56u);
	CU_ASSERT_EQUAL(sl_exec_crc32c("123456789", 9), 0xe3069283u);
	/* Unaligned starts and odd lengths take the byte loop's tail. */
	for (unsigned int off = 1; off < 8; off++) {
		uint8_t buf[64];

		memset(buf, 0x5a, sizeof(buf));
		memcpy(buf + off, pdu, 48);
		CU_ASSERT_EQUAL(sl_exec_crc32c(buf + off, 48), 0xd9963a56u);
	}
}

struct sctp_vec {
	const char *name;
	unsigned int hdr_len;     /* Ethernet + IP + SCTP common header */
	uint8_t hdr[74];          /* those bytes with dport 80 and its checksum */
	uint8_t csum_beef[4];     /* the checksum scapy writes with dport 0xbeef */
	unsigned int payload;     /* bytes of (i * 7 + 3) after the header */
};

static const struct sctp_vec vecs[] = {
	{ "ipv4 100", 46,
	  { 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	    0x45, 0x00, 0x00, 0x84, 0x00, 0x01, 0x00, 0x00, 0x40, 0x84, 0x65, 0xf3,
	    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	    0x13, 0x88, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x30, 0xbe, 0xde, 0xf2 },
	  { 0xff, 0xf5, 0x43, 0x1c }, 100 },
	{ "ipv4 3000", 46,
	  { 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	    0x45, 0x00, 0x0b, 0xd8, 0x00, 0x01, 0x00, 0x00, 0x40, 0x84, 0x5a, 0x9f,
	    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	    0x13, 0x88, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x43, 0xb4, 0x5d, 0xfc },
	  { 0xdf, 0x64, 0x56, 0x0b }, 3000 },
	{ "ipv6 100", 66,
	  { 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd,
	    0x60, 0x00, 0x00, 0x00, 0x00, 0x70, 0x84, 0x40,
	    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	    0x13, 0x88, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x30, 0xbe, 0xde, 0xf2 },
	  { 0xff, 0xf5, 0x43, 0x1c }, 100 },
};

static uint8_t frame[4096], expect[4096], got[4096];

static unsigned int
build(const struct sctp_vec *v)
{
	unsigned int len = v->hdr_len + v->payload;

	memcpy(frame, v->hdr, v->hdr_len);
	for (unsigned int i = 0; i < v->payload; i++)
		frame[v->hdr_len + i] = (uint8_t)(i * 7 + 3);
	memcpy(expect, frame, len);
	expect[v->hdr_len - 10] = 0xbe; /* dport */
	expect[v->hdr_len - 9] = 0xef;
	memcpy(expect + v->hdr_len - 4, v->csum_beef, 4);
	return len;
}

/* @p len bytes of frame[] in segments cut at @p cuts (ascending, inside). */
static struct rte_mbuf *
chain_at(unsigned int len, const unsigned int *cuts, unsigned int n_cuts)
{
	struct rte_mbuf *head = NULL;
	unsigned int from = 0;

	for (unsigned int i = 0; i <= n_cuts; i++) {
		unsigned int to = i < n_cuts ? cuts[i] : len;
		struct rte_mbuf *s = xt_mbuf(frame + from, to - from);

		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		if (head == NULL)
			head = s;
		else
			CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_chain(head, s), 0);
		from = to;
	}
	return head;
}

/* set_field sctp_dst=0xbeef then output:1, through the real translation;
 * the frame that leaves must be scapy's byte for byte. @p shared: every
 * segment after the first also belongs to someone else (refcnt 2; the
 * first is the executor's, sl_execute.h), who must keep seeing its bytes. */
static void
run_case(const struct sctp_vec *v, unsigned int len, struct rte_mbuf *m, bool shared)
{
	static struct sl_xlate_result res;
	struct rte_mbuf *held[64];
	unsigned int n_held = 0, held_ofs[64];
	struct sl_action ofa[2];
	struct sl_flow_key key;
	struct sl_pkt_layout lay;
	struct sl_exec_env env;
	struct sl_exec_stats st = { 0 };
	struct xt_cap c;
	uint16_t nb_segs = m->nb_segs;

	sl_flow_parse_mbuf(m, 7, 7, 0, &key, &lay);
	CU_ASSERT_EQUAL(key.ip_proto, SL_IPPROTO_SCTP);
	memset(ofa, 0, sizeof(ofa));
	ofa[0].type = OFPAT_SET_FIELD;
	ofa[0].set_field.field = OFPXMT_OFB_SCTP_DST;
	ofa[0].set_field.len = 2;
	ofa[0].set_field.value[0] = 0xbe;
	ofa[0].set_field.value[1] = 0xef;
	ofa[1].type = OFPAT_OUTPUT;
	ofa[1].output.port = 1;
	CU_ASSERT_EQUAL_FATAL(sl_xlate_actions(pl, &key, ofa, 2, &res), 0);
	CU_ASSERT_EQUAL_FATAL(res.actions[0].type, SL_EXEC_SET_FIELD);
	CU_ASSERT(res.actions[0].set_field.csum & SL_CSUM_SCTP);
	unsigned int ofs = m->data_len;
	for (struct rte_mbuf *s = m->next; shared && s != NULL && n_held < 64; s = s->next) {
		rte_mbuf_refcnt_update(s, 1); /* the other holder's reference */
		held_ofs[n_held] = ofs;
		held[n_held++] = s;
		ofs += s->data_len;
	}
	xt_env(&env, &c);
	sl_execute(res.actions, res.n_actions, m, &key, &lay, &env, &st);
	CU_ASSERT_EQUAL_FATAL(c.n_out, 1);
	CU_ASSERT_EQUAL(rte_mbuf_check(c.out[0].m, 1, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_pkt_len(c.out[0].m), len);
	const uint8_t *o = rte_pktmbuf_read(c.out[0].m, 0, len, got);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	if (memcmp(o, expect, len) != 0) {
		CU_FAIL("output differs from scapy's frame");
		fprintf(stderr, "\n  %s, %u segments%s: checksum %02x%02x%02x%02x, scapy %02x%02x%02x%02x\n",
			v->name, nb_segs, shared ? ", shared" : "", o[v->hdr_len - 4],
			o[v->hdr_len - 3], o[v->hdr_len - 2], o[v->hdr_len - 1], v->csum_beef[0],
			v->csum_beef[1], v->csum_beef[2], v->csum_beef[3]);
	}
	xt_cap_free(&c);
	for (unsigned int i = 0; i < n_held; i++) { /* the other holder's view */
		CU_ASSERT_EQUAL(rte_mbuf_refcnt_read(held[i]), 1);
		CU_ASSERT(memcmp(rte_pktmbuf_mtod(held[i], uint8_t *), frame + held_ofs[i],
				 held[i]->data_len) == 0);
		held[i]->next = NULL; /* the executor's chain is not the holder's */
		held[i]->nb_segs = 1;
		rte_pktmbuf_free_seg(held[i]);
	}
}

static void
test_sctp_set_field_scapy(void)
{
	unsigned int avail0 = xt_avail();

	pl = sl_pipeline_create(&(struct sl_pipeline_config){ .max_readers = 1 });
	CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
	for (unsigned int i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		const struct sctp_vec *v = &vecs[i];
		unsigned int len = build(v), l4 = v->hdr_len - 12;
		/* Sluice's CRC of the input (checksum field zeroed) is the one
		 * scapy wrote, least significant byte first. */
		uint8_t zeroed[4096];
		memcpy(zeroed, frame + l4, len - l4);
		memset(zeroed + 8, 0, 4);
		uint32_t crc = sl_exec_crc32c(zeroed, len - l4);
		CU_ASSERT(v->hdr[l4 + 8] == (uint8_t)crc && v->hdr[l4 + 9] == (uint8_t)(crc >> 8) &&
			  v->hdr[l4 + 10] == (uint8_t)(crc >> 16) &&
			  v->hdr[l4 + 11] == (uint8_t)(crc >> 24));
		/* single segment, where it fits a 2 KiB buffer */
		if (len <= 2048)
			run_case(v, len, chain_at(len, NULL, 0), false);
		/* cut inside the IP header, at the L4 header, inside the port,
		 * inside and right after the checksum, in the payload */
		const unsigned int cuts[] = { 20, l4, l4 + 3, l4 + 9, l4 + 12, l4 + 13, len - 1 };
		for (unsigned int k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
			unsigned int one[1] = { cuts[k] };

			if (len - cuts[k] > 2048 || cuts[k] > 2048)
				continue; /* a segment holds at most 2 KiB */
			run_case(v, len, chain_at(len, one, 1), false);
			run_case(v, len, chain_at(len, one, 1), true);
		}
		/* many small segments: the CRC runs across every one */
		unsigned int many[64], n = 0;
		for (unsigned int at = 7; at < len && n < 64; at += len / 40 + 5)
			many[n++] = at;
		run_case(v, len, chain_at(len, many, n), false);
		run_case(v, len, chain_at(len, many, n), true);
	}
	sl_pipeline_destroy(pl);
	pl = NULL;
	CU_ASSERT_EQUAL(xt_avail(), avail0);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "rfc3720_vectors", test_rfc3720_vectors },
		{ "sctp_set_field_scapy", test_sctp_set_field_scapy },
	};

	return xt_run_suite("execute_sctp", tests, CUNIT_N_TESTS(tests), NULL, NULL);
}
