-- Reports at volume (measured on a year of 5 million leads, docs/performance.md): the first layout
-- joined every sale of a period to its lead, and PostgreSQL read the whole sales table to do it.
-- A sale now carries what a report groups it by (its lead's ping time, campaign, seller, source),
-- written with the sale, and the feedback stamps finance counts; the report reads a period's
-- sales by one index and no join.

alter table sales
  add column ping_received_at timestamptz,
  add column campaign_id integer,
  add column seller_id integer,
  add column source text,
  add column contacted_at timestamptz,
  add column qualified_at timestamptz,
  add column converted_at timestamptz;

update sales s set ping_received_at = l.ping_received_at, campaign_id = l.campaign_id, seller_id = l.seller_id,
                   source = l.source
from leads l where l.id = s.lead_id;

update sales s set contacted_at = f.contacted, qualified_at = f.qualified, converted_at = f.converted
from (select sale_id, min(at) filter (where status = 'contacted') as contacted,
             min(at) filter (where status = 'qualified') as qualified,
             min(at) filter (where status = 'converted') as converted
      from feedback group by sale_id) f
where f.sale_id = s.id;

alter table sales
  alter column ping_received_at set not null,
  alter column campaign_id set not null,
  alter column seller_id set not null,
  alter column source set not null;

create index sales_ping_received on sales (ping_received_at) where not test;

-- Statements sum a party's events before a period (its opening balance): with the kind and amount
-- in the index, that is an index-only scan, not a heap fetch per event.
drop index money_events_seller_at;
drop index money_events_buyer_at;
create index money_events_seller_at on money_events (seller_id, at) include (kind, amount_cents) where not test;
create index money_events_buyer_at on money_events (buyer_id, at) include (kind, amount_cents) where not test;
