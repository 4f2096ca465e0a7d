#!/usr/bin/env bash
# Benchmarks the platform's ceiling (the bare fan-out reference server) and, once wired, the
# exchange, against the same simulated buyers and the same open-loop load. See docs/loadtest.md.
#
#   loadtest/bench.sh                                  # reference at 250 and 500 pings/s, 20 s each
#   loadtest/bench.sh --rates "200 400 600" --duration 30 --out /tmp/bench
#   loadtest/bench.sh --stand-in                       # simple buyers from loadtest.jar instead
#   loadtest/bench.sh --exchange                       # also the exchange (see bench_exchange below)
#   loadtest/bench.sh --scenario surge --rate 500 --exchange      # overload scenarios, one command
#   loadtest/bench.sh --scenario buyer-storm --rate 250 --exchange # each (docs/loadtest.md,
#   loadtest/bench.sh --scenario cold-start --rate 250 --exchange  # "Overload scenarios")
#   loadtest/bench.sh --steps "400 1400 100" --exchange  # step mode on both: highest sustainable
#                                                        # rates and the exchange's share of the reference's
#
# Needs built jars (mvn -q package -DskipTests): loadtest/target/loadtest.jar and, unless
# --stand-in, buyer-simulator/target/buyer-simulator.jar. Everything listens on 127.0.0.1, every
# run is bounded in time, and every process this script starts is stopped when it ends.
#
# Writes under the output directory (default loadtest/target/bench/<UTC time>):
#   summary.tsv                  one line per target and rate: latency, misses, errors, CPU
#   <target>/rate-<R>/           the generator's reports: report.txt, report.html, summary.json,
#                                ping.hgrm ..., progress.log, and the server's stats before/after
#   machine.txt, *.log           what else was running, and the servers' own output
# With --scenario, instead of rate-*: <target>/<scenario>/ (the generator's reports, the buyers'
# connection series buyer-connections.json) and scenario.tsv (one line per target and phase).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
loadtest_jar=${LOADTEST_JAR:-$root/loadtest/target/loadtest.jar}
simulator_jar=${SIMULATOR_JAR:-$root/buyer-simulator/target/buyer-simulator.jar}

rates="250 500"
duration=20
warmup=30            # every run ramps up this long first (each run is a fresh generator JVM)
step_warmup=90       # ... but step mode, by default, this long: see "--steps" below
warmup_given=0
buyers=10
deadline_ms=150
preset=realistic
buyer_port=9301
reference_port=8390
exchange_port=8391
out=""
stand_in=0
with_exchange=0
with_reference=1
sale_mode=exclusive  # --sale: the exchange campaign's sale mode
suppress=0           # --suppress N: every exchange buyer gets a suppression list of N random hashes
connections=400
server_java_opts=${SERVER_JAVA_OPTS:--Xms512m -Xmx512m}
buyers_java_opts=${BUYERS_JAVA_OPTS:--Xms256m -Xmx256m}
generator_java_opts=${GENERATOR_JAVA_OPTS:--Xms256m -Xmx256m}
scenario=""
scenario_rate=""     # --rate: the scenario's base rate (default: the first of --rates)
window_at=20         # surge / storm: the window begins this long into the measured run
window_for=30        # and lasts this long
window_after=30      # then the base rate again for this long
surge_multiple=2
storm_share=0.5
scenario_post_ratio=0 # surge / buyer-storm: share of bid pings the generator posts (the exchange only)
cold_seconds=30
prime_seconds=20     # cold-start: a first instance of the target carries this much load before the measured one
replay_pings=1000000 # --replay-pings: synthetic recorded pings (10 bids each) a replay scenario decides again
steps=""            # --steps "FROM TO BY": step mode instead of --rates
step_duration=15
step_repeats=2
max_p99_ms=200

