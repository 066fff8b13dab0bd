package io.outdial.ivr.flow;

/**
 * One piece of a prompt in a flow document: text to speak (a template) or a media URI.
 * Exactly one of {@code text} and {@code uri} is set.
 *
 * @param text  template text spoken by TTS, or null
 * @param uri   {@code prompt:<id>}, {@code sound:<name>}, {@code sound:http...} or {@code recording:<name>}, or null
 * @param voice voice override for this text, or null for the node's or flow's voice
 */
public record PromptPart(String text, String uri, Voice voice) {
    public PromptPart {
        if ((text == null) == (uri == null)) {
            throw new IllegalArgumentException("a prompt part has either text or a uri, was text=" + text
                    + " uri=" + uri);
        }
    }

    /** A spoken text part. */
    public static PromptPart say(String text, Voice voice) {
        return new PromptPart(text, null, voice);
    }

    /** A media part. */
    public static PromptPart play(String uri) {
        return new PromptPart(null, uri, null);
    }
}
