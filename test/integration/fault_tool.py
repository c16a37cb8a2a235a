#!/usr/bin/python3
"""Traffic, counters and OpenFlow clients for the fault-injection tests
(test_fault_*.sh, scripts/soak.sh). No scapy: frames are built by hand.

Traffic (every sender prints the number of frames the kernel took; a send
the kernel refuses with ENOBUFS, a full queue, is retried, so that number
is exact):
  send IFACE N [--size B] [--src S] [--dst D] [--etype E] [--pps R]
       [--flows F] [--seq-base K] [--seconds T]
      N frames (or until T seconds passed, when N is 0) of B bytes from
      02:00:00:00:00:S to 02:00:00:00:00:D (D may be ff for broadcast);
      --flows F varies the source MAC's 4th and 5th bytes over F values
      (F flows: F table misses where a rule matches on the source MAC);
      --pps paces.
  gen FILE N SIZE [--vlan] [--ipv4] [--src S] [--dst D]
      N frames of SIZE bytes with a random payload: one length-prefixed
      record per frame (SIZE 9000: jumbo frames)
  ifstat IFACE...               "rx_packets tx_packets rx_dropped
                                tx_dropped" of each interface (sysfs)
  tel PREFIX CMD [KEY...]       a DPDK telemetry command of the sluiced
                                with that file prefix; print the JSON, or
                                the value at KEY/KEY...
  telsum PREFIX CMD FIELD       sum FIELD over the entries of CMD
                                (/sluice/workers: every worker)

Accounting (test_fault_*.sh):
  snap PREFIX OUT IFACE...      counters of sluiced (telemetry: ports, the
                                workers' sum) and of the interfaces, as JSON
  snapget SNAP KEY...           one value of a snapshot (if IFACE FIELD,
                                ports NAME FIELD, workers FIELD)
  acct BEFORE AFTER --sent N... [--sink IFACE]... [--ktxdrop IFACE]...
       [--agent LOG] [--row NAME=N]...
      every frame sent (the sum of --sent) must be received at a sink
      (interface rx_packets) or be in a named drop counter: the ports'
      rx_dropped / rx_errors / tx_errors, the workers' drop counters, the
      kernel's tx_dropped of an interface (--ktxdrop: a tap whose queue to
      sluiced is full), the agent's packet-in outcomes (--agent: the
      counters sluiced prints at exit) and --row extras. Prints the table;
      exit 1 when anything is unaccounted.
  freeze PID SECONDS            stop one thread (the control lcore: the
                                main thread, PID) for SECONDS with ptrace,
                                the others run on: the rings to it fill

OpenFlow 1.3 over TCP: HOSTPORT is HOST:PORT of sluiced's ptcp listener,
or listen:PORT to be a controller that sluiced connects to:
  halfmsg HOSTPORT ROUNDS       connect, hello, then half a message, close;
                                every third round in the middle of a batch
                                of flow-mods; prints what was sent
  flood HOSTPORT N RATE PRIO    N flow-mods (add, each its own match on
                                dl_src) at RATE per second, then a barrier:
                                prints "sent N seconds S barrier_ms B"
  barrier HOSTPORT [N GAP]      N barrier round trips GAP seconds apart:
                                prints the longest, in milliseconds
  deaf HOSTPORT SECONDS [READY] a controller that says hello, asks for the
                                features (then creates READY), and never
                                reads again: the switch's send queue fills
  pinctl HOSTPORT SECONDS OUT   a reading controller for SECONDS: writes
                                each packet-in's data (length-prefixed) to
                                OUT, then prints the count
  jumboctl HOSTPORT DONE        a controller driven by lines on stdin:
                                "out FRAMES OFPORT" packet-outs each frame
                                of FRAMES to OFPORT, then a barrier;
                                "collect SECONDS OUT" writes the data of
                                every packet-in until SECONDS pass without
                                one (and to OUT.short how many carried less
                                than total_len); "quit". After each
                                command it appends "done" to the file DONE
  cmp A B                       exit 0 when the two record files hold the
                                same frames (as multisets; order may differ
                                between ports), print their digests
"""
import errno
import hashlib
import json
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rawsock import ETH_P_ALL, packet_socket  # noqa: E402,F401 (barrier_rounds.py uses both)


