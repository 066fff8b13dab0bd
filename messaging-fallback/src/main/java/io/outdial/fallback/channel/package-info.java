/**
 * The channel SPI: a {@link io.outdial.fallback.channel.Channel} sends a message and reports statuses, replies
 * and IVR events back as {@link io.outdial.fallback.channel.ChannelEvent}s. SMS over SMPP lives in
 * {@code channel.sms}; the Voice channel is implemented by the dialer.
 */
package io.outdial.fallback.channel;
