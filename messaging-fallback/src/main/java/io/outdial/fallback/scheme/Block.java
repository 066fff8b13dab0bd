package io.outdial.fallback.scheme;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A block of a scheme, bound from the document by its {@code type}. The cases are records; a block's id is
 * its key in {@link Scheme#blocks()}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
        visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = Block.ChannelBlock.class, names = {"sms", "voice", "whatsapp", "viber", "webhook"}),
    @JsonSubTypes.Type(value = Block.Delay.class, name = "delay"),
    @JsonSubTypes.Type(value = Block.Split.class, name = "split"),
    @JsonSubTypes.Type(value = Block.Goal.class, name = "goal"),
    @JsonSubTypes.Type(value = Block.End.class, name = "end")})
public sealed interface Block permits Block.ChannelBlock, Block.Delay, Block.Split, Block.Goal, Block.End {

    /** The document spelling of this block's type. */
    String typeName();

    /**
     * Sends through a channel, then waits up to the decision time for an event that one of its links takes.
     *
     * @param type         the channel
     * @param content      templates by key ({@code text} for SMS and chats, {@code flow} for Voice, {@code url}
     *                     for webhook); {@code {{contact.<field>}}} is replaced per recipient
     * @param decisionTime how long after the real send the block waits; then the {@code timeout} link
     * @param maxSegments  SMS only: the most parts a rendered text may take (default 6, at most 255)
     * @param links        ways out, first match wins
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChannelBlock(ChannelType type, Map<String, String> content, Duration decisionTime, Integer maxSegments,
                        List<Link> links) implements Block {
        /** Default {@link #maxSegments()}. */
        public static final int DEFAULT_MAX_SEGMENTS = 6;

        public ChannelBlock {
            content = content == null ? Map.of() : Map.copyOf(content);
            links = links == null ? List.of() : List.copyOf(links);
        }

        /** The segment limit in force. */
        public int segmentLimit() {
            return maxSegments == null ? DEFAULT_MAX_SEGMENTS : maxSegments;
        }

        @Override
        public String typeName() {
            return type.json();
        }
    }

    /**
     * Waits, then goes on.
     *
     * @param duration how long, measured from entering the block
     * @param next     the block after
     */
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record Delay(Duration duration, String next) implements Block {
        @Override
        @JsonProperty("type")
        public String typeName() {
            return "delay";
        }
    }

    /**
     * A/B split: each recipient goes to one branch, chosen by a hash of the scheme id, block id and recipient
     * id, so the same recipient always takes the same branch.
     *
     * @param branches the branches; percentages add up to 100
     */
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record Split(List<Branch> branches) implements Block {
        public Split {
            branches = branches == null ? List.of() : List.copyOf(branches);
        }

        @Override
        @JsonProperty("type")
        public String typeName() {
            return "split";
        }
    }

    /**
     * One branch of a split.
     *
     * @param name    reported per branch
     * @param percent share of recipients, 1 to 100
     * @param next    the block of this branch
     */
    record Branch(String name, int percent, String next) {
    }

    /**
     * The recipient reached the scheme's goal (counted), then the run goes on to {@code next} or ends.
     *
     * @param name the goal's name
     * @param next optional block after
     */
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Goal(String name, String next) implements Block {
        @Override
        @JsonProperty("type")
        public String typeName() {
            return "goal";
        }
    }

    /** Ends the run. */
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record End() implements Block {
        @Override
        @JsonProperty("type")
        public String typeName() {
            return "end";
        }
    }
}
