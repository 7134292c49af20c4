package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest's {@code versions.numpy} reaches the graph: bundle-spline-float32 ({@code
 * make_bundle.py spline-float32}, exported by scikit-learn 1.9.1 on numpy 2.4) holds
 * SplineTransformers with linear and periodic extrapolation on a float32 input, which numpy 1.x and
 * 2 compute differently. With its own numpy the golden batch replays; the same files with the
 * manifest saying numpy 1.26.4 are scored by numpy 1.x's rules and fail golden replay (exit 25);
 * with a numpy version that does not parse they are refused at load (exit 19), as without a
 * manifest.
 */
class TrainingNumpyBundleTest {

    private static final Path DIR =
            Paths.get("src/test/resources/sklearn-transformers/bundle-spline-float32");

    @TempDir Path tmp;

    @Test
    void theManifestsNumpyRunsTheSplines() {
        try (Bundle b = Bundle.open(DIR.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals("2.4.6", b.manifest().versions().get("numpy"));
            assertEquals(18, b.preprocessor().width());
        }
    }

    @Test
    void numpy1RulesDoNotReplayNumpy2sGoldenBatch() throws IOException {
        BundleException e = refusedWithNumpy("1.26.4");
        assertEquals(Reason.GOLDEN_MISMATCH, e.reason(), e.getMessage());
    }

    @Test
    void anUnknownNumpyIsRefusedAtLoad() throws IOException {
        BundleException e = refusedWithNumpy("unknown");
        assertEquals(19, e.reason().exitCode(), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "SplineTransformer: extrapolation='periodic' on a float32 input is"
                                        + " not supported"),
                e.getMessage());
    }

    /** A copy of the bundle whose manifest names another numpy (nothing else changed). */
    private Path withNumpy(String version) throws IOException {
        Path copy = tmp.resolve("bundle");
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(DIR.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        Path manifest = copy.resolve("manifest.json");
        ObjectNode m = (ObjectNode) json.readTree(manifest.toFile());
        ((ObjectNode) m.get("versions")).put("numpy", version);
        json.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), m);
        return copy;
    }

    /** The bundle with its manifest's versions.numpy replaced, refused at open. */
    private BundleException refusedWithNumpy(String numpy) throws IOException {
        Path copy = withNumpy(numpy);
        return assertThrows(
                BundleException.class,
                () -> Bundle.open(copy.toString(), BundleOptions.defaults().withDevice("cpu")));
    }
}