usage() {
  sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
  cat <<EOF
Options:
  --rates "R1 R2 ..."   pings per second, one run each (default: $rates)
  --duration S          measured seconds per run (default: $duration)
  --warmup S            ramp-up before each run, not recorded (default: $warmup; $step_warmup in step mode)
  --buyers N            simulated buyers (default: $buyers)
  --preset NAME         buyer simulator preset (default: $preset)
  --deadline-ms MS      ping deadline of the reference and the campaign (default: $deadline_ms)
  --connections N       generator connections (default: $connections)
  --out DIR             output directory (default: loadtest/target/bench/<UTC time>)
  --stand-in            use loadtest.jar stand-in-buyers instead of the buyer simulator
  --exchange            also benchmark the exchange (bench_exchange in this script)
  --no-reference        skip the reference server
  --sale MODE           the exchange campaign sells exclusive (default), shared or best, max_buyers 3
  --suppress N          every exchange buyer gets a suppression list of N random SHA-256 hashes, and pings
                        carry "hashes" (the generator's --hashes), so suppression runs on the ping path
Step mode (instead of the rate runs; docs/loadtest.md, "Step mode"):
  --steps "FROM TO BY"  raise the rate from FROM to TO by BY after the --warmup ramp, on each target,
                        until a step fails; reports each target's highest sustainable rate and the
                        exchange's as a share of the reference's (steps.tsv). The ramp defaults to
                        ${step_warmup}s here: a JVM's JIT compilers keep working for about 90 s under load, and
                        a shorter ramp measures the exchange's warm-up rather than its steady ceiling
                        (docs/performance.md, "The ceiling once the JIT has settled")
  --step-duration S     seconds per step (default: $step_duration)
  --step-repeats N      runs per rate; sustainable only if all pass (default: $step_repeats)
  --max-p99-ms MS       a step fails above this ping p99 (default: $max_p99_ms), 1 % errors, or
                        1 % of pings answered without a bid (the simulated buyers bid on nearly
                        every ping: a no-bid answer is a fan-out that read its bids too late)
Overload scenarios (instead of the rate runs; docs/loadtest.md, "Overload scenarios"):
  --scenario NAME       surge: --rate, then --multiple x --rate for --for s, then --rate again;
                        buyer-storm: --rate while --share of the buyers hang for --for s;
                        cold-start: start the target, and the generator at --rate the moment
                        its /health says ready (no warm-up), for --cold-seconds
  --rate R              the scenario's base rate (default: the first of --rates)
  --at S / --for S / --after S   surge or storm window: begins --at s into the measured run,
                        lasts --for s, followed by --after s (defaults: $window_at, $window_for, $window_after)
  --multiple M          surge: rate multiple (default: $surge_multiple)
  --share R             buyer-storm: share of the buyers that hang (default: $storm_share)
  --posts R             surge or buyer-storm: post this share of the exchange's bid pings, to see
                        that posts keep their deadline while pings are shed (default: $scenario_post_ratio;
                        the reference takes pings only and always gets 0)
  --cold-seconds S      cold-start: measured seconds (default: $cold_seconds)
  --prime-seconds S     cold-start: first run a throw-away instance of the target at --rate for S s
                        and stop it, so the buyers, PostgreSQL and the page cache are warm and the
                        cold JVM measured is the target's alone (0: a cold machine; default: $prime_seconds)
                        replay (exchange only): records --replay-pings synthetic pings of 10 bids, times a
                        what-if replay of them alone, then runs --rate for --for s without and with a
                        replay running, to compare live ping latency
  --replay-pings N      replay: how many (default: $replay_pings)
  (surge and buyer-storm ramp up for --warmup first, default $warmup s; cold-start never does)
Environment: BUYER_URLS (comma-separated bid URLs, overrides the computed list), LOADTEST_JAR,
SIMULATOR_JAR, EXCHANGE_JAR, SERVER_JAVA_OPTS, BUYERS_JAVA_OPTS, GENERATOR_JAVA_OPTS, GENERATOR_FLAGS
(extra generator flags for every run, e.g. "--post-ratio 0" for pings only), EXCHANGE_FLAGS
(extra exchange flags), REPLAY_PHASES (the replay scenario's phases, default "warm without-1 with-1
 without-2 with-2 without-3 with-3").
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rates) rates=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; warmup_given=1; shift 2 ;;
    --buyers) buyers=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    --deadline-ms) deadline_ms=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --stand-in) stand_in=1; shift ;;
    --exchange) with_exchange=1; shift ;;
    --no-reference) with_reference=0; shift ;;
    --sale) sale_mode=$2; shift 2 ;;
    --suppress) suppress=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --rate) scenario_rate=$2; shift 2 ;;
    --at) window_at=$2; shift 2 ;;
    --for) window_for=$2; shift 2 ;;
    --after) window_after=$2; shift 2 ;;
    --multiple) surge_multiple=$2; shift 2 ;;
    --share) storm_share=$2; shift 2 ;;
    --posts) scenario_post_ratio=$2; shift 2 ;;
    --cold-seconds) cold_seconds=$2; shift 2 ;;
    --prime-seconds) prime_seconds=$2; shift 2 ;;
    --replay-pings) replay_pings=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --step-duration) step_duration=$2; shift 2 ;;
    --step-repeats) step_repeats=$2; shift 2 ;;
    --max-p99-ms) max_p99_ms=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

case "$scenario" in
  ""|surge|buyer-storm|cold-start|replay) ;;
  *) echo "unknown scenario: $scenario (surge, buyer-storm, cold-start or replay)" >&2; exit 2 ;;
esac
scenario_rate=${scenario_rate:-${rates%% *}}
if [ -n "$steps" ] && [ "$warmup_given" = 0 ]; then
  warmup=$step_warmup
fi
[ -f "$loadtest_jar" ] || { echo "build first: mvn -q package -DskipTests ($loadtest_jar missing)" >&2; exit 1; }
if [ "$stand_in" = 0 ] && [ ! -f "$simulator_jar" ]; then
  echo "no buyer simulator jar at $simulator_jar; using the stand-in buyers" >&2
  stand_in=1
fi
if [ "$scenario" = buyer-storm ] && [ "$stand_in" = 1 ]; then
  echo "buyer-storm needs the buyer simulator (its storm control), not the stand-in buyers" >&2
  exit 2
