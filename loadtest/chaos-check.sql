-- The ledger against what sellers were told, lead by lead (run by loadtest/chaos.sh with psql):
--   sed "s|:'outcomes'|'FILE'|" chaos-check.sql | psql -v buyer_accepted=N -v buyer_charged=CENTS -v buyer_abandoned=N
-- FILE is the generator's --outcomes CSV (psql expands no variable inside \copy, hence the sed). Each check prints PASS or FAIL with the count of leads
-- that break it; the lines after them are counts for the record.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on

create temp table told (op text, ping_id text, lead_id text, http_status int, outcome text, price text, reason text);
\copy told from :'outcomes' csv header

create temp view answered as
  select t.*, l.id as lid, l.ping_id as lping, l.status, l.reason as lreason, l.seller_price_cents,
         round(t.price::numeric * 100)::bigint as price_cents
  from told t left join leads l on l.id = nullif(t.lead_id, '')::uuid
  where t.http_status = 200;

create temp table checks (n serial, name text, broken bigint);

insert into checks (name, broken)
select 'every "sold" answer has its lead sold, with one sale paying the seller exactly that price',
  count(*) from answered a
  where a.outcome = 'sold' and (a.status is distinct from 'sold' or a.seller_price_cents is distinct from a.price_cents
    or (select count(*) from sales s where s.lead_id = a.lid) <> 1
    or (select sum(s.seller_payout_cents) from sales s where s.lead_id = a.lid) is distinct from a.price_cents);

insert into checks (name, broken)
select 'every "unsold" answer has its lead unsold for the same reason, with no sale',
  count(*) from answered a
  where a.outcome = 'unsold' and (a.status is distinct from 'unsold' or a.lreason is distinct from a.reason
    or exists (select 1 from sales s where s.lead_id = a.lid));

insert into checks (name, broken)
select 'a post''s lead is the lead of the ping it posted',
  count(*) from answered a where a.op = 'post' and a.lping is distinct from nullif(a.ping_id, '')::uuid;

insert into checks (name, broken)
select 'no lead got two different answers',
  count(*) from (select lead_id from told where http_status = 200 and lead_id <> ''
                 group by lead_id having count(distinct outcome || coalesce(price, '') || coalesce(reason, '')) > 1) x;

insert into checks (name, broken)
select 'no lead has two sales', count(*) from (select lead_id from sales group by lead_id having count(*) > 1) x;

insert into checks (name, broken)
select 'no ping has two leads', count(*) from (select ping_id from leads group by ping_id having count(*) > 1) x;

insert into checks (name, broken)
select 'no lead is left delivering', count(*) from leads where status = 'delivering';

insert into checks (name, broken)
select 'every sale has one sale and one payout money event of its amounts',
  count(*) from sales s
  where (select count(*) from money_events m where m.sale_id = s.id and m.kind = 'sale' and m.amount_cents = s.price_cents) <> 1
     or (select count(*) from money_events m where m.sale_id = s.id and m.kind = 'payout'
         and m.amount_cents = s.seller_payout_cents) <> 1
     or (select count(*) from money_events m where m.sale_id = s.id) <> 2;

insert into checks (name, broken)
select 'every sold lead has a sale, every sale a sold lead',
  (select count(*) from leads l where l.status = 'sold' and not exists (select 1 from sales s where s.lead_id = l.id))
  + (select count(*) from sales s join leads l on l.id = s.lead_id where l.status <> 'sold');

insert into checks (name, broken)
select 'no cap unit is still reserved', count(*) from lead_reservations;

insert into checks (name, broken)
select 'each buyer''s counted usage equals its sales (leads and cents, hourly and daily)',
  count(*) from (
    select b.id,
      (select coalesce(sum(sold), 0) from buyer_usage u where u.buyer_id = b.id and u.period = 'd') as day_sold,
      (select coalesce(sum(sold), 0) from buyer_usage u where u.buyer_id = b.id and u.period = 'h') as hour_sold,
      (select coalesce(sum(spent_cents), 0) from buyer_usage u where u.buyer_id = b.id and u.period = 'd') as day_spent,
      (select count(*) from sales s where s.buyer_id = b.id and not s.test) as sales,
      (select coalesce(sum(price_cents), 0) from sales s where s.buyer_id = b.id and not s.test) as spent
    from buyers b) x
  where day_sold <> sales or hour_sold <> sales or day_spent <> spent;

insert into checks (name, broken)
select 'each buyer''s open leads equal its sales not yet closed',
  count(*) from buyers b
  where coalesce((select open_leads from buyer_state st where st.buyer_id = b.id), 0)
     <> (select count(*) from sales s where s.buyer_id = b.id and not s.test and s.closed_at is null);

insert into checks (name, broken)
select 'dedupe claims are held by sold leads only', count(*) from lead_contacts c
  where not exists (select 1 from leads l where l.id = c.lead_id and l.status = 'sold');

select case when broken = 0 then 'PASS' else 'FAIL' end || '  ' || name || ': ' || broken from checks order by n;

select '';
select 'answers the generator got (posts and direct posts): ' || count(*) from told;
select '  ' || rpad(outcome || coalesce(' (' || nullif(reason, '') || ')', ''), 40) || count(*) from told
  group by outcome, reason order by count(*) desc;
select 'leads in the ledger: ' || count(*) || ', sold ' || count(*) filter (where status = 'sold')
  || ', unsold ' || count(*) filter (where status = 'unsold') from leads;
select 'sales: ' || count(*) || ', buyers paid ' || coalesce(sum(price_cents), 0) || ' cents, sellers owed '
  || coalesce(sum(seller_payout_cents), 0) || ' cents' from sales;
select 'leads sold whose seller got no answer (its instance died or the answer was lost): '
  || count(*) from leads l where l.status = 'sold'
  and not exists (select 1 from told t where t.http_status = 200 and t.lead_id = l.id::text);
select 'leads closed unsold (error) after a take-over, an offer interrupted: '
  || count(distinct lead_id) from post_attempts where reason like 'interrupted%';
select 'the buyers'' side (buyer simulator): accepted ' || :'buyer_accepted' || ' posts for '
  || :'buyer_charged' || ' cents, abandoned ' || :'buyer_abandoned'
  || ' (client gone before the answer); accepted beyond the ledger''s sales: '
  || (:'buyer_accepted'::bigint - (select count(*) from sales)) || ' posts, '
  || (:'buyer_charged'::bigint - (select coalesce(sum(price_cents), 0) from sales)) || ' cents';
