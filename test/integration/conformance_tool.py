#!/usr/bin/python3
"""Traffic for test_conformance.sh, made and judged by scapy (python3-scapy).

  conformance_tool.py sctp TX RX
      send SCTP packets (IPv4 and IPv6, 20..1400 payload bytes, dport 80,
      checksums by scapy) on TX; every one must arrive on RX with dport
      0xbeef (the switch's set_field) and the CRC32c scapy computes for the
      bytes that arrived. Prints one line per packet; exit 1 on any mismatch
      or a missing packet.
  conformance_tool.py udp TX N TTL DPORT [PAUSE]
      send N IPv4/UDP packets with that TTL to that port, PAUSE seconds
      apart (default 0.002).
  conformance_tool.py count RX SECONDS DPORT READY
      print how many IPv4/UDP packets to DPORT arrive on RX within SECONDS
      of capture; creates the file READY once the capture runs.
"""
import sys
import threading
import time

from scapy.all import AsyncSniffer, Ether, IP, IPv6, Raw, UDP, raw, sendp, sniff
from scapy.layers.sctp import SCTP

SRC, DST = '02:00:00:00:00:01', '02:00:00:00:00:02'


def sctp_packets():
    pkts = []
    for i, n in enumerate((20, 61, 300, 1000, 1400)):
        pay = bytes(((k * 7 + i) & 0xff) for k in range(n))
        for l3 in (IP(src='10.0.0.1', dst='10.0.0.2'),
                   IPv6(src='2001:db8::1', dst='2001:db8::2')):
            p = Ether(src=SRC, dst=DST) / l3 / SCTP(sport=5000 + i, dport=80) / Raw(pay)
            pkts.append(Ether(raw(p)))  # checksum filled in, as on the wire
    return pkts


def judge(p):
    """None when p carries dport 0xbeef and a correct CRC32c, else why not."""
    s = p[SCTP]
    if s.dport != 0xbeef:
        return f'dport {s.dport:#x}, not 0xbeef'
    q = p.copy()
    del q[SCTP].chksum
    want = Ether(raw(q))[SCTP].chksum  # scapy's CRC32c of what arrived
    if s.chksum != want:
        return f'checksum {s.chksum:#010x}, scapy says {want:#010x}'
    return None


def cmd_sctp(tx, rx):
    pkts = sctp_packets()
    started = threading.Event()
    sn = AsyncSniffer(iface=rx, lfilter=lambda p: SCTP in p, started_callback=started.set)
    sn.start()
    if not started.wait(30):
        print('the capture did not start')
        return 1
    for p in pkts:
        sendp(p, iface=tx, verbose=False)
        time.sleep(0.01)
    deadline = time.time() + 10
    while time.time() < deadline and len(sn.results or []) < len(pkts):
        time.sleep(0.2)
    got = sn.stop()
    bad = 0
    seen = set()
    for p in got:
        key = (p[SCTP].sport, IPv6 in p)
        seen.add(key)
        why = judge(p)
        fam = 'ipv6' if IPv6 in p else 'ipv4'
        print(f'{fam} sport {p[SCTP].sport} len {len(p)}: ' + (why or 'ok'))
        bad += why is not None
    missing = len(pkts) - len(seen)
    if missing:
        print(f'{missing} of {len(pkts)} SCTP packets did not arrive')
    return 1 if bad or missing else 0


def cmd_udp(tx, n, ttl, dport, pause=0.002):
    p = Ether(src=SRC, dst=DST) / IP(src='10.0.0.1', dst='10.0.0.2', ttl=ttl) / \
        UDP(sport=4000, dport=dport) / Raw(bytes(18))
    for _ in range(n):
        sendp(p, iface=tx, verbose=False)
        time.sleep(pause)
    return 0


def cmd_count(rx, seconds, dport, ready):
    def capturing():
        with open(ready, 'w') as f:
            f.write('1\n')
    got = sniff(iface=rx, timeout=seconds, started_callback=capturing,
                lfilter=lambda p: UDP in p and IP in p and p[UDP].dport == dport)
    print(len(got))
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == 'sctp':
        return cmd_sctp(sys.argv[2], sys.argv[3])
    if cmd == 'udp':
        pause = float(sys.argv[6]) if len(sys.argv) > 6 else 0.002
        return cmd_udp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), pause)
    if cmd == 'count':
        return cmd_count(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
