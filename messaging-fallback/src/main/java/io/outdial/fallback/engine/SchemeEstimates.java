package io.outdial.fallback.engine;

import io.outdial.fallback.scheme.Block;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.sms.SmsSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What each channel block of a scheme costs per recipient under a price plan: SMS parts and alphabet of the
 * block's text (placeholders counted as empty, as the validator does), and the price booked when it is sent.
 */
public final class SchemeEstimates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^}]*}}");

    private SchemeEstimates() {
    }

    /**
     * One channel block's estimate.
     *
     * @param blockId      the block
     * @param channel      its channel
     * @param segments     SMS parts of the fixed text (1 for other channels)
     * @param encoding     {@code GSM7} or {@code UCS2} for SMS, null otherwise
     * @param units        septets or UTF-16 units of the fixed text (SMS), 0 otherwise
     * @param placeholders true when the text has placeholders, so a rendered text may take more
     * @param cost         price per recipient when the block sends, minor units
     */
    public record Estimate(String blockId, String channel, int segments, String encoding, int units,
                           boolean placeholders, long cost) {
    }

    /** Estimates of every channel block, in document order. */
    public static List<Estimate> of(Scheme scheme, PricePlan prices) {
        List<Estimate> out = new ArrayList<>();
        scheme.blocks().forEach((id, b) -> {
            if (!(b instanceof Block.ChannelBlock)) {
                return;
            }
            Block.ChannelBlock cb = (Block.ChannelBlock) b;
            long price = prices.price(cb.type());
            if (cb.type() == ChannelType.SMS) {
                String text = cb.content().getOrDefault("text", "");
                boolean ph = PLACEHOLDER.matcher(text).find();
                SmsSplit split = SmsSplit.of(PLACEHOLDER.matcher(text).replaceAll(""));
                out.add(new Estimate(id, cb.type().json(), split.segments(), split.encoding().name(), split.units(),
                        ph, price * split.segments()));
            } else {
                out.add(new Estimate(id, cb.type().json(), 1, null, 0, false, price));
            }
        });
        return out;
    }
}
