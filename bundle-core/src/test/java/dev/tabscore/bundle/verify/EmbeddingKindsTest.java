package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.cli.TabscoreCli;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.bundle.quality.Reject;
import dev.tabscore.bundle.quality.RejectReason;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embeddings fixture ({@link ModelKinds#embedded()}: {@code tabscore_export.nets.EmbeddingMLP}
 * with BatchNorm1d and LayerNorm, exported by the real exporter): state_dict only, ONNX,
 * TorchScript and all three verify and score the golden rows as Python did; a channel the encoder
 * maps to -1, a code no embedding row has, is a rejected row with its reason on the state_dict
 * path.
 */
class EmbeddingKindsTest {

    @TempDir Path tmp;

    @Test
    void everyKindVerifiesAndScoresTheGoldenRowsAsPython() throws IOException {
        Path all = ModelKinds.embedded();
        ColumnBatch golden =
                ParquetColumns.read(
                        Files.readAllBytes(all.resolve("golden/input.parquet")), "golden input");
        double[] python =
                ((DoubleColumn)
                                ParquetColumns.read(
                                                Files.readAllBytes(
                                                        all.resolve("golden/output.parquet")),
                                                "golden output")
                                        .column("prob"))
                        .values();
        assertEquals("state_dict", kindOf(all, "auto"));
        Path stateDictOnly = ModelKinds.only(all, "state_dict", tmp.resolve("sd"));
        assertEquals("state_dict", kindOf(stateDictOnly, "auto"));
        assertEquals("onnx", kindOf(ModelKinds.only(all, "onnx", tmp.resolve("onnx")), "auto"));
        assertEquals(
                "torchscript",
                kindOf(ModelKinds.only(all, "torchscript", tmp.resolve("ts")), "auto"));
        for (String kind : List.of("state_dict", "onnx", "torchscript")) {
            try (Bundle bundle =
                            Bundle.open(all.toString(), BundleOptions.defaults().withModel(kind));
                    Scorer scorer = bundle.newScorer()) {
                ScoredBatch out = scorer.score(golden, new TransformStats());
                int col = bundle.outputs().numericColumns().indexOf("prob");
                assertEquals(python.length, out.rows());
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
    void aCodeNoTableRowHasIsARejectedRowNamingTheFeature() {
        // channel: "carrier_pigeon" is unseen, the encoder gives -1 (torch: IndexError)
        ColumnBatch raw =
                ColumnBatch.builder(4)
                        .add("age", new DoubleColumn(new double[] {40, 51, 29, 63}))
                        .add("income", new DoubleColumn(new double[] {50_000, 62_000, 38_000, 1e9}))
                        .add(
                                "region",
                                new StringColumn(new String[] {"north", "atlantis", null, "east"}))
                        .add(
                                "channel",
                                new StringColumn(
                                        new String[] {"web", "carrier_pigeon", null, "store"}))
                        .build();
        try (Bundle bundle =
                Bundle.open(
                        ModelKinds.embedded().toString(),
                        BundleOptions.defaults().withModel("state_dict"))) {
            QualityModel model =
                    new QualityModel(
                            bundle,
                            QualityModel.resolvePolicies(
                                    bundle.manifest(), bundle.preprocessor(), null, Map.of()));
            try (GuardedScorer g = new GuardedScorer(bundle.newScorer(), model);
                    Scorer alone = bundle.newScorer()) {
                GuardedScorer.Result res = g.score(raw, null, model.newStats());
                assertArrayEquals(new int[] {0, 2, 3}, res.rows());
                Reject reject = res.rejects().get(0);
                assertEquals(1, reject.row());
                assertEquals(RejectReason.REFUSED_BY_MODEL, reject.reason());
                assertEquals("channel__channel", reject.column());
                assertTrue(
                        reject.detail().contains("-1.0, not a code of embedding 1 (rows 0 to 4"),
                        reject.detail());
                // within the output tolerance: libtorch's matmul may sum a batch of one row in
                // another order than a batch of three
                assertArrayEquals(
                        alone.score(raw.select(new int[] {0, 2, 3}), null).values(),
                        res.scored().values(),
                        1e-6,
                        "the other rows score as on their own");
                ScoringException e =
                        assertThrows(ScoringException.class, () -> alone.score(raw, null));
                assertEquals(Reason.INPUT_VALUE, e.reason());
                assertEquals(1, e.row());
            }
        }
    }

    @Test
    void aSpecThatDoesNotFitTheStateDictIsRefusedAtOpen() {
        Path b = SealedBundles.copy(ModelKinds.embedded(), tmp.resolve("bad"));
        ObjectNode m = SealedBundles.manifest(b);
        ObjectNode table = (ObjectNode) m.get("model").get("embeddings").get("tables").get(1);
        table.put("num_embeddings", 6);
        SealedBundles.writeManifest(b, m);
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                Bundle.open(
                                        b.toString(),
                                        BundleOptions.defaults().withModel("state_dict")));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertTrue(
                e.getMessage().contains("'embeddings.1.weight' has shape [5, 2]"), e.getMessage());

        table.put("num_embeddings", 5);
        table.put("feature", 4);
        SealedBundles.writeManifest(b, m);
        e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                Bundle.open(
                                        b.toString(),
                                        BundleOptions.defaults().withModel("state_dict")));
        assertTrue(
                e.getMessage().contains("reads feature 4, outside the 4 features"), e.getMessage());
    }

    @Test
    void inspectShowsTheEmbeddingsAndLayers() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "bundle",
                        "inspect",
                        ModelKinds.embedded().toString());
        assertEquals(0, code, err.toString());
        assertTrue(
                out.toString()
                        .contains(
                                "embeddings region__region -> 7 x 3, channel__channel"
                                        + " -> 5 x 2, then numeric [num__age, num__income] (7 inputs to the layers)"),
                out.toString());
        assertTrue(
                out.toString()
                        .contains(
                                "layers [Linear, BatchNorm1d, SiLU, Linear, "
                                        + "LayerNorm, GELU, Dropout, Linear]"),
                out.toString());
    }

    private static String kindOf(Path bundle, String model) {
        try (Bundle b = Bundle.open(bundle.toString(), BundleOptions.defaults().withModel(model))) {
            return b.modelKind();
        }
    }
}
