/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_mgmt_out.h
 * What a management command answers, written once and rendered either as
 * readable text (aligned tables, free lines) or as JSON (`sluicectl --json`).
 *
 * A command writes lists of records: sl_out_list() starts one (a table in
 * text, an array of objects in JSON), sl_out_record() starts a row, and
 * sl_out_str()/sl_out_u64()/sl_out_i64() add its cells. Keys are string
 * literals (kept by pointer); values are copied. In text, a table's columns
 * are the keys of its first record. sl_out_line() adds a free line of
 * text (in JSON it goes to the "lines" array), for answers that read better
 * as prose (trace). Nothing is written to the client until the command
 * returns, so an error can still replace the whole answer (sl_out_error).
 */
#ifndef SL_MGMT_OUT_H
#define SL_MGMT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** How an answer is rendered. */
enum sl_out_mode {
	SL_OUT_TEXT = 0, /**< aligned tables and lines, for people */
	SL_OUT_JSON = 1, /**< one JSON object, for scripts */
};

struct sl_out;

/**
 * A new, empty answer.
 * @param mode how sl_out_render() renders it
 * @return the answer, or NULL when out of memory.
 */
struct sl_out *sl_out_new(enum sl_out_mode mode);

/**
 * Free an answer and everything in it.
 * @param o the answer (NULL: nothing)
 */
void sl_out_free(struct sl_out *o);

/**
 * The answer's mode.
 * @param o the answer
 * @return SL_OUT_TEXT or SL_OUT_JSON.
 */
enum sl_out_mode sl_out_mode(const struct sl_out *o);

/**
 * Start a list of records named @p name (a string literal).
 * @param o    the answer
 * @param name the list's name: the table's title, the JSON key
 */
void sl_out_list(struct sl_out *o, const char *name);

/**
 * Start a record (a row) in the current list.
 * @param o the answer
 */
void sl_out_record(struct sl_out *o);

/**
 * Add a string cell to the current record.
 * @param o   the answer
 * @param key the column (a string literal)
 * @param fmt printf format of the value
 */
void sl_out_str(struct sl_out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Add an unsigned number cell to the current record.
 * @param o   the answer
 * @param key the column (a string literal)
 * @param v   the value
 */
void sl_out_u64(struct sl_out *o, const char *key, uint64_t v);

/**
 * Add a signed number cell to the current record.
 * @param o   the answer
 * @param key the column (a string literal)
 * @param v   the value
 */
void sl_out_i64(struct sl_out *o, const char *key, int64_t v);

/**
 * Add a number cell with @p decimals digits after the point (a percentage,
 * a rate).
 * @param o        the answer
 * @param key      the column (a string literal)
 * @param v        the value
 * @param decimals digits after the point, 0 to 6
 */
void sl_out_fixed(struct sl_out *o, const char *key, double v, int decimals);

/**
 * Add a free line of text (JSON: an element of "lines").
 * @param o   the answer
 * @param fmt printf format of the line (no newline)
 */
void sl_out_line(struct sl_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Make the answer an error: everything added so far is dropped and the
 * client gets "ERROR <message>".
 * @param o   the answer
 * @param fmt printf format of the message
 * @return -1, for `return sl_out_error(o, ...)` in command handlers.
 */
int sl_out_error(struct sl_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Render the answer as the client receives it: a status line ("OK" or
 * "ERROR <message>") and the body.
 * @param o   the answer
 * @param len set to the length of the result
 * @return a malloc'd buffer (the caller frees it), or NULL when out of memory.
 */
char *sl_out_render(const struct sl_out *o, size_t *len);

#endif /* SL_MGMT_OUT_H */
