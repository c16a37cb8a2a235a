#!/usr/bin/python3
"""Send and count Ethernet frames on a Linux interface (AF_PACKET).

  rawsock.py send IFACE N [ETHERTYPE [SRC DST]]  send N 64-byte frames from MAC
                                          02:00:00:00:00:SRC to 02:00:00:00:00:DST
                                          (default SRC 1, DST 2)
  rawsock.py recv IFACE SECONDS [ETHERTYPE]  print how many frames of that ethertype arrived
The ethertype (default 0x88b5, IEEE local experimental) keeps the kernel's own
chatter (IPv6 ND, LLDP...) out of the count.

The test tools' AF_PACKET sockets come from packet_socket() here (imported by
fault_tool.py, bundle_traffic.py, osken/seqtraffic.py, test_rebalance.sh and
scripts/bench/reactive_flows.py).
"""
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003  # every ethertype
SO_RCVBUFFORCE = 33  # <asm-generic/socket.h>; Python's socket module lacks it


def packet_socket(iface, proto=0, rcvbuf=0):
    """An AF_PACKET socket on IFACE that receives the frames of ethertype
    PROTO (ETH_P_ALL: every frame; 0: none, a socket that only sends).

    The socket is opened with protocol 0 and PROTO is given at bind(): a
    socket opened with a protocol receives that protocol from every
    interface, another test's included, until bind() narrows it to one, so
    a count could include foreign frames queued in between. RCVBUF (bytes,
    0: the default) is forced (SO_RCVBUFFORCE, root: past rmem_max) before
    the bind, so that it holds from the first frame.
    """
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
    s.bind((iface, proto))
    return s


def main():
    cmd, iface = sys.argv[1], sys.argv[2]
    etype = int(sys.argv[4], 0) if len(sys.argv) > 4 else 0x88b5
    s = packet_socket(iface, etype if cmd == 'recv' else 0)
    if cmd == 'send':
        src = int(sys.argv[5]) if len(sys.argv) > 5 else 1
        dst = int(sys.argv[6]) if len(sys.argv) > 6 else 2
        for i in range(int(sys.argv[3])):
            frame = (b'\x02\x00\x00\x00\x00' + bytes([dst]) + b'\x02\x00\x00\x00\x00' + bytes([src]) +
                     struct.pack('!HI', etype, i) + bytes(46))
            s.send(frame)
            if i % 16 == 15:
                time.sleep(0.001)  # do not overrun the af_packet ring
        return 0
    s.settimeout(0.1)
    end, n = time.time() + float(sys.argv[3]), 0
    while time.time() < end:
        try:
            data = s.recv(2048)
        except socket.timeout:
            continue
        if len(data) >= 14 and struct.unpack('!H', data[12:14])[0] == etype:
            n += 1
    print(n)
    return 0


if __name__ == '__main__':
    sys.exit(main())
