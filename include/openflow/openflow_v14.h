/**
 * @file openflow_v14.h
 * OpenFlow 1.4 and 1.5 wire constants that differ from or add to OF1.3
 * (openflow.h). Values from os-ken's ofproto_v1_4.py / ofproto_v1_5.py,
 * spec names. Dependency-free, like openflow.h.
 */
#ifndef OPENFLOW_OPENFLOW_V14_H
#define OPENFLOW_OPENFLOW_V14_H

/** @name Wire versions (ofp_header.version)
 *  @{ */
/** Wire version of the named OpenFlow release. */
#define OFP13_VERSION                            4u
#define OFP14_VERSION                            5u
#define OFP15_VERSION                            6u
/** @} */

/** @name Message types new in OF1.4 / OF1.5 (enum ofp_type)
 *  @{ */
/** Message type value of the named message. */
#define OFPT_ROLE_STATUS                         30u
#define OFPT_TABLE_STATUS                        31u
#define OFPT_REQUESTFORWARD                      32u
#define OFPT_BUNDLE_CONTROL                      33u
#define OFPT_BUNDLE_ADD_MESSAGE                  34u
#define OFPT_CONTROLLER_STATUS                   35u
/** @} */

/** @name Multipart types new in OF1.4 / OF1.5 (enum ofp_multipart_type)
 *  @{ */
/** Multipart type value of the named body. */
#define OFPMP_TABLE_DESC                         14u
#define OFPMP_QUEUE_DESC                         15u
#define OFPMP_FLOW_MONITOR                       16u
/** OF1.5: OFPMP_FLOW (1) became OFPMP_FLOW_DESC; OFXS-based flow stats are 17. */
#define OFPMP_FLOW_STATS                         17u
#define OFPMP_CONTROLLER_STATUS                  18u
#define OFPMP_BUNDLE_FEATURES                    19u
/** @} */

/** Role status reason: a master request from another controller (OFPCRR_*). */
#define OFPCRR_MASTER_REQUEST                    0u

/** OF1.5 instruction type: statistics trigger (not supported: UNSUP_INST). */
#define OFPIT_STAT_TRIGGER                       7u

/** OF1.5 action type: copy-field (bits of one field into another). */
#define OFPAT_COPY_FIELD                         28u
/** OF1.5 action type: meter (replaces the meter instruction). */
#define OFPAT_METER                              29u

/** @name OF1.5 table-feature property types (enum ofp_table_feature_prop_type)
 *  @{ */
/** Property type value of the named table-feature property. */
#define OFPTFPT_WRITE_COPYFIELD                  18u
#define OFPTFPT_WRITE_COPYFIELD_MISS             19u
#define OFPTFPT_APPLY_COPYFIELD                  20u
#define OFPTFPT_APPLY_COPYFIELD_MISS             21u
#define OFPTFPT_PACKET_TYPES                     22u
/** @} */

/** @name Port description / port-mod / port stats property types
 *  @{ */
/** Property type value (OFPPDPT_*, OFPPMPT_*, OFPPSPT_* share the numbers). */
#define OFPPDPT_ETHERNET                         0u
#define OFPPDPT_OPTICAL                          1u
#define OFPPDPT_EXPERIMENTER                     0xffffu
/** @} */

/** @name Error type and codes new in OF1.4 (enum ofp_bad_property_code)
 *  @{ */
/** Error type / code value of the named error. */
#define OFPET_BAD_PROPERTY                       14u
#define OFPET_ASYNC_CONFIG_FAILED                15u
#define OFPET_FLOW_MONITOR_FAILED                16u
#define OFPET_BUNDLE_FAILED                      17u
#define OFPBPC_BAD_TYPE                          0u
#define OFPBPC_BAD_LEN                           1u
#define OFPBPC_BAD_VALUE                         2u
/** @} */

/** @name Flow-removed reasons new in OF1.4 (enum ofp_flow_removed_reason)
 *  @{ */
/** Reason value of the named cause. */
#define OFPRR_METER_DELETE                       4u
#define OFPRR_EVICTION                           5u
/** @} */

/** @name Table config bits new in OF1.4 (enum ofp_table_config)
 *  @{ */
/** Config bit of the named table behaviour. */
#define OFPTC_EVICTION                           4u
#define OFPTC_VACANCY_EVENTS                     8u
/** @} */

/** @name Wire sizes of OF1.4 / OF1.5 structs (fixed parts)
 *  @{ */
/** Wire size of the struct named (OFP14_FOO_SIZE: OF1.4 struct ofp_foo). */
#define OFP14_PORT_SIZE                          40u
#define OFP14_PORT_DESC_PROP_ETHERNET_SIZE       32u
#define OFP14_PORT_STATS_SIZE                    80u
#define OFP14_PORT_STATS_PROP_ETHERNET_SIZE      40u
#define OFP14_PORT_MOD_SIZE                      32u
#define OFP14_PORT_MOD_PROP_ETHERNET_SIZE        8u
/** @} */

#endif /* OPENFLOW_OPENFLOW_V14_H */
