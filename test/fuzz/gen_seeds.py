#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed inputs of the libFuzzer targets agent, xlate and exec as
test/fuzz/corpus/<target>/seed-*: deterministic (a fixed random seed), a
dozen small files each. The first byte of an input picks the harness's
mode (fuzz_agent.c: even structured, odd raw; fuzz_xlate.c: even
reference, odd wild); the rest is what the harness draws from, so random
bytes of a few sizes are good seeds, and the raw agent streams are OpenFlow
1.3 requests from test/data/openflow-vectors. Inputs kept as regressions
(regress-*) are left alone.

Usage: test/fuzz/gen_seeds.py [CORPUS_DIR]   (default: the corpus next to this file)
"""
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, '..', 'data', 'openflow-vectors', 'of13')


def vector(name):
    """The bytes of the OF1.3 vector whose file name ends with NAME.packet."""
    for f in sorted(os.listdir(VECTORS)):
        if f == name + '.packet' or f.endswith('-' + name + '.packet'):
            with open(os.path.join(VECTORS, f), 'rb') as fh:
                return fh.read()
    raise SystemExit('gen_seeds.py: no vector ' + name)


def stream(*names):
    return b''.join(vector(n) for n in names)


def write(corpus, target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as fh:
        fh.write(data)


def agent(corpus, rnd):
    for i, n in enumerate([24, 48, 96, 160, 320, 640]):
        write(corpus, 'agent', 'structured-%02d' % i, bytes([0]) + rnd.randbytes(n))
    raw = {
        'mods': ('ofp_flow_mod', 'ofp_group_mod', 'ofp_meter_mod', 'ofp_barrier_request',
                 'ofp_flow_stats_request', 'ofp_aggregate_stats_request',
                 'ofp_group_desc_request', 'ofp_meter_config_request', 'ofp_barrier_request'),
        'packet-out': ('ofp_packet_out', 'libofproto-OFP13-ofp_packet_out_packet_library',
                       'ofp_barrier_request'),
        'session': ('ofp_hello', 'ofp_features_request', 'ofp_get_config_request',
                    'ofp_set_config', 'ofp_role_request', 'ofp_get_async_request',
                    'ofp_set_async', 'ofp_echo_request', 'ofp_barrier_request'),
        'stats': ('ofp_desc_request', 'ofp_table_stats_request', 'ofp_port_stats_request',
                  'ofp_queue_stats_request', 'ofp_group_stats_request',
                  'ofp_group_features_request', 'ofp_meter_stats_request',
                  'ofp_meter_features_request', 'ofp_port_desc_request',
                  'ofp_table_features_request', 'ofp_queue_get_config_request'),
        'ports-tables': ('ofp_port_mod', 'ofp_table_mod', 'libofproto-OFP13-port_mod',
                         'libofproto-OFP13-table_mod', 'ofp_barrier_request'),
        'libofproto': ('libofproto-OFP13-flow_mod', 'libofproto-OFP13-meter_mod',
                       'libofproto-OFP13-set_config', 'libofproto-OFP13-echo_request',
                       'ofp_experimenter', 'ofp_barrier_request'),
    }
    for name, names in raw.items():
        write(corpus, 'agent', 'raw-' + name, bytes([1]) + stream(*names))


def xlate(corpus, rnd):
    for mode, label in ((0, 'reference'), (1, 'wild')):
        for i, n in enumerate([48, 96, 200, 400, 800, 1500]):
            write(corpus, 'xlate', '%s-%02d' % (label, i), bytes([mode]) + rnd.randbytes(n))


def execute(corpus, rnd):
    for i, n in enumerate([6, 10, 16, 20, 24, 32, 40, 48, 64, 96, 128, 200]):
        write(corpus, 'exec', '%02d' % i, rnd.randbytes(n))


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'corpus')
    rnd = random.Random(0x5115e)
    agent(corpus, rnd)
    xlate(corpus, rnd)
    execute(corpus, rnd)


if __name__ == '__main__':
    main()