fi
out=${out:-$root/loadtest/target/bench/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

# --- processes ---------------------------------------------------------------------------
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME COMMAND...: runs in the background, logs to $out/NAME.log, remembers the pid.
start() {
  local name=$1; shift
  "$@" >"$out/$name.log" 2>&1 &
  pids+=("$!")
  eval "${name//-/_}_pid=$!"
}

# wait_http URL NAME PID: until URL answers (any status), the process dies, or 60 s pass.
wait_http() {
  local url=$1 name=$2 pid=$3
  for _ in $(seq 1 300); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name died:" >&2; cat "$out/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name did not answer at $url in 60 s" >&2
  exit 1
}

cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }

# --- buyers ------------------------------------------------------------------------------
start_buyers() {
  if [ "$stand_in" = 1 ]; then
    # shellcheck disable=SC2086
    start buyers java $buyers_java_opts -jar "$loadtest_jar" stand-in-buyers \
      --port "$buyer_port" --buyers "$buyers" --seed 42
    computed_urls=$(for i in $(seq 1 "$buyers"); do printf 'http://127.0.0.1:%s/buyers/buyer-%s/bid,' "$buyer_port" "$i"; done)
  else
    # shellcheck disable=SC2086
    start buyers java $buyers_java_opts -jar "$simulator_jar" --port "$buyer_port" \
      --buyers "$buyers" --preset "$preset" --seed 42 --id-prefix sim \
      --stats-file "$out/buyers-stats.json"
    computed_urls=$(for i in $(seq 1 "$buyers"); do printf 'http://127.0.0.1:%s/buyers/sim-%03d/bid,' "$buyer_port" "$i"; done)
  fi
  buyer_urls=${BUYER_URLS:-${computed_urls%,}}
  wait_http "http://127.0.0.1:$buyer_port/health" buyers "$buyers_pid"
}

