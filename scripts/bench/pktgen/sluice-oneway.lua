-- SPDX-License-Identifier: BSD-3-Clause
--
-- pktgen-dpdk script: one-way 64-byte UDP through Sluice. pktgen port 0
-- transmits (FLOWS flows: nw_dst 10.253.0.0 + i, as testpmd flowgen in
-- scripts/bench/pvp.sh), Sluice forwards port 1 -> port 2, pktgen port 1
-- receives. Prints the received rate once a second for DURATION seconds
-- after WARMUP, then the average.
--
-- Run by scripts/bench/pktgen/run-pktgen.sh (or: pktgen ... -- -f THIS).
-- Knobs from the environment: SL_FLOWS (1024), SL_WARMUP (3),
-- SL_DURATION (10), SL_SIZE (64), SL_RATE (100, percent of line rate:
-- meaningless on vhost-user, where pktgen sends as fast as the ring drains).
--
-- Written against pktgen-dpdk 22.x/23.x's Lua API (pktgen.set, set_ipaddr,
-- dst_ip range, portStats); pktgen is not packaged in Debian, so this
-- script has not been run in Sluice's CI.

package.path = package.path .. ";?.lua;test/?.lua;app/?.lua;"
require "Pktgen"

local function env(name, default)
	local v = os.getenv(name)
	if v == nil or v == "" then return default end
	return tonumber(v) or default
end

local flows    = env("SL_FLOWS", 1024)
local warmup   = env("SL_WARMUP", 3)
local duration = env("SL_DURATION", 10)
local size     = env("SL_SIZE", 64)
local rate     = env("SL_RATE", 100)
local tx, rx   = "0", "1"

local function last_ip(n)
	-- 10.253.0.0 + n - 1 as a dotted quad
	local i = n - 1
	return string.format("10.%d.%d.%d", 253 + math.floor(i / 65536),
			     math.floor(i / 256) % 256, i % 256)
end

pktgen.stop("all")
pktgen.set(tx, "size", size)
pktgen.set(tx, "rate", rate)
pktgen.set(tx, "count", 0)
pktgen.set_type(tx, "ipv4")
pktgen.set_proto(tx, "udp")
pktgen.set_ipaddr(tx, "src", "10.254.0.1/8")
pktgen.set_ipaddr(tx, "dst", "10.253.0.0")

-- Range mode: the destination address walks over FLOWS values.
pktgen.dst_ip(tx, "start", "10.253.0.0")
pktgen.dst_ip(tx, "min", "10.253.0.0")
pktgen.dst_ip(tx, "max", last_ip(flows))
pktgen.dst_ip(tx, "inc", "0.0.0.1")
pktgen.src_ip(tx, "start", "10.254.0.1")
pktgen.src_ip(tx, "min", "10.254.0.1")
pktgen.src_ip(tx, "max", "10.254.0.1")
pktgen.src_ip(tx, "inc", "0.0.0.0")
pktgen.pkt_size(tx, "start", size)
pktgen.pkt_size(tx, "min", size)
pktgen.pkt_size(tx, "max", size)
pktgen.pkt_size(tx, "inc", 0)
pktgen.set_range(tx, flows > 1 and "on" or "off")

pktgen.clr()
pktgen.start(tx)
pktgen.delay(warmup * 1000)

local function counters()
	local st = pktgen.portStats("all", "port")
	return st[tonumber(rx)].ipackets, st[tonumber(tx)].opackets
end

local rx0, tx0 = counters()
local prev = rx0
for s = 1, duration do
	pktgen.delay(1000)
	local r = counters()
	printf("second %2d: received %.3f Mpps\n", s, (r - prev) / 1e6)
	prev = r
end
local rx1, tx1 = counters()
pktgen.stop(tx)

local sent, got = tx1 - tx0, rx1 - rx0
printf("Sluice one-way, %d flows, %d-byte: %.3f Mpps received, %.3f Mpps sent, loss %.2f %%\n",
       flows, size, got / duration / 1e6, sent / duration / 1e6,
       sent > 0 and 100 * (sent - got) / sent or 0)
pktgen.quit()
