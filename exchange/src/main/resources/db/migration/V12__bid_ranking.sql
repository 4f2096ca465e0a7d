-- What an auction tier ranked each offer by, besides its bid (CONTRACT "rank_by"): the buyer's
-- bid modifier and, under rank_by expected_net, its return rate, as the decision saw them. Null
-- when they played no part (no modifier; ranked by bid), which costs a null bit per row.
alter table bids add column modifier_percent smallint;
alter table bids add column return_rate_bp smallint;
