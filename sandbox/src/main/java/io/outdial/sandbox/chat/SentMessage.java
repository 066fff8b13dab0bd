package io.outdial.sandbox.chat;

import java.util.List;

/**
 * A message a simulated chat API accepted.
 *
 * @param id       the id it answered with
 * @param api      {@code whatsapp}, {@code viber-bot} or {@code infobip}
 * @param to       the recipient as sent (number without {@code +}, or Viber user id)
 * @param type     {@code text} or {@code template}
 * @param text     the text, or null
 * @param template the template name, or null
 * @param params   template body parameters
 * @param body     the request body as received
 */
public record SentMessage(String id, String api, String to, String type, String text, String template,
                          List<String> params, String body) {
    public SentMessage {
        params = List.copyOf(params);
    }
}
