package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import org.junit.jupiter.api.Test;

/**
 * Credentials a bundle URI carries in its user-info part ({@code scheme://KEY:SECRET@host/...})
 * appear in no message of a refused bundle, nor in any cause chained to it (docs/security.md).
 */
class SecretsInMessagesTest {

    private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";

    @Test
    void aBundleUriWithCredentialsIsRefusedWithoutShowingThem() {
        for (String uri :
                new String[] {
                    "nosuchfs://AKIAEXAMPLE:" + SECRET + "@bucket/models/7",
                    "nosuchfs://" + SECRET + "@bucket/models/7",
                    "file://AKIAEXAMPLE:" + SECRET + "@/tmp/models/7"
                }) {
            BundleException e =
                    assertThrows(
                            BundleException.class,
                            () -> Bundle.open(uri, BundleOptions.defaults()).close());
            assertEquals(Reason.ARTIFACT_MISMATCH, e.reason(), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(SECRET), t.toString());
                assertFalse(t.toString().contains(SECRET), t.toString());
            }
        }
    }

    @Test
    void redactRemovesUserInfoFromEveryUriInAText() {
        assertEquals(
                "bundle s3a://***@b/m and gs://***@c/d failed",
                BundleFiles.redact("bundle s3a://K:" + SECRET + "@b/m and gs://tok@c/d failed"));
    }
}
