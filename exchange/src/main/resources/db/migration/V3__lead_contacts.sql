-- The hashed phone and e-mail of leads sold (or being delivered) per campaign, for the campaign's
-- dedupe window. Only SHA-256 hashes of normalised values are kept: PII stays in leads.pii.
create table lead_contacts (
  campaign_id integer not null,
  kind        char(1) not null check (kind in ('p', 'e')),
  hash        bytea not null,
  lead_id     uuid not null,
  at          timestamptz not null
);
create index lead_contacts_lookup on lead_contacts (campaign_id, kind, hash, at);
create index lead_contacts_lead on lead_contacts (lead_id);
