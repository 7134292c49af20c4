package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.EmbeddingSpec;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRefusalException;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.torch.StateDictReader;
import dev.tabscore.bundle.torch.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EmbeddingLookup} through {@link StateDictRunner} on the embedded-binary fixture's real
 * weights (features [age, income, region code (7 rows), channel code (5 rows)]): codes convert as
 * torch's {@code .long()} does, and the values torch's {@code nn.Embedding} raises on refuse their
 * row, naming the feature; state_dicts that do not fit the spec are refused at load.
 */
class EmbeddingLookupTest {

    private static final Path BUNDLE = Path.of("src/test/resources/model-kinds/embedded-binary");

    private static ModelSpec spec() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(BUNDLE.resolve("manifest.json").toFile());
        List<String> names = new java.util.ArrayList<>();
        manifest.get("features").get("names").forEach(n -> names.add(n.asText()));
        return ModelSpec.fromJson(manifest.get("model")).withFeatureNames(names);
    }

    private static Map<String, Tensor> weights() throws IOException {
        return StateDictReader.read(
                Files.readAllBytes(BUNDLE.resolve("model_state.pt")), "model_state.pt");
    }

    private static float[] logits(ModelPredictor p, float[] rows) {
        return p.predict(rows, rows.length / 4).raw();
    }

    @Test
    void codesAreTruncatedTowardZeroAsTorchCastsThem() throws IOException {
        try (StateDictRunner runner =
                        StateDictRunner.load(weights(), "model_state.pt", spec(), Device.CPU);
                ModelPredictor p = runner.newPredictor()) {
            float[] exact = logits(p, new float[] {0.5f, -1f, 0f, 2f, 0.5f, -1f, 6f, 4f});
            float[] truncated =
                    logits(p, new float[] {0.5f, -1f, -0.5f, 2.9f, 0.5f, -1f, 6.99f, 4.5f});
            assertArrayEquals(exact, truncated);
            // each code picks its own row: changing one changes the output
            float[] other = logits(p, new float[] {0.5f, -1f, 1f, 2f, 0.5f, -1f, 6f, 3f});
            assertTrue(exact[0] != other[0] && exact[1] != other[1]);
        }
    }

    @Test
    void namedTablesAreReadFromTheirModuleDictKeys() throws IOException {
        ModelSpec spec = spec();
        List<EmbeddingSpec.Table> named =
                List.of(
                        new EmbeddingSpec.Table("region", 2, 7, 3),
                        new EmbeddingSpec.Table("channel", 3, 5, 2));
        ModelSpec namedSpec =
                new ModelSpec(
                        spec.inputWidth(),
                        spec.outputDim(),
                        spec.head(),
                        spec.layers(),
                        new EmbeddingSpec(named, spec.embeddings().numericFeatures(), null));
        Map<String, Tensor> renamed = new LinkedHashMap<>(weights());
        renamed.put("embeddings.region.weight", renamed.remove("embeddings.0.weight"));
        renamed.put("embeddings.channel.weight", renamed.remove("embeddings.1.weight"));
        float[] rows = {0.5f, -1f, 3f, 1f, 2f, 0.25f, 6f, 4f};
        try (StateDictRunner plain =
                        StateDictRunner.load(weights(), "model_state.pt", spec, Device.CPU);
                StateDictRunner byName =
                        StateDictRunner.load(renamed, "model_state.pt", namedSpec, Device.CPU);
                ModelPredictor a = plain.newPredictor();
                ModelPredictor b = byName.newPredictor()) {
            assertArrayEquals(logits(a, rows), logits(b, rows));
        }
        assertRefused(weights(), namedSpec, "'embeddings.region.weight' is missing");
    }

    @Test
    void aCodeTorchCannotLookUpRefusesItsRowNamingTheFeature() throws IOException {
        try (StateDictRunner runner =
                        StateDictRunner.load(weights(), "model_state.pt", spec(), Device.CPU);
                ModelPredictor p = runner.newPredictor()) {
            Object[][] cases = {
                {Float.NaN, 2, "region__region", "NaN"},
                {-1f, 3, "channel__channel", "-1.0"},
                {7f, 2, "region__region", "7.0"},
                {5f, 3, "channel__channel", "5.0"},
                {Float.POSITIVE_INFINITY, 2, "region__region", "Infinity"},
                {-1.5f, 3, "channel__channel", "-1.5"},
            };
            for (Object[] c : cases) {
                float[] rows = {0f, 0f, 1f, 1f, 0f, 0f, 1f, 1f};
                rows[4 + (int) c[1]] = (float) c[0];
                ModelRefusalException e =
                        assertThrows(
                                ModelRefusalException.class,
                                () -> p.predict(rows, 2),
                                String.valueOf(c[0]));
                assertEquals(Reason.INPUT_VALUE, e.reason());
                assertEquals(1, e.row());
                assertEquals(c[2], e.column());
                assertTrue(
                        e.getMessage().contains("'" + c[2] + "' is " + c[3] + ", not a code"),
                        e.getMessage());
            }
        }
    }

    @Test
    void aStateDictThatDoesNotFitTheSpecIsRefusedByKey() throws IOException {
        ModelSpec spec = spec();
        Map<String, Tensor> missing = new LinkedHashMap<>(weights());
        missing.remove("embeddings.1.weight");
        assertRefused(missing, spec, "'embeddings.1.weight' is missing");

        Map<String, Tensor> stray = new LinkedHashMap<>(weights());
        stray.put("scale", Tensor.ofFloats("scale", new long[] {1}, new float[] {2f}));
        assertRefused(stray, spec, "'scale' belongs to neither an embedding table");

        Map<String, Tensor> wide = new LinkedHashMap<>(weights());
        wide.put(
                "embeddings.0.weight",
                Tensor.ofFloats("embeddings.0.weight", new long[] {7, 4}, new float[28]));
        assertRefused(wide, spec, "'embeddings.0.weight' has shape [7, 4]");

        Map<String, Tensor> doubles = new LinkedHashMap<>(weights());
        doubles.put(
                "embeddings.0.weight",
                Tensor.ofDoubles("embeddings.0.weight", new long[] {7, 3}, new double[21]));
        assertRefused(doubles, spec, "has dtype float64; the embeddings path runs float32");

        Map<String, Tensor> noMlp = new LinkedHashMap<>(weights());
        noMlp.remove("mlp.0.weight");
        assertRefused(noMlp, spec, "the layers' keys, under 'mlp.'");
    }

    private static void assertRefused(Map<String, Tensor> weights, ModelSpec spec, String text) {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictRunner.load(weights, "model_state.pt", spec, Device.CPU));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
