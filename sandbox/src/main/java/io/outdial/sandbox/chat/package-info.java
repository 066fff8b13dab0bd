/**
 * Simulated chat APIs on loopback: a WhatsApp Cloud API and a Viber API (REST bot API and Infobip business
 * messages) that check tokens and request formats, and call the configured webhooks back with valid signatures
 * as scripted per number: in order, out of order, late, twice or never, failures, replies, unsubscribes.
 */
package io.outdial.sandbox.chat;
