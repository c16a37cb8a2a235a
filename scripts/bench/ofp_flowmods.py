#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""OpenFlow 1.3 flow-mod client for the PVP benchmark (S5 and S6).

ovs-ofctl spends about 10 us of its own CPU parsing each flow, which alone
would cap a measurement near 100 k flow-mods/s whatever the switch does;
this client pre-encodes the messages, so the time measured is the switch's.

  ofp_flowmods.py burst TARGET N
      N OFPFC_ADD flow-mods (table 0, priority 50, ip, nw_dst =
      172.16.0.0 + i, output:2: rules no benchmark packet hits), then one
      barrier; prints "N SECONDS RATE ERRORS", timed from the first byte
      sent to the barrier reply.
  ofp_flowmods.py churn TARGET RATE SECONDS
      RATE flow-mods per second for SECONDS (or until SIGTERM): 1000 rules
      (nw_dst 192.168.x.y, tables 1 and 2, never hit) re-added in tenths of
      a second with their output port flipping; a barrier each second.
      Prints "APPLIED SECONDS RATE ERRORS" (flow-mods confirmed by a
      barrier reply).
  ofp_flowmods.py echo TARGET RATE SECONDS
      the same client, messages and barriers, but each flow-mod sent as an
      echo request of the same size (the flow-mod as its payload): the
      control for S6, what the client's and the switch's socket work cost
      the traffic without any rule changing.
  ofp_flowmods.py self-test
      checks the encoding against known bytes.

