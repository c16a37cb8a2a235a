#!/usr/bin/python3
"""Write and compare pcap files for the integration tests (no scapy needed).

  pcap_tool.py gen FILE N        write N varied Ethernet frames (64..1514 bytes)
  pcap_tool.py cmp IN OUT        exit 0 if OUT holds exactly IN's frames, in order
"""
import random
import struct
import sys


def frames(n):
    rnd = random.Random(1234)
    for i in range(n):
        size = rnd.choice([60, 64, 128, 512, 1000, 1514, rnd.randint(60, 1514)])
        dst = bytes([0x02, 0, 0, 0, (i >> 8) & 0xff, i & 0xff])
        src = bytes([0x02, 0, 0, 1, 0, 1])
        body = bytes(rnd.getrandbits(8) for _ in range(size - 14))
        yield dst + src + struct.pack('!H', 0x0800 if i % 3 else 0x86dd) + body


def write(path, pkts):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack('<IIII', 1000 + i, 0, len(p), len(p)))
            f.write(p)


def read(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        raise SystemExit(f'{path}: not a little-endian pcap file')
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack('<IIII', data[off:off + 16])
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def main():
    if sys.argv[1] == 'gen':
        write(sys.argv[2], list(frames(int(sys.argv[3]))))
        return 0
    a, b = read(sys.argv[2]), read(sys.argv[3])
    if len(a) != len(b):
        print(f'FAIL: {len(a)} frames sent, {len(b)} received')
        return 1
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            print(f'FAIL: frame {i} differs ({len(x)} vs {len(y)} bytes)')
            return 1
    print(f'ok: {len(a)} frames byte-identical')
    return 0


if __name__ == '__main__':
    sys.exit(main())
