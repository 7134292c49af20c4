package dev.tabscore.bundle.verify;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.bundle.manifest.Manifest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every artifact the manifest lists and checks its size and sha256. The bytes that were
 * hashed are the bytes the caller then uses, so nothing can change between check and use.
 */
public final class ArtifactCheck {

    private ArtifactCheck() {}

    /**
     * Reads and checks every artifact.
     *
     * @param files the bundle's files
     * @param manifest the manifest
     * @return the artifacts' bytes by path
     * @throws VerificationException ({@link Reason#ARTIFACT_MISMATCH}) listing every artifact whose
     *     size or sha256 differs, with expected and actual values
     */
    public static Map<String, byte[]> readAll(BundleFiles files, Manifest manifest) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Manifest.Artifact> e : manifest.artifacts().entrySet()) {
            String path = e.getKey();
            Manifest.Artifact want = e.getValue();
            byte[] bytes;
            try {
                // One byte more than declared reveals a grown file without reading all of it.
                bytes = files.read(path, want.bytes() + 1);
            } catch (dev.tabscore.bundle.BundleFormatException ex) {
                mismatches.add(ex.getMessage());
                continue;
            }
            if (bytes.length != want.bytes()) {
                mismatches.add(
                        "artifact "
                                + files.describe(path)
                                + " is "
                                + bytes.length
                                + " bytes; the manifest says "
                                + want.bytes());
                continue;
            }
            String got = sha256(bytes);
            if (!got.equals(want.sha256())) {
                mismatches.add(
                        "artifact "
                                + files.describe(path)
                                + " has sha256 "
                                + got
                                + "; the manifest says "
                                + want.sha256());
                continue;
            }
            out.put(path, bytes);
        }
        if (!mismatches.isEmpty()) {
            throw new VerificationException(
                    Reason.ARTIFACT_MISMATCH,
                    "bundle "
                            + files.uri()
                            + " refused: "
                            + mismatches.size()
                            + " artifact(s) differ from the manifest",
                    mismatches);
        }
        return out;
    }

    /**
     * Returns the lowercase hex sha256 of some bytes.
     *
     * @param bytes the bytes
     * @return 64 hex digits
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
