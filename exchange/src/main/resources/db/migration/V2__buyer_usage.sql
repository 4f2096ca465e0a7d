-- What routing needs to know about each buyer beyond its settings, kept exact across instances.

-- When it last bought a lead (round robin) and how many leads it holds open (max_concurrent).
create table buyer_state (
  buyer_id     integer primary key,
  last_sold_at timestamptz,
  open_leads   integer not null default 0 check (open_leads >= 0)
);

-- Leads taken and money spent per buyer per hour ('h') and per day ('d'), the periods starting at
-- the buyer's local hour or midnight. A post reserves a unit here before it offers the lead to a
-- capped buyer, under the row lock, and gives it back if the buyer declines: so a cap holds exactly
-- however many instances post at once. Small: two rows per buyer per hour at most.
create table buyer_usage (
  buyer_id     integer not null,
  period       char(1) not null check (period in ('h', 'd')),
  period_start timestamptz not null,
  sold         integer not null default 0 check (sold >= 0),
  spent_cents  bigint not null default 0 check (spent_cents >= 0),
  primary key (buyer_id, period, period_start)
);

