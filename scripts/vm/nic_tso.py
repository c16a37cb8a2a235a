#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""TCP super-frames for a TSO sender and the check of what reached a wire
(test_nic_vf.sh's TSO phase): one TCP/IPv4 stream 10.0.0.1:40000 ->
10.0.0.2:5201 whose byte at stream offset i is (i * 7 + i // 251) % 256, so
that a segment put at the wrong offset or a byte lost shows.

  nic_tso.py pcap OUT COUNT PAYLOAD
      write COUNT Ethernet/IPv4/TCP frames carrying PAYLOAD bytes each of
      the stream, back to back (sequence numbers from ISN), to the pcap OUT
      (dpdk-testpmd reads it through net_pcap's rx_pcap= and sends it with
      TSO)
  nic_tso.py check WIRE COUNT PAYLOAD MSS [--vlan VID] [--pcap OUT]
      the frames of the stream in WIRE (nic_wire.py capture's hex lines):
      every one a segment of at most MSS payload bytes (exactly MSS but the
      last of each super-frame), no longer than a 1500-byte MTU allows,
      with a valid IPv4 header checksum and TCP checksum, IP total length
      equal to what the frame carries, carrying the VLAN VID when given (no
      VLAN tag otherwise); together the COUNT * PAYLOAD bytes of the stream,
      each exactly once; PSH on none but the last segment of a super-frame.
      Prints "segments N bytes B max_payload M" and exits 0, or prints each
      fault and exits 1. --pcap: the frames also as a pcap (for tshark).
"""
import argparse
import sys

from scapy.all import IP, TCP, Dot1Q, Ether, Raw, wrpcap  # noqa: F401
from scapy.layers.inet import in4_chksum
from scapy.utils import checksum

ISN = 1000
SPORT, DPORT = 40000, 5201


def stream(n):
    return bytes((i * 7 + i // 251) % 256 for i in range(n))


def cmd_pcap(a):
    data = stream(a.count * a.payload)
    frames = []
    for k in range(a.count):
        chunk = data[k * a.payload:(k + 1) * a.payload]
        frames.append(Ether(dst='02:00:00:00:00:b2', src='02:00:00:00:00:a2') /
                      IP(src='10.0.0.1', dst='10.0.0.2', id=k, flags='DF') /
                      TCP(sport=SPORT, dport=DPORT, seq=ISN + k * a.payload, ack=1,
                          flags='PA', window=65535) / Raw(chunk))
    wrpcap(a.out, frames)


def frame_faults(raw, a):
    """(faults, seq, payload, psh) of one frame of the stream; None if it
    is not one."""
    eth = Ether(raw)
    faults = []
    if not eth.haslayer(TCP) or eth[TCP].dport != DPORT:
        return None
    vlan = eth[Dot1Q].vlan if eth.haslayer(Dot1Q) else None
    if vlan != a.vlan:
        faults.append(f'VLAN {vlan}, expected {a.vlan}')
    ip = eth[IP]
    hdr = bytes(ip)[:ip.ihl * 4]
    if checksum(hdr) != 0:
        faults.append(f'bad IPv4 header checksum {ip.chksum:#06x}')
    l3 = bytes(ip)[:ip.len]
    if ip.len > len(bytes(ip)):
        faults.append(f'IP total length {ip.len} > the {len(bytes(ip))} bytes carried')
    seg = l3[ip.ihl * 4:]
    if in4_chksum(6, ip, seg) != 0:
        faults.append(f'bad TCP checksum {ip[TCP].chksum:#06x}')
    tcp = ip[TCP]
    payload = seg[tcp.dataofs * 4:]
    if len(payload) > a.mss:
        faults.append(f'{len(payload)} payload bytes > MSS {a.mss}')
    if ip.len > 1500:
        faults.append(f'IP packet of {ip.len} bytes > MTU 1500')
    return faults, tcp.seq, payload, 'P' in str(tcp.flags)


def cmd_check(a):
    total = a.count * a.payload
    want = stream(total)
    got = bytearray(total)
    seen = bytearray(total)
    faults, frames, nbytes, top = [], [], 0, 0
    with open(a.wire) as f:
        for n, line in enumerate(f, 1):
            raw = bytes.fromhex(line.strip())
            r = frame_faults(raw, a)
            if r is None:
                continue
            frames.append(raw)
            fl, seq, payload, psh = r
            off = seq - ISN
            if off < 0 or off + len(payload) > total:
                fl.append(f'sequence {seq} (+{len(payload)}) outside the stream')
            else:
                if any(seen[off:off + len(payload)]):
                    fl.append(f'stream bytes {off}..{off + len(payload)} arrived twice')
                got[off:off + len(payload)] = payload
                seen[off:off + len(payload)] = b'\1' * len(payload)
                end_of_frame = (off + len(payload)) % a.payload == 0
                if len(payload) != a.mss and not end_of_frame:
                    fl.append(f'{len(payload)} payload bytes mid-frame (MSS {a.mss})')
                # PSH (set on every super-frame) may stay on the last
                # segment only; QEMU's igb drops it from that one too
                if psh and not end_of_frame:
                    fl.append('PSH on a segment that does not end a super-frame')
            nbytes += len(payload)
            top = max(top, len(payload))
            faults += [f'frame {n} (seq {seq}): {x}' for x in fl]
    if a.pcap:
        wrpcap(a.pcap, [Ether(x) for x in frames])
    missing = total - sum(seen)
    if missing:
        faults.append(f'{missing} of the {total} stream bytes did not arrive')
    elif bytes(got) != want:
        faults.append('the bytes that arrived are not the stream sent')
    segs = a.count * -(-a.payload // a.mss)
    if len(frames) != segs:
        faults.append(f'{len(frames)} segments, expected {segs}')
    print(f'segments {len(frames)} bytes {nbytes} max_payload {top}')
    for x in faults[:20]:
        print('FAULT', x)
    if len(faults) > 20:
        print(f'FAULT ... {len(faults) - 20} more')
    return 1 if faults else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('pcap')
    p.add_argument('out')
    p.add_argument('count', type=int)
    p.add_argument('payload', type=int)
    p.set_defaults(fn=cmd_pcap)
    c = sub.add_parser('check')
    c.add_argument('wire')
    c.add_argument('count', type=int)
    c.add_argument('payload', type=int)
    c.add_argument('mss', type=int)
    c.add_argument('--vlan', type=int)
    c.add_argument('--pcap')
    c.set_defaults(fn=cmd_check)
    a = ap.parse_args()
    sys.exit(a.fn(a) or 0)


if __name__ == '__main__':
    main()
