-- Consent proof (docs/compliance.md, "Consent"): the verdict of a lead's consent check, stored on
-- the lead (one check per lead, before it is offered to anyone): {"valid", "reason", "certificate",
-- "checked_at", "created_at"}. Null for leads of campaigns without a check. The PII retention job
-- leaves it: the certificate is the proof the sale rests on, and it is not itself PII.
alter table leads add column consent jsonb;
