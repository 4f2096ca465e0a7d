#!/usr/bin/env bash
# Chaos run: two exchange instances on one PostgreSQL, the buyer simulator, and the open-loop load
# generator spreading pings and posts over both instances, while one instance at a time is killed
# with kill -9 and started again. At the end the ledger is compared with what the generator was
# told, lead by lead (loadtest/chaos-check.sql). See docs/operations.md, "What a crash does".
#
#   loadtest/chaos.sh                          # 5 minutes at 100 arrivals/s
#   loadtest/chaos.sh --duration 60 --rate 50 --out /tmp/chaos
#
# Needs built jars (mvn -q package -DskipTests) and the PostgreSQL server binaries (initdb,
# pg_ctl, psql). Everything listens on 127.0.0.1; every process it starts is stopped when it ends.
# Exit status: 0 when every check holds, 1 when one does not (or something failed to start).
#
# Writes under the output directory (default loadtest/target/chaos/<UTC time>):
#   outcomes.csv        every post's and direct post's answer as the generator got it
#   check.txt           the checks and the counts behind them
#   kills.log           when which instance was killed and restarted
#   report/             the generator's reports; exchange-a.log, exchange-b.log, buyers.log ...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
loadtest_jar=${LOADTEST_JAR:-$root/loadtest/target/loadtest.jar}
simulator_jar=${SIMULATOR_JAR:-$root/buyer-simulator/target/buyer-simulator.jar}
exchange_jar=${EXCHANGE_JAR:-$root/exchange/target/exchange.jar}

duration=300
rate=100
buyers=8
kill_every_min=8     # seconds between kills: random in [min, max]
kill_every_max=20
down_min=1           # seconds an instance stays dead: random in [min, max]
down_max=5
lease_margin_ms=10000
port_a=8461
port_b=8462
buyer_port=9461
seed=7
out=""
server_java_opts=${SERVER_JAVA_OPTS:--Xms256m -Xmx384m}
admin_key=chaos-admin-key-0123456789

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  cat <<EOF
Options:
  --duration S            measured seconds of load (default: $duration)
  --rate N                arrivals per second, pings plus direct posts (default: $rate)
  --buyers N              simulated buyers (default: $buyers)
  --kill-every MIN:MAX    seconds between kills (default: $kill_every_min:$kill_every_max)
  --down MIN:MAX          seconds a killed instance stays down (default: $down_min:$down_max)
  --lease-margin-ms MS    the exchanges' --lease-margin-ms (default: $lease_margin_ms)
  --seed N                seed of the kills, the buyers and the leads (default: $seed)
  --out DIR               output directory (default: loadtest/target/chaos/<UTC time>)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --buyers) buyers=$2; shift 2 ;;
    --kill-every) kill_every_min=${2%:*}; kill_every_max=${2#*:}; shift 2 ;;
    --down) down_min=${2%:*}; down_max=${2#*:}; shift 2 ;;
    --lease-margin-ms) lease_margin_ms=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

