/**
 * SMS over SMPP with jsmpp (the only package that uses it): transceiver binds with rebind, window, throughput
 * limit, concatenated long messages, delivery receipts and replies.
 */
package io.outdial.fallback.channel.sms;
