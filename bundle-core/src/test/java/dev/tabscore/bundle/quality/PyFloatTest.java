package dev.tabscore.bundle.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strings read as Python's float(str): the values below are what CPython 3.11 returns (and what the
 * dirty-data corpus records scikit-learn doing with an object column of them).
 */
class PyFloatTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "42.5|42.5",
                "' 42.5 '|42.5",
                "-0|-0.0",
                "+1e3|1000",
                "1_000.5|1000.5",
                ".5|0.5",
                "5.|5.0",
                "1E-3|0.001",
                "1e400|Infinity",
                "-1e400|-Infinity",
                "inf|Infinity",
                "-Infinity|-Infinity",
                "INF|Infinity",
                "1.7976931348623157e308|1.7976931348623157E308",
                "4.9e-324|4.9E-324",
                "0.1|0.1"
            })
    void parsesWhatPythonParses(String text, double expected) {
        assertEquals(expected, PyFloat.parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "-nan", " NAN "})
    void nanIsMissing(String text) {
        assertTrue(Double.isNaN(PyFloat.parse(text)), text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "abc",
                "41.5d",
                "0x1p3",
                "41.5\u200b",
                "1__0",
                "_1",
                "1_",
                "1e",
                "e5",
                ".",
                "+-1",
                "Infinityy",
                "nan1",
                "1,5",
                "٫5"
            })
    void refusesWhatPythonRefuses(String text) {
        assertNull(PyFloat.parse(text), text);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"\uFF14\uFF12|42", "\u0664\u0662.5|42.5", "42\u00a0|42", "\u200342|42"})
    void unicodeDigitsAndSpacesAsPython(String text, double expected) {
        // full-width and Arabic-Indic digits; no-break space and em space are Python whitespace
        assertEquals(expected, PyFloat.parse(text), text);
    }
}
