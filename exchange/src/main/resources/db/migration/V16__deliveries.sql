-- The outbox of webhook deliveries: a copy of a sold lead to the buyer's CRM ('crm') and a notice
-- of it to a channel or rep ('notify'). Rows are written in the sale's own transaction, so a copy
-- exists exactly when the sale does; a worker on every instance claims due rows with
-- `for update skip locked` and sends them after the seller has had its answer. The body is
-- rendered at sale time (a later catalog change does not rewrite what was sold) and holds the
-- lead's PII for 'crm' rows, like leads.pii.
create table deliveries (
  id           bigint generated always as identity primary key,
  lead_id      uuid not null references leads (id),
  buyer_id     integer not null,
  kind         text not null check (kind in ('crm', 'notify')),
  url          text not null,
  content_type text not null,
  body         text not null,
  status       text not null check (status in ('pending', 'delivered', 'dead')),
  attempts     integer not null default 0,
  max_attempts integer not null check (max_attempts >= 1),
  next_at      timestamptz not null,   -- when a pending row is due; while being sent, its lease
  last_error   text,
  created_at   timestamptz not null,
  delivered_at timestamptz
);
-- Small partial indexes: the worker reads due pending rows, the dashboard lists dead ones.
create index deliveries_due on deliveries (next_at) where status = 'pending';
create index deliveries_dead on deliveries (id) where status = 'dead';
create index deliveries_lead on deliveries (lead_id);
