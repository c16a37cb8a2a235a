/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file openflow.h
 * OpenFlow 1.3 (wire version 4) protocol constants: the one place every
 * layer (lib/, ofagent/, dataplane/, sluiced/, the tests) takes them from,
 * by their spec names (OFPET_BAD_REQUEST, OFPBRC_BAD_LEN, OFPAT_OUTPUT,
 * OFPPC_PORT_DOWN, OFPXMT_OFB_IN_PORT...). Nothing else defines them.
 *
 * Generated from os-ken's ofproto_v1_3.py (Apache-2.0 values from the OF1.3.x
 * spec), plus the few it lacks (marked). Plain `#define`s of unsigned values,
 * so they work in switch labels and `#if`; the OXM field numbers are an enum
 * (they size the field tables). No includes: any file may include this.
 * The API reference groups them by the spec enum or struct they come from.
 */
#ifndef OPENFLOW_OPENFLOW_H
#define OPENFLOW_OPENFLOW_H

/** Wire size of struct ofp_header, which starts every message. */
#define OFP_HEADER_SIZE                          8u
/** @name Message types (enum ofp_type)
 *  @{ */
/** Message type, in ofp_header.type. */
#define OFPT_HELLO                               0u
#define OFPT_ERROR                               1u
#define OFPT_ECHO_REQUEST                        2u
#define OFPT_ECHO_REPLY                          3u
#define OFPT_EXPERIMENTER                        4u
#define OFPT_FEATURES_REQUEST                    5u
#define OFPT_FEATURES_REPLY                      6u
#define OFPT_GET_CONFIG_REQUEST                  7u
#define OFPT_GET_CONFIG_REPLY                    8u
#define OFPT_SET_CONFIG                          9u
#define OFPT_PACKET_IN                           10u
#define OFPT_FLOW_REMOVED                        11u
#define OFPT_PORT_STATUS                         12u
#define OFPT_PACKET_OUT                          13u
#define OFPT_FLOW_MOD                            14u
#define OFPT_GROUP_MOD                           15u
#define OFPT_PORT_MOD                            16u
#define OFPT_TABLE_MOD                           17u
#define OFPT_MULTIPART_REQUEST                   18u
#define OFPT_MULTIPART_REPLY                     19u
#define OFPT_BARRIER_REQUEST                     20u
#define OFPT_BARRIER_REPLY                       21u
#define OFPT_QUEUE_GET_CONFIG_REQUEST            22u
#define OFPT_QUEUE_GET_CONFIG_REPLY              23u
#define OFPT_ROLE_REQUEST                        24u
#define OFPT_ROLE_REPLY                          25u
#define OFPT_GET_ASYNC_REQUEST                   26u
#define OFPT_GET_ASYNC_REPLY                     27u
#define OFPT_SET_ASYNC                           28u
#define OFPT_METER_MOD                           29u
/** @} */
/** Size of ofp_port.name, NUL included. */
#define OFP_MAX_PORT_NAME_LEN                    16u
/** Length of an Ethernet address (ofp_port.hw_addr). */
#define OFP_ETH_ALEN                             6u
/** Wire size of struct ofp_port. */
#define OFP_PORT_SIZE                            64u
/** @name Port config bits (enum ofp_port_config)
 *  @{ */
/** Port config bit, in ofp_port.config and ofp_port_mod.config/mask. */
#define OFPPC_PORT_DOWN                          1u
#define OFPPC_NO_RECV                            4u
#define OFPPC_NO_FWD                             32u
#define OFPPC_NO_PACKET_IN                       64u
/** @} */
/** @name Port state bits (enum ofp_port_state)
 *  @{ */
/** Port state bit, in ofp_port.state (read-only to the controller). */
#define OFPPS_LINK_DOWN                          1u
#define OFPPS_BLOCKED                            2u
#define OFPPS_LIVE                               4u
/** @} */
/** @name Port numbers (enum ofp_port_no)
 *  @{ */
/** The highest regular port number (OFPP_MAX) or a reserved port. */
#define OFPP_MAX                                 0xffffff00u
/** OF1.5: actset_output's value while the action set has no output. */
#define OFPP_UNSET                               0xfffffff7u
#define OFPP_IN_PORT                             0xfffffff8u
#define OFPP_TABLE                               0xfffffff9u
#define OFPP_NORMAL                              0xfffffffau
#define OFPP_FLOOD                               0xfffffffbu
#define OFPP_ALL                                 0xfffffffcu
#define OFPP_CONTROLLER                          0xfffffffdu
#define OFPP_LOCAL                               0xfffffffeu
#define OFPP_ANY                                 0xffffffffu
/** @} */
/** Every queue: the wildcard queue id of queue stats and queue-config requests. */
#define OFPQ_ALL                                 0xffffffffu
/** @name Port feature bits (enum ofp_port_features)
 *  @{ */
/** Port feature bit (speed and duplex, medium, autonegotiation, pause), in
 *  ofp_port.curr/advertised/supported/peer and ofp_port_mod.advertise. */
