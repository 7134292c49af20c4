package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle written by {@code export_bundle} with no options whose features come from exp (also
 * unscaled, up to e^80), log1p and tanh (surface/bundles/make_ufunc_bundle.py): it verifies under
 * the ulp contract the exporter now writes, while the same bundle under the absolute 1e-14 of older
 * manifests is refused on the exp feature, where Java and numpy differ by an ulp of 1e21.
 */
class UfuncBundleTest {

    private static final Path BUNDLE =
            Paths.get("src/test/resources/surface/bundles/exp-log1p-tanh");

    @Test
    void verifiesUnderTheUlpContract() {
        try (Bundle b =
                Bundle.open(BUNDLE.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals(5, b.manifest().golden().featureTolerance().ufuncUlps());
            assertEquals(
                    java.util.List.of("exp"),
                    b.manifest().golden().featureTolerance().ufuncSources().get("expraw__d"));
        }
    }

    @Test
    void theFormerAbsoluteToleranceRefusedItOnTheExpFeature(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("legacy");
        try (Stream<Path> files = Files.walk(BUNDLE)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(BUNDLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Path manifest = copy.resolve("manifest.json");
        String text = Files.readString(manifest, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"ufunc_ulps\": 5,"), "manifest layout");
        Files.writeString(
                manifest,
                text.replace("\"ufunc_ulps\": 5,", "\"ufunc_abs\": 1e-14,"),
                StandardCharsets.UTF_8);
        VerificationException e =
                assertThrows(
                        VerificationException.class,
                        () ->
                                Bundle.open(
                                                copy.toString(),
                                                BundleOptions.defaults().withDevice("cpu"))
                                        .close());
        assertEquals(Reason.GOLDEN_MISMATCH, e.reason());
        assertTrue(
                String.join("\n", e.mismatches()).contains("feature 'expraw__d'"),
                String.join("\n", e.mismatches()));
    }
}
