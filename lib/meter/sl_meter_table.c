/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The meter table: meter id -> meter, one writer (the control thread),
 * lock-free readers.  A fixed array of hash chains sized from the capacity:
 * insert publishes a fully built meter at the head of its chain with a
 * release store, delete unlinks with one store and never touches the unlinked
 * meter's own link, so a reader standing on it still reaches the rest of the
 * chain.  Unlinked memory goes to the caller's deferred free (RCU).
 */
#include <stdlib.h>

#include "sl_meter.h"
#include "sl_meter_private.h"

/* Chains are sized for capacity/2 but capped: a table sized for millions of
 * meters usually holds few, and 2^16 heads (512 KiB) keep chains short up to
 * ~10^5 meters. */
#define SL_METER_TABLE_MAX_HEADS (1u << 16)
#define SL_METER_TABLE_MIN_HEADS 16u

struct sl_meter_table {
	uint32_t max_meters;
	uint32_t count;
	uint32_t head_mask;
	struct sl_meter **heads; /* atomic loads/stores: readers walk concurrently */
	sl_meter_defer_free_fn *defer_free;
	void *defer_ctx;
};

static inline uint32_t
meter_hash(uint32_t id)
{
	uint32_t h = id * 2654435761u; /* Knuth's multiplicative hash */

	return h ^ (h >> 16);
}

struct sl_meter_table *
sl_meter_table_create(uint32_t max_meters, sl_meter_defer_free_fn *defer_free, void *defer_ctx)
{
	struct sl_meter_table *t;
	uint32_t heads = SL_METER_TABLE_MIN_HEADS;

	if (max_meters == 0 || max_meters > OFPM_MAX)
		return NULL;
	while (heads < max_meters / 2 && heads < SL_METER_TABLE_MAX_HEADS)
		heads <<= 1;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->heads = calloc(heads, sizeof(t->heads[0]));
	if (t->heads == NULL) {
		free(t);
		return NULL;
	}
	t->max_meters = max_meters;
	t->head_mask = heads - 1;
	t->defer_free = defer_free;
	t->defer_ctx = defer_ctx;
	return t;
}

void
sl_meter_table_destroy(struct sl_meter_table *table)
{
	if (table == NULL)
		return;
	for (uint32_t h = 0; h <= table->head_mask; h++) {
		struct sl_meter *m = table->heads[h];

		while (m != NULL) {
			struct sl_meter *next = m->next;

			sl_meter_free_cb(m);
			m = next;
		}
	}
	free(table->heads);
	free(table);
}

struct sl_meter *
sl_meter_table_lookup(const struct sl_meter_table *table, uint32_t meter_id)
{
	struct sl_meter *m =
		__atomic_load_n(&table->heads[meter_hash(meter_id) & table->head_mask], __ATOMIC_ACQUIRE);

	while (m != NULL && m->id != meter_id)
		m = __atomic_load_n(&m->next, __ATOMIC_ACQUIRE);
	return m;
}

uint32_t
sl_meter_table_count(const struct sl_meter_table *table)
{
	return table->count;
}

static void
retire(struct sl_meter_table *table, struct sl_meter *m)
{
	table->count--;
	if (table->defer_free != NULL)
		table->defer_free(table->defer_ctx, m, sl_meter_free_cb);
	else
		sl_meter_free_cb(m);
}

/* Unlinks one meter; readers on it still see its (unchanged) next link. */
static void
table_delete(struct sl_meter_table *table, uint32_t meter_id)
{
	struct sl_meter **link = &table->heads[meter_hash(meter_id) & table->head_mask];

	for (struct sl_meter *m = *link; m != NULL; link = &m->next, m = *link) {
		if (m->id == meter_id) {
			__atomic_store_n(link, m->next, __ATOMIC_RELEASE);
			retire(table, m);
			return;
		}
	}
	/* Deleting a missing meter is not an error (as for flows and groups). */
}

static void
table_delete_all(struct sl_meter_table *table)
{
	for (uint32_t h = 0; h <= table->head_mask; h++) {
		struct sl_meter *m = table->heads[h];

		/* Readers may be anywhere in the chain: detach it whole, then retire. */
		__atomic_store_n(&table->heads[h], NULL, __ATOMIC_RELEASE);
		while (m != NULL) {
			struct sl_meter *next = m->next;

			retire(table, m);
			m = next;
		}
	}
}

static int
table_add(struct sl_meter_table *table, const struct sl_meter_mod *mm, uint64_t now_ns,
	  uint16_t *err_code)
{
	struct sl_meter **head = &table->heads[meter_hash(mm->meter_id) & table->head_mask];
	struct sl_meter *m;

	if (sl_meter_table_lookup(table, mm->meter_id) != NULL) {
		*err_code = OFPMMFC_METER_EXISTS;
		return -1;
	}
	if (table->count >= table->max_meters) {
		*err_code = OFPMMFC_OUT_OF_METERS;
		return -1;
	}
	m = sl_meter_create(mm, now_ns, err_code);
	if (m == NULL)
		return -1;
	m->next = *head; /* not yet visible: plain store */
	__atomic_store_n(head, m, __ATOMIC_RELEASE);
	table->count++;
	return 0;
}

int
sl_meter_table_mod(struct sl_meter_table *table, const struct sl_meter_mod *mm, uint64_t now_ns,
		   uint16_t *err_code)
{
	uint16_t scratch;
	struct sl_meter *m;

	if (err_code == NULL)
		err_code = &scratch;
	if (sl_meter_mod_check(mm, err_code) != 0)
		return -1;
	switch (mm->command) {
	case OFPMC_ADD:
		return table_add(table, mm, now_ns, err_code);
	case OFPMC_MODIFY:
		m = sl_meter_table_lookup(table, mm->meter_id);
		if (m == NULL) {
			*err_code = OFPMMFC_UNKNOWN_METER;
			return -1;
		}
		return sl_meter_modify(m, mm, table->defer_free, table->defer_ctx, err_code);
	default: /* OFPMC_DELETE, the only other command that passes the check */
		if (mm->meter_id == OFPM_ALL)
			table_delete_all(table);
		else
			table_delete(table, mm->meter_id);
		return 0;
	}
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

uint32_t
sl_meter_table_ids(const struct sl_meter_table *table, uint32_t *ids, uint32_t max)
{
	uint32_t *all = ids, n = 0;

	if (table->count > max) {
		all = malloc(sizeof(*all) * table->count);
		if (all == NULL)
			return 0; /* nothing written */
	}
	for (uint32_t h = 0; h <= table->head_mask; h++)
		for (struct sl_meter *m = table->heads[h]; m != NULL; m = m->next)
			all[n++] = m->id;
	qsort(all, n, sizeof(*all), cmp_u32);
	if (all != ids) {
		for (uint32_t i = 0; i < max; i++)
			ids[i] = all[i];
		free(all);
	}
	return n;
}

void
sl_meter_table_features(const struct sl_meter_table *table, struct sl_meter_features *features)
{
	features->max_meter = table->max_meters;
	features->band_types = (1u << OFPMBT_DROP) | (1u << OFPMBT_DSCP_REMARK);
	features->capabilities = OFPMF_KBPS | OFPMF_PKTPS | OFPMF_BURST | OFPMF_STATS;
	features->max_bands = SL_METER_MAX_BANDS;
	features->max_color = SL_METER_MAX_COLOR;
}