#define OFPPF_10MB_HD                            1u
#define OFPPF_10MB_FD                            2u
#define OFPPF_100MB_HD                           4u
#define OFPPF_100MB_FD                           8u
#define OFPPF_1GB_HD                             16u
#define OFPPF_1GB_FD                             32u
#define OFPPF_10GB_FD                            64u
#define OFPPF_40GB_FD                            128u
#define OFPPF_100GB_FD                           256u
#define OFPPF_1TB_FD                             512u
#define OFPPF_OTHER                              1024u
#define OFPPF_COPPER                             2048u
#define OFPPF_FIBER                              4096u
#define OFPPF_AUTONEG                            8192u
#define OFPPF_PAUSE                              16384u
#define OFPPF_PAUSE_ASYM                         32768u
/** @} */
/** Wire size of struct ofp_packet_queue without its properties. */
#define OFP_PACKET_QUEUE_SIZE                    16u
/** @name Queue property types (enum ofp_queue_properties)
 *  @{ */
/** Queue property type, in ofp_queue_prop_header.property. */
#define OFPQT_MIN_RATE                           1u
#define OFPQT_MAX_RATE                           2u
#define OFPQT_EXPERIMENTER                       65535u
/** @} */
/** @name Queue property sizes
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo). */
#define OFP_QUEUE_PROP_HEADER_SIZE               8u
#define OFP_QUEUE_PROP_MIN_RATE_SIZE             16u
#define OFP_QUEUE_PROP_MAX_RATE_SIZE             16u
#define OFP_QUEUE_PROP_EXPERIMENTER_SIZE         16u
/** @} */
/** Wire size of an ofp_match without OXM fields (type, length, padding). */
#define OFP_MATCH_SIZE                           8u
/** @name Match types (enum ofp_match_type)
 *  @{ */
/** Match type, in ofp_match.type (OF1.3 uses OFPMT_OXM). */
#define OFPMT_STANDARD                           0u
#define OFPMT_OXM                                1u
/** @} */
/** @name OXM classes (enum ofp_oxm_class)
 *  @{ */
/** OXM class, the top 16 bits of an OXM header. */
#define OFPXMC_NXM_0                             0u
#define OFPXMC_NXM_1                             1u
#define OFPXMC_OPENFLOW_BASIC                    32768u
#define OFPXMC_EXPERIMENTER                      65535u
/** @} */

/** OXM_OF_* field numbers of class OFPXMC_OPENFLOW_BASIC (enum
 * oxm_ofb_match_fields, OF1.3 7.2.3.7); the one list of them. */
enum oxm_ofb_match_fields {
	OFPXMT_OFB_IN_PORT        = 0,
	OFPXMT_OFB_IN_PHY_PORT    = 1,
	OFPXMT_OFB_METADATA       = 2,
	OFPXMT_OFB_ETH_DST        = 3,
	OFPXMT_OFB_ETH_SRC        = 4,
	OFPXMT_OFB_ETH_TYPE       = 5,
	OFPXMT_OFB_VLAN_VID       = 6,
	OFPXMT_OFB_VLAN_PCP       = 7,
	OFPXMT_OFB_IP_DSCP        = 8,
	OFPXMT_OFB_IP_ECN         = 9,
	OFPXMT_OFB_IP_PROTO       = 10,
	OFPXMT_OFB_IPV4_SRC       = 11,
	OFPXMT_OFB_IPV4_DST       = 12,
	OFPXMT_OFB_TCP_SRC        = 13,
	OFPXMT_OFB_TCP_DST        = 14,
	OFPXMT_OFB_UDP_SRC        = 15,
	OFPXMT_OFB_UDP_DST        = 16,
	OFPXMT_OFB_SCTP_SRC       = 17,
	OFPXMT_OFB_SCTP_DST       = 18,
	OFPXMT_OFB_ICMPV4_TYPE    = 19,
	OFPXMT_OFB_ICMPV4_CODE    = 20,
	OFPXMT_OFB_ARP_OP         = 21,
	OFPXMT_OFB_ARP_SPA        = 22,
	OFPXMT_OFB_ARP_TPA        = 23,
	OFPXMT_OFB_ARP_SHA        = 24,
	OFPXMT_OFB_ARP_THA        = 25,
	OFPXMT_OFB_IPV6_SRC       = 26,
	OFPXMT_OFB_IPV6_DST       = 27,
	OFPXMT_OFB_IPV6_FLABEL    = 28,
	OFPXMT_OFB_ICMPV6_TYPE    = 29,
	OFPXMT_OFB_ICMPV6_CODE    = 30,
	OFPXMT_OFB_IPV6_ND_TARGET = 31,
	OFPXMT_OFB_IPV6_ND_SLL    = 32,
	OFPXMT_OFB_IPV6_ND_TLL    = 33,
	OFPXMT_OFB_MPLS_LABEL     = 34,
	OFPXMT_OFB_MPLS_TC        = 35,
	OFPXMT_OFB_MPLS_BOS       = 36,
	OFPXMT_OFB_PBB_ISID       = 37,
	OFPXMT_OFB_TUNNEL_ID      = 38,
	OFPXMT_OFB_IPV6_EXTHDR    = 39, /**< the last OF1.3 field */
	/** OF1.5's number; OF1.3 carries tcp_flags as an ONF experimenter
	 * field (os-ken: ONFExperimenter('tcp_flags', 42)). */
	OFPXMT_OFB_TCP_FLAGS      = 42,
	/** OF1.5: the output port of the action set at a lookup (OFPP_UNSET
	 * when it has none); OF1.3 carries it as ONF experimenter field 43. */
	OFPXMT_OFB_ACTSET_OUTPUT  = 43,
	OFPXMT_OFB_PACKET_TYPE    = 44, /**< OF1.5; only Ethernet, (0, 0) */
};
/** @name VLAN id flags (enum ofp_vlan_id)
 *  @{ */
