package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.cli.TabscoreCli;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.io.ParquetWriting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tampered bundles, each refused by {@code tabscore bundle verify} with its own exit code and a
 * message naming what is wrong; a refused bundle scores nothing ({@code tabscore bundle score}
 * writes no output).
 */
class TamperTest {

    @TempDir Path tmp;

    private Path seed() {
        return SealedBundles.copy(
                SealedBundles.dir("sklearn-1.9.1", "seed-binary"), tmp.resolve("bundle"));
    }

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TabscoreCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private void assertRefused(Path bundle, Reason reason, String... fragments) {
        Run r = cli("bundle", "verify", bundle.toString());
        assertEquals(reason.exitCode(), r.code, r.err);
        for (String f : fragments) {
            assertTrue(r.err.contains(f), "expected '" + f + "' in: " + r.err);
        }
        Path out = tmp.resolve("scored.parquet");
        Run s =
                cli(
                        "bundle",
                        "score",
                        bundle.toString(),
                        "--input",
                        bundle.resolve("golden/input.parquet").toString(),
                        "--output",
                        out.toString());
        assertEquals(reason.exitCode(), s.code, s.err);
        assertFalse(Files.exists(out), "a refused bundle must score nothing");
    }

    @Test
    void theUntamperedBundleVerifiesAndScores() {
        Path b = seed();
        Run r = cli("bundle", "verify", b.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("OK seed-binary"), r.out);
        Path out = tmp.resolve("scored.parquet");
        Run s =
                cli(
                        "bundle",
                        "score",
                        b.toString(),
                        "--input",
                        b.resolve("golden/input.parquet").toString(),
                        "--output",
                        out.toString());
        assertEquals(0, s.code, s.err);
        assertTrue(Files.exists(out));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "preprocessor.skops",
                "model.torchscript.pt",
                "model_state.pt",
                "golden/input.parquet",
                "golden/output.parquet"
            })
    void aFlippedByteInAnyArtifactIsRefused(String artifact) throws IOException {
        Path b = seed();
        Path f = b.resolve(artifact);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(f, bytes);
        assertRefused(b, Reason.ARTIFACT_MISMATCH, artifact, "has sha256");
    }

    @Test
    void aPreprocessorSwappedInFromAnotherBundleIsRefused() throws IOException {
        Path b = seed();
        Files.copy(
                SealedBundles.dir("sklearn-1.9.1", "multiclass-softmax")
                        .resolve("preprocessor.skops"),
                b.resolve("preprocessor.skops"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertRefused(b, Reason.ARTIFACT_MISMATCH, "preprocessor.skops");
        SealedBundles.reseal(b, "preprocessor.skops"); // even when its hash is re-sealed
        assertRefused(b, Reason.CONTRACT_MISMATCH, "input columns", "position 0");
    }

    @Test
    void aManifestWithTwoFeatureNamesSwappedIsRefused() {
        Path b = seed();
        ObjectNode m = SealedBundles.manifest(b);
        ArrayNode names = (ArrayNode) m.get("features").get("names");
        String a = names.get(2).asText();
        names.set(2, names.get(3).asText());
        names.set(3, a);
        SealedBundles.writeManifest(b, m);
        assertRefused(
                b,
                Reason.CONTRACT_MISMATCH,
                "feature names",
                "position 2",
                "cat__region_east",
                "cat__region_central");
    }

    @Test
    void aGoldenOutputNudgedBy1e3IsRefused() throws IOException {
        Path b = seed();
        Path golden = b.resolve("golden/output.parquet");
        ColumnBatch g = ParquetColumns.read(Files.readAllBytes(golden), "golden");
        ColumnBatch.Builder nudged = ColumnBatch.builder(g.rowCount());
        for (int c = 0; c < g.columnCount(); c++) {
            Column col = g.column(c);
            if (g.names().get(c).equals("prob")) {
                double[] v = ((DoubleColumn) col).values().clone();
                v[5] += 1e-3;
                col = new DoubleColumn(v);
            }
            nudged.add(g.names().get(c), col);
        }
        Files.delete(golden);
        ParquetWriting.write(
                nudged.build(), new org.apache.hadoop.fs.Path(golden.toUri()), new Configuration());
        SealedBundles.reseal(b, "golden/output.parquet");
        assertRefused(b, Reason.GOLDEN_MISMATCH, "row 5, output 'prob'", "golden replay");
    }

    @Test
    void aTorchScriptOfAnotherInputWidthIsRefused() throws IOException {
        Path b = seed();
        Files.copy(
                SealedBundles.dir("sklearn-1.9.1", "infrequent-kbins")
                        .resolve("model.torchscript.pt"),
                b.resolve("model.torchscript.pt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SealedBundles.reseal(b, "model.torchscript.pt");
        assertRefused(b, Reason.MODEL_INVALID, "model.torchscript.pt");
    }

    @Test
    void aStateDictWhosePickleNamesOsSystemIsRefusedAndRunsNothing() throws IOException {
        Path b = seed();
        Path marker = tmp.resolve("pwned");
        Files.write(b.resolve("model_state.pt"), evilStateDict("touch " + marker));
        SealedBundles.reseal(b, "model_state.pt");
        assertRefused(b, Reason.PICKLE_REFUSED, "os", "system");
        assertFalse(Files.exists(marker), "nothing from the pickle may run");
    }

    @Test
    void anUnexpectedDigestIsRefused() {
        Path b = seed();
        Run r =
                cli(
                        "bundle",
                        "verify",
                        b.toString(),
                        "--expect-digest",
                        "sha256:" + "0".repeat(64));
        assertEquals(Reason.DIGEST_MISMATCH.exitCode(), r.code, r.err);
        assertTrue(r.err.contains("was expected"), r.err);
    }

    @Test
    void aManifestOfAnotherFormatOrFailingTheSchemaIsRefusedNamingTheField() {
        Path b = seed();
        ObjectNode m = SealedBundles.manifest(b);
        m.put("format_version", 2);
        SealedBundles.writeManifest(b, m);
        assertRefused(b, Reason.MANIFEST_INVALID, "/format_version", "format 1 only");
        m.put("format_version", 1);
        m.put("task", "banana");
        SealedBundles.writeManifest(b, m);
        assertRefused(b, Reason.MANIFEST_INVALID, "/task");
    }

    /** A torch-style zip whose data.pkl calls os.system (pickle protocol 2, by hand). */
    static byte[] evilStateDict(String command) throws IOException {
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        pkl.write(new byte[] {(byte) 0x80, 2});
        pkl.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        pkl.write('(');
        byte[] cmd = command.getBytes(StandardCharsets.UTF_8);
        pkl.write('X');
        pkl.write(new byte[] {(byte) cmd.length, 0, 0, 0});
        pkl.write(cmd);
        pkl.write('t');
        pkl.write('R');
        pkl.write('.');
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (var e :
                    List.of(
                            List.of("model_state/data.pkl", pkl.toByteArray()),
                            List.of(
                                    "model_state/version",
                                    "3\n".getBytes(StandardCharsets.US_ASCII)))) {
                z.putNextEntry(new ZipEntry((String) e.get(0)));
                z.write((byte[]) e.get(1));
                z.closeEntry();
            }
        }
        return zip.toByteArray();
    }
}
