-- V7: the stored flow version a campaign runs. Written at the campaign's first start (the latest valid version
-- when its definition says flowVersion 0, else the version it names) and kept across pause, resume, node
-- restarts and other nodes; cleared when the definition's flowId or flowVersion is replaced through the API.
-- NULL: not pinned (never started since its flow was set, or a campaign without a stored flow).
ALTER TABLE campaign ADD COLUMN flow_version_pin INT;
