/* INTERNAL to lib/ofp: OF1.3 layouts shared between the layout files. */
#ifndef SL_OFP_LAYOUT_H
#define SL_OFP_LAYOUT_H

#include "sl_ofp_desc.h"

/** Nicira's experimenter id: its actions carry a 16-bit subtype. */
#define SL_OFP_NX_EXPERIMENTER 0x00002320u

extern const struct sl_ofp_type sl_ofp13_setfield_oxm_type;
extern const struct sl_ofp_type sl_ofp13_bucket_t, sl_ofp13_band_t, sl_ofp13_port_t;
extern const struct sl_ofp_type sl_ofp13_hello_elem_t, sl_ofp13_queue_t;
extern const struct sl_ofp_type sl_ofp13_flow_stats_t, sl_ofp13_table_stats_t;
extern const struct sl_ofp_type sl_ofp13_port_stats_t, sl_ofp13_queue_stats_t;
extern const struct sl_ofp_type sl_ofp13_group_stats_t, sl_ofp13_group_desc_t;
extern const struct sl_ofp_type sl_ofp13_meter_stats_t, sl_ofp13_meter_config_t;
extern const struct sl_ofp_type sl_ofp13_table_features_t, sl_ofp13_tf_prop_t;

#endif /* SL_OFP_LAYOUT_H */
