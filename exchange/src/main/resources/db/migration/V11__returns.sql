-- Returns that hold up: each return a buyer asks for is a row with its reason, evidence and
-- decision. Under automatic approval it is approved at once and refunded in the same transaction;
-- under manual approval it waits ('pending') for an admin. Only an approved return refunds the
-- buyer and claws back the seller's payout (money_events) and stamps sales.returned_at, so reports
-- count approved returns only. One return per sale, ever: a second is a conflict.
create table returns (
  id           bigint generated always as identity primary key,
  sale_id      bigint not null unique references sales (id),
  lead_id      uuid not null,
  buyer_id     integer not null,
  campaign_id  integer not null,
  test         boolean not null,
  reason       text not null,
  evidence     text,
  status       text not null check (status in ('pending', 'approved', 'rejected')),
  requested_at timestamptz not null,
  decided_at   timestamptz,
  note         text
);
create index returns_lead on returns (lead_id);
create index returns_pending on returns (requested_at) where status = 'pending';
-- The monthly rate cap counts a buyer's returns in a campaign by month.
create index returns_buyer_month on returns (buyer_id, campaign_id, requested_at) where not test;

-- Returns made before this table: approved, with the reason their feedback gave.
insert into returns (sale_id, lead_id, buyer_id, campaign_id, test, reason, status, requested_at, decided_at)
select s.id, s.lead_id, s.buyer_id, s.campaign_id, s.test,
       coalesce((select f.reason from feedback f where f.sale_id = s.id and f.status = 'returned' order by f.at limit 1), ''),
       'approved', s.returned_at, s.returned_at
from sales s where s.returned_at is not null;
