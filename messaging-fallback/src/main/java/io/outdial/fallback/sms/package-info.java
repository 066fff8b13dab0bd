/**
 * SMS text rules shared by the scheme validator and the SMPP adapter: GSM-7 and UCS-2 encoding and the
 * split into concatenated parts. No I/O.
 */
package io.outdial.fallback.sms;
