#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Parsers and the result table of the PVP benchmark (scripts/bench/pvp.sh).

Subcommands:
  gen LOG T0 T1          testpmd generator counters of the last
                         "show port stats all" in LOG -> one line
                         "mpps loss_pct rx tx" over the window T0..T1
  telemetry PREFIX CMD   one DPDK telemetry command (v2 socket of the
                         process started with --file-prefix=PREFIX) -> JSON
  sluice-workers PREFIX  "busy_cycles rx_packets" summed over sluiced's
                         workers (/sluice/workers)
  cpp BEFORE AFTER       busy cycles per packet between two sluice-workers
                         snapshots ("-" when no packet)
  ovs-pmd FILE [CORES]   processing cycles per packet and upcalls of the
                         PMDs on CORES (comma list; default all) in an
                         "ovs-appctl dpif-netdev/pmd-stats-show" dump
                         -> "cpp upcalls"
  table RESULTS.tsv [N]  medians per (scenario, flows, switch) and the
                         ratios Sluice/OVS and Sluice/ceiling; N: switch
                         cores, Mpps printed per core
  self-test              checks the parsers on captured outputs

Only the Python standard library; run with /usr/bin/python3.
"""
import json
import os
import re
import socket
import statistics
import sys

# ---------------------------------------------------------------- testpmd


def parse_port_stats(text):
    """Last "NIC statistics for port N" block of each port ->
    {port: {"RX-packets": int, "TX-packets": int, ...}}."""
    ports = {}
    cur = None
    for line in text.splitlines():
        m = re.search(r"NIC statistics for port (\d+)", line)
        if m:
            cur = int(m.group(1))
            ports[cur] = {}
            continue
        if cur is None:
            continue
        if line.strip().startswith("####"):
            cur = None
            continue
        for key, val in re.findall(r"([A-Za-z-]+):\s+(\d+)", line):
            ports[cur][key] = int(val)
    return ports


def gen_window(text, t0, t1):
    """(mpps received, loss %, rx, tx) over a window of t1 - t0 seconds."""
    ports = parse_port_stats(text)
    if 0 not in ports or 1 not in ports:
        raise ValueError("no port statistics for ports 0 and 1")
    rx = sum(ports[p].get("RX-packets", 0) for p in (0, 1))
    tx = sum(ports[p].get("TX-packets", 0) for p in (0, 1))
    secs = t1 - t0
    if secs <= 0:
        raise ValueError("empty measurement window")
    # Packets the generator handed to the switch that never came back:
    # dropped inside the switch (or in flight at the end, a few hundred).
    loss = 100.0 * (tx - rx) / tx if tx > 0 else 0.0
    return rx / secs / 1e6, max(loss, 0.0), rx, tx


# ---------------------------------------------------------------- telemetry


def telemetry(prefix, cmd):
    """One command on the DPDK telemetry v2 socket of PREFIX."""
    path = os.path.join("/var/run/dpdk", prefix, "dpdk_telemetry.v2")
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.settimeout(5)
        s.connect(path)
        info = json.loads(s.recv(1 << 16).decode())
        s.send(cmd.encode())
        return json.loads(s.recv(info.get("max_output_len", 1 << 16)).decode())


def sluice_workers_sum(reply):
    """Sum busy_cycles and rx_packets over /sluice/workers."""
    workers = reply.get("/sluice/workers") or {}
    busy = sum(w.get("busy_cycles", 0) for w in workers.values())
    rx = sum(w.get("rx_packets", 0) for w in workers.values())
    return busy, rx


def cpp_between(before, after):
    b0, r0 = (int(x) for x in before.split())
    b1, r1 = (int(x) for x in after.split())
    return "-" if r1 <= r0 else "%.0f" % ((b1 - b0) / (r1 - r0))


# ---------------------------------------------------------------- OVS


def ovs_pmd(text, cores=None):
    """(processing cycles per packet, upcalls) over the PMD threads on CORES
    (a comma-separated list; None: all PMDs): the PMDs' processing cycles
    summed over their packets summed, so that several PMDs weigh by what
    each forwarded."""
    want = None if cores is None else {int(c) for c in str(cores).split(",")}
    cycles, packets, upcalls, inside, found = 0, 0, 0, False, False
    for line in text.splitlines():
        m = re.match(r"pmd thread numa_id \d+ core_id (\d+):", line)
        if m:
            inside = want is None or int(m.group(1)) in want
            continue
        if re.match(r"\S", line):  # "main thread:" or anything else
            inside = False
            continue
        if not inside:
            continue
        m = re.search(r"avg processing cycles per packet:\s+([0-9.]+)"
                      r"(?:\s+\((\d+)/(\d+)\))?", line)
        if m:
            found = True
            if m.group(2) is not None:
                cycles += int(m.group(2))
                packets += int(m.group(3))
            else:  # no totals printed: one PMD's average, unweighted
                cycles, packets = float(m.group(1)), 1
        m = re.search(r"miss with (?:success|failed) upcall:\s+(\d+)", line)
        if m:
            upcalls += int(m.group(1))
    if not found or packets == 0:
        return None, upcalls
    return cycles / packets, upcalls


# ---------------------------------------------------------------- table

COLUMNS = ("scenario", "flows", "switch", "rep", "mpps", "loss", "cpp",
           "metric", "note")


def load_results(path):
    rows = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            vals = line.rstrip("\n").split("\t")
            vals += [""] * (len(COLUMNS) - len(vals))
            rows.append(dict(zip(COLUMNS, vals)))
    return rows


def median_of(rows, key):
    vals = []
    for r in rows:
        try:
            vals.append(float(r[key]))
        except (ValueError, KeyError):
            pass
    return statistics.median(vals) if vals else None


def fmt(v, spec):
    return "-" if v is None else spec % v


def ratio(a, b):
    return "-" if a is None or not b else "%.2f" % (a / b)


def measured(row):
    """A row with a number: a packet rate, or a metric (S5 flow-mods/s)."""
    return any(row.get(k, "") not in ("", "-") for k in ("mpps", "metric"))


def pair(med, a, b):
    """The two numbers to compare: the scenario's metric (flow setups/s,
    flow-mods/s) when both switches have it, else their packet rates."""
    ma, mb = med.get(a), med.get(b)
    if ma is None or mb is None:
        return None, None
    if ma[1] is not None and mb[1] is not None:
        return ma[1], mb[1]
    return ma[0], mb[0]


def per_core(rows, cores):
    """Rows with Mpps divided by the switch cores (pvp.sh --workers N):
    ratios between switches stay what they were; metrics (setups/s,
    flow-mods/s) stay totals."""
    out = []
    for r in rows:
        r = dict(r)
        try:
            r["mpps"] = "%.4f" % (float(r["mpps"]) / cores)
        except (ValueError, KeyError):
            pass
        out.append(r)
    return out


def build_table(rows):
    """Lines of the result table, one per (scenario, flows)."""
    order = []
    groups = {}
    for r in rows:
        k = (r["scenario"], r["flows"])
        if k not in groups:
            groups[k] = {}
            order.append(k)
        groups[k].setdefault(r["switch"], []).append(r)
    out = ["%-10s %8s | %-26s | %-26s | %-26s | %-11s %-11s" % (
        "scenario", "flows", "sluice Mpps cyc/pkt loss%",
        "ovs Mpps cyc/pkt loss%", "ceiling Mpps cyc/pkt loss%",
        "sluice/ovs", "sluice/ceil")]
    out.append("-" * len(out[0]))
    notes = []
    skips = {}  # (switch, why) -> ["scenario flows", ...]
    for k in order:
        cells, med = [], {}
        for sw in ("sluice", "ovs", "ceiling"):
            rs = [r for r in groups[k].get(sw, []) if measured(r)]
            skipped = [r for r in groups[k].get(sw, []) if not measured(r)]
            if not rs:
                cells.append("%-26s" % ("skipped" if skipped else "-"))
                for r in skipped[:1]:
                    if r["note"]:
                        skips.setdefault((sw, r["note"]), []).append("%s %s" % k)
                continue
            m = median_of(rs, "mpps")
            metric = median_of(rs, "metric")
            med[sw] = (m, metric)
            if m is None:  # a control-plane rate only (S5)
                notes.append("%s %s %s: median %s %s" % (
                    k[0], k[1], sw, fmt(metric, "%.0f"), rs[0]["note"]))
                cells.append("%-26s" % ("%s/s (n=%d)" % (fmt(metric, "%.0f"), len(rs))))
                continue
            cells.append("%-26s" % ("%s %s %s (n=%d)" % (
                fmt(m, "%.3f"), fmt(median_of(rs, "cpp"), "%.0f"),
                fmt(median_of(rs, "loss"), "%.1f"), len(rs))))
            if metric is not None:
                notes.append("%s %s %s: median %s" % (
                    k[0], k[1], sw, fmt(metric, "%.0f") + " " + rs[0]["note"]))
        out.append("%-10s %8s | %s | %s | %s | %-11s %-11s" % (
            k[0], k[1], cells[0], cells[1], cells[2],
            ratio(*pair(med, "sluice", "ovs")),
            ratio(*pair(med, "sluice", "ceiling"))))
    # Switches beyond the three columns (sluice-xc): one line each.
    for k in order:
        for sw, rs in groups[k].items():
            if sw in ("sluice", "ovs", "ceiling"):
                continue
            rs = [r for r in rs if measured(r)]
            if rs:
                notes.append("%s %s %s: %s Mpps, %s cycles/pkt (n=%d)" % (
                    k[0], k[1], sw, fmt(median_of(rs, "mpps"), "%.3f"),
                    fmt(median_of(rs, "cpp"), "%.0f"), len(rs)))
    # S6: the rate under churn against the steady rate, per switch; and
    # against the rate under the echo control (same client, no rule change).
    for sw in ("sluice", "ovs", "ceiling"):
        def s6(part):
            return median_of([r for r in rows if r["scenario"] == "S6." + part
                              and r["switch"] == sw], "mpps")
        a, b, e = s6("churn"), s6("steady"), s6("echo")
        if a is not None and b:
            notes.append("S6 %s: rate under churn / steady rate = %.1f %%" % (sw, 100 * a / b))
        if a is not None and e and b:
            notes.append("S6 %s: rate under the echo control / steady = %.1f %%, "
                         "churn / echo control = %.1f %%" % (sw, 100 * e / b, 100 * a / e))
    for (sw, why), where in skips.items():
        notes.append("%s skipped in %s: %s" % (sw, ", ".join(where), why))
    if notes:
        out.append("")
        out.extend(notes)
    return out


# ---------------------------------------------------------------- self-test

SAMPLE_GEN = """
testpmd> show port stats all

  ######################## NIC statistics for port 0  ########################
  RX-packets: 1000       RX-missed: 0          RX-bytes:  60000
  RX-errors: 0
  RX-nombuf:  0
  TX-packets: 1200       TX-errors: 0          TX-bytes:  72000

  Throughput (since last show)
  Rx-pps:            0          Rx-bps:            0
  Tx-pps:            0          Tx-bps:            0
  ############################################################################

  ######################## NIC statistics for port 0  ########################
  RX-packets: 4000000    RX-missed: 0          RX-bytes:  240000000
  RX-errors: 0
  RX-nombuf:  0
  TX-packets: 5000000    TX-errors: 0          TX-bytes:  300000000
  ############################################################################

  ######################## NIC statistics for port 1  ########################
  RX-packets: 4000000    RX-missed: 0          RX-bytes:  240000000
  RX-errors: 0
  RX-nombuf:  0
  TX-packets: 5000000    TX-errors: 0          TX-bytes:  300000000
  ############################################################################
