package dev.tabscore.bundle.skops;

import static dev.tabscore.bundle.skops.SkopsWriter.doubles;
import static dev.tabscore.bundle.skops.SkopsWriter.longs;
import static dev.tabscore.bundle.skops.SkopsWriter.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit tests of {@link Npy}: header versions, every dtype, 0-d arrays, refusals. */
class NpyTest {

    private static final SkopsLimits LIMITS = SkopsLimits.defaults();

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void readsEveryHeaderVersion(int major) {
        byte[] bytes =
                npy(
                        major,
                        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                        doubles(1, 2, 3, 4));
        NpyArray array = Npy.parse(bytes, "a.npy", LIMITS);
        assertArrayEquals(new long[] {2, 2}, array.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4}, array.doubles());
    }

    @Test
    void decodesVersionThreeHeadersAsUtf8AndOlderOnesAsAscii() {
        byte[] utf8 =
                npy(3, "{'descr': '\u00e9', 'fortran_order': False, 'shape': (1,), }", longs(7));
        assertTrue(
                refused(utf8, Reason.NPY_UNSUPPORTED)
                        .getMessage()
                        .contains("dtype '\u00e9' is not supported"));
        byte[] latin =
                npy(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", longs(7));
        latin[20] = (byte) 0xe9;
        assertTrue(refused(latin, Reason.NPY_INVALID).getMessage().contains("is not ASCII"));
        byte[] broken =
                npy(3, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", longs(7));
        broken[14] = (byte) 0xff;
        assertTrue(refused(broken, Reason.NPY_INVALID).getMessage().contains("is not valid UTF-8"));
    }

    @Test
    void readsEveryDtype() {
        assertArrayEquals(
                new double[] {1.5, Double.NaN, -0.0},
                Npy.parse(npy("<f8", "(3,)", doubles(1.5, Double.NaN, -0.0)), "f8", LIMITS)
                        .doubles());
        ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        f4.putFloat(0.1f).putFloat(-3f);
        NpyArray floats = Npy.parse(npy("<f4", "(2,)", f4.array()), "f4", LIMITS);
        assertArrayEquals(new double[] {0.1f, -3.0}, floats.doubles());
        assertArrayEquals(
                new long[] {Long.MIN_VALUE, 3},
                Npy.parse(npy("<i8", "(2,)", longs(Long.MIN_VALUE, 3)), "i8", LIMITS).longs());
        ByteBuffer i4 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        i4.putInt(-7).putInt(Integer.MAX_VALUE);
        assertArrayEquals(
                new long[] {-7, Integer.MAX_VALUE},
                Npy.parse(npy("<i4", "(2,)", i4.array()), "i4", LIMITS).longs());
        NpyArray bools = Npy.parse(npy("|b1", "(3,)", new byte[] {1, 0, 1}), "b1", LIMITS);
        assertArrayEquals(new boolean[] {true, false, true}, bools.booleans());
        assertArrayEquals(new double[] {1, 0, 1}, bools.asDoubles());
        assertArrayEquals(
                new long[] {255, 0},
                Npy.parse(npy("|u1", "(2,)", new byte[] {(byte) 255, 0}), "u1", LIMITS).longs());
    }

    @Test
    void readsZeroDimensionalAndEmptyArrays() {
        NpyArray scalar = Npy.parse(npy("<i8", "()", longs(5000)), "n.npy", LIMITS);
        assertEquals(0, scalar.shape().length);
        assertArrayEquals(new long[] {5000}, scalar.longs());
        assertEquals(1, scalar.size());
        NpyArray empty = Npy.parse(npy("<f8", "(0,)", new byte[0]), "e.npy", LIMITS);
        assertEquals(0, empty.size());
        assertArrayEquals(new long[] {0}, empty.shape());
        assertNull(empty.longs());
    }

    @Test
    void readsUnicodeCellsWithoutTheirPadding() {
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int cp : new int[] {'r', 'e', 'd', 'b', 0x1F535, 0}) {
            b.putInt(cp);
        }
        NpyArray a = Npy.parse(npy("<U3", "(2,)", b.array()), "u.npy", LIMITS);
        assertArrayEquals(new String[] {"red", "b\uD83D\uDD35"}, a.strings());
        assertEquals(2, a.size());
        assertTrue(
                refused(npy("<U1", "(1,)", new byte[] {0, 0, 0x11, 0}), Reason.NPY_INVALID)
                        .getMessage()
                        .contains("invalid code point"));
    }

    @Test
    void refusesOtherDtypesByName() {
        for (String dtype :
                new String[] {"|i1", "<f2", "<c16", "|O", "<M8[ns]", "<u8", ">U2", "<U0"}) {
            BundleFormatException e =
                    refused(npy(dtype, "(1,)", new byte[8]), Reason.NPY_UNSUPPORTED);
            assertTrue(e.getMessage().contains("dtype '" + dtype + "' is "), e.getMessage());
        }
        assertTrue(
                refused(npy(">i4", "(1,)", new byte[4]), Reason.NPY_UNSUPPORTED)
                        .getMessage()
                        .contains("'>i4' is big-endian"));
        assertTrue(
                refused(
                                npy(
                                        1,
                                        "{'descr': [('a', '<c16')], 'fortran_order': False, "
                                                + "'shape': (1,), }",
                                        new byte[16]),
                                Reason.NPY_UNSUPPORTED)
                        .getMessage()
                        .contains("structured dtype field 'a' has dtype '<c16'"));
        assertTrue(
                refused(
                                npy(
                                        1,
                                        "{'descr': [('a', '<f8')], 'fortran_order': False, "
                                                + "'shape': (1, 1), }",
                                        new byte[8]),
                                Reason.NPY_UNSUPPORTED)
                        .getMessage()
                        .contains("one-dimensional"));
        assertTrue(
                refused(
                                npy(
                                        1,
                                        "{'descr': [('', '|V8')], 'fortran_order': False, "
                                                + "'shape': (1,), }",
                                        new byte[8]),
                                Reason.NPY_INVALID)
                        .getMessage()
                        .contains("no named field"));
        assertTrue(
                refused(
                                npy(
                                        1,
                                        "{'descr': [('a', '<f8'), ('b', '|V8')], 'fortran_order': "
                                                + "False, 'shape': (1,), }",
                                        new byte[16]),
                                Reason.NPY_UNSUPPORTED)
                        .getMessage()
                        .contains("field 'b' has dtype '|V8'"));
    }

    /** A flat structured dtype (a tree's node records) is read field by field. */
    @Test
    void readsFlatStructuredRecordsByField() {
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.allocate(2 * 17).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(-1).putDouble(0.5).put((byte) 1).putLong(7).putDouble(-2.25).put((byte) 0);
        NpyArray a =
                Npy.parse(
                        npy(
                                1,
                                "{'descr': [('left', '<i8'), ('w', '<f8'), ('m', '|u1')],"
                                        + " 'fortran_order': False, 'shape': (2,), }",
                                b.array()),
                        "nodes.npy",
                        LIMITS);
        assertEquals(2, a.size());
        assertArrayEquals(new long[] {-1, 7}, a.fields().get("left").longs());
        assertArrayEquals(new double[] {0.5, -2.25}, a.fields().get("w").doubles());
        assertArrayEquals(new long[] {1, 0}, a.fields().get("m").longs());
        java.nio.ByteBuffer p =
                java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        p.putDouble(3.0);
        NpyArray padded =
                Npy.parse(
                        npy(
                                1,
                                "{'descr': [('x', '<f8'), ('', '|V8')], "
                                        + "'fortran_order': False, 'shape': (1,), }",
                                p.array()),
                        "p.npy",
                        LIMITS);
        assertArrayEquals(new double[] {3.0}, padded.fields().get("x").doubles());
        refused(
                npy(
                        1,
                        "{'descr': [('x', '<f8'), ('', '|V8')], 'fortran_order': False, "
                                + "'shape': (1,), }",
                        new byte[15]),
                Reason.NPY_INVALID);
    }

    @Test
    void refusesMalformedHeaders() {
        String[] bad = {
            "{'descr': '<f8', 'fortran_order': False, }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1, }",
            "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } x",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)",
            "__import__('os').system('x')",
        };
        for (String header : bad) {
            refused(npy(1, header, new byte[8]), Reason.NPY_INVALID);
        }
        byte[] good = npy("<f8", "(1,)", new byte[8]);
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        assertTrue(refused(badMagic, Reason.NPY_INVALID).getMessage().contains("magic"));
        byte[] version = good.clone();
        version[6] = 4;
        assertTrue(
                refused(version, Reason.NPY_UNSUPPORTED)
                        .getMessage()
                        .contains("format version 4.0 is not supported"));
        assertTrue(
                refused(Arrays.copyOf(good, 40), Reason.NPY_INVALID)
                        .getMessage()
                        .contains("declares a header of"));
        byte[] bool = npy("|b1", "(1,)", new byte[] {2});
        assertTrue(
                refused(bool, Reason.NPY_INVALID)
                        .getMessage()
                        .contains("bool element 0 holds byte 2"));
    }

    @Test
    void refusesSizesBeforeAllocating() {
        assertTrue(
                refused(npy("<f8", "(3,)", doubles(1)), Reason.NPY_INVALID)
                        .getMessage()
                        .contains("shape (3,) of <f8 needs 24 data bytes, but the entry holds 8"));
        assertTrue(
                refused(npy("<f8", "(1,)", doubles(1, 2)), Reason.NPY_INVALID)
                        .getMessage()
                        .contains("needs 8 data bytes, but the entry holds 16"));
        assertTrue(
                refused(npy("<f8", "(4294967296, 4294967296)", new byte[8]), Reason.LIMIT_EXCEEDED)
                        .getMessage()
                        .contains("overflows"));
        assertTrue(
                refused(npy("<i4", "(100000000,)", new byte[8]), Reason.LIMIT_EXCEEDED)
                        .getMessage()
                        .contains("declares 400000000 bytes, over the per-array limit"));
        assertTrue(
                refused(npy("<f8", "(99999999999999999999,)", new byte[8]), Reason.LIMIT_EXCEEDED)
                        .getMessage()
                        .contains("larger than 2^63"));
    }

    private static BundleFormatException refused(byte[] bytes, Reason reason) {
        BundleFormatException e =
                assertThrows(BundleFormatException.class, () -> Npy.parse(bytes, "x.npy", LIMITS));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("x.npy: "), e.getMessage());
        return e;
    }
}
