package io.outdial.fallback.engine;

import io.outdial.fallback.channel.OutboundMessage;

/** A message the walker wrote PENDING and the engine must now submit. */
record SendRequest(OutboundMessage message) {
}
