-- Shared leads (campaign "sale": shared or best). A shared lead is sold to several buyers at once,
-- each at its own price, so a lead can hold one cap reservation per buyer while its offers are out.
alter table lead_reservations drop constraint lead_reservations_pkey;
alter table lead_reservations add primary key (lead_id, buyer_id);

-- How the ping decided to sell the lead: null = exclusive (one buyer), N = shared with up to N
-- buyers. A `best` campaign decides per ping, so the post (on any instance) must read the choice.
-- Null costs nothing in a row, so exclusive pings stay as compact as before.
alter table pings add column sale_buyers smallint;

-- A buyer's shared price in a `best` campaign (its "shared_bid"), next to its exclusive bid, so a
-- trace and a replay see both prices the decision compared. Null for everyone else.
alter table bids add column shared_bid_cents integer;
