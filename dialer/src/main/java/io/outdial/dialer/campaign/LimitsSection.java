package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.whole;

/**
 * The {@code limits} section of a campaign definition: lines and call starts of the campaign and of the node.
 * Absent values are null; {@code batch} falls back to the definition's top-level {@code batch}.
 */
record LimitsSection(Long globalLines, Long lines, Long perSecond, Long perMinute, Long batch) {
    LimitsSection {
        whole("globalLines", globalLines, 1000, 1);
        whole("lines", lines, 10, 1);
        whole("perSecond", perSecond, 0, 0);
        whole("perMinute", perMinute, 0, 0);
        whole("batch", batch, 20, 1);
    }
}
