#!/usr/bin/env bash
# The demo: builds the jars, starts the exchange (with a PostgreSQL of its own under ./data), starts
# ten simulated buyers registered with it, then pings and posts as a seller would and shows what
# happened. Everything keeps running until Ctrl-C, which stops it all cleanly.
#
# Settings: EXCHANGE_PORT (8080), SIMULATOR_PORT (9100), EXCHANGE_ADMIN_KEY (a demo key), PINGS (20).
set -euo pipefail
cd "$(dirname "$0")"

PORT=${EXCHANGE_PORT:-8080}
SIM_PORT=${SIMULATOR_PORT:-9100}
ADMIN_KEY=${EXCHANGE_ADMIN_KEY:-demo-admin-key-change-me}
PINGS=${PINGS:-20}
URL="http://127.0.0.1:$PORT"
LOGS=target/demo
mkdir -p "$LOGS"

say() { printf '\n== %s\n' "$*"; }
pids=()
cleanup() {
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

say "building the jars (mvn -q package -DskipTests)"
mvn -B -q package -DskipTests

say "starting the exchange on $URL (log: $LOGS/exchange.log)"
EXCHANGE_ADMIN_KEY="$ADMIN_KEY" java -jar exchange/target/exchange.jar --port "$PORT" >"$LOGS/exchange.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -fs "$URL/health" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$LOGS/exchange.log"; exit 1; }
  sleep 0.5
done
grep -E "PostgreSQL|ready" "$LOGS/exchange.log" | sed 's/^/   /'

say "starting 10 simulated buyers on 127.0.0.1:$SIM_PORT and registering them, a campaign and a seller"
java -jar buyer-simulator/target/buyer-simulator.jar --port "$SIM_PORT" --buyers 10 --preset realistic --seed 42 \
  --register "$URL" --admin-key "$ADMIN_KEY" --campaign auto-insurance --seller demo-seller \
  >"$LOGS/simulator.log" 2>&1 &
pids+=($!)
SELLER_KEY=""
for _ in $(seq 1 60); do
  SELLER_KEY=$(grep '^seller_api_key=' "$LOGS/simulator.log" 2>/dev/null | cut -d= -f2- || true)
  [ -n "$SELLER_KEY" ] && break
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$LOGS/simulator.log"; exit 1; }
  sleep 0.5
done
[ -n "$SELLER_KEY" ] || { echo "the simulator did not register"; cat "$LOGS/simulator.log"; exit 1; }
sed 's/^/   /' "$LOGS/simulator.log"

field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d.get('$1', ''))"; }

say "a seller pings $PINGS leads and posts those that got a price"
sold=0; unsold=0; no_bid=0; last_ping=""
states=(CA NV TX NY FL WA)
for i in $(seq 1 "$PINGS"); do
  state=${states[$((i % ${#states[@]}))]}
  age=$((25 + i % 40))
  zip=$(printf '9%04d' "$i")
  lead="{\"zip\":\"$zip\",\"state\":\"$state\",\"age\":$age}"
  ping=$(curl -s "$URL/v1/ping" -H "Authorization: Bearer $SELLER_KEY" -H 'content-type: application/json' \
    -d "{\"campaign\":\"auto-insurance\",\"source\":\"demo\",\"lead\":$lead}")
  status=$(echo "$ping" | field status)
  ping_id=$(echo "$ping" | field ping_id)
  if [ "$status" = "bid" ]; then
    full="{\"zip\":\"$zip\",\"state\":\"$state\",\"age\":$age,\"first_name\":\"Demo\",\"last_name\":\"Lead$i\",\"email\":\"lead$i@example.com\",\"phone\":\"+1310555$(printf '%04d' "$i")\",\"address\":\"$i Main St\"}"
    post=$(curl -s "$URL/v1/post" -H "Authorization: Bearer $SELLER_KEY" -H 'content-type: application/json' \
      -d "{\"ping_id\":\"$ping_id\",\"lead\":$full}")
    printf '   ping %2d: quoted $%-6s -> %s\n' "$i" "$(echo "$ping" | field price)" "$post"
    case "$post" in *'"sold"'*) sold=$((sold + 1)); last_ping=$ping_id;; *) unsold=$((unsold + 1));; esac
  else
    printf '   ping %2d: no bid\n' "$i"
    no_bid=$((no_bid + 1))
  fi
done
say "result: $sold sold, $unsold unsold after a price, $no_bid without a bid"

if [ -n "$last_ping" ]; then
  say "the decision trace of ping $last_ping (GET /v1/admin/pings/{id})"
  curl -s "$URL/v1/admin/pings/$last_ping" -H "Authorization: Bearer $ADMIN_KEY" | python3 -m json.tool | sed 's/^/   /'
fi

say "latency percentiles so far (GET /v1/admin/latency)"
curl -s "$URL/v1/admin/latency" -H "Authorization: Bearer $ADMIN_KEY" | python3 -c \
  "import json,sys; d=json.load(sys.stdin); [print('   %-5s count %4d  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms' % (k, d[k]['count'], d[k]['p50'], d[k]['p99'], d[k]['max'])) for k in ('ping','post')]"

cat <<MSG

The exchange is at $URL (admin key: $ADMIN_KEY, seller key: $SELLER_KEY).
Try:  curl -s $URL/metrics | grep exchange_
      curl -s $URL/v1/admin/buyers -H "Authorization: Bearer $ADMIN_KEY"
      curl -s http://127.0.0.1:$SIM_PORT/stats
Logs in $LOGS/. Ctrl-C stops everything.
MSG
if [ -t 0 ] && [ "${DEMO_EXIT:-0}" != 1 ]; then
  wait
fi
