#!/usr/bin/python3
"""Send VLAN-tagged frames into a switch port and judge the TPIDs of what
leaves another (scapy; test_vlan_tpid.sh).

  tpid_tool.py run TX_IFACE RX_IFACE CASE...   send each CASE on TX_IFACE and
        check that RX_IFACE receives exactly the expected frame; prints one
        line per case ("ok NAME" or "FAIL NAME: ...") and exits 1 on a failure
  tpid_tool.py list                          the case names

Each frame carries a marker with its case name in its payload, so the
kernel's own frames and the other cases' are told apart. scapy reads with
PACKET_AUXDATA and puts back the tag the kernel took off with the TPID the
kernel reports (tp_vlan_tpid), so what it prints is what was on the wire.
"""
import struct
import sys
import time

from scapy.all import AsyncSniffer, Dot1AD, Dot1Q, Ether, IP, Raw, UDP, conf, sendp

conf.verb = 0
SRC, DST = '02:00:00:00:16:61', '02:00:00:00:16:62'


def payload(name, size=32):
    body = IP(src='10.6.6.1', dst='10.6.6.2') / UDP(sport=1666, dport=1666)
    mark = b'h6tpid:' + name.encode() + b':'
    return body / Raw(mark + bytes(max(0, size - len(mark))))


def eth(etype=None):
    return Ether(src=SRC, dst=DST) if etype is None else Ether(src=SRC, dst=DST, type=etype)


def cases():
    """name -> (frame sent, frame expected): all built on the wire format."""
    c = {}
    p = payload
    c['q'] = eth() / Dot1Q(vlan=100) / p('q')
    c['ad'] = eth() / Dot1AD(vlan=100, prio=5) / p('ad')
    c['ad0'] = eth() / Dot1AD(vlan=0, prio=3) / p('ad0')  # priority tag: TCI vid 0
    c['qinq'] = eth() / Dot1AD(vlan=100) / Dot1Q(vlan=200) / p('qinq')
    c['qq'] = eth() / Dot1Q(vlan=101) / Dot1Q(vlan=201) / p('qq')
    c['x9100'] = eth(0x9100) / Dot1Q(vlan=300, type=0x8100) / Dot1Q(vlan=301) / p('x9100')
    # 802.1ah: B-tag, I-tag (0x88e7: flags and the 24-bit I-SID; scapy 2.5
    # has no layer for it), then the customer's frame with its own tags
    c['pbb'] = (eth() / Dot1AD(vlan=10, type=0x88e7) / Raw(struct.pack('!I', 0x1234)) /
                Ether(src='02:00:00:00:0b:01', dst='02:00:00:00:0b:02') /
                Dot1AD(vlan=20) / Dot1Q(vlan=30) / p('pbb'))
    c['adbig'] = eth() / Dot1AD(vlan=102) / p('adbig', 1400)
    # longer than one 2 KiB mbuf: a chain on rx, copied segment by segment on tx
    c['adjumbo'] = eth() / Dot1AD(vlan=103) / Dot1Q(vlan=203) / p('adjumbo', 5000)
    exp = {k: v for k, v in c.items()}
    # rules of test_vlan_tpid.sh phase 2 (matches and push/pop)
    c['pop'] = eth() / Dot1AD(vlan=555) / Dot1Q(vlan=200) / p('pop')
    exp['pop'] = eth() / Dot1Q(vlan=200) / p('pop')
    c['pushq'] = eth() / Dot1AD(vlan=556, prio=2) / p('pushq')
    exp['pushq'] = eth() / Dot1Q(vlan=556, prio=2) / Dot1AD(vlan=556, prio=2) / p('pushq')
    c['pushad'] = eth() / Dot1Q(vlan=557) / p('pushad')
    exp['pushad'] = eth() / Dot1AD(vlan=557) / Dot1Q(vlan=557) / p('pushad')
    c['pushad0'] = eth() / IP(src='10.6.6.1', dst='10.6.6.9') / UDP(sport=1666, dport=1666) / \
        Raw(b'h6tpid:pushad0:' + bytes(24))
    exp['pushad0'] = eth() / Dot1AD(vlan=42) / IP(src='10.6.6.1', dst='10.6.6.9') / \
        UDP(sport=1666, dport=1666) / Raw(b'h6tpid:pushad0:' + bytes(24))
    return {k: (bytes(c[k]), bytes(exp[k])) for k in c}


def tpids(frame):
    """The chain of ethertypes/TPIDs after the MAC addresses, e.g. 88a8/8100/0800."""
    out, ofs = [], 12
    while ofs + 2 <= len(frame):
        t = int.from_bytes(frame[ofs:ofs + 2], 'big')
        out.append('%04x' % t)
        if t not in (0x8100, 0x88a8, 0x9100):
            break
        ofs += 4
    return '/'.join(out)


def run(tx, rx, names):
    all_cases = cases()
    sniffer = AsyncSniffer(iface=rx, store=True,
                           lfilter=lambda pkt: b'h6tpid:' in bytes(pkt))
    sniffer.start()
    time.sleep(1.0)  # the sniffer's socket is bound
    for name in names:
        sendp(Ether(all_cases[name][0]), iface=tx)
        time.sleep(0.05)
    time.sleep(1.5)
    got = [bytes(pkt) for pkt in sniffer.stop()]
    failed = 0
    for name in names:
        want = all_cases[name][1]
        mark = b'h6tpid:' + name.encode() + b':'
        seen = [g for g in got if mark in g]
        if len(seen) == 1 and seen[0] == want:
            print('ok %s: %s, %d bytes' % (name, tpids(want), len(want)))
            continue
        failed += 1
        if not seen:
            print('FAIL %s: nothing arrived (expected %s)' % (name, tpids(want)))
        elif len(seen) > 1:
            print('FAIL %s: %d copies arrived' % (name, len(seen)))
        else:
            print('FAIL %s: arrived as %s, expected %s (%d/%d bytes)\n  got  %s...\n  want %s...' %
                  (name, tpids(seen[0]), tpids(want), len(seen[0]), len(want),
                   seen[0][:48].hex(), want[:48].hex()))
    return 1 if failed else 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == 'list':
        print(' '.join(cases()))
        return 0
    if len(sys.argv) < 5 or sys.argv[1] != 'run':
        print(__doc__, file=sys.stderr)
        return 2
    return run(sys.argv[2], sys.argv[3], sys.argv[4:])


if __name__ == '__main__':
    sys.exit(main())