/** OXM_OF_VLAN_VID value bits: OFPVID_PRESENT ORed with the VID for a tagged
 *  packet, OFPVID_NONE for an untagged one. */
#define OFPVID_PRESENT                           4096u
#define OFPVID_NONE                              0u
/** @} */
/** @name IPv6 extension header bits (enum ofp_ipv6exthdr_flags)
 *  @{ */
/** IPv6 extension header bit, in the OXM_OF_IPV6_EXTHDR pseudo-field. */
#define OFPIEH_NONEXT                            1u
#define OFPIEH_ESP                               2u
#define OFPIEH_AUTH                              4u
#define OFPIEH_DEST                              8u
#define OFPIEH_FRAG                              16u
#define OFPIEH_ROUTER                            32u
#define OFPIEH_HOP                               64u
#define OFPIEH_UNREP                             128u
#define OFPIEH_UNSEQ                             256u
/** @} */
/** Wire size of struct ofp_oxm_experimenter_header (OXM header, experimenter id). */
#define OFP_OXM_EXPERIMENTER_HEADER_SIZE         8u
/** @name Instruction types (enum ofp_instruction_type)
 *  @{ */
/** Instruction type, in ofp_instruction.type. */
#define OFPIT_GOTO_TABLE                         1u
#define OFPIT_WRITE_METADATA                     2u
#define OFPIT_WRITE_ACTIONS                      3u
#define OFPIT_APPLY_ACTIONS                      4u
#define OFPIT_CLEAR_ACTIONS                      5u
#define OFPIT_METER                              6u
#define OFPIT_EXPERIMENTER                       65535u
/** @} */
/** @name Instruction sizes
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo). */
#define OFP_INSTRUCTION_GOTO_TABLE_SIZE          8u
#define OFP_INSTRUCTION_WRITE_METADATA_SIZE      24u
#define OFP_INSTRUCTION_ACTIONS_SIZE             8u
#define OFP_INSTRUCTION_METER_SIZE               8u
/** @} */
/** @name Action types (enum ofp_action_type)
 *  @{ */
/** Action type, in ofp_action_header.type. */
#define OFPAT_OUTPUT                             0u
#define OFPAT_COPY_TTL_OUT                       11u
#define OFPAT_COPY_TTL_IN                        12u
#define OFPAT_SET_MPLS_TTL                       15u
#define OFPAT_DEC_MPLS_TTL                       16u
#define OFPAT_PUSH_VLAN                          17u
#define OFPAT_POP_VLAN                           18u
#define OFPAT_PUSH_MPLS                          19u
#define OFPAT_POP_MPLS                           20u
#define OFPAT_SET_QUEUE                          21u
#define OFPAT_GROUP                              22u
#define OFPAT_SET_NW_TTL                         23u
#define OFPAT_DEC_NW_TTL                         24u
#define OFPAT_SET_FIELD                          25u
#define OFPAT_PUSH_PBB                           26u
#define OFPAT_POP_PBB                            27u
#define OFPAT_EXPERIMENTER                       65535u
/** @} */
/** Wire size of struct ofp_action_header. */
#define OFP_ACTION_HEADER_SIZE                   8u
/** Wire size of struct ofp_action_output. */
#define OFP_ACTION_OUTPUT_SIZE                   16u
/** @name Controller max_len values (enum ofp_controller_max_len)
 *  @{ */
/** ofp_action_output.max_len to the controller: the largest byte count that
 *  may be asked for (OFPCML_MAX), or the whole packet, unbuffered (OFPCML_NO_BUFFER). */
#define OFPCML_MAX                               65509u
#define OFPCML_NO_BUFFER                         65535u
/** @} */
/** @name Action sizes
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo). */
#define OFP_ACTION_GROUP_SIZE                    8u
#define OFP_ACTION_SET_QUEUE_SIZE                8u
#define OFP_ACTION_MPLS_TTL_SIZE                 8u
#define OFP_ACTION_NW_TTL_SIZE                   8u
#define OFP_ACTION_PUSH_SIZE                     8u
#define OFP_ACTION_POP_MPLS_SIZE                 8u
#define OFP_ACTION_SET_FIELD_SIZE                8u
#define OFP_ACTION_EXPERIMENTER_HEADER_SIZE      8u
/** @} */
/** Wire size of struct ofp_switch_features (OFPT_FEATURES_REPLY). */
#define OFP_SWITCH_FEATURES_SIZE                 32u
/** @name Switch capability bits (enum ofp_capabilities)
 *  @{ */
/** Capability bit, in ofp_switch_features.capabilities. */
#define OFPC_FLOW_STATS                          1u
#define OFPC_TABLE_STATS                         2u
#define OFPC_PORT_STATS                          4u
#define OFPC_GROUP_STATS                         8u
#define OFPC_IP_REASM                            32u
#define OFPC_QUEUE_STATS                         64u
#define OFPC_PORT_BLOCKED                        256u
/** @} */
/** Wire size of struct ofp_switch_config (OFPT_GET_CONFIG_REPLY, OFPT_SET_CONFIG). */
#define OFP_SWITCH_CONFIG_SIZE                   12u
/** @name IP fragment handling (enum ofp_config_flags)
 *  @{ */
