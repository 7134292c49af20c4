package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.zip.ZipBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile variants of real tree files (scikit-learn 1.9.1's {@code sfm-tree-clf-default}, a
 * SelectFromModel over a DecisionTreeClassifier, and {@code sfm-sgd-hinge}): node records that
 * point outside the tree, the wrong dtype, a loss class off the list. Each is refused with its
 * typed reason before any importance is computed; scikit-learn's Cython would read out of bounds.
 */
class TreeImportancesTest {

    private static final Path DIR =
            Paths.get("src/test/resources/sklearn-transformers/sklearn-1.9.1");

    /** left_child, right_child, feature, threshold, impurity, n_node_samples, weighted, u1, V7. */
    private static final int RECORD = 64;

    @Test
    void theUntouchedFileLoads() throws IOException {
        SelectFromModel sel = (SelectFromModel) load(entries("sfm-tree-clf-default")).graph();
        assertEquals(8, sel.importances().length);
    }

    @Test
    void aChildOutsideTheTreeIsRefused() throws IOException {
        BundleFormatException e = refused(withNodes(b -> put(b, 0, 0, 10_000)));
        assertEquals(Reason.ATTRIBUTE_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("node 0 has children 10000"), e.getMessage());
        BundleFormatException negative = refused(withNodes(b -> put(b, 0, 8, -5)));
        assertEquals(Reason.ATTRIBUTE_INVALID, negative.reason(), negative.getMessage());
    }

    @Test
    void aFeatureOutsideTheInputIsRefused() throws IOException {
        BundleFormatException e = refused(withNodes(b -> put(b, 0, 16, 8)));
        assertEquals(Reason.ATTRIBUTE_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("feature 8, outside the"), e.getMessage());
    }

    @Test
    void aWrongFieldDtypeIsRefused() throws IOException {
        // impurity as <i8: same record size, not scikit-learn's NODE_DTYPE
        BundleFormatException e =
                refused(
                        withNodeHeader(
                                h -> h.replace("('impurity', '<f8')", "('impurity', '<i8')")));
        assertEquals(Reason.ATTRIBUTE_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("field impurity <f8"), e.getMessage());
        BundleFormatException object =
                refused(
                        withNodeHeader(
                                h -> h.replace("('threshold', '<f8')", "('threshold', '|O')")));
        assertEquals(Reason.NPY_UNSUPPORTED, object.reason(), object.getMessage());
        BundleFormatException nested =
                refused(
                        withNodeHeader(
                                h ->
                                        h.replace(
                                                "('threshold', '<f8')",
                                                "('threshold', [('a', '<f8')])")));
        assertEquals(Reason.NPY_UNSUPPORTED, nested.reason(), nested.getMessage());
        BundleFormatException repeated =
                refused(
                        withNodeHeader(
                                h -> h.replace("('threshold', '<f8')", "('impurity', '<f8')")));
        assertEquals(Reason.NPY_INVALID, repeated.reason(), repeated.getMessage());
    }

    @Test
    void aRecordCountOtherThanNodeCountIsRefused() throws IOException {
        Map<String, byte[]> zip = entries("sfm-tree-clf-default");
        String file = nodesEntry(zip);
        byte[] npy = zip.get(file);
        int data = dataStart(npy);
        String header = new String(npy, 10, data - 10, StandardCharsets.US_ASCII);
        String count = header.replaceAll("(?s).*'shape': \\((\\d+),\\).*", "$1");
        int n = Integer.parseInt(count);
        String shorter = header.replace("(" + n + ",)", "(" + (n - 1) + ",)");
        shorter = shorter + " ".repeat(header.length() - shorter.length());
        byte[] out = new byte[data + (n - 1) * RECORD];
        System.arraycopy(npy, 0, out, 0, 10);
        System.arraycopy(shorter.getBytes(StandardCharsets.US_ASCII), 0, out, 10, shorter.length());
        System.arraycopy(npy, data, out, data, (n - 1) * RECORD);
        zip.put(file, out);
        BundleFormatException e = refused(zip);
        assertEquals(Reason.ATTRIBUTE_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(n - 1 + " node records"), e.getMessage());
    }

