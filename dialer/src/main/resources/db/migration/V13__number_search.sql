-- Number search across campaigns (GET /api/v1/contacts?phone=): contacts by primary number, attempts by the
-- number dialed and stop-list entries by number, each through an index. Portable: H2 and PostgreSQL.
CREATE INDEX contact_phone_idx ON contact (phone);
CREATE INDEX call_records_phone ON call_records (phone);
CREATE INDEX stop_list_phone ON stop_list (phone);
