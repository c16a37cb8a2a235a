#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Talk to a test guest (scripts/vm/build-guest.sh) over its control serial
port, a QEMU chardev socket (scripts/vm/run-guest.sh makes it: ctl.sock).

  guest.py run CTL_SOCK [--timeout S] -- COMMAND...
      run COMMAND in the guest (sh -c), print its output, exit with its
      status (124 when it did not finish within S seconds, default 60)
  guest.py ready CONSOLE_LOG [--timeout S]
      wait until the guest's console log has its ready line (exit 1 if not)

The guest's /init reads "ID COMMAND" lines and answers with the output and
"__SL_DONE__ ID STATUS"; output of an earlier command that arrives late
(its ID is not ours) is skipped.
"""
import argparse
import os
import re
import socket
import sys
import time


def connect(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def run(args):
    deadline = time.monotonic() + args.timeout
    cmd = " ".join(args.command)
    if "\n" in cmd:
        sys.exit("guest.py: a command is one line")
    ident = "%d.%d" % (os.getpid(), int(time.time() * 1000) % 1000000)
    done = re.compile(rb"__SL_DONE__ (\S+) (\d+)\r?$")
    s = connect(args.ctl, deadline)
    s.sendall(("%s %s\n" % (ident, cmd)).encode())
    buf = b""
    out = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.stdout.write(b"".join(out).decode(errors="replace"))
            print("guest.py: %r did not finish within %g s" % (cmd, args.timeout),
                  file=sys.stderr)
            return 124
        s.settimeout(left)
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if not data:
            print("guest.py: the guest's control socket closed", file=sys.stderr)
            return 125
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            m = done.match(line)
            if m is None:
                out.append(line + b"\n")
                continue
            if m.group(1).decode() != ident:
                out = []  # the tail of an earlier command
                continue
            sys.stdout.write(b"".join(out).decode(errors="replace"))
            return int(m.group(2))


def ready(args):
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        try:
            with open(args.console, "rb") as f:
                for line in f:
                    if line.startswith(b"SLUICE-GUEST-READY"):
                        print(line.decode(errors="replace").strip())
                        return 0
        except FileNotFoundError:
            pass
        time.sleep(0.2)
    print("guest.py: no ready line in %s after %g s" % (args.console, args.timeout),
          file=sys.stderr)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="op", required=True)
    r = sub.add_parser("run")
    r.add_argument("ctl")
    r.add_argument("--timeout", type=float, default=60)
    r.add_argument("command", nargs="+")
    w = sub.add_parser("ready")
    w.add_argument("console")
    w.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    if args.op == "run":
        return run(args)
    return ready(args)


if __name__ == "__main__":
    sys.exit(main())
