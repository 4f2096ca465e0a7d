-- Hashed contacts for buyer dedupe and suppression lists, and the PII retention sweep (CONTRACT
-- "Consent and data protection"). Every hash here is a SHA-256 of a normalised phone (E.164) or
-- e-mail (trimmed, lower-cased); no column of this migration holds PII.

-- The hashes a seller gave with its ping, checked against the post's PII. Null for most pings.
alter table pings add column phone_hash bytea, add column email_hash bytea;

-- Per buyer, the last time it bought each contact (any campaign): the buyer's dedupe_days window.
-- A contact is the first 8 bytes of its hash as a bigint (phones and e-mails share the column: two
-- different values agreeing on 64 bits of SHA-256 is not a case to plan for). One row per
-- (buyer, contact), so the table grows with distinct people bought, not with sales.
create table buyer_contacts (
  buyer_id  integer not null,
  contact   bigint not null,
  bought_at timestamptz not null,
  primary key (buyer_id, contact)
);

-- A buyer's suppression list: the sorted, distinct first 8 bytes of each hash, 8 bytes apiece, in
-- chunks of up to 1 MiB (131,072 hashes), so that a 10-million-hash list is 77 rows every instance
-- loads. `version` is the catalog version its upload bumped: an instance reloads a list whose
-- version it has not seen.
create table suppression_lists (
  buyer_id    integer primary key,
  version     bigint not null,
  hashes      integer not null,
  uploaded_at timestamptz not null
);
create table suppression_chunks (
  buyer_id integer not null,
  chunk    integer not null,
  prefixes bytea not null,
  primary key (buyer_id, chunk)
);

-- PII retention: a lead's PII is erased after its campaign's pii_retention_days; the hashes of its
-- phone and e-mail are kept on the lead (trace, returns and reports never needed the PII itself).
alter table leads add column pii_erased_at timestamptz, add column phone_hash bytea, add column email_hash bytea;
create index leads_pii_kept on leads (campaign_id, created_at) where pii is not null;