/** IP fragment handling, in ofp_switch_config.flags (OFPC_FRAG_MASK selects it). */
#define OFPC_FRAG_NORMAL                         0u
#define OFPC_FRAG_DROP                           1u
#define OFPC_FRAG_REASM                          2u
#define OFPC_FRAG_MASK                           3u
/** @} */
/** @name Table numbers (enum ofp_table)
 *  @{ */
/** The highest regular table id (OFPTT_MAX) or the wildcard for every table (OFPTT_ALL). */
#define OFPTT_MAX                                254u
#define OFPTT_ALL                                255u
/** @} */
/** Wire size of struct ofp_table_mod. */
#define OFP_TABLE_MOD_SIZE                       16u
/** ofp_table_mod.config bits OF1.3 deprecates (enum ofp_table_config; not in os-ken). */
#define OFPTC_DEPRECATED_MASK                    3u
/** Wire size of struct ofp_flow_mod with an empty ofp_match. */
#define OFP_FLOW_MOD_SIZE                        56u
/** @name Flow-mod commands (enum ofp_flow_mod_command)
 *  @{ */
/** Flow-mod command, in ofp_flow_mod.command. */
#define OFPFC_ADD                                0u
#define OFPFC_MODIFY                             1u
#define OFPFC_MODIFY_STRICT                      2u
#define OFPFC_DELETE                             3u
#define OFPFC_DELETE_STRICT                      4u
/** @} */
/** The spec's default flow priority, the middle of the 16-bit range. */
#define OFP_DEFAULT_PRIORITY                     32768u
/** @name Flow-mod flags (enum ofp_flow_mod_flags)
 *  @{ */
/** Flow-mod flag, in ofp_flow_mod.flags and ofp_flow_stats.flags. */
#define OFPFF_SEND_FLOW_REM                      1u
#define OFPFF_CHECK_OVERLAP                      2u
#define OFPFF_RESET_COUNTS                       4u
#define OFPFF_NO_PKT_COUNTS                      8u
#define OFPFF_NO_BYT_COUNTS                      16u
/** @} */
/** Wire size of struct ofp_group_mod without buckets. */
#define OFP_GROUP_MOD_SIZE                       16u
/** @name Group-mod commands (enum ofp_group_mod_command)
 *  @{ */
/** Group-mod command, in ofp_group_mod.command. */
#define OFPGC_ADD                                0u
#define OFPGC_MODIFY                             1u
#define OFPGC_DELETE                             2u
/** @} */
/** @name Group numbers (enum ofp_group)
 *  @{ */
/** The highest regular group id (OFPG_MAX) or a reserved one (every group, any group). */
#define OFPG_MAX                                 0xffffff00u
#define OFPG_ALL                                 0xfffffffcu
#define OFPG_ANY                                 0xffffffffu
/** @} */
/** @name Group types (enum ofp_group_type)
 *  @{ */
/** Group type, in ofp_group_mod.type. */
#define OFPGT_ALL                                0u
#define OFPGT_SELECT                             1u
#define OFPGT_INDIRECT                           2u
#define OFPGT_FF                                 3u
/** @} */
/** Wire size of struct ofp_bucket without actions. */
#define OFP_BUCKET_SIZE                          16u
/** Wire size of struct ofp_port_mod. */
#define OFP_PORT_MOD_SIZE                        40u
/** Wire size of struct ofp_meter_mod without bands. */
#define OFP_METER_MOD_SIZE                       16u
/** @name Meter numbers (enum ofp_meter)
 *  @{ */
/** The highest regular meter id (OFPM_MAX) or a virtual (slow path, controller)
 *  or wildcard (OFPM_ALL) meter id. */
#define OFPM_MAX                                 0xffff0000u
#define OFPM_SLOWPATH                            0xfffffffdu
#define OFPM_CONTROLLER                          0xfffffffeu
#define OFPM_ALL                                 0xffffffffu
/** @} */
/** @name Meter-mod commands (enum ofp_meter_mod_command)
 *  @{ */
/** Meter-mod command, in ofp_meter_mod.command. */
#define OFPMC_ADD                                0u
#define OFPMC_MODIFY                             1u
#define OFPMC_DELETE                             2u
/** @} */
/** @name Meter flags (enum ofp_meter_flags)
 *  @{ */
/** Meter flag (rate unit, burst, statistics), in ofp_meter_mod.flags. */
#define OFPMF_KBPS                               1u
#define OFPMF_PKTPS                              2u
#define OFPMF_BURST                              4u
#define OFPMF_STATS                              8u
/** @} */
/** Wire size of struct ofp_meter_band_header. */
#define OFP_METER_BAND_HEADER_SIZE               12u
/** @name Meter band types (enum ofp_meter_band_type)
 *  @{ */
