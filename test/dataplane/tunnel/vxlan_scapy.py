#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Our VXLAN bytes judged by scapy, an independent implementation.

Encap: every frame tnl_vectors builds for a VXLAN port must decode as Ether/IP|IPv6/UDP/VXLAN
with the VNI, the I flag, a UDP source port in 49152-65535, TTL 33, DF as
asked, an IPv4 header checksum and (IPv6) a UDP checksum equal to what scapy
computes, a zero UDP checksum over IPv4, and the inner frame unchanged.
Decap: frames scapy builds (flags 0x08 as Linux sends them: scapy's own
default over Ethernet is the VXLAN-GPE form, flags 0x0c, which is refused;
IPv4 options, IPv6) come back as their inner frame and VNI; malformed ones get the named
verdict. Usage: vxlan_scapy.py PATH/TO/tnl_vectors (exit 77 without scapy).
"""
import subprocess
import sys

try:
    from scapy.all import IP, UDP, Ether, IPv6, Raw
    from scapy.layers.vxlan import VXLAN
except ImportError:
    print("SKIP: python3-scapy is not installed")
    sys.exit(77)

TOOL = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(mode, stdin=""):
    out = subprocess.run([TOOL, "vxlan", mode], input=stdin, capture_output=True, text=True,
                         check=True, timeout=120)
    return [line.split(" ") for line in out.stdout.splitlines() if line]


def judge_encap():
    rows = run("encap")
    check(len(rows) == 10, "encap: 10 vectors")
    for name, inner_hex, frame_hex in rows:
        raw = bytes.fromhex(frame_hex)
        p = Ether(raw)
        v6 = IPv6 in p
        ip = p[IPv6] if v6 else p[IP]
        udp = p[UDP]
        check(VXLAN in p, f"{name}: decodes as VXLAN")
        check(udp.dport == 4789, f"{name}: UDP port 4789")
        check(49152 <= udp.sport <= 65535, f"{name}: source port {udp.sport} in 49152-65535")
        check(p[VXLAN].flags == 0x08, f"{name}: VXLAN flags I only")
        check(bytes(p[VXLAN].payload) == bytes.fromhex(inner_hex), f"{name}: inner unchanged")
        check(p.src == "02:10:00:00:00:01" and p.dst == "02:20:00:00:00:02", f"{name}: MACs")
        # scapy recomputes the checksums and lengths from scratch
        again = p.copy()
        if v6:
            check(ip.hlim == 33, f"{name}: hop limit")
            check(ip.plen == len(udp), f"{name}: payload length")
            del again[UDP].chksum
            check(Ether(bytes(again))[UDP].chksum == udp.chksum and udp.chksum != 0,
                  f"{name}: IPv6 UDP checksum {udp.chksum:#x}")
        else:
            check(ip.ttl == 33, f"{name}: TTL")
            check(ip.len == len(ip), f"{name}: total length")
            check(udp.chksum == 0, f"{name}: UDP checksum 0 over IPv4")
            check(("DF" in str(ip.flags)) == name.endswith(("_df", "_chained", "_shared")),
                  f"{name}: DF {ip.flags}")
            del again[IP].chksum
            check(Ether(bytes(again))[IP].chksum == ip.chksum, f"{name}: IPv4 checksum")
        check(udp.len == len(udp), f"{name}: UDP length")
    vnis = {r[0]: Ether(bytes.fromhex(r[2]))[VXLAN].vni for r in rows}
    check(vnis["v4_nodf"] == 0xabcdef and vnis["v6_odd"] == 16777215, f"VNIs {vnis}")


def judge_decap():
    inner = (Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
             IP(src="192.168.1.1", dst="192.168.1.2") / UDP(sport=7, dport=9) / Raw(b"z" * 300))
    v4 = Ether() / IP(src="10.0.0.2", dst="10.0.0.1") / UDP(sport=55555, dport=4789)
    v6 = Ether() / IPv6(src="2001:db8::2", dst="2001:db8::1") / UDP(sport=55555, dport=4789)
    cases = {
        "v4": (v4 / VXLAN(vni=5, flags=0x08) / inner, "tnl_ok", 5),
        "v6": (v6 / VXLAN(vni=70000, flags=0x08) / inner, "tnl_ok", 70000),
        "v4_options": (Ether() / IP(src="10.0.0.2", dst="10.0.0.1", options=b"\x01" * 4) /
                       UDP(sport=1, dport=4789) / VXLAN(vni=9, flags=0x08) / inner, "tnl_ok", 9),
        "bad_flags": (v4 / VXLAN(vni=5, flags=0x0c) / inner, "tnl_bad_flags", 0),
        "fragment": (Ether() / IP(src="10.0.0.2", dst="10.0.0.1", flags="MF") /
                     UDP(sport=1, dport=4789) / VXLAN(vni=5, flags=0x08) / inner, "tnl_bad_outer", 0),
        "other_vtep": (Ether() / IP(src="10.0.0.2", dst="10.0.0.9") / UDP(sport=1, dport=4789) /
                       VXLAN(vni=5, flags=0x08) / inner, "tnl_not_ours", 0),
        "other_port": (Ether() / IP(src="10.0.0.2", dst="10.0.0.1") / UDP(sport=1, dport=4790) /
                       VXLAN(vni=5, flags=0x08) / inner, "tnl_not_ours", 0),
    }
    lines = "".join(f"{k} {bytes(c[0]).hex()}\n" for k, c in cases.items())
    truncated = bytes(v4 / VXLAN(vni=5, flags=0x08) / inner)[:60]
    lines += f"truncated {truncated.hex()}\n"
    cases["truncated"] = (None, "tnl_truncated", 0)
    got = {r[0]: r[1:] for r in run("decap", lines)}
    for k, (pkt, verdict, vni) in cases.items():
        check(k in got, f"decap {k}: answered")
        if k not in got:
            continue
        check(got[k][0] == verdict, f"decap {k}: {got[k][0]}, want {verdict}")
        if verdict == "tnl_ok":
            check(int(got[k][1]) == vni, f"decap {k}: VNI {got[k][1]}, want {vni}")
            want_slot = "11" if IPv6 in pkt else "10"
            check(got[k][2] == want_slot, f"decap {k}: port slot {got[k][2]}, want {want_slot}")
            check(bytes.fromhex(got[k][3]) == bytes(inner), f"decap {k}: inner frame")


judge_encap()
judge_decap()
for f in failures:
    print("FAIL:", f)
print("vxlan_scapy: %d failures" % len(failures))
sys.exit(1 if failures else 0)
