package dev.tabscore.bundle.skops;

import static dev.tabscore.bundle.skops.SkopsWriter.array;
import static dev.tabscore.bundle.skops.SkopsWriter.doubles;
import static dev.tabscore.bundle.skops.SkopsWriter.json;
import static dev.tabscore.bundle.skops.SkopsWriter.node;
import static dev.tabscore.bundle.skops.SkopsWriter.npy;
import static dev.tabscore.bundle.skops.SkopsWriter.object;
import static dev.tabscore.bundle.skops.SkopsWriter.skops;
import static dev.tabscore.bundle.skops.SkopsWriter.type;
import static dev.tabscore.bundle.skops.SkopsWriter.validArrays;
import static dev.tabscore.bundle.skops.SkopsWriter.validSchema;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.zip.ZipBuilder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A corpus of broken and hostile {@code .skops} files, generated here. Each must be refused with
 * its own reason and message, within a second, allocating far less than it declares.
 */
class HostileSkopsTest {

    /** Far below the 1 GB some files declare: refusal must come before allocation. */
    private static final long MAX_ALLOCATED_BYTES = 64L << 20;

    @Test
    void validBaseFileLoads() {
        SkopsFile file =
                SkopsReader.read(
                        skops(validSchema(2), validArrays()),
                        "ok.skops",
                        TestTrust.INSTANCE,
                        SkopsLimits.defaults());
        assertEquals(2, file.protocol());
        SkopsNode.NumpyArray mean = (SkopsNode.NumpyArray) file.root().attrs().get("mean_");
        assertEquals("/content/mean_", mean.path());
        assertEquals(-2.0, mean.array().doubles()[1]);
    }

    @Test
    void truncatedZip() {
        byte[] whole = skops(validSchema(2), validArrays());
        refused(
                Arrays.copyOf(whole, whole.length / 2),
                Reason.ZIP_MALFORMED,
                "no end-of-central-directory record (truncated");
    }

    @Test
    void dotDotEntryName() {
        refused(
                withEntry("../evil", new byte[] {1}),
                Reason.ZIP_UNSAFE_ENTRY,
                "zip entry '../evil' contains a '..' segment");
    }

    @Test
    void absoluteEntryName() {
        refused(
                withEntry("/etc/passwd", new byte[] {1}),
                Reason.ZIP_UNSAFE_ENTRY,
                "zip entry '/etc/passwd' is an absolute path");
    }

    @Test
    void duplicateEntries() {
        ZipBuilder zip = new ZipBuilder();
        validArrays().forEach(zip::stored);
        zip.text("schema.json", validSchema(2));
        zip.text("schema.json", validSchema(2).replace("1.5", "9.5"));
        refused(
                zip.build(),
                Reason.ZIP_DUPLICATE_ENTRY,
                "zip entry 'schema.json' appears more than once");
    }

    @Test
    void evalObjectNode() {
        refused(
                schema(validSchema(2, "evil", object("builtins", "eval"))),
                Reason.UNTRUSTED_TYPE,
                "ObjectNode class builtins.eval at /content/evil");
    }

    @Test
    void osSystemFunctionNode() {
        refused(
                schema(validSchema(2, "f", node("FunctionNode", "os", "system", ""))),
                Reason.UNTRUSTED_TYPE,
                "FunctionNode os.system at /content/f");
    }

    @Test
    void reduceAndMethodLoaders() {
        String reduce = node("ReduceNode", "builtins", "eval", "\"content\": {}");
        String method = node("MethodNode", "os", "system", "\"content\": {}");
        refused(
                schema(validSchema(2, "r", reduce)),
                Reason.UNTRUSTED_TYPE,
                "ReduceNode builtins.eval (loader not supported) at /content/r");
        refused(
                schema(validSchema(2, "m", method)),
                Reason.UNTRUSTED_TYPE,
                "MethodNode os.system (loader not supported) at /content/m");
    }

    @Test
    void everyUntrustedTypeIsListedWithItsPath() {
        String schema =
                validSchema(
                        2,
                        "a",
                        object("builtins", "eval"),
                        "b",
                        SkopsWriter.list(node("FunctionNode", "os", "system", "")),
                        "c",
                        node("SetNode", "builtins", "set", "\"content\": []"),
                        "d",
                        type("subprocess", "Popen"),
                        "e",
                        node(
                                "DictNode",
                                "collections",
                                "OrderedDict",
                                "\"content\": {}, \"key_types\": " + SkopsWriter.list()),
                        "f",
                        array("object_", "mean.npy"));
        BundleFormatException e =
                refused(
                        schema(schema),
                        Reason.UNTRUSTED_TYPE,
                        "schema.json names 6 untrusted types (nothing was loaded)");
        for (String fragment :
                new String[] {
                    "ObjectNode class builtins.eval at /content/a",
                    "FunctionNode os.system at /content/b/0",
                    "SetNode builtins.set (loader not supported) at /content/c",
                    "TypeNode subprocess.Popen at /content/d",
                    "DictNode class collections.OrderedDict (expected builtins.dict) at /content/e",
                    "NdArrayNode class numpy.object_ at /content/f"
                }) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }

