package io.outdial.fallback.scheme;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cascade scheme: a graph of blocks a run walks for one recipient. Read with {@link SchemeDocuments},
 * which validates it; a scheme runs only when its report is valid.
 *
 * @param id          stable id, shared by all versions
 * @param version     version number, from 1
 * @param name        display name
 * @param description free text
 * @param start       the first block's id
 * @param blocks      blocks by id, in document order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = "$schema", allowGetters = true)
public record Scheme(String id, int version, String name, String description, String start,
                     Map<String, Block> blocks) {

    public Scheme {
        blocks = blocks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
    }

    /** The {@code $schema} key written back into documents. */
    @JsonProperty("$schema")
    public String schemaUri() {
        return SchemeDocuments.SCHEMA_ID;
    }

    /** The block with this id, or null. */
    public Block block(String blockId) {
        return blocks.get(blockId);
    }
}
