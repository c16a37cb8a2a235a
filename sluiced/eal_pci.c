/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL's PCI allow-list, built from the config (sl_eal_pci.h).
 *
 * Why: with no list EAL probes every PCI device a DPDK driver matches,
 * including NICs the kernel is using for the host itself (the embedded
 * default, which has no PCI port, used to try the host's own NIC and only
 * failed because the kernel held it). So sluiced probes exactly its PCI
 * ports (-a, one per port) or, with none, no PCI bus at all (--no-pci),
 * unless the operator's eal_args already choose (-a/--allow, -b/--block,
 * --no-pci). A port's devargs go with its -a (so that representor= and
 * driver options apply from the first probe) when they are well-formed;
 * else only the address does, and the port's own probe reports the bad
 * string: a malformed -a would stop EAL for every port, where a bad
 * devargs string must fail only its port.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sl_eal_pci.h"

static bool
user_chooses(int argc, char **argv)
{
	static const char *const opts[] = { "-a", "--allow", "-b", "--block", "--no-pci",
					    "-w", "--pci-whitelist", "--pci-blacklist" };

	for (int i = 0; i < argc; i++)
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			size_t n = strlen(opts[k]);

			if (strncmp(argv[i], opts[k], n) == 0 &&
			    (argv[i][n] == '\0' || argv[i][n] == '=' || opts[k][1] != '-'))
				return true;
		}
	return false;
}

/* Are the devargs after the address well-formed: ",key=value" items, keys
 * of letters, digits, '_' and '-', values with balanced brackets (lists
 * like representor=[0-3])? DPDK's own parser cannot be asked before EAL
 * is up (the PCI bus parses only once initialised), and a malformed -a
 * would stop EAL for every port; a well-formed one a driver refuses only
 * fails that device, which the port's probe then reports. */
static bool
devargs_ok(const char *s)
{
	const char *p = strchr(s, ',');

	while (p != NULL && *p == ',') {
		int depth = 0;

		p++;
		if (!isalnum((unsigned char)*p))
			return false;
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
			p++;
		if (*p++ != '=')
			return false;
		for (; *p && (depth > 0 || *p != ','); p++) {
			if (*p == '[')
				depth++;
			else if (*p == ']' && --depth < 0)
				return false;
			else if ((unsigned char)*p <= ' ')
				return false;
		}
		if (depth != 0)
			return false;
	}
	return true;
}

int
sl_eal_pci_args(const struct sl_config *cfg, int argc, char **argv, int max,
		char (*store)[SL_EAL_PCI_ARG_LEN])
{
	int n = argc, used = 0;

	if (user_chooses(argc, argv))
		return argc;
	for (unsigned int i = 0; i < cfg->n_ports; i++) {
		char addr[16];

		if (!sl_config_port_pci_address(&cfg->ports[i], addr, sizeof(addr)))
			continue;
		if (n + 2 >= max || used >= SL_EAL_PCI_MAX)
			return -1;
		snprintf(store[used], SL_EAL_PCI_ARG_LEN, "%s",
			 devargs_ok(cfg->ports[i].args) ? cfg->ports[i].args : addr);
		argv[n++] = "-a";
		argv[n++] = store[used++];
	}
	if (used == 0) {
		if (n + 1 >= max)
			return -1;
		argv[n++] = "--no-pci";
	}
	argv[n] = NULL;
	return n;
}