    @Test
    void aLossClassOffTheListIsUntrusted() throws IOException {
        Map<String, byte[]> zip = entries("sfm-sgd-hinge");
        String schema = new String(zip.get("schema.json"), StandardCharsets.UTF_8);
        assertTrue(schema.contains("\"LossNode\""), "1.9.1 writes the loss as a LossNode");
        zip.put(
                "schema.json",
                schema.replace("\"__class__\": \"Hinge\"", "\"__class__\": \"system\"")
                        .replace("\"sklearn.linear_model._sgd_fast\"", "\"os\"")
                        .getBytes(StandardCharsets.UTF_8));
        BundleFormatException e = refused(zip);
        assertEquals(Reason.UNTRUSTED_TYPE, e.reason(), e.getMessage());
        assertEquals(16, e.reason().exitCode());
        assertTrue(e.getMessage().contains("LossNode os.system"), e.getMessage());
    }

    @Test
    void theMeanOverTreesFollowsNumpysAxisZeroOrder() {
        // >= 2 features: row after row; one feature: pairwise down the column (differs at 9 terms)
        double[] big = {1e16, 1, 1, 1, 1, 1, 1, 1, 1};
        List<double[]> rows =
                java.util.Arrays.stream(big).mapToObj(v -> new double[] {v, v}).toList();
        double sequential = ((((((((1e16 + 1) + 1) + 1) + 1) + 1) + 1) + 1) + 1) / 9;
        assertArrayEquals(
                new double[] {sequential, sequential}, TreeImportances.meanAxis0(rows, 2));
        List<double[]> column =
                java.util.Arrays.stream(big).mapToObj(v -> new double[] {v}).toList();
        assertEquals(SelectFromModel.sum(big) / 9, TreeImportances.meanAxis0(column, 1)[0]);
    }

    private static Preprocessor load(Map<String, byte[]> zip) {
        ZipBuilder b = new ZipBuilder();
        zip.forEach(b::stored);
        return Preprocessor.load(b.build(), "hostile.skops");
    }

    private static BundleFormatException refused(Map<String, byte[]> zip) {
        return assertThrows(BundleFormatException.class, () -> load(zip));
    }

    private static Map<String, byte[]> withNodes(java.util.function.Consumer<ByteBuffer> edit)
            throws IOException {
        Map<String, byte[]> zip = entries("sfm-tree-clf-default");
        String file = nodesEntry(zip);
        byte[] npy = zip.get(file).clone();
        int data = dataStart(npy);
        edit.accept(
                ByteBuffer.wrap(npy, data, npy.length - data)
                        .slice()
                        .order(ByteOrder.LITTLE_ENDIAN));
        zip.put(file, npy);
        return zip;
    }

    private static Map<String, byte[]> withNodeHeader(UnaryOperator<String> edit)
            throws IOException {
        Map<String, byte[]> zip = entries("sfm-tree-clf-default");
        String file = nodesEntry(zip);
        byte[] npy = zip.get(file).clone();
        int data = dataStart(npy);
        String header = new String(npy, 10, data - 10, StandardCharsets.US_ASCII);
        String edited = edit.apply(header.stripTrailing());
        assertTrue(
                !edited.equals(header.stripTrailing()) && edited.length() < header.length(),
                edited);
        edited = edited + " ".repeat(header.length() - 1 - edited.length()) + "\n";
        System.arraycopy(edited.getBytes(StandardCharsets.US_ASCII), 0, npy, 10, edited.length());
        zip.put(file, npy);
        return zip;
    }

    /** Writes a long into field {@code offset} of record {@code node}. */
    private static void put(ByteBuffer records, int node, int offset, long value) {
        records.putLong(node * RECORD + offset, value);
    }

    private static int dataStart(byte[] npy) {
        assertEquals(1, npy[6], "a version 1.0 .npy");
        return 10 + ((npy[8] & 0xff) | (npy[9] & 0xff) << 8);
    }

    /** The .npy entry of the selector's tree_.nodes. */
    private static String nodesEntry(Map<String, byte[]> zip) throws IOException {
        JsonNode schema = new ObjectMapper().readTree(zip.get("schema.json"));
        JsonNode tree =
                schema.at(
                        "/content/content/estimator_/content/content/tree_/content/"
                                + "content/nodes/file");
        assertTrue(tree.isTextual(), "nodes entry");
        return tree.asText();
    }

    private static Map<String, byte[]> entries(String name) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in =
                new ZipInputStream(
                        new ByteArrayInputStream(
                                Files.readAllBytes(DIR.resolve(name + ".skops"))))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }
}
