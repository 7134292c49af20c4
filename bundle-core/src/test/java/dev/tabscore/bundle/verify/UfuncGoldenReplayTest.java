package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.manifest.ManifestReader;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.skops.Npy;
import dev.tabscore.bundle.skops.SkopsLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden replay under the ufunc ulp contract: real scikit-learn graphs (surface/make_surface.py)
 * with a ufunc followed by a scaler, replayed against numpy's features from scikit-learn 1.2.2
 * (numpy 1.26) and 1.9.1 (numpy 2.4); features moved by a few ulps at the ufunc (what numpy on
 * another CPU may return) still verify, features beyond the contract do not, and a manifest written
 * before the contract ({@code ufunc_abs}) still verifies as it did.
 */
class UfuncGoldenReplayTest {

    private static final Path SURFACE = Paths.get("src/test/resources/surface");
    private static final Path SEED =
            Paths.get("src/test/resources/sealed/sklearn-1.9.1/seed-binary/manifest.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The seed manifest reshaped to one feature {@code x} and n golden rows. */
    static Manifest manifest(int rows, ObjectNode tolerance) throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(SEED.toFile());
        ObjectNode features = (ObjectNode) m.get("features");
        features.set("names", JSON.createArrayNode().add("x"));
        features.put("width", 1);
        ObjectNode model = (ObjectNode) m.get("model");
        model.put("input_width", 1);
        ((ObjectNode) ((ArrayNode) model.get("layers")).get(0)).put("in_features", 1);
        ObjectNode golden = (ObjectNode) m.get("golden");
        golden.put("rows", rows);
        golden.set("feature_tolerance", tolerance);
        return ManifestReader.read(JSON.writeValueAsBytes(m), "manifest.json").manifest();
    }

    static ObjectNode ulpTolerance(int ulps) {
        ObjectNode t = JSON.createObjectNode().put("default_abs", 0.0).put("ufunc_ulps", ulps);
        t.set("ufunc_features", JSON.createArrayNode().add("x"));
        ObjectNode sources = JSON.createObjectNode();
        sources.set("x", JSON.createArrayNode().add("log1p"));
        t.set("ufunc_sources", sources);
        return t;
    }

    static ColumnBatch input() throws IOException {
        ColumnBatch all =
                ParquetColumns.read(
                        Files.readAllBytes(SURFACE.resolve("frames/posf.parquet")), "posf.parquet");
        return ColumnBatch.builder(all.rowCount()).add("x", all.column("x")).build();
    }

    static double[] numpy(String release, String c) throws IOException {
        Path p = SURFACE.resolve("sklearn-" + release + "/" + c + "/expected.npy");
        return Npy.parse(Files.readAllBytes(p), "expected.npy", SkopsLimits.defaults()).asDoubles();
    }

    static Preprocessor pre(String release, String c) throws IOException {
        return Preprocessor.load(
                Files.readAllBytes(
                        SURFACE.resolve("sklearn-" + release + "/" + c + "/preprocessor.skops")),
                "preprocessor.skops");
    }

    static GoldenReplay replay(Manifest m, double[] golden) throws IOException {
        ColumnBatch out =
                ColumnBatch.builder(golden.length).add("x", new DoubleColumn(golden)).build();
        return new GoldenReplay(m, input(), out, "test-bundle");
    }

    @Test
    void theManifestReadsTheContractAndTheSources() throws IOException {
        Manifest.FeatureTolerance t = manifest(12, ulpTolerance(5)).golden().featureTolerance();
        assertEquals(5, t.ufuncUlps());
        assertNull(t.ufuncAbs());
        assertEquals(List.of("log1p"), t.ufuncSources().get("x"));
    }

    @Test
    void scikitLearnsFeaturesOfAUfuncThenAScalerVerifyAcrossNumpyReleases() throws IOException {
        for (String release : List.of("1.2.2", "1.6.1", "1.9.1")) {
            for (String c :
                    List.of("ft-log1p-std", "ft-exp-minmax", "ft-log-robust", "ft-tanh-maxabs")) {
                double[] golden = numpy(release, c);
                replay(manifest(golden.length, ulpTolerance(5)), golden)
                        .checkFeatures(pre(release, c));
            }
        }
    }

    @Test
    void afewUlpsAtTheUfuncAreWithinTheContractBeyondItRefused() throws IOException {
        // numpy on another CPU: exp's result a few ulps off, then MinMaxScaler as scikit-learn
        // computes it (x * scale_ + min_ in two roundings); scale_ and min_ from the fixture
        Preprocessor p = pre("1.9.1", "ft-exp-minmax");
        double[] x = ((DoubleColumn) input().column("x")).values();
        for (int shift : new int[] {3, -3, 5}) {
            double[] golden = shifted(p, x, shift);
            replay(manifest(golden.length, ulpTolerance(5)), golden).checkFeatures(p);
        }
        double[] far = shifted(p, x, 40);
        VerificationException e =
                assertThrows(
                        VerificationException.class,
                        () -> replay(manifest(far.length, ulpTolerance(5)), far).checkFeatures(p));
        assertTrue(e.getMessage().contains("differs in"), e.getMessage());
        assertTrue(
                String.join("\n", e.mismatches()).contains("5-ulp envelope"),
                String.join("\n", e.mismatches()));
    }

    /** Java's features with exp's result moved {@code ulps} ulps, carried through the scaler. */
    private static double[] shifted(Preprocessor p, double[] x, int ulps) throws IOException {
        return p.transform(
                input(), new dev.tabscore.bundle.sklearn.TransformStats().nudgeUfuncResults(ulps));
    }

    @Test
    void aManifestFromBeforeTheContractStillVerifiesWithItsAbsoluteTolerance() throws IOException {
        ObjectNode old = JSON.createObjectNode().put("default_abs", 0.0).put("ufunc_abs", 1e-14);
        old.set("ufunc_features", JSON.createArrayNode().add("x"));
        double[] golden = numpy("1.9.1", "ft-log1p-std");
        Manifest m = manifest(golden.length, old);
        assertNull(m.golden().featureTolerance().ufuncUlps());
        replay(m, golden).checkFeatures(pre("1.9.1", "ft-log1p-std"));
        golden[0] += 1e-13;
        assertThrows(
                VerificationException.class,
                () -> replay(m, golden).checkFeatures(pre("1.9.1", "ft-log1p-std")));
    }
}
