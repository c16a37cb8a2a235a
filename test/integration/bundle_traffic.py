#!/usr/bin/python3
"""Traffic through a bundle commit: is every frame forwarded by all-old or
all-new rules, and none lost? (test_bundle_atomic.sh)

  bundle_traffic.py IN_IFACE OLD_IFACE OLD_TOS NEW_IFACE NEW_TOS FLOWS ROUNDS COMMIT_CMD

Sends rounds of one UDP/IPv4 frame per flow (udp dst 1000+i, a sequence
number in the payload) into IN_IFACE: ROUNDS rounds, then rounds for as
long as COMMIT_CMD (a shell command: the bundle) runs, then ROUNDS more.
The switch's old rules rewrite the TOS to OLD_TOS and send to OLD_IFACE,
the new ones rewrite it to NEW_TOS and send to NEW_IFACE; each of the two
is done by its own table, so a frame that met half a bundle comes out
with the other table's half: NEW_TOS on OLD_IFACE or OLD_TOS on
NEW_IFACE. Prints the counts; exit 1 on a mixed,
lost, duplicated or unknown frame, or when no frame saw the old rules or
none the new ones (the swap did not happen under traffic).
"""
import json
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rawsock import ETH_P_ALL, packet_socket  # noqa: E402


def frame(flow, seq):
    payload = struct.pack('!II', 0x5b0d1e00, seq) + bytes(10)
    udp = struct.pack('!HHHH', 40000, 1000 + flow, 8 + len(payload), 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), seq & 0xffff, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 1, 1]))
    csum = 0
    for i in range(0, 20, 2):
        csum += ip[i] << 8 | ip[i + 1]
    while csum >> 16:
        csum = (csum & 0xffff) + (csum >> 16)
    ip = ip[:10] + struct.pack('!H', ~csum & 0xffff) + ip[12:]
    return b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00' + ip + udp


def parse(buf):
    """(seq, flow, tos) of one of our frames, else None."""
    if len(buf) < 14 + 20 + 8 + 8 or buf[12:14] != b'\x08\x00' or buf[23] != 17:
        return None
    ihl = (buf[14] & 0xf) * 4
    u = 14 + ihl
    dport = struct.unpack('!H', buf[u + 2:u + 4])[0]
    magic, seq = struct.unpack('!II', buf[u + 8:u + 16])
    if magic != 0x5b0d1e00:
        return None
    return seq, dport - 1000, buf[15]


def main():
    in_if, old_if, old_tos, new_if, new_tos = sys.argv[1:6]
    old_tos, new_tos = int(old_tos), int(new_tos)
    flows, rounds = int(sys.argv[6]), int(sys.argv[7])
    commit_cmd = sys.argv[8]
    tx = packet_socket(in_if)  # sends only
    rx = {}
    for name, iface in (('old', old_if), ('new', new_if)):
        rx[packet_socket(iface, ETH_P_ALL, rcvbuf=8 << 20)] = name
    seen = {}
    res = {'sent': 0, 'old': 0, 'new': 0, 'mixed': 0, 'dup': 0, 'unknown_tos': 0,
           'commit_rc': None, 'commit_at': None}
    stop = threading.Event()

    def receive():
        while not stop.is_set() or select.select(list(rx), [], [], 0)[0]:
            for s in select.select(list(rx), [], [], 0.2)[0]:
                buf, addr = s.recvfrom(2048)
                if addr[2] == socket.PACKET_OUTGOING:
                    continue
                p = parse(buf)
                if p is None:
                    continue
                seq, flow, tos = p
                side = rx[s]
                if seq in seen:
                    res['dup'] += 1
                    continue
                seen[seq] = side
                if (side, tos) in (('old', old_tos), ('new', new_tos)):
                    res[side] += 1
                elif (side, tos) in (('old', new_tos), ('new', old_tos)):
                    res['mixed'] += 1
                else:
                    res['unknown_tos'] += 1

    def commit():
        res['commit_at'] = res['sent']
        res['commit_rc'] = subprocess.call(commit_cmd, shell=True)

    rt = threading.Thread(target=receive)
    rt.start()
    ct = threading.Thread(target=commit)
    seq = 0
    # ROUNDS rounds before the commit, rounds while it runs, ROUNDS after
    for phase in range(3):
        if phase == 1:
            ct.start()
        r = 0
        while (r < rounds) if phase != 1 else ct.is_alive():
            for flow in range(flows):
                tx.send(frame(flow, seq))
                seq += 1
                res['sent'] += 1
                if seq % 8 == 0:
                    time.sleep(0.001)  # do not overrun the af_packet rings
            r += 1
    ct.join()
    total = seq
    deadline = time.time() + 10
    while len(seen) < total and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    stop.set()
    rt.join()
    res['lost'] = total - len(seen)
    print(json.dumps(res))
    ok = (res['commit_rc'] == 0 and res['lost'] == 0 and res['mixed'] == 0 and
          res['dup'] == 0 and res['unknown_tos'] == 0 and res['old'] > 0 and res['new'] > 0)
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
