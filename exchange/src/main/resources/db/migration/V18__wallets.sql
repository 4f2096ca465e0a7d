-- Prepaid buyers' wallets (catalog billing.type = prepaid). One row per buyer that ever had one:
-- its balance and the part of it reserved for offers now in the buyer's hands. Every instance
-- reserves with one conditional update (balance - reserved + credit_limit >= price), so two
-- instances selling to one buyer at once can never take it past its credit limit.
create table wallets (
  buyer_id       integer primary key,
  balance_cents  bigint not null default 0,
  reserved_cents bigint not null default 0 check (reserved_cents >= 0)
);

-- What each (lead, buyer) offer holds of its buyer's wallet while the buyer decides: deleted as it
-- becomes the sale's debit or is given back, so a reservation left by an instance that died is
-- found and given back when its lead is resolved (delivery/StuckLeads).
create table wallet_reservations (
  lead_id      uuid not null,
  buyer_id     integer not null,
  amount_cents bigint not null check (amount_cents > 0),
  at           timestamptz not null default now(),
  primary key (lead_id, buyer_id)
);

-- The wallet's ledger: every movement of a balance, written in the movement's transaction, so the
-- balance always equals the sum of its entries. amount_cents is signed (a sale is negative);
-- balance_cents is the balance after the entry.
create table wallet_entries (
  id            bigint generated always as identity primary key,
  buyer_id      integer not null,
  at            timestamptz not null default now(),
  kind          text not null check (kind in ('funds', 'adjustment', 'sale', 'refund')),
  amount_cents  bigint not null,
  balance_cents bigint not null,
  lead_id       uuid,
  reference     text,
  reason        text
);
create index wallet_entries_buyer on wallet_entries (buyer_id, id);
create index wallet_entries_lead on wallet_entries (lead_id) where lead_id is not null;
