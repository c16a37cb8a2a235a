# SPDX-License-Identifier: BSD-3-Clause
"""os-ken app checking the Sluice OpenFlow agent end to end.

Run by test_osken.sh: osken-manager listens, the agent harness connects to
it actively. The app does the handshake, installs a table-miss rule and an
IPv4 rule, waits for the barrier, then checks flow stats, port desc, role
change and a packet-out to TABLE that comes back as a packet-in (through
the real pipeline). It writes "PASS ..." or "FAIL ..." to $SL_OSKEN_RESULT
and exits. $SL_OSKEN_OFP (13, 14 or 15; default 13) picks the only
OpenFlow version the app speaks (test_osken_v14.sh runs 14 and 15): the
session must settle on it, and in 1.5 flow stats come as OFPMP_FLOW_DESC
and the packet-out's in_port travels in its match.
"""
import json
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.ofproto import ofproto_v1_3, ofproto_v1_4, ofproto_v1_5

OFP = {'13': ofproto_v1_3, '14': ofproto_v1_4, '15': ofproto_v1_5}[
    os.environ.get('SL_OSKEN_OFP', '13')]

ARP_FRAME = bytes.fromhex(
    'ffffffffffff020000000002080600010800060400010200000000020a0000020000000000000a000001')
OXS = ['byte_count', 'duration', 'packet_count']  # what OF1.5 flow desc carries
WANTED = ('dpid', 'barrier', 'flows', 'ports', 'role', 'packet_in', 'stale')


class AgentCheck(app_manager.OSKenApp):
    OFP_VERSIONS = [OFP.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = {'errors': []}
        self.out = os.environ.get('SL_OSKEN_RESULT', '/tmp/sl_osken_result')
        self.done = False
        hub.spawn(self._watchdog)

    def _finish(self, verdict):
        if self.done:
            return
        self.done = True
        with open(self.out, 'w') as f:
            f.write('%s %s\n' % (verdict, json.dumps(self.results, sort_keys=True)))
        os._exit(0)

    def _watchdog(self):
        hub.sleep(20)
        self._finish('FAIL(timeout)')

    def _check_done(self):
        if all(k in self.results for k in WANTED):
            r = self.results
            ok = (r['version'] == OFP.OFP_VERSION and
                  r['dpid'] == 0x5100 and r['flows'] == 2 and r['ports'] == 3 and
                  r['role'] == 'master' and r['packet_in'] == [0, 2, len(ARP_FRAME)] and
                  r['stale'] == [11, 0] and not r['errors'] and
                  r.get('flow_oxs', OXS) == OXS)
            self._finish('PASS' if ok else 'FAIL')

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        ofp, p = dp.ofproto, dp.ofproto_parser
        self.results['dpid'] = ev.msg.datapath_id
        self.results['version'] = ev.msg.version
        to_ctl = [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [
            p.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)])]
        dp.send_msg(p.OFPFlowMod(dp, priority=0, match=p.OFPMatch(), instructions=to_ctl))
        out2 = [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionOutput(2)])]
        match = p.OFPMatch(in_port=1, eth_type=0x0800, ipv4_dst=('10.0.0.0', '255.0.0.0'))
        dp.send_msg(p.OFPFlowMod(dp, priority=100, match=match, instructions=out2))
        dp.send_msg(p.OFPBarrierRequest(dp))

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier(self, ev):
        dp = ev.msg.datapath
        ofp, p = dp.ofproto, dp.ofproto_parser
        if 'barrier' in self.results:
            return
        self.results['barrier'] = True
        to_table = [p.OFPActionOutput(ofp.OFPP_TABLE)]
        if OFP is ofproto_v1_5:
            dp.send_msg(p.OFPFlowDescStatsRequest(dp))
            dp.send_msg(p.OFPPortDescStatsRequest(dp, 0, ofp.OFPP_ANY))
            dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, short_id=0,
                                         generation_id=12))
            dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_SLAVE, short_id=0,
                                         generation_id=11))  # stale
            dp.send_msg(p.OFPPacketOut(dp, buffer_id=ofp.OFP_NO_BUFFER,
                                       match=p.OFPMatch(in_port=2), actions=to_table,
                                       data=ARP_FRAME))
            return
        dp.send_msg(p.OFPFlowStatsRequest(dp))
        dp.send_msg(p.OFPPortDescStatsRequest(dp, 0))
        dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 12))
        dp.send_msg(p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_SLAVE, 11))  # stale
        dp.send_msg(p.OFPPacketOut(dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=2,
                                   actions=to_table, data=ARP_FRAME))

    @set_ev_cls(ofp_event.EventOFPFlowStatsReply, MAIN_DISPATCHER)
    def flow_stats(self, ev):
        self.results['flows'] = len(ev.msg.body)
        self._check_done()

    if OFP is ofproto_v1_5:
        @set_ev_cls(ofp_event.EventOFPFlowDescStatsReply, MAIN_DISPATCHER)
        def flow_desc(self, ev):
            self.results['flows'] = len(ev.msg.body)
            self.results['flow_oxs'] = sorted(k for k, _ in ev.msg.body[0].stats.items())
            self._check_done()

    @set_ev_cls(ofp_event.EventOFPPortDescStatsReply, MAIN_DISPATCHER)
    def port_desc(self, ev):
        self.results['ports'] = len(ev.msg.body)
        self._check_done()

    @set_ev_cls(ofp_event.EventOFPRoleReply, MAIN_DISPATCHER)
    def role(self, ev):
        ofp = ev.msg.datapath.ofproto
        self.results['role'] = {ofp.OFPCR_ROLE_MASTER: 'master', ofp.OFPCR_ROLE_SLAVE: 'slave',
                                ofp.OFPCR_ROLE_EQUAL: 'equal'}.get(ev.msg.role, '?')
        self._check_done()

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        m = ev.msg
        self.results['packet_in'] = [m.reason, m.match['in_port'], len(m.data)]
        self._check_done()

    @set_ev_cls(ofp_event.EventOFPErrorMsg, MAIN_DISPATCHER)
    def error(self, ev):
        ofp = ev.msg.datapath.ofproto
        if ev.msg.type == ofp.OFPET_ROLE_REQUEST_FAILED:
            self.results['stale'] = [ev.msg.type, ev.msg.code]
        else:
            self.results['errors'].append([ev.msg.type, ev.msg.code])
        self._check_done()
