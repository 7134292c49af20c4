package dev.tabscore.bundle.skops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads all 16 fixture preprocessors and spot-checks decoded values against the appendix trees. */
class SkopsFixtureTest {

    private static final Path FIXTURES = Paths.get("src/test/resources/fixtures");
    private static final List<String> SETS =
            List.of("sklearn-1.2.1", "sklearn-1.2.1-skops-0.9", "sklearn-1.6.1", "sklearn-1.9.1");
    private static final List<String> BUNDLES =
            List.of("seed-binary", "multiclass-softmax", "regression-ordinal", "infrequent-kbins");

    static Stream<Arguments> fixtures() {
        return SETS.stream().flatMap(set -> BUNDLES.stream().map(b -> Arguments.of(set, b)));
    }

    static SkopsFile load(String set, String bundle) throws IOException {
        byte[] bytes =
                Files.readAllBytes(
                        FIXTURES.resolve(set).resolve(bundle).resolve("preprocessor.skops"));
        return SkopsReader.read(
                bytes,
                set + "/" + bundle + "/preprocessor.skops",
                TestTrust.INSTANCE,
                SkopsLimits.defaults());
    }

    /** Every node of the graph by its path; also proves paths are unique. */
    static Map<String, SkopsNode> index(SkopsFile file) {
        Map<String, SkopsNode> out = new LinkedHashMap<>();
        walk(file.root(), out);
        return out;
    }

