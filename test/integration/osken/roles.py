# SPDX-License-Identifier: BSD-3-Clause
"""Role change between two controllers (two osken-manager processes).

SL_ROLE=first ("A"): becomes master with generation 1 (`role1`), waits for
the other's `B.master`, then checks it was demoted: a flow-mod must get
BAD_REQUEST/IS_SLAVE, a NOCHANGE role request must answer SLAVE (`role2`),
a master request with the old generation 1 must get
ROLE_REQUEST_FAILED/STALE. Writes `errors` (type, code pairs) last.
SL_ROLE=second ("B"): waits for `A.role1`, becomes master with generation
2, installs table-miss -> controller, and after the barrier writes `master`.
Both count 0x88b5 packet-ins in `pins`.
"""
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.ofproto import ofproto_v1_3

import sl_common

ROLES = {0: 'nochange', 1: 'equal', 2: 'master', 3: 'slave'}


class Roles(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.first = os.environ.get('SL_ROLE') == 'first'
        self.replies = 0
        self.errors = []
        self.pins = 0
        sl_common.put('pins', 0)

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        hub.spawn(self._first if self.first else self._second, ev.msg.datapath)

    def _first(self, dp):
        ofp, p = dp.ofproto, dp.ofproto_parser
        dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 1))
        if not sl_common.wait_for('B.master'):
            return
        sl_common.add_flow(dp, 5, p.OFPMatch(in_port=1), [])
        dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_NOCHANGE, 0))
        dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 1))
        dp.send_msg(p.OFPBarrierRequest(dp))

    def _second(self, dp):
        ofp, p = dp.ofproto, dp.ofproto_parser
        if not sl_common.wait_for('A.role1'):
            return
        dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 2))
        sl_common.table_miss_to_controller(dp)
        dp.send_msg(p.OFPBarrierRequest(dp))

    @set_ev_cls(ofp_event.EventOFPRoleReply, MAIN_DISPATCHER)
    def role(self, ev):
        self.replies += 1
        sl_common.put('role%d' % self.replies, ROLES.get(ev.msg.role, str(ev.msg.role)))

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier(self, ev):
        if self.first:
            sl_common.put('errors', self.errors)
        else:
            sl_common.put('master', self.replies)

    @set_ev_cls(ofp_event.EventOFPErrorMsg, MAIN_DISPATCHER)
    def error(self, ev):
        self.errors.append([ev.msg.type, ev.msg.code])

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        if ev.msg.data[12:14] == b'\x88\xb5':
            self.pins += 1
            sl_common.put('pins', self.pins)