# ---------------------------------------------------------------- traffic
def mac(last, flow=0):
    if last == 0xff:
        return b'\xff' * 6
    return bytes([0x02, 0, 0, (flow >> 8) & 0xff, flow & 0xff, last & 0xff])


def frame(size, src, dst, etype, seq, flow=0):
    hdr = mac(dst) + mac(src, flow) + struct.pack('!H', etype)
    body = struct.pack('!I', seq & 0xffffffff)
    return hdr + body + bytes(max(0, size - len(hdr) - len(body)))


def send_all(s, frames_iter, pps=0, seconds=0.0):
    """Send every frame; retry ENOBUFS/EAGAIN (the kernel took nothing)."""
    n = 0
    t0 = time.monotonic()
    for f in frames_iter:
        if seconds and time.monotonic() - t0 >= seconds:
            break
        while True:
            try:
                s.send(f)
                break
            except OSError as e:
                if e.errno not in (errno.ENOBUFS, errno.EAGAIN):
                    raise
                time.sleep(0.0005)
        n += 1
        if pps and n % 16 == 0:
            ahead = n / pps - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)
    return n


def opt(args, name, default, conv=int):
    if name in args:
        i = args.index(name)
        v = args[i + 1]
        del args[i:i + 2]
        return conv(v, 0) if conv is int else conv(v)
    return default


def flag(args, name):
    if name in args:
        args.remove(name)
        return True
    return False


def cmd_send(args):
    size = opt(args, '--size', 64)
    src = opt(args, '--src', 1)
    dst = opt(args, '--dst', 2)
    etype = opt(args, '--etype', 0x88b5)
    pps = opt(args, '--pps', 0)
    flows = opt(args, '--flows', 1)
    base = opt(args, '--seq-base', 0)
    seconds = opt(args, '--seconds', 0.0, float)
    iface, n = args[0], int(args[1])
    s = packet_socket(iface)  # sends only
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)

    def frames():
        i = 0
        while n == 0 or i < n:
            yield frame(size, src, dst, etype, base + i, i % flows)
            i += 1
    print(send_all(s, frames(), pps, seconds))


def read_records(path):
    out = []
    with open(path, 'rb') as f:
        data = f.read()
    off = 0
    while off + 4 <= len(data):
        (ln,) = struct.unpack('!I', data[off:off + 4])
        out.append(data[off + 4:off + 4 + ln])
        off += 4 + ln
    return out


def write_records(path, frames):
    with open(path, 'wb') as f:
        for fr in frames:
            f.write(struct.pack('!I', len(fr)) + fr)


def cmd_gen(args):
    vlan = flag(args, '--vlan')
    ipv4 = flag(args, '--ipv4')
    src = opt(args, '--src', 1)
    dst = opt(args, '--dst', 2)
    path, n, size = args[0], int(args[1]), int(args[2])
    rnd = random.Random(size * 7919 + n)
    out = []
    for i in range(n):
        hdr = mac(dst) + mac(src)
        if vlan:
            hdr += struct.pack('!HH', 0x8100, 100)
        if ipv4:
            plen = size - len(hdr) - 2
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, plen, i & 0xffff, 0, 64, 17, 0,
                             bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
            csum = ip_checksum(ip)
            ip = ip[:10] + struct.pack('!H', csum) + ip[12:]
            udp = struct.pack('!HHHH', 1000, 2000, plen - 20, 0)  # checksum 0: none
            body = struct.pack('!H', 0x0800) + ip + udp
        else:
            body = struct.pack('!HI', 0x88b5, i)
        pad = size - len(hdr) - len(body)
        out.append(hdr + body + bytes(rnd.getrandbits(8) for _ in range(pad)))
    write_records(path, out)


def ip_checksum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def cmd_cmp(args):
    a, b = read_records(args[0]), read_records(args[1])
    da = sorted(hashlib.sha256(x).hexdigest() for x in a)
    db = sorted(hashlib.sha256(x).hexdigest() for x in b)
    ha = hashlib.sha256(''.join(da).encode()).hexdigest()[:16]
    hb = hashlib.sha256(''.join(db).encode()).hexdigest()[:16]
    print(f'{len(a)} frames digest {ha} / {len(b)} frames digest {hb}')
    return 0 if da == db else 1


