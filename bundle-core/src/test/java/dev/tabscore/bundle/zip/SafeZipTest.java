package dev.tabscore.bundle.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads the fixture archives and a set of hand-made broken ones. */
class SafeZipTest {

    private static final Path FIXTURES = Paths.get("src/test/resources/fixtures");

    static Stream<Path> fixtureArchives() throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            List<Path> list =
                    files.filter(
                                    p ->
                                            p.toString().endsWith(".pt")
                                                    || p.toString().endsWith(".skops"))
                            .sorted()
                            .collect(Collectors.toList());
            return list.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtureArchives")
    void readsEveryFixtureArchiveLikeZipFile(Path path) throws IOException {
        SafeZip zip = SafeZip.read(Files.readAllBytes(path), path.toString(), ZipLimits.defaults());
        List<String> expectedNames = new ArrayList<>();
        try (ZipFile reference = new ZipFile(path.toFile())) {
            for (ZipEntry e : Collections.list(reference.entries())) {
                expectedNames.add(e.getName());
                byte[] expected = reference.getInputStream(e).readAllBytes();
                assertArrayEquals(expected, zip.entry(e.getName()), e.getName());
                assertEquals(e.getCrc(), ZipBuilder.crcOf(zip.entry(e.getName())), e.getName());
                assertEquals(expected.length, zip.size(e.getName()));
            }
        }
        assertEquals(expectedNames, zip.names());
        assertFalse(expectedNames.isEmpty());
    }

    @Test
    void readsTorchStyleEntries() {
        ZipBuilder b = new ZipBuilder();
        b.stored("archive/data.pkl", bytes("pickle")).flags(0x0808).align(64);
        b.stored("archive/data/0", new byte[100]).flags(0x0808).align(64);
        b.deflated("archive/code/x.py", bytes("def forward(self):\n    return 1\n".repeat(20)))
                .flags(0x0808)
                .align(64);
        b.stored("archive/traced_inputs/0", new byte[0]).flags(0x0800);
        b.stored("archive/version", bytes("3\n")).flags(0x0808).align(64);
        SafeZip zip = SafeZip.read(b.build(), "model.pt", ZipLimits.defaults());
        assertEquals(
                List.of(
                        "archive/data.pkl",
                        "archive/data/0",
                        "archive/code/x.py",
                        "archive/traced_inputs/0",
                        "archive/version"),
                zip.names());
        assertEquals("3\n", new String(zip.entry("archive/version"), StandardCharsets.UTF_8));
        assertEquals(0, zip.entry("archive/traced_inputs/0").length);
        assertEquals(640, zip.entry("archive/code/x.py").length);
        assertTrue(zip.has("archive/data/0"));
        assertFalse(zip.has("archive/data/1"));
    }

