package dev.tabscore.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tabscore.bundle.io.BundleFiles;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of what the job prints and writes (the run summary, the echoed config):
 * values of settings whose name looks secret are replaced, as Spark's own {@code
 * spark.redaction.regex} does, and URIs lose any user-info part.
 */
final class Redaction {

    /** Setting names whose values are secret (Spark's default redaction regex, and more). */
    static final Pattern SECRET_KEY =
            Pattern.compile(
                    "(?i)secret|password|passwd|token|access[._-]?key|credential|session[._-]?key"
                            + "|private[._-]?key|keyfile|\\.json\\.keyfile|sas");

    static final String REDACTED = "*********(redacted)";

    private Redaction() {}

    /**
     * Redacts a JSON tree in place.
     *
     * @param node the tree
     * @return the same tree
     */
    static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (SECRET_KEY.matcher(e.getKey()).find()
                        && e.getValue().isValueNode()
                        && !e.getValue().isNull()) {
                    e.setValue(TextNode.valueOf(REDACTED));
                } else {
                    redact(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(BundleFiles.redact(a.get(i).asText())));
                } else {
                    redact(a.get(i));
                }
            }
        }
        if (node instanceof ObjectNode o) {
            o.fields()
                    .forEachRemaining(
                            e -> {
                                if (e.getValue().isTextual()) {
                                    e.setValue(
                                            TextNode.valueOf(
                                                    BundleFiles.redact(e.getValue().asText())));
                                }
                            });
        }
        return node;
    }
}
