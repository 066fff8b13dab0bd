/**
 * Cascade schemes: model, validator, engine, channel SPI and channel adapters (SMS over SMPP, Viber,
 * WhatsApp, webhook). Knows nothing of ARI, storage or the ivr module. Arrives in the messaging wave.
 */
package io.outdial.fallback;
