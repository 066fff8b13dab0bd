/**
 * A simulated SMSC on loopback (SMPP 3.4, jsmpp server side): recipients follow scripts by number (deliver,
 * undeliverable, expire, reject, reply, never answer, receipt twice or before the response), and faults on
 * demand (unbind, silent enquire_link, throttling, refused binds).
 */
package io.outdial.sandbox.smsc;
