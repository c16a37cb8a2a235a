# SPDX-License-Identifier: BSD-3-Clause
"""Port-mods and flow-mods in one bundle, encoded by os-ken's own parser
(test_bundle_ports.sh; `ovs-ofctl --bundle` sends only flow-mods and
group-mods, and its mod-port has no --bundle).

  bundle_port_osken.py OFPORT VERSION setup FLOWS
      no rules, then FLOWS rules udp,tp_dst=1000+i -> mod_nw_tos:4,
      output:2, output:3; port 3 NO_FWD, port 2 forwarding (plain messages)
  bundle_port_osken.py OFPORT VERSION swap FLOWS TOS OFF ON [--plain]
      one bundle: port-mod OFF NO_FWD, port-mod ON forwarding, the FLOWS
      rules modified to mod_nw_tos:TOS; committed, then one port-status per
      port saying so (--plain: the same messages without a bundle)
  bundle_port_osken.py OFPORT VERSION bad FLOWS
      a bundle {port-mod 2 NO_FWD, port-mod 3 forwarding, a flow-mod to
      group 77}: the flow-mod's error, BUNDLE_FAILED/MSG_FAILED, the ports
      as they were, no port-status
VERSION: 13 (ONF bundle extension) or 14 (native bundles).
Prints "ok: ..." and exits 0, or "FAIL: ..." and exits 1.
"""
import socket
import struct
import sys
import time

from os_ken.ofproto import ofproto_parser
from os_ken.ofproto import ofproto_v1_3, ofproto_v1_3_parser
from os_ken.ofproto import ofproto_v1_4, ofproto_v1_4_parser

ONF = 0x4f4e4600
ONF_ET_BUNDLE_CONTROL = 2300


class Datapath:
    """What os-ken's message classes need of a datapath to serialize."""

    def __init__(self, ofp, parser):
        self.ofproto = ofp
        self.ofproto_parser = parser


def fail(what):
    print('FAIL: ' + what)
    sys.exit(1)


class Conn:
    def __init__(self, port, version):
        self.v14 = version == 14
        self.ofp = ofproto_v1_4 if self.v14 else ofproto_v1_3
        self.p = ofproto_v1_4_parser if self.v14 else ofproto_v1_3_parser
        self.dp = Datapath(self.ofp, self.p)
        self.s = socket.create_connection(('127.0.0.1', port), timeout=5)
        self.xid = 1000
        self.s.sendall(struct.pack('!BBHI', self.ofp.OFP_VERSION, 0, 8, 1))
        self.raw()
        # a connection to the listener is a service connection: async
        # messages (port-status) only once it sets a miss_send_len
        self.send(self.p.OFPSetConfig(self.dp, 0, 128))
        self.macs = {}
        self.send(self.p.OFPPortDescStatsRequest(self.dp, 0))
        for port in self.wait(self.p.OFPPortDescStatsReply).body:
            self.macs[port.port_no] = (port.hw_addr, port.config)

    def raw(self):
        buf = b''
        while len(buf) < 8:
            buf += self.s.recv(8 - len(buf))
        length = struct.unpack('!H', buf[2:4])[0]
        while len(buf) < length:
            buf += self.s.recv(length - len(buf))
        return buf

    def parse(self, buf):
        version, msg_type, length, xid = struct.unpack('!BBHI', buf[:8])
        return ofproto_parser.msg(self.dp, version, msg_type, length, xid, buf)

    def send(self, msg):
        self.xid += 1
        msg.set_xid(self.xid)
        msg.serialize()
        self.s.sendall(bytes(msg.buf))
        return self.xid

    def wait(self, cls):
        """The next message of class @cls, skipping echo and port status."""
        while True:
            buf = self.raw()
            if buf[1] in (2, 12, 33) or (buf[1] == 4 and not self.v14):
                continue  # echo, port status, bundle control (ONF: experimenter)
            m = self.parse(buf)
            if isinstance(m, cls):
                return m
            if isinstance(m, self.p.OFPErrorMsg):
                fail('error %d/%d waiting for %s' % (m.type, m.code, cls.__name__))

    def barrier(self):
        self.send(self.p.OFPBarrierRequest(self.dp))
        self.wait(self.p.OFPBarrierReply)

    def port_mod(self, port, no_fwd):
        hw, _ = self.macs[port]
        extra = {'properties': []} if self.v14 else {'advertise': 0}
        return self.p.OFPPortMod(self.dp, port_no=port, hw_addr=hw,
                                 config=self.ofp.OFPPC_NO_FWD if no_fwd else 0,
                                 mask=self.ofp.OFPPC_NO_FWD, **extra)

    def rule(self, i, tos, cmd, actions=None):
        p = self.p
        match = p.OFPMatch(eth_type=0x0800, ip_proto=17, udp_dst=1000 + i)
        acts = actions or [p.OFPActionSetField(ip_dscp=tos >> 2), p.OFPActionOutput(2),
                           p.OFPActionOutput(3)]
        return p.OFPFlowMod(self.dp, command=cmd, priority=10, match=match,
                            instructions=[p.OFPInstructionActions(
                                self.ofp.OFPIT_APPLY_ACTIONS, acts)])

    def bundle(self, msgs):
        """Add @msgs to a bundle and commit it; the commit's xid."""
        ofp, p = self.ofp, self.p
        if self.v14:
            flags = ofp.OFPBF_ATOMIC | ofp.OFPBF_ORDERED
            for m in msgs:
                self.send(p.OFPBundleAddMsg(self.dp, 7, flags, m, []))
            return self.send(p.OFPBundleCtrlMsg(self.dp, 7, ofp.OFPBCT_COMMIT_REQUEST, flags,
                                                []))
        flags = ofp.ONF_BF_ATOMIC | ofp.ONF_BF_ORDERED
        for m in msgs:
            self.send(p.ONFBundleAddMsg(self.dp, 7, flags, m, []))
        return self.send(p.ONFBundleCtrlMsg(self.dp, 7, ofp.ONF_BCT_COMMIT_REQUEST, flags, []))

    def events(self, secs, enough=None):
        """(commit replies [xid], errors [(type, code, xid)], port-status
        [(port, config)]) of the next @secs seconds, or until
        enough(replies, errors, status) says so."""
        replies, errors, status = [], [], []
        end = time.time() + secs
        while time.time() < end and not (enough and enough(replies, errors, status)):
            self.s.settimeout(max(0.01, end - time.time()))
            try:
                buf = self.raw()
            except socket.timeout:
                break
            xid = struct.unpack('!I', buf[4:8])[0]
            if buf[1] == 12:
                status.append(struct.unpack('!I', buf[16:20])[0:1] +
                              struct.unpack('!I', buf[48:52]))
            elif buf[1] == 33 and self.v14:
                replies.append(xid)  # only commits are sent
            elif buf[1] == 4 and struct.unpack('!II', buf[8:16]) == (ONF,
                                                                       ONF_ET_BUNDLE_CONTROL):
                replies.append(xid)
            elif buf[1] == 1:
                etype, code = struct.unpack('!HH', buf[8:12])
                if etype == 0xffff:  # OF1.3: ONF's experimenter error
                    etype, code = 17, code - 2300 if code >= 2300 else code
                errors.append((etype, code, xid))
        self.s.settimeout(5)
        return replies, errors, status


