-- Telephony detail of every call attempt (owned by io.outdial.dialer.call). Portable: H2 and PostgreSQL.
-- One row per attempt, written when the originate is sent and updated on each state change and at the end.
CREATE TABLE call_records (
    attempt_id      VARCHAR(64)   NOT NULL PRIMARY KEY,
    campaign_id     VARCHAR(64),
    contact_id      VARCHAR(64),
    phone           VARCHAR(40)   NOT NULL,
    trunk           VARCHAR(64)   NOT NULL,
    caller_id       VARCHAR(128),
    ari_server      VARCHAR(64)   NOT NULL,
    channel_id      VARCHAR(64)   NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    originate_at    TIMESTAMP WITH TIME ZONE,
    ring_at         TIMESTAMP WITH TIME ZONE,
    answer_at       TIMESTAMP WITH TIME ZONE,
    end_at          TIMESTAMP WITH TIME ZONE,
    outcome         VARCHAR(16),
    cause           INTEGER,
    outcome_detail  VARCHAR(1000),
    amd_status      VARCHAR(16),
    amd_cause       VARCHAR(64),
    dtmf            VARCHAR(512)  NOT NULL DEFAULT '',
    recordings      VARCHAR(4000) NOT NULL DEFAULT '',
    flow_result     TEXT
);

CREATE INDEX call_records_channel ON call_records (channel_id);
CREATE INDEX call_records_state ON call_records (state, ari_server);
CREATE INDEX call_records_campaign ON call_records (campaign_id, end_at);
