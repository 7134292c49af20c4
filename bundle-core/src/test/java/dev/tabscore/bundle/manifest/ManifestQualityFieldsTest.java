package dev.tabscore.bundle.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.verify.SealedBundles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optional data-quality fields: {@code training.output_statistics} and {@code
 * input.columns[].policy}. {@code /manifest/quality-fields.json} is a multiclass manifest written
 * by {@code export_bundle(..., policies=...)}; its Python digest is in {@code
 * quality-fields.digest} (scripts/tests/test_export.py checks that file against Python too).
 */
class ManifestQualityFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String resource(String name) throws IOException {
        try (InputStream in =
                ManifestQualityFieldsTest.class.getResourceAsStream("/manifest/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ManifestFile read(String text) {
        return ManifestReader.read(text.getBytes(StandardCharsets.UTF_8), "manifest.json");
    }

    @Test
    void bothFieldsParseIntoTheRecordsAndTheDigestIsPythons() throws IOException {
        ManifestFile file = read(resource("quality-fields.json"));
        assertEquals(
                resource("quality-fields.digest").strip(),
                file.digest(),
                "Java and Python digests of the same manifest");
        Manifest m = file.manifest();

        Map<String, Manifest.InputColumn> columns = new java.util.HashMap<>();
        m.input().columns().forEach(c -> columns.put(c.name(), c));
        assertEquals(
                new Manifest.ColumnPolicy("reject", null, "fail", 0.05),
                columns.get("plan").policy());
        assertEquals(
                new Manifest.ColumnPolicy(null, null, "reject", null),
                columns.get("weekday").policy());
        assertEquals(
                new Manifest.ColumnPolicy(null, "fail", null, null),
                columns.get("income").policy());
        assertEquals(
                new Manifest.ColumnPolicy(null, null, null, null), columns.get("region").policy());
        assertNull(columns.get("tenure_months").policy());

        Map<String, Manifest.ColumnStatistics> out = m.training().outputStatistics();
        assertEquals(List.copyOf(m.golden().outputColumns()), List.copyOf(out.keySet()));
        assertEquals(
                List.of("prob_bronze", "prob_silver", "prob_gold", "label"),
                List.copyOf(out.keySet()));
        Manifest.ColumnStatistics prob = out.get("prob_gold");
        assertEquals(0.0, prob.missingRate());
        assertEquals(m.training().rows(), prob.count());
        assertEquals(11, prob.histogram().edges().size());
        assertEquals(10, prob.histogram().fractions().size());
        assertTrue(prob.min() <= prob.mean() && prob.mean() <= prob.max(), prob.toString());
        assertEquals(7, prob.quantiles().size());
        Manifest.ColumnStatistics label = out.get("label");
        assertNull(label.min());
        assertEquals(label.frequencies().size(), label.cardinality().intValue());
        assertEquals(
                1.0,
                label.frequencies().values().stream().mapToDouble(Double::doubleValue).sum(),
                1e-12);
        assertTrue(
                m.classLabels().containsAll(label.frequencies().keySet()),
                label.frequencies().toString());
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of("{\"on_null\": \"drop\"}", "field /input/columns/3/policy/on_null"),
                Arguments.of(
                        "{\"on_invalid\": \"preprocess\"}",
                        "field /input/columns/3/policy/on_invalid"),
                Arguments.of(
                        "{\"on_unknown\": \"ignore\"}", "field /input/columns/3/policy/on_unknown"),
                Arguments.of("{\"on_nul\": \"reject\"}", "field /input/columns/3/policy"),
                Arguments.of("{\"max_unknown_rate\": 0.1}", "field /input/columns/3/policy"),
                Arguments.of(
                        "{\"on_unknown\": \"reject\", \"max_unknown_rate\": 0.1}",
                        "field /input/columns/3/policy/on_unknown"),
                Arguments.of(
                        "{\"on_unknown\": \"fail\", \"max_unknown_rate\": 1.5}",
                        "field /input/columns/3/policy/max_unknown_rate"),
                Arguments.of("\"reject\"", "field /input/columns/3/policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void aBadPolicyIsRefusedByTheSchemaNamingTheField(String policy, String field)
            throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(resource("quality-fields.json"));
        ((ObjectNode) tree.at("/input/columns/3")).set("policy", JSON.readTree(policy));
        String message = refused(JSON.writeValueAsString(tree));
        assertTrue(message.contains("fails the manifest schema"), message);
        assertTrue(message.contains(field), message);
    }

    @Test
    void onUnknownOtherThanPreprocessOnANumericColumnIsRefused() throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(resource("quality-fields.json"));
        ((ObjectNode) tree.at("/input/columns/0"))
                .set("policy", JSON.readTree("{\"on_unknown\": \"fail\"}"));
        String message = refused(JSON.writeValueAsString(tree));
        assertTrue(message.contains("field /input/columns/0/policy/on_unknown"), message);
    }

    @Test
    void outputStatisticsMustNameExactlyTheOutputColumns() throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(resource("quality-fields.json"));
        ObjectNode stats = (ObjectNode) tree.at("/training/output_statistics");
        stats.set("prob_platinum", stats.remove("prob_gold"));
        String message = refused(JSON.writeValueAsString(tree));
        assertTrue(
                message.contains(
                        "field /training/output_statistics names [label, prob_bronze,"
                                + " prob_platinum, prob_silver] but the output columns (/golden/output_columns)"
                                + " are [prob_bronze, prob_silver, prob_gold, label]"),
                message);

        tree = (ObjectNode) JSON.readTree(resource("quality-fields.json"));
        ((ObjectNode) tree.at("/training/output_statistics/label")).remove("count");
        message = refused(JSON.writeValueAsString(tree));
        assertTrue(message.contains("field /training/output_statistics/label"), message);
    }

    static Stream<Arguments> sealed() {
        return SealedBundles.all().map(a -> Arguments.of(a[0], a[1]));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("sealed")
    void sealedFixturesWithoutTheFieldsReadWithNulls(String set, String recipe) throws IOException {
        Path manifest = SealedBundles.dir(set, recipe).resolve("manifest.json");
        Manifest m =
                ManifestReader.read(Files.readAllBytes(manifest), manifest.toString()).manifest();
        assertNull(m.training().outputStatistics());
        for (Manifest.InputColumn c : m.input().columns()) {
            assertNull(c.policy(), c.name());
        }
    }

    private static String refused(String manifest) {
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> read(manifest));
        assertEquals(Reason.MANIFEST_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("manifest.json "), e.getMessage());
        return e.getMessage();
    }
}
