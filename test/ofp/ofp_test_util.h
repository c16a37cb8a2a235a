/* Shared helpers for the codec tests: read files, list vectors, compare a
 * decoded message with its os-ken JSON twin. */
#ifndef OFP_TEST_UTIL_H
#define OFP_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "sl_json_flat.h"
#include "sl_ofp.h"

/** Directory of the OF1.3 vectors (env SL_OFP_VECTORS overrides the default). */
const char *ofp_vectors_dir(void);

/** Read a whole file; returns malloc'd bytes (NUL-terminated) or NULL. */
uint8_t *ofp_read_file(const char *path, size_t *len);

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
