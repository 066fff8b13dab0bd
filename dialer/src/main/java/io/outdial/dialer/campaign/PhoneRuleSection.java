package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.refuse;
import static io.outdial.dialer.campaign.DefinitionBinder.whole;

import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.input.Reason;
import java.time.LocalTime;
import java.util.List;

/**
 * The {@code phoneRule} section of a campaign definition: which labelled phones of a contact are dialled in which
 * hours, and how many failures put a phone aside.
 */
record PhoneRuleSection(List<Slot> slots, Long maxFailuresPerPhone) {
    PhoneRuleSection {
        whole("maxFailuresPerPhone", maxFailuresPerPhone, PhoneRule.DEFAULT.maxFailuresPerPhone(), 1);
        phoneRule(slots, maxFailuresPerPhone); // PhoneRule's own checks: a refusal names this section
    }

    PhoneRule phoneRule() {
        return phoneRule(slots, maxFailuresPerPhone);
    }

    private static PhoneRule phoneRule(List<Slot> slots, Long maxFailures) {
        return new PhoneRule((slots == null ? List.<Slot>of() : slots).stream().filter(s -> s != null)
            .map(Slot::slot).toList(), whole("maxFailuresPerPhone", maxFailures,
            PhoneRule.DEFAULT.maxFailuresPerPhone(), 1));
    }

    /** Phones with one of {@code labels} are dialled between the two times of {@code hours} ({@code 09:00-18:00}). */
    record Slot(String hours, List<String> labels) {
        Slot {
            span(hours);
        }

        PhoneRule.Slot slot() {
            String[] span = span(hours);
            LocalTime from = LocalTime.parse(span[0].trim());
            LocalTime to = "24:00".equals(span[1].trim()) ? LocalTime.MIDNIGHT : LocalTime.parse(span[1].trim());
            return new PhoneRule.Slot(from, to, labels == null ? List.of() : labels);
        }

        private static String[] span(String hours) {
            String[] span = (hours == null ? "" : hours).split("-", -1);
            if (span.length != 2) {
                throw refuse("$.hours", hours, "HH:mm-HH:mm", Reason.INVALID_FORMAT,
                    "phoneRule.slots hours \"" + (hours == null ? "" : hours) + "\" is not HH:mm-HH:mm");
            }
            return span;
        }
    }
}
