#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The host's end of the NIC guest's wires (scripts/vm/run-nic-guest.sh):
QEMU's dgram netdev sends each frame the emulated NIC transmits as one UDP
datagram to 127.0.0.1:UDP_BASE+2n-1 and takes each datagram it receives on
UDP_BASE+2n-2 as a frame on NIC n's wire.

  nic_wire.py capture PORT OUT SECONDS
      write every frame that arrives on UDP PORT to OUT, one hex line each,
      until SECONDS have passed (run it in the background; flushed per frame)
  nic_wire.py send PORT COUNT DST SRC TAG [--vlan VID]
      send COUNT frames DST <- SRC (ethertype 0x88b5, 802.1Q VID when given)
      whose payload is "TAG <i>", to UDP PORT (one datagram each)
  nic_wire.py send PORT COUNT DST SRC TAG --rate PPS [--until FILE] [--vlan VID]
      the same at a steady PPS frames a second (a fixed schedule, so the
      rate holds on average on a loaded host; after a stall of more than
      0.2 s it goes on from then, without a burst); with --until, stop as
      soon as FILE exists; print how many frames were sent
  nic_wire.py count OUT TAG [--vlan VID | --untagged] [--dst MAC]
      print how many frames in OUT carry TAG (and, when given, the VLAN,
      no VLAN tag, or the destination MAC)
  nic_wire.py gaps OUT TAG
      of the frames TAG 0..N (N the highest index that arrived): print
      "received N+1 missing longest_run" (distinct indexes; the longest run
      of consecutive missing indexes is the longest gap, in frames)
  nic_wire.py monitor SOCK COMMAND...
      run a QEMU monitor command (e.g. "set_link wire1 off") on the
      monitor's Unix socket SOCK and print its answer
"""
import argparse
import os
import socket
import struct
import time

ETH_TEST = 0x88b5  # IEEE "local experimental": nothing in the guest answers it
SO_RCVBUFFORCE = 33  # Linux; the socket module does not name it


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(':'))


def frame(dst, src, payload, vlan=None):
    hdr = mac_bytes(dst) + mac_bytes(src)
    if vlan is not None:
        hdr += struct.pack('!HH', 0x8100, vlan)
    body = hdr + struct.pack('!H', ETH_TEST) + payload
    return body + b'\0' * max(0, 60 - len(body))


def parse(raw):
    """(dst, vlan or None, payload) of a frame."""
    dst = ':'.join(f'{b:02x}' for b in raw[0:6])
    etype, off, vlan = struct.unpack('!H', raw[12:14])[0], 14, None
    if etype == 0x8100:
        vlan = struct.unpack('!H', raw[14:16])[0] & 0xfff
        etype, off = struct.unpack('!H', raw[16:18])[0], 18
    return dst, vlan, raw[off:] if etype == ETH_TEST else b''


def capture(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # a TSO frame cut by QEMU's igb arrives as a burst of up to 45
    # full-size datagrams at once, several frames back to back: the
    # default receive buffer (208 KiB) overflows while python writes
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
    except OSError:  # not root: what rmem_max allows
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
    s.bind(('127.0.0.1', a.port))
    end = time.monotonic() + a.seconds
    with open(a.out, 'w') as f:
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                raw = s.recv(65536)
            except socket.timeout:
                break
            f.write(raw.hex() + '\n')
            f.flush()


def send_paced(a, s):
    start = time.monotonic()
    sent = 0
    for i in range(a.count):
        if a.until and i % 8 == 0 and os.path.exists(a.until):
            break
        wait = start + i / a.rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        elif wait < -0.2:
            # stalled (a loaded host): go on from now rather than send the
            # backlog at once, which the TCG guest's rx ring could not take
            start -= wait
        s.sendto(frame(a.dst, a.src, f'{a.tag} {i}'.encode(), a.vlan), ('127.0.0.1', a.port))
        sent += 1
    print(sent)


def send(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if a.rate:
        send_paced(a, s)
        return
    for i in range(a.count):
        s.sendto(frame(a.dst, a.src, f'{a.tag} {i}'.encode(), a.vlan), ('127.0.0.1', a.port))
        if i % 32 == 31:
            time.sleep(0.01)  # the TCG guest's rx ring is 256 frames


def count(a):
    n = 0
    with open(a.out) as f:
        for line in f:
            dst, vlan, payload = parse(bytes.fromhex(line.strip()))
            if not payload.startswith(a.tag.encode() + b' '):
                continue
            if a.vlan is not None and vlan != a.vlan:
                continue
            if a.untagged and vlan is not None:
                continue
            if a.dst and dst != a.dst.lower():
                continue
            n += 1
    print(n)


def gaps(a):
    seen = set()
    tag = a.tag.encode() + b' '
    with open(a.out) as f:
        for line in f:
            payload = parse(bytes.fromhex(line.strip()))[2]
            if payload.startswith(tag):
                seen.add(int(payload[len(tag):].split(b'\0')[0]))
    top = max(seen) if seen else -1
    run = longest = 0
    for i in range(top + 1):
        run = 0 if i in seen else run + 1
        longest = max(longest, run)
    print(len(seen), top + 1, top + 1 - len(seen), longest)


def monitor(a):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(a.sock)
    out = b''
    while not out.endswith(b'(qemu) '):  # the banner and first prompt
        out += s.recv(4096)
    s.sendall(' '.join(a.command).encode() + b'\n')
    out = b''
    while not out.endswith(b'(qemu) '):
        out += s.recv(4096)
    # the answer, without the echoed command and the prompt
    print('\n'.join(out.decode(errors='replace').splitlines()[1:-1]))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('capture')
    c.add_argument('port', type=int)
    c.add_argument('out')
    c.add_argument('seconds', type=float)
    c.set_defaults(fn=capture)
    s = sub.add_parser('send')
    for k in ('port', 'count'):
        s.add_argument(k, type=int)
    for k in ('dst', 'src', 'tag'):
        s.add_argument(k)
    s.add_argument('--vlan', type=int)
    s.add_argument('--rate', type=float)
    s.add_argument('--until')
    s.set_defaults(fn=send)
    n = sub.add_parser('count')
    n.add_argument('out')
    n.add_argument('tag')
    n.add_argument('--vlan', type=int)
    n.add_argument('--untagged', action='store_true')
    n.add_argument('--dst')
    n.set_defaults(fn=count)
    gp = sub.add_parser('gaps')
    gp.add_argument('out')
    gp.add_argument('tag')
    gp.set_defaults(fn=gaps)
    m = sub.add_parser('monitor')
    m.add_argument('sock')
    m.add_argument('command', nargs='+')
    m.set_defaults(fn=monitor)
    a = ap.parse_args()
    a.fn(a)


if __name__ == '__main__':
    main()
