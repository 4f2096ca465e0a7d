-- The exchange's schema. Two kinds of data live here, and they are stored differently:
--
--  * High-volume time series (pings, bid outcomes): 1,000 pings/s with 10 buyers is 86 M pings and
--    860 M bid outcomes a day. Rows are compact (integer ids, cents, smallint codes), written in
--    batches, and partitioned by UTC day so that old days are dropped whole by the retention
--    setting (see ledger/PartitionKeeper). Partitions are created ahead by the exchange.
--  * Small records kept for years (catalog, keys, leads, sales, money events): ordinary tables.
--
-- Money is always integer cents (bigint/integer), never floating point.

-- ---------------------------------------------------------------------------------------------
-- Catalog: sellers, buyers, campaigns. Each keeps the admin's document as given (validated) and
-- a compact integer id that the time series refer to.
-- ---------------------------------------------------------------------------------------------
create table sellers (
  id         integer generated always as identity primary key,
  code       text not null unique,
  doc        jsonb not null,
  updated_at timestamptz not null default now()
);

create table buyers (
  id         integer generated always as identity primary key,
  code       text not null unique,
  doc        jsonb not null,
  updated_at timestamptz not null default now()
);

create table campaigns (
  id         integer generated always as identity primary key,
  code       text not null unique,
  doc        jsonb not null,
  updated_at timestamptz not null default now()
);

-- Bumped by every catalog or key change; instances poll it (and listen on channel 'catalog') to
-- reload their in-memory snapshot.
create table catalog_version (
  one     boolean primary key default true check (one),
  version bigint not null
);
insert into catalog_version values (true, 1);

-- API keys: only a SHA-256 of the key is stored. Keys are 256-bit random strings, so a fast hash
-- is enough (no password stretching is needed for secrets nobody can guess).
create table api_keys (
  id         text primary key,
  key_hash   bytea not null unique,
  role       text not null check (role in ('admin', 'seller', 'buyer', 'finance')),
  principal  text,
  name       text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

-- ---------------------------------------------------------------------------------------------
-- Time series, partitioned by day of received_at (UTC).
-- ---------------------------------------------------------------------------------------------
-- One row per ping (a direct post is a ping too). `offers` is the ordered fallback list the post
-- walks: [[buyer_id, tier, price_cents, "bid_id"|null], ...]; `lead` holds the non-PII fields only.
create table pings (
  id                 uuid not null,
  received_at        timestamptz not null,
  campaign_id        integer not null,
  seller_id          integer not null,
  source             text not null,
  test               boolean not null,
  direct             boolean not null,
  status             smallint not null,        -- 0 no_bid, 1 bid
  price_cents        integer,                  -- what the quoted offer's buyer would pay
  seller_price_cents integer,                  -- what the seller was quoted
  answered_us        integer not null,         -- time to answer, microseconds
  lead               jsonb not null,
  offers             jsonb not null,
  primary key (id, received_at)
) partition by range (received_at);

-- One row per buyer considered for a ping. No primary key; a BRIN index on ping_id suffices
-- because ping ids are time-ordered (UUIDv7) and rows arrive in time order, so a trace lookup
-- reads a few pages while the index costs almost nothing to maintain at 10,000 rows/s.
create table bids (
  ping_id     uuid not null,
  received_at timestamptz not null,
  buyer_id    integer not null,
  tier        smallint not null,
  outcome     smallint not null,   -- see auction/BidOutcome codes
  bid_cents   integer,
  latency_us  integer,
  detail      text                 -- why skipped, or the failure's reason
) partition by range (received_at);

create index bids_ping_brin on bids using brin (ping_id) with (pages_per_range = 16);

-- ---------------------------------------------------------------------------------------------
-- Leads, deliveries and money: small, kept for years.
-- ---------------------------------------------------------------------------------------------
-- A lead exists once its ping has been posted. The unique ping_id makes a post idempotent: the
-- instance whose insert wins delivers; every other post of that ping reads `answer`.
create table leads (
  id               uuid primary key,
  ping_id          uuid not null unique,
  ping_received_at timestamptz not null,
  campaign_id      integer not null,
  seller_id        integer not null,
  source           text not null,
  test             boolean not null,
  created_at       timestamptz not null,
  status           text not null check (status in ('delivering', 'sold', 'unsold')),
  reason           text,
  seller_price_cents integer,
  answer           jsonb,            -- the answer given to the seller, replayed to repeats
  pii              jsonb,            -- erased after the campaign's retention
  updated_at       timestamptz not null
);
create index leads_campaign_created on leads (campaign_id, created_at);

create table post_attempts (
  lead_id     uuid not null references leads (id),
  attempt     smallint not null,
  buyer_id    integer not null,
  price_cents integer not null,
  accepted    boolean not null,
  latency_ms  integer not null,
  reason      text,
  reference   text,
  at          timestamptz not null,
  primary key (lead_id, attempt)
);

create table sales (
  id                  bigint generated always as identity primary key,
  lead_id             uuid not null references leads (id),
  buyer_id            integer not null,
  price_cents         integer not null check (price_cents >= 0),
  seller_payout_cents integer not null check (seller_payout_cents >= 0),
  test                boolean not null,
  sold_at             timestamptz not null,
  reference           text,
  unique (lead_id, buyer_id)
);
create index sales_buyer_sold on sales (buyer_id, sold_at);

-- The append-only ledger of money events. Balances and reports derive from it.
create table money_events (
  id           bigint generated always as identity primary key,
  at           timestamptz not null,
  kind         text not null check (kind in ('sale', 'payout', 'refund', 'clawback', 'funds', 'adjustment')),
  lead_id      uuid,
  sale_id      bigint references sales (id),
  buyer_id     integer,
  seller_id    integer,
  amount_cents bigint not null,
  test         boolean not null default false,
  note         text
);
create index money_events_sale on money_events (sale_id);
