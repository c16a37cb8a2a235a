#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A remote Geneve VTEP made of scapy (test_geneve_interop.sh): on the
underlay interface IFACE (MAC PEER_MAC, facing sluiced's SL_MAC) it sends
ICMP echo requests to the VMs inside Geneve (192.0.2.2 -> 192.0.2.1 VNI 5,
2001:db8:2::2 -> 2001:db8:2::1 VNI 6): without options and with
non-critical options, each must be answered by a Geneve frame with the VNI,
Ethernet, no options, O and C clear; with a critical option (C bit) or the
O bit, none may be. Usage: geneve_peer.py IFACE PEER_MAC SL_MAC
"""
import sys
import time

from scapy.all import ICMP, IP, UDP, AsyncSniffer, Ether, IPv6, Raw, conf, sendp
from scapy.contrib.geneve import GENEVE, GeneveOptions

IFACE, PEER_MAC, SL_MAC = sys.argv[1:4]
conf.verb = 0


def option(words, critical=False):
    return GeneveOptions(classid=0x0102, type=(0x80 if critical else 0) | 5,
                         data=b"p" * (4 * words))


def geneve(vni, options=None, **kw):
    if options is not None:
        kw["options"] = options
        kw["optionlen"] = len(bytes(options)) // 4  # scapy 2.5 miscounts long ones
    return GENEVE(vni=vni, proto=0x6558, **kw)


NETS = {  # VNI: (outer, inner MACs, inner addresses)
    5: (IP(src="192.0.2.2", dst="192.0.2.1"), "02:97:00:00:00:02", "02:97:00:00:00:01",
        "10.97.0.2", "10.97.0.1"),
    6: (IPv6(src="2001:db8:2::2", dst="2001:db8:2::1"), "02:96:00:00:00:02",
        "02:96:00:00:00:01", "10.96.0.2", "10.96.0.1"),
}
CASES = [  # (name, VNI, ICMP id, Geneve header arguments, answered)
    ("v4 plain", 5, 0x501, {}, True),
    ("v4 options", 5, 0x502, {"options": option(1) / option(6) / option(0)}, True),
    ("v4 critical", 5, 0x503, {"critical": 1, "options": option(1, True)}, False),
    ("v4 control", 5, 0x504, {"oam": 1}, False),
    ("v6 plain", 6, 0x601, {}, True),
    ("v6 options", 6, 0x602, {"options": option(20) / option(20)}, True),
    ("v6 critical", 6, 0x603, {"critical": 1, "options": option(2) / option(1, True)}, False),
]


def frame(vni, icmp_id, hdr):
    outer, pmac, vmac, pip, vip = NETS[vni]
    inner = (Ether(src=pmac, dst=vmac) / IP(src=pip, dst=vip) /
             ICMP(type=8, id=icmp_id, seq=1) / Raw(b"geneve-peer" * 4))
    return (Ether(src=PEER_MAC, dst=SL_MAC) / outer / UDP(sport=50000, dport=6081) /
            geneve(vni, **hdr) / inner)


def main():
    sniffer = AsyncSniffer(iface=IFACE, filter="udp dst port 6081 and ether src " + SL_MAC)
    sniffer.start()
    time.sleep(1)
    for _, vni, icmp_id, hdr, _ in CASES:
        sendp(frame(vni, icmp_id, hdr), iface=IFACE)
        time.sleep(0.05)
    time.sleep(2)
    got = sniffer.stop()
    replies = {}
    bad = []
    for p in got:
        if GENEVE not in p or ICMP not in p or p[ICMP].type != 0:
            continue
        g = p[GENEVE]
        replies[p[ICMP].id] = g.vni
        if g.version or g.optionlen or g.oam or g.critical or g.proto != 0x6558:
            bad.append(f"reply {p[ICMP].id:#x}: header {bytes(g)[:8].hex()}")
    for name, vni, icmp_id, _, answered in CASES:
        if answered and replies.get(icmp_id) != vni:
            bad.append(f"{name}: no Geneve reply with VNI {vni} (got {replies.get(icmp_id)})")
        if not answered and icmp_id in replies:
            bad.append(f"{name}: answered, should have been dropped")
    for b in bad:
        print("FAIL:", b)
    print(f"geneve_peer: {len(got)} frames from sluiced, replies {sorted(hex(i) for i in replies)}")
    return 1 if bad else 0


sys.exit(main())
