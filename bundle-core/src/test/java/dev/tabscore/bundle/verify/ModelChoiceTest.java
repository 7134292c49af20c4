package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which model artifacts {@link Bundle#open} hands to libtorch (docs/security.md): every one the
 * manifest lists, whatever the model choice, because each is verified against the golden batch. A
 * bundle that lists no TorchScript file is scored from its state_dict alone.
 */
class ModelChoiceTest {

    @TempDir Path tmp;

    private Path seed() {
        return SealedBundles.copy(
                SealedBundles.dir("sklearn-1.9.1", "seed-binary"), tmp.resolve("bundle"));
    }

    @Test
    void choosingTheStateDictNeverHandsTheTorchScriptToLibtorch() throws IOException {
        Path b = seed();
        Files.write(b.resolve("model.torchscript.pt"), "not a TorchScript archive".getBytes());
        SealedBundles.reseal(b, "model.torchscript.pt");
        // auto verifies every listed model artifact, so the broken TorchScript is refused ...
        BundleException e =
                assertThrows(
                        BundleException.class,
                        () -> Bundle.open(b.toString(), BundleOptions.defaults()).close());
        assertEquals(Reason.MODEL_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("model.torchscript.pt"), e.getMessage());
        // ... while an explicit state_dict choice never loads it (the no-code path).
        try (Bundle bundle =
                Bundle.open(b.toString(), BundleOptions.defaults().withModel("state_dict"))) {
            assertEquals("model_state.pt", bundle.modelArtifact());
        }
    }

    @Test
    void aBundleWithoutTorchScriptOpensFromItsStateDictAlone() throws IOException {
        Path b = seed();
        ObjectNode m = SealedBundles.manifest(b);
        ((ObjectNode) m.get("model")).putNull("torchscript");
        ((ObjectNode) m.get("artifacts")).remove("model.torchscript.pt");
        SealedBundles.writeManifest(b, m);
        // Garbage where the TorchScript file was: an unlisted file is never read.
        Files.write(b.resolve("model.torchscript.pt"), "not a TorchScript archive".getBytes());
        try (Bundle bundle = Bundle.open(b.toString(), BundleOptions.defaults())) {
            assertEquals("model_state.pt", bundle.modelArtifact());
        }
    }
}