/** Meter band type, in ofp_meter_band_header.type. */
#define OFPMBT_DROP                              1u
#define OFPMBT_DSCP_REMARK                       2u
#define OFPMBT_EXPERIMENTER                      65535u
/** @} */
/** @name Meter band sizes
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo). */
#define OFP_METER_BAND_DROP_SIZE                 16u
#define OFP_METER_BAND_DSCP_REMARK_SIZE          16u
#define OFP_METER_BAND_EXPERIMENTER_SIZE         16u
/** @} */
/** Wire size of struct ofp_multipart_request without its body. */
#define OFP_MULTIPART_REQUEST_SIZE               16u
/** ofp_multipart_request.flags bit: more requests follow (enum ofp_multipart_request_flags). */
#define OFPMPF_REQ_MORE                          1u
/** Wire size of struct ofp_multipart_reply without its body. */
#define OFP_MULTIPART_REPLY_SIZE                 16u
/** ofp_multipart_reply.flags bit: more replies follow (enum ofp_multipart_reply_flags). */
#define OFPMPF_REPLY_MORE                        1u
/** @name Multipart types (enum ofp_multipart_type)
 *  @{ */
/** Multipart type, in ofp_multipart_request.type and ofp_multipart_reply.type. */
#define OFPMP_DESC                               0u
#define OFPMP_FLOW                               1u
#define OFPMP_AGGREGATE                          2u
#define OFPMP_TABLE                              3u
#define OFPMP_PORT_STATS                         4u
#define OFPMP_QUEUE                              5u
#define OFPMP_GROUP                              6u
#define OFPMP_GROUP_DESC                         7u
#define OFPMP_GROUP_FEATURES                     8u
#define OFPMP_METER                              9u
#define OFPMP_METER_CONFIG                       10u
#define OFPMP_METER_FEATURES                     11u
#define OFPMP_TABLE_FEATURES                     12u
#define OFPMP_PORT_DESC                          13u
#define OFPMP_EXPERIMENTER                       65535u
/** @} */
/** @name Multipart body sizes: description, flows, tables
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo).
 *  Of a struct holding an ofp_match, _0_SIZE stops before the match and _SIZE
 *  counts an empty one. */
#define OFP_DESC_SIZE                            1056u
#define OFP_FLOW_STATS_REQUEST_0_SIZE            32u
#define OFP_FLOW_STATS_REQUEST_SIZE              40u
#define OFP_FLOW_STATS_0_SIZE                    48u
#define OFP_FLOW_STATS_SIZE                      56u
#define OFP_AGGREGATE_STATS_REQUEST_0_SIZE       32u
#define OFP_AGGREGATE_STATS_REQUEST_SIZE         40u
#define OFP_AGGREGATE_STATS_REPLY_SIZE           24u
#define OFP_TABLE_STATS_SIZE                     24u
/** @} */
/** Size of ofp_table_features.name, NUL included. */
#define OFP_MAX_TABLE_NAME_LEN                   32u
/** Wire size of struct ofp_table_features without properties. */
#define OFP_TABLE_FEATURES_SIZE                  64u
/** @name Table feature property types (enum ofp_table_feature_prop_type)
 *  @{ */
/** Table feature property type, in ofp_table_feature_prop_header.type (a _MISS
 *  type describes the table-miss flow entry). */
#define OFPTFPT_INSTRUCTIONS                     0u
#define OFPTFPT_INSTRUCTIONS_MISS                1u
#define OFPTFPT_NEXT_TABLES                      2u
#define OFPTFPT_NEXT_TABLES_MISS                 3u
#define OFPTFPT_WRITE_ACTIONS                    4u
#define OFPTFPT_WRITE_ACTIONS_MISS               5u
#define OFPTFPT_APPLY_ACTIONS                    6u
#define OFPTFPT_APPLY_ACTIONS_MISS               7u
#define OFPTFPT_MATCH                            8u
#define OFPTFPT_WILDCARDS                        10u
#define OFPTFPT_WRITE_SETFIELD                   12u
#define OFPTFPT_WRITE_SETFIELD_MISS              13u
#define OFPTFPT_APPLY_SETFIELD                   14u
#define OFPTFPT_APPLY_SETFIELD_MISS              15u
#define OFPTFPT_EXPERIMENTER                     65534u
#define OFPTFPT_EXPERIMENTER_MISS                65535u
/** @} */
/** @name Multipart body sizes: table features, ports, queues, groups
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo). */
#define OFP_TABLE_FEATURE_PROP_INSTRUCTIONS_SIZE 4u
#define OFP_TABLE_FEATURE_PROP_NEXT_TABLES_SIZE  4u
#define OFP_TABLE_FEATURE_PROP_ACTIONS_SIZE      4u
#define OFP_TABLE_FEATURE_PROP_OXM_SIZE          4u
#define OFP_PORT_STATS_REQUEST_SIZE              8u
#define OFP_PORT_STATS_SIZE                      112u
#define OFP_QUEUE_STATS_REQUEST_SIZE             8u
#define OFP_QUEUE_STATS_SIZE                     40u
#define OFP_GROUP_STATS_REQUEST_SIZE             8u
#define OFP_GROUP_STATS_SIZE                     40u
#define OFP_BUCKET_COUNTER_SIZE                  16u
#define OFP_GROUP_DESC_SIZE                      8u
#define OFP_GROUP_DESC_STATS_SIZE                8u
#define OFP_GROUP_FEATURES_SIZE                  40u
/** @} */
/** @name Group capabilities (enum ofp_group_capabilities)
 *  @{ */
/** Group capability bit, in ofp_group_features.capabilities. */
#define OFPGFC_SELECT_WEIGHT                     1u
#define OFPGFC_SELECT_LIVENESS                   2u
#define OFPGFC_CHAINING                          4u
#define OFPGFC_CHAINING_CHECKS                   8u
/** @} */
/** @name Multipart body and message sizes: meters, experimenter, queue config, packet-out, role
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo).
 *  A message counts its ofp_header. */
