/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the configuration parser (dataplane/config). Any
 * text must load or be refused with a message that names the file and says
 * what was wrong, without a bad read, a leak or a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_config cfg;
	char text[8192], err[512] = "";

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sl_config_load_string(&cfg, text, "<fuzz>", err, sizeof(err)) != 0) {
		if (strncmp(err, "<fuzz>", 6) != 0 || strlen(err) < 8)
			abort(); /* a refusal names the file and says why */
		return 0;
	}
	if (cfg.n_ports > SL_MAX_PORTS || cfg.n_workers > RTE_MAX_LCORE)
		abort();
	return 0;
}
