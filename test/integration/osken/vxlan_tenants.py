# SPDX-License-Identifier: BSD-3-Clause
"""A cloud controller for VXLAN tenant networks across Sluice hosts
(test_vxlan_multihost.sh, issue 23), in the way of OpenStack's OVS agent
with L2 population: the controller knows, from its own inventory (here a
JSON file, $SL_OSKEN_DIR/topology.json), which host runs which VM (its
port name, tenant VNI and MAC address) and which tunnel port of a host
leads to which other host with which VNI; everything else it learns from
the switches themselves: a host is recognised by the datapath id of its
features reply, and port numbers come from its port description.

Rules, proactive, one table, cookie 0x7e23 (replaced as a whole at each
handshake, so a reconnecting host gets a clean set):

- from a VM port, with the VM's own source MAC only (port security):
  to a known MAC of the tenant: that VM's port on this host, or the
  tunnel to the host it runs on (priority 100); anything else (broadcast,
  multicast, unknown unicast): flooded to the tenant's other local VMs and
  to the tunnels of the tenant's VNI that lead to hosts with a VM of that
  tenant (priority 50);
- from a tunnel port with its VNI (`tun_id`): to a local VM's MAC: that
  VM (priority 100); broadcast / multicast: every local VM of the tenant
  (priority 50), never back into a tunnel (split horizon);
- everything else: dropped (priority 0, counted by that rule).

Topology: {"hosts": {"DPID": {"vms": [{"port": NAME, "vni": N, "mac":
MAC}], "tunnels": [{"port": NAME, "peer": "DPID", "vni": N}]}}} with
DPID a decimal string. Facts: `programmed` ({DPID: {"flows": N,
"ports": {NAME: PORT_NO}}}, rewritten whenever a host's rules are
confirmed by a barrier reply), `errors` (the OpenFlow errors the switches
sent, if any).
"""
import json
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.ofproto import ofproto_v1_3

import sl_common

COOKIE = 0x7e23
MCAST = ('01:00:00:00:00:00', '01:00:00:00:00:00')


def plan(topo, dpid, ports):
    """The rules of host DPID as (priority, match dict, output port numbers)
    from the topology and its port numbers PORTS ({name: number}); a port
    the topology names and the host lacks raises KeyError."""
    hosts = topo['hosts']
    me = hosts[dpid]
    rules = [(0, {}, [])]
    for vm in me['vms']:
        vni, src, inp = vm['vni'], vm['mac'], ports[vm['port']]
        local = [ports[o['port']] for o in me['vms'] if o['vni'] == vni and o is not vm]
        flood = list(local)
        for t in me['tunnels']:
            if t['vni'] != vni:
                continue
            remote_vms = [o for o in hosts[t['peer']]['vms'] if o['vni'] == vni]
            if remote_vms:
                flood.append(ports[t['port']])
            for o in remote_vms:
                rules.append((100, {'in_port': inp, 'eth_src': src, 'eth_dst': o['mac']},
                              [ports[t['port']]]))
        for o in me['vms']:
            if o['vni'] == vni and o is not vm:
                rules.append((100, {'in_port': inp, 'eth_src': src, 'eth_dst': o['mac']},
                              [ports[o['port']]]))
        rules.append((50, {'in_port': inp, 'eth_src': src}, flood))
    for t in me['tunnels']:
        vni, inp = t['vni'], ports[t['port']]
        local = [o for o in me['vms'] if o['vni'] == vni]
        for o in local:
            rules.append((100, {'in_port': inp, 'tunnel_id': vni, 'eth_dst': o['mac']},
                          [ports[o['port']]]))
        if local:
            rules.append((50, {'in_port': inp, 'tunnel_id': vni, 'eth_dst': MCAST},
                          [ports[o['port']] for o in local]))
    return rules


class VxlanTenants(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with open(os.path.join(sl_common.DIR, 'topology.json')) as f:
            self.topo = json.load(f)
        self.ports = {}      # dpid -> {name: port_no}, filled by port-desc replies
        self.desc_xid = {}   # dpid -> xid of our port-desc request
        self.pending = {}    # dpid -> (barrier xid, flow count)
        self.programmed = {}
        self.errors = []

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        key = str(dp.id)
        if key not in self.topo['hosts']:
            self.logger.warning('datapath %016x is not in the topology: left alone', dp.id)
            return
        self.ports[key] = {}
        self.programmed.pop(key, None)
        req = dp.ofproto_parser.OFPPortDescStatsRequest(dp, 0)
        dp.set_xid(req)
        self.desc_xid[key] = req.xid
        dp.send_msg(req)

    # os-ken's own handshake asks for the port description too (its reply
    # comes in CONFIG_DISPATCHER); only the reply to ours is used
    @set_ev_cls(ofp_event.EventOFPPortDescStatsReply, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def port_desc(self, ev):
        dp = ev.msg.datapath
        key = str(dp.id)
        if key not in self.ports or ev.msg.xid != self.desc_xid.get(key):
            return
        for p in ev.msg.body:
            name = p.name.decode() if isinstance(p.name, bytes) else p.name
            self.ports[key][name] = p.port_no
        if ev.msg.flags & dp.ofproto.OFPMPF_REPLY_MORE:
            return
        self.program(dp, key)

    def program(self, dp, key):
        """Replace this app's rules on host KEY with its plan, then a barrier."""
        ofp, p = dp.ofproto, dp.ofproto_parser
        try:
            rules = plan(self.topo, key, self.ports[key])
        except KeyError as e:
            self.errors.append('datapath %s has no port %s' % (key, e))
            sl_common.put('errors', self.errors)
            return
        dp.send_msg(p.OFPFlowMod(dp, cookie=COOKIE, cookie_mask=0xffffffffffffffff,
                                 table_id=ofp.OFPTT_ALL, command=ofp.OFPFC_DELETE,
                                 out_port=ofp.OFPP_ANY, out_group=ofp.OFPG_ANY))
        for prio, match, outs in rules:
            sl_common.add_flow(dp, prio, p.OFPMatch(**match),
                               [p.OFPActionOutput(o) for o in outs], cookie=COOKIE)
        barrier = p.OFPBarrierRequest(dp)
        dp.set_xid(barrier)
        self.pending[key] = (barrier.xid, len(rules))
        dp.send_msg(barrier)

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier_reply(self, ev):
        key = str(ev.msg.datapath.id)
        xid, n = self.pending.get(key, (None, 0))
        if ev.msg.xid != xid:
            return
        del self.pending[key]
        self.programmed[key] = {'flows': n, 'ports': self.ports[key]}
        self.logger.info('datapath %s: %d rules confirmed', key, n)
        sl_common.put('programmed', self.programmed)

    @set_ev_cls(ofp_event.EventOFPErrorMsg, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def error(self, ev):
        m = ev.msg
        self.errors.append('datapath %s: type %d code %d' % (m.datapath.id, m.type, m.code))
        sl_common.put('errors', self.errors)
