-- IVR flow documents with versions (owned by io.outdial.dialer.flow).
-- Portable SQL for H2 2.x and PostgreSQL. Every save of a changed document is a new version; rows are never
-- updated, so a campaign that started with (flow_id, version) can always load exactly what it runs.
-- Flow results are not here: they live in call_records.flow_result (V2), one per attempt.

CREATE TABLE flow_version (
    flow_id         VARCHAR(64)  NOT NULL,
    version         INT          NOT NULL,
    format          VARCHAR(8)   NOT NULL,
    document        TEXT         NOT NULL,
    document_sha256 VARCHAR(64)  NOT NULL,
    valid           BOOLEAN      NOT NULL,
    error_count     INT          NOT NULL,
    errors          TEXT         NOT NULL,
    saved_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (flow_id, version)
);
