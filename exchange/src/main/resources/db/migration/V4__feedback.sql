-- Buyers' feedback on the leads they bought. The first feedback on a sale closes the lead for the
-- buyer's capacity (max_concurrent); a return inside the campaign's window refunds the buyer and
-- claws the seller's payout back, through money_events, once.
create table feedback (
  id       bigint generated always as identity primary key,
  sale_id  bigint not null references sales (id),
  status   text not null check (status in ('contacted', 'qualified', 'converted', 'returned')),
  reason   text,
  at       timestamptz not null
);
create index feedback_sale on feedback (sale_id);

alter table sales add column closed_at timestamptz;
alter table sales add column returned_at timestamptz;