def ifstat(iface):
    d = f'/sys/class/net/{iface}/statistics/'
    vals = []
    for k in ('rx_packets', 'tx_packets', 'rx_dropped', 'tx_dropped'):
        try:
            with open(d + k) as f:
                vals.append(int(f.read()))
        except OSError:
            vals.append(0)
    return vals


def cmd_ifstat(args):
    for iface in args:
        print(*ifstat(iface))


# -------------------------------------------------------------- telemetry
def telemetry(prefix, cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(f'/var/run/dpdk/{prefix}/dpdk_telemetry.v2')
    json.loads(s.recv(16384))
    s.send(cmd.encode())
    data = json.loads(s.recv(1 << 20))
    s.close()
    return data[cmd.split(',')[0]]


def cmd_tel(args):
    v = telemetry(args[0], args[1])
    for k in args[2:]:
        v = v[k]
    print(json.dumps(v) if isinstance(v, (dict, list)) else v)


def cmd_telsum(args):
    v = telemetry(args[0], args[1])
    print(sum(int(e.get(args[2], 0)) for e in v.values()))


# ------------------------------------------------------------- accounting
WORKER_DROPS = ('tx_dropped', 'no_output', 'packet_in_drops', 'port_config_drops',
                'mtu_drops', 'runt_drops', 'seg_drops', 'tx_prepare_drops',
                'miss_budget_drops', 'handler_drops', 'recirc_depth_drops',
                'exec_copy_failures', 'exec_ttl_drops', 'exec_meter_drops',
                'exec_push_failures', 'exec_pullup_failures')
PORT_DROPS = ('rx_dropped', 'rx_errors', 'tx_errors')


def snapshot(prefix, ifaces):
    snap = {'ports': {}, 'workers': {}, 'if': {}}
    if prefix != '-':
        snap['ports'] = telemetry(prefix, '/sluice/ports')
        for w in telemetry(prefix, '/sluice/workers').values():
            for k, v in w.items():
                snap['workers'][k] = snap['workers'].get(k, 0) + int(v)
    for i in ifaces:
        snap['if'][i] = dict(zip(('rx_packets', 'tx_packets', 'rx_dropped', 'tx_dropped'),
                                 ifstat(i)))
        snap['if'][i].update(qdisc_stats(i))
    return snap


def qdisc_stats(iface):
    """The root qdisc's drops and backlog (frames a sender had handed over
    that the device has not taken yet)."""
    import subprocess
    out = subprocess.run(['tc', '-s', 'qdisc', 'show', 'dev', iface], capture_output=True,
                         text=True).stdout.splitlines()
    st = {'qdisc_dropped': 0, 'qdisc_backlog': 0}
    for i, line in enumerate(out):
        if line.startswith('qdisc ') and ' root ' in line:
            for l2 in out[i + 1:i + 3]:
                w = l2.replace(',', ' ').replace('(', ' ').split()
                if 'dropped' in w:
                    st['qdisc_dropped'] = int(w[w.index('dropped') + 1])
                if w and w[0] == 'backlog':
                    st['qdisc_backlog'] = int(w[2].rstrip('p'))
            break
    return st


def cmd_snap(args):
    with open(args[1], 'w') as f:
        json.dump(snapshot(args[0], args[2:]), f)


def cmd_snapget(args):
    v = json.load(open(args[0]))
    for k in args[1:]:
        v = v[k]
    print(v)


def agent_stats(log):
    for line in open(log, errors='replace'):
        if line.startswith('sluiced: agent:'):
            w = line.split()[2:]
            return {w[i]: int(w[i + 1]) for i in range(0, len(w) - 1, 2)}
    raise SystemExit(f'no agent counters in {log}')


def cmd_acct(args):
    before, after = (json.load(open(a)) for a in args[:2])
    sent, sinks, ktxdrop, rows = [], [], [], []
    agent = None
    it = iter(args[2:])
    for a in it:
        v = next(it)
        if a == '--sent':
            sent.append(int(v))
        elif a == '--sink':
            sinks.append(v)
        elif a == '--ktxdrop':
            ktxdrop.append(v)
        elif a == '--agent':
            agent = agent_stats(v)
        elif a == '--row':
            k, n = v.rsplit('=', 1)
            rows.append((k, int(n)))

    def d_if(i, k):
        return after['if'][i][k] - before['if'].get(i, {}).get(k, 0)
    table = [(f'received at {i} (rx_packets)', d_if(i, 'rx_packets')) for i in sinks]
    for name, p in sorted(after['ports'].items()):
        for k in PORT_DROPS:
            n = int(p.get(k, 0)) - int(before['ports'].get(name, {}).get(k, 0))
            if n:
                table.append((f'port {name} {k}', n))
    for k in WORKER_DROPS:
        n = after['workers'].get(k, 0) - before['workers'].get(k, 0)
        if n:
            table.append((f'workers {k}', n))
    for i in ktxdrop:
        n = d_if(i, 'tx_dropped')
        if n:
            table.append((f'kernel {i} tx_dropped', n))
    if agent is not None:
        for k in ('packet_ins_sent', 'packet_ins_rate_dropped', 'packet_ins_meter_dropped',
                  'packet_ins_queue_dropped', 'packet_ins_no_controller'):
            if agent.get(k):
                table.append((f'agent {k}', agent[k]))
    table += rows
    total = sum(sent)
    w = max([len(k) for k, _ in table] + [30])
    print(f'  {"sent (generators)":<{w}} {total:>10}')
    for k, n in table:
        print(f'  {k:<{w}} {n:>10}')
    un = total - sum(n for _, n in table)
    print(f'  {"unaccounted":<{w}} {un:>10}')
    info = []
    for name, p in sorted(after['ports'].items()):
        b = before['ports'].get(name, {})
        info.append(f'{name} rx {int(p.get("rx_packets", 0)) - int(b.get("rx_packets", 0))}'
                    f' tx {int(p.get("tx_packets", 0)) - int(b.get("tx_packets", 0))}')
    if info:
        wk = after['workers']
        print('  (sluiced ports: ' + ', '.join(info) + f'; workers rx '
              f'{wk.get("rx_packets", 0) - before["workers"].get("rx_packets", 0)} tx '
              f'{wk.get("tx_packets", 0) - before["workers"].get("tx_packets", 0)})')
    return 0 if un == 0 else 1


def cmd_freeze(args):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    tid, secs = int(args[0]), float(args[1])
    PTRACE_SEIZE, PTRACE_INTERRUPT, PTRACE_DETACH = 0x4206, 0x4207, 17
    if libc.ptrace(PTRACE_SEIZE, tid, None, None) != 0:
        raise SystemExit(f'ptrace seize {tid}: {os.strerror(ctypes.get_errno())}')
    libc.ptrace(PTRACE_INTERRUPT, tid, None, None)
    os.waitpid(tid, 0x40000000)  # __WALL
    print('frozen', flush=True)
    time.sleep(secs)
    libc.ptrace(PTRACE_DETACH, tid, None, None)
    print('thawed', flush=True)


# --------------------------------------------------------------- OpenFlow
OFP_VERSION = 4
T_HELLO, T_ERROR, T_ECHO_REQ, T_ECHO_REP, T_FEATURES_REQ = 0, 1, 2, 3, 5
T_PACKET_IN, T_PACKET_OUT, T_FLOW_MOD = 10, 13, 14
T_BARRIER_REQ, T_BARRIER_REP, T_ROLE_REQ = 20, 21, 24


def ofmsg(mtype, body=b'', xid=0):
    return struct.pack('!BBHI', OFP_VERSION, mtype, 8 + len(body), xid) + body


def oxm(field, value):
    return struct.pack('!HBB', 0x8000, field << 1, len(value)) + value


def match(*oxms):
    fields = b''.join(oxms)
    ln = 4 + len(fields)
    return struct.pack('!HH', 1, ln) + fields + bytes((8 - ln % 8) % 8)


def flow_mod(prio, m, actions=b'', cookie=0, command=0, table=0, out_port=0xffffffff):
    instr = b''
    if actions:
        instr = struct.pack('!HHI', 4, 8 + len(actions), 0) + actions  # APPLY_ACTIONS
    body = struct.pack('!QQBBHHHIIIH2x', cookie, 0, table, command, 0, 0, prio,
                       0xffffffff, out_port, 0xffffffff, 0)
    return body + m + instr


def act_output(port, max_len=0xffff):
    return struct.pack('!HHIH6x', 0, 16, port, max_len)


class OfConn:
    def __init__(self, hostport):
        host, port = hostport.rsplit(':', 1)
        if host == 'listen':  # be the controller sluiced connects to
            ls = socket.socket()
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind(('127.0.0.1', int(port)))
            ls.listen(1)
            ls.settimeout(60)
            self.s, _ = ls.accept()
            ls.close()
        else:
            self.s = socket.create_connection((host, int(port)), timeout=10)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b''
        self.xid = 1
        self.s.sendall(ofmsg(T_HELLO))

    def send(self, mtype, body=b''):
        self.xid += 1
        self.s.sendall(ofmsg(mtype, body, self.xid))
        return self.xid

    def recv(self, timeout=10.0):
        """One message (type, xid, body); echo requests are answered."""
        end = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 8:
                _, t, ln, xid = struct.unpack('!BBHI', self.buf[:8])
                if len(self.buf) >= ln:
                    body, self.buf = self.buf[8:ln], self.buf[ln:]
                    if t == T_ECHO_REQ:
                        self.s.sendall(ofmsg(T_ECHO_REP, body, xid))
                        continue
                    return t, xid, body
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError('no OpenFlow message')
            self.s.settimeout(left)
            d = self.s.recv(1 << 20)
            if not d:
                raise EOFError('connection closed')
            self.buf += d

    def wait(self, mtype, xid=None, timeout=10.0):
        while True:
            t, x, body = self.recv(timeout)
            if t == T_ERROR:
                et, ec = struct.unpack('!HH', body[:4])
                raise RuntimeError(f'OpenFlow error type {et} code {ec}')
            if t == mtype and (xid is None or x == xid):
                return body

    def barrier(self):
        t0 = time.monotonic()
        self.wait(T_BARRIER_REP, self.send(T_BARRIER_REQ), timeout=60)
        return (time.monotonic() - t0) * 1000


def cmd_halfmsg(args):
    hostport, rounds = args[0], int(args[1])
    for r in range(rounds):
        c = OfConn(hostport)
        c.wait(T_HELLO)
        fm = ofmsg(T_FLOW_MOD, flow_mod(5, match(oxm(4, mac(0x77, r))), act_output(2)), 1000 + r)
        if r % 3 == 2:
            # a batch: two whole flow-mods, then half of the third
            c.s.sendall(fm + fm + fm[:len(fm) // 2])
        elif r % 3 == 1:
            c.s.sendall(fm[:5])  # not even a whole header
        else:
            c.s.sendall(fm[:len(fm) - 3])
        if r % 2:
            c.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))  # RST
        c.s.close()
    print(rounds)


def cmd_flood(args):
    hostport, n, rate, prio = args[0], int(args[1]), float(args[2]), int(args[3])
    c = OfConn(hostport)
    c.wait(T_HELLO)
    t0 = time.monotonic()
    batch = []
    for i in range(n):
        m = match(oxm(4, bytes([0x02, 0x99, (i >> 24) & 0xff, (i >> 16) & 0xff,
                                (i >> 8) & 0xff, i & 0xff])))
        c.xid += 1
        batch.append(ofmsg(T_FLOW_MOD, flow_mod(prio, m, act_output(2), cookie=0xf100d), c.xid))
        if len(batch) == 50:
            c.s.sendall(b''.join(batch))
            batch = []
            ahead = (i + 1) / rate - (time.monotonic() - t0)
            if ahead > 0:
                time.sleep(ahead)
        if i % 1000 == 999:
            # keep reading: errors, echo requests
            c.s.setblocking(False)
            try:
                while True:
                    d = c.s.recv(1 << 16)
                    if not d:
                        raise EOFError('switch closed the connection')
                    c.buf += d
            except BlockingIOError:
                pass
            c.s.setblocking(True)
            while len(c.buf) >= 8:
                _, t, ln, _x = struct.unpack('!BBHI', c.buf[:8])
                if len(c.buf) < ln:
                    break
                if t == T_ERROR:
                    raise RuntimeError('flow-mod refused: ' + c.buf[8:ln].hex())
                c.buf = c.buf[ln:]
    if batch:
        c.s.sendall(b''.join(batch))
    sent_s = time.monotonic() - t0
    ms = c.barrier()
    print(f'sent {n} seconds {sent_s:.2f} rate {n / sent_s:.0f} barrier_ms {ms:.1f}')


def cmd_barrier(args):
    c = OfConn(args[0])
    c.wait(T_HELLO)
    count = int(args[1]) if len(args) > 1 else 1
    gap = float(args[2]) if len(args) > 2 else 0.0
    worst = 0.0
    for i in range(count):
        worst = max(worst, c.barrier())
        if i + 1 < count:
            time.sleep(gap)
    print(f'{worst:.1f}')


def cmd_deaf(args):
    c = OfConn(args[0])
    c.wait(T_HELLO)
    c.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.send(T_FEATURES_REQ)
    c.wait(6)  # features reply
    open(args[2], 'w').close() if len(args) > 2 else None
    time.sleep(float(args[1]))  # never read again: the switch's queue fills
    c.s.close()


def cmd_pinctl(args):
    c = OfConn(args[0])
    c.wait(T_HELLO)
    c.send(T_FEATURES_REQ)
    c.wait(6)
    out, n = [], 0
    open(args[2] + '.ready', 'w').close()
    end = time.monotonic() + float(args[1])
    while time.monotonic() < end:
        try:
            t, _, body = c.recv(max(0.05, end - time.monotonic()))
        except TimeoutError:
            break
        if t != T_PACKET_IN:
            continue
        # buffer_id(4) total_len(2) reason(1) table(1) cookie(8) match...
        mlen = struct.unpack('!H', body[18:20])[0]
        off = 16 + ((mlen + 7) // 8) * 8 + 2
        total = struct.unpack('!H', body[4:6])[0]
        data = body[off:]
        if len(data) != total:
            print(f'packet-in with {len(data)} of {total} bytes', file=sys.stderr)
        out.append(data)
        n += 1
    write_records(args[2], out)
    print(n)


def packet_in_data(body):
    """(data, total_len) of an OF1.3 packet-in body."""
    mlen = struct.unpack('!H', body[18:20])[0]
    off = 16 + ((mlen + 7) // 8) * 8 + 2
    return body[off:], struct.unpack('!H', body[4:6])[0]


def cmd_jumboctl(args):
    c = OfConn(args[0])
    c.wait(T_HELLO)
    c.send(T_FEATURES_REQ)
    c.wait(6)
    done = args[1]
    pending = []  # packet-ins seen while waiting for a barrier

    def note():
        with open(done, 'a') as f:
            f.write('done\n')
    note()
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        if w[0] == 'quit':
            break
        if w[0] == 'out':
            port = int(w[2])
            for fr in read_records(w[1]):
                acts = act_output(port)
                body = struct.pack('!IIH6x', 0xffffffff, 0xfffffffd, len(acts)) + acts + fr
                c.send(T_PACKET_OUT, body)
                time.sleep(0.002)
            xid = c.send(T_BARRIER_REQ)
            while True:
                t, x, body = c.recv(30)
                if t == T_PACKET_IN:
                    pending.append(body)
                elif t == T_ERROR:
                    raise RuntimeError('OpenFlow error ' + body[:4].hex())
                elif t == T_BARRIER_REP and x == xid:
                    break
        elif w[0] == 'collect':
            quiet, out = float(w[1]), w[2]
            bodies = pending
            pending = []
            while True:
                try:
                    t, _, body = c.recv(quiet)
                except TimeoutError:
                    break
                if t == T_PACKET_IN:
                    bodies.append(body)
            frames, short = [], 0
            for b in bodies:
                data, total = packet_in_data(b)
                short += len(data) != total
                frames.append(data)
            write_records(out, frames)
            with open(out + '.short', 'w') as f:
                f.write(f'{short}\n')
        note()


def main():
    cmds = {'send': cmd_send, 'gen': cmd_gen,
            'cmp': cmd_cmp, 'ifstat': cmd_ifstat, 'tel': cmd_tel, 'telsum': cmd_telsum,
            'halfmsg': cmd_halfmsg, 'flood': cmd_flood, 'barrier': cmd_barrier,
            'deaf': cmd_deaf, 'jumboctl': cmd_jumboctl, 'pinctl': cmd_pinctl,
            'snap': cmd_snap, 'snapget': cmd_snapget, 'acct': cmd_acct, 'freeze': cmd_freeze}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__)
        return 2
    return cmds[sys.argv[1]](sys.argv[2:]) or 0


if __name__ == '__main__':
    sys.exit(main())
