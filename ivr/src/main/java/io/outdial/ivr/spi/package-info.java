/**
 * The small interfaces through which the ivr module talks to the telephony that runs it.
 *
 * <p>{@link io.outdial.ivr.spi.CallControl} is what a flow asks of a call; {@link io.outdial.ivr.spi.CallEvent}
 * is what the call tells the flow; {@link io.outdial.ivr.spi.FlowSession} is one flow run on one call. The
 * dialer implements {@code CallControl} over ARI. Nothing here knows about Asterisk, ARI or storage.
 */
package io.outdial.ivr.spi;
