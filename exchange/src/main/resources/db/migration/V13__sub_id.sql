-- A seller's sub-source ("sub_id" on a ping or direct post, up to 64 characters), for the
-- affiliate links and placements under one source; reports group by it (group_by=sub_id).
-- Pings keep it (a post inherits it from its ping), leads and sales carry it like their other
-- report keys, and the daily ping rollup counts by it ('' when absent, so it can be in the key).
alter table pings add column sub_id text;
alter table leads add column sub_id text;
alter table sales add column sub_id text;
alter table ping_daily add column sub_id text not null default '';
alter table ping_daily drop constraint ping_daily_pkey;
alter table ping_daily add primary key (day, campaign_id, seller_id, source, sub_id, buyer_id);
