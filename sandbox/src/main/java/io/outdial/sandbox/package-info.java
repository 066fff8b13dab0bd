/**
 * Simulated carriers on loopback: an ARI-speaking PBX whose called parties follow scripts, and later an SMPP
 * SMSC and Viber/WhatsApp HTTP APIs. Depends on nothing of ours: it stands in for the outside world.
 */
package io.outdial.sandbox;
