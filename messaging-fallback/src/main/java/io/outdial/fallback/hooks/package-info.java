/**
 * The inbound webhooks of the chat and webhook channels as one Vert.x Web router the application mounts
 * ({@link io.outdial.fallback.hooks.InboundHooks}); the only package of the module that uses Vert.x Web.
 */
package io.outdial.fallback.hooks;
