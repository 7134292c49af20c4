package dev.tabscore.bundle.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest's {@code model.embeddings}: embeddings for categorical codes concatenated with
 * numeric features before the layers ({@code tabscore_export.nets.EmbeddingMLP}).
 *
 * <pre>{@code
 * "embeddings": {"tables": [{"feature": 2, "num_embeddings": 7, "embedding_dim": 3}],
 *                "numeric_features": [0, 1]}
 * }</pre>
 *
 * <p>The layers take, per row, table 0's row for feature {@code tables[0].feature}'s code, then
 * table 1's, ..., then the numeric features in order: {@code sum(embedding_dim) +
 * numeric_features.length} values. A code is the float32 feature truncated toward zero (torch's
 * {@code .long()}); NaN, or a truncated value outside {@code [0, num_embeddings)}, is a value
 * torch's {@code nn.Embedding} raises on, and the row is refused. Table {@code j} is the state_dict
 * key {@code embeddings.<j>.weight}, or {@code embeddings.<name>.weight} where the table has a name
 * (an {@code nn.ModuleDict} key); the layers' keys are {@code mlp.<index>.<name>}.
 *
 * @param tables the embeddings, in concatenation order (unmodifiable)
 * @param numericFeatures the feature indices concatenated after them, in order
 * @param featureNames the feature names for messages ({@code features.names}), or null
 */
public record EmbeddingSpec(
        List<Table> tables, List<Integer> numericFeatures, List<String> featureNames) {

    /** The state_dict key prefix of the layers after the embeddings. */
    public static final String MLP_PREFIX = "mlp.";

    /**
     * One {@code nn.Embedding} and the feature holding its code.
     *
     * @param name the {@code nn.ModuleDict} key, or null in an {@code nn.ModuleList}
     * @param feature the feature index (0-based) holding the code
     * @param numEmbeddings the table's rows ({@code num_embeddings})
     * @param dim the table's columns ({@code embedding_dim})
     */
    public record Table(String name, int feature, int numEmbeddings, int dim) {
        /**
         * Checks the sizes and the name.
         *
         * @throws BundleFormatException if a size is not positive, the feature negative or the name
         *     not made of letters, digits and '_'
         */
        public Table {
            if (feature < 0 || numEmbeddings <= 0 || dim <= 0) {
                throw invalid(
                        "embedding table (feature="
                                + feature
                                + ", num_embeddings="
                                + numEmbeddings
                                + ", embedding_dim="
                                + dim
                                + ") needs a feature index "
                                + ">= 0 and positive sizes");
            }
            if (name != null && !name.matches("[A-Za-z0-9_]+")) {
                throw invalid(
                        "embedding table name '"
                                + name
                                + "' is not made of letters, "
                                + "digits and '_'");
            }
        }

        /**
         * A table of an {@code nn.ModuleList}.
         *
         * @param feature the feature index holding the code
         * @param numEmbeddings the table's rows
         * @param dim the table's columns
         */
        public Table(int feature, int numEmbeddings, int dim) {
            this(null, feature, numEmbeddings, dim);
        }
    }

    /**
     * Copies the lists and checks them.
     *
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) for no table or a negative
     *     numeric feature index
     */
    public EmbeddingSpec {
        tables = List.copyOf(tables);
        numericFeatures = List.copyOf(numericFeatures);
        featureNames = featureNames == null ? null : List.copyOf(featureNames);
        if (tables.isEmpty()) {
            throw invalid("model.embeddings.tables is empty");
        }
        long named = tables.stream().filter(t -> t.name() != null).count();
        if (named != 0
                && (named != tables.size()
                        || tables.stream().map(Table::name).distinct().count() != named)) {
            throw invalid(
                    "model.embeddings.tables: either every table has a distinct name (an "
                            + "nn.ModuleDict) or none has (an nn.ModuleList)");
        }
        for (int f : numericFeatures) {
            if (f < 0) {
                throw invalid("model.embeddings.numeric_features holds " + f);
            }
        }
    }

    /**
     * Returns the width the layers take: the embedding dims plus the numeric features.
     *
     * @return the concatenated width
     */
    public int width() {
        int width = numericFeatures.size();
        for (Table t : tables) {
            width += t.dim();
        }
        return width;
    }

    /**
     * Returns the state_dict key of table {@code j}.
     *
     * @param j the table's position
     * @return {@code embeddings.<name>.weight} for a named table, else {@code
     *     embeddings.<j>.weight}
     */
    public String key(int j) {
        String name = tables.get(j).name();
        return "embeddings." + (name != null ? name : String.valueOf(j)) + ".weight";
    }

    /**
     * Returns the feature's name for messages: its name where known, else {@code feature <i>}.
     *
     * @param feature the feature index
     * @return the name
     */
    public String featureName(int feature) {
        return featureNames != null && feature < featureNames.size()
                ? featureNames.get(feature)
                : "feature " + feature;
    }

    /**
     * Checks every feature index against the model's input width.
     *
     * @param inputWidth the features per row
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) naming an index outside it
     */
    void checkFeatures(int inputWidth) {
        for (int j = 0; j < tables.size(); j++) {
            if (tables.get(j).feature() >= inputWidth) {
                throw invalid(
                        "model.embeddings.tables["
                                + j
                                + "] reads feature "
                                + tables.get(j).feature()
                                + ", outside the "
                                + inputWidth
                                + " features");
            }
        }
        for (int f : numericFeatures) {
            if (f >= inputWidth) {
                throw invalid(
                        "model.embeddings.numeric_features holds "
                                + f
                                + ", outside the "
                                + inputWidth
                                + " features");
            }
        }
    }

    /**
     * Returns the same spec naming the features.
     *
     * @param names the feature names ({@code features.names})
     * @return the spec with names
     */
    public EmbeddingSpec withFeatureNames(List<String> names) {
        return new EmbeddingSpec(tables, numericFeatures, names);
    }

    /**
     * Parses {@code model.embeddings}.
     *
     * @param node the object, or null / JSON null
     * @return the spec, or null when absent
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) naming the field that is wrong
     */
    static EmbeddingSpec fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()
                || !node.path("tables").isArray()
                || !node.path("numeric_features").isArray()) {
            throw invalid(
                    "model.embeddings is not an object with arrays \"tables\" and "
                            + "\"numeric_features\"");
        }
        List<Table> tables = new ArrayList<>();
        for (int j = 0; j < node.get("tables").size(); j++) {
            JsonNode t = node.get("tables").get(j);
            String where = "model.embeddings.tables[" + j + "]";
            if (!t.isObject()) {
                throw invalid(where + " is not an object");
            }
            JsonNode name = t.get("name");
            if (name != null && !name.isTextual()) {
                throw invalid(where + " \"name\" is not a string");
            }
            tables.add(
                    new Table(
                            name == null ? null : name.asText(),
                            integer(t, "feature", where),
                            integer(t, "num_embeddings", where),
                            integer(t, "embedding_dim", where)));
        }
        List<Integer> numeric = new ArrayList<>();
        for (JsonNode f : node.get("numeric_features")) {
            if (!f.isIntegralNumber() || !f.canConvertToInt()) {
                throw invalid("model.embeddings.numeric_features holds " + f + ", not an integer");
            }
            numeric.add(f.intValue());
        }
        return new EmbeddingSpec(tables, numeric, null);
    }

    private static int integer(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(where + " needs an integer \"" + field + "\"");
        }
        return value.intValue();
    }

    private static BundleFormatException invalid(String message) {
        return new BundleFormatException(Reason.MODEL_INVALID, "model spec: " + message);
    }
}
