package dev.tabscore.bundle.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.torch.PyObjects.PyDict;
import dev.tabscore.bundle.torch.PyObjects.PyList;
import dev.tabscore.bundle.torch.PyObjects.PyNone;
import dev.tabscore.bundle.torch.PyObjects.PyTuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interpreter against pickles written by CPython 3.11, so opcode semantics (marks, memo,
 * protocol-0 text forms, big ints) are Python's, not our reading of them.
 */
class PickleOpcodeTest {

    /**
     * {@code x = [1]; pickle.dumps({'a': [1, -2, 3.5, None, True, False, x, x], 'b': ('x',
     * 'é\n\\u', 2**70, -2**63, -2**31, 65535, 256), 'c': {}, 'd': (), 'e': ((1,), (2, 3), (4, 5,
     * 6)), 'f': float('inf')}, protocol=p)} for p = 0, 1, 2.
     */
    private static final String[] CPYTHON = {
        "286470300a56610a70310a286c70320a49310a61492d320a6146332e350a614e614930310a614930300a61"
                + "286c70330a49310a616167330a617356620a70340a2856780a70350a56e95c75303030615c753030356375"
                + "0a70360a4c313138303539313632303731373431313330333432344c0a4c2d3932323333373230333638"
                + "35343737353830384c0a492d323134373438333634380a4936353533350a493235360a7470370a735663"
                + "0a70380a286470390a7356640a7031300a28747356650a7031310a282849310a747031320a2849320a49"
                + "330a747031330a2849340a49350a49360a747031340a747031350a7356660a7031360a46696e660a732e",
        "7d71002858010000006171015d7102284b014afeffffff47400c0000000000004e4930310a4930300a5d71"
                + "034b016168036558010000006271042858010000007871055805000000c3a90a5c7571064c3131383035"
                + "39313632303731373431313330333432344c0a4c2d393232333337323033363835343737353830384c0a"
                + "4a000000804dffff4d000174710758010000006371087d7109580100000064710a29580100000065710b"
                + "28284b0174710c284b024b0374710d284b044b054b0674710e74710f5801000000667110477ff0000000"
                + "000000752e",
        "80027d71002858010000006171015d7102284b014afeffffff47400c0000000000004e88895d71034b0161"
                + "68036558010000006271042858010000007871055805000000c3a90a5c7571068a090000000000000000"
                + "408a0800000000000000804a000000804dffff4d000174710758010000006371087d7109580100000064"
                + "710a29580100000065710b4b0185710c4b024b0386710d4b044b054b0687710e87710f58010000006671"
                + "10477ff0000000000000752e"
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void readsWhatCpythonWroteWithEachProtocol(int protocol) {
        Object root = unpickle(CPYTHON[protocol]);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1L, -2L, 3.5, "None", true, false, List.of(1L), List.of(1L)));
        expected.put(
                "b",
                new Tuple(
                        List.of(
                                "x",
                                "é\n\\u",
                                BigInteger.TWO.pow(70),
                                Long.MIN_VALUE,
                                (long) Integer.MIN_VALUE,
                                65535L,
                                256L)));
        expected.put("c", Map.of());
        expected.put("d", new Tuple(List.of()));
        expected.put(
                "e",
                new Tuple(
                        List.of(
                                new Tuple(List.of(1L)),
                                new Tuple(List.of(2L, 3L)),
                                new Tuple(List.of(4L, 5L, 6L)))));
        expected.put("f", Double.POSITIVE_INFINITY);
        assertEquals(expected, plain(root));

        List<Object> a = ((PyList) ((PyDict) root).items.get("a")).items;
        assertSame(a.get(6), a.get(7), "the memo hands back the same list object");
    }

    /**
     * Hand-written protocol-0/1/2 opcodes CPython reads as {@code ["a\nAA'", 'abc', 'hi', 2**70, 0,
     * -1, 123, -5, -1500.0, nan, 7, 7, OrderedDict(), OrderedDict(), 'é\\\\u0041']}: STRING
     * escapes, BINSTRING, SHORT_BINSTRING, LONG4, LONG1, INT, LONG, FLOAT, POP, POP_MARK, DUP,
     * LONG_BINPUT/GET, INST, OBJ, UNICODE, PUT/GET (text), LIST.
     */
    @Test
    void readsTheRemainingOpcodesAsCpythonDoes() {
        Object root =
                unpickle(
                        "285327615c6e5c7834315c3130315c27270a5403000000616263550268698b"
                                + "090000000000000000000000408a008a01ff493132330a4c2d354c0a462d312e3565330a466e61"
                                + "6e0a4e30284e4e314d07003272e8030000306ae80300002869636f6c6c656374696f6e730a4f7264"
                                + "65726564446963740a2863636f6c6c656374696f6e730a4f726465726564446963740a6f565c7530"
                                + "3065395c5c75303034310a70350a3067350a6c2e");

        List<Object> items = ((PyList) root).items;
        assertEquals(
                List.of("a\nAA'", "abc", "hi", BigInteger.TWO.pow(70), 0L, -1L, 123L, -5L, -1500.0),
                items.subList(0, 9));
        assertTrue(Double.isNaN((Double) items.get(9)));
        assertEquals(List.of(7L, 7L), items.subList(10, 12));
        assertTrue(((PyDict) items.get(12)).ordered);
        assertTrue(((PyDict) items.get(13)).ordered);
        assertEquals("é\\\\u0041", items.get(14));
        assertEquals(15, items.size());
    }

    private static Object unpickle(String hex) {
        return WeightsOnlyUnpickler.unpickle(
                HexFormat.of().parseHex(hex), "test", TorchLimits.defaults());
    }

    /** A tuple, kept apart from a list when comparing. */
    record Tuple(List<Object> items) {}

    /** Converts interpreter values to plain Java values; None becomes the string "None". */
    private static Object plain(Object value) {
        if (value instanceof PyDict dict) {
            Map<Object, Object> out = new LinkedHashMap<>();
            dict.items.forEach((k, v) -> out.put(plain(k), plain(v)));
            return out;
        } else if (value instanceof PyList list) {
            List<Object> out = new ArrayList<>();
            list.items.forEach(v -> out.add(plain(v)));
            return out;
        } else if (value instanceof PyTuple tuple) {
            List<Object> out = new ArrayList<>();
            tuple.items().forEach(v -> out.add(plain(v)));
            return new Tuple(out);
        } else if (value == PyNone.NONE) {
            return "None";
        }
        return value;
    }
}
