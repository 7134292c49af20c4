package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.cli.TabscoreCli;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.model.djl.OnnxRunner;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One network (BatchNorm1d, LayerNorm, SiLU, ELU, Softplus, Mish) as ONNX only, state_dict only,
 * TorchScript only and all three: each verifies (golden replay within the output tolerance), {@code
 * auto} picks the artifact that runs the least code, and all score the golden rows alike.
 */
class ModelKindsTest {

    @TempDir Path tmp;

    @Test
    void eachKindVerifiesAndAutoPrefersTheLeastCode() {
        assertEquals("state_dict", open(ModelKinds.all(), "auto").modelKindAndClose());
        assertEquals(
                "state_dict",
                open(ModelKinds.only("state_dict", tmp.resolve("sd")), "auto").modelKindAndClose());
        assertEquals(
                "onnx",
                open(ModelKinds.only("onnx", tmp.resolve("onnx")), "auto").modelKindAndClose());
        assertEquals(
                "torchscript",
                open(ModelKinds.only("torchscript", tmp.resolve("ts")), "auto")
                        .modelKindAndClose());
        // Without a state_dict, auto takes ONNX over TorchScript.
        Path noSd = SealedBundles.copy(ModelKinds.all(), tmp.resolve("nosd"));
        var m = SealedBundles.manifest(noSd);
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("model")).putNull("state_dict");
        ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("artifacts"))
                .remove(ModelKinds.STATE_DICT);
        SealedBundles.writeManifest(noSd, m);
        assertEquals("onnx", open(noSd, "auto").modelKindAndClose());
    }

    @Test
    void allKindsScoreTheGoldenRowsAlikeWithinTheOutputTolerance() throws IOException {
        Path all = ModelKinds.all();
        ColumnBatch golden =
                ParquetColumns.read(
                        Files.readAllBytes(all.resolve("golden/input.parquet")), "golden input");
        ColumnBatch expected =
                ParquetColumns.read(
                        Files.readAllBytes(all.resolve("golden/output.parquet")), "golden output");
        double[] python =
                ((dev.tabscore.bundle.column.DoubleColumn) expected.column("prob")).values();
        for (String kind : new String[] {"state_dict", "onnx", "torchscript"}) {
            try (Bundle bundle =
                            Bundle.open(all.toString(), BundleOptions.defaults().withModel(kind));
                    Scorer scorer = bundle.newScorer()) {
                assertEquals(kind, bundle.modelKind());
                if (kind.equals("onnx")) {
                    assertTrue(bundle.model() instanceof OnnxRunner, bundle.model().toString());
                    assertTrue(
                            ((OnnxRunner) bundle.model())
                                    .graph()
                                    .operators()
                                    .contains("LayerNormalization"),
                            "the real exporter's graph");
                }
                ScoredBatch out = scorer.score(golden, new TransformStats());
                int col = bundle.outputs().numericColumns().indexOf("prob");
                assertTrue(col >= 0, bundle.outputs().toString());
                for (int r = 0; r < out.rows(); r++) {
                    double got = out.value(r, col);
                    assertTrue(
                            Math.abs(got - python[r]) <= 1e-6 + 1e-5 * Math.abs(python[r]),
                            kind + " row " + r + ": java " + got + ", python " + python[r]);
                }
            }
        }
    }

    @Test
    void verifyAndInspectSayWhichArtifactScores() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "bundle",
                        "verify",
                        ModelKinds.all().toString());
        assertEquals(0, code, err.toString());
        assertTrue(
                out.toString()
                        .contains(
                                "model_state.pt (state_dict), model.onnx (onnx), "
                                        + "model.torchscript.pt (torchscript); scores with model_state.pt (state_dict)"),
                out.toString());
        StringWriter inspect = new StringWriter();
        code =
                TabscoreCli.run(
                        new PrintWriter(inspect),
                        new PrintWriter(err),
                        "bundle",
                        "inspect",
                        ModelKinds.only("onnx", tmp.resolve("o")).toString());
        assertEquals(0, code, err.toString());
        assertTrue(
                inspect.toString().contains("--model auto scores with model.onnx (onnx)"),
                inspect.toString());
        assertFalse(inspect.toString().contains("MISMATCH"), inspect.toString());
    }

    private static Opened open(Path bundle, String model) {
        return new Opened(
                Bundle.open(bundle.toString(), BundleOptions.defaults().withModel(model)));
    }

    private record Opened(Bundle bundle) {
        String modelKindAndClose() {
            try (bundle) {
                return bundle.modelKind();
            }
        }
    }
}
