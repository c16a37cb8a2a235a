# SPDX-License-Identifier: BSD-3-Clause
"""Counting controller: table-miss -> controller, packet-ins counted but
never forwarded. With SL_STATIC=1 it also installs ARP and IPv4 rules
ofport 1 <-> 2 (so two namespaces ping without it). Files: `ready` (after
the barrier following the flow-mods, each handshake), `pins` (a JSON
pair: all packet-ins, 0x88b5 ones; rewritten every 50 ms).
"""
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.ofproto import ofproto_v1_3
import os

import sl_common


class Counter(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pins = [0, 0]
        self.handshakes = 0
        hub.spawn(self._writer)

    def _writer(self):
        last = None
        while True:
            if self.pins != last:
                last = list(self.pins)
                sl_common.put('pins', last)
            hub.sleep(0.05)

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        p = dp.ofproto_parser
        sl_common.table_miss_to_controller(dp)
        if os.environ.get('SL_STATIC') == '1':
            for etype in (0x0806, 0x0800):
                for a, b in ((1, 2), (2, 1)):
                    sl_common.add_flow(dp, 10, p.OFPMatch(in_port=a, eth_type=etype),
                                       [p.OFPActionOutput(b)])
        dp.send_msg(p.OFPBarrierRequest(dp))

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier(self, ev):
        self.handshakes += 1
        sl_common.put('ready', self.handshakes)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        data = ev.msg.data
        self.pins[0] += 1
        if len(data) >= 14 and data[12:14] == b'\x88\xb5':
            self.pins[1] += 1
