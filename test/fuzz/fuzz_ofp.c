/* libFuzzer harness for the OpenFlow codec.  The input is treated as a
 * connection byte stream: framed with sl_ofp_frame_len(), every message is
 * decoded and validated; what decodes is re-encoded, decoded again and must
 * re-encode to the same bytes (encode output is canonical); multipart
 * replies are also split into small parts that must each decode; multipart
 * parts go through reassembly.  Flow-monitor messages, the OF1.5
 * flow-removed and table desc / table status, which have codecs of their
 * own (sl_ofp_monitor.h, sl_ofp_flow_removed15.h, sl_ofp_table14.h), get
 * the same round trip.  ASan/UBSan catch any
 * bad read, leak or UB. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_ofp.h"
#include "sl_ofp_flow_removed15.h"
#include "sl_ofp_monitor.h"
#include "sl_ofp_multipart.h"
#include "sl_ofp_table14.h"

/* The codecs outside the message tables: decode, or fail inside the
 * message; what decodes re-encodes to bytes that decode and re-encode the
 * same. */
static void check_side_codecs(const uint8_t *p, size_t len)
{
	struct sl_ofp_buf a = { 0 }, b = { 0 };
	struct sl_ofp_error err;

	if (sl_ofp_is_flow_monitor(p, len)) {
		struct sl_ofp_flow_monitor_msg m, m2;

		if (sl_ofp_flow_monitor_decode(p, len, &m, &err) != 0) {
			if (err.offset > len)
				abort();
		} else if (sl_ofp_flow_monitor_encode(&m, &a) >= 1 && a.len <= 65535) {
			if (sl_ofp_flow_monitor_decode(a.data, a.len, &m2, &err) != 0 ||
			    sl_ofp_flow_monitor_encode(&m2, &b) < 1 || a.len != b.len ||
			    memcmp(a.data, b.data, a.len))
				abort();
			sl_ofp_flow_monitor_free(&m2);
		}
		sl_ofp_flow_monitor_free(&m);
	} else if (len >= 8 && p[0] == 6 && p[1] == OFPT_FLOW_REMOVED) {
		struct sl_ofp15_flow_removed f, f2;

		if (sl_ofp15_flow_removed_decode(p, len, &f, &err) != 0) {
			if (err.offset > len)
				abort();
		} else if (sl_ofp15_flow_removed_encode(&f, &a) == 0) {
			if (sl_ofp15_flow_removed_decode(a.data, a.len, &f2, &err) != 0 ||
			    sl_ofp15_flow_removed_encode(&f2, &b) != 0 || a.len != b.len ||
			    memcmp(a.data, b.data, a.len))
				abort();
			sl_ofp15_flow_removed_free(&f2);
		}
		sl_ofp15_flow_removed_free(&f);
	} else if (sl_ofp_is_table14(p, len)) {
		struct sl_ofp_table14_msg t, t2;

		if (sl_ofp_table14_decode(p, len, &t, &err) != 0) {
			if (err.offset > len)
				abort();
		} else if (sl_ofp_table14_encode(&t, &a) == 0) {
			if (sl_ofp_table14_decode(a.data, a.len, &t2, &err) != 0 ||
			    sl_ofp_table14_encode(&t2, &b) != 0 || a.len != b.len ||
			    memcmp(a.data, b.data, a.len))
				abort();
			sl_ofp_table14_free(&t2);
		}
		sl_ofp_table14_free(&t);
	}
	sl_ofp_buf_free(&a);
	sl_ofp_buf_free(&b);
}

/* A reply split into parts of at most 256 bytes, as the agent splits at
 * 64 KiB (empty bodies included): every part must decode. */
static void check_split(const struct sl_ofp_msg *m)
{
	struct sl_ofp_buf c = { 0 };
	struct sl_ofp_error err;
	int parts = sl_ofp_encode_multipart(m, &c, 256);

	for (size_t off = 0; parts > 0 && off < c.len;) {
		long n = sl_ofp_frame_len(c.data + off, c.len - off);
		struct sl_ofp_msg part;

		if (n <= 0 || sl_ofp_decode(c.data + off, (size_t)n, &part, &err) != 0)
			abort(); /* a part we encode must decode */
		sl_ofp_msg_free(&part);
		off += (size_t)n;
	}
	sl_ofp_buf_free(&c);
}

static void check_message(const uint8_t *p, size_t len, struct sl_ofp_mp_reasm *r)
{
	struct sl_ofp_msg m;
	struct sl_ofp_error err;
	check_side_codecs(p, len);
	if (sl_ofp_decode(p, len, &m, &err) != 0) {
		if (err.offset > len)
			abort(); /* offsets must point inside the message */
		return;
	}
	(void)sl_ofp_validate(&m, &err);
	struct sl_ofp_buf a = { 0 }, b = { 0 };
	if (sl_ofp_encode(&m, &a) == 0) {
		struct sl_ofp_msg m2;
		if (sl_ofp_decode(a.data, a.len, &m2, &err) != 0)
			abort(); /* what we encode must decode */
		if (sl_ofp_encode(&m2, &b) != 0 || a.len != b.len || memcmp(a.data, b.data, a.len))
			abort(); /* and be stable */
		sl_ofp_msg_free(&m2);
	}
	sl_ofp_buf_free(&a);
	sl_ofp_buf_free(&b);
	if (m.type == OFPT_MULTIPART_REPLY)
		check_split(&m);
	if (m.type == OFPT_MULTIPART_REQUEST || m.type == OFPT_MULTIPART_REPLY) {
		struct sl_ofp_msg whole;
		if (sl_ofp_mp_reasm_feed(r, &m, &whole, &err) == 1)
			sl_ofp_msg_free(&whole);
	} else {
		sl_ofp_msg_free(&m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_ofp_mp_reasm r;
	sl_ofp_mp_reasm_init(&r, 1 << 20);
	size_t off = 0;
	while (off < size) {
		long len = sl_ofp_frame_len(data + off, size - off);
		if (len <= 0 || (size_t)len > size - off) {
			/* a short tail is still handed to the decoder as-is */
			check_message(data + off, size - off, &r);
			break;
		}
		check_message(data + off, (size_t)len, &r);
		off += (size_t)len;
	}
	sl_ofp_mp_reasm_clear(&r);
	return 0;
}
