#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""check_barrier.py TIMES OLD_SEQS NEW_SEQS BARRIER_JSON: barrier truth.

TIMES: "seq t_sent" lines from seqtraffic.py; OLD/NEW_SEQS: sequence
numbers captured on the old and the new output; BARRIER_JSON: [t_mod,
t_reply] from osken/barrier.py (same CLOCK_MONOTONIC). Every frame sent
after t_reply must have taken the new output. Exit 1 otherwise.
"""
import json
import sys


def main():
    times = {}
    with open(sys.argv[1]) as f:
        for line in f:
            q, t = line.split()
            times[int(q)] = float(t)
    old = [int(x) for x in open(sys.argv[2])]
    new = [int(x) for x in open(sys.argv[3])]
    t_mod, t_reply = json.load(open(sys.argv[4]))
    after = [q for q, t in times.items() if t > t_reply]
    window = [q for q, t in times.items() if t_mod <= t <= t_reply]
    late = [q for q in old if times[q] > t_reply]
    new_after = [q for q in new if times[q] > t_reply]
    print('sent %d, old path %d, new path %d; sent between flow-mod and barrier reply %d '
          '(%.2f ms); sent after the reply %d: %d on the new path, %d on the old' %
          (len(times), len(old), len(new), len(window), (t_reply - t_mod) * 1e3,
           len(after), len(new_after), len(late)))
    if late:
        print('FAIL: frames sent after the barrier reply took the old path: %s' % late[:10])
        return 1
    if not old or not new_after:
        print('FAIL: the traffic did not cross the rule change')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
