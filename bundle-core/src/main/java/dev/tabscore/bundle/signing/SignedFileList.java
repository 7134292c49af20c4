package dev.tabscore.bundle.signing;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the bundle's files with a verified statement's file list, as model_signing's verify
 * does: every file under the bundle directory, at any depth, except the ignored paths — those the
 * statement records ({@code serialization.ignore_paths}), the git paths model_signing always
 * ignores by default ({@code .git}, {@code .gitattributes}, {@code .github}, {@code .gitignore})
 * and the signature file itself — must be listed with its sha256, and every listed file must be
 * there. An ignored path covers itself and everything below it (path components, not string
 * prefixes). {@code manifest.json} must be listed; its digest is checked against the very bytes the
 * bundle then parses, which ties the signature to the manifest digest.
 */
final class SignedFileList {

    static final List<String> GIT_PATHS =
            List.of(".git", ".gitattributes", ".github", ".gitignore");
    private static final int MAX_FILES = 100_000;
    private static final int SHOWN = 5;

    private SignedFileList() {}

    /**
     * Checks the files.
     *
     * @param files the bundle's files
     * @param statement the verified statement
     * @param manifestName the manifest's file name
     * @param manifestBytes the manifest as read (and later parsed)
     * @param signatureName the signature's file name inside the bundle
     * @param where the signature file, for messages
     * @throws SignatureFormatException ({@link Reason#SIGNED_FILES_MISMATCH}) naming the files that
     *     are missing, extra or changed
     */
    static void check(
            BundleFiles files,
            InTotoStatement statement,
            String manifestName,
            byte[] manifestBytes,
            String signatureName,
            String where) {
        List<String> ignore = new ArrayList<>(GIT_PATHS);
        ignore.add(signatureName);
        for (String p : statement.ignorePaths()) {
            ignore.add(normalize(p));
        }
        if (!statement.files().containsKey(manifestName)) {
            throw mismatch(
                    files,
                    where,
                    List.of(
                            "'"
                                    + manifestName
                                    + "' is not among the signed"
                                    + " files, so the signature does not cover the bundle's digest"));
        }
        Set<String> present = new TreeSet<>();
        for (String f : files.list(MAX_FILES)) {
            if (!ignored(f, ignore)) {
                present.add(f);
            }
        }
        List<String> problems = new ArrayList<>();
        for (String f : statement.files().keySet()) {
            if (!present.contains(f)) {
                problems.add("signed file '" + f + "' is missing");
            }
        }
        for (String f : present) {
            String want = statement.files().get(f);
            if (want == null) {
                problems.add("file '" + f + "' is not in the signed list (added after signing)");
                continue;
            }
            String got = f.equals(manifestName) ? sha256(manifestBytes) : files.sha256(f);
            if (!got.equals(want)) {
                problems.add(
                        "file '" + f + "' has sha256 " + got + ", the signed list says " + want);
            }
        }
        if (!problems.isEmpty()) {
            throw mismatch(files, where, problems);
        }
    }

    /**
     * Whether a path is ignored: equal to an ignored path or below it.
     *
     * @param path relative, '/' separated
     * @param ignore normalized ignored paths
     * @return true if ignored
     */
    static boolean ignored(String path, List<String> ignore) {
        for (String p : ignore) {
            if (p.isEmpty() || path.equals(p) || path.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Drops "./" segments and trailing slashes, as pathlib does; "." stays "" (everything). */
    static String normalize(String p) {
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignatureFormatException mismatch(
            BundleFiles files, String where, List<String> problems) {
        String shown = String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size())));
        String more =
                problems.size() > SHOWN ? " (and " + (problems.size() - SHOWN) + " more)" : "";
        return new SignatureFormatException(
                Reason.SIGNED_FILES_MISMATCH,
                "bundle "
                        + files.uri()
                        + " refused: its files differ from those signed in "
                        + where
                        + ": "
                        + shown
                        + more);
    }
}
