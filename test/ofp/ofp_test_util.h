/* Shared helpers for the codec tests: read files and vectors, list vectors,
 * compare a decoded message with its os-ken JSON twin, re-encoded bytes
 * with the vector's, try every cut of a message, ask `ovs-ofctl ofp-print`.
 * The checks assert with CUnit. */
#ifndef OFP_TEST_UTIL_H
#define OFP_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_json_flat.h"
#include "sl_ofp.h"

/** Directory of the OF1.3 vectors (env SL_OFP_VECTORS overrides the default). */
const char *ofp_vectors_dir(void);

/** Read a whole file; returns malloc'd bytes (NUL-terminated) or NULL. */
uint8_t *ofp_read_file(const char *path, size_t *len);

/**
 * Read vector @p name, a path below test/data/openflow-vectors (e.g.
 * "of14/5-69-ofp_bundle_ctrl_msg.packet"); a missing one fails the test
 * (fatal). @return malloc'd bytes, @p len set.
 */
uint8_t *ofp_vector(const char *name, size_t *len);

/** Assert that @p out holds @p raw byte for byte (a re-encoded vector);
 *  frees @p out. */
void ofp_expect_encoded(struct sl_ofp_buf *out, const uint8_t *raw, size_t len);

/**
 * Call @p check on every prefix of message @p raw from its 8-byte header
 * on, with the header's length saying so (a copy: @p check may keep none
 * of it), so that each cut can be refused cleanly or re-encode to itself.
 */
void ofp_each_cut(const uint8_t *raw, size_t len,
		  void (*check)(const uint8_t *cut, size_t n, void *arg), void *arg);

/** Assert that `ovs-ofctl ofp-print` of @p b prints @p want on some line
 *  (callers check first that ovs-ofctl is installed). */
void ofp_expect_print(const struct sl_ofp_buf *b, const char *want);

/** Whether `ovs-ofctl` runs here (asked once). */
bool ofp_have_ovs_ofctl(void);

/** Like ofp_expect_print, and no line says WARN or "bad"; does nothing
 *  where ovs-ofctl is not installed. */
void ofp_expect_print_clean(const struct sl_ofp_buf *b, const char *want);

/** Whether @p b holds the bytes of hex string @p hex (at most 80 bytes). */
bool ofp_has_bytes(const struct sl_ofp_buf *b, const char *hex);

/**
 * A flow-mod (OFPFC_ADD, priority 10, no buffer, any out port / group) of
 * @p version matching the @p n_f fields @p f; with @p n_acts, one
 * apply-actions instruction @p ins of @p acts. Fills nothing in @p f.
 */
void ofp_build_flow_mod(struct sl_ofp_msg *m, uint8_t version, struct sl_ofp_oxm *f,
			uint32_t n_f, struct sl_ofp_instruction *ins,
			struct sl_ofp_action *acts, uint32_t n_acts);

/**
 * Encode @p m into @p out and assert @p hex (unless NULL) is in it, decode
 * into @p back, assert it re-encodes byte for byte, and that it validates:
 * with 0, or the error @p etype / @p ecode when @p etype is not 0.
 */
void ofp_round_trip(const struct sl_ofp_msg *m, const char *hex, struct sl_ofp_buf *out,
		    struct sl_ofp_msg *back, uint16_t etype, uint16_t ecode);

/** Sorted names of files in @p dir whose name contains @p substr. */
int ofp_list_files(const char *dir, const char *substr, struct sl_lines *names);

/** Dump @p msg into sorted lines. @return sl_ofp_dump's result. */
int ofp_dump_lines(const struct sl_ofp_msg *msg, struct sl_lines *out);

/**
 * Compare two sorted line sets; prints the differences (prefixed by @p tag)
 * to stderr (none when @p tag is NULL). @return number of differing lines.
 */
size_t ofp_diff_lines(const struct sl_lines *a, const struct sl_lines *b, const char *tag);

#endif /* OFP_TEST_UTIL_H */
