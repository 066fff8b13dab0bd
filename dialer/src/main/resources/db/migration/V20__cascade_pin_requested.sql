-- What a campaign's scheme pin was made from (owned by io.outdial.dialer.cascade). Portable SQL for H2 2.x and
-- PostgreSQL. requested_scheme and requested_version are the campaign definition's `scheme` and `schemeVersion` at
-- the time of the pin; when the definition names another scheme or version, the campaign is pinned again. NULL (pins
-- made before this migration): taken to match the definition the node first reads after it.

ALTER TABLE cascade_pin ADD COLUMN requested_scheme VARCHAR(1000);
ALTER TABLE cascade_pin ADD COLUMN requested_version INT;
