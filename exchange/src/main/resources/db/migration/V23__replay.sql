-- What-if replay (docs/replay.md). A past ping is decided again under a changed plan, so each ping
-- records the catalog version its decision used, and every version of every catalog document is
-- kept: the plan in force for a ping is, per document, its latest version at or before the ping's.
alter table pings add column plan_version integer;

create table catalog_history (
  kind     text not null check (kind in ('seller', 'buyer', 'campaign')),
  id       integer not null,
  version  bigint not null,
  doc      jsonb not null,
  primary key (kind, id, version)
);

-- Every catalog write bumps catalog_version in its own transaction, after changing its documents
-- (CatalogStore), so the documents written by that transaction are the ones updated "now" (the
-- transaction's start time): they are copied under the new version. A trigger, so that no writer
-- (admin, self-service, a future one) can change the plan without leaving its history.
create function catalog_history_record() returns trigger language plpgsql as $$
begin
  insert into catalog_history (kind, id, version, doc)
    select 'seller', id, new.version, doc from sellers where updated_at = now()
    union all select 'buyer', id, new.version, doc from buyers where updated_at = now()
    union all select 'campaign', id, new.version, doc from campaigns where updated_at = now()
  on conflict do nothing;
  return new;
end $$;

create trigger catalog_history_on_bump after update on catalog_version
  for each row execute function catalog_history_record();

-- The documents as they are now stand for every version before this migration.
insert into catalog_history (kind, id, version, doc)
  select 'seller', id, 0, doc from sellers
  union all select 'buyer', id, 0, doc from buyers
  union all select 'campaign', id, 0, doc from campaigns;

-- A replay (and a trace) finds a ping's bids through the BRIN index on ping_id. BRIN only covers
-- block ranges that have been summarized, which by default only a vacuum does: the rest is read
-- whole. autosummarize asks autovacuum to summarize each range as soon as inserts move past it.
drop index bids_ping_brin;
create index bids_ping_brin on bids using brin (ping_id) with (pages_per_range = 16, autosummarize = on);
