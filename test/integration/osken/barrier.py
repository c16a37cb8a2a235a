# SPDX-License-Identifier: BSD-3-Clause
"""Barrier truth under traffic, and flow-removed on idle timeout.

SL_MODE=barrier: installs in_port=1 -> output:2 (priority 10), writes
`ready` after the barrier. When the test creates `switch`, it records
t_mod (time.monotonic()), sends a priority-20 in_port=1 -> output:3 rule
and a barrier, and on the barrier reply writes `barrier` = [t_mod, t_reply]
at once. Frames sent after t_reply must all take port 3.
SL_MODE=flowrem: installs in_port=1 -> output:2 with idle_timeout 2 and
SEND_FLOW_REM (cookie 0xd1e), writes `ready` after the barrier and
`removed` = the flow-removed message's fields.
"""
import os
import time

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.ofproto import ofproto_v1_3

import sl_common


class Barrier(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = os.environ.get('SL_MODE', 'barrier')
        self.t_mod = None
        self.switch_xid = None

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        ofp, p = dp.ofproto, dp.ofproto_parser
        if self.mode == 'barrier':
            sl_common.add_flow(dp, 10, p.OFPMatch(in_port=1), [p.OFPActionOutput(2)])
        else:
            sl_common.add_flow(dp, 10, p.OFPMatch(in_port=1), [p.OFPActionOutput(2)],
                               idle_timeout=2, flags=ofp.OFPFF_SEND_FLOW_REM, cookie=0xd1e)
        dp.send_msg(p.OFPBarrierRequest(dp))

    def _switch(self, dp):
        p = dp.ofproto_parser
        if not sl_common.wait_for('switch'):
            return
        req = p.OFPBarrierRequest(dp)
        dp.set_xid(req)
        self.switch_xid = req.xid
        self.t_mod = time.monotonic()
        sl_common.add_flow(dp, 20, p.OFPMatch(in_port=1), [p.OFPActionOutput(3)])
        dp.send_msg(req)

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier(self, ev):
        if ev.msg.xid == self.switch_xid:
            t_reply = time.monotonic()
            sl_common.put('barrier', [self.t_mod, t_reply])
            return
        sl_common.put('ready', True)
        if self.mode == 'barrier':
            hub.spawn(self._switch, ev.msg.datapath)

    @set_ev_cls(ofp_event.EventOFPFlowRemoved, MAIN_DISPATCHER)
    def removed(self, ev):
        m = ev.msg
        sl_common.put('removed', {'reason': m.reason, 'cookie': m.cookie,
                                  'packet_count': m.packet_count, 'byte_count': m.byte_count,
                                  'idle_timeout': m.idle_timeout, 'priority': m.priority,
                                  'duration_sec': m.duration_sec})
