/* Test helper: one built message per OF1.3 message / multipart type. */
#ifndef OFP_CORPUS_H
#define OFP_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

#include "sl_ofp.h"

#define OFP_CORPUS_MAX 96

struct ofp_sample {
	const char *name;  /**< file-name friendly, e.g. "flow_mod" */
	bool to_switch;    /**< a controller-to-switch request: must validate */
	struct sl_ofp_msg msg;
};

struct ofp_corpus {
	struct ofp_sample v[OFP_CORPUS_MAX];
	size_t n;
};

/** Build every sample (memory owned by each message's arena). */
void ofp_corpus_build(struct ofp_corpus *c);
/** Free all samples. */
void ofp_corpus_free(struct ofp_corpus *c);

#endif /* OFP_CORPUS_H */
