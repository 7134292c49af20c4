package dev.tabscore.bundle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode model(String set, String bundle) throws IOException {
        return JSON.readTree(
                        Path.of("src/test/resources/fixtures", set, bundle, "metadata.json")
                                .toFile())
                .get("model");
    }

    @Test
    void parsesTheSeedMetadataOfEachBundle() throws IOException {
        ModelSpec seed = ModelSpec.fromJson(model("sklearn-1.2.1", "seed-binary"));
        assertEquals(
                new ModelSpec(
                        11,
                        1,
                        OutputHead.SIGMOID,
                        List.of(
                                new LayerSpec.Linear(11, 64, true),
                                new LayerSpec.ReLU(),
                                new LayerSpec.Linear(64, 32, true),
                                new LayerSpec.ReLU(),
                                new LayerSpec.Linear(32, 1, true))),
                seed);
        ModelSpec multiclass = ModelSpec.fromJson(model("sklearn-1.9.1", "multiclass-softmax"));
        assertEquals(OutputHead.SOFTMAX, multiclass.head());
        assertEquals(3, multiclass.outputDim());
        ModelSpec regression = ModelSpec.fromJson(model("sklearn-1.6.1", "regression-ordinal"));
        assertEquals(OutputHead.IDENTITY, regression.head());
        assertEquals(9, regression.inputWidth());
        assertEquals(
                24, ModelSpec.fromJson(model("sklearn-1.9.1", "infrequent-kbins")).inputWidth());
    }

    @Test
    void parsesTheManifestFormWithAndWithoutLayers() throws IOException {
        ModelSpec noLayers =
                ModelSpec.fromJson(
                        JSON.readTree(
                                "{\"torchscript\": "
                                        + "\"model.torchscript.pt\", \"input_dtype\": \"float32\", \"input_width\": 11, "
                                        + "\"output_dim\": 3, \"output_head\": \"softmax\", \"layers\": null}"));
        assertEquals(new ModelSpec(11, 3, OutputHead.SOFTMAX, null), noLayers);
        assertNull(noLayers.layers());

        ModelSpec withLayers =
                ModelSpec.fromJson(
                        JSON.readTree(
                                "{\"input_width\": 4, "
                                        + "\"output_dim\": 1, \"output_head\": \"identity\", \"layers\": ["
                                        + "{\"type\": \"Linear\", \"in_features\": 4, \"out_features\": 8},"
                                        + "{\"type\": \"LeakyReLU\", \"negative_slope\": 0.1},"
                                        + "{\"type\": \"Dropout\", \"p\": 0.25}, {\"type\": \"GELU\", \"approximate\": "
                                        + "\"tanh\"}, {\"type\": \"Tanh\"}, {\"type\": \"Sigmoid\"}, {\"type\": "
                                        + "\"Identity\"}, {\"type\": \"Linear\", \"in_features\": 8, \"out_features\": 1, "
                                        + "\"bias\": false}]}"));
        assertEquals(
                List.of(
                        new LayerSpec.Linear(4, 8, true),
                        new LayerSpec.LeakyReLU(0.1),
                        new LayerSpec.Dropout(0.25),
                        new LayerSpec.GELU(true),
                        new LayerSpec.Tanh(),
                        new LayerSpec.Sigmoid(),
                        new LayerSpec.Identity(),
                        new LayerSpec.Linear(8, 1, false)),
                withLayers.layers());
    }

    @Test
    void refusesWhatDoesNotFitNamingIt() throws IOException {
        assertInvalid(
                "{\"output_dim\": 1, \"output_activation\": \"softmax(dim=0)\", "
                        + "\"input_width\": 3}",
                "output head 'softmax(dim=0)' is not one of");
        assertInvalid(
                "{\"output_dim\": 1, \"output_head\": \"sigmoid\", \"layers\": ["
                        + "{\"type\": \"Conv1d\"}]}",
                "model.layers[0] has type 'Conv1d'");
        assertInvalid(
                "{\"input_width\": 11, \"output_dim\": 1, \"output_head\": \"sigmoid\", "
                        + "\"layers\": [{\"type\": \"Linear\", \"in_features\": 11, \"out_features\": 8},"
                        + "{\"type\": \"ReLU\"}, {\"type\": \"Linear\", \"in_features\": 9, "
                        + "\"out_features\": 1}]}",
                "model.layers[2] Linear has in_features 9, but "
                        + "model.layers[0] gives 8 and the width is 8");
        assertInvalid(
                "{\"input_width\": 11, \"output_dim\": 2, \"output_head\": \"sigmoid\", "
                        + "\"layers\": [{\"type\": \"Linear\", \"in_features\": 11, \"out_features\": 1}]}",
                "the last Linear layer gives 1 outputs, but output_dim is 2");
        assertInvalid(
                "{\"input_width\": 3, \"output_head\": \"sigmoid\"}",
                "model.output_dim is missing");
        assertInvalid(
                "{\"input_width\": 3, \"output_dim\": 1, \"output_head\": \"sigmoid\", "
                        + "\"output_activation\": \"identity\"}",
                "disagrees with");
        assertInvalid(
                "{\"input_width\": 3, \"output_dim\": 1, \"output_head\": \"sigmoid\", "
                        + "\"layers\": [{\"type\": \"Dropout\", \"p\": 2}]}",
                "model.layers[0]: Dropout(p=2.0) needs 0 <= p <= 1");
    }

    @Test
    void parsesTheNormalisationsAndActivationsOfIssue16WithTorchDefaults() throws IOException {
        ModelSpec spec =
                ModelSpec.fromJson(
                        JSON.readTree(
                                "{\"input_width\": 3, \"output_dim\": 1, "
                                        + "\"output_head\": \"sigmoid\", \"layers\": [{\"type\": \"Linear\", "
                                        + "\"in_features\": 3, \"out_features\": 4}, {\"type\": \"BatchNorm1d\", "
                                        + "\"num_features\": 4}, {\"type\": \"SiLU\"}, {\"type\": \"LayerNorm\", "
                                        + "\"normalized_shape\": 4, \"eps\": 1e-3, \"bias\": false}, {\"type\": \"ELU\"}, "
                                        + "{\"type\": \"Softplus\", \"beta\": 2}, {\"type\": \"Mish\"}, "
                                        + "{\"type\": \"Linear\", \"in_features\": 4, \"out_features\": 1}]}"));
        assertEquals(
                List.of(
                        new LayerSpec.Linear(3, 4, true),
                        new LayerSpec.BatchNorm1d(4, 1e-5, true),
                        new LayerSpec.SiLU(),
                        new LayerSpec.LayerNorm(4, 1e-3, true, false),
                        new LayerSpec.ELU(1.0),
                        new LayerSpec.Softplus(2.0, 20.0),
                        new LayerSpec.Mish(),
                        new LayerSpec.Linear(4, 1, true)),
                spec.layers());
    }

    @Test
    void refusesANormalisationAtAnotherWidthAndAnUnknownLayerNamingThem() throws IOException {
        assertInvalid(
                "{\"input_width\": 3, \"output_dim\": 1, \"output_head\": \"sigmoid\", "
                        + "\"layers\": [{\"type\": \"Linear\", \"in_features\": 3, \"out_features\": 4},"
                        + "{\"type\": \"BatchNorm1d\", \"num_features\": 5}, {\"type\": \"Linear\", "
                        + "\"in_features\": 4, \"out_features\": 1}]}",
                "model.layers[1] BatchNorm1d normalises 5 features, but model.layers[0] gives 4");
        assertInvalid(
                "{\"input_width\": 3, \"output_dim\": 1, \"output_head\": \"sigmoid\", "
                        + "\"layers\": [{\"type\": \"LayerNorm\", \"normalized_shape\": 2}, "
                        + "{\"type\": \"Linear\", \"in_features\": 3, \"out_features\": 1}]}",
                "model.layers[0] LayerNorm normalises 2 features, but the input width is 3");
        assertInvalid(
                "{\"input_width\": 3, \"output_dim\": 1, \"output_head\": \"sigmoid\", "
                        + "\"layers\": [{\"type\": \"Linear\", \"in_features\": 3, \"out_features\": 1},"
                        + "{\"type\": \"PReLU\"}]}",
                "model.layers[1] has type 'PReLU', which is not one of");
        assertInvalid(
                "{\"input_width\": 3, \"output_dim\": 1, \"output_head\": \"sigmoid\", "
                        + "\"layers\": [{\"type\": \"Softplus\", \"beta\": 0}]}",
                "model.layers[0]: Softplus(beta=0.0, threshold=20.0) needs a finite positive beta");
    }

    @Test
    void parsesEmbeddingsAndChecksTheLayersAgainstTheirWidth() throws IOException {
        String head = "{\"input_width\": 4, \"output_dim\": 1, \"output_head\": \"sigmoid\", ";
        String linear =
                "\"layers\": [{\"type\": \"Linear\", \"in_features\": %d, "
                        + "\"out_features\": 1}], ";
        String tables =
                "\"embeddings\": {\"tables\": [{\"feature\": %d, \"num_embeddings\": 7, "
                        + "\"embedding_dim\": 3}], \"numeric_features\": [0, 1]}}";
        ModelSpec spec =
                ModelSpec.fromJson(JSON.readTree(head + linear.formatted(5) + tables.formatted(3)));
        assertEquals(
                new EmbeddingSpec(List.of(new EmbeddingSpec.Table(3, 7, 3)), List.of(0, 1), null),
                spec.embeddings());
        assertEquals(4, spec.inputWidth());
        assertEquals(5, spec.layersSpec().inputWidth());
        assertEquals("feature 3", spec.embeddings().featureName(3));
        assertEquals(
                "region",
                spec.withFeatureNames(List.of("a", "b", "c", "region"))
                        .embeddings()
                        .featureName(3));
        assertInvalid(
                head + linear.formatted(4) + tables.formatted(3),
                "Linear has in_features 4, but the embedding dims plus the numeric features is 5");
        assertInvalid(
                head + linear.formatted(5) + tables.formatted(4),
                "reads feature 4, outside the 4 features");
        assertInvalid(
                head + "\"layers\": null, " + tables.formatted(3),
                "model.embeddings needs model.layers");
        assertInvalid(
                head
                        + linear.formatted(5)
                        + "\"embeddings\": {\"tables\": [], "
                        + "\"numeric_features\": []}}",
                "model.embeddings.tables is empty");
        assertInvalid(
                head + linear.formatted(5) + tables.formatted(3).replace("7", "0"),
                "needs a feature index >= 0 and positive sizes");
        assertInvalid(
                head
                        + linear.formatted(5)
                        + tables.formatted(3)
                                .replace("{\"feature\"", "{\"name\": \"a.b\", \"feature\""),
                "name 'a.b' is not made of letters");
        assertEquals(
                "embeddings.plan.weight",
                ModelSpec.fromJson(
                                JSON.readTree(
                                        head
                                                + linear.formatted(5)
                                                + tables.formatted(3)
                                                        .replace(
                                                                "{\"feature\"",
                                                                "{\"name\": \"plan\", \"feature\"")))
                        .embeddings()
                        .key(0));
    }

    @Test
    void parsesHeadsAndDevices() {
        assertEquals(OutputHead.SOFTMAX, OutputHead.parse("softmax(dim=1)"));
        assertEquals(OutputHead.SIGMOID, OutputHead.parse(" Sigmoid "));
        assertEquals("identity", OutputHead.IDENTITY.manifestName());
        assertEquals(Device.AUTO, Device.parse("auto"));
        assertEquals(Device.CPU, Device.parse("CPU"));
        assertEquals(Device.gpu(0), Device.parse("gpu"));
        assertEquals(Device.gpu(3), Device.parse("gpu:3"));
        assertEquals("gpu:3", Device.gpu(3).toString());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:0"));
        assertEquals("device 'cuda:0' is not one of auto, cpu, gpu, gpu:N", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Device.gpu(-1));
    }

    @Test
    void predictionChecksItsLengths() {
        Prediction p =
                new Prediction(2, 3, OutputHead.SOFTMAX, new float[6], new float[6], new int[2]);
        assertEquals(2, p.rows());
        assertThrows(
                IllegalArgumentException.class,
                () -> new Prediction(2, 3, OutputHead.SIGMOID, new float[6], new float[5], null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Prediction(2, 3, OutputHead.SOFTMAX, new float[6], new float[6], null));
    }

    private static void assertInvalid(String json, String text) throws IOException {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class, () -> ModelSpec.fromJson(JSON.readTree(json)));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
