-- Finance reports (GET /v1/reports/...). Reports must stay fast over years of data while pings
-- and bids are dropped after a few days (PartitionKeeper), so:
--
--  * ping_daily is a rollup of the ping time series, written by the ping recorder in the same
--    statement as the pings themselves (so a ping is counted once, even when a batch is retried).
--    One row per UTC day, campaign, seller, source and quoted buyer (0: no offer); test traffic is
--    not counted. A year of it is a few hundred thousand rows however many pings there were.
--  * Posts, sales and money are read from leads, sales and feedback (small tables kept for years)
--    through the indexes below: a month's report reads that month's leads by their ping's time.

create table ping_daily (
  day         date not null,
  campaign_id integer not null,
  seller_id   integer not null,
  source      text not null,
  buyer_id    integer not null,        -- the buyer quoted at ping time; 0 when nobody offered
  pings       bigint not null,
  bids        bigint not null,         -- pings with at least one offer (fixed-price ones included)
  primary key (day, campaign_id, seller_id, source, buyer_id)
);

-- The buyer whose offer was quoted for the lead's ping (its first offer); null when there was none.
-- Reports attribute a lead's ping-time figures (pings, bids, posts) to it.
alter table leads add column quoted_buyer_id integer;

-- Reports select a period's leads by their ping's time; test leads are never reported.
create index leads_ping_received on leads (ping_received_at) where not test;

-- Statements: one party's money events in a period.
create index money_events_seller_at on money_events (seller_id, at) where not test;
create index money_events_buyer_at on money_events (buyer_id, at) where not test;

-- Rows written before this migration: count the pings still kept.
insert into ping_daily (day, campaign_id, seller_id, source, buyer_id, pings, bids)
select (received_at at time zone 'UTC')::date, campaign_id, seller_id, source,
       coalesce((offers -> 0 ->> 0)::integer, 0), count(*), count(*) filter (where jsonb_array_length(offers) > 0)
from pings where not test
group by 1, 2, 3, 4, 5;
