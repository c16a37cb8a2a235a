#!/usr/bin/python3
"""A controller that sluiced connects to and that writes down every
OFPT_PORT_STATUS it gets (test_ports_runtime.sh).

  portstatus_ctl.py PORT OUT SECONDS

Listens on 127.0.0.1:PORT, says hello, asks for the features (a controller
is up once it has them), then appends to OUT one line per message:
"connected" once, then "ADD|DELETE|MODIFY PORT_NO NAME config=0xC state=0xS"
for each port status, until SECONDS have passed or sluiced hangs up.
"""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_tool import OfConn, T_FEATURES_REQ  # noqa: E402

T_FEATURES_REP, T_PORT_STATUS = 6, 12
REASONS = {0: 'ADD', 1: 'DELETE', 2: 'MODIFY'}


def port_status_line(body):
    reason = body[0]
    port_no, = struct.unpack('!I', body[8:12])
    name = body[24:40].split(b'\0', 1)[0].decode()
    config, state = struct.unpack('!II', body[40:48])
    return f'{REASONS.get(reason, reason)} {port_no} {name} config={config:#x} state={state:#x}'


def main():
    port, out, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    end = time.monotonic() + seconds
    c = OfConn(f'listen:{port}')
    c.wait(T_FEATURES_REP, c.send(T_FEATURES_REQ))
    with open(out, 'a') as f:
        f.write('connected\n')
        f.flush()
        while time.monotonic() < end:
            try:
                t, _, body = c.recv(timeout=max(0.1, end - time.monotonic()))
            except TimeoutError:
                break
            except (EOFError, ConnectionError):
                break
            if t == T_PORT_STATUS:
                f.write(port_status_line(body) + '\n')
                f.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
