/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_check_host.h
 * `sluiced --check-host`: before the first start on a host, check what the
 * configuration needs from it, without starting DPDK: hugepages (sized for
 * the mempools and the fixed cost, per NUMA node of the workers), hugetlbfs,
 * the worker lcores (online, and isolated from the kernel's scheduler), the
 * PCI ports' NUMA nodes against the workers', and an IOMMU for vfio-pci.
 * Each finding is one line, "ok", "warn" or "FAIL", with what to change.
 */
#ifndef SL_CHECK_HOST_H
#define SL_CHECK_HOST_H

#include <stdio.h>

#include "sl_config.h"

/** Hugepage bytes one mbuf of the pools takes (measured: 2.5 KiB). */
#define SL_CHECK_MBUF_BYTES 2560ull
/** Fixed hugepage cost of a start with one worker (measured: 52 MiB). */
#define SL_CHECK_FIXED_MB 52ull
/** Margin per further worker (caches, rings), not measured on one host. */
#define SL_CHECK_WORKER_MB 16ull

/**
 * Check the host for @p cfg and print the findings to @p out.
 * @param cfg  the configuration to run
 * @param root where sysfs and procfs are ("" for the real "/sys" and
 *             "/proc"; tests give a fake tree)
 * @param out  where the findings go
 * @return the number of FAIL findings (0: it should start).
 */
int sl_check_host(const struct sl_config *cfg, const char *root, FILE *out);

#endif /* SL_CHECK_HOST_H */
