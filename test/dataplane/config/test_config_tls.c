/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit tests for the [openflow] TLS and Unix-socket settings: ssl, pssl,
 * unix and punix targets; ssl_private_key, ssl_certificate, ssl_ca_cert and
 * ssl_verify_peer, which TLS targets require and nothing else may set.
 * Every error names the file, the line and what was expected. */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cunit_main.h"

#include "config_test_util.h"

#define FILES "ssl_private_key = /k.pem\nssl_certificate = /c.pem\nssl_ca_cert = /ca.pem\n"

static void
test_tls_targets(void)
{
	CU_ASSERT_EQUAL_FATAL(load("[openflow]\n"
				   "listen = pssl:6653:0.0.0.0, punix:/run/sluice/of.sock, ptcp:6654\n"
				   "controllers = ssl:192.0.2.1:6653, unix:/run/ctl.sock\n"
				   FILES), 0);
	CU_ASSERT_EQUAL(cfg.n_of_targets, 5);
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[0], "pssl:6653:0.0.0.0");
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[1], "punix:/run/sluice/of.sock");
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[3], "ssl:192.0.2.1:6653");
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[4], "unix:/run/ctl.sock");
	CU_ASSERT_STRING_EQUAL(cfg.ssl_private_key, "/k.pem");
	CU_ASSERT_STRING_EQUAL(cfg.ssl_certificate, "/c.pem");
	CU_ASSERT_STRING_EQUAL(cfg.ssl_ca_cert, "/ca.pem");
	CU_ASSERT_TRUE(cfg.ssl_verify_peer); /* on unless asked */

	CU_ASSERT_EQUAL(load("[openflow]\nlisten = pssl:6653\nssl_private_key = /k.pem\n"
			     "ssl_certificate = /c.pem\nssl_verify_peer = no\n"), 0);
	CU_ASSERT_FALSE(cfg.ssl_verify_peer);
	CU_ASSERT_STRING_EQUAL(cfg.ssl_ca_cert, "");

	/* Unix targets need no TLS files; the default stays loopback TCP */
	CU_ASSERT_EQUAL(load("[openflow]\nlisten = punix:/tmp/x.sock\n"), 0);
	CU_ASSERT_EQUAL(cfg.n_of_targets, 1);
	CU_ASSERT_EQUAL(load("[switch]\nworkers = 1\n"), 0);
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[0], "ptcp:6653:127.0.0.1");
	CU_ASSERT_EQUAL(sl_config_load_string(&cfg, sl_config_embedded_default, "<embedded>",
					      err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(cfg.n_of_targets, 1);
	CU_ASSERT_STRING_EQUAL(cfg.of_targets[0], "ptcp:6653:127.0.0.1");
}

static void
test_tls_errors(void)
{
	expect_error("[openflow]\nlisten = pssl:6653\nssl_certificate = /c.pem\n"
		     "ssl_ca_cert = /ca.pem\n", 2,
		     "[openflow] listen: TLS target pssl:6653 needs ssl_private_key (a PEM file)");
	expect_error("[openflow]\nssl_private_key = /k.pem\nssl_certificate = /c.pem\n"
		     "controllers = ssl:192.0.2.1:6653\n", 4,
		     "needs ssl_ca_cert (a PEM file) or ssl_verify_peer = no");
	expect_error("[openflow]\nlisten = pssl:6653\n" FILES "ssl_verify_peer = no\n", 5,
		     "[openflow] ssl_ca_cert: unused with ssl_verify_peer = no");
	expect_error("[openflow]\nlisten = ptcp:6653\nssl_private_key = /k.pem\n", 3,
		     "[openflow] ssl_private_key: set, but no ssl: or pssl: target");
	expect_error("[openflow]\nssl_verify_peer = yes\n", 2,
		     "[openflow] ssl_verify_peer: set, but no ssl: or pssl: target");
	expect_error("[openflow]\nssl_verify_peer = maybe\n", 2, "expected \"yes\" or \"no\"");
	expect_error("[openflow]\nlisten = ssl:192.0.2.1:6653\n", 2, "passive targets");
	expect_error("[openflow]\ncontrollers = pssl:6653\n", 2, "active targets");
	expect_error("[openflow]\nlisten = punix:\n", 2, "punix:/run/sluice/of.sock");
	expect_error("[openflow]\nlisten = pssl\n", 2, "passive targets");
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "TLS and Unix targets", test_tls_targets },
		{ "TLS errors", test_tls_errors },
	};

	return cunit_run_suite("config_tls", tests, CUNIT_N_TESTS(tests));
}
