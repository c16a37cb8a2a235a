/* SPDX-License-Identifier: BSD-3-Clause */
/* What the configuration tests share: load a text as "t.ini", expect an
 * error naming its line (0: the file) and containing a phrase. */
#ifndef CONFIG_TEST_UTIL_H
#define CONFIG_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "sl_config.h"

static struct sl_config cfg;
static char err[SL_CONFIG_ERR_MAX];

static inline int
load(const char *text)
{
	err[0] = '\0';
	return sl_config_load_string(&cfg, text, "t.ini", err, sizeof(err));
}

/* The error must start with "t.ini:LINE: " ("t.ini: " for line 0) and
 * contain @needle. */
static inline void
expect_error(const char *text, unsigned int line, const char *needle)
{
	char prefix[32];
	bool ok;

	CU_ASSERT_EQUAL(load(text), -1);
	if (line)
		snprintf(prefix, sizeof(prefix), "t.ini:%u: ", line);
	else
		snprintf(prefix, sizeof(prefix), "t.ini: ");
	ok = strncmp(err, prefix, strlen(prefix)) == 0 && strstr(err, needle) != NULL;
	CU_ASSERT_TRUE(ok);
	if (!ok)
		fprintf(stderr, "\n  got error: %s (wanted %s... %s)\n", err, prefix, needle);
}

#endif /* CONFIG_TEST_UTIL_H */
