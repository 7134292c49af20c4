package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * scikit-learn's {@code sklearn.compose.ColumnTransformer}: each fitted branch of {@code
 * transformers_}, in order, receives its input columns ({@code feature_names_in_} at the indices of
 * {@code _transformer_to_input_indices[name]}, selected by name when fitted on a DataFrame, so
 * extra or reordered input columns do not matter), its output is multiplied by {@code
 * transformer_weights[name]} when set, and the outputs are stacked side by side. "drop" branches
 * and branches with no columns give nothing; "passthrough" (and the remainder) is the identity. A
 * column may feed several branches. Output names are {@code <branch>__<feature>} ({@code
 * verbose_feature_names_out=True}), a custom {@code "{transformer_name}...{feature_name}"} format
 * (whose names may repeat, as scikit-learn's do), or the bare feature names, which must then be
 * unique.
 *
 * <p>Not reproduced: a scalar column selection (scikit-learn passes 1-d data, which these
 * transformers refuse), a callable {@code verbose_feature_names_out}. Sparse output is returned
 * dense (same values).
 */
public final class ColumnTransformer implements Transformer {

    /** One fitted branch of {@code transformers_}. */
    public static final class Branch {
        private final String label;
        private final int[] columns;
        private final Transformer transformer;
        private final double weight;
        private final String name;
        private final boolean float32;

        /**
         * Creates a branch.
         *
         * @param index its position in {@code transformers_}, for messages
         * @param name its name
         * @param columns the input column indices it reads
         * @param transformer the fitted transformer
         * @param weight {@code transformer_weights[name]}, or NaN when not set
         */
        public Branch(
                int index, String name, int[] columns, Transformer transformer, double weight) {
            this("transformers_[" + index + "] '" + name + "'", name, columns, transformer, weight);
        }

        /**
         * Creates a branch with its own label (a FeatureUnion's {@code transformer_list[i]}).
         *
         * @param label the branch's step label, for messages
         * @param name its name
         * @param columns the input column indices it reads
         * @param transformer the fitted transformer
         * @param weight its weight, or NaN when not set
         */
        Branch(String label, String name, int[] columns, Transformer transformer, double weight) {
            this(label, name, columns, transformer, weight, false);
        }

        /**
         * Creates a branch whose output may be float32.
         *
         * @param label the branch's step label, for messages
         * @param name its name
         * @param columns the input column indices it reads
         * @param transformer the fitted transformer
         * @param weight its weight, or NaN when not set
         * @param float32 whether the branch outputs a float32 array: {@code res * weight} then
         *     multiplies by the weight rounded to float32, in float32 (numpy 2's weak Python
         *     scalars, numpy 1's value-based casting)
         */
        Branch(
                String label,
                String name,
                int[] columns,
                Transformer transformer,
                double weight,
                boolean float32) {
            this.float32 = float32;
            this.label = label;
            this.name = name;
            this.columns = columns.clone();
            this.transformer = transformer;
            this.weight = weight;
            if (columns.length == 0 || Arrays.stream(columns).distinct().count() < columns.length) {
                throw new IllegalArgumentException(
                        label + " selects no column or one twice: " + Arrays.toString(columns));
            }
        }

        /** The branch name. */
        String name() {
            return name;
        }

        /** The input column indices the branch reads. */
        int[] columns() {
            return columns.clone();
        }

        /** The fitted transformer of the branch. */
        Transformer transformer() {
            return transformer;
        }

        /** Its weight, NaN when not set. */
        double weight() {
            return weight;
        }

        /** Its step label, e.g. {@code transformers_[0] 'num'}. */
        String label() {
            return label;
        }
    }

    private final List<String> featureNamesIn;
    private final List<Branch> branches;
    private final boolean byName;
    private final FeatureNameFormat nameFormat;
    private final List<String> namesOut;

    /**
     * Whether scikit-learn's output is a scipy sparse matrix ({@code sparse_output_}): dense branch
     * outputs go through {@code csr_matrix}, which stores no zero, so a {@code -0.0} comes back as
     * {@code +0.0} when the training code densified the matrix.
     */
    private final boolean sparseOutput;

    /**
     * Creates a fitted column transformer.
     *
     * @param featureNamesIn the input names ({@code feature_names_in_})
     * @param branches the branches that produce output, in order
     * @param byName select input columns by name (fitted on a DataFrame) rather than position
     * @param nameFormat a Python format with {@code {transformer_name}} and {@code {feature_name}}
     *     ({@code "{transformer_name}__{feature_name}"} for {@code
     *     verbose_feature_names_out=True}), or null for the bare names
     * @throws IllegalArgumentException if a column index is out of range, the format uses other
     *     fields, or bare names are not unique
     */
    public ColumnTransformer(
            List<String> featureNamesIn, List<Branch> branches, boolean byName, String nameFormat) {
        this(featureNamesIn, branches, byName, nameFormat, false);
    }

    /**
     * Creates a fitted column transformer whose output may be sparse.
     *
     * @param featureNamesIn the input names ({@code feature_names_in_})
     * @param branches the branches that produce output, in order
     * @param byName select input columns by name rather than position
     * @param nameFormat the feature name format, or null for the bare names
     * @param sparseOutput {@code sparse_output_}: zeros come out as {@code +0.0}
     * @throws IllegalArgumentException as {@link #ColumnTransformer(List, List, boolean, String)}
     */
    public ColumnTransformer(
            List<String> featureNamesIn,
            List<Branch> branches,
            boolean byName,
            String nameFormat,
            boolean sparseOutput) {
        this.sparseOutput = sparseOutput;
        this.featureNamesIn = List.copyOf(featureNamesIn);
        this.branches = List.copyOf(branches);
        this.byName = byName;
        this.nameFormat = new FeatureNameFormat(nameFormat);
        for (Branch b : branches) {
            for (int j : b.columns) {
                if (j < 0 || j >= featureNamesIn.size()) {
                    throw new IllegalArgumentException(
                            b.label + " selects column " + j + " of " + featureNamesIn.size());
                }
            }
        }
        this.namesOut = namesOut();
    }

    static ColumnTransformer fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        return ColumnTransformerAttributes.build(a, in, g);
    }

    /**
     * Returns the input columns some branch reads; columns only dropped are not needed.
     *
     * @return the names, in input order
     */
    public List<String> requiredColumns() {
        boolean[] used = new boolean[featureNamesIn.size()];
        for (Branch b : branches) {
            for (int j : b.columns) {
                used[j] = true;
            }
        }
        List<String> out = new ArrayList<>();
        for (int j = 0; j < used.length; j++) {
            if (used[j]) {
                out.add(featureNamesIn.get(j));
            }
        }
        return out;
    }

    /**
     * Returns the input names this transformer was fitted on.
     *
     * @return {@code feature_names_in_}
     */
    public List<String> featureNamesIn() {
        return featureNamesIn;
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        int n = in.rowCount();
        List<Column> out = new ArrayList<>(namesOut.size());
        for (Branch b : branches) {
            ColumnBatch.Builder sub = ColumnBatch.builder(n);
            for (int j : b.columns) {
                String name = featureNamesIn.get(j);
                sub.add(name, byName ? in.column(name) : in.column(j));
            }
            ColumnBatch res;
            StepTrace trace = stats == null ? null : stats.trace();
            if (trace != null) {
                trace.enter(b.label);
            }
            try {
                res = b.transformer.transform(sub.build(), stats);
            } catch (ScoringFailure e) {
                throw e.within(b.label);
            } catch (UnsettledImputationException e) {
                throw e.within(b.label);
            }
            if (trace != null) {
                trace.exit(b.label, res);
            }
            for (int k = 0; k < res.columnCount(); k++) {
                Column c = res.column(k);
                if (!Double.isNaN(b.weight)) {
                    double[] x = NumericInput.doubles(c, res.names().get(k), "transformer_weights");
                    double[] y = new double[n];
                    double w = b.float32 ? NarrowFloatSteps.round(b.weight) : b.weight;
                    for (int r = 0; r < n; r++) {
                        y[r] = b.float32 ? NarrowFloatSteps.round(x[r] * w) : x[r] * w;
                    }
                    c = new DoubleColumn(y);
                }
                if (sparseOutput) {
                    c = positiveZeros(c, res.names().get(k));
                }
                out.add(c);
            }
        }
        return Batches.of(n, namesOut, out.toArray(new Column[0]));
    }

    /** A column with every {@code -0.0} as {@code +0.0}; other values and types untouched. */
    private static Column positiveZeros(Column c, String name) {
        if (!(c instanceof DoubleColumn d)) {
            return c;
        }
        double[] x = d.values();
        double[] y = null;
        for (int r = 0; r < x.length; r++) {
            if (x[r] == 0.0 && Double.doubleToRawLongBits(x[r]) != 0L) {
                if (y == null) {
                    y = x.clone();
                }
                y[r] = 0.0;
            }
        }
        return y == null ? c : new DoubleColumn(y);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        if (!in.equals(featureNamesIn)) {
            throw new IllegalArgumentException(
                    "input names " + in + " differ from " + "feature_names_in_ " + featureNamesIn);
        }
        return namesOut;
    }

    private List<String> namesOut() {
        List<String> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> dup = new LinkedHashSet<>();
        for (Branch b : branches) {
            for (String f : b.transformer.featureNamesOut(namesOf(b))) {
                String name = nameFormat.apply(b.name, f);
                if (!seen.add(name)) {
                    dup.add(name);
                }
                out.add(name);
            }
        }
        // scikit-learn checks only bare names (verbose_feature_names_out=False); a prefix format
        // such as "{feature_name}" may repeat a name, and the features stay positional
        if (!dup.isEmpty() && nameFormat.bare()) {
            throw new IllegalArgumentException(
                    "Output feature names: "
                            + dup
                            + " are not"
                            + " unique. Please set verbose_feature_names_out=True to add prefixes to"
                            + " feature names");
        }
        return List.copyOf(out);
    }

    /**
     * Returns the branches that produce output.
     *
     * @return the branches, in order
     */
    List<Branch> branches() {
        return branches;
    }

    /**
     * Returns the output width of a branch.
     *
     * @param b the branch
     * @return the number of output columns
     */
    int widthOf(Branch b) {
        return b.transformer.featureNamesOut(namesOf(b)).size();
    }

    private List<String> namesOf(Branch b) {
        List<String> sub = new ArrayList<>();
        for (int j : b.columns) {
            sub.add(featureNamesIn.get(j));
        }
        return sub;
    }
}
