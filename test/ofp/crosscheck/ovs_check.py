#!/usr/bin/python3
"""Cross-check the codec's corpus with Open vSwitch's parser.

Every <name>.bin written by ofp_corpus_gen goes through
`ovs-ofctl ofp-print HEX`: OVS must decode it without warning or error and
print what the codec meant (the expected fragments below, taken from what the
corpus builds in test/ofp/ofp_corpus.c)."""
import glob
import os
import subprocess
import sys

EXPECT = {
    "barrier_reply": ["OFPT_BARRIER_REPLY (OF1.3)"],
    "barrier_request": ["OFPT_BARRIER_REQUEST (OF1.3)"],
    "echo_reply": ["OFPT_ECHO_REPLY (OF1.3)", "4 bytes of payload"],
    "echo_request": ["OFPT_ECHO_REQUEST (OF1.3)", "4 bytes of payload"],
    "error": ["OFPT_ERROR (OF1.3)", "OFPBRC_BAD_TYPE", "OFPT_BARRIER_REQUEST (OF1.3) (xid=0x7)"],
    "experimenter": ["NXT_SET_PACKET_IN_FORMAT (OF1.3)", "format=nxt_packet_in"],
    "features_reply": ["dpid:0000020000000001", "n_tables:254, n_buffers:0",
                       "capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS"],
    "features_request": ["OFPT_FEATURES_REQUEST (OF1.3)"],
    "flow_mod": ["OFPT_FLOW_MOD (OF1.3)",
                 "ADD priority=1000,tcp,in_port=1,nw_dst=10.0.0.0/8,tp_dst=80 cookie:0x1 idle:60"
                 " send_flow_rem actions=meter:1,push_vlan:0x8100,set_field:4106->vlan_vid,"
                 "set_field:192.168.0.1->ip_src,dec_ttl,output:2,write_metadata:0x10/0xff,"
                 "goto_table:1"],
    "flow_removed": ["priority=100,tcp,in_port=1,nw_dst=10.0.0.0/8,tp_dst=80 reason=idle"
                     " table_id=0 cookie:0xabc duration10s idle10 pkts5 bytes500"],
    "get_async_reply": ["OFPT_GET_ASYNC_REPLY (OF1.3)", "PACKET_IN: no_match action",
                        "PORT_STATUS: add delete modify",
                        "FLOW_REMOVED: idle hard delete group_delete"],
    "get_async_request": ["OFPT_GET_ASYNC_REQUEST (OF1.3)"],
    "get_config_reply": ["OFPT_GET_CONFIG_REPLY (OF1.3)", "frags=normal miss_send_len=128"],
    "get_config_request": ["OFPT_GET_CONFIG_REQUEST (OF1.3)"],
    "group_mod": ["ADD group_id=1,type=select,bucket=weight:50,actions=output:3,"
                  "bucket=weight:50,actions=output:4"],
    # our hello: the highest version in the header, all three in the bitmap
    "hello": ["OFPT_HELLO (OF1.5)", "version bitmap: 0x04, 0x05, 0x06"],
    "meter_mod": ["ADD meter=1 kbps burst stats bands=", "type=drop rate=1000 burst_size=100",
                  "type=dscp_remark rate=500 burst_size=50 prec_level=1"],
    "mp_aggregate_reply": ["OFPST_AGGREGATE reply (OF1.3)",
                           "packet_count=10 byte_count=1000 flow_count=1"],
    "mp_aggregate_request": ["OFPST_AGGREGATE request (OF1.3)",
                             "tcp,in_port=1,nw_dst=10.0.0.0/8,tp_dst=80"],
    "mp_desc_reply": ["Manufacturer: Sluice project", "Hardware: DPDK userspace",
                      "Software: sluice 0.1.0", "Serial Num: none", "DP Description: br0"],
    "mp_desc_request": ["OFPST_DESC request (OF1.3)"],
    # OVS knows no experimenter 0xabcdef: it must still find the id where we put it
    "mp_experimenter_reply": ["unknown vendor 0xabcdef"],
    "mp_experimenter_request": ["unknown vendor 0xabcdef"],
    "mp_flow_reply": ["cookie=0x1, duration=3s, table=0, n_packets=10, n_bytes=1000,"
                      " idle_timeout=60, priority=1000,tcp,in_port=1,nw_dst=10.0.0.0/8,tp_dst=80"
                      " actions=meter:1,push_vlan:0x8100,set_field:4106->vlan_vid,"
                      "set_field:192.168.0.1->ip_src,dec_ttl,output:2,"
                      "write_metadata:0x10/0xff,goto_table:1"],
    "mp_flow_request": ["OFPST_FLOW request (OF1.3)", "tcp,in_port=1,nw_dst=10.0.0.0/8,tp_dst=80"],
    "mp_group_desc_reply": ["group_id=1,type=select,bucket=weight:50,actions=output:3,"
                            "bucket=weight:50,actions=output:4"],
    "mp_group_desc_request": ["OFPST_GROUP_DESC request (OF1.3)", "group_id=ALL"],
    "mp_group_features_reply": ["Types:  0xf", "Capabilities:  0x3", "max_groups=0x10000",
                                "actions: output set_field"],
    "mp_group_features_request": ["OFPST_GROUP_FEATURES request (OF1.3)"],
    "mp_group_reply": ["group_id=1,duration=60s,ref_count=1,packet_count=11,byte_count=1100,"
                       "bucket0:packet_count=5,byte_count=500,bucket1:packet_count=6,"
                       "byte_count=600"],
    "mp_group_request": ["OFPST_GROUP request (OF1.3)", "group_id=ALL"],
    "mp_meter_config_reply": ["meter=1 kbps burst bands=",
                              "type=dscp_remark rate=500 burst_size=50 prec_level=1"],
    "mp_meter_config_request": ["OFPST_METER_CONFIG request (OF1.3)", "meter=all"],
    "mp_meter_features_reply": ["max_meter:1024 max_bands:4 max_color:0",
                                "band_types: drop dscp_remark",
                                "capabilities: kbps pktps burst stats"],
    "mp_meter_features_request": ["OFPST_METER_FEATURES request (OF1.3)"],
    "mp_meter_reply": ["meter:1 flow_count:1 packet_in_count:10 byte_in_count:1000"
                       " duration:60s bands:", "0: packet_count:3 byte_count:300"],
    "mp_meter_request": ["OFPST_METER request (OF1.3)", "meter=all"],
    "mp_port_desc_reply": ["1(eth1): addr:02:00:00:00:00:01",
                           "2(vhost-vm1): addr:02:00:00:00:00:02", "current:    10GB-FD FIBER"],
    "mp_port_desc_request": ["OFPST_PORT_DESC request (OF1.3)", "port=ANY"],
    "mp_port_stats_reply": ["port  1: rx pkts=100, bytes=10000", "tx pkts=90, bytes=9000"],
    "mp_port_stats_request": ["OFPST_PORT request (OF1.3)", "port_no=ANY"],
    "mp_queue_reply": ["port 1 queue 1: bytes=1000, pkts=10, errors=0, duration=60s"],
    "mp_queue_request": ["OFPST_QUEUE request (OF1.3)", "port=ANY queue=ALL"],
    "mp_table_features_reply": ['table 0 ("table0")', "max_entries=1000000", "next tables: 1-2",
                                "instructions: apply_actions goto_table",
                                "actions: output set_field",
                                "exact match or wildcard: in_port_oxm eth_dst"],
    "mp_table_features_request": ["OFPST_TABLE_FEATURES request (OF1.3)"],
    "mp_table_reply": ["active=3, lookup=100, matched=90", "active=1, lookup=90, matched=90"],
    "mp_table_request": ["OFPST_TABLE request (OF1.3)"],
    "packet_in": ["cookie=0x1234 total_len=60 in_port=1 (via action) data_len=60 (unbuffered)",
                  "arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1"],
    "packet_out": ["in_port=CONTROLLER actions=TABLE data_len=60"],
    "port_mod": ["port: 1: addr:02:00:00:00:00:01", "config: NO_PACKET_IN",
                 "mask:   NO_PACKET_IN"],
    "port_status": ["MOD: 1(eth1): addr:02:00:00:00:00:01",
                    "speed: 10000 Mbps now, 10000 Mbps max"],
    "queue_get_config_reply": ["OFPT_QUEUE_GET_CONFIG_REPLY (OF1.3)",
                               "queue 1: min_rate:10.0% max_rate:90.0%"],
    "queue_get_config_request": ["OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.3)", "port=1"],
    "role_reply": ["OFPT_ROLE_REPLY (OF1.3)", "role=primary generation_id=42"],
    "role_request": ["OFPT_ROLE_REQUEST (OF1.3)", "role=primary generation_id=42"],
    "set_async": ["OFPT_SET_ASYNC (OF1.3)", "FLOW_REMOVED: idle hard delete group_delete"],
    "set_config": ["OFPT_SET_CONFIG (OF1.3)", "frags=normal miss_send_len=256"],
    "table_mod": ["OFPT_TABLE_MOD (OF1.3)", "table_id=0"],
}
# refused by OVS on purpose (unknown experimenter): errors are expected there
REFUSED = {"mp_experimenter_reply", "mp_experimenter_request"}


