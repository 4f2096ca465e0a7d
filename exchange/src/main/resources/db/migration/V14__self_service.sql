-- Self-service (CONTRACT "Self-service"): buyers change some of their own settings, and every
-- change to the catalog made through the API is kept in an audit log.

-- Whether the buyer paused itself. A buyer may lift its own pause, not one an admin set: an
-- admin's PUT resets this, the buyer's PATCH sets it when it pauses.
alter table buyers add column paused_by_buyer boolean not null default false;

create table audit_log (
  id          bigint generated always as identity primary key,
  at          timestamptz not null,
  actor_role  text not null,
  actor       text,              -- the seller/buyer id, or null for an admin key
  key_id      text,
  action      text not null,     -- e.g. buyer.patch, buyer.put, campaign.put, key.revoke
  target      text not null,     -- e.g. buyers/acme
  changes     jsonb not null     -- {"field": {"from": ..., "to": ...}} or the document written
);
create index audit_log_at on audit_log (at);
