package dev.tabscore.bundle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.ModelChoice;
import dev.tabscore.bundle.OutputLayout;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.manifest.FeatureColumns;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.sklearn.PyRepr;
import dev.tabscore.bundle.sklearn.StepTrace;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tabscore bundle explain DIR --row JSON} (or {@code --input FILE --row-index N}): one row
 * through the bundle, step by step: the raw input values, the output of every leaf step of the
 * sklearn graph (named by its path, e.g. {@code transformers_[0] 'num' > steps[1] 'scaler'}, column
 * by column, before any {@code transformer_weights}), the features, then the model's outputs.
 * {@code tabscore-export explain} prints the same lines from scikit-learn and PyTorch, so the two
 * can be diffed line for line. Values are printed as Python's {@code repr}.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description =
                "Show one row's values after each step of the graph, the features and the"
                        + " model output.")
final class ExplainCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Bundle directory or URI.")
    String dir;

    /** Exactly one source of rows. */
    static final class Source {
        @Option(
                names = "--row",
                required = true,
                description = "The row as a JSON object keyed by input column.")
        String row;

        @Option(
                names = "--input",
                required = true,
                description = "Input .parquet or .csv file (with --row-index).")
        String input;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    String row;
    String input;

    @Option(
            names = "--row-index",
            defaultValue = "0",
            description =
                    "Row of --input (from 0), or 'all' for every row, each after a line"
                            + " 'row N'.")
    String rowIndex;

    @Option(names = "--expect-digest", description = "Refuse the bundle unless its digest is this.")
    String expectDigest;

    @Option(
            names = "--model",
            defaultValue = "auto",
            paramLabel = "MODEL",
            description = "${COMPLETION-CANDIDATES}; default auto.")
    ModelChoice model;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        row = source.row;
        input = source.input;
        PrintWriter out = spec.commandLine().getOut();
        try (Bundle bundle =
                        Bundle.open(
                                dir,
                                BundleOptions.defaults()
                                        .withDevice("cpu")
                                        .withExpectDigest(expectDigest)
                                        .withModel(model.toString()));
                Scorer scorer = bundle.newScorer()) {
            Manifest m = bundle.manifest();
            if (row != null) {
                explain(bundle, scorer, fromJson(row, m)).forEach(out::println);
                return 0;
            }
            ColumnBatch all =
                    ScoreCommand.readInput(
                            input, m, dev.tabscore.bundle.io.HadoopDefaults.newConfiguration());
            if (!rowIndex.equals("all")) {
                explain(bundle, scorer, pick(all)).forEach(out::println);
                return 0;
            }
            for (int r = 0; r < all.rowCount(); r++) {
                out.println("row " + r);
                explain(bundle, scorer, all.select(new int[] {r})).forEach(out::println);
            }
        }
        return 0;
    }

    /** The lines for a one-row batch. */
    static List<String> explain(Bundle bundle, Scorer scorer, ColumnBatch one) {
        Manifest m = bundle.manifest();
        List<String> lines = new ArrayList<>();
        lines.add("bundle " + m.name() + " " + m.version());
        lines.add("input");
        for (Manifest.InputColumn c : m.input().columns()) {
            lines.add("  " + c.name() + " = " + value(one.column(c.name()), 0));
        }
        Leaves leaves = new Leaves();
        double[] features =
                bundle.preprocessor().transform(one, new TransformStats().trace(leaves));
        lines.addAll(leaves.lines);
        lines.add("features");
        List<String> names = FeatureColumns.of(bundle.preprocessor().featureNamesOut());
        for (int j = 0; j < names.size(); j++) {
            lines.add("  " + names.get(j) + " = " + PyRepr.ofDouble(features[j]));
        }
        ScoredBatch s = scorer.score(one, new TransformStats());
        OutputLayout layout = bundle.outputs();
        lines.add("model");
        for (int j = 0; j < layout.width(); j++) {
            lines.add(
                    "  " + layout.numericColumns().get(j) + " = " + PyRepr.ofDouble(s.value(0, j)));
        }
        if (layout.labelColumn() != null) {
            lines.add("  " + layout.labelColumn() + " = " + PyRepr.repr(s.labels()[0]));
        }
        return lines;
    }

    /** Records the output of every step that has no traced step inside it, with its path. */
    private static final class Leaves implements StepTrace {
        private final Deque<String> path = new ArrayDeque<>();
        private final Deque<Integer> recordedAtEnter = new ArrayDeque<>();
        private final List<String> lines = new ArrayList<>();
        private int recorded;

        @Override
        public void enter(String label) {
            path.addLast(label);
            recordedAtEnter.addLast(recorded);
        }

        @Override
        public void exit(String label, ColumnBatch batch) {
            boolean leaf = recordedAtEnter.removeLast() == recorded;
            if (leaf) {
                lines.add("step " + String.join(" > ", path));
                for (int k = 0; k < batch.columnCount(); k++) {
                    lines.add("  " + batch.names().get(k) + " = " + value(batch.column(k), 0));
                }
                recorded++;
            }
            path.removeLast();
        }
    }

    /**
     * A cell as Python's repr prints it, every missing value as nan (scikit-learn sees a missing
     * string as NaN too).
     */
    static String value(Column c, int r) {
        if (c instanceof DoubleColumn d) {
            return PyRepr.ofDouble(d.values()[r]);
        }
        if (c.isMissing(r)) {
            return "nan";
        }
        return PyRepr.repr(c.valueAt(r));
    }

    private ColumnBatch pick(ColumnBatch all) {
        int index;
        try {
            index = Integer.parseInt(rowIndex);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--row-index must be a row number or 'all', got '" + rowIndex + "'");
        }
        if (index < 0 || index >= all.rowCount()) {
            throw new BundleException(
                    Reason.INPUT_VALUE,
                    "--row-index "
                            + rowIndex
                            + " is not"
                            + " a row of "
                            + input
                            + " ("
                            + all.rowCount()
                            + " rows)");
        }
        return all.select(new int[] {index});
    }

    /** A JSON object as a one-row batch typed by the manifest's input columns. */
    static ColumnBatch fromJson(String json, Manifest m) {
        JsonNode obj;
        try {
            obj = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new BundleException(
                    Reason.INPUT_VALUE, "--row is not valid JSON: " + e.getMessage());
        }
        if (obj == null || !obj.isObject()) {
            throw new BundleException(Reason.INPUT_VALUE, "--row must be a JSON object");
        }
        List<String> missing = new ArrayList<>();
        m.input()
                .columns()
                .forEach(
                        c -> {
                            if (!obj.has(c.name())) {
                                missing.add(c.name());
                            }
                        });
        if (!missing.isEmpty()) {
            throw new BundleException(Reason.INPUT_SCHEMA, "--row lacks input columns " + missing);
        }
        ColumnBatch.Builder b = ColumnBatch.builder(1);
        for (Manifest.InputColumn c : m.input().columns()) {
            b.add(c.name(), cell(c, obj.get(c.name())));
        }
        return b.build();
    }

    private static Column cell(Manifest.InputColumn c, JsonNode v) {
        boolean missing = v.isNull();
        switch (c.dtype()) {
            case "float64":
                if (!missing && !v.isNumber()) {
                    throw bad(c, v);
                }
                return new DoubleColumn(new double[] {missing ? Double.NaN : v.asDouble()});
            case "int64":
                if (!missing && !v.canConvertToLong()) {
                    throw bad(c, v);
                }
                return new LongColumn(
                        new long[] {missing ? 0 : v.asLong()}, new boolean[] {missing});
            case "bool":
                if (!missing && !v.isBoolean()) {
                    throw bad(c, v);
                }
                return new BooleanColumn(
                        new boolean[] {!missing && v.asBoolean()}, new boolean[] {missing});
            default:
                if (!missing && !v.isTextual()) {
                    throw bad(c, v);
                }
                return new StringColumn(new String[] {missing ? null : v.asText()});
        }
    }

    private static BundleException bad(Manifest.InputColumn c, JsonNode v) {
        return new BundleException(
                Reason.INPUT_VALUE,
                "--row column '" + c.name() + "' (" + c.dtype() + ") cannot hold " + v);
    }
}