def main():
    port, version, cmd, flows = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    c = Conn(port, version)
    ofp = c.ofp
    if cmd == 'setup':
        c.send(c.p.OFPFlowMod(c.dp, command=ofp.OFPFC_DELETE, table_id=ofp.OFPTT_ALL,
                              out_port=ofp.OFPP_ANY, out_group=ofp.OFPG_ANY))
        for i in range(flows):
            c.send(c.rule(i, 4, ofp.OFPFC_ADD))
        c.send(c.port_mod(2, False))
        c.send(c.port_mod(3, True))
        c.barrier()
        print('ok: %d rules, port 3 NO_FWD' % flows)
        return
    if cmd == 'swap':
        tos, off, on = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
        msgs = [c.port_mod(off, True), c.port_mod(on, False)] + \
            [c.rule(i, tos, ofp.OFPFC_MODIFY_STRICT) for i in range(flows)]
        if '--plain' in sys.argv:
            for m in msgs:
                c.send(m)
            c.barrier()
            print('ok: plain messages sent')
            return
        xid = c.bundle(msgs)
        replies, errors, status = c.events(5.0, lambda r, e, s: r and len(s) >= 2)
        if replies != [xid] or errors:
            fail('commit: replies %r errors %r' % (replies, errors))
        want = sorted([(off, ofp.OFPPC_NO_FWD), (on, 0)])
        if sorted(status) != want:
            fail('port-status %r, want %r' % (status, want))
        print('ok: committed; port-status %r' % status)
        return
    # bad: the flow-mod fails at commit; nothing changes, no port-status
    before = dict(c.macs)
    gm = c.rule(0, 8, ofp.OFPFC_MODIFY_STRICT, [c.p.OFPActionGroup(77)])
    xid = c.bundle([c.port_mod(2, True), c.port_mod(3, False), gm])
    replies, errors, status = c.events(1.0)
    codes = [(t, code) for t, code, _ in errors]
    msg_failed = (17, 13)  # OFPET_BUNDLE_FAILED, OFPBFC_MSG_FAILED (1.4 and ONF's)
    if replies or status or codes != [(ofp.OFPET_BAD_ACTION, ofp.OFPBAC_BAD_OUT_GROUP),
                                      msg_failed] or errors[1][2] != xid:
        fail('failing bundle: replies %r errors %r port-status %r' % (replies, errors, status))
    after = Conn(port, version).macs
    if after != before:
        fail('failing bundle changed ports: %r -> %r' % (before, after))
    print('ok: failing bundle: its error, MSG_FAILED, ports unchanged')


main()