TARGET: unix:PATH (OVS: .../br0.mgmt) or tcp:HOST:PORT (sluiced).
"""
import signal
import socket
import struct
import sys
import threading
import time

OFP_VERSION = 4
OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY = 0, 1, 2, 3
OFPT_FLOW_MOD, OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY = 14, 20, 21
OXM_ETH_TYPE = (0x8000 << 16) | (5 << 9) | 2
OXM_IPV4_DST = (0x8000 << 16) | (12 << 9) | 4


def header(msg_type, length, xid):
    return struct.pack("!BBHI", OFP_VERSION, msg_type, length, xid)


def flow_mod(xid, table, priority, ipv4_dst, out_port):
    """OFPFC_ADD: match ip,nw_dst=ipv4_dst; apply_actions output:out_port."""
    oxm = struct.pack("!IH", OXM_ETH_TYPE, 0x0800) + struct.pack("!II", OXM_IPV4_DST, ipv4_dst)
    match = struct.pack("!HH", 1, 4 + len(oxm)) + oxm
    match += b"\0" * (-len(match) % 8)
    action = struct.pack("!HHIH6x", 0, 16, out_port, 0)
    instr = struct.pack("!HH4x", 4, 8 + len(action)) + action
    body = struct.pack("!QQBBHHHIIIH2x", 0, 0, table, 0, 0, 0, priority,
                       0xffffffff, 0xffffffff, 0xffffffff, 0)
    length = 8 + len(body) + len(match) + len(instr)
    return header(OFPT_FLOW_MOD, length, xid) + body + match + instr


def connect(target):
    if target.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(target[5:])
    elif target.startswith("tcp:"):
        host, port = target[4:].rsplit(":", 1)
        s = socket.create_connection((host, int(port)))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    else:
        raise SystemExit("target must be unix:PATH or tcp:HOST:PORT")
    s.sendall(header(OFPT_HELLO, 8, 1))
    return s


class Reader(threading.Thread):
    """Reads everything the switch sends: counts errors, answers echoes,
    records barrier replies by xid with their arrival time."""

    def __init__(self, sock):
        super().__init__(daemon=True)
        self.sock = sock
        self.errors = 0
        self.barriers = {}
        self.cond = threading.Condition()
        self.closed = False

    def run(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except OSError:
                data = b""
            if not data:
                with self.cond:
                    self.closed = True
                    self.cond.notify_all()
                return
            buf += data
            while len(buf) >= 8:
                _, mtype, length, xid = struct.unpack("!BBHI", buf[:8])
                if length < 8 or len(buf) < length:
                    break
                msg, buf = buf[:length], buf[length:]
                if mtype == OFPT_ERROR:
                    self.errors += 1
                elif mtype == OFPT_ECHO_REQUEST:
                    self.sock.sendall(header(OFPT_ECHO_REPLY, length, xid) + msg[8:])
                elif mtype == OFPT_BARRIER_REPLY:
                    with self.cond:
                        self.barriers[xid] = time.monotonic()
                        self.cond.notify_all()

    def wait_barrier(self, xid, timeout):
        end = time.monotonic() + timeout
        with self.cond:
            while xid not in self.barriers and not self.closed:
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.barriers.get(xid)


def burst(target, n):
    msgs = b"".join(flow_mod(100 + i, 0, 50, (172 << 24 | 16 << 16) + i, 2)
                    for i in range(n))
    s = connect(target)
    reader = Reader(s)
    reader.start()
    # Settle the handshake first (one barrier), so only flow-mods are timed.
    s.sendall(header(OFPT_BARRIER_REQUEST, 8, 2))
    if reader.wait_barrier(2, 30) is None:
        raise SystemExit("no barrier reply from %s" % target)
    t0 = time.monotonic()
    s.sendall(msgs + header(OFPT_BARRIER_REQUEST, 8, 3))
    t1 = reader.wait_barrier(3, 600)
    if t1 is None:
        raise SystemExit("no barrier reply after the flow-mods")
    print("%d %.3f %.0f %d" % (n, t1 - t0, n / (t1 - t0), reader.errors))


def churn(target, rate, seconds, echo=False):
    s = connect(target)
    reader = Reader(s)
    reader.start()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    per_tick = max(1, rate // 10)
    sent, confirmed, gen, xid = 0, 0, 0, 1000
    pending = []  # (barrier xid, flow-mods it confirms)
    t0 = time.monotonic()
    tick = 0
    while not stop and time.monotonic() - t0 < seconds:
        batch = []
        for j in range(per_tick):
            i = (sent + j) % 1000
            xid += 1
            msg = flow_mod(xid, 1 + i % 2, 100, (192 << 24 | 168 << 16) + i,
                           1 + (gen + i) % 2)
            if echo:
                msg = header(OFPT_ECHO_REQUEST, len(msg), xid) + msg[8:]
            batch.append(msg)
        sent += per_tick
        gen += (sent % 1000) < per_tick  # flip outputs after each full pass
        tick += 1
        if tick % 10 == 0:
            xid += 1
            batch.append(header(OFPT_BARRIER_REQUEST, 8, xid))
            pending.append((xid, sent))
        s.sendall(b"".join(batch))
        while pending and pending[0][0] in reader.barriers:
            confirmed = pending.pop(0)[1]
        delay = t0 + tick / 10.0 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    elapsed = time.monotonic() - t0
    print("%d %.3f %.0f %d" % (confirmed, elapsed, confirmed / elapsed, reader.errors))
    sys.stdout.flush()


def self_test():
    got = flow_mod(7, 0, 50, 0xac100001, 2).hex()
    want = ("040e006000000007" "0000000000000000" "0000000000000000"
            "0000000000000032" "ffffffffffffffff" "ffffffff00000000"
            "00010012" "80000a020800" "80001804ac100001" "000000000000"
            "00040018" "00000000" "000000100000000200000000" "00000000")
    ok = got == want
    print("%s flow_mod encoding (96 bytes, OXM eth_type + ipv4_dst, output:2)"
          % ("ok  " if ok else "FAIL"))
    if not ok:
        print(" got  %s\n want %s" % (got, want))
    # An independent decoder, where installed: ovs-ofctl must read the
    # same rule back.
    try:
        import subprocess
        out = subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", "ofp-print", got],
                             capture_output=True, text=True, timeout=10).stdout
        dec = "ADD priority=50,ip,nw_dst=172.16.0.1 actions=output:2" in out
        print("%s ovs-ofctl ofp-print decodes it: %s" % ("ok  " if dec else "FAIL", out.strip()))
        ok = ok and dec
    except (OSError, subprocess.SubprocessError):
        print("skip ovs-ofctl ofp-print (not installed)")
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 2 and argv[1] == "self-test":
        return self_test()
    if len(argv) == 4 and argv[1] == "burst":
        burst(argv[2], int(argv[3]))
        return 0
    if len(argv) == 5 and argv[1] in ("churn", "echo"):
        churn(argv[2], int(argv[3]), float(argv[4]), echo=argv[1] == "echo")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
