package dev.tabscore.bundle.skops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.io.IOException;

/**
 * Parses schema.json as strict JSON under the {@link SkopsLimits} (nesting depth, string and
 * document length, duplicate keys refused), and decodes the JSON text that JsonNode content strings
 * hold, where Python's {@code NaN} and {@code Infinity} tokens are allowed.
 */
final class SchemaJson {

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final String artifact;

    SchemaJson(SkopsLimits limits, String artifact) {
        StreamReadConstraints constraints =
                StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNameLength(limits.maxStringLength())
                        .maxDocumentLength(limits.maxSchemaBytes())
                        .maxNumberLength(400)
                        .build();
        this.factory =
                JsonFactory.builder()
                        .streamReadConstraints(constraints)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build();
        this.mapper =
                JsonMapper.builder(factory)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .build();
        this.artifact = artifact;
    }

    /** Parses the whole schema.json; its key order is kept. */
    JsonNode readSchema(byte[] bytes) {
        try {
            JsonNode root = mapper.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new BundleFormatException(
                        Reason.SCHEMA_INVALID,
                        artifact + ": schema.json does not hold a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw failure("schema.json", e);
        }
    }

    /**
     * Decodes the JSON text of a JsonNode: a String, Boolean, Long, Double (NaN and infinities
     * included) or null.
     */
    Object decodeScalar(String text, String path) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        String where = "JsonNode content at " + path;
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken token = parser.nextToken();
            Object value;
            if (token == JsonToken.VALUE_STRING) {
                value = parser.getText();
            } else if (token == JsonToken.VALUE_NUMBER_INT) {
                value = parseLong(parser.getText(), where);
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                // Double.parseDouble is correctly rounded, like Python's float().
                value = Double.parseDouble(parser.getText());
            } else if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                value = token == JsonToken.VALUE_TRUE;
            } else if (token == JsonToken.VALUE_NULL) {
                value = null;
            } else {
                throw new BundleFormatException(
                        Reason.SCHEMA_INVALID,
                        artifact
                                + ": "
                                + where
                                + " is not one JSON scalar (string, number, bool, null, NaN)");
            }
            if (parser.nextToken() != null) {
                throw new BundleFormatException(
                        Reason.SCHEMA_INVALID,
                        artifact + ": " + where + " has text after its value");
            }
            return value;
        } catch (IOException e) {
            throw failure(where, e);
        }
    }

    private Long parseLong(String digits, String where) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new BundleFormatException(
                    Reason.SCHEMA_INVALID,
                    artifact
                            + ": "
                            + where
                            + " holds the integer "
                            + digits
                            + ", outside the int64 range");
        }
    }

    private BundleFormatException failure(String where, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException) {
                return new BundleFormatException(
                        Reason.LIMIT_EXCEEDED,
                        artifact
                                + ": "
                                + where
                                + " exceeds a limit: "
                                + ((StreamConstraintsException) t).getOriginalMessage(),
                        e);
            }
        }
        String detail =
                e instanceof JsonProcessingException
                        ? describe((JsonProcessingException) e)
                        : e.getMessage();
        return new BundleFormatException(
                Reason.SCHEMA_INVALID,
                artifact + ": " + where + " is not valid strict JSON: " + detail,
                e);
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            message +=
                    " (line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr()
                            + ")";
        }
        return message;
    }
}
