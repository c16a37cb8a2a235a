#!/bin/bash
# The OpenFlow channel over TLS and a Unix socket, with the real sluiced and
# real peers, certificates made by test/common/tls_certs.sh:
#  - an os-ken controller (osken/l2switch.py) that requires the switch's
#    certificate, on "controllers = ssl:...": the switch connects, the app
#    sees its features and installs its table-miss rule;
#  - ovs-ofctl on "listen = pssl:..." with --private-key/--certificate/
#    --ca-cert: add-flow, then dump-flows shows the rule and the app's;
#  - ovs-ofctl on "punix:PATH": the socket is 0600, dump-flows works;
#  - a certificate from another CA: ovs-ofctl fails, sluiced logs the peer
#    and OpenSSL's reason and goes on serving;
#  - a pssl listener without ssl_private_key is a config error naming the
#    line, an unreadable key fails the start; the socket file is removed
#    at exit.
# usage: test_tls.sh SLUICED
. "$(dirname "$0")/osken/lib_osken.sh"
os_begin tls "${1:-}"
HERE=$(cd "$(dirname "$0")" && pwd)
OF="ovs-ofctl -O OpenFlow13"
K=$T/pki
sh "$HERE/../common/tls_certs.sh" "$K"
TLS=(--private-key="$K/ctl.key" --certificate="$K/ctl.pem" --ca-cert="$K/ca.pem")
CTL=$(os_free_port)
LST=$(os_free_port)
SOCK=$T/of.sock

# sluiced.ini OPENFLOW-LINES: one net_null port (no rx), the given [openflow]
sl_ini() {
	printf '[switch]\nmain_lcore = 0\nworkers = 1\ndatapath_id = 0x5100\n'
	printf '[dpdk]\neal_args = --no-pci --in-memory --file-prefix=tls-%s --log-level=lib.eal:warning\n' "$$"
	printf '[openflow]\n%s\n' "$1"
	printf '[port:p1]\ntype = dpdk\ndevargs = net_null_tls%s,no-rx=1\nofport = 1\n' "$$"
}

# 1. configuration errors come before anything starts
sl_ini "listen = pssl:$LST
ssl_certificate = $K/switch.pem
ssl_ca_cert = $K/ca.pem" > "$T/bad.ini"
if "$SLUICED" --check-config -c "$T/bad.ini" > "$T/check" 2>&1; then
	cat "$T/check"; it_fail "pssl without ssl_private_key accepted"
fi
grep -q "bad.ini:8: \[openflow\] listen: TLS target pssl:$LST needs ssl_private_key" "$T/check" ||
	{ cat "$T/check"; it_fail "no file:line error for the missing key"; }
sl_ini "listen = pssl:$LST
ssl_private_key = $T/nonexistent.key
ssl_certificate = $K/switch.pem
ssl_ca_cert = $K/ca.pem" > "$T/nokey.ini"
if "$SLUICED" -c "$T/nokey.ini" > "$T/nokey" 2>&1; then
	cat "$T/nokey"; it_fail "sluiced started without its private key"
fi
grep -q "TLS private key $T/nonexistent.key: No such file or directory" "$T/nokey" ||
	{ cat "$T/nokey"; it_fail "no clear message for the missing key file"; }

# 2. the controller first (it listens), then the switch
env SL_OSKEN_DIR="$T" SL_OSKEN_NAME=ctl PYTHONPATH="$OS_DIR" \
	/usr/bin/python3 "$OSKEN" --ofp-listen-host 127.0.0.1 --ofp-ssl-listen-port "$CTL" \
	--ctl-privkey "$K/ctl.key" --ctl-cert "$K/ctl.pem" --ca-certs "$K/ca.pem" \
	"$OS_DIR/l2switch.py" >> "$T/ctl.log" 2>&1 &
OS_PIDS+=("$!")
sl_ini "listen = pssl:$LST, punix:$SOCK
controllers = ssl:127.0.0.1:$CTL
max_backoff = 1
ssl_private_key = $K/switch.key
ssl_certificate = $K/switch.pem
ssl_ca_cert = $K/ca.pem" > "$T/sl.ini"
it_start_sluiced "$SLUICED" "$T/sl.ini"
os_wait_file "$T/ctl.connected" 30
[ "$(cat "$T/ctl.connected")" = $((0x5100)) ] || it_fail "datapath id $(cat "$T/ctl.connected")"

# 3. ovs-ofctl over TLS
$OF "${TLS[@]}" add-flow "ssl:127.0.0.1:$LST" "priority=100,in_port=1,actions=drop" ||
	it_fail "add-flow over ssl"
$OF "${TLS[@]}" dump-flows "ssl:127.0.0.1:$LST" > "$T/flows" || it_fail "dump-flows over ssl"
cat "$T/flows"
grep -q "priority=100,in_port=1 actions=drop" "$T/flows" || it_fail "rule missing over ssl"
grep -q "priority=0 actions=CONTROLLER:65535" "$T/flows" ||
	it_fail "the os-ken app's table-miss rule (sent over TLS) is missing"

# 4. the Unix socket: owner only, plain OpenFlow
[ "$(stat -c %a "$SOCK")" = 600 ] || it_fail "punix socket mode $(stat -c %a "$SOCK")"
$OF dump-flows "unix:$SOCK" > "$T/uflows" || it_fail "dump-flows on punix"
grep -q "priority=100,in_port=1 actions=drop" "$T/uflows" || it_fail "rule missing on punix"

# 5. a certificate from another CA is refused; the switch goes on
if timeout 10 $OF --private-key="$K/rogue.key" --certificate="$K/rogue.pem" \
	--ca-cert="$K/ca.pem" dump-flows "ssl:127.0.0.1:$LST" > "$T/rogue" 2>&1; then
	cat "$T/rogue"; it_fail "a certificate from another CA was accepted"
fi
grep -q "ofconn: pssl:$LST<-127.0.0.1:[0-9]*: TLS handshake failed: certificate verify failed" "$T/log" ||
	it_fail "no log line for the refused certificate"
$OF "${TLS[@]}" dump-flows "ssl:127.0.0.1:$LST" | grep -q "in_port=1 actions=drop" ||
	it_fail "ssl listener dead after a refused client"
$OF "${TLS[@]}" show "ssl:127.0.0.1:$LST" > /dev/null || it_fail "show over ssl"
if grep -q "ofconn: ssl:127.0.0.1:$CTL" "$T/log"; then
	it_fail "the controller connection logged a TLS failure"
fi

it_stop_sluiced
[ ! -e "$SOCK" ] || it_fail "punix socket file left behind"
echo "ok: os-ken over TLS, ovs-ofctl over ssl and punix (0600), foreign CA refused"