for jar in "$loadtest_jar" "$simulator_jar" "$exchange_jar"; do
  [ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests ($jar missing)" >&2; exit 1; }
done
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$pg_bin/initdb" ] || pg_bin=$(dirname "$(command -v initdb || echo /nonexistent/initdb)")
[ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL server binaries (initdb, pg_ctl); set PG_BIN" >&2; exit 1; }
out=${out:-$root/loadtest/target/chaos/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
RANDOM=$seed

# --- processes ---------------------------------------------------------------------------
pids=()
pg_dir=""
as_pg=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$pg_dir" ] && [ "$keep_db" = 0 ]; then
    rm -rf "$pg_dir"
  elif [ -n "$pg_dir" ]; then
    echo "the database is kept for a look: ${as_pg[*]} $pg_bin/pg_ctl -D $pg_dir/data -o '-p $pg_port" \
      "-c listen_addresses=127.0.0.1 -c unix_socket_directories=' start; psql -h 127.0.0.1 -p $pg_port -U exchange exchange" >&2
  fi
}
keep_db=1
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/kills.log" >&2; }

wait_health() { # URL PID NAME (a loaded machine may take minutes to start a JVM: up to 5)
  local until=$((SECONDS + 300))
  while [ $SECONDS -lt $until ]; do
    curl -fs -o /dev/null --max-time 5 "$1/health" && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 died:" >&2; tail -50 "$out/$3.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$3 not healthy in 300 s" >&2
  exit 1
}

# --- PostgreSQL of its own ------------------------------------------------------------------
# PostgreSQL refuses to run as root: then its commands run as the postgres user, in a directory
# that user can reach.
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)
  pg_dir=$(mktemp -d /var/tmp/leadex-chaos-pg.XXXXXX)
  chown postgres: "$pg_dir"
else
  pg_dir="$out/pg"
  mkdir -p "$pg_dir"
fi
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U exchange --auth=trust -E UTF8 --locale=C >"$out/initdb.log" 2>&1
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200" start >/dev/null
psql_() { "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U exchange -v ON_ERROR_STOP=1 "$@"; }
psql_ -d postgres -qc "create database exchange"
database_url="postgresql://exchange@127.0.0.1:$pg_port/exchange"
log "PostgreSQL on 127.0.0.1:$pg_port ($pg_dir)"

# --- buyers, exchanges ----------------------------------------------------------------------
java -Xmx256m -jar "$simulator_jar" --port "$buyer_port" --buyers "$buyers" --preset realistic \
  --seed "$seed" --id-prefix sim >"$out/buyers.log" 2>&1 &
buyers_pid=$!
pids+=("$buyers_pid")
wait_health "http://127.0.0.1:$buyer_port" "$buyers_pid" buyers

declare -A exchange_pid
start_exchange() { # a|b
  local name=$1 port
  port=$([ "$1" = a ] && echo $port_a || echo $port_b)
  # shellcheck disable=SC2086
  DATABASE_URL=$database_url EXCHANGE_ADMIN_KEY=$admin_key java $server_java_opts -jar "$exchange_jar" \
    --port "$port" --lease-margin-ms "$lease_margin_ms" --no-warmup >>"$out/exchange-$name.log" 2>&1 &
  exchange_pid[$name]=$!
  pids+=("$!")
  wait_health "http://127.0.0.1:$port" "$!" "exchange-$name"
}
start_exchange a
start_exchange b
url_a="http://127.0.0.1:$port_a"
url_b="http://127.0.0.1:$port_b"

# Half the buyers have caps and a capacity (never reached), so that their offers hold reserved
# units: a unit leaked by a killed instance shows in the usage check.
admin() { curl -fs -X "$1" "$url_a$2" -H "Authorization: Bearer $admin_key" -H 'content-type: application/json' ${3:+-d "$3"}; }
ids=()
for i in $(seq 1 "$buyers"); do
  id=$(printf 'sim-%03d' "$i")
  ids+=("\"$id\"")
  limits=""
  [ $((i % 2)) = 0 ] && limits=',"caps":{"daily":1000000,"hourly":1000000},"max_concurrent":1000000'
  admin PUT "/v1/admin/buyers/$id" "{\"name\":\"$id\",\"bid_url\":\"http://127.0.0.1:$buyer_port/buyers/$id/bid\",
    \"post_url\":\"http://127.0.0.1:$buyer_port/buyers/$id/post\",\"timeout_ms\":250$limits}" >/dev/null
done
buyer_list=$(IFS=,; echo "${ids[*]}")
admin PUT /v1/admin/campaigns/auto-insurance "{\"vertical\":\"auto-insurance\",
  \"fields\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\",\"required\":true},
              \"state\":{\"type\":\"string\",\"required\":true},\"age\":{\"type\":\"integer\",\"min\":18,\"max\":120}},
  \"pii_fields\":[\"first_name\",\"last_name\",\"email\",\"phone\",\"address\"],
  \"ping_timeout_ms\":300,\"post_timeout_ms\":1000,\"ping_ttl_s\":300,\"dedupe_days\":30,\"floor\":1.00,
  \"tiers\":[{\"mode\":\"auction\",\"buyers\":[$buyer_list]}]}" >/dev/null
seller_key=$(admin PUT /v1/admin/sellers/chaos-seller '{"name":"chaos","payout":{"type":"revenue_share","percent":80}}' \
  | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
[ -n "$seller_key" ] || { echo "could not create the seller" >&2; exit 1; }

# --- load, and the kills ---------------------------------------------------------------------
log "load: $rate arrivals/s for $duration s over $url_a and $url_b; kill -9 every ${kill_every_min}-${kill_every_max} s"
LEADEX_SELLER_KEY=$seller_key java -Xmx384m -jar "$loadtest_jar" --url "$url_a" --also-url "$url_b" \
  --rate "$rate" --duration "$duration" --warmup 10 --post-ratio 0.8 --direct-ratio 0.1 \
  --deadline-ms 300 --timeout-ms 30000 --connections 100 --seed "$seed" \
  --outcomes "$out/outcomes.csv" --out "$out/report" >"$out/report.txt" 2>"$out/progress.log" &
generator_pid=$!
pids+=("$generator_pid")

kills=0
while kill -0 "$generator_pid" 2>/dev/null; do
  sleep $((kill_every_min + RANDOM % (kill_every_max - kill_every_min + 1)))
  kill -0 "$generator_pid" 2>/dev/null || break
  victim=$([ $((RANDOM % 2)) = 0 ] && echo a || echo b)
  log "kill -9 exchange-$victim (pid ${exchange_pid[$victim]})"
  kill -9 "${exchange_pid[$victim]}" 2>/dev/null || true
  wait "${exchange_pid[$victim]}" 2>/dev/null || true
  kills=$((kills + 1))
  sleep $((down_min + RANDOM % (down_max - down_min + 1)))
  start_exchange "$victim"
  log "exchange-$victim is back (pid ${exchange_pid[$victim]})"
done
wait "$generator_pid" || { echo "the generator failed:" >&2; tail -20 "$out/progress.log" >&2; exit 1; }
log "load done after $kills kills"

# Leads left by a killed instance are resolved when their leases expire (post timeout + margin).
for _ in $(seq 1 120); do
  [ "$(psql_ -d exchange -tAc "select count(*) from leads where status = 'delivering'")" = 0 ] && break
  sleep 1
done
curl -fs "http://127.0.0.1:$buyer_port/stats" >"$out/buyers-stats.json" || true

# --- the checks -------------------------------------------------------------------------------
charged=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print(t["accepted"], t["charged_cents"], t["abandoned"])' \
  "$out/buyers-stats.json" 2>/dev/null || echo "? ? ?")
read -r accepted charged_cents abandoned <<<"$charged"
# (psql does not expand variables inside \copy: the file's name is put in the script's text)
sed "s|:'outcomes'|'$out/outcomes.csv'|" "$here/chaos-check.sql" \
  | psql_ -d exchange -q -v buyer_accepted="${accepted:-0}" -v buyer_charged="${charged_cents:-0}" \
      -v buyer_abandoned="${abandoned:-0}" | tee "$out/check.txt"
echo "kills: $kills (see kills.log); outputs in $out" | tee -a "$out/check.txt"
grep -q '^FAIL' "$out/check.txt" && exit 1
keep_db=0
exit 0
