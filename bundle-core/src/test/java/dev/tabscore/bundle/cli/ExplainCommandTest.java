package dev.tabscore.bundle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tabscore bundle explain} against its Python counterpart {@code
 * scripts/tabscore_explain.py} (the launcher of {@code tabscore-export explain}; scikit-learn and
 * PyTorch) on real bundles: every line, for every golden row (missing values, unseen categories and
 * out-of-range values among them) and for a JSON row, must be the same. {@code
 * explain/graph-bundle} ({@code make_explain_bundle.py}) nests a ColumnTransformer, a FeatureUnion
 * with weights and passthrough, str-slice, bool-mask and selector columns, a passthrough Pipeline
 * step, pandas output and a NaN category. Python runs only where python3 has the training stack (CI
 * installs it first: there a missing stack fails the test); the Java-only checks always run.
 */
class ExplainCommandTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String SAMPLE = ROOT.resolve("sample-data/bundle").toString();
    private static final String JSON_ROW =
            "{\"age\": null, \"income\": 123456.5,"
                    + " \"region\": \"atlantis\", \"channel\": null}";

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "sample-data/bundle",
                "bundle-core/src/test/resources/sealed/sklearn-1.9.1/multiclass-softmax",
                "bundle-core/src/test/resources/sealed/sklearn-1.9.1/regression-ordinal",
                "bundle-core/src/test/resources/sealed/sklearn-1.9.1/infrequent-kbins",
                "bundle-core/src/test/resources/explain/graph-bundle",
                "bundle-core/src/test/resources/duplicate-names/sklearn-1.9.1/ohe/bundle"
            })
    void javaAndPythonPrintTheSameLinesForEveryGoldenRow(String bundle) throws Exception {
        String dir = ROOT.resolve(bundle).toString();
        String[] args = {dir, "--input", dir + "/golden/input.parquet", "--row-index", "all"};
        List<String> java = javaLines(args);
        assertTrue(java.size() > 100, "lines: " + java.size());
        assertSameLines(java, pythonLines(args));
    }

    @Test
    void javaAndPythonAgreeOnAJsonRowWithMissingAndUnseenValues() throws Exception {
        String[] args = {SAMPLE, "--row", JSON_ROW};
        List<String> java = javaLines(args);
        assertSameLines(java, pythonLines(args));
    }

    @Test
    void printsEachLeafStepThenTheFeaturesThenTheModel() throws IOException {
        List<String> lines = javaLines(SAMPLE, "--row", JSON_ROW);
        assertEquals("bundle seed-binary 1.0.0", lines.get(0));
        assertEquals(
                List.of(
                        "input",
                        "  age = nan",
                        "  income = 123456.5",
                        "  region = 'atlantis'",
                        "  channel = nan"),
                lines.subList(1, 6));
        assertEquals(
                List.of(
                        "step transformers_[0] 'num' > steps[0] 'impute'",
                        "step transformers_[0] 'num' > steps[1] 'scale'",
                        "step transformers_[1] 'cat' > steps[0] 'impute'",
                        "step transformers_[1] 'cat' > steps[1] 'onehot'",
                        "features",
                        "model"),
                lines.stream().filter(l -> !l.startsWith("  ")).skip(2).toList());
        // the unseen region is all zeros; the imputed age is the training median
        assertTrue(lines.contains("  cat__region_central = 0.0"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  prob = 0.")), lines.toString());
    }

    @Test
    void refusesABadRow() {
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err),
                        "bundle",
                        "explain",
                        SAMPLE,
                        "--row",
                        "{\"age\": \"old\"}");
        assertEquals(Reason.INPUT_SCHEMA.exitCode(), code, err.toString());
        code =
                TabscoreCli.run(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err),
                        "bundle",
                        "explain",
                        SAMPLE,
                        "--row",
                        "{\"age\": \"old\", \"income\": 1,"
                                + " \"region\": \"a\", \"channel\": \"b\"}");
        assertEquals(Reason.INPUT_VALUE.exitCode(), code, err.toString());
        assertTrue(
                err.toString().contains("--row column 'age' (float64) cannot hold \"old\""),
                err.toString());
        code =
                TabscoreCli.run(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err),
                        "bundle",
                        "explain",
                        SAMPLE);
        assertTrue(
                code != ExitCodes.OK
                        && err.toString()
                                .contains(
                                        "Missing required argument"
                                                + " (specify one of these): (--row=<row> | --input=<input>)"),
                err.toString());
    }

    private static List<String> javaLines(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "bundle";
        full[1] = "explain";
        System.arraycopy(args, 0, full, 2, args.length);
        int code = TabscoreCli.run(new PrintWriter(out, true), new PrintWriter(err, true), full);
        assertEquals(0, code, err.toString());
        return out.toString().lines().toList();
    }

    private static Boolean pythonStack;

    private static List<String> pythonLines(String... args) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (pythonStack == null) {
            pythonStack =
                    run(List.of("python3", "-c", "import sklearn, skops, torch, tabscore_export"))
                            == 0;
        }
        boolean stack = pythonStack;
        if (!stack && ci) {
            throw new AssertionError(
                    "CI=true but python3 lacks scikit-learn, skops, torch or the exporter package"
                            + " (scripts/install-python-deps.sh installs them)");
        }
        assumeTrue(
                stack,
                "python3 without the training stack or the exporter package: Python side skipped");
        List<String> cmd =
                new ArrayList<>(
                        List.of("python3", ROOT.resolve("scripts/tabscore_explain.py").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("explain", ".txt");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(cmd)
                            .redirectOutput(out.toFile())
                            .redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python timed out");
            assertEquals(0, p.exitValue(), "python exit code");
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int run(List<String> cmd) throws Exception {
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void assertSameLines(List<String> java, List<String> python) {
        List<String> diff = new ArrayList<>();
        for (int i = 0; i < Math.max(java.size(), python.size()); i++) {
            String j = i < java.size() ? java.get(i) : "<none>";
            String p = i < python.size() ? python.get(i) : "<none>";
            if (!j.equals(p)) {
                diff.add("line " + (i + 1) + ": java " + j + " | python " + p);
            }
        }
        assertTrue(
                diff.isEmpty(),
                diff.size()
                        + " lines differ:\n"
                        + String.join("\n", diff.subList(0, Math.min(20, diff.size()))));
    }
}
