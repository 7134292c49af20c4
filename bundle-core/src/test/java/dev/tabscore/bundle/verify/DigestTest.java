package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the digest adds to the per-artifact sha256s (docs/security.md): whoever can write the bundle
 * can also rewrite its manifest, and such a bundle verifies; only a digest the caller got from a
 * trusted place ({@code --expect-digest}) tells it from the original.
 */
class DigestTest {

    @TempDir Path tmp;

    @Test
    void aRewrittenManifestVerifiesButNotAgainstTheOriginalDigest() throws IOException {
        Path b =
                SealedBundles.copy(
                        SealedBundles.dir("sklearn-1.9.1", "seed-binary"), tmp.resolve("bundle"));
        String original =
                ManifestReader.read(Files.readAllBytes(b.resolve("manifest.json")), "manifest.json")
                        .digest();
        ObjectNode m = SealedBundles.manifest(b);
        m.put("version", "1.0.1");
        SealedBundles.writeManifest(b, m);

        try (Bundle rewritten = Bundle.open(b.toString(), BundleOptions.defaults())) {
            assertNotEquals(original, rewritten.digest());
        }
        BundleException e =
                assertThrows(
                        BundleException.class,
                        () ->
                                Bundle.open(
                                                b.toString(),
                                                BundleOptions.defaults().withExpectDigest(original))
                                        .close());
        assertEquals(Reason.DIGEST_MISMATCH, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("but " + original + " was expected"), e.getMessage());
    }
}
