#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Reactive flow-setup benchmark: new flows per second set up end to end.

A minimal OpenFlow 1.3 controller (plain sockets, pre-encoded messages:
os-ken's own cost per packet-in would be what is measured otherwise)
listens; sluiced connects to it. It installs table-miss -> controller,
then a sender process puts N frames, each of a new flow (its own source
MAC), into IN_IFACE at PPS. For each packet-in the controller sends a
flow-mod in_port=1,eth_src=MAC -> output:2 (no packet-out). When the
packet-ins stop it sends a barrier: the rate is the number of flows set up
over the time from the first frame sent to the barrier reply. A second
pass sends the same N frames again and counts them on OUT_IFACE (they
must now follow the new rules).

  reactive_flows.py PORT IN_IFACE OUT_IFACE N PPS
Prints one line: "flows N pps PPS packet_ins P flow_mods F seconds S
rate R/s second_pass_forwarded X".

  reactive_flows.py latency PORT IN_IFACE N GAP_MS
Packet-in latency of a switch at rest: N frames, one at a time GAP_MS apart
(the switch's control thread idle in between), each timed from its send()
to the packet-in's arrival here (both ends in this process). Prints one
line: "packet_in_latency_us n N median M p90 P max X".

  reactive_flows.py first-packet PORT IN_IFACE OUT_IFACE N GAP_MS
The switch's own first-packet latency at rest: rules in_port=1 -> output:2
and, above it, a drop for one eth_src that no frame has (so that every
cache entry is exact on eth_src); N frames, each of a new flow (its own
eth_src), one at a time GAP_MS apart, each timed from its send() on
IN_IFACE to its arrival on OUT_IFACE: every frame is a cache miss that the
switch decides itself (no controller involved). Prints one line:
"first_packet_us n N median M p90 P max X".
"""
import multiprocessing
import os
import socket
import struct
import sys
import time

# the test tools' AF_PACKET sockets (test/integration/rawsock.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'test', 'integration'))
from rawsock import packet_socket  # noqa: E402

V = 4
HELLO, ERROR, ECHO_REQ, ECHO_REP, FEATURES_REQ, FEATURES_REP = 0, 1, 2, 3, 5, 6
PACKET_IN, FLOW_MOD, BARRIER_REQ, BARRIER_REP = 10, 14, 20, 21
ETYPE = 0x88b5


def hdr(t, length, xid=0):
    return struct.pack('!BBHI', V, t, length, xid)


def flow_mod(oxm, actions, priority):
    match = struct.pack('!HH', 1, 4 + len(oxm)) + oxm
    match += b'\0' * (-len(match) % 8)
    instr = struct.pack('!HH4x', 4, 8 + len(actions)) + actions
    body = struct.pack('!QQBBHHHIIIH2x', 0, 0, 0, 0, 0, 0, priority,
                       0xffffffff, 0xffffffff, 0xffffffff, 0)
    n = 8 + len(body) + len(match) + len(instr)
    return hdr(FLOW_MOD, n) + body + match + instr


def output(port, max_len=0):
    return struct.pack('!HHIH6x', 0, 16, port, max_len)


TABLE_MISS = flow_mod(b'', output(0xfffffffd, 64), 0)
# in_port=1, eth_src=<6 bytes patched in> -> output:2
RULE = flow_mod(struct.pack('!II', 0x80000004, 1) + struct.pack('!I', 0x80000806) + bytes(6),
                output(2), 10)
MAC_OFF = 8 + 40 + 4 + 8 + 4  # header, body, match header, in_port OXM, eth_src OXM header


def frame(i):
    src = b'\x02' + struct.pack('!I', i) + b'\x01'
    return b'\x02\x00\x00\x00\x00\x02' + src + struct.pack('!HI', ETYPE, i) + bytes(46)


def sender(iface, n, pps, start_evt):
    s = packet_socket(iface)  # sends only
    frames = [frame(i) for i in range(n)]
    start_evt.wait()
    t0 = time.monotonic()
    for i, f in enumerate(frames):
        s.send(f)
        ahead = t0 + (i + 1) / pps - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)


def receiver(iface, seconds, q):
    s = packet_socket(iface, ETYPE)
    s.settimeout(0.1)
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        try:
            data, addr = s.recvfrom(2048)
        except socket.timeout:
            continue
        if addr[2] != socket.PACKET_OUTGOING and data[12:14] == b'\x88\xb5':
            n += 1
    q.put(n)


class Conn:
    def __init__(self, sock):
        self.s = sock
        self.buf = b''

    def msgs(self, timeout):
        """Messages that arrived within TIMEOUT (a list, maybe empty)."""
        self.s.settimeout(timeout)
        try:
            data = self.s.recv(1 << 20)
        except socket.timeout:
            return []
        if not data:
            raise SystemExit('switch closed the connection')
        self.buf += data
        out = []
        while len(self.buf) >= 8:
            length = struct.unpack('!H', self.buf[2:4])[0]
            if len(self.buf) < length:
                break
            out.append(self.buf[:length])
            self.buf = self.buf[length:]
        return out

    def wait_type(self, t, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for m in self.msgs(0.2):
                if m[1] == t:
                    return m
                self.other(m)
        raise SystemExit('no message of type %d' % t)

    def other(self, m):
        if m[1] == ECHO_REQ:
            self.s.sendall(hdr(ECHO_REP, len(m), struct.unpack('!I', m[4:8])[0]) + m[8:])
        elif m[1] == ERROR:
            raise SystemExit('switch sent OFPT_ERROR %s' % m[8:12].hex())


def run_pass(in_iface, out_iface, n, pps, seconds):
    q = multiprocessing.Queue()
    rx = multiprocessing.Process(target=receiver, args=(out_iface, seconds, q))
    rx.start()
    evt = multiprocessing.Event()
    tx = multiprocessing.Process(target=sender, args=(in_iface, n, pps, evt))
    tx.start()
    return q, rx, tx, evt


def accept_switch(port):
    """Wait for the switch, handshake, install table-miss -> controller."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.0.1', port))
    ls.listen(1)
    ls.settimeout(60)
    sock, _ = ls.accept()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c = Conn(sock)
    sock.sendall(hdr(HELLO, 8) + hdr(FEATURES_REQ, 8, 1))
    c.wait_type(FEATURES_REP)
    sock.sendall(TABLE_MISS + hdr(BARRIER_REQ, 8, 2))
    c.wait_type(BARRIER_REP)
    return sock, c


def time_frames(name, in_if, n, gap_ms, arrived):
    """Send frame i on IN_IF, one every GAP_MS; ARRIVED(i, deadline) waits
    until what the frame causes is seen (True) or the deadline passes;
    print the latencies of those seen."""
    tx = packet_socket(in_if)  # sends only
    lat = []
    for i in range(n):
        time.sleep(gap_ms / 1000.0)
        t0 = time.monotonic()
        tx.send(frame(i))
        if arrived(i, t0 + 1.0):
            lat.append((time.monotonic() - t0) * 1e6)
    lat.sort()
    if not lat:
        raise SystemExit('no frame came back')
    print('%s n %d median %.0f p90 %.0f max %.0f' %
          (name, len(lat), lat[len(lat) // 2], lat[len(lat) * 9 // 10], lat[-1]))


def latency(port, in_if, n, gap_ms):
    _, c = accept_switch(port)

    def packet_in(i, deadline):
        while time.monotonic() < deadline:
            ms = c.msgs(0.2)
            if any(m[1] == PACKET_IN for m in ms):
                return True
            for m in ms:
                c.other(m)
        return False

    time_frames('packet_in_latency_us', in_if, n, gap_ms, packet_in)
    return 0


def first_packet(port, in_if, out_if, n, gap_ms):
    sock, c = accept_switch(port)
    in_port1 = struct.pack('!II', 0x80000004, 1)
    never = struct.pack('!I', 0x80000806) + b'\x02\xff\xff\xff\xff\xff'
    sock.sendall(flow_mod(in_port1, output(2), 1) + flow_mod(in_port1 + never, b'', 10) +
                 hdr(BARRIER_REQ, 8, 3))
    c.wait_type(BARRIER_REP)
    rx = packet_socket(out_if, ETYPE)
    rx.settimeout(0.2)

    def forwarded(i, deadline):
        while time.monotonic() < deadline:
            try:
                data, addr = rx.recvfrom(2048)
            except socket.timeout:
                continue
            if addr[2] != socket.PACKET_OUTGOING and data[14:18] == struct.pack('!I', i):
                return True
        return False

    time_frames('first_packet_us', in_if, n, gap_ms, forwarded)
    return 0


def main():
    if len(sys.argv) == 7 and sys.argv[1] == 'first-packet':
        return first_packet(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]),
                            float(sys.argv[6]))
    if len(sys.argv) == 6 and sys.argv[1] == 'latency':
        return latency(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    if len(sys.argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    port, in_if, out_if, n, pps = (int(sys.argv[1]), sys.argv[2], sys.argv[3],
                                   int(sys.argv[4]), float(sys.argv[5]))
    sock, c = accept_switch(port)

    q, rx, tx, evt = run_pass(in_if, out_if, n, pps, n / pps + 3)
    time.sleep(0.5)
    t0 = time.monotonic()
    evt.set()
    pins = mods = 0
    rule = bytearray(RULE)
    idle_until = None
    t_last = t0
    while True:
        ms = c.msgs(0.05)
        out = []
        for m in ms:
            if m[1] != PACKET_IN:
                c.other(m)
                continue
            pins += 1
            mlen = struct.unpack('!H', m[26:28])[0]
            data = 24 + (mlen + 7) // 8 * 8 + 2
            rule[MAC_OFF:MAC_OFF + 6] = m[data + 6:data + 12]
            out.append(bytes(rule))
        if out:
            sock.sendall(b''.join(out))
            mods += len(out)
            t_last = time.monotonic()
        now = time.monotonic()
        if ms:
            idle_until = None
        elif not tx.is_alive():
            if idle_until is None:
                idle_until = now + 0.5
            elif now > idle_until:
                break
    t_bar = time.monotonic()
    sock.sendall(hdr(BARRIER_REQ, 8, 3))
    c.wait_type(BARRIER_REP)
    t1 = time.monotonic()
    tx.join()
    rx.join()
    first = q.get()

    q, rx, tx, evt = run_pass(in_if, out_if, n, min(pps, 20000), n / min(pps, 20000) + 2)
    time.sleep(0.5)
    evt.set()
    tx.join()
    rx.join()
    second = q.get()
    # first frame sent -> last flow-mod sent, plus the barrier round trip
    # (not the idle wait that decided the packet-ins had stopped)
    secs = t_last - t0 + (t1 - t_bar)
    print('flows %d pps %g packet_ins %d flow_mods %d seconds %.3f rate %.0f/s '
          'first_pass_forwarded %d second_pass_forwarded %d' %
          (n, pps, pins, mods, secs, mods / secs, first, second))
    return 0


if __name__ == '__main__':
    sys.exit(main())