def main():
    d = sys.argv[1]
    files = sorted(glob.glob(os.path.join(d, "*.bin")))
    bad = 0
    for f in files:
        name = os.path.basename(f)[:-4]
        hexstr = open(f, "rb").read().hex()
        out = subprocess.run(["ovs-ofctl", "ofp-print", hexstr], capture_output=True,
                             text=True, check=False)
        text = out.stdout + out.stderr
        problems = []
        if name not in EXPECT:
            problems.append("no expectation for this sample")
        problems += ["missing %r" % e for e in EXPECT.get(name, []) if e not in text]
        if name not in REFUSED and ("decode error" in text or "|WARN|" in text
                                    or out.returncode != 0):
            problems.append("OVS reported an error")
        if problems:
            bad += 1
            print("FAIL %s: %s\n%s" % (name, "; ".join(problems), text))
        else:
            print("ok   %s: %s" % (name, text.splitlines()[0][:90] if text else ""))
    missing = set(EXPECT) - {os.path.basename(f)[:-4] for f in files}
    for name in sorted(missing):
        bad += 1
        print("FAIL %s: not in the corpus" % name)
    print("ovs-ofctl: %d of %d messages differ" % (bad, len(files)))
    return 1 if bad or not files else 0


if __name__ == "__main__":
    sys.exit(main())
