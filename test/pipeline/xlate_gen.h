/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The random world generator shared by the differential test
 * (test_xlate_diff.c, random stream from test_rng) and the translation
 * fuzzer's reference mode (test/fuzz/xlate_fuzz_ref.c, random stream from
 * the input bytes). Both need the same shapes: rules, groups and packets
 * that the naive reference of xlate_ref.c can follow. The user supplies the
 * random stream and what a failed expectation does.
 */
#ifndef XLATE_GEN_H
#define XLATE_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "xlate_diff.h"

/** Supplied by the user: 0..n-1 from its random stream (0 when n is 0).
 * Every loop of the generator is bounded even when it always returns 0. */
uint32_t xg_rnd(uint32_t n);
/** Supplied by the user: an expectation of the generator; @p ok false means
 * the pipeline refused something valid (@p what says what). */
void xg_check(bool ok, const char *what);

/** A random match for @p r (sl_match and the reference's key/mask). */
void xg_random_match(struct tr_rule *r);
/** One action the reference knows, whose prerequisites @p r's match
 * satisfies (NULL: a bucket's); groups only below @p max_group. */
void xg_random_action(struct world *w, struct sl_action *a, const struct tr_rule *r,
		      uint32_t max_group);
/** Random instructions for @p r (apply, write, metadata, meter, goto). */
void xg_random_instructions(struct world *w, struct tr_rule *r);
/** Add, modify or delete @p r in @p w's pipeline; the flow-mod's result. */
int xg_install(struct world *w, struct tr_rule *r, uint8_t cmd);
/** A group-mod of @p g; the pipeline's result. */
int xg_group_mod(struct world *w, struct tr_group *g, uint16_t cmd);
/** A fresh pipeline with random groups (each only referring to lower ids:
 * no loops by construction), then, after @p after_groups (may be NULL),
 * random rules in every table and random port liveness. False when no
 * pipeline could be made. */
bool xg_build_world(struct world *w, void (*after_groups)(struct world *w));
/** A small change: one rule's instructions modified (strict; deleted when
 * refused), one rule deleted by its unique cookie, one port's liveness
 * flipped. */
void xg_change_world(struct world *w);
/** A random packet's key; one in five is MPLS around an IPv4 packet. */
void xg_random_packet(struct pstate *st);

#endif /* XLATE_GEN_H */