#define OFP_METER_MULTIPART_REQUEST_SIZE         8u
#define OFP_METER_STATS_SIZE                     40u
#define OFP_METER_BAND_STATS_SIZE                16u
#define OFP_METER_CONFIG_SIZE                    8u
#define OFP_METER_FEATURES_SIZE                  16u
#define OFP_EXPERIMENTER_MULTIPART_HEADER_SIZE   8u
#define OFP_QUEUE_GET_CONFIG_REQUEST_SIZE        16u
#define OFP_QUEUE_GET_CONFIG_REPLY_SIZE          16u
#define OFP_PACKET_OUT_SIZE                      24u
#define OFP_ROLE_REQUEST_SIZE                    24u
/** @} */
/** @name Controller roles (enum ofp_controller_role)
 *  @{ */
/** Controller role, in ofp_role_request.role. */
#define OFPCR_ROLE_NOCHANGE                      0u
#define OFPCR_ROLE_EQUAL                         1u
#define OFPCR_ROLE_MASTER                        2u
#define OFPCR_ROLE_SLAVE                         3u
/** @} */
/** Wire size of struct ofp_async_config (OFPT_GET_ASYNC_REPLY, OFPT_SET_ASYNC). */
#define OFP_ASYNC_CONFIG_SIZE                    32u
/** Wire size of struct ofp_packet_in with an empty ofp_match, as os-ken counts it. */
#define OFP_PACKET_IN_SIZE                       32u
/** @name Packet-in reasons (enum ofp_packet_in_reason)
 *  @{ */
/** Packet-in reason, in ofp_packet_in.reason. */
#define OFPR_NO_MATCH                            0u
#define OFPR_ACTION                              1u
#define OFPR_INVALID_TTL                         2u
/** @} */
/** Wire size of struct ofp_flow_removed with an empty ofp_match. */
#define OFP_FLOW_REMOVED_SIZE                    56u
/** @name Flow-removed reasons (enum ofp_flow_removed_reason)
 *  @{ */
/** Flow-removed reason, in ofp_flow_removed.reason. */
#define OFPRR_IDLE_TIMEOUT                       0u
#define OFPRR_HARD_TIMEOUT                       1u
#define OFPRR_DELETE                             2u
#define OFPRR_GROUP_DELETE                       3u
/** @} */
/** Offset of ofp_port_status.desc in the message. */
#define OFP_PORT_STATUS_DESC_OFFSET              16u
/** Wire size of struct ofp_port_status. */
#define OFP_PORT_STATUS_SIZE                     80u
/** @name Port-status reasons (enum ofp_port_reason)
 *  @{ */
/** Port-status reason, in ofp_port_status.reason. */
#define OFPPR_ADD                                0u
#define OFPPR_DELETE                             1u
#define OFPPR_MODIFY                             2u
/** @} */
/** Wire size of struct ofp_error_msg without its data. */
#define OFP_ERROR_MSG_SIZE                       12u
/** @name Error types (enum ofp_error_type)
 *  @{ */
/** Error type, in ofp_error_msg.type; the codes of each type follow. */
#define OFPET_HELLO_FAILED                       0u
#define OFPET_BAD_REQUEST                        1u
#define OFPET_BAD_ACTION                         2u
#define OFPET_BAD_INSTRUCTION                    3u
#define OFPET_BAD_MATCH                          4u
#define OFPET_FLOW_MOD_FAILED                    5u
#define OFPET_GROUP_MOD_FAILED                   6u
#define OFPET_PORT_MOD_FAILED                    7u
#define OFPET_TABLE_MOD_FAILED                   8u
#define OFPET_QUEUE_OP_FAILED                    9u
#define OFPET_SWITCH_CONFIG_FAILED               10u
#define OFPET_ROLE_REQUEST_FAILED                11u
#define OFPET_METER_MOD_FAILED                   12u
#define OFPET_TABLE_FEATURES_FAILED              13u
#define OFPET_EXPERIMENTER                       65535u
/** @} */
/** @name OFPET_HELLO_FAILED codes (enum ofp_hello_failed_code)
 *  @{ */
/** Error code of OFPET_HELLO_FAILED, in ofp_error_msg.code. */
#define OFPHFC_INCOMPATIBLE                      0u
#define OFPHFC_EPERM                             1u
/** @} */
/** @name OFPET_BAD_REQUEST codes (enum ofp_bad_request_code)
 *  @{ */
/** Error code of OFPET_BAD_REQUEST, in ofp_error_msg.code. */
#define OFPBRC_BAD_VERSION                       0u
#define OFPBRC_BAD_TYPE                          1u
#define OFPBRC_BAD_MULTIPART                     2u
#define OFPBRC_BAD_EXPERIMENTER                  3u
#define OFPBRC_BAD_EXP_TYPE                      4u
#define OFPBRC_EPERM                             5u
#define OFPBRC_BAD_LEN                           6u
#define OFPBRC_BUFFER_EMPTY                      7u
#define OFPBRC_BUFFER_UNKNOWN                    8u
#define OFPBRC_BAD_TABLE_ID                      9u
#define OFPBRC_IS_SLAVE                          10u
#define OFPBRC_BAD_PORT                          11u
#define OFPBRC_BAD_PACKET                        12u
#define OFPBRC_MULTIPART_BUFFER_OVERFLOW         13u
/** @} */
/** @name OFPET_BAD_ACTION codes (enum ofp_bad_action_code)
 *  @{ */
