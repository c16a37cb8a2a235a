#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Sequence-numbered Ethernet frames for the os-ken integration tests.

  seqtraffic.py send IFACE N PPS [TIMES_FILE [SRC DST]]
      send N 64-byte frames (ethertype 0x88b5, MAC 02:00:00:00:00:SRC ->
      02:00:00:00:00:DST, defaults 1 -> 2) at about PPS frames/s; frame i
      carries i. TIMES_FILE ("-" for none) gets one line per frame:
      "i t" with t = time.monotonic() just after the send returned.
  seqtraffic.py recv IFACE SECONDS [SEQS_FILE]
      count 0x88b5 frames for SECONDS; print the count; SEQS_FILE gets the
      sequence numbers seen, one a line.
time.monotonic() is CLOCK_MONOTONIC, the same clock in every process, so
send times compare with times the os-ken apps record.
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from rawsock import packet_socket  # noqa: E402

ETYPE = 0x88b5


def send(iface, n, pps, times_file, src, dst):
    s = packet_socket(iface)  # sends only
    head = b'\x02\x00\x00\x00\x00' + bytes([dst]) + b'\x02\x00\x00\x00\x00' + bytes([src])
    times = []
    start = time.monotonic()
    for i in range(n):
        s.send(head + struct.pack('!HI', ETYPE, i) + bytes(46))
        now = time.monotonic()
        times.append(now)
        ahead = start + (i + 1) / pps - now
        if ahead > 0:
            time.sleep(ahead)
    if times_file != '-':
        with open(times_file, 'w') as f:
            f.writelines('%d %.9f\n' % (i, t) for i, t in enumerate(times))
    return 0


def recv(iface, seconds, seqs_file):
    s = packet_socket(iface, ETYPE)
    s.settimeout(0.1)
    end, seqs = time.monotonic() + seconds, []
    while time.monotonic() < end:
        try:
            data, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        # addr[2] is the packet type: skip what this host sent itself
        if addr[2] != socket.PACKET_OUTGOING and len(data) >= 18 and \
                struct.unpack('!H', data[12:14])[0] == ETYPE:
            seqs.append(struct.unpack('!I', data[14:18])[0])
    if seqs_file:
        with open(seqs_file, 'w') as f:
            f.writelines('%d\n' % q for q in seqs)
    print(len(seqs))
    return 0


def main():
    a = sys.argv
    if len(a) >= 5 and a[1] == 'send':
        times = a[5] if len(a) > 5 else '-'
        src = int(a[6]) if len(a) > 6 else 1
        dst = int(a[7]) if len(a) > 7 else 2
        return send(a[2], int(a[3]), float(a[4]), times, src, dst)
    if len(a) >= 4 and a[1] == 'recv':
        return recv(a[2], float(a[3]), a[4] if len(a) > 4 else None)
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
