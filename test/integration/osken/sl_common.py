# SPDX-License-Identifier: BSD-3-Clause
"""Helpers shared by the os-ken apps of the Sluice integration tests.

The shell test and the app talk through files in $SL_OSKEN_DIR: the app
writes facts (`put`), the shell creates trigger files the app waits for
(`wait_for`). Apps are started with PYTHONPATH pointing here.
"""
import json
import os
import time

from os_ken.lib import hub

DIR = os.environ.get('SL_OSKEN_DIR', '/tmp')
NAME = os.environ.get('SL_OSKEN_NAME', 'app')


def path(name):
    """The file NAME of this app in the shared directory."""
    return os.path.join(DIR, '%s.%s' % (NAME, name))


def put(name, value):
    """Write VALUE (JSON) to the file NAME atomically."""
    tmp = path(name) + '.tmp'
    with open(tmp, 'w') as f:
        f.write(json.dumps(value) + '\n')
    os.rename(tmp, path(name))


def wait_for(name, timeout=30.0):
    """Green-sleep until the shell creates $SL_OSKEN_DIR/NAME; False on timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if os.path.exists(os.path.join(DIR, name)):
            return True
        hub.sleep(0.01)
    return False


def apply_actions(dp, actions):
    """An apply-actions instruction list."""
    return [dp.ofproto_parser.OFPInstructionActions(dp.ofproto.OFPIT_APPLY_ACTIONS, actions)]


def add_flow(dp, priority, match, actions, **kw):
    """Send an OFPFC_ADD flow-mod with apply-actions."""
    p = dp.ofproto_parser
    dp.send_msg(p.OFPFlowMod(dp, priority=priority, match=match,
                             instructions=apply_actions(dp, actions), **kw))


def table_miss_to_controller(dp):
    """Priority 0, match all -> CONTROLLER (whole frame)."""
    ofp, p = dp.ofproto, dp.ofproto_parser
    add_flow(dp, 0, p.OFPMatch(), [p.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)])
