package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.skops.SkopsFile;
import dev.tabscore.bundle.skops.SkopsLimits;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import dev.tabscore.bundle.skops.SkopsReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fitted scikit-learn preprocessor of a bundle: raw typed columns in, the dense float64 feature
 * matrix out, exactly as {@code preprocessor.transform(df)} computes it in Python.
 *
 * <pre>{@code
 * Preprocessor pre = Preprocessor.load(Files.readAllBytes(path), "preprocessor.skops");
 * TransformStats stats = new TransformStats();
 * double[] features = pre.transform(batch, stats);     // row-major, batch.rowCount() x width()
 * }</pre>
 *
 * <p>Input columns are found by name: extra columns are ignored, order does not matter, and a
 * missing column that some branch reads is refused with its name. Immutable and thread-safe; one
 * instance serves every partition of an executor.
 */
public final class Preprocessor {

    /** Rows scattered per block into the row-major output, so the block stays in cache. */
    private static final int SCATTER_BLOCK = 512;

    private final Transformer graph;
    private final List<String> inputColumns;
    private final List<String> requiredColumns;
    private final List<String> featureNamesOut;
    private final Map<String, KnownCategories> knownCategories;

    /** String columns whose null is Python None to the graph (manifest training_nulls "none"). */
    private final Set<String> noneColumns;

    /**
     * Wraps a built graph.
     *
     * @param graph the fitted graph
     * @param inputColumns the names of its input columns, in fitted order
     */
    public Preprocessor(Transformer graph, List<String> inputColumns) {
        this(graph, inputColumns, Set.of());
    }

    /**
     * Wraps a built graph whose training frame held Python None for a null in some string columns:
     * a null there reaches the graph as {@link StringColumn#NONE}.
     *
     * @param graph the fitted graph
     * @param inputColumns the names of its input columns, in fitted order
     * @param noneColumns the string columns whose null is None
     */
    public Preprocessor(Transformer graph, List<String> inputColumns, Set<String> noneColumns) {
        this.noneColumns = Set.copyOf(noneColumns);
        this.graph = graph;
        this.inputColumns = List.copyOf(inputColumns);
        this.requiredColumns =
                graph instanceof ColumnTransformer ct ? ct.requiredColumns() : this.inputColumns;
        this.featureNamesOut = List.copyOf(graph.featureNamesOut(this.inputColumns));
        Map<String, KnownCategories> known = new LinkedHashMap<>();
        List<List<Categories>> trace = KnownCategories.Trace.of(graph, this.inputColumns.size());
        for (int i = 0; i < trace.size(); i++) {
            if (!trace.get(i).isEmpty()) {
                known.put(this.inputColumns.get(i), new KnownCategories(trace.get(i)));
            }
        }
        this.knownCategories = Collections.unmodifiableMap(known);
    }

    /**
     * Reads a {@code .skops} file and builds its preprocessor. The reader trusts exactly the
     * classes and functions of {@link SklearnRegistry#standard()}.
     *
     * @param skopsBytes the file's bytes
     * @param artifactName the file's name in the bundle, for messages
     * @return the preprocessor
     * @throws dev.tabscore.bundle.BundleFormatException if the file is malformed, names an
     *     untrusted type, or uses a class or option tabscore does not reproduce
     */
    public static Preprocessor load(byte[] skopsBytes, String artifactName) {
        return load(skopsBytes, artifactName, Set.of());
    }

    /**
     * Reads a {@code .skops} file fitted on a frame that held Python None for a null in some string
     * columns (the manifest's {@code training_nulls} "none"): a null there is scored as None, and
     * encoders may hold a None category for them.
     *
     * @param skopsBytes the file's bytes
     * @param artifactName the file's name in the bundle, for messages
     * @param noneColumns the string input columns whose null is None
     * @return the preprocessor
     * @throws dev.tabscore.bundle.BundleFormatException as {@link #load(byte[], String)}
     */
    public static Preprocessor load(
            byte[] skopsBytes, String artifactName, Set<String> noneColumns) {
        return load(skopsBytes, artifactName, noneColumns, TrainingNumpy.UNKNOWN);
    }

    /**
     * Reads a {@code .skops} file as {@link #load(byte[], String, Set)}, knowing which numpy ran
     * the training side (the manifest's {@code versions.numpy}): the float32 steps that numpy 1.x
     * and 2 compute differently are then scored by that numpy's rules rather than refused.
     *
     * @param skopsBytes the file's bytes
     * @param artifactName the file's name in the bundle, for messages
     * @param noneColumns the string input columns whose null is None
     * @param numpy the training side's numpy, or {@link TrainingNumpy#UNKNOWN}
     * @return the preprocessor
     * @throws dev.tabscore.bundle.BundleFormatException as {@link #load(byte[], String)}
     */
    public static Preprocessor load(
            byte[] skopsBytes, String artifactName, Set<String> noneColumns, TrainingNumpy numpy) {
        SkopsFile file =
                SkopsReader.read(
                        skopsBytes,
                        artifactName,
                        SklearnRegistry.standard(),
                        SkopsLimits.defaults());
        ObjectNode root = file.root();
        Transformer graph =
                new GraphBuilder(SklearnRegistry.standard(), noneColumns, numpy).build(root);
        return new Preprocessor(graph, GraphBuilder.inputNames(root), noneColumns);
    }

