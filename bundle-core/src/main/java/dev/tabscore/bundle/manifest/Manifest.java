package dev.tabscore.bundle.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bundle's {@code manifest.json}: contract and identity, as written by {@code tabscore_export}
 * (python/) and described by {@code tabscore/manifest.schema.json}. Read it with {@link
 * ManifestReader}, which validates it against that schema first.
 *
 * @param formatVersion the manifest format; only {@link ManifestReader#FORMAT_VERSION} is read
 * @param name the bundle name
 * @param version the bundle version
 * @param createdAt when the exporter wrote it (RFC 3339)
 * @param task binary, multiclass or regression
 * @param classes class labels by model output index; null for regression
 * @param input the raw input contract
 * @param features the preprocessor's output feature names and width
 * @param preprocessor where the sklearn graph is and what it holds
 * @param model the network: files, width, head, layers
 * @param versions library versions on the training side
 * @param training snapshot, run, metrics and per-column training statistics
 * @param golden the golden batch and its tolerances
 * @param artifacts every other file of the bundle with its size and sha256
 */
public record Manifest(
        int formatVersion,
        String name,
        String version,
        String createdAt,
        Task task,
        List<JsonNode> classes,
        Input input,
        Features features,
        Preprocessor preprocessor,
        Model model,
        Map<String, String> versions,
        Training training,
        Golden golden,
        Map<String, Artifact> artifacts) {

    /** What the model predicts. */
    public enum Task {
        /** One probability of the positive class. */
        BINARY,
        /** One probability per class and the argmax label. */
        MULTICLASS,
        /** One number. */
        REGRESSION
    }

    /**
     * Returns the class labels as text, the form used in output column names ({@code prob_<c>}).
     *
     * @return the labels, empty for regression
     */
    public List<String> classLabels() {
        List<String> labels = new ArrayList<>();
        if (classes != null) {
            for (JsonNode c : classes) {
                labels.add(c.asText());
            }
        }
        return labels;
    }

    /**
     * The raw input contract: the columns the preprocessor reads, in order.
     *
     * @param columns the columns
     */
    public record Input(List<InputColumn> columns) {}

    /**
     * One raw input column.
     *
     * @param name the column name ({@code feature_names_in_})
     * @param kind numeric, categorical, boolean or passthrough
     * @param dtype float64, int64, bool or string, as in the training frame
     * @param nullable whether missing values are allowed
     * @param policy the column's data-quality policy, or null (absent: every default)
     * @param trainingNulls what the training frame held for a null in this string column, as the
     *     fitted graph saw it: {@code none} (Python None) or {@code none_and_nan} (both): a null is
     *     scored as None, what pandas holds for a null read from Parquet; {@code nan} or null
     *     (absent: older bundles, or no null in training): a null is NaN
     */
    public record InputColumn(
            String name,
            String kind,
            String dtype,
            boolean nullable,
            ColumnPolicy policy,
            String trainingNulls) {

        /**
         * Whether a null in this column is Python None to the fitted graph.
         *
         * @return true for {@code training_nulls} "none" or "none_and_nan"
         */
        public boolean nullIsNone() {
            return "none".equals(trainingNulls) || "none_and_nan".equals(trainingNulls);
        }
    }

    /**
     * The data-quality policy of one raw input column ({@code input.columns[].policy}); a null
     * member is absent from the manifest and means its default.
     *
     * @param onNull {@code preprocess} (default: the preprocessor handles the null) or {@code
     *     reject} (the row goes to the rejects)
     * @param onInvalid for a value that cannot be parsed or is invalid: {@code reject} the row
     *     (default) or {@code fail} the job
     * @param onUnknown for a category unseen in training (categorical columns only): {@code
     *     preprocess} (default), {@code reject} the row, or {@code fail} the job when the column's
     *     unknown rate exceeds {@code maxUnknownRate}
     * @param maxUnknownRate the unknown rate in [0, 1] above which {@code fail} fails the job; only
     *     with {@code onUnknown} {@code fail}; null means 0
     */
    public record ColumnPolicy(
            String onNull, String onInvalid, String onUnknown, Double maxUnknownRate) {}

    /**
     * The preprocessor's output.
     *
     * @param names the feature names, in order ({@code get_feature_names_out()})
     * @param width the number of features, the model's input width
     */
    public record Features(List<String> names, int width) {

        /**
         * Returns one distinct name per feature, for columns and reports: {@link #names()} where
         * they are distinct, else the later occurrences of a repeated name renamed ({@link
         * FeatureColumns}).
         *
         * @return the column names, in order
         */
        public List<String> columns() {
            return FeatureColumns.of(names);
        }
    }

    /**
     * The fitted sklearn graph.
     *
     * @param path the artifact, e.g. {@code preprocessor.skops}
     * @param skopsProtocol the skops protocol of the file
     * @param rootClass the root estimator's qualified class name
     * @param sklearnClasses every sklearn class in the graph
     */
    public record Preprocessor(
            String path, int skopsProtocol, String rootClass, List<String> sklearnClasses) {}

    /**
     * The network.
     *
     * @param torchscript the TorchScript artifact or null
     * @param stateDict the state_dict artifact or null
     * @param inputDtype the input dtype, float32
     * @param inputWidth the input width
     * @param outputDim the number of outputs
     * @param outputHead sigmoid, softmax or identity
     * @param layers the Sequential layers (for the state_dict path), or null
     * @param onnx the ONNX artifact or null (absent in manifests written before issue 16)
     * @param embeddings the embeddings before the layers ({@link
     *     dev.tabscore.bundle.model.EmbeddingSpec}), or null (absent without them)
     */
    public record Model(
            String torchscript,
            String stateDict,
            String inputDtype,
            int inputWidth,
            int outputDim,
            String outputHead,
            JsonNode layers,
            String onnx,
            JsonNode embeddings) {}

    /**
     * Where the training data came from.
     *
     * @param snapshotId the training snapshot id or null
     * @param runId the training run id or null
     * @param rows the number of training rows
     * @param metrics free-form training metrics
     * @param statistics per input column training statistics, or null
     * @param outputStatistics per model output column ({@code golden.output_columns}) statistics of
     *     the model's outputs on the training rows, or null
     */
    public record Training(
            String snapshotId,
            String runId,
            Long rows,
            JsonNode metrics,
            Map<String, ColumnStatistics> statistics,
            Map<String, ColumnStatistics> outputStatistics) {}

    /**
     * Training statistics of one input column or model output column, the reference for drift
     * checks.
     *
     * @param missingRate the fraction of missing values
     * @param count the number of rows
     * @param min numeric minimum
     * @param max numeric maximum
     * @param mean numeric mean
     * @param quantiles numeric quantiles keyed by probability ("0.5")
     * @param histogram numeric decile histogram
     * @param frequencies categorical value shares (top values plus {@code __other__})
     * @param cardinality number of distinct categories
     */
    public record ColumnStatistics(
            Double missingRate,
            Long count,
            Double min,
            Double max,
            Double mean,
            Map<String, Double> quantiles,
            Histogram histogram,
            Map<String, Double> frequencies,
            Long cardinality) {}

    /**
     * A histogram.
     *
     * @param edges the bin edges (one more than fractions)
     * @param fractions the share of non-missing values in each bin
     */
    public record Histogram(List<Double> edges, List<Double> fractions) {}

    /**
     * The golden batch: raw rows and what Python computed for them.
     *
     * @param input the raw rows (Parquet)
     * @param output the features and outputs (Parquet)
     * @param rows the row count
     * @param featureTolerance how exactly features must match
     * @param outputTolerance how closely model outputs must match
     * @param outputColumns the model output columns in the output file
     */
    public record Golden(
            String input,
            String output,
            int rows,
            FeatureTolerance featureTolerance,
            OutputTolerance outputTolerance,
            List<String> outputColumns) {}

    /**
     * Feature tolerance: exact by default; features derived from numpy ufuncs are compared under
     * the ulp contract when {@code ufuncUlps} is given (docs/sklearn-coverage/ufunc-contract.md:
     * the golden value must lie within what Java computes with every inexact ufunc result moved by
     * that many ulps either way, carried through the later steps), else, as manifests written
     * before that contract say, within the absolute {@code ufuncAbs}.
     *
     * @param defaultAbs the absolute tolerance of ordinary features (0 = bit-exact)
     * @param ufuncAbs the absolute tolerance of ufunc-derived features when {@code ufuncUlps} is
     *     absent; null when the manifest gives none
     * @param ufuncFeatures the features derived from numpy ufuncs
     * @param ufuncUlps the ulp contract of the inexact ufuncs, or null (older manifests)
     * @param ufuncSources per feature, the inexact ufuncs it is derived from, or null
     * @param approxFeatures per feature of a transformer tabscore reproduces within a stated
     *     tolerance rather than bit for bit (PowerTransformer, QuantileTransformer's normal output,
     *     Normalizer l1/l2, PCA, TruncatedSVD), the relative tolerance ({@code |java - golden| <=
     *     value * max(1, |golden|)}); or null
     */
    public record FeatureTolerance(
            double defaultAbs,
            Double ufuncAbs,
            List<String> ufuncFeatures,
            Integer ufuncUlps,
            java.util.Map<String, List<String>> ufuncSources,
            java.util.Map<String, Double> approxFeatures) {}

    /**
     * Output tolerance, numpy.allclose semantics: {@code |got - want| <= atol + rtol * |want|}.
     *
     * @param rtol relative tolerance
     * @param atol absolute tolerance
     */
    public record OutputTolerance(double rtol, double atol) {}

    /**
     * One file of the bundle.
     *
     * @param bytes its size
     * @param sha256 its sha256, 64 lowercase hex digits
     */
    public record Artifact(long bytes, String sha256) {}
}
