-- What the chat channels know about their peers (owned by io.outdial.dialer.cascade, JdbcChatPeers). Portable SQL
-- for H2 2.x and PostgreSQL. chat_bot_user: the phone number a Viber bot user id stands for and the last message
-- token sent to that user (an unsubscribe reaching any node, or a node after a restart, stop-lists the number).
-- chat_inbound: when a user last wrote on a channel (WhatsApp's 24-hour customer-service window).

CREATE TABLE chat_bot_user (
    channel         VARCHAR(16)  NOT NULL,
    user_id         VARCHAR(200) NOT NULL,
    address         VARCHAR(40)  NOT NULL,
    last_token      VARCHAR(200) NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (channel, user_id)
);

CREATE TABLE chat_inbound (
    channel         VARCHAR(16)  NOT NULL,
    address         VARCHAR(40)  NOT NULL,
    last_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (channel, address)
);