# --- one target at several rates ----------------------------------------------------------
# run_rates TARGET URL SERVER_PID [SELLER_KEY] [CAMPAIGN]
run_rates() {
  local target=$1 url=$2 server_pid=$3 key=${4:-dev-seller-key} campaign=${5:-auto-insurance}
  local rate dir ramp=$warmup
  for rate in $rates; do
    dir="$out/$target/rate-$rate"
    mkdir -p "$dir"
    curl -s "$url/stats" >"$dir/server-stats-before.json" 2>/dev/null || true
    local load_before server_cpu0 buyers_cpu0 t0 t1
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    server_cpu0=$(cpu_seconds "$server_pid")
    buyers_cpu0=$(cpu_seconds "$buyers_pid")
    t0=$(date +%s.%N)
    echo "== $target at $rate/s: ${ramp}s ramp, ${duration}s measured (load average $load_before)"
    # shellcheck disable=SC2086
    LEADEX_SELLER_KEY=$key java $generator_java_opts -jar "$loadtest_jar" --url "$url" \
      --campaign "$campaign" --rate "$rate" --duration "$duration" --warmup "$ramp" \
      --deadline-ms "$deadline_ms" --connections "$connections" --out "$dir" ${GENERATOR_FLAGS:-} \
      >"$dir/report.txt" 2>"$dir/progress.log"
    t1=$(date +%s.%N)
    curl -s "$url/stats" >"$dir/server-stats-after.json" 2>/dev/null || true
    local server_cores buyers_cores
    server_cores=$(awk -v a="$(cpu_seconds "$server_pid")" -v b="$server_cpu0" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.2f", (a - b) / (e - s) }')
    buyers_cores=$(awk -v a="$(cpu_seconds "$buyers_pid")" -v b="$buyers_cpu0" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.2f", (a - b) / (e - s) }')
    sed -n '/^latency from/,/^$/p;/^deadline/p' "$dir/report.txt"
    summary_line "$target" "$rate" "$dir/summary.json" "$server_cores" "$buyers_cores" "$load_before"
  done
}

summary_line() {
  local target=$1 rate=$2 json=$3 server_cores=$4 buyers_cores=$5 load=$6
  if ! command -v jq >/dev/null; then
    printf '%s\t%s\t(see %s; install jq for this table)\n' "$target" "$rate" "$json" >>"$out/summary.tsv"
    return
  fi
  jq -r --arg t "$target" --arg sc "$server_cores" --arg bc "$buyers_cores" --arg load "$load" '
    .result as $r | $r.operations.ping as $p |
    [$t, $r.target_rate, $r.achieved_rate, $p.latency_ms.p50, $p.latency_ms.p90, $p.latency_ms.p99,
     $p.latency_ms.p99_9, $p.latency_ms.max, $r.deadline.later_than_deadline, $r.deadline.later_than_deadline_plus_10_ms,
     $p.sent, $r.error_rate, $sc, $bc, $r.generator_cores, $load] | @tsv' "$json" >>"$out/summary.tsv"
}

# --- the reference ------------------------------------------------------------------------
bench_reference() {
  start_reference
  wait_http "http://127.0.0.1:$reference_port/health" reference "$reference_pid"
  run_rates reference "http://127.0.0.1:$reference_port" "$reference_pid"
  stop_server "$reference_pid"
}

# --- the exchange ---------------------------------------------------------------------------
# The same buyers and the same load as the reference: the exchange (with a PostgreSQL of its own,
# fresh under $out/exchange-data, unless DATABASE_URL is set) gets the simulator's buyers, one
# auction campaign over all of them with the same deadline, and a seller, through its admin API.
exchange_jar=${EXCHANGE_JAR:-$root/exchange/target/exchange.jar}
exchange_admin_key=bench-admin-key-0123456789
exchange_url="http://127.0.0.1:$exchange_port"

# start_exchange: starts the exchange on $out/exchange-data and waits until /health answers 200.
start_exchange() {
  [ -f "$exchange_jar" ] || { echo "build first: mvn -q package -DskipTests ($exchange_jar missing)" >&2; exit 1; }
  # shellcheck disable=SC2086
  EXCHANGE_ADMIN_KEY=$exchange_admin_key start exchange java $server_java_opts -jar "$exchange_jar" \
    --port "$exchange_port" --data-dir "$out/exchange-data" ${EXCHANGE_FLAGS:-}
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null --max-time 1 "$exchange_url/health" && return 0
    kill -0 "$exchange_pid" 2>/dev/null || { echo "exchange died:" >&2; cat "$out/exchange.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "the exchange did not say ready in 120 s" >&2
  exit 1
}

# register_exchange: the simulator's buyers, one auction campaign over all of them with the
# deadline, and a seller; sets exchange_seller_key.
register_exchange() {
  local url=$exchange_url admin_key=$exchange_admin_key
  local ids=() bid_url id
  IFS=',' read -r -a bid_urls <<<"$buyer_urls"
  for bid_url in "${bid_urls[@]}"; do
    id=$(basename "$(dirname "$bid_url")")
    ids+=("\"$id\"")
    curl -fs -o /dev/null -X PUT "$url/v1/admin/buyers/$id" -H "Authorization: Bearer $admin_key" \
      -H 'content-type: application/json' \
      -d "{\"name\":\"$id\",\"bid_url\":\"$bid_url\",\"post_url\":\"${bid_url%/bid}/post\",\"timeout_ms\":$deadline_ms}"
  done
  local buyer_list
  buyer_list=$(IFS=,; echo "${ids[*]}")
  curl -fs -o /dev/null -X PUT "$url/v1/admin/campaigns/auto-insurance" -H "Authorization: Bearer $admin_key" \
    -H 'content-type: application/json' -d "{\"vertical\":\"auto-insurance\",
      \"fields\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\",\"required\":true},
                  \"state\":{\"type\":\"string\",\"required\":true},\"age\":{\"type\":\"integer\",\"min\":18,\"max\":120}},
      \"pii_fields\":[\"first_name\",\"last_name\",\"email\",\"phone\",\"address\"],
      \"ping_timeout_ms\":$deadline_ms,\"floor\":1.00,\"sale\":{\"mode\":\"$sale_mode\",\"max_buyers\":3},\"tiers\":[{\"mode\":\"auction\",\"buyers\":[$buyer_list]}]}"
  exchange_seller_key=$(curl -fs -X PUT "$url/v1/admin/sellers/bench-seller" -H "Authorization: Bearer $admin_key" \
    -H 'content-type: application/json' -d '{"name":"bench","payout":{"type":"revenue_share","percent":80}}' \
    | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
  if [ -z "$exchange_seller_key" ]; then # the seller existed (a DATABASE_URL reused): issue another key
    exchange_seller_key=$(curl -fs -X POST "$url/v1/admin/sellers/bench-seller/keys" -H "Authorization: Bearer $admin_key" \
      | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
  fi
  [ "$suppress" -gt 0 ] && upload_suppressions "${ids[@]}"
  return 0
}

# upload_suppressions ID...: one file of $suppress random SHA-256 lines, uploaded as each buyer's list.
upload_suppressions() {
  local file="$out/suppression-$suppress.txt" id key
  [ -f "$file" ] || python3 -c "import os,sys
w=sys.stdout.write
for _ in range($suppress): w(os.urandom(32).hex()+'\\n')" >"$file"
  for id in "$@"; do
    id=${id//\"/}
    key=$(curl -fs -X POST "$exchange_url/v1/admin/buyers/$id/keys" -H "Authorization: Bearer $exchange_admin_key" \
      | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
    curl -fs -o /dev/null -X PUT "$exchange_url/v1/buyers/me/suppression" -H "Authorization: Bearer $key" \
      -H 'content-type: text/plain' --data-binary @"$file" || { echo "suppression upload for $id failed" >&2; exit 1; }
  done
  echo "== suppression lists of $suppress hashes uploaded for $# buyers"
  case " ${GENERATOR_FLAGS:-} " in *" --hashes "*) ;; *) GENERATOR_FLAGS="${GENERATOR_FLAGS:-} --hashes" ;; esac
}

# stop_server PID: stops a server this script started and waits for it to go (its port is reused).
stop_server() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# The same buyers and the same load as the reference: the exchange (with a PostgreSQL of its own,
# fresh under $out/exchange-data, unless DATABASE_URL is set) gets the simulator's buyers, one
# auction campaign over all of them with the same deadline, and a seller, through its admin API.
bench_exchange() {
  start_exchange
  register_exchange
  run_rates exchange "$exchange_url" "$exchange_pid" "$exchange_seller_key" auto-insurance
  curl -s "$exchange_url/metrics" | grep -E '^exchange_(pings_shed_total|ping_limit|pings_total|bids_total|buyer_circuit_state.*open")' >"$out/exchange-metrics.txt" || true
  curl -s "$exchange_url/v1/admin/latency" -H "Authorization: Bearer $exchange_admin_key" >"$out/exchange-latency.json" || true
  stop_server "$exchange_pid"
}

# --- step mode ------------------------------------------------------------------------------
# run_steps TARGET URL [KEY]: the generator's step mode against a started target; one line of steps.tsv.
# A step fails on p99, on errors (503s count), or on 1 % of pings answered no_bid: ten simulated
# buyers that each bid on 70 % of pings (and hang on 2 %) leave a ping without a bid about once in
# 100,000 (0.314^10), so no-bid answers are pings whose bids arrived but were not read before the
# deadline: the fan-out's collapse, which p99 cannot see (the deadline still answers on time).
run_steps() {
  local target=$1 url=$2 key=${3:-dev-seller-key}
  local dir="$out/$target/steps" from to by
  read -r from to by <<<"$steps"
  mkdir -p "$dir"
  echo "== $target, steps $from..$to by $by, ${step_duration}s x $step_repeats each after a ${warmup}s ramp (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086
  LEADEX_SELLER_KEY=$key java $generator_java_opts -jar "$loadtest_jar" --url "$url" \
    --campaign auto-insurance --warmup "$warmup" --deadline-ms "$deadline_ms" --connections "$connections" \
    --post-ratio 0 --step-from "$from" --step-to "$to" --step-by "$by" --step-duration "$step_duration" \
    --step-repeats "$step_repeats" --max-p99-ms "$max_p99_ms" --max-error-rate 0.01 --max-no-bid-rate 0.01 --out "$dir" \
    ${GENERATOR_FLAGS:-} >"$dir/report.txt" 2>"$dir/progress.log" || true
  cat "$dir/report.txt"
  local highest
  highest=$(jq -r '.highest_sustainable_rate // "none"' "$dir/steps.json" 2>/dev/null || echo "?")
  printf '%s\t%s\t%s\n' "$target" "$highest" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/steps.tsv"
}

# --- overload scenarios -------------------------------------------------------------------
# run_scenario TARGET URL SERVER_PID KEY: one surge or buyer-storm run against a started target.
run_scenario() {
  local target=$1 url=$2 server_pid=$3 key=$4
  local dir="$out/$target/$scenario" total=$((window_at + window_for + window_after))
  local ramp=$warmup post_ratio=0
  [ "$target" = exchange ] && post_ratio=$scenario_post_ratio
  mkdir -p "$dir"
  local window_flags
  if [ "$scenario" = surge ]; then
    window_flags="--surge-at $window_at --surge-for $window_for --surge-multiple $surge_multiple"
  else
    window_flags="--storm-at $window_at --storm-for $window_for --storm-share $storm_share --storm-url http://127.0.0.1:$buyer_port/control/storm"
  fi
  echo "== $target, $scenario: ${ramp}s ramp to $scenario_rate/s, then ${total}s measured (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  curl -s "$url/stats" >"$dir/server-stats-before.json" 2>/dev/null || true
  # shellcheck disable=SC2086
  LEADEX_SELLER_KEY=$key java $generator_java_opts -jar "$loadtest_jar" --url "$url" \
    --campaign auto-insurance --rate "$scenario_rate" --duration "$total" --warmup "$ramp" \
    --deadline-ms "$deadline_ms" --connections "$connections" --post-ratio "$post_ratio" $window_flags \
    $(connection_watch_flag) --out "$dir" ${GENERATOR_FLAGS:-} >"$dir/report.txt" 2>"$dir/progress.log"
  curl -s "$url/stats" >"$dir/server-stats-after.json" 2>/dev/null || true
  collect_buyer_connections "$dir"
  sed -n '/^surge:\|^storm:/,$p' "$dir/report.txt"
  scenario_lines "$target" "$dir/summary.json"
}

connection_watch_flag() {
  [ "$stand_in" = 1 ] || echo "--buyer-connections-url http://127.0.0.1:$buyer_port/stats/connections"
}

collect_buyer_connections() {
  [ "$stand_in" = 1 ] || curl -s "http://127.0.0.1:$buyer_port/stats/connections" >"$1/buyer-connections.json" || true
}

# cold_start TARGET START_FUNCTION KEY: the generator first (started, primed, polling /health),
# then the target; the schedule starts the moment /health answers 200, with no ramp.
cold_start() {
  local target=$1 starter=$2 key=$3 url=$4
  local dir="$out/$target/cold-start"
  mkdir -p "$dir"
  echo "== $target, cold start: $scenario_rate/s from the moment /health says ready, ${cold_seconds}s measured (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086
  LEADEX_SELLER_KEY=$key java $generator_java_opts -jar "$loadtest_jar" --url "$url" \
    --campaign auto-insurance --rate "$scenario_rate" --duration "$cold_seconds" --warmup 0 \
    --wait-ready --ready-timeout 180 --deadline-ms "$deadline_ms" --connections "$connections" \
    --post-ratio 0 $(connection_watch_flag) --out "$dir" ${GENERATOR_FLAGS:-} \
    >"$dir/report.txt" 2>"$dir/progress.log" &
  local generator=$!
  pids+=("$generator")
  # The target starts only once the generator is started, primed and asking /health.
  for _ in $(seq 1 600); do
    grep -q '^waiting for' "$dir/progress.log" 2>/dev/null && break
    kill -0 "$generator" 2>/dev/null || { echo "the generator died:" >&2; cat "$dir/progress.log" >&2; exit 1; }
    sleep 0.1
  done
  "$starter"
  wait "$generator" || { echo "the generator failed:" >&2; cat "$dir/progress.log" >&2; exit 1; }
  collect_buyer_connections "$dir"
  sed -n '/^latency from/,/^$/p;/^deadline/p' "$dir/report.txt"
  scenario_lines "$target" "$dir/summary.json"
}

# prime TARGET URL KEY: --prime-seconds of pings at the scenario rate on a throw-away instance of
# the target. In production the buyers and the database are not cold when the exchange restarts;
# without this, a cold start here measures the simulator's JIT too (and its slow first second made
# the exchange reset and reopen thousands of buyer connections).
prime() {
  local target=$1 url=$2 key=$3
  [ "$prime_seconds" -gt 0 ] || return 0
  local dir="$out/$target/cold-start-prime"
  mkdir -p "$dir"
  echo "== $target, priming the buyers: ${prime_seconds}s at $scenario_rate/s on a throw-away instance"
  # shellcheck disable=SC2086
  LEADEX_SELLER_KEY=$key java $generator_java_opts -jar "$loadtest_jar" --url "$url" \
    --campaign auto-insurance --rate "$scenario_rate" --duration "$prime_seconds" --warmup 5 \
    --deadline-ms "$deadline_ms" --connections "$connections" --post-ratio 0 --out "$dir" \
    >"$dir/report.txt" 2>"$dir/progress.log" || { echo "priming failed:" >&2; cat "$dir/progress.log" >&2; exit 1; }
}

start_reference() {
  # shellcheck disable=SC2086
  start reference java $server_java_opts -jar "$loadtest_jar" reference --port "$reference_port" \
    --buyers "$buyer_urls" --deadline-ms "$deadline_ms" --log-every 0
}

scenario_reference() {
  local url="http://127.0.0.1:$reference_port"
  if [ "$scenario" = cold-start ]; then
    if [ "$prime_seconds" -gt 0 ]; then
      start_reference
      wait_http "$url/health" reference "$reference_pid"
      prime reference "$url" dev-seller-key
      stop_server "$reference_pid"
    fi
    cold_start reference start_reference dev-seller-key "$url"
  else
    start_reference
    wait_http "$url/health" reference "$reference_pid"
    run_scenario reference "$url" "$reference_pid" dev-seller-key
  fi
  stop_server "$reference_pid"
}

scenario_exchange() {
  start_exchange
  register_exchange
  if [ "$scenario" = replay ]; then
    replay_scenario
  elif [ "$scenario" = cold-start ]; then
    # Registered once (and primed); now a cold JVM on the same data, so the first ping meets a ready catalog.
    prime exchange "$exchange_url" "$exchange_seller_key"
    stop_server "$exchange_pid"
    cold_start exchange start_exchange_quietly "$exchange_seller_key" "$exchange_url"
  else
    run_scenario exchange "$exchange_url" "$exchange_pid" "$exchange_seller_key"
  fi
  curl -s "$exchange_url/v1/admin/latency" -H "Authorization: Bearer $exchange_admin_key" >"$out/exchange/$scenario/exchange-latency.json" || true
  curl -s "$exchange_url/metrics" | grep -E '^exchange_(pings_shed_total|ping_limit|pings_total|bids_total|buyer_circuit_state.*open")' >"$out/exchange/$scenario/exchange-metrics.txt" || true
  stop_server "$exchange_pid"
}

# --- replay scenario -------------------------------------------------------------------------
# exchange_psql SQL: runs SQL in the exchange's own PostgreSQL (started by it under --data-dir).
exchange_psql() {
  local port
  port=$(sed -n 4p "$out/exchange-data/pg/postmaster.pid")
  psql -h 127.0.0.1 -p "$port" -U exchange -d exchange -v ON_ERROR_STOP=1 -qAt -c "$1"
}

# replay_scenario: records $replay_pings synthetic pings (today, from 00:01 UTC, 10 bids each, as the
# exchange would: time-ordered ids, one row per buyer), then times POST /v1/admin/replay over them
# alone, then measures live pings at --rate for --for s without a replay and with one running.
replay_scenario() {
  local dir="$out/exchange/replay" today body
  mkdir -p "$dir"
  today=$(date -u +%F)
  echo "== exchange, replay: recording $replay_pings synthetic pings with 10 bids each"
  local t0 t1
  t0=$(date +%s.%N)
  exchange_psql "insert into pings (id, received_at, campaign_id, seller_id, source, test, direct, status,
      price_cents, seller_price_cents, answered_us, lead, offers, plan_version)
    select (lpad(to_hex(ms), 12, '0') || '7000' || '8000' || lpad(to_hex(g), 12, '0'))::uuid,
      to_timestamp(ms / 1000.0), c.id, s.id, 'replay-seed', false, false, 0, null, null, 40000,
      '{\"zip\":\"90210\",\"state\":\"CA\",\"age\":40}', '[]', (select version from catalog_version)
    from generate_series(1, $replay_pings) g
      cross join lateral (select (extract(epoch from date_trunc('day', now())) * 1000)::bigint + 60000 + g / 20 as ms) t
      cross join (select id from campaigns where code = 'auto-insurance') c
      cross join (select id from sellers where code = 'bench-seller') s"
  exchange_psql "insert into bids (ping_id, received_at, buyer_id, tier, outcome, bid_cents, latency_us, shared_bid_cents)
    select p.id, p.received_at, b.id, 0, case when r.x < 0.7 then 1 else 2 end,
      case when r.x < 0.7 then 100 + (r.x * 4000)::int end, 20000,
      case when r.x < 0.7 then 50 + (r.x * 2000)::int end
    from pings p cross join buyers b cross join lateral (select random() + 0 * b.id as x) r
    where p.source = 'replay-seed'"
  exchange_psql "vacuum analyze pings"
  exchange_psql "vacuum analyze bids" # as autovacuum would have done by the time anyone replays a day
  t1=$(date +%s.%N)
  echo "recorded in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s"
  body="{\"campaign\":\"auto-insurance\",\"from\":\"$today\",\"to\":\"$today\",\"changes\":{\"floor\":5.00,\"sale\":{\"mode\":\"best\",\"max_buyers\":3}}}"
  echo "== replay alone"
  curl -s -X POST "$exchange_url/v1/admin/replay" -H "Authorization: Bearer $exchange_admin_key" \
    -H 'content-type: application/json' -d "$body" >"$dir/replay-alone.json"
  jq -c '{pings: .actual.pings, elapsed_ms, replayed_sold: .replayed.sold}' "$dir/replay-alone.json" 2>/dev/null || cat "$dir/replay-alone.json"
  local phase
  # "warm" is not compared: the first load after start-up still meets a cold path and would flatter "with"
  # then three pairs, so that a quiet or a noisy moment of this shared machine does not decide it
  # REPLAY_PHASES overrides them, e.g. "warm without-1 with-1" with a --for longer than the replay
  # under load, to time a replay that live pings accompany from start to end.
  for phase in ${REPLAY_PHASES:-warm without-1 with-1 without-2 with-2 without-3 with-3}; do
    mkdir -p "$dir/$phase"
    local replay_pid=""
    if [ "${phase%-*}" = with ]; then
      curl -s -X POST "$exchange_url/v1/admin/replay" -H "Authorization: Bearer $exchange_admin_key" \
        -H 'content-type: application/json' -d "$body" >"$dir/replay-under-load.json" &
      replay_pid=$!
    fi
    echo "== live pings at $scenario_rate/s for ${window_for}s, $phase (a replay running or not; load average $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086
    LEADEX_SELLER_KEY=$exchange_seller_key java $generator_java_opts -jar "$loadtest_jar" --url "$exchange_url" \
      --campaign auto-insurance --rate "$scenario_rate" --duration "$window_for" --warmup "$warmup" \
      --deadline-ms "$deadline_ms" --connections "$connections" --post-ratio 0 --out "$dir/$phase" \
      ${GENERATOR_FLAGS:-} >"$dir/$phase/report.txt" 2>"$dir/$phase/progress.log"
    sed -n '/^latency from/,/^$/p;/^deadline/p' "$dir/$phase/report.txt"
    if [ -n "$replay_pid" ]; then
      wait "$replay_pid" || true
      jq -c '{pings: .actual.pings, elapsed_ms}' "$dir/replay-under-load.json" 2>/dev/null || cat "$dir/replay-under-load.json"
    fi
    if command -v jq >/dev/null; then
      jq -r --arg p "$phase" '.result.operations.ping.latency_ms as $l | [$p, $l.p50, $l.p90, $l.p99, $l.p99_9, $l.max,
        .result.deadline.later_than_deadline_plus_10_ms] | @tsv' "$dir/$phase/summary.json" >>"$dir/phases.tsv"
    fi
  done
  echo
  printf 'phase\tp50_ms\tp90_ms\tp99_ms\tp99_9_ms\tmax_ms\tlater_than_deadline_10ms\n'
  cat "$dir/phases.tsv" 2>/dev/null
}

# Starts the exchange without waiting for it: the generator is the one watching /health.
start_exchange_quietly() {
  # shellcheck disable=SC2086
  EXCHANGE_ADMIN_KEY=$exchange_admin_key start exchange java $server_java_opts -jar "$exchange_jar" \
    --port "$exchange_port" --data-dir "$out/exchange-data" ${EXCHANGE_FLAGS:-}
}

# scenario_lines TARGET SUMMARY_JSON: lines of scenario.tsv (one per phase; one for a cold start).
scenario_lines() {
  local target=$1 json=$2
  if ! command -v jq >/dev/null; then
    printf '%s\t%s\t(see %s; install jq for this table)\n' "$target" "$scenario" "$json" >>"$out/scenario.tsv"
    return
  fi
  if [ "$scenario" = cold-start ]; then
    jq -r --arg t "$target" '.result as $r | $r.operations.ping as $p |
      [$t, "cold-start", "first " + ($r.duration_seconds|tostring) + " s", $r.target_rate, $p.sent,
       ($p.goodput / $r.duration_seconds * 10 | round / 10), "",
       (($p.outcomes.bid // 0) / $r.duration_seconds * 10 | round / 10), $p.shed, "", "",
       $p.latency_ms.p50, $p.latency_ms.p99, $p.latency_ms.p99_9, $p.latency_ms.max,
       $r.deadline.later_than_deadline_plus_10_ms, "", ""] | @tsv' "$json" >>"$out/scenario.tsv"
  else
    jq -r --arg t "$target" --arg s "$scenario" '.recovery as $rec | .phases[] |
      [$t, $s, .name, .target_rate, .pings, .goodput_per_second, .goodput_share_of_base, .bids_per_second, .shed,
       .shed_within_limit, .neither, .latency_ms.p50, .latency_ms.p99, .latency_ms.p99_9,
       .latency_ms.max, "", (if .buyer_connections_per_second < 0 then "" else
       (.buyer_connections_per_second|tostring) + " (max " + (.buyer_connections_max_per_second|tostring) + ")" end),
       (if .name == "after" then "p99 back " + ($rec.p99_recovery_seconds | if . == null then
        "never" else "after \(.) s" end) + ", goodput back " + ($rec.goodput_recovery_seconds |
        if . == null then "never" else "after \(.) s" end) else "" end)] | @tsv' \
      "$json" >>"$out/scenario.tsv"
  fi
}

# --- main --------------------------------------------------------------------------------
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpus: $(nproc)"
  echo "load average: $(cat /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "top processes by CPU:"
  ps -eo pid,pcpu,etime,comm --sort=-pcpu | head -8
} >"$out/machine.txt"
if [ -n "$scenario" ]; then
  printf 'target\tscenario\tphase\trate\tpings\tgoodput_per_s\tgoodput_of_base\tbids_per_s\tshed\tshed_fast\tneither\tp50_ms\tp99_ms\tp99_9_ms\tmax_ms\tlater_than_deadline_10ms\tbuyer_conns_per_s\trecovery\n' >"$out/scenario.tsv"
  start_buyers
  echo "buyers: $([ "$stand_in" = 1 ] && echo stand-in || echo "simulator, preset $preset"), $buyers of them; scenario $scenario at $scenario_rate/s; results in $out"
  [ "$with_reference" = 1 ] && scenario_reference
  [ "$with_exchange" = 1 ] && scenario_exchange
  [ "$scenario" = replay ] && exit 0 # its table is printed above (exchange/replay/phases.tsv)
  echo
  column -t -s $'\t' "$out/scenario.tsv" 2>/dev/null || cat "$out/scenario.tsv"
  echo "reports: $out/<target>/$scenario/report.html"
  exit 0
fi

if [ -n "$steps" ]; then
  printf 'target\thighest_sustainable_rate\tload_average_after\n' >"$out/steps.tsv"
  start_buyers
  echo "buyers: $([ "$stand_in" = 1 ] && echo stand-in || echo "simulator, preset $preset"), $buyers of them; step mode; results in $out"
  if [ "$with_reference" = 1 ]; then
    start_reference
    wait_http "http://127.0.0.1:$reference_port/health" reference "$reference_pid"
    run_steps reference "http://127.0.0.1:$reference_port"
    stop_server "$reference_pid"
  fi
  if [ "$with_exchange" = 1 ]; then
    start_exchange
    register_exchange
    run_steps exchange "$exchange_url" "$exchange_seller_key"
    curl -s "$exchange_url/metrics" | grep -E '^exchange_(pings_shed_total|ping_limit|pings_total|bids_total|buyer_circuit_state.*open")' >"$out/exchange/steps/exchange-metrics.txt" || true
    curl -s "$exchange_url/v1/admin/latency" -H "Authorization: Bearer $exchange_admin_key" >"$out/exchange/steps/exchange-latency.json" || true
    stop_server "$exchange_pid"
  fi
  echo
  column -t -s $'\t' "$out/steps.tsv" 2>/dev/null || cat "$out/steps.tsv"
  awk -F'\t' '$1 == "reference" { r = $2 } $1 == "exchange" { e = $2 }
    END { if (r + 0 > 0 && e + 0 > 0) printf "exchange / reference: %.0f %%\n", 100 * e / r }' "$out/steps.tsv" | tee -a "$out/steps.tsv"
  exit 0
fi

printf 'target\ttarget_rate\tachieved_rate\tp50_ms\tp90_ms\tp99_ms\tp99_9_ms\tmax_ms\tlater_than_deadline\tlater_than_deadline_10ms\tpings\terror_rate\tserver_cores\tbuyers_cores\tgenerator_cores\tload_average\n' >"$out/summary.tsv"

start_buyers
echo "buyers: $([ "$stand_in" = 1 ] && echo stand-in || echo "simulator, preset $preset"), $buyers of them; results in $out"
if [ "$with_reference" = 1 ]; then
  bench_reference
fi
if [ "$with_exchange" = 1 ]; then
  bench_exchange
fi
echo
column -t -s $'\t' "$out/summary.tsv" 2>/dev/null || cat "$out/summary.tsv"