/** Error code of OFPET_BAD_ACTION, in ofp_error_msg.code. */
#define OFPBAC_BAD_TYPE                          0u
#define OFPBAC_BAD_LEN                           1u
#define OFPBAC_BAD_EXPERIMENTER                  2u
#define OFPBAC_BAD_EXP_TYPE                      3u
#define OFPBAC_BAD_OUT_PORT                      4u
#define OFPBAC_BAD_ARGUMENT                      5u
#define OFPBAC_EPERM                             6u
#define OFPBAC_TOO_MANY                          7u
#define OFPBAC_BAD_QUEUE                         8u
#define OFPBAC_BAD_OUT_GROUP                     9u
#define OFPBAC_MATCH_INCONSISTENT                10u
#define OFPBAC_UNSUPPORTED_ORDER                 11u
#define OFPBAC_BAD_TAG                           12u
#define OFPBAC_BAD_SET_TYPE                      13u
#define OFPBAC_BAD_SET_LEN                       14u
#define OFPBAC_BAD_SET_ARGUMENT                  15u
/** @} */
/** @name OFPET_BAD_INSTRUCTION codes (enum ofp_bad_instruction_code)
 *  @{ */
/** Error code of OFPET_BAD_INSTRUCTION, in ofp_error_msg.code. */
#define OFPBIC_UNKNOWN_INST                      0u
#define OFPBIC_UNSUP_INST                        1u
#define OFPBIC_BAD_TABLE_ID                      2u
#define OFPBIC_UNSUP_METADATA                    3u
#define OFPBIC_UNSUP_METADATA_MASK               4u
#define OFPBIC_BAD_EXPERIMENTER                  5u
#define OFPBIC_BAD_EXP_TYPE                      6u
#define OFPBIC_BAD_LEN                           7u
#define OFPBIC_EPERM                             8u
/** @} */
/** @name OFPET_BAD_MATCH codes (enum ofp_bad_match_code)
 *  @{ */
/** Error code of OFPET_BAD_MATCH, in ofp_error_msg.code. */
#define OFPBMC_BAD_TYPE                          0u
#define OFPBMC_BAD_LEN                           1u
#define OFPBMC_BAD_TAG                           2u
#define OFPBMC_BAD_DL_ADDR_MASK                  3u
#define OFPBMC_BAD_NW_ADDR_MASK                  4u
#define OFPBMC_BAD_WILDCARDS                     5u
#define OFPBMC_BAD_FIELD                         6u
#define OFPBMC_BAD_VALUE                         7u
#define OFPBMC_BAD_MASK                          8u
#define OFPBMC_BAD_PREREQ                        9u
#define OFPBMC_DUP_FIELD                         10u
#define OFPBMC_EPERM                             11u
/** @} */
/** @name OFPET_FLOW_MOD_FAILED codes (enum ofp_flow_mod_failed_code)
 *  @{ */
/** Error code of OFPET_FLOW_MOD_FAILED, in ofp_error_msg.code. */
#define OFPFMFC_UNKNOWN                          0u
#define OFPFMFC_TABLE_FULL                       1u
#define OFPFMFC_BAD_TABLE_ID                     2u
#define OFPFMFC_OVERLAP                          3u
#define OFPFMFC_EPERM                            4u
#define OFPFMFC_BAD_TIMEOUT                      5u
#define OFPFMFC_BAD_COMMAND                      6u
#define OFPFMFC_BAD_FLAGS                        7u
/** @} */
/** @name OFPET_GROUP_MOD_FAILED codes (enum ofp_group_mod_failed_code)
 *  @{ */
/** Error code of OFPET_GROUP_MOD_FAILED, in ofp_error_msg.code. */
#define OFPGMFC_GROUP_EXISTS                     0u
#define OFPGMFC_INVALID_GROUP                    1u
#define OFPGMFC_WEIGHT_UNSUPPORTED               2u
#define OFPGMFC_OUT_OF_GROUPS                    3u
#define OFPGMFC_OUT_OF_BUCKETS                   4u
#define OFPGMFC_CHAINING_UNSUPPORTED             5u
#define OFPGMFC_WATCH_UNSUPPORTED                6u
#define OFPGMFC_LOOP                             7u
#define OFPGMFC_UNKNOWN_GROUP                    8u
#define OFPGMFC_CHAINED_GROUP                    9u
#define OFPGMFC_BAD_TYPE                         10u
#define OFPGMFC_BAD_COMMAND                      11u
#define OFPGMFC_BAD_BUCKET                       12u
#define OFPGMFC_BAD_WATCH                        13u
#define OFPGMFC_EPERM                            14u
/** @} */
/** @name OFPET_PORT_MOD_FAILED codes (enum ofp_port_mod_failed_code)
 *  @{ */
/** Error code of OFPET_PORT_MOD_FAILED, in ofp_error_msg.code. */
#define OFPPMFC_BAD_PORT                         0u
#define OFPPMFC_BAD_HW_ADDR                      1u
#define OFPPMFC_BAD_CONFIG                       2u
#define OFPPMFC_BAD_ADVERTISE                    3u
#define OFPPMFC_EPERM                            4u
/** @} */
/** @name OFPET_TABLE_MOD_FAILED codes (enum ofp_table_mod_failed_code)
 *  @{ */
