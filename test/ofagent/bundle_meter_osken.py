# SPDX-License-Identifier: BSD-3-Clause
"""Meter-mods inside OpenFlow 1.4 bundles, encoded by os-ken's own parser.

`ovs-ofctl --bundle add-meter` (OVS 3.1) sends a plain meter-mod, and its
`bundle` command takes only flows and groups, so the bundles here are built
with os-ken's OFPBundleAddMsg around OFPMeterMod and OFPFlowMod and sent over
a plain socket to the agent harness (test_bundle_ofctl.sh starts it):
  1. meter 3 and a flow that uses it, in one bundle: committed, both there;
  2. MODIFY 3, ADD 4, then a flow-mod to an unknown group: the flow-mod's
     error and BUNDLE_FAILED/MSG_FAILED, and meter 3 as it was, no meter 4.
Prints "ok: ..." and exits 0, or "FAIL: ..." and exits 1.
  bundle_meter_osken.py PORT
"""
import socket
import struct
import sys

from os_ken.ofproto import ofproto_parser
from os_ken.ofproto import ofproto_v1_4 as ofp
from os_ken.ofproto import ofproto_v1_4_parser as p


class Datapath:
    """What os-ken's message classes need of a datapath to serialize."""
    ofproto = ofp
    ofproto_parser = p


DP = Datapath()


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(('127.0.0.1', port), timeout=5)
        self.xid = 100
        self.s.sendall(struct.pack('!BBHI', ofp.OFP_VERSION, ofp.OFPT_HELLO, 8, 1))
        self.recv()

    def recv(self):
        buf = b''
        while len(buf) < 8:
            buf += self.s.recv(8 - len(buf))
        length = struct.unpack('!H', buf[2:4])[0]
        while len(buf) < length:
            buf += self.s.recv(length - len(buf))
        version, msg_type, _, xid = struct.unpack('!BBHI', buf[:8])
        return ofproto_parser.msg(DP, version, msg_type, length, xid, buf)

    def send(self, msg):
        self.xid += 1
        msg.set_xid(self.xid)
        msg.serialize()
        self.s.sendall(bytes(msg.buf))
        return self.xid

    def wait(self, cls):
        """The next message of class @cls, skipping echo and port status."""
        while True:
            m = self.recv()
            if isinstance(m, (p.OFPEchoRequest, p.OFPPortStatus)):
                continue
            return m


def fail(what):
    print('FAIL: ' + what)
    sys.exit(1)


def meter_mod(cmd, meter_id, rate):
    bands = [p.OFPMeterBandDrop(rate=rate, burst_size=0)]
    return p.OFPMeterMod(DP, command=cmd, flags=ofp.OFPMF_KBPS, meter_id=meter_id, bands=bands)


def flow_mod(in_port, meter_id, actions):
    inst = [p.OFPInstructionMeter(meter_id),
            p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
    return p.OFPFlowMod(DP, priority=40, match=p.OFPMatch(in_port=in_port), instructions=inst)


def bundle(c, bundle_id, msgs):
    """Add @msgs to bundle @bundle_id and commit it; the commit's xid."""
    flags = ofp.OFPBF_ATOMIC | ofp.OFPBF_ORDERED
    for m in msgs:
        c.send(p.OFPBundleAddMsg(DP, bundle_id, flags, m, []))
    return c.send(p.OFPBundleCtrlMsg(DP, bundle_id, ofp.OFPBCT_COMMIT_REQUEST, flags, []))


def meters(c):
    """{meter_id: first band's rate} of every meter."""
    c.send(p.OFPMeterConfigStatsRequest(DP, 0, ofp.OFPM_ALL))
    reply = c.wait(p.OFPMeterConfigStatsReply)
    return {m.meter_id: m.bands[0].rate for m in reply.body}


def n_flows(c):
    c.send(p.OFPFlowStatsRequest(DP))
    return len(c.wait(p.OFPFlowStatsReply).body)


def main():
    c = Conn(int(sys.argv[1]))
    c.send(p.OFPFlowMod(DP, command=ofp.OFPFC_DELETE, table_id=ofp.OFPTT_ALL,
                        out_port=ofp.OFPP_ANY, out_group=ofp.OFPG_ANY))
    c.send(meter_mod(ofp.OFPMC_DELETE, ofp.OFPM_ALL, 0))
    base = n_flows(c)
    xid = bundle(c, 1, [meter_mod(ofp.OFPMC_ADD, 3, 100),
                        flow_mod(1, 3, [p.OFPActionOutput(2)])])
    r = c.wait(p.OFPBundleCtrlMsg)
    if r.xid != xid or r.type != ofp.OFPBCT_COMMIT_REPLY:
        fail('bundle 1: no commit reply (%r)' % r)
    if meters(c) != {3: 100} or n_flows(c) != base + 1:
        fail('bundle 1: meter 3 and its flow not both there')
    xid = bundle(c, 2, [meter_mod(ofp.OFPMC_MODIFY, 3, 200),
                        meter_mod(ofp.OFPMC_ADD, 4, 300),
                        flow_mod(2, 4, [p.OFPActionGroup(99)])])
    e = c.wait(p.OFPErrorMsg)
    if (e.type, e.code) != (ofp.OFPET_BAD_ACTION, ofp.OFPBAC_BAD_OUT_GROUP):
        fail('bundle 2: the flow-mod error is %d/%d' % (e.type, e.code))
    e = c.wait(p.OFPErrorMsg)
    if (e.type, e.code, e.xid) != (ofp.OFPET_BUNDLE_FAILED, ofp.OFPBFC_MSG_FAILED, xid):
        fail('bundle 2: no MSG_FAILED for the commit (%d/%d)' % (e.type, e.code))
    if meters(c) != {3: 100} or n_flows(c) != base + 1:
        fail('bundle 2 left changes: meters %r' % meters(c))
    print('ok: meter-mods in OpenFlow 1.4 bundles commit whole or not at all')


main()
