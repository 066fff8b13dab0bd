/**
 * The cascade engine: one persisted run per recipient, durable timers, idempotent event handling, stop-list and
 * frequency caps at every send, cost booking and refunds, counters per scheme and block. It talks to storage
 * through {@link io.outdial.fallback.store.RunStore}, to the stop-list through {@link
 * io.outdial.fallback.engine.StopList} and to channels through {@link io.outdial.fallback.channel.Channel}.
 */
package io.outdial.fallback.engine;
