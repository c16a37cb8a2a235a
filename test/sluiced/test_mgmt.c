/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The management socket without a socket: the request parser's refusals
 * and splits, dispatch (help, unknown command, argument counts), and the
 * answers' text and JSON renderings (alignment, escaping, errors replacing
 * everything).
 */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "sl_mgmt.h"

static int
parse(const char *req, char **argv, bool *json, char *buf)
{
	char err[128];

	strcpy(buf, req);
	return sl_mgmt_parse_request(buf, strlen(req), argv, 4, json, err, sizeof(err));
}

static void
test_parse(void)
{
	char buf[256], *argv[4];
	bool json;

	CU_ASSERT_EQUAL(parse("show\n", argv, &json, buf), 1);
	CU_ASSERT_STRING_EQUAL(argv[0], "show");
	CU_ASSERT_FALSE(json);
	CU_ASSERT_EQUAL(parse("  drops\t--json  --all \r\n", argv, &json, buf), 2);
	CU_ASSERT_STRING_EQUAL(argv[0], "drops");
	CU_ASSERT_STRING_EQUAL(argv[1], "--all");
	CU_ASSERT_TRUE(json);
	/* refused: no newline, empty, control characters, too many words */
	CU_ASSERT_EQUAL(parse("show", argv, &json, buf), -1);
	CU_ASSERT_EQUAL(parse("\n", argv, &json, buf), -1);
	CU_ASSERT_EQUAL(parse("   --json \n", argv, &json, buf), -1);
	CU_ASSERT_EQUAL(parse("sh\x01ow\n", argv, &json, buf), -1);
	CU_ASSERT_EQUAL(parse("a b c d e\n", argv, &json, buf), -1);
	CU_ASSERT_EQUAL(parse("a b c d\n", argv, &json, buf), 4);
	{
		char nul[] = "sh\0w\n";
		char err[64];

		CU_ASSERT_EQUAL(sl_mgmt_parse_request(nul, 5, argv, 4, &json, err, sizeof(err)),
				-1);
	}
}

static int
echo(void *ctx, int argc, char **argv, struct sl_out *out)
{
	(void)ctx;
	sl_out_list(out, "words");
	for (int i = 0; i < argc; i++) {
		sl_out_record(out);
		sl_out_u64(out, "n", (uint64_t)i);
		sl_out_str(out, "word", "%s", argv[i]);
	}
	return 0;
}

static const struct sl_mgmt_cmd cmds[] = {
	{ "echo", "WORD [WORD]", "say it back", 1, 2, echo },
};

static char *
run(const char *req, bool *ok)
{
	char buf[256], *argv[SL_MGMT_MAX_ARGS], err[128], *s;
	bool json;
	int argc;
	struct sl_out *o;
	size_t len;

	strcpy(buf, req);
	argc = sl_mgmt_parse_request(buf, strlen(req), argv, SL_MGMT_MAX_ARGS, &json, err,
				     sizeof(err));
	CU_ASSERT_FATAL(argc > 0);
	o = sl_out_new(json ? SL_OUT_JSON : SL_OUT_TEXT);
	sl_mgmt_dispatch(cmds, 1, NULL, argc, argv, o);
	s = sl_out_render(o, &len);
	sl_out_free(o);
	CU_ASSERT_EQUAL(strlen(s), len);
	*ok = strncmp(s, "OK\n", 3) == 0;
	return s;
}

static void
test_dispatch(void)
{
	bool ok;
	char *s;

	s = run("echo hello\n", &ok);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_STRING_EQUAL(s, "OK\nn  word\n0  echo\n1  hello\n");
	free(s);
	s = run("echo \"q\\ --json\n", &ok);
	CU_ASSERT_STRING_EQUAL(s, "OK\n{\"words\": [{\"n\": 0, \"word\": \"echo\"}, "
			       "{\"n\": 1, \"word\": \"\\\"q\\\\\"}]}\n");
	free(s);
	s = run("echo\n", &ok);
	CU_ASSERT_FALSE(ok);
	CU_ASSERT_STRING_EQUAL(s, "ERROR usage: echo WORD [WORD]\n");
	free(s);
	s = run("echo a b c\n", &ok);
	CU_ASSERT_FALSE(ok);
	free(s);
	s = run("nope\n", &ok);
	CU_ASSERT_STRING_EQUAL(s, "ERROR unknown command \"nope\" (try \"help\")\n");
	free(s);
	s = run("help\n", &ok);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "echo WORD [WORD]  say it back"));
	free(s);
}

static void
test_render(void)
{
	struct sl_out *o = sl_out_new(SL_OUT_TEXT);
	size_t len;
	char *s;

	sl_out_list(o, "ports");
	sl_out_record(o);
	sl_out_str(o, "name", "a-long-name");
	sl_out_u64(o, "rx", 7);
	sl_out_record(o);
	sl_out_str(o, "name", "b");
	sl_out_u64(o, "rx", 123456);
	sl_out_list(o, "total");
	sl_out_record(o);
	sl_out_fixed(o, "busy", 12.345, 1);
	sl_out_line(o, "a line");
	s = sl_out_render(o, &len);
	CU_ASSERT_STRING_EQUAL(s, "OK\nports:\nname         rx\na-long-name  7\nb            123456\n"
			       "\ntotal:\nbusy\n12.3\n\na line\n");
	free(s);
	/* an error replaces everything, on one line */
	sl_out_error(o, "bad\nthing");
	s = sl_out_render(o, &len);
	CU_ASSERT_STRING_EQUAL(s, "ERROR bad thing\n");
	free(s);
	sl_out_free(o);
	o = sl_out_new(SL_OUT_JSON);
	sl_out_line(o, "tab\there");
	s = sl_out_render(o, &len);
	CU_ASSERT_STRING_EQUAL(s, "OK\n{\"lines\": [\"tab\\u0009here\"]}\n");
	free(s);
	sl_out_free(o);
}

int
main(void)
{
	static const struct cunit_test tests[] = {
		{ "request parser", test_parse },
		{ "dispatch", test_dispatch },
		{ "text and JSON answers", test_render },
	};

	return cunit_run_suite("management socket", tests, CUNIT_N_TESTS(tests));
}
