#!/usr/bin/env bash
# Measures how many bid requests per second the buyer simulator answers on ONE core.
# The simulator is pinned to CPU 0 and wrk to CPU 1; traffic goes to 127.0.0.1 only; every run is
# bounded in time (warm-up, then a measured run) and the simulator stops by itself (--duration).
#
#   buyer-simulator/bench/throughput.sh                   # fast preset: answers at once
#   CONFIG=buyer-simulator/bench/realistic-no-hangs.json CONNS=400 buyer-simulator/bench/throughput.sh
#
# Settings (environment): PRESET (fast), CONFIG (a config file with 100 buyers named sim-NNN;
# overrides PRESET), CONNS (50 wrk connections), SECONDS_MEASURED (15), WARMUP_SECONDS (10),
# PORT (9190). Needs wrk (apt-get install wrk) and a built jar (mvn -q package -DskipTests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../target/buyer-simulator.jar"
preset=${PRESET:-fast}
conns=${CONNS:-50}
measured=${SECONDS_MEASURED:-15}
warmup=${WARMUP_SECONDS:-10}
port=${PORT:-9190}
url="http://127.0.0.1:$port"

[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }

if [ -n "${CONFIG:-}" ]; then what=(--config "$CONFIG"); else what=(--buyers 100 --preset "$preset"); fi
taskset -c 0 java -jar "$jar" --port "$port" "${what[@]}" --duration $((warmup + measured + 60)) >/tmp/buyer-simulator-bench.log 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$url/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "$url/health" >/dev/null || { echo "simulator did not start:" >&2; cat /tmp/buyer-simulator-bench.log >&2; exit 1; }

cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$sim/stat"; }

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
echo "warm-up: ${warmup}s"
taskset -c 1 wrk -t1 -c"$conns" -d"${warmup}s" -s "$here/bid.lua" "$url" >/dev/null
before=$(cpu_seconds)
echo "measured: ${measured}s, $conns connections"
taskset -c 1 wrk -t1 -c"$conns" -d"${measured}s" --latency -s "$here/bid.lua" "$url" | tee /tmp/buyer-simulator-wrk.txt
after=$(cpu_seconds)
requests=$(awk '/requests in/ {print $1}' /tmp/buyer-simulator-wrk.txt)
awk -v r="$requests" -v a="$after" -v b="$before" -v s="$measured" 'BEGIN { c = a - b;
  printf "simulator CPU: %.1f s over %d s (%.0f%% of its one core); %.0f requests per CPU-second\n", c, s, 100 * c / s, r / c }'
echo "machine after: $(uptime | sed 's/.*load average/load average/')"
kill "$sim" 2>/dev/null || true
wait "$sim" 2>/dev/null || true
