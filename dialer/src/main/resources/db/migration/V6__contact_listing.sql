-- V6: reading one campaign's contacts and one contact's attempts without scanning (API listing, results export).

-- Keyset pages of a campaign's contacts in id order (GET /api/v1/campaigns/{id}/contacts) and the results CSV,
-- which reads a campaign's contacts in id order. Costs about 12 % on the million-row import and 6-10 us per picked
-- contact (the claim updates state, so the row gets a new entry here too): docs/benchmarks/campaigns.md section 6.
CREATE INDEX contact_campaign_id_idx ON contact (campaign_id, id);

-- One contact's attempts (GET /api/v1/campaigns/{id}/contacts/{contactId}).
CREATE INDEX call_records_contact ON call_records (campaign_id, contact_id);