    /**
     * Builds the preprocessor of an already parsed skops graph.
     *
     * @param root the root estimator node
     * @return the preprocessor
     * @throws dev.tabscore.bundle.BundleFormatException if anything is unsupported or malformed
     */
    public static Preprocessor fromRoot(ObjectNode root) {
        Transformer graph = new GraphBuilder(SklearnRegistry.standard()).build(root);
        return new Preprocessor(graph, GraphBuilder.inputNames(root));
    }

    /**
     * Returns the input columns, {@code feature_names_in_}.
     *
     * @return the names, in fitted order
     */
    public List<String> inputColumns() {
        return inputColumns;
    }

    /**
     * Returns the input columns the transform reads (those only dropped are not needed).
     *
     * @return the names, in fitted order
     */
    public List<String> requiredColumns() {
        return requiredColumns;
    }

    /**
     * Returns the output feature names, {@code get_feature_names_out()}: a name may repeat, as
     * scikit-learn's may (features are positional; {@code FeatureColumns} names them distinctly).
     *
     * @return the names
     */
    public List<String> featureNamesOut() {
        return featureNamesOut;
    }

    /**
     * Returns the number of output features.
     *
     * @return the width d
     */
    public int width() {
        return featureNamesOut.size();
    }

    /**
     * Returns, for each input column that reaches an encoder with its values unchanged, the
     * categories it is compared with: what tells an unknown category from the raw value.
     *
     * @return input column name to its known categories, in input order
     */
    public Map<String, KnownCategories> knownCategories() {
        return knownCategories;
    }

    /**
     * Returns the fitted graph.
     *
     * @return the root transformer
     */
    public Transformer graph() {
        return graph;
    }

    /**
     * Transforms a batch into a new row-major matrix.
     *
     * @param raw the raw input columns
     * @param stats where missing values and unknown categories are counted, or null
     * @return {@code raw.rowCount() * width()} values, row after row
     * @throws ScoringException naming the column, row and value that could not be transformed
     */
    public double[] transform(ColumnBatch raw, TransformStats stats) {
        double[] out = new double[raw.rowCount() * width()];
        transform(raw, stats, out, 0);
        return out;
    }

    /**
     * Transforms a batch into a caller-owned row-major buffer, e.g. one reused across batches.
     *
     * @param raw the raw input columns
     * @param stats where missing values and unknown categories are counted, or null
     * @param out the buffer; row r, feature j goes to {@code out[offset + r * width() + j]}
     * @param offset where row 0 starts
     * @throws ScoringException naming the column, row and value that could not be transformed
     */
    public void transform(ColumnBatch raw, TransformStats stats, double[] out, int offset) {
        int n = raw.rowCount();
        int d = width();
        if (offset < 0 || (long) offset + (long) n * d > out.length) {
            throw new IllegalArgumentException(
                    "buffer of "
                            + out.length
                            + " cannot hold "
                            + n
                            + " x "
                            + d
                            + " values at offset "
                            + offset);
        }
        ColumnBatch f = transformColumns(raw, stats);
        double[][] cols = new double[d][];
        for (int j = 0; j < d; j++) {
            cols[j] = NumericInput.doubles(f.column(j), featureNamesOut.get(j), "the model input");
        }
        for (int r0 = 0; r0 < n; r0 += SCATTER_BLOCK) {
            int r1 = Math.min(n, r0 + SCATTER_BLOCK);
            for (int j = 0; j < d; j++) {
                double[] c = cols[j];
                int at = offset + r0 * d + j;
                for (int r = r0; r < r1; r++, at += d) {
                    out[at] = c[r];
                }
            }
        }
    }

    /**
     * Transforms a batch into feature columns, named {@link #featureNamesOut()}.
     *
     * @param raw the raw input columns
     * @param stats where missing values and unknown categories are counted, or null
     * @return the features as columns
     * @throws ScoringException naming the column, row and value that could not be transformed
     */
    public ColumnBatch transformColumns(ColumnBatch raw, TransformStats stats) {
        List<String> absent = new ArrayList<>();
        for (String name : requiredColumns) {
            if (!raw.has(name)) {
                absent.add(name);
            }
        }
        if (!absent.isEmpty()) {
            throw new ScoringException(
                    Reason.INPUT_SCHEMA,
                    absent.get(0),
                    -1,
                    "input lacks column(s) "
                            + absent
                            + " that the preprocessor reads; it has "
                            + raw.names());
        }
        ColumnBatch.Builder b = ColumnBatch.builder(raw.rowCount());
        for (String name : inputColumns) {
            if (raw.has(name)) {
                Column c = raw.column(name);
                if (stats != null) {
                    stats.column(name).addMissing(countMissing(c));
                }
                b.add(
                        name,
                        noneColumns.contains(name) && c instanceof StringColumn s
                                ? s.nullsAsNone()
                                : c);
            }
        }
        ColumnBatch out = graph.transform(b.build(), stats);
        if (stats != null) {
            stats.addRows(raw.rowCount());
        }
        return out;
    }

    private static long countMissing(Column c) {
        long n = 0;
        if (c instanceof DoubleColumn d) {
            for (double v : d.values()) {
                n += v != v ? 1 : 0;
            }
        } else if (c instanceof StringColumn s) {
            for (String v : s.values()) {
                n += v == null ? 1 : 0;
            }
        } else {
            boolean[] mask =
                    c instanceof LongColumn l ? l.missing() : ((BooleanColumn) c).missing();
            if (mask != null) {
                for (boolean m : mask) {
                    n += m ? 1 : 0;
                }
            }
        }
        return n;
    }
}
