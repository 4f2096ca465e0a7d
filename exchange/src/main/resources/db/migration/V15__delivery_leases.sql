-- Crash safety of deliveries. A lead is delivered by one instance at a time, under a lease: the
-- instance that claims it (or takes it over) writes its id and an expiry, and renews the expiry
-- before each offer it sends, to cover that offer's post_timeout_ms plus a margin. An instance that
-- dies mid-delivery stops renewing; any instance then finds the lead by its expired lease, takes it
-- over and resolves it (see delivery/StuckLeads). A slow but living instance that lost its lease
-- cannot send another offer: the renewal is the fence (it names the owner).
--
-- offering: the index (in the ping's offers) of the last offer that may have reached a buyer; null
-- while no post has been sent. A lead taken over with offering null is delivered from the start; one
-- with an offer possibly in a buyer's hands is closed unsold, never offered to anyone else (it could
-- be sold twice). -1: unknown (leads that were delivering when this migration ran).
alter table leads add column lease_owner text;
alter table leads add column lease_until timestamptz;
alter table leads add column offering smallint;
update leads set lease_until = updated_at, offering = -1 where status = 'delivering';
create index leads_delivering_lease on leads (lease_until) where status = 'delivering';

-- The cap and capacity unit a lead holds while its buyer decides (at most one per lead: offers are
-- sent one after another). Written in the reservation's transaction, deleted when the unit is given
-- back or becomes the sale's, so a unit held by an instance that died is found and given back.
create table lead_reservations (
  lead_id      uuid primary key,
  buyer_id     integer not null,
  price_cents  bigint not null,
  hour_start   timestamptz not null,
  day_start    timestamptz not null,
  capacity     boolean not null,
  at           timestamptz not null default now()
);
