package dev.tabscore.bundle.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hostile manifests: each is refused as {@link Reason#MANIFEST_INVALID}, quickly, by name. */
class HostileManifestTest {

    private static String seed() throws IOException {
        try (InputStream in =
                HostileManifestTest.class.getResourceAsStream(
                        "/sealed/sklearn-1.9.1/seed-binary/manifest.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSeedManifestReads() throws IOException {
        ManifestFile m = ManifestReader.read(seed().getBytes(StandardCharsets.UTF_8), "m.json");
        assertTrue(m.digest().startsWith("sha256:"), m.digest());
    }

    @Test
    void jsonNestedTenThousandDeepIsRefusedAtDepth65() throws IOException {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String text = seed().replaceFirst("\\{", "{\"deep\": " + deep + ", ");
        String message = refused(text);
        assertTrue(message.contains("nesting depth (65) exceeds the maximum allowed (64"), message);
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        String text = seed().replaceFirst("\\{", "{\"format_version\": 1, ");
        assertTrue(refused(text).contains("Duplicate field 'format_version'"));
    }

    @Test
    void anArtifactPathOutsideTheBundleIsRefused() throws IOException {
        for (String path : new String[] {"../../etc/passwd", "/etc/passwd", "a\\\\..\\\\b"}) {
            String text = seed().replace("\"model_state.pt\"", "\"" + path + "\"");
            String message = refused(text);
            assertTrue(
                    message.contains("/artifacts") || message.contains("/model/state_dict"),
                    message);
        }
    }

    @Test
    void nonFiniteNumbersAreRefused() throws IOException {
        String text = seed().replaceFirst("\\{", "{\"x\": NaN, ");
        assertTrue(refused(text).contains("is not valid JSON"));
    }

    @Test
    void anIntegerNoDoubleEqualsIsRefusedForWantOfADigest() throws IOException {
        // Found by ManifestReaderFuzzTest: the schema accepts any integer, but RFC 8785 writes
        // numbers as doubles, so 2^53 + 1 has no canonical form and the manifest no digest.
        String text =
                seed().replaceFirst(
                                "\"out_features\": *[0-9]+", "\"out_features\": 9007199254740993");
        String message = refused(text);
        assertTrue(
                message.contains(
                        "has no canonical form to digest: integer 9007199254740993 "
                                + "is not exactly a double"),
                message);
    }

    private static String refused(String manifest) {
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        BundleFormatException e =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(5),
                        () ->
                                assertThrows(
                                        BundleFormatException.class,
                                        () -> ManifestReader.read(bytes, "manifest.json")));
        assertEquals(Reason.MANIFEST_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("manifest.json "), e.getMessage());
        return e.getMessage();
    }
}
