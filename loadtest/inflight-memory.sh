#!/usr/bin/env bash
# Memory per open buyer call and per in-flight ping (docs/performance.md, "Memory"): every buyer hangs
# (simulator storm), pings arrive at N/10 per second for 30 s with a 10 s deadline, and the live heap after
# a full GC is compared with the idle heap. Needs built jars; run from anywhere: N=1000 loadtest/inflight-memory.sh
# Writes into the current directory: idle.txt, held-heap.txt, held-histo.txt (jcmd), inflight.txt.
set -euo pipefail
N=${N:-500}
root=$(cd "$(dirname "$0")/.." && pwd)
java -Xms256m -Xmx256m -jar $root/buyer-simulator/target/buyer-simulator.jar --port 9401 --buyers 10 --preset realistic --seed 42 --id-prefix sim > sim.log 2>&1 &
sim=$!
EXCHANGE_ADMIN_KEY=mem-admin-key-0123456789 java -Xms512m -Xmx512m -jar $root/exchange/target/exchange.jar --port 8491 --data-dir $PWD/exchange-data --buyer-pool-size 2000 --max-pings-in-flight 100000 --overload-lag-ms 0 --max-loop-lag-ms 5000 --buyer-silent-close-ms 30000 --no-warmup > exchange.log 2>&1 &
ex=$!
trap 'kill $sim $ex 2>/dev/null || true' EXIT
for i in $(seq 1 300); do curl -fs -o /dev/null http://127.0.0.1:8491/health && break; sleep 0.5; done
A="Authorization: Bearer mem-admin-key-0123456789"
ids=""
for i in $(seq -f '%03g' 1 10); do
  curl -fs -o /dev/null -X PUT http://127.0.0.1:8491/v1/admin/buyers/sim-$i -H "$A" -H 'content-type: application/json' \
    -d "{\"name\":\"sim-$i\",\"bid_url\":\"http://127.0.0.1:9401/buyers/sim-$i/bid\",\"post_url\":\"http://127.0.0.1:9401/buyers/sim-$i/post\",\"timeout_ms\":10000}"
  ids="$ids\"sim-$i\","
done
curl -fs -o /dev/null -X PUT http://127.0.0.1:8491/v1/admin/campaigns/auto-insurance -H "$A" -H 'content-type: application/json' -d "{\"vertical\":\"auto\",
  \"fields\":{\"zip\":{\"type\":\"string\",\"required\":true},\"state\":{\"type\":\"string\",\"required\":true},\"age\":{\"type\":\"integer\"}},
  \"pii_fields\":[\"first_name\",\"last_name\",\"email\",\"phone\",\"address\"],\"ping_timeout_ms\":10000,\"tiers\":[{\"mode\":\"auction\",\"buyers\":[${ids%,}]}]}"
key=$(curl -fs -X PUT http://127.0.0.1:8491/v1/admin/sellers/mem -H "$A" -H 'content-type: application/json' -d '{"name":"mem","payout":{"type":"revenue_share","percent":80}}' | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
# a first pass so that every class and pool is in place, then idle
LEADEX_SELLER_KEY=$key java -Xmx256m -jar $root/loadtest/target/loadtest.jar --url http://127.0.0.1:8491 --campaign auto-insurance --rate 200 --duration 10 --warmup 0 --post-ratio 0 --deadline-ms 10000 --quiet > warm.txt 2>&1
sleep 3
jcmd $ex GC.run >/dev/null; sleep 1; jcmd $ex GC.run > /dev/null
jcmd $ex GC.heap_info > idle.txt
curl -fs -X POST http://127.0.0.1:9401/control/storm -H 'content-type: application/json' -d '{"share":1.0,"seconds":60}' > storm.txt
# N pings over 5 s, each held by its 10 hanging buyers until the 10 s deadline
LEADEX_SELLER_KEY=$key java -Xmx256m -jar $root/loadtest/target/loadtest.jar --url http://127.0.0.1:8491 --campaign auto-insurance --rate $((N / 10)) --duration 30 --warmup 0 --post-ratio 0 --deadline-ms 20000 --timeout-ms 30000 --connections $((N + 100)) --quiet > held.txt 2>&1 &
gen=$!
sleep 22
n=$(curl -fs http://127.0.0.1:8491/metrics | sed -n 's/^exchange_pings_in_flight \([0-9]*\).*/\1/p')
echo "before: $n" > inflight.txt
jcmd $ex GC.run >/dev/null; sleep 1; jcmd $ex GC.run >/dev/null
jcmd $ex GC.heap_info > held-heap.txt
jcmd $ex VM.native_memory summary > /dev/null 2>&1 || true
jcmd $ex GC.class_histogram > held-histo.txt
curl -fs http://127.0.0.1:8491/metrics | grep -E '^exchange_pings_in_flight' >> inflight.txt
curl -fs http://127.0.0.1:9401/stats/connections >> inflight.txt || true
wait $gen || true
cat inflight.txt; grep -E 'garbage-first heap' idle.txt held-heap.txt
