-- V12: which node started (or last took over) each attempt: the dialer node's id (its cluster member id). Crash
-- recovery and reconciliation act only on the attempts of the node itself or of a node whose liveness lease
-- expired (a dead node), never on calls another live node is following. NULL: written before this column
-- existed (treated as a dead node's).
ALTER TABLE call_records ADD COLUMN node_id VARCHAR(64);
CREATE INDEX call_records_node ON call_records (node_id, state);
