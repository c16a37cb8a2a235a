/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the parts of the translation fuzzer (fuzz_xlate.c: input bytes,
 * bounds and result checks, frames; xlate_fuzz_ref.c: worlds the reference
 * translator can follow; xlate_fuzz_wild.c: everything else).
 */
#ifndef XLATE_FUZZ_H
#define XLATE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "sl_pipeline.h"
#include "sl_xlate.h"

/* The input, consumed by rnd(). */
struct fz_in {
	const uint8_t *p;
	size_t n, i;
};
extern struct fz_in fz;

/* 0..n-1 from the next input bytes (0 once they run out: every loop that
 * draws from rnd() must be bounded without it). */
uint32_t rnd(uint32_t n);
/* Report a broken invariant and abort (libFuzzer keeps the input). */
void fz_fail(const char *what) __attribute__((noreturn));

/* What the world allows, for the work bound. */
struct fz_bounds {
	unsigned int max_acts;    /* longest action list (apply, write, bucket, packet-out) */
	unsigned int max_buckets; /* most buckets in a group */
};
/* Translate @p key (or run @p acts as a packet-out when not NULL), checking
 * the result's bounds and the work it took; returns sl_xlate's code. */
int fz_translate(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		 const struct sl_action *acts, unsigned int n_acts, struct sl_xlate_result *r,
		 const struct fz_bounds *b);
/* Translate @p key again (uncounted): the result must be the same. */
void fz_check_again(const struct sl_pipeline *pl, const struct sl_flow_key *key,
		    const struct sl_xlate_result *r);
/* A frame from the input (Ethernet, VLAN tags, ARP/MPLS/PBB/IPv4/IPv6, L4,
 * sometimes raw or truncated); returns its length (at most @p cap >= 160). */
size_t fz_frame(uint8_t *f, size_t cap);

/* What the runs exercised (printed at exit when SL_FUZZ_STATS is set). */
struct fz_stats {
	unsigned long worlds[2];       /* reference, wild */
	unsigned long translations, errors[SL_XLATE_RECIRC_LOST + 1];
	unsigned long compared;        /* packets compared with the reference */
	unsigned long transparent;     /* megaflow transparency checks made */
	unsigned long loops_refused, chained_refused;
	unsigned long with_buckets, with_recirc;
};
extern struct fz_stats fz_st;

void fz_reference(void); /* xlate_fuzz_ref.c */
void fz_wild(void);      /* xlate_fuzz_wild.c */

#endif /* XLATE_FUZZ_H */
