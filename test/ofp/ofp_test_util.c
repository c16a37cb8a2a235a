/* Shared helpers for the codec tests. */
#include "ofp_test_util.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#ifndef SL_OFP_VECTORS
#define SL_OFP_VECTORS "test/data/openflow-vectors/of13"
#endif
#ifndef SL_OFP_VECTORS_ROOT
#define SL_OFP_VECTORS_ROOT "test/data/openflow-vectors"
#endif

const char *ofp_vectors_dir(void)
{
	const char *env = getenv("SL_OFP_VECTORS");
	return env != NULL && *env ? env : SL_OFP_VECTORS;
}

uint8_t *ofp_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap + 1);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

uint8_t *ofp_vector(const char *name, size_t *len)
{
	char path[1024];
	uint8_t *b;

	snprintf(path, sizeof(path), "%s/%s", SL_OFP_VECTORS_ROOT, name);
	b = ofp_read_file(path, len);
	if (b == NULL)
		fprintf(stderr, "\ncannot read vector %s\n", path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	return b;
}

void ofp_expect_encoded(struct sl_ofp_buf *out, const uint8_t *raw, size_t len)
{
	CU_ASSERT_EQUAL(out->len, len);
	CU_ASSERT(out->len == len && memcmp(out->data, raw, len) == 0);
	sl_ofp_buf_free(out);
}

void ofp_each_cut(const uint8_t *raw, size_t len,
		  void (*check)(const uint8_t *cut, size_t n, void *arg), void *arg)
{
	uint8_t *c = malloc(len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (size_t n = 8; n < len; n++) {
		memcpy(c, raw, n);
		c[2] = (uint8_t)(n >> 8);
		c[3] = (uint8_t)n;
		check(c, n, arg);
	}
	free(c);
}

/* `ovs-ofctl ofp-print` of @p b: whether a line says @p want, whether one
 * warns (WARN, "bad"); the command in @p cmd for the failure message. */
static void print_scan(const struct sl_ofp_buf *b, const char *want, char *cmd, size_t size,
		       bool *found, bool *warned)
{
	char line[1024];
	size_t n = (size_t)snprintf(cmd, size, "ovs-ofctl ofp-print '");
	FILE *f;

	*found = *warned = false;
	for (size_t i = 0; i < b->len && n + 4 < size; i++)
		n += (size_t)snprintf(cmd + n, size - n, "%02x", b->data[i]);
	snprintf(cmd + n, size - n, "' 2>&1");
	f = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		*found |= strstr(line, want) != NULL;
		*warned |= strstr(line, "WARN") != NULL || strstr(line, "bad") != NULL;
	}
	pclose(f);
}

void ofp_expect_print(const struct sl_ofp_buf *b, const char *want)
{
	char cmd[4096];
	bool found, warned;

	print_scan(b, want, cmd, sizeof(cmd), &found, &warned);
	if (!found)
		printf("\nofp-print did not say %s\n", want);
	CU_ASSERT_TRUE(found);
}

bool ofp_have_ovs_ofctl(void)
{
	static int have = -1;

	if (have < 0)
		have = system("ovs-ofctl --version >/dev/null 2>&1") == 0;
	return have;
}

void ofp_expect_print_clean(const struct sl_ofp_buf *b, const char *want)
{
	char cmd[4096];
	bool found, warned;

	if (!ofp_have_ovs_ofctl())
		return;
	print_scan(b, want, cmd, sizeof(cmd), &found, &warned);
	if (!found || warned)
		printf("\nofp-print did not say %s (%s)\n", want, cmd);
	CU_ASSERT_TRUE(found);
	CU_ASSERT_FALSE(warned);
}

bool ofp_has_bytes(const struct sl_ofp_buf *b, const char *hex)
{
	uint8_t want[80];
	size_t n = strlen(hex) / 2;

	CU_ASSERT_FATAL(n <= sizeof(want));
	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &want[i]);
	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, want, n) == 0)
			return true;
	return false;
}

void ofp_build_flow_mod(struct sl_ofp_msg *m, uint8_t version, struct sl_ofp_oxm *f,
			uint32_t n_f, struct sl_ofp_instruction *ins,
			struct sl_ofp_action *acts, uint32_t n_acts)
{
	struct sl_ofp_flow_mod *fm;

	sl_ofp_msg_init(m, OFPT_FLOW_MOD, 1);
	m->version = version;
	fm = &m->u.flow_mod;
	fm->command = OFPFC_ADD;
	fm->priority = 10;
	fm->buffer_id = OFP_NO_BUFFER;
	fm->out_port = OFPP_ANY;
	fm->out_group = OFPG_ANY;
	fm->match.type = OFPMT_OXM;
	fm->match.fields = f;
	fm->match.n_fields = n_f;
	if (n_acts) {
		memset(ins, 0, sizeof(*ins));
		ins->type = OFPIT_APPLY_ACTIONS;
		ins->u.actions.actions = acts;
		ins->u.actions.n_actions = n_acts;
		fm->instructions = ins;
		fm->n_instructions = 1;
	}
}

void ofp_round_trip(const struct sl_ofp_msg *m, const char *hex, struct sl_ofp_buf *out,
		    struct sl_ofp_msg *back, uint16_t etype, uint16_t ecode)
{
	struct sl_ofp_buf again = { 0 };
	struct sl_ofp_error err = { 0 };
	int rc;

	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(m, out), 0);
	if (hex != NULL && !ofp_has_bytes(out, hex))
		printf("\nmissing %s\n", hex);
	CU_ASSERT(hex == NULL || ofp_has_bytes(out, hex));
	CU_ASSERT_EQUAL_FATAL(sl_ofp_decode(out->data, out->len, back, &err), 0);
	CU_ASSERT_EQUAL_FATAL(sl_ofp_encode(back, &again), 0);
	CU_ASSERT(again.len == out->len && memcmp(again.data, out->data, out->len) == 0);
	rc = sl_ofp_validate(back, &err);
	if (etype == 0) {
		if (rc != 0)
			printf("\nvalidate: %s\n", sl_ofp_error_code_name(err.type, err.code));
		CU_ASSERT_EQUAL(rc, 0);
	} else {
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_EQUAL(err.type, etype);
		CU_ASSERT_EQUAL(err.code, ecode);
	}
	sl_ofp_buf_free(&again);
}

int ofp_list_files(const char *dir, const char *substr, struct sl_lines *names)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -1;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strstr(de->d_name, substr) != NULL)
			sl_lines_add(names, de->d_name);
	closedir(d);
	sl_lines_sort(names);
	return 0;
}

static void add_line(void *arg, const char *line)
{
	sl_lines_add(arg, line);
}

int ofp_dump_lines(const struct sl_ofp_msg *msg, struct sl_lines *out)
{
	int rc = sl_ofp_dump(msg, add_line, out);
	sl_lines_sort(out);
	return rc;
}

size_t ofp_diff_lines(const struct sl_lines *a, const struct sl_lines *b, const char *tag)
{
	size_t i = 0, j = 0, diff = 0;
	while (i < a->n || j < b->n) {
		int c = i >= a->n ? 1 : j >= b->n ? -1 : strcmp(a->v[i], b->v[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (diff < 12 && tag != NULL)
			fprintf(stderr, "  %s %s %s\n", tag, c < 0 ? "ours  " : "theirs",
				c < 0 ? a->v[i] : b->v[j]);
		diff++;
		if (c < 0)
			i++;
		else
			j++;
	}
	return diff;
}