    @Test
    void nodesReusingAnIdForDifferentContentAreRefused() {
        // skops' loader memoizes by __id__: the second node would load as the first one
        // (with_mean true where the file says false); the two readers would disagree.
        String first = json("true").replaceAll("\"__id__\": \\d+", "\"__id__\": 77");
        String second = json("false").replaceAll("\"__id__\": \\d+", "\"__id__\": 77");
        BundleFormatException e =
                refused(
                        schema(validSchema(2, "a_", first, "b_", second)),
                        Reason.SCHEMA_INVALID,
                        "reuses __id__ 77 of the different node at");
        assertTrue(e.getMessage().contains("a_"), e.getMessage());
        // The same object saved twice (a shared reference) has equal nodes: it loads.
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(
                () ->
                        SkopsReader.read(
                                schema(validSchema(2, "a_", first, "b_", first)),
                                "shared.skops",
                                TestTrust.INSTANCE,
                                SkopsLimits.defaults()));
    }

    @Test
    void protocolZeroAndNinetyNine() {
        refused(
                schema(validSchema(0)),
                Reason.PROTOCOL_UNSUPPORTED,
                "skops protocol 0 is not supported (it is older: skops 0.3 to 0.5 wrote protocol "
                        + "0); supported: 1..2 (skops 0.6 to 0.14+)");
        refused(
                schema(validSchema(99)),
                Reason.PROTOCOL_UNSUPPORTED,
                "skops protocol 99 is not supported (it is newer than this reader); "
                        + "supported: 1..2 (skops 0.6 to 0.14+)");
        refused(schema(validSchema(3)), Reason.PROTOCOL_UNSUPPORTED, "skops protocol 3 is not");
        refused(
                schema(validSchema(2).replace(", \"protocol\": 2", "")),
                Reason.PROTOCOL_UNSUPPORTED,
                "schema.json has no protocol number");
    }

    @Test
    void npyShapeExceedsItsBytes() {
        refused(
                withArray("mean.npy", npy("<f8", "(100,)", doubles(1, 2))),
                Reason.NPY_INVALID,
                "shape (100,) of <f8 needs 800 data bytes, but the entry holds 16");
    }

    @Test
    void declaredOneGigabyteArray() {
        BundleFormatException e =
                refused(
                        withArray("mean.npy", npy("<f8", "(134217728,)", doubles(1, 2))),
                        Reason.LIMIT_EXCEEDED,
                        "shape (134217728,) of <f8 declares 1073741824 bytes, "
                                + "over the per-array limit of 268435456");
        assertTrue(
                e.getMessage().contains("entry 'mean.npy' (node at /content/mean_)"),
                e.getMessage());
    }

