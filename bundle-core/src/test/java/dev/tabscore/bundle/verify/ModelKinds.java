package dev.tabscore.bundle.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The model-kind fixture ({@code scripts/make_model_kind_fixtures.py}): one trained network with
 * BatchNorm1d, LayerNorm, SiLU, ELU, Softplus and Mish, exported by the real exporter as
 * state_dict, ONNX and TorchScript at once, and the single-kind bundles derived from it; and {@link
 * #embedded()}, the same for a {@code tabscore_export.nets.EmbeddingMLP} (embeddings for
 * categorical codes, then BatchNorm1d, LayerNorm, SiLU, GELU).
 */
public final class ModelKinds {

    /** The three artifacts by kind. */
    public static final String STATE_DICT = "model_state.pt";

    /** See {@link #STATE_DICT}. */
    public static final String ONNX = "model.onnx";

    /** See {@link #STATE_DICT}. */
    public static final String TORCHSCRIPT = "model.torchscript.pt";

    private ModelKinds() {}

    /**
     * Returns the fixture bundle with all three artifacts (read-only: copy before changing).
     *
     * @return its folder
     */
    public static Path all() {
        return Paths.get("src/test/resources/model-kinds/normed-binary").toAbsolutePath();
    }

    /**
     * Returns the embeddings fixture with all three artifacts (read-only: copy before changing).
     *
     * @return its folder
     */
    public static Path embedded() {
        return Paths.get("src/test/resources/model-kinds/embedded-binary").toAbsolutePath();
    }

    /**
     * Copies the {@link #all()} fixture keeping only one model artifact.
     *
     * @param kind {@code state_dict}, {@code onnx} or {@code torchscript}
     * @param to the new folder
     * @return the new bundle
     */
    public static Path only(String kind, Path to) {
        return only(all(), kind, to);
    }

    /**
     * Copies the fixture keeping only one model artifact in the manifest (the others are removed
     * from it and from the folder).
     *
     * @param from the fixture ({@link #all()} or {@link #embedded()})
     * @param kind {@code state_dict}, {@code onnx} or {@code torchscript}
     * @param to the new folder
     * @return the new bundle
     */
    public static Path only(Path from, String kind, Path to) {
        Path b = SealedBundles.copy(from, to);
        ObjectNode m = SealedBundles.manifest(b);
        ObjectNode model = (ObjectNode) m.get("model");
        ObjectNode artifacts = (ObjectNode) m.get("artifacts");
        for (String[] k :
                new String[][] {
                    {"state_dict", STATE_DICT}, {"onnx", ONNX}, {"torchscript", TORCHSCRIPT}
                }) {
            if (!k[0].equals(kind)) {
                model.putNull(k[0]);
                artifacts.remove(k[1]);
                b.resolve(k[1]).toFile().delete();
            }
        }
        if (!kind.equals("state_dict")) {
            model.putNull("layers");
            model.remove("embeddings");
        }
        SealedBundles.writeManifest(b, m);
        return b;
    }
}