"""

SAMPLE_PMD = """pmd thread numa_id 0 core_id 1:
  packets received: 68719476
  packet recirculations: 0
  avg. datapath passes per packet: 1.00
  emc hits: 68000000
  megaflow hits: 719470
  miss with success upcall: 6
  miss with failed upcall: 0
  idle cycles: 0 (0.00%)
  processing cycles: 21990232555 (100.00%)
  avg cycles per packet: 320.00 (21990232555/68719476)
  avg processing cycles per packet: 320.00 (21990232555/68719476)
main thread:
  packets received: 0
  avg processing cycles per packet: 999.00 (1/1)
pmd thread numa_id 0 core_id 3:
  packets received: 1000
  miss with success upcall: 1
  avg processing cycles per packet: 1000.00 (1000000/1000)
"""


def self_test():
    failures = 0

    def check(what, got, want):
        nonlocal failures
        ok = got == want
        failures += not ok
        print("%s %s: got %r, want %r" % ("ok  " if ok else "FAIL", what, got, want))

    mpps, loss, rx, tx = gen_window(SAMPLE_GEN, 100.0, 102.0)
    check("gen rx uses the last block", rx, 8000000)
    check("gen tx", tx, 10000000)
    check("gen mpps", round(mpps, 3), 4.0)
    check("gen loss %", round(loss, 1), 20.0)
    try:
        gen_window("no stats here", 0, 1)
        check("gen without stats raises", False, True)
    except ValueError:
        check("gen without stats raises", True, True)
    cpp1, up1 = ovs_pmd(SAMPLE_PMD, 1)
    check("ovs pmd core 1", (round(cpp1, 2), up1), (320.0, 6))
    check("ovs pmd main thread ignored", ovs_pmd(SAMPLE_PMD, 7), (None, 0))
    cpp2, up2 = ovs_pmd(SAMPLE_PMD, "1,3")
    check("ovs two pmds weigh by packets", (round(cpp2, 3), up2),
          (round((21990232555 + 1000000) / (68719476 + 1000), 3), 7))
    check("ovs all pmds by default", ovs_pmd(SAMPLE_PMD)[1], 7)
    check("sluice cpp", cpp_between("1000 10", "4200 20"), "320")
    check("sluice cpp no packets", cpp_between("1000 10", "4200 10"), "-")
    rows = [dict(zip(COLUMNS, v)) for v in (
        ("S1", "1", "sluice", "1", "7.0", "0", "330", "", ""),
        ("S1", "1", "sluice", "2", "7.4", "0", "320", "", ""),
        ("S1", "1", "sluice", "3", "9.0", "0", "300", "", ""),
        ("S1", "1", "ovs", "1", "6.0", "0.1", "400", "", ""),
        ("S1", "1", "ceiling", "1", "8.0", "0", "300", "", ""),
        ("S1", "1", "sluice-xc", "1", "7.9", "0", "305", "", ""),
        ("S3", "1000", "sluice", "1", "-", "", "", "", "needs the OpenFlow agent"),
        ("S3", "65536", "sluice", "1", "-", "", "", "", "needs the OpenFlow agent"),
        ("S3", "1000", "ovs", "1", "3.0", "0", "850", "", ""),
        ("S5", "100000", "sluice", "1", "-", "-", "-", "600000", "flow-mods/s"),
        ("S5", "100000", "ovs", "1", "-", "-", "-", "200000", "flow-mods/s"),
    )]
    table = build_table(rows)
    s1 = [l for l in table if l.startswith("S1 ")][0]
    check("median of 3 reps", "7.400" in s1, True)
    check("sluice/ovs ratio", "1.23" in s1, True)
    check("sluice/ceiling ratio", "0.93" in s1, True)
    check("extra switch on its own line",
          any(l.startswith("S1 1 sluice-xc: 7.900 Mpps") for l in table), True)
    s3 = [l for l in table if l.startswith("S3 ")][0]
    check("skipped cell", "skipped" in s3, True)
    check("skip note", any("needs the OpenFlow agent" in l for l in table), True)
    check("skip note once", sum("needs the OpenFlow agent" in l for l in table), 1)
    s5 = [l for l in table if l.startswith("S5 ")][0]
    check("S5 metric-only rows are measured", "skipped" in s5, False)
    check("S5 ratio on the metric", "3.00" in s5, True)
    rows2 = [dict(zip(COLUMNS, v)) for v in (
        ("S4", "16777216", "sluice", "1", "0.5", "0", "900", "500000", "flow setups/s"),
        ("S4", "16777216", "ovs", "1", "0.1", "0", "9000", "100000", "flow setups/s"),
        ("S4", "16777216", "ceiling", "1", "2.0", "0", "300", "", ""),
    )]
    s4 = [l for l in build_table(rows2) if l.startswith("S4 ")][0]
    check("S4 sluice/ovs on setups, sluice/ceiling on Mpps",
          s4.split("|")[-1].split(), ["5.00", "0.25"])
    rows3 = [dict(zip(COLUMNS, v)) for v in (
        ("S6.steady", "1000", "sluice", "1", "8.0", "0", "260", "", ""),
        ("S6.churn", "1000", "sluice", "1", "7.0", "0", "300", "", "1000 flow-mods/s"),
        ("S6.echo", "1000", "sluice", "1", "7.2", "0", "290", "", "1000 echo requests/s"),
    )]
    pc = per_core(rows, 4)
    check("per core: Mpps / cores", pc[0]["mpps"], "1.7500")
    check("per core: metric-only rows untouched", (pc[9]["mpps"], pc[9]["metric"]),
          ("-", "600000"))
    s1pc = [l for l in build_table(pc) if l.startswith("S1 ")][0]
    check("per core: ratios unchanged", s1pc.split("|")[-1].split(), s1.split("|")[-1].split())
    t6 = build_table(rows3)
    check("S6 churn / steady", "S6 sluice: rate under churn / steady rate = 87.5 %" in t6, True)
    check("S6 echo control",
          "S6 sluice: rate under the echo control / steady = 90.0 %, "
          "churn / echo control = 97.2 %" in t6, True)
    print("%d failure(s)" % failures)
    return 1 if failures else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "gen":
        with open(args[0], errors="replace") as f:
            mpps, loss, rx, tx = gen_window(f.read(), float(args[1]), float(args[2]))
        print("%.4f %.2f %d %d" % (mpps, loss, rx, tx))
    elif cmd == "telemetry":
        print(json.dumps(telemetry(args[0], args[1])))
    elif cmd == "sluice-workers":
        print("%d %d" % sluice_workers_sum(telemetry(args[0], "/sluice/workers")))
    elif cmd == "cpp":
        print(cpp_between(args[0], args[1]))
    elif cmd == "ovs-pmd":
        with open(args[0], errors="replace") as f:
            cpp, upcalls = ovs_pmd(f.read(), args[1] if len(args) > 1 else None)
        print("%s %d" % ("-" if cpp is None else "%.0f" % cpp, upcalls))
    elif cmd == "table":
        rows = load_results(args[0])
        cores = int(args[1]) if len(args) > 1 else 1
        print("\n".join(build_table(per_core(rows, cores) if cores > 1 else rows)))
    elif cmd == "self-test":
        return self_test()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