    private static void walk(SkopsNode node, Map<String, SkopsNode> out) {
        SkopsNode previous = out.put(node.path(), node);
        assertNull(previous, "duplicate path " + node.path());
        if (node instanceof SkopsNode.ObjectNode) {
            ((SkopsNode.ObjectNode) node).attrs().values().forEach(n -> walk(n, out));
        } else if (node instanceof SkopsNode.DictNode) {
            ((SkopsNode.DictNode) node).entries().values().forEach(n -> walk(n, out));
        } else if (node instanceof SkopsNode.ListNode) {
            ((SkopsNode.ListNode) node).items().forEach(n -> walk(n, out));
        } else if (node instanceof SkopsNode.ObjectArray) {
            ((SkopsNode.ObjectArray) node).items().forEach(n -> walk(n, out));
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("fixtures")
    void loadsEveryFixture(String set, String bundle) throws IOException {
        SkopsFile file = load(set, bundle);
        boolean protocolOne = set.endsWith("skops-0.9");
        assertEquals(protocolOne ? 1 : 2, file.protocol());
        assertEquals(protocolOne ? "0.9.0" : "0.14.0", file.skopsVersion());
        assertEquals(
                "sklearn.compose._column_transformer.ColumnTransformer",
                file.root().qualifiedName());
        assertEquals("/", file.root().path());
        Map<String, SkopsNode> nodes = index(file);
        assertTrue(nodes.size() > 100, "nodes: " + nodes.size());
        for (SkopsNode node : nodes.values()) {
            if (node instanceof SkopsNode.NumpyArray) {
                NpyArray array = ((SkopsNode.NumpyArray) node).array();
                assertTrue(
                        array != null && List.of("<f8", "<i8").contains(array.dtype()),
                        node.path());
            }
        }
    }

    @Test
    void seedBinaryValues() throws IOException {
        Map<String, SkopsNode> nodes = index(load("sklearn-1.2.1", "seed-binary"));
        String scaler = "/content/transformers_/0/1/content/steps/1/1";
        SkopsNode.ObjectNode standardScaler = (SkopsNode.ObjectNode) nodes.get(scaler);
        assertEquals("sklearn.preprocessing._data.StandardScaler", standardScaler.qualifiedName());
        NpyArray mean = array(nodes, scaler + "/content/mean_");
        assertArrayEquals(new double[] {42.089, 55964.444736000005}, mean.doubles());
        assertArrayEquals(new long[] {2}, mean.shape());
        assertArrayEquals(
                new double[] {12.396930224858087, 34320.798927236516},
                array(nodes, scaler + "/content/scale_").doubles());
        SkopsNode.NumpyArray seen =
                (SkopsNode.NumpyArray) nodes.get(scaler + "/content/n_samples_seen_");
        assertEquals("int64", seen.className());
        assertEquals(0, seen.array().shape().length);
        assertArrayEquals(new long[] {5000}, seen.array().longs());
        assertEquals(
                "median",
                value(nodes, "/content/transformers_/0/1/content/steps/0/1/content/strategy"));
        assertTrue(
                Double.isNaN(
                        (Double)
                                value(
                                        nodes,
                                        "/content/transformers_/0/1/content/steps/0/1/content/missing_values")));
        assertEquals(0.3, value(nodes, "/content/sparse_threshold"));
        assertEquals(4L, value(nodes, "/content/n_features_in_"));
        assertNull(value(nodes, "/content/n_jobs"));
        assertEquals(Boolean.TRUE, value(nodes, "/content/verbose_feature_names_out"));

        String onehot = "/content/transformers_/1/1/content/steps/1/1/content";
        SkopsNode.ObjectArray regions =
                (SkopsNode.ObjectArray) nodes.get(onehot + "/categories_/0");
        assertArrayEquals(new long[] {5}, regions.shape());
        assertEquals(
                List.of("central", "east", "north", "south", "west"),
                regions.items().stream().map(n -> ((SkopsNode.JsonValue) n).value()).toList());
        SkopsNode.TypeValue dtype = (SkopsNode.TypeValue) nodes.get(onehot + "/dtype");
        assertEquals("numpy", dtype.module());
        assertEquals("float64", dtype.name());
        SkopsNode.DTypeValue fitDtype =
                (SkopsNode.DTypeValue)
                        nodes.get(
                                "/content/transformers_/0/1/content/steps/0/1/content/_fit_dtype");
        assertEquals("<f8", fitDtype.dtype());
        SkopsNode.DTypeValue objectDtype =
                (SkopsNode.DTypeValue)
                        nodes.get(
                                "/content/transformers_/1/1/content/steps/0/1/content/_fit_dtype");
        assertEquals("object", objectDtype.dtype());

        SkopsNode.SliceValue cat = (SkopsNode.SliceValue) nodes.get("/content/output_indices_/cat");
        assertEquals(2L, cat.start());
        assertEquals(11L, cat.stop());
        assertNull(cat.step());
        SkopsNode.DictNode indices =
                (SkopsNode.DictNode) nodes.get("/content/_transformer_to_input_indices");
        assertEquals(List.of("num", "cat", "remainder"), List.copyOf(indices.entries().keySet()));
        SkopsNode.ObjectNode root = (SkopsNode.ObjectNode) nodes.get("/");
        assertEquals("transformers", root.attrs().keySet().iterator().next());
    }

    @Test
    void regressionOrdinalIntKeysAndFunction() throws IOException {
        Map<String, SkopsNode> nodes = index(load("sklearn-1.2.1", "regression-ordinal"));
        SkopsNode.DictNode missing =
                (SkopsNode.DictNode)
                        nodes.get("/content/transformers_/2/1/content/_missing_indices");
        assertEquals(Map.of(6L, 6L).keySet().size(), missing.entries().size());
        assertTrue(missing.entries().containsKey(0L), missing.entries().toString());
        assertEquals(6L, ((SkopsNode.JsonValue) missing.entries().get(0L)).value());
        SkopsNode.FunctionRef func =
                (SkopsNode.FunctionRef)
                        nodes.get("/content/transformers_/0/1/content/steps/0/1/content/func");
        assertEquals("numpy.core._multiarray_umath", func.module());
        assertEquals("log1p", func.name());
        SkopsNode.SliceValue hood =
                (SkopsNode.SliceValue) nodes.get("/content/output_indices_/hood");
        assertEquals(7L, hood.start());
        assertEquals(8L, hood.stop());
        assertTrue(
                Double.isNaN(
                        (Double)
                                value(
                                        nodes,
                                        "/content/transformers_/2/1/content/categories_/0/6")));
    }

    @Test
    void infrequentKbinsNanCategoryAndArraysOfArrays() throws IOException {
        Map<String, SkopsNode> nodes = index(load("sklearn-1.2.1", "infrequent-kbins"));
        String encoder = "/content/transformers_/0/1/content";
        SkopsNode.ObjectArray products =
                (SkopsNode.ObjectArray) nodes.get(encoder + "/categories_/0");
        assertEquals(13, products.items().size());
        assertEquals("automotive", ((SkopsNode.JsonValue) products.items().get(0)).value());
        assertTrue(Double.isNaN((Double) ((SkopsNode.JsonValue) products.items().get(12)).value()));
        assertArrayEquals(
                new long[] {0, 1, 4, 8, 9},
                array(nodes, encoder + "/_infrequent_indices/0").longs());
        assertArrayEquals(
                new long[] {8, 8, 0, 1, 8, 2, 3, 4, 8, 8, 5, 6, 7},
                array(nodes, encoder + "/_default_to_infrequent_mappings/0").longs());
        SkopsNode edges =
                nodes.get("/content/transformers_/1/1/content/steps/1/1/content/" + "bin_edges_/0");
        assertInstanceOf(SkopsNode.NumpyArray.class, edges);
        assertEquals("<f8", ((SkopsNode.NumpyArray) edges).array().dtype());
    }

    @Test
    void sklearn191ZeroDimensionalFloatScalar() throws IOException {
        Map<String, SkopsNode> nodes = index(load("sklearn-1.9.1", "seed-binary"));
        String scaler = "/content/transformers_/0/1/content/steps/1/1/content";
        SkopsNode.NumpyArray seen = (SkopsNode.NumpyArray) nodes.get(scaler + "/n_samples_seen_");
        assertEquals("float64", seen.className());
        assertEquals("<f8", seen.array().dtype());
        assertEquals(0, seen.array().shape().length);
        assertArrayEquals(new double[] {5000.0}, seen.array().doubles());
        assertArrayEquals(
                new double[] {42.089, 55964.444736000005},
                array(nodes, scaler + "/mean_").doubles());
    }

    @Test
    void protocolOneMatchesProtocolTwo() throws IOException {
        for (String bundle : BUNDLES) {
            Map<String, SkopsNode> two = index(load("sklearn-1.2.1", bundle));
            Map<String, SkopsNode> one = index(load("sklearn-1.2.1-skops-0.9", bundle));
            assertEquals(two.keySet(), one.keySet(), bundle);
        }
    }

    private static NpyArray array(Map<String, SkopsNode> nodes, String path) {
        SkopsNode node = nodes.get(path);
        assertInstanceOf(SkopsNode.NumpyArray.class, node, path);
        return ((SkopsNode.NumpyArray) node).array();
    }

    private static Object value(Map<String, SkopsNode> nodes, String path) {
        SkopsNode node = nodes.get(path);
        assertInstanceOf(SkopsNode.JsonValue.class, node, path);
        return ((SkopsNode.JsonValue) node).value();
    }
}
