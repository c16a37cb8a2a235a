#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Our Geneve bytes judged by scapy (scapy.contrib.geneve), an independent
implementation.

Encap: every frame tnl_vectors builds for a Geneve port must decode as
Ether/IP|IPv6/UDP/GENEVE to port 6081 with the VNI, version 0, no options,
O and C clear, protocol type 0x6558, a UDP source port in 49152-65535, TTL
33, DF as asked, an IPv4 header checksum and (IPv6) a UDP checksum equal to
what scapy computes, a zero UDP checksum over IPv4, the inner frame
unchanged. Decap: frames scapy builds (no options, non-critical options
of several lengths, IPv6) come back as their inner frame, VNI and port;
critical options, the O bit, version 1, another protocol type, options
past the datagram's end, a VXLAN header on the Geneve port and a Geneve
header on the VXLAN port get their named verdicts.
Usage: geneve_scapy.py PATH/TO/tnl_vectors (exit 77 without scapy).
"""
import subprocess
import sys

try:
    from scapy.all import IP, UDP, Ether, IPv6, Raw
    from scapy.contrib.geneve import GENEVE, GeneveOptions
    from scapy.layers.vxlan import VXLAN
except ImportError:
    print("SKIP: python3-scapy (with scapy.contrib.geneve) is not installed")
    sys.exit(77)

TOOL = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(mode, stdin=""):
    out = subprocess.run([TOOL, "geneve", mode], input=stdin, capture_output=True, text=True,
                         check=True, timeout=120)
    return [line.split(" ") for line in out.stdout.splitlines() if line]


def judge_encap():
    rows = run("encap")
    check(len(rows) == 10, "encap: 10 vectors")
    for name, inner_hex, frame_hex in rows:
        p = Ether(bytes.fromhex(frame_hex))
        v6 = IPv6 in p
        ip = p[IPv6] if v6 else p[IP]
        udp = p[UDP]
        check(GENEVE in p, f"{name}: decodes as Geneve")
        if GENEVE not in p:
            continue
        g = p[GENEVE]
        check(udp.dport == 6081, f"{name}: UDP port 6081")
        check(49152 <= udp.sport <= 65535, f"{name}: source port {udp.sport} in 49152-65535")
        check(g.version == 0 and g.optionlen == 0 and g.oam == 0 and g.critical == 0 and
              g.reserved == 0 and g.reserved2 == 0, f"{name}: Geneve header {bytes(g)[:8].hex()}")
        check(g.proto == 0x6558, f"{name}: protocol type {g.proto:#x}")
        check(bytes(g.payload) == bytes.fromhex(inner_hex), f"{name}: inner unchanged")
        check(p.src == "02:10:00:00:00:01" and p.dst == "02:20:00:00:00:02", f"{name}: MACs")
        check(ip.dst in ("10.0.0.2", "2001:db8::2"), f"{name}: outer destination {ip.dst}")
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
    vnis = {r[0]: Ether(bytes.fromhex(r[2]))[GENEVE].vni for r in rows}
    check(vnis.get("v4_nodf") == 0xabcdef and vnis.get("v6_odd") == 16777215 and
          vnis.get("v4_retarget_df") == 11 and vnis.get("v6_retarget") == 12, f"VNIs {vnis}")


def opt(length_words, critical=False):
    """A Geneve option of 4 + 4 * length_words bytes (type bit 7: critical)."""
    return GeneveOptions(classid=0x0102, type=0x80 | 3 if critical else 3,
                         data=b"o" * (4 * length_words))


def judge_decap():
    inner = (Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
             IP(src="192.168.1.1", dst="192.168.1.2") / UDP(sport=7, dport=9) / Raw(b"z" * 300))
    v4 = Ether() / IP(src="10.0.0.2", dst="10.0.0.1") / UDP(sport=55555, dport=6081)
    v4_3 = Ether() / IP(src="10.0.0.3", dst="10.0.0.1") / UDP(sport=55555, dport=6081)
    v6 = Ether() / IPv6(src="2001:db8::2", dst="2001:db8::1") / UDP(sport=55555, dport=6081)
    vx = Ether() / IP(src="10.0.0.2", dst="10.0.0.1") / UDP(sport=55555, dport=4789)

    def gnv(**kw):
        kw.setdefault("proto", 0x6558)
        if "options" in kw and "optionlen" not in kw:
            # scapy 2.5 miscounts options over 60 bytes: Opt Len set here
            kw["optionlen"] = len(bytes(kw["options"])) // 4
        return GENEVE(**kw)

    cases = {
        "v4": (v4 / gnv(vni=5) / inner, "tnl_ok", 5, 10),
        "v6": (v6 / gnv(vni=70000) / inner, "tnl_ok", 70000, 11),
        "v4_fixed": (v4_3 / gnv(vni=77) / inner, "tnl_ok", 77, 12),
        "v4_fixed_other_vni": (v4_3 / gnv(vni=78) / inner, "tnl_ok", 78, 10),
        "opt_1": (v4 / gnv(vni=6, options=opt(0)) / inner, "tnl_ok", 6, 10),
        "opt_3": (v4 / gnv(vni=7, options=opt(0) / opt(1) / opt(2)) / inner, "tnl_ok", 7, 10),
        # the most there can be: Opt Len 63, 252 bytes
        "opt_v6_most": (v6 / gnv(vni=8, options=opt(20) / opt(20) / opt(20)) / inner,
                        "tnl_ok", 8, 11),
        "opt_fixed": (v4_3 / gnv(vni=77, options=opt(5)) / inner, "tnl_ok", 77, 12),
        "critical": (v4 / gnv(vni=5, critical=1, options=opt(1, True)) / inner,
                     "tnl_geneve_critical", 0, 0),
        "critical_fixed": (v4_3 / gnv(vni=77, critical=1, options=opt(1, True)) / inner,
                           "tnl_geneve_critical", 0, 0),
        "oam": (v4 / gnv(vni=5, oam=1) / inner, "tnl_geneve_control", 0, 0),
        "version": (v4 / gnv(vni=5, version=1) / inner, "tnl_geneve_version", 0, 0),
        "ipv4_payload": (v4 / gnv(vni=5, proto=0x0800) / inner[IP], "tnl_geneve_proto", 0, 0),
        # 252 bytes of options announced, 100 bytes follow the header
        "opt_past_end": (v4 / gnv(vni=5, optionlen=63) / Raw(b"x" * 100), "tnl_truncated", 0, 0),
        "vxlan_on_geneve": (v4 / VXLAN(vni=5, flags=0x08) / inner, "tnl_geneve_proto", 0, 0),
        "geneve_on_vxlan": (vx / gnv(vni=5) / inner, "tnl_bad_flags", 0, 0),
        "vxlan_on_vxlan": (vx / VXLAN(vni=5, flags=0x08) / inner, "tnl_ok", 5, 13),
        "other_port": (Ether() / IP(src="10.0.0.2", dst="10.0.0.1") / UDP(sport=1, dport=6082) /
                       gnv(vni=5) / inner, "tnl_not_ours", 0, 0),
    }
    lines = "".join(f"{k} {bytes(c[0]).hex()}\n" for k, c in cases.items())
    truncated = bytes(v4 / gnv(vni=5) / inner)[:60]
    lines += f"truncated {truncated.hex()}\n"
    cases["truncated"] = (None, "tnl_truncated", 0, 0)
    got = {r[0]: r[1:] for r in run("decap", lines)}
    for k, (pkt, verdict, vni, slot) in cases.items():
        check(k in got, f"decap {k}: answered")
        if k not in got:
            continue
        check(got[k][0] == verdict, f"decap {k}: {got[k][0]}, want {verdict}")
        if verdict == "tnl_ok":
            check(int(got[k][1]) == vni, f"decap {k}: VNI {got[k][1]}, want {vni}")
            check(int(got[k][2]) == slot, f"decap {k}: port slot {got[k][2]}, want {slot}")
            check(bytes.fromhex(got[k][3]) == bytes(inner), f"decap {k}: inner frame")


judge_encap()
judge_decap()
for f in failures:
    print("FAIL:", f)
print("geneve_scapy: %d failures" % len(failures))
sys.exit(1 if failures else 0)
