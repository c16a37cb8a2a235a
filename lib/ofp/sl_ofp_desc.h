/* INTERNAL to lib/ofp: table-driven wire layouts.
 *
 * Each wire object (message, action, stats entry...) is described once, as
 * the ordered list of its wire fields with the offset of the C member each
 * one maps to.  One engine walks these tables to decode, encode and dump, so
 * the three can never disagree about a layout; hand-written code is only
 * needed for OXM TLVs (custom hooks) and for semantic validation.
 */
#ifndef SL_OFP_DESC_H
#define SL_OFP_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "sl_ofp.h"

enum sl_ofp_kind {
	SLK_U8, SLK_U16, SLK_U32, SLK_U64,
	SLK_PAD,      /**< wsize bytes, zero on encode, ignored on decode */
	SLK_ALIGN8,   /**< pad to an 8-byte boundary from the object start */
	SLK_MAC,      /**< 6 bytes, printed aa:bb:.. */
	SLK_STR,      /**< wsize bytes NUL-padded string */
	SLK_LEN,      /**< u16 length of this object (computed on encode) */
	SLK_SUBLEN,   /**< u16 byte length of the next LIST field */
	SLK_U32ARR,   /**< wsize/4 fixed uint32 array */
	SLK_OBJ,      /**< embedded object of type sub */
	SLK_LIST,     /**< objects of type sub up to the end (or SUBLEN) */
	SLK_BYTES,    /**< rest of the object as bytes (printed base64) */
	SLK_U8LIST,   /**< rest as uint8 array */
	SLK_U32LIST,  /**< rest as uint32 array */
	SLK_BITMAP,   /**< rest as uint32 bitmaps, printed as version list */
	SLK_NULL,     /**< no wire bytes; printed as null (os-ken quirk) */
};

/** How an object's wire extent is found. */
enum sl_ofp_span {
	SPAN_FIXED,     /**< exactly min_len bytes */
	SPAN_LEN16,     /**< u16 at len_off gives the length */
	SPAN_LEN16_PAD8,/**< same, length excludes padding up to 8 */
	SPAN_REST,      /**< everything the parent has left */
	SPAN_CUSTOM,    /**< custom hooks decide */
};

struct sl_ofp_type;

struct sl_ofp_field {
	const char *name; /**< os-ken attribute name; NULL = not printed */
	uint8_t kind;
	uint16_t wsize;
	uint16_t coff;    /**< offset of the C member */
	uint16_t coff2;   /**< offset of the count member (lists, bytes) */
	const struct sl_ofp_type *sub;
};

struct sl_ofp_variant {
	uint32_t tag;
	const struct sl_ofp_type *type;
};

struct sl_ofp_variants {
	uint8_t tag_off, tag_size; /**< where the tag sits on the wire */
	uint16_t tag_coff;         /**< and in the C struct (same width) */
	const struct sl_ofp_variant *v;
	uint16_t n;
	const struct sl_ofp_type *fallback; /**< used for unknown tags, or NULL */
	struct sl_ofp_error err_type;       /**< unknown tag and no fallback */
};

struct sl_ofp_dec;
struct sl_ofp_enc;

/** Hooks for objects the field tables cannot express (OXM TLVs). */
struct sl_ofp_custom {
	/** decode at p (avail bytes), store into obj, return span or -1 */
	long (*decode)(struct sl_ofp_dec *d, const uint8_t *p, size_t avail, void *obj);
	int (*encode)(struct sl_ofp_enc *e, const void *obj);
	void (*dump)(struct sl_ofp_enc *e, const void *obj);
};

struct sl_ofp_type {
	const char *name;   /**< os-ken class name */
	uint16_t min_len;
	uint16_t csize;     /**< C element size, for lists */
	uint8_t span;
	uint8_t len_off;
	uint16_t pos_coff;  /**< where to store the wire offset (0 = nowhere) */
	struct sl_ofp_error err_len;
	const struct sl_ofp_field *fields;
	uint16_t n_fields;
	const struct sl_ofp_variants *var;
	const struct sl_ofp_custom *custom;
};

/** Decoder state. */
struct sl_ofp_dec {
	const uint8_t *base; /**< message start, for error offsets */
	struct sl_ofp_msg *msg;
	struct sl_ofp_error *err;
	int depth;
};

/** Encoder (and dumper) state. */
struct sl_ofp_enc {
	struct sl_ofp_buf *out;
	sl_ofp_dump_fn dump;  /**< non-NULL: also print fields */
	void *dump_arg;
	char path[1024];
	size_t path_len;
	int depth;
	uint8_t version;      /**< wire version being written (OXM forms differ) */
};

/* engine (sl_ofp_codec.c) */
long sl_ofp_dec_obj(struct sl_ofp_dec *d, const struct sl_ofp_type *t,
		    const uint8_t *p, size_t avail, void *obj);
