/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file sl_eal_pci.h
 * EAL arguments that make DPDK probe only the PCI devices that are
 * configured ports (eal_pci.c says why).
 */
#ifndef SL_EAL_PCI_H
#define SL_EAL_PCI_H

#include "sl_config.h"

/** Most PCI ports given to EAL with -a. */
#define SL_EAL_PCI_MAX 64
/** Room for one -a argument (a port's devargs). */
#define SL_EAL_PCI_ARG_LEN 256

/**
 * Append "-a DEVARGS" for each PCI port of @p cfg, or "--no-pci" when there
 * is none, to @p argv (which holds @p argc arguments, room for @p max
 * including the final NULL), unless the arguments already hold an allow or
 * block list or --no-pci.
 * @param cfg   the configuration
 * @param argc  arguments in @p argv so far
 * @param argv  the EAL arguments
 * @param max   room in @p argv
 * @param store where the -a values live (SL_EAL_PCI_MAX of them)
 * @return the new argument count, or -1 when @p argv or @p store is full.
 */
int sl_eal_pci_args(const struct sl_config *cfg, int argc, char **argv, int max,
		    char (*store)[SL_EAL_PCI_ARG_LEN]);

#endif /* SL_EAL_PCI_H */
