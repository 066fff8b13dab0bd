/**
 * Messaging fallback: cascade schemes ({@code scheme}), the cascade engine ({@code engine}) with its storage SPI
 * ({@code store}), the channel SPI ({@code channel}) and SMS over SMPP ({@code channel.sms}). Knows nothing of
 * ARI, the database engine or the ivr module: the dialer implements the SPIs.
 */
package io.outdial.fallback;
