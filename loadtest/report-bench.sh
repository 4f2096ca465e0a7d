#!/usr/bin/env bash
# Measures the finance reports on a year of generated data: 5 million leads by default, with their
# sales, returns, money events, feedback and daily ping rollup, written straight into the database
# of an exchange started here (its own local PostgreSQL), then timed through the HTTP API.
#
#   loadtest/report-bench.sh                      # 5,000,000 leads, 5 runs of each report
#   loadtest/report-bench.sh --leads 1000000 --runs 3 --out /tmp/rb
#   loadtest/report-bench.sh --out /tmp/rb          # again: reuses the data already generated there
#
# Needs exchange/target/exchange.jar (mvn -q package -DskipTests) and PostgreSQL 15's binaries.
# Everything listens on 127.0.0.1; the exchange and its PostgreSQL are stopped when it ends.
# Writes report-bench.tsv (one line per report: median and max seconds) under the output directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
exchange_jar=${EXCHANGE_JAR:-$root/exchange/target/exchange.jar}
leads=5000000
runs=5
port=8392
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --leads) leads=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
out=${out:-$root/loadtest/target/report-bench/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
psql=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[ -x "$psql" ] || { echo "psql not found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
key=report-bench-admin-key-0123456789
url=http://127.0.0.1:$port

java -Xmx1g -jar "$exchange_jar" --port "$port" --admin-key "$key" --data-dir "$out/data" --no-warmup \
  >"$out/exchange.log" 2>&1 &
exchange_pid=$!
trap 'kill $exchange_pid 2>/dev/null; wait $exchange_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -fs "$url/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$url/health" >/dev/null || { echo "the exchange did not start; see $out/exchange.log" >&2; exit 1; }
pg_port=$(grep -o 'local PostgreSQL on 127.0.0.1:[0-9]*' "$out/exchange.log" | head -1 | sed 's/.*://')
db="postgresql://exchange@127.0.0.1:$pg_port/exchange"

admin() { curl -fs -X "$1" -H "Authorization: Bearer $key" -H 'content-type: application/json' "$url$2" -d "$3" >/dev/null; }
existing=$("$psql" -At "$db" -c "select count(*) from leads")
if [ "$existing" -ge "$leads" ]; then
  echo "reusing the $existing leads already in $out/data"
else
echo "catalog: 20 sellers, 50 buyers, 10 campaigns"
for s in $(seq 1 20); do admin PUT "/v1/admin/sellers/seller-$s" '{"name":"s","payout":{"type":"revenue_share","percent":75}}'; done
for b in $(seq 1 50); do admin PUT "/v1/admin/buyers/buyer-$b" '{"name":"b","fixed_price":10.00,"post_url":"http://127.0.0.1:9/post"}'; done
for c in $(seq 1 10); do
  admin PUT "/v1/admin/campaigns/campaign-$c" '{"vertical":"v","fields":{"zip":{"type":"string"}},"pii_fields":["phone"],
    "tiers":[{"mode":"waterfall","buyers":["buyer-'$c'"]}]}'
done

echo "generating $leads leads over 365 days ..."
start=$(date +%s)
"$psql" -q -v ON_ERROR_STOP=1 "$db" >"$out/generate.log" 2>&1 <<SQL
set synchronous_commit = off;
-- Sales carry their lead's report keys (V10); written here the way LeadStore writes them.
-- Ids as the catalog made them: sellers, buyers and campaigns are numbered from 1 in creation order.
insert into leads (id, ping_id, ping_received_at, campaign_id, seller_id, source, test, created_at, status, reason,
                   seller_price_cents, answer, pii, updated_at, quoted_buyer_id)
-- Each seller has two sources, each campaign five buyers: about 2,000 ping_daily rows a day.
select gen_random_uuid(), gen_random_uuid(), t, 1 + i % 10, 1 + (i / 7) % 20, 'src-' || (i / 7) % 20 || '-' || i % 2,
       false, t + interval '2 s', case when i % 10 < 7 then 'sold' else 'unsold' end,
       case when i % 10 < 7 then null else 'rejected' end, null, null, null, t, 1 + ((i % 10) * 5 + (i / 3) % 5) % 50
from (select i, now() - interval '365 days' + i * (interval '365 days' / $leads) as t
      from generate_series(0, $leads - 1) i) g;
insert into sales (lead_id, buyer_id, price_cents, seller_payout_cents, test, sold_at, reference, returned_at,
                   ping_received_at, campaign_id, seller_id, source)
select id, quoted_buyer_id, price, round(price * 0.75), false, created_at, null,
       case when hashtext(id::text) % 20 = 0 then created_at + interval '2 days' end,
       ping_received_at, campaign_id, seller_id, source
from (select *, 500 + (hashtext(id::text) & 2047) as price from leads where status = 'sold' order by ping_received_at) l;
insert into money_events (at, kind, lead_id, sale_id, buyer_id, seller_id, amount_cents, test)
select s.sold_at, k.kind, s.lead_id, s.id, s.buyer_id, l.seller_id,
       case when k.kind in ('sale', 'refund') then s.price_cents else s.seller_payout_cents end, false
from sales s join leads l on l.id = s.lead_id
cross join (values ('sale'), ('payout'), ('refund'), ('clawback')) k(kind)
where k.kind in ('sale', 'payout') or s.returned_at is not null;
update money_events set at = at + interval '2 days' where kind in ('refund', 'clawback');
insert into feedback (sale_id, status, reason, at)
select id, case when id % 3 = 0 then 'converted' else 'contacted' end, null, sold_at + interval '1 day'
from sales where id % 5 = 0;
update sales set converted_at = sold_at + interval '1 day' where id % 5 = 0 and id % 3 = 0;
update sales set contacted_at = sold_at + interval '1 day' where id % 5 = 0 and id % 3 <> 0;
insert into ping_daily (day, campaign_id, seller_id, source, buyer_id, pings, bids)
select (ping_received_at at time zone 'UTC')::date, campaign_id, seller_id, source, quoted_buyer_id,
       count(*) * 8, count(*) * 5
from leads group by 1, 2, 3, 4, 5
on conflict do nothing;
vacuum analyze;
SQL
echo "generated in $(( $(date +%s) - start )) s"
fi
"$psql" -At "$db" -c "select 'leads ' || count(*) from leads union all select 'sales ' || count(*) from sales
  union all select 'money_events ' || count(*) from money_events union all select 'ping_daily ' || count(*) from ping_daily
  union all select 'database ' || pg_size_pretty(pg_database_size('exchange'))" | tee "$out/data.txt"

month_from=$(date -u -d '-45 days' +%Y-%m-01)
month_to=$(date -u -d "$month_from +1 month -1 day" +%F)
year_from=$(date -u -d '-364 days' +%F)
today=$(date -u +%F)
printf 'report\tmedian_s\tmax_s\trows\n' >"$out/report-bench.tsv"
time_report() {
  local name=$1 path=$2 times=() rows
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -fs -o "$out/last.json" -w '%{time_total}' -H "Authorization: Bearer $key" "$url$path")")
  done
  rows=$(grep -o '"rows":\[' "$out/last.json" >/dev/null && python3 -c "import json;print(len(json.load(open('$out/last.json')).get('rows',json.load(open('$out/last.json')).get('days',[]))))" 2>/dev/null || echo -)
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" -v r="$rows" '{a[NR]=$1} END {printf "%s\t%s\t%s\t%s\n", n, a[int((NR+1)/2)], a[NR], r}' \
    | tee -a "$out/report-bench.tsv"
}
time_report "month by seller,campaign,day" "/v1/reports/revenue?from=$month_from&to=$month_to&group_by=seller,campaign,day"
time_report "month totals" "/v1/reports/revenue?from=$month_from&to=$month_to"
time_report "month by buyer (csv)" "/v1/reports/revenue?from=$month_from&to=$month_to&group_by=buyer&format=csv"
time_report "year by campaign" "/v1/reports/revenue?from=$year_from&to=$today&group_by=campaign"
time_report "seller statement, month" "/v1/reports/statements/sellers/seller-3?from=$month_from&to=$month_to"
time_report "balances (whole ledger)" "/v1/reports/balances"
echo "results: $out/report-bench.tsv"
