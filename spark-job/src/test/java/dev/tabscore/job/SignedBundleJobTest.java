package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.signing.TrustConfig;
import dev.tabscore.job.spark.OutputSchema;
import dev.tabscore.job.spark.RejectsOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with {@code bundle.trust}: a bundle signed by model_signing (bundle-core's signed
 * fixtures over the sealed sklearn-1.9.1 seed-binary bundle) scores with its signer on every row
 * and in the summary; an unsigned bundle under --require-signature and a signature by an untrusted
 * key are refused with 70 and 72 before any work.
 */
class SignedBundleJobTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SEALED =
            ROOT.resolve("bundle-core/src/test/resources/sealed/sklearn-1.9.1/seed-binary");
    private static final Path SIGNED = ROOT.resolve("bundle-core/src/test/resources/signed");

    @TempDir static Path tmp;

    @BeforeAll
    static void execution() {
        JobTesting.onlyInExecution("default-test");
    }

    private static Path bundle(String name, String sig) throws IOException {
        Path b = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(SEALED)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = b.resolve(SEALED.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        if (sig != null) {
            Files.copy(SIGNED.resolve(sig), b.resolve("model.sig"));
        }
        return b;
    }

    @Test
    void signedBundleStampsItsSignerOnEveryRowAndTheSummary() throws IOException {
        Path b = bundle("signed", "key.sig");
        Path out = tmp.resolve("signed-out");
        Path conf = tmp.resolve("trust.yaml");
        Files.writeString(
                conf,
                "bundle:\n  trust:\n    keys: ["
                        + SIGNED.resolve("trusted.pub.pem")
                        + "]\n    require_signature: true\n");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--config",
                                conf.toString(),
                                "--bundle",
                                b.toString(),
                                "--input",
                                b.resolve("golden/input.parquet").toString(),
                                "--output",
                                out.toString(),
                                "--run-id",
                                "signed-1"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        String id =
                "key:sha256:"
                        + TrustConfig.load(
                                        List.of(SIGNED.resolve("trusted.pub.pem").toString()),
                                        List.of(),
                                        false,
                                        null)
                                .keys()
                                .get(0)
                                .id();
        Dataset<Row> scored = JobTesting.spark().read().parquet(out.toString());
        assertTrue(scored.count() > 0);
        assertEquals(
                scored.count(),
                scored.filter(functions.col("bundle_signer").equalTo(id)).count(),
                "every row carries the signer");
        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals(id, summary.at("/bundle/signer").asText(), summary.toString());
    }

    @Test
    void unsignedBundleUnderRequireSignatureIsRefusedWith70() throws IOException {
        Path b = bundle("unsigned", null);
        Path out = tmp.resolve("unsigned-out");
        Path summary = tmp.resolve("unsigned-summary.json");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                b.toString(),
                                "--input",
                                b.resolve("golden/input.parquet").toString(),
                                "--output",
                                out.toString(),
                                "--summary",
                                summary.toString(),
                                "--trust-key",
                                SIGNED.resolve("trusted.pub.pem").toString(),
                                "--require-signature"));
        assertEquals(Reason.SIGNATURE_MISSING.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("not signed"), run.err());
        JsonNode s = JobTesting.summary(summary);
        assertEquals("SIGNATURE_MISSING", s.path("reason").asText(), s.toString());
        assertTrue(!Files.exists(out.resolve("_tabscore_summary.json")));
    }

    @Test
    void untrustedKeyIsRefusedWith72AndRequireWithoutTrustIsAConfigError() throws IOException {
        Path b = bundle("untrusted", "key.sig");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                b.toString(),
                                "--input",
                                b.resolve("golden/input.parquet").toString(),
                                "--output",
                                tmp.resolve("untrusted-out").toString(),
                                "--trust-key",
                                SIGNED.resolve("untrusted.pub.pem").toString()));
        assertEquals(Reason.SIGNER_UNTRUSTED.exitCode(), run.exitCode(), run.toString());
        run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                b.toString(),
                                "--input",
                                b.resolve("golden/input.parquet").toString(),
                                "--output",
                                tmp.resolve("untrusted-out").toString(),
                                "--require-signature"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
    }

    @Test
    void signerIsANullableStringIdentityColumnOfOutputAndRejects() {
        assertEquals("bundle_signer", OutputSchema.IDENTITY.get(OutputSchema.IDENTITY.size() - 1));
        StructType rejects =
                RejectsOutput.schema(
                        new StructType().add("x", DataTypes.DoubleType), new int[] {0});
        assertEquals(DataTypes.StringType, rejects.apply("bundle_signer").dataType());
        assertTrue(rejects.apply("bundle_signer").nullable());
        assertTrue(!rejects.apply("bundle_digest").nullable());
    }
}
