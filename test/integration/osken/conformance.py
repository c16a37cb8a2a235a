# SPDX-License-Identifier: BSD-3-Clause
"""Controller of test_conformance.sh: installs nothing, counts packet-ins by
reason. Files: `ready` (after the handshake's barrier), `pins` (JSON
{"no_match": n, "action": n, "invalid_ttl": n, "ttl_table": t,
"ttl_cookie": c}, rewritten every 50 ms). Once the shell creates
`want_invalid_ttl` in the directory, it asks for OFPR_INVALID_TTL
packet-ins with a set-async (OF1.3's way; the defaults leave them out) and
writes `async` with the packet-in masks a get-async then reports.
"""
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.ofproto import ofproto_v1_3

import sl_common


class Conformance(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pins = {'no_match': 0, 'action': 0, 'invalid_ttl': 0, 'ttl_table': -1,
                     'ttl_cookie': -1}
        self.dp = None
        hub.spawn(self._writer)
        hub.spawn(self._ask_invalid_ttl)

    def _writer(self):
        last = None
        while True:
            if self.pins != last:
                last = dict(self.pins)
                sl_common.put('pins', last)
            hub.sleep(0.05)

    def _ask_invalid_ttl(self):
        if not sl_common.wait_for('want_invalid_ttl', timeout=600):
            return
        dp = self.dp
        ofp, p = dp.ofproto, dp.ofproto_parser
        pin = 1 << ofp.OFPR_NO_MATCH | 1 << ofp.OFPR_ACTION | 1 << ofp.OFPR_INVALID_TTL
        dp.send_msg(p.OFPSetAsync(dp, [pin, 0], [7, 7], [15, 0]))
        dp.send_msg(p.OFPGetAsyncRequest(dp))

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        self.dp = ev.msg.datapath
        self.dp.send_msg(self.dp.ofproto_parser.OFPBarrierRequest(self.dp))

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier(self, ev):
        sl_common.put('ready', 1)

    @set_ev_cls(ofp_event.EventOFPGetAsyncReply, MAIN_DISPATCHER)
    def get_async(self, ev):
        sl_common.put('async', list(ev.msg.packet_in_mask))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        ofp = msg.datapath.ofproto
        if msg.reason == ofp.OFPR_NO_MATCH:
            self.pins['no_match'] += 1
        elif msg.reason == ofp.OFPR_ACTION:
            self.pins['action'] += 1
        elif msg.reason == ofp.OFPR_INVALID_TTL:
            self.pins['invalid_ttl'] += 1
            self.pins['ttl_table'] = msg.table_id
            self.pins['ttl_cookie'] = msg.cookie