    @Test
    void jsonNestedTenThousandDeep() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        refused(
                schema(
                        validSchema(2)
                                .replace(
                                        "\"with_mean\": ",
                                        "\"deep\": " + deep + ", \"with_mean\": ")),
                Reason.LIMIT_EXCEEDED,
                "schema.json exceeds a limit: Document nesting depth (201) exceeds the maximum "
                        + "allowed (200");
    }

    @Test
    void zipBombs() {
        // A DEFLATED schema.json that declares 2,000 bytes and inflates to 50 MB.
        ZipBuilder lying = new ZipBuilder();
        validArrays().forEach(lying::stored);
        lying.deflated("schema.json", new byte[50 << 20]).declaredSize(2_000);
        refused(
                lying.build(),
                Reason.LIMIT_EXCEEDED,
                "zip entry 'schema.json' inflates past its declared size of 2000 bytes");
        // An npy entry that honestly declares 700 MB from 1 MB of zeros.
        ZipBuilder honest = new ZipBuilder();
        honest.stored("n.npy", validArrays().get("n.npy"));
        honest.deflated("mean.npy", new byte[1 << 20]).declaredSize(700L << 20);
        honest.text("schema.json", validSchema(2));
        refused(
                honest.build(),
                Reason.LIMIT_EXCEEDED,
                "zip entry 'mean.npy' declares 734003200 uncompressed bytes, over the limit");
    }

    @Test
    void crcMismatch() {
        ZipBuilder zip = new ZipBuilder();
        validArrays().forEach(zip::stored);
        zip.text("schema.json", validSchema(2)).crc(0xdeadbeefL);
        refused(
                zip.build(),
                Reason.ZIP_MALFORMED,
                "zip entry 'schema.json' fails its CRC-32 check: computed");
    }

    @Test
    void bigEndianNpy() {
        refused(
                withArray("mean.npy", npy(">f8", "(2,)", doubles(1, 2))),
                Reason.NPY_UNSUPPORTED,
                "dtype '>f8' is big-endian; only little-endian arrays are read");
    }

    @Test
    void unicodeNpy() {
        // read since TargetEncoder's classes_ may be a str array; a bad code point is refused
        SkopsFile file =
                SkopsReader.read(
                        withArray("mean.npy", npy("<U5", "(2,)", new byte[40])),
                        "u.skops",
                        TestTrust.INSTANCE,
                        SkopsLimits.defaults());
        NpyArray mean = ((SkopsNode.NumpyArray) file.root().attrs().get("mean_")).array();
        assertArrayEquals(new String[] {"", ""}, mean.strings());
        byte[] bad = new byte[40];
        Arrays.fill(bad, (byte) 0xff);
        refused(
                withArray("mean.npy", npy("<U5", "(2,)", bad)),
                Reason.NPY_INVALID,
                "invalid code point");
    }

    @Test
    void duplicateJsonKeys() {
        refused(
                schema(
                        validSchema(2)
                                .replace(
                                        "\"with_mean\": ",
                                        "\"mean_\": " + json("1") + ", \"with_mean\": ")),
                Reason.SCHEMA_INVALID,
                "schema.json is not valid strict JSON: Duplicate field 'mean_'");
    }

    @Test
    void missingSchemaJson() {
        ZipBuilder zip = new ZipBuilder();
        validArrays().forEach(zip::stored);
        refused(zip.build(), Reason.SCHEMA_INVALID, "has no schema.json entry (not a skops file?)");
    }

    @Test
    void missingNpyEntry() {
        Map<String, byte[]> arrays = new HashMap<>(validArrays());
        arrays.remove("mean.npy");
        refused(
                skops(validSchema(2), arrays),
                Reason.NPY_INVALID,
                "node at /content/mean_ names the .npy entry 'mean.npy', which is not in the "
                        + "archive");
    }

    @Test
    void scalarNodeHoldingAnArray() {
        refused(
                withArray("n.npy", npy("<i8", "(1,)", SkopsWriter.longs(5))),
                Reason.NPY_INVALID,
                "node at /content/n_samples_seen_ is a numpy.int64 scalar, but entry 'n.npy' "
                        + "holds a <i8 array of shape (1,)");
    }

    @Test
    void fortranOrderNpy() {
        // read since QuantileTransformer's quantiles_ is stored so: first index fastest
        byte[] fortran =
                npy(
                        1,
                        "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                        doubles(1, 2, 3, 4, 5, 6));
        SkopsFile file =
                SkopsReader.read(
                        withArray("mean.npy", fortran),
                        "f.skops",
                        TestTrust.INSTANCE,
                        SkopsLimits.defaults());
        NpyArray mean = ((SkopsNode.NumpyArray) file.root().attrs().get("mean_")).array();
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, mean.doubles());
        refused(
                withArray(
                        "mean.npy",
                        npy(
                                1,
                                "{'descr': '<f8', 'fortran_order': True, " + "'shape': (2, 3), }",
                                doubles(1, 2))),
                Reason.NPY_INVALID,
                "needs 48 data bytes");
    }

    @Test
    void nanOutsideJsonNodeContent() {
        refused(
                schema(validSchema(2).replace("\"start\": 0", "\"start\": NaN")),
                Reason.SCHEMA_INVALID,
                "schema.json is not valid strict JSON: Non-standard token " + "'NaN'");
    }

    @Test
    void integerOutsideInt64InJsonNode() {
        refused(
                schema(validSchema(2, "big", json("99999999999999999999"))),
                Reason.SCHEMA_INVALID,
                "JsonNode content at /content/big holds the integer "
                        + "99999999999999999999, outside the int64 range");
    }

    @Test
    void tooManyNodesAndTooLargeSchema() {
        SkopsLimits fewNodes = new SkopsLimits(200, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 5);
        refused(
                schema(validSchema(2)),
                fewNodes,
                Reason.LIMIT_EXCEEDED,
                "schema.json has more than 5 nodes");
        SkopsLimits smallSchema = new SkopsLimits(200, 1 << 20, 1_000, 1 << 20, 1 << 20, 100);
        refused(
                schema(validSchema(2)),
                smallSchema,
                Reason.LIMIT_EXCEEDED,
                "schema.json is " + validSchema(2).length() + " bytes, over the limit of 1000");
        SkopsLimits smallTotal = new SkopsLimits(200, 1 << 20, 1 << 20, 1 << 20, 20, 100);
        refused(
                schema(validSchema(2)),
                smallTotal,
                Reason.LIMIT_EXCEEDED,
                "bytes left under the total array limit");
        SkopsLimits shortStrings = new SkopsLimits(200, 20, 1 << 20, 1 << 20, 1 << 20, 100);
        refused(
                schema(validSchema(2)),
                shortStrings,
                Reason.LIMIT_EXCEEDED,
                "exceeds a limit: String value length (27) exceeds the maximum allowed (20");
    }

    @Test
    void unexpectedKeysAndBadStructure() {
        refused(
                schema(
                        validSchema(
                                2,
                                "x",
                                node("TypeNode", "builtins", "str", "\"content\": \"os.system\""))),
                Reason.SCHEMA_INVALID,
                "node at /content/x: TypeNode has an unexpected key 'content'");
        refused(
                schema(
                        validSchema(
                                2, "x", node("ListNode", "builtins", "list", "\"content\": {}"))),
                Reason.SCHEMA_INVALID,
                "node at /content/x: ListNode content must be a JSON array");
    }

    @Test
    void aLongKeyIsNotCopiedIntoThePathOfEveryNodeBelowIt() {
        // 10 MB of schema.json: a 500,000-character attribute name above 20,000 nodes. Each node
        // keeps its path, so paths that repeated the whole name would take 10 GB.
        String[] items = new String[20_000];
        Arrays.fill(items, json("1"));
        String key = "k".repeat(500_000);
        byte[] file = schema(validSchema(2, key, SkopsWriter.list(items)));
        SkopsFile read =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10),
                        () -> {
                            long before = allocatedBytes();
                            SkopsFile f =
                                    SkopsReader.read(
                                            file,
                                            "long-key.skops",
                                            TestTrust.INSTANCE,
                                            SkopsLimits.defaults());
                            long allocated = allocatedBytes() - before;
                            assertTrue(allocated < 1L << 30, "allocated " + allocated + " bytes");
                            return f;
                        });
        SkopsNode.ListNode list = (SkopsNode.ListNode) read.root().attrs().get(key);
        String path = list.items().get(19_999).path();
        assertEquals("/content/" + "k".repeat(61) + ".../19999", path);
        String deep = NodePaths.child("/a".repeat(1_000), "b");
        assertTrue(deep.length() <= NodePaths.MAX_PATH, deep.length() + " characters");
        assertTrue(deep.startsWith("/a/a/") && deep.contains("...") && deep.endsWith("/a/b"), deep);
    }

    private static byte[] schema(String schema) {
        return skops(schema, validArrays());
    }

    private static byte[] withArray(String name, byte[] npy) {
        Map<String, byte[]> arrays = new HashMap<>(validArrays());
        arrays.put(name, npy);
        return skops(validSchema(2), arrays);
    }

    private static byte[] withEntry(String name, byte[] data) {
        ZipBuilder zip = new ZipBuilder();
        validArrays().forEach(zip::stored);
        zip.stored(name, data);
        zip.text("schema.json", validSchema(2));
        return zip.build();
    }

    private static BundleFormatException refused(byte[] file, Reason reason, String fragment) {
        return refused(file, SkopsLimits.defaults(), reason, fragment);
    }

    /** Reads the file and checks the refusal, its time, and the bytes allocated meanwhile. */
    private static BundleFormatException refused(
            byte[] file, SkopsLimits limits, Reason reason, String fragment) {
        BundleFormatException e =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(1),
                        () -> {
                            long before = allocatedBytes();
                            BundleFormatException thrown =
                                    assertThrows(
                                            BundleFormatException.class,
                                            () ->
                                                    SkopsReader.read(
                                                            file,
                                                            "hostile.skops",
                                                            TestTrust.INSTANCE,
                                                            limits));
                            long allocated = allocatedBytes() - before;
                            assertTrue(
                                    allocated < MAX_ALLOCATED_BYTES,
                                    "allocated "
                                            + allocated
                                            + " bytes refusing: "
                                            + thrown.getMessage());
                            return thrown;
                        });
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("hostile.skops"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
