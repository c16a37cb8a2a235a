#!/bin/bash
# Two os-ken controllers (osken/roles.py in two osken-manager processes)
# on the real sluiced (controllers = tcp:...:P1,tcp:...:P2): A becomes
# master (generation 1), B becomes master (generation 2) and A is demoted
# to slave: its flow-mod gets IS_SLAVE, its generation-1 master request
# ROLE_REQUEST_FAILED/STALE. Table misses reach only the master B.
# usage: test_osken_roles.sh SLUICED
. "$(dirname "$0")/osken/lib_osken.sh"
os_begin okr "${1:-}" sl-okra sl-okrb

P1=$(os_free_port)
P2=$(os_free_port)
os_start_app A "$P1" roles.py SL_ROLE=first
os_start_app B "$P2" roles.py SL_ROLE=second
it_veths $VETHS
os_sluiced_ini "$T/sl.ini" "sl-okra0 sl-okrb0" \
	"controllers = tcp:127.0.0.1:$P1, tcp:127.0.0.1:$P2
listen = none
max_backoff = 1"
it_start_sluiced "$SLUICED" "$T/sl.ini"
os_wait_file "$T/A.errors" 60
os_wait_file "$T/B.master" 5
for f in A.role1 A.role2 A.errors B.role1; do echo "$f: $(cat "$T/$f")"; done
[ "$(cat "$T/A.role1")" = '"master"' ] || it_fail "A did not become master"
[ "$(cat "$T/B.role1")" = '"master"' ] || it_fail "B did not become master"
[ "$(cat "$T/A.role2")" = '"slave"' ] || it_fail "A was not demoted to slave"
# OFPET_BAD_REQUEST/OFPBRC_IS_SLAVE = 1/10, OFPET_ROLE_REQUEST_FAILED/STALE = 11/0
[ "$(cat "$T/A.errors")" = '[[1, 10], [11, 0]]' ] || it_fail "A's errors: $(cat "$T/A.errors")"

/usr/bin/python3 "$OS_DIR/seqtraffic.py" send sl-okra1 30 300
sleep 1
echo "packet-ins: A $(cat "$T/A.pins") B $(cat "$T/B.pins")"
[ "$(cat "$T/B.pins")" = 30 ] || it_fail "master B got $(cat "$T/B.pins") of 30 packet-ins"
[ "$(cat "$T/A.pins")" = 0 ] || it_fail "slave A got packet-ins"
it_stop_sluiced
echo "ok: master/slave roles, IS_SLAVE, stale generation, packet-ins to the master only"
