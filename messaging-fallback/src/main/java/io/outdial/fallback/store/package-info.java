/**
 * The storage SPI of the cascade engine and its records (runs, steps, messages, timers, cost ledger, counters),
 * with an in-memory implementation. The dialer provides the JDBC one.
 */
package io.outdial.fallback.store;
