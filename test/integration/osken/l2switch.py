# SPDX-License-Identifier: BSD-3-Clause
"""A MAC-learning switch controller, written for the Sluice tests after
os-ken's simple_switch_13: table-miss -> controller; a packet-in learns
its source MAC; a known destination gets a rule in_port+eth_dst -> output
(cookie 0x5111) and the packet is sent out; unknown ones are flooded.
Writes `<name>.connected` (the datapath id) on each handshake.
"""
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3

import sl_common

COOKIE = 0x5111


class L2Switch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        self.mac_to_port.setdefault(dp.id, {})
        sl_common.table_miss_to_controller(dp)
        sl_common.put('connected', dp.id)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, p = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)
        if not eth:
            return
        src, dst = eth[0].src, eth[0].dst
        table = self.mac_to_port.setdefault(dp.id, {})
        table[src] = in_port
        out_port = table.get(dst, ofp.OFPP_FLOOD)
        actions = [p.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            sl_common.add_flow(dp, 1, p.OFPMatch(in_port=in_port, eth_dst=dst), actions,
                               cookie=COOKIE)
        dp.send_msg(p.OFPPacketOut(dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=in_port,
                                   actions=actions, data=msg.data))
