package dev.tabscore.bundle.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.cli.TabscoreCli;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.verify.SealedBundles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tabscore bundle verify|inspect|score} with --trust-key, --trust-root and
 * --require-signature on bundles signed by model_signing (fixtures of {@link SignatureCheckTest}).
 */
class SignedBundleCliTest {

    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TabscoreCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String res(String name) {
        try {
            return Path.of(SignedBundleCliTest.class.getResource("/signed/" + name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path bundle(String sig) throws IOException {
        Path b =
                SealedBundles.copy(
                        SealedBundles.dir("sklearn-1.9.1", "seed-binary"), tmp.resolve("b"));
        if (sig != null) {
            Files.copy(Path.of(res(sig)), b.resolve("model.sig"));
        }
        return b;
    }

    @Test
    void verifyAndInspectShowWhoSigned() throws IOException {
        Path b = bundle("cert.sig");
        Run r =
                cli(
                        "bundle",
                        "verify",
                        b.toString(),
                        "--trust-root",
                        res("root.crt.pem"),
                        "--require-signature");
        assertEquals(0, r.code, r.err);
        assertTrue(
                r.out.contains("signed by certificate CN=training-pipeline,O=tabscore tests"),
                r.out);
        r = cli("bundle", "inspect", b.toString(), "--trust-root", res("root.crt.pem"));
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("signature signed by certificate CN=training-pipeline"), r.out);
        r = cli("bundle", "inspect", b.toString());
        assertTrue(r.out.contains("model.sig present, not verified"), r.out);
    }

    @Test
    void scoreStampsTheSignerOnEveryRow() throws IOException {
        Path b = bundle("key.sig");
        Path out = tmp.resolve("out.parquet");
        Run r =
                cli(
                        "bundle",
                        "score",
                        b.toString(),
                        "--input",
                        b.resolve("golden/input.parquet").toString(),
                        "--output",
                        out.toString(),
                        "--trust-key",
                        res("trusted.pub.pem"),
                        "--require-signature");
        assertEquals(0, r.code, r.err);
        ColumnBatch scored = ParquetColumns.read(Files.readAllBytes(out), out.toString());
        assertTrue(scored.rowCount() > 0);
        String id =
                TrustConfig.load(
                                java.util.List.of(res("trusted.pub.pem")),
                                java.util.List.of(),
                                false,
                                null)
                        .keys()
                        .get(0)
                        .id();
        for (int i = 0; i < scored.rowCount(); i++) {
            assertEquals("key:sha256:" + id, scored.column("bundle_signer").valueAt(i));
        }
    }

    @Test
    void refusalsExitWithTheirCodes() throws IOException {
        Path b = bundle(null);
        Run r =
                cli(
                        "bundle",
                        "verify",
                        b.toString(),
                        "--trust-key",
                        res("trusted.pub.pem"),
                        "--require-signature");
        assertEquals(Reason.SIGNATURE_MISSING.exitCode(), r.code, r.err);
        assertTrue(r.err.contains("not signed"), r.err);
        Files.copy(Path.of(res("key.sig")), b.resolve("model.sig"));
        r = cli("bundle", "verify", b.toString(), "--trust-key", res("untrusted.pub.pem"));
        assertEquals(Reason.SIGNER_UNTRUSTED.exitCode(), r.code, r.err);
        r = cli("bundle", "inspect", b.toString(), "--trust-key", res("untrusted.pub.pem"));
        assertEquals(Reason.SIGNER_UNTRUSTED.exitCode(), r.code, r.err);
        Files.writeString(b.resolve("golden/notes.txt"), "added");
        r = cli("bundle", "verify", b.toString(), "--trust-key", res("trusted.pub.pem"));
        assertEquals(Reason.SIGNED_FILES_MISMATCH.exitCode(), r.code, r.err);
        assertTrue(r.err.contains("golden/notes.txt"), r.err);
        r = cli("bundle", "verify", b.toString(), "--require-signature");
        assertEquals(2, r.code, r.err);
        r =
                cli(
                        "bundle",
                        "verify",
                        b.toString(),
                        "--trust-key",
                        tmp.resolve("nope.pem").toString());
        assertEquals(2, r.code, r.err);
    }
}