/** Error code of OFPET_TABLE_MOD_FAILED, in ofp_error_msg.code. */
#define OFPTMFC_BAD_TABLE                        0u
#define OFPTMFC_BAD_CONFIG                       1u
#define OFPTMFC_EPERM                            2u
/** @} */
/** @name OFPET_QUEUE_OP_FAILED codes (enum ofp_queue_op_failed_code)
 *  @{ */
/** Error code of OFPET_QUEUE_OP_FAILED, in ofp_error_msg.code. */
#define OFPQOFC_BAD_PORT                         0u
#define OFPQOFC_BAD_QUEUE                        1u
#define OFPQOFC_EPERM                            2u
/** @} */
/** @name OFPET_SWITCH_CONFIG_FAILED codes (enum ofp_switch_config_failed_code)
 *  @{ */
/** Error code of OFPET_SWITCH_CONFIG_FAILED, in ofp_error_msg.code. */
#define OFPSCFC_BAD_FLAGS                        0u
#define OFPSCFC_BAD_LEN                          1u
/** OFPSCFC_EPERM under its misspelt name in specs before 1.3.1 (EXT-208);
 *  os-ken keeps both. */
#define OFPQCFC_EPERM                            2u
#define OFPSCFC_EPERM                            2u
/** @} */
/** @name OFPET_ROLE_REQUEST_FAILED codes (enum ofp_role_request_failed_code)
 *  @{ */
/** Error code of OFPET_ROLE_REQUEST_FAILED, in ofp_error_msg.code. */
#define OFPRRFC_STALE                            0u
#define OFPRRFC_UNSUP                            1u
#define OFPRRFC_BAD_ROLE                         2u
/** @} */
/** @name OFPET_METER_MOD_FAILED codes (enum ofp_meter_mod_failed_code)
 *  @{ */
/** Error code of OFPET_METER_MOD_FAILED, in ofp_error_msg.code. */
#define OFPMMFC_UNKNOWN                          0u
#define OFPMMFC_METER_EXISTS                     1u
#define OFPMMFC_INVALID_METER                    2u
#define OFPMMFC_UNKNOWN_METER                    3u
#define OFPMMFC_BAD_COMMAND                      4u
#define OFPMMFC_BAD_FLAGS                        5u
#define OFPMMFC_BAD_RATE                         6u
#define OFPMMFC_BAD_BURST                        7u
#define OFPMMFC_BAD_BAND                         8u
#define OFPMMFC_BAD_BAND_VALUE                   9u
#define OFPMMFC_OUT_OF_METERS                    10u
#define OFPMMFC_OUT_OF_BANDS                     11u
/** @} */
/** @name OFPET_TABLE_FEATURES_FAILED codes (enum ofp_table_features_failed_code)
 *  @{ */
/** Error code of OFPET_TABLE_FEATURES_FAILED, in ofp_error_msg.code. */
#define OFPTFFC_BAD_TABLE                        0u
#define OFPTFFC_BAD_METADATA                     1u
#define OFPTFFC_BAD_TYPE                         2u
#define OFPTFFC_BAD_LEN                          3u
#define OFPTFFC_BAD_ARGUMENT                     4u
#define OFPTFFC_EPERM                            5u
/** @} */
/** @name OF1.5 table features bits (enum ofp_table_feature_flag)
 *  @{ */
/** OFPTFF_* bit of ofp_table_features.features (OpenFlow 1.5). */
#define OFPTFF_INGRESS_TABLE                     (1u << 0)
#define OFPTFF_EGRESS_TABLE                      (1u << 1)
#define OFPTFF_FIRST_EGRESS                      (1u << 4)
/** @} */
/** @name Experimenter and hello sizes
 *  @{ */
/** Wire size of the fixed part of the struct named (OFP_FOO_SIZE: struct ofp_foo). */
#define OFP_ERROR_EXPERIMENTER_MSG_SIZE          16u
#define OFP_EXPERIMENTER_HEADER_SIZE             16u
#define OFP_HELLO_HEADER_SIZE                    8u
#define OFP_HELLO_ELEM_HEADER_SIZE               4u
/** @} */
/** Hello element type: the versions bitmap (enum ofp_hello_elem_type). */
#define OFPHET_VERSIONBITMAP                     1u
/** Wire size of struct ofp_hello_elem_versionbitmap without its bitmaps. */
#define OFP_HELLO_ELEM_VERSIONBITMAP_HEADER_SIZE 4u
/** Wire size of an experimenter property's fixed part (type, length,
 *  experimenter, exp_type): os-ken's struct ofp_prop_experimenter. */
#define OFP_PROP_EXPERIMENTER_SIZE               12u
/** Wire version of OpenFlow 1.3, in ofp_header.version. */
#define OFP_VERSION                              4u
/** Controller TCP port as os-ken's ofproto_v1_3 gives it: the pre-IANA one
 *  (IANA assigned 6653). */
#define OFP_TCP_PORT                             6633u
/** buffer_id meaning "no buffered packet" (packet-in, packet-out, flow-mod). */
#define OFP_NO_BUFFER                            0xffffffffu

#endif /* OPENFLOW_OPENFLOW_H */
