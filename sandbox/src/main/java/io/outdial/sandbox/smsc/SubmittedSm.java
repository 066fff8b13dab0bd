package io.outdial.sandbox.smsc;

import java.time.Instant;

/**
 * One submit_sm the SMSC accepted (one part of a long message).
 *
 * @param messageId  the id it answered with
 * @param sessionId  the SMPP session it came on
 * @param source     source_addr
 * @param dest       destination_addr
 * @param dataCoding data_coding
 * @param text       the part's text, decoded
 * @param reference  concatenation reference, or -1 for a single message
 * @param total      number of parts (1 for a single message)
 * @param seq        this part's number, from 1
 * @param at         when it was accepted
 */
public record SubmittedSm(String messageId, String sessionId, String source, String dest, int dataCoding, String text,
                          int reference, int total, int seq, Instant at) {
}