int sl_ofp_enc_obj(struct sl_ofp_enc *e, const struct sl_ofp_type *t, const void *obj);
int sl_ofp_buf_reserve(struct sl_ofp_buf *b, size_t more);
/** Fast path of sl_ofp_buf_reserve: no call while the buffer has room. */
static inline int sl_ofp_buf_ensure(struct sl_ofp_buf *b, size_t more)
{
	return b->cap - b->len >= more ? 0 : sl_ofp_buf_reserve(b, more);
}
void *sl_ofp_dec_alloc(struct sl_ofp_dec *d, size_t size);
void sl_ofp_enc_line(struct sl_ofp_enc *e, const char *name, const char *value);
const struct sl_ofp_type *sl_ofp_resolve(const struct sl_ofp_type *t, const void *obj);
/** The LIST or BYTES field holding a multipart body, or NULL. */
const struct sl_ofp_field *sl_ofp_mp_body_field(const struct sl_ofp_msg *msg);
/** Move @p from's arena chunks into @p to. */
void sl_ofp_msg_adopt(struct sl_ofp_msg *to, struct sl_ofp_msg *from);

/* layout tables (sl_ofp_layout_*.c) */
extern const struct sl_ofp_type sl_ofp13_msg_type;
extern const struct sl_ofp_type sl_ofp13_match_type;
extern const struct sl_ofp_type sl_ofp13_oxm_type;
extern const struct sl_ofp_type sl_ofp13_oxm_id_type;
extern const struct sl_ofp_type sl_ofp13_action_type;
extern const struct sl_ofp_type sl_ofp13_instruction_type;
extern const struct sl_ofp_type sl_ofp13_mp_request_type;
extern const struct sl_ofp_type sl_ofp13_mp_reply_type;
/* OF1.4 / OF1.5: the OF1.3 table plus what changed (sl_ofp_layout_v14.c) */
extern const struct sl_ofp_type sl_ofp14_msg_type, sl_ofp15_msg_type;
/** Table-mod properties (eviction, vacancy, experimenter), also in table desc. */
extern const struct sl_ofp_type sl_ofp14_table_prop_type;
/** The message table of wire version @p version, or NULL if not spoken. */
const struct sl_ofp_type *sl_ofp_codec_for_version(uint8_t version);

/* Field-table helpers: F(kind, name, member) for a member of struct S. */
#define SL_MEMBER_OFF(S, m) ((uint16_t)offsetof(S, m))
#define FU8(S, n, m)  { n, SLK_U8, 1, SL_MEMBER_OFF(S, m), 0, NULL }
#define FU16(S, n, m) { n, SLK_U16, 2, SL_MEMBER_OFF(S, m), 0, NULL }
#define FU32(S, n, m) { n, SLK_U32, 4, SL_MEMBER_OFF(S, m), 0, NULL }
#define FU64(S, n, m) { n, SLK_U64, 8, SL_MEMBER_OFF(S, m), 0, NULL }
#define FPAD(sz)      { NULL, SLK_PAD, sz, 0, 0, NULL }
#define FALIGN8       { NULL, SLK_ALIGN8, 0, 0, 0, NULL }
#define FMAC(S, n, m) { n, SLK_MAC, 6, SL_MEMBER_OFF(S, m), 0, NULL }
#define FSTR(S, n, m) { n, SLK_STR, sizeof(((S *)0)->m), SL_MEMBER_OFF(S, m), 0, NULL }
#define FLEN(n)       { n, SLK_LEN, 2, 0, 0, NULL }
#define FSUBLEN(n)    { n, SLK_SUBLEN, 2, 0, 0, NULL }
#define FARR(S, n, m) { n, SLK_U32ARR, sizeof(((S *)0)->m), SL_MEMBER_OFF(S, m), 0, NULL }
#define FOBJ(S, n, m, T) { n, SLK_OBJ, 0, SL_MEMBER_OFF(S, m), 0, &(T) }
#define FLIST(S, n, m, cnt, T) { n, SLK_LIST, 0, SL_MEMBER_OFF(S, m), SL_MEMBER_OFF(S, cnt), &(T) }
#define FBYTES(S, n, m, cnt) { n, SLK_BYTES, 0, SL_MEMBER_OFF(S, m), SL_MEMBER_OFF(S, cnt), NULL }
#define FU8LIST(S, n, m, cnt) { n, SLK_U8LIST, 0, SL_MEMBER_OFF(S, m), SL_MEMBER_OFF(S, cnt), NULL }
#define FU32LIST(S, n, m, cnt) { n, SLK_U32LIST, 0, SL_MEMBER_OFF(S, m), SL_MEMBER_OFF(S, cnt), NULL }
#define FBITMAP(S, n, m, cnt) { n, SLK_BITMAP, 0, SL_MEMBER_OFF(S, m), SL_MEMBER_OFF(S, cnt), NULL }
#define FNULL(n)      { n, SLK_NULL, 0, 0, 0, NULL }

#define SL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SL_ERR(t, c) { (t), (c), 0 }

#endif /* SL_OFP_DESC_H */