    @Test
    void namesTheMissingEntry() {
        ZipBuilder b = new ZipBuilder();
        b.text("a.txt", "a");
        SafeZip zip = SafeZip.read(b.build(), "x.zip", ZipLimits.defaults());
        BundleFormatException e =
                assertThrows(BundleFormatException.class, () -> zip.entry("b.txt"));
        assertTrue(e.getMessage().contains("x.zip: zip entry 'b.txt' is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("a.txt"), e.getMessage());
    }

    @Test
    void refusesTruncatedArchive() {
        ZipBuilder b = new ZipBuilder();
        b.text("a.txt", "hello");
        byte[] whole = b.build();
        refused(
                Arrays.copyOf(whole, whole.length - 5),
                Reason.ZIP_MALFORMED,
                "no end-of-central-directory record");
        refused(Arrays.copyOf(whole, 10), Reason.ZIP_MALFORMED, "too short to be a zip");
    }

    @Test
    void refusesUnsafeNames() {
        refused(one("../evil"), Reason.ZIP_UNSAFE_ENTRY, "'../evil' contains a '..' segment");
        refused(one("a/../../evil"), Reason.ZIP_UNSAFE_ENTRY, "contains a '..' segment");
        refused(one("/etc/passwd"), Reason.ZIP_UNSAFE_ENTRY, "'/etc/passwd' is an absolute path");
        refused(one("C:evil"), Reason.ZIP_UNSAFE_ENTRY, "starts with a drive letter");
        refused(one("a\\b"), Reason.ZIP_UNSAFE_ENTRY, "contains a backslash");
        refused(one(""), Reason.ZIP_UNSAFE_ENTRY, "has an empty name");
        refused(one("a//b"), Reason.ZIP_UNSAFE_ENTRY, "empty or '.' path segment");
        refused(one("a\nb"), Reason.ZIP_UNSAFE_ENTRY, "'a\\x0ab' contains a control character");
    }

    @Test
    void refusesDuplicateNames() {
        ZipBuilder b = new ZipBuilder();
        b.text("schema.json", "{}");
        b.text("schema.json", "[]");
        refused(b.build(), Reason.ZIP_DUPLICATE_ENTRY, "'schema.json' appears more than once");
    }

    @Test
    void refusesCrcMismatch() {
        ZipBuilder b = new ZipBuilder();
        b.text("a.txt", "hello").crc(12345);
        refused(b.build(), Reason.ZIP_MALFORMED, "'a.txt' fails its CRC-32 check");
    }

    @Test
    void refusesEncryptedAndUnknownMethods() {
        ZipBuilder b = new ZipBuilder();
        b.text("a.txt", "hello").flags(0x0001);
        refused(b.build(), Reason.ZIP_UNSAFE_ENTRY, "'a.txt' is encrypted");
        ZipBuilder c = new ZipBuilder();
        c.text("a.txt", "hello").method(12);
        refused(c.build(), Reason.ZIP_MALFORMED, "uses compression method 12");
    }

    @Test
    void refusesTooManyEntriesAndLargeDeclarations() {
        ZipBuilder b = new ZipBuilder();
        for (int i = 0; i < 5; i++) {
            b.text("e" + i, "x");
        }
        refused(
                b.build(),
                new ZipLimits(4, 100, 100),
                Reason.LIMIT_EXCEEDED,
                "declares 5 entries, over the limit of 4");
        refused(
                b.build(),
                new ZipLimits(10, 100, 4),
                Reason.LIMIT_EXCEEDED,
                "'e4' brings the declared uncompressed total to 5 bytes");
        ZipBuilder c = new ZipBuilder();
        c.deflated("big", new byte[1 << 20]).declaredSize(1L << 30);
        refused(
                c.build(),
                Reason.LIMIT_EXCEEDED,
                "'big' declares 1073741824 uncompressed bytes, over the limit of 536870912");
    }

    @Test
    void refusesZipBombs() {
        // Honest declaration over the limit: refused before inflating.
        ZipBuilder honest = new ZipBuilder();
        honest.deflated("bomb", new byte[4 << 20]);
        refused(
                honest.build(),
                new ZipLimits(10, 1 << 20, 1 << 20),
                Reason.LIMIT_EXCEEDED,
                "'bomb' declares 4194304 uncompressed bytes, over the limit");
        // Lying declaration: inflation stops at the declared size.
        ZipBuilder lying = new ZipBuilder();
        lying.deflated("bomb", new byte[8 << 20]).declaredSize(1000);
        refused(
                lying.build(),
                Reason.LIMIT_EXCEEDED,
                "'bomb' inflates past its declared size of 1000 bytes");
        ZipBuilder shortfall = new ZipBuilder();
        shortfall.deflated("short", new byte[100]).declaredSize(1000);
        refused(shortfall.build(), Reason.ZIP_MALFORMED, "inflates to 100 bytes but declares 1000");
    }

    @Test
    void refusesOverlappingAndOutOfBoundsEntries() {
        ZipBuilder b = new ZipBuilder();
        b.text("a", "aaaa");
        b.text("b", "bbbb");
        byte[] zip = b.build();
        // Point b's central header at a's local header: same data read under two names.
        int central = lastIndexOf(zip, 0x02014b50);
        putInt(zip, central + 42, 0);
        refused(zip, Reason.ZIP_MALFORMED, "has a local header named 'a'");

        ZipBuilder c = new ZipBuilder();
        c.text("a", "aaaa");
        byte[] oob = c.build();
        putInt(oob, lastIndexOf(oob, 0x02014b50) + 42, 1_000_000);
        refused(oob, Reason.ZIP_MALFORMED, "no local header at offset 1000000 (out of bounds)");

        ZipBuilder d = new ZipBuilder();
        d.text("a", "aaaa").declaredSize(10_000);
        refused(d.build(), Reason.ZIP_MALFORMED, "runs past the start of the central directory");
    }

    @Test
    void refusesOverlapWithConsistentNames() {
        // Two entries whose local headers both lie inside one another's data.
        ZipBuilder b = new ZipBuilder();
        b.stored("outer", new byte[64]);
        b.text("inner", "x");
        byte[] zip = b.build();
        int firstCentral = indexOf(zip, 0x02014b50, 0);
        // Grow outer's declared size so its data covers inner's local header.
        putInt(zip, firstCentral + 20, 64 + 20);
        putInt(zip, firstCentral + 24, 64 + 20);
        putInt(zip, 18, 64 + 20);
        putInt(zip, 22, 64 + 20);
        refused(zip, Reason.ZIP_MALFORMED, "'inner' overlaps entry 'outer'");
    }

    private static byte[] one(String name) {
        ZipBuilder b = new ZipBuilder();
        b.text(name, "x");
        return b.build();
    }

    private static void refused(byte[] zip, Reason reason, String fragment) {
        refused(zip, ZipLimits.defaults(), reason, fragment);
    }

    private static void refused(byte[] zip, ZipLimits limits, Reason reason, String fragment) {
        Executable read = () -> SafeZip.read(zip, "test.zip", limits);
        BundleFormatException e =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(1),
                        () -> assertThrows(BundleFormatException.class, read));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("test.zip: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int lastIndexOf(byte[] data, int signature) {
        for (int i = data.length - 4; i >= 0; i--) {
            if (getInt(data, i) == signature) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] data, int signature, int from) {
        for (int i = from; i <= data.length - 4; i++) {
            if (getInt(data, i) == signature) {
                return i;
            }
        }
        return -1;
    }

    private static int getInt(byte[] d, int p) {
        return (d[p] & 0xff)
                | (d[p + 1] & 0xff) << 8
                | (d[p + 2] & 0xff) << 16
                | (d[p + 3] & 0xff) << 24;
    }

    private static void putInt(byte[] d, int p, int v) {
        d[p] = (byte) v;
        d[p + 1] = (byte) (v >>> 8);
        d[p + 2] = (byte) (v >>> 16);
        d[p + 3] = (byte) (v >>> 24);
    }
}
