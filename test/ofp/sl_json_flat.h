/* Test helper: JSON -> sorted "path=value" lines (see sl_json_flat.c). */
#ifndef SL_JSON_FLAT_H
#define SL_JSON_FLAT_H

#include <stddef.h>

/** A growable list of malloc'd lines. */
struct sl_lines {
	char **v;
	size_t n, cap;
};

/** Append a copy of @p line. */
void sl_lines_add(struct sl_lines *l, const char *line);
/** Sort lines with strcmp so two dumps compare regardless of order. */
void sl_lines_sort(struct sl_lines *l);
/** Free all lines. */
void sl_lines_free(struct sl_lines *l);

/**
 * Flatten a JSON document: objects join keys with '.', arrays add "[i]",
 * empty containers print "{}" / "[]", true/false print 1/0.
 * @return 0, or -1 on a syntax error.
 */
int sl_json_flatten(const char *text, size_t len, struct sl_lines *out);

#endif /* SL_JSON_FLAT_H */
