package dev.tabscore.bundle.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.sklearn.KnownCategories;
import dev.tabscore.bundle.sklearn.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Categories traced from raw input columns to the encoders of real fitted graphs. */
class KnownCategoriesTest {

    private static Preprocessor load(String set, String recipe) throws Exception {
        Path p = Path.of("target", "test-classes", "sealed", set, recipe, "preprocessor.skops");
        return Preprocessor.load(Files.readAllBytes(p), "preprocessor.skops");
    }

    @Test
    void encodersAreFoundDirectlyAndThroughImputersButNotThroughOtherSteps() throws Exception {
        Preprocessor pre = load("sklearn-1.9.1", "infrequent-kbins");
        // product_category, browser: a OneHotEncoder directly; weekday: float categories
        assertEquals(
                List.of("product_category", "browser", "weekday"),
                List.copyOf(pre.knownCategories().keySet()));
        KnownCategories weekday = pre.knownCategories().get("weekday");
        boolean[] unknown = new boolean[4];
        weekday.markUnknown(new DoubleColumn(new double[] {3.0, 7.5, Double.NaN, 99}), unknown);
        assertArrayEquals(
                new boolean[] {false, true, false, true},
                unknown,
                "3.0 known, NaN missing (not unknown), 7.5 and 99 unknown");
    }

    @Test
    void anImputerBeforeTheEncoderKeepsTheColumnTraceable() throws Exception {
        Preprocessor pre = load("sklearn-1.9.1", "seed-binary");
        Map<String, KnownCategories> known = pre.knownCategories();
        assertEquals(List.of("region", "channel"), List.copyOf(known.keySet()));
        boolean[] unknown = new boolean[4];
        int n =
                known.get("region")
                        .markUnknown(
                                new StringColumn(new String[] {"north", " north", null, ""}),
                                unknown);
        assertEquals(2, n);
        assertArrayEquals(new boolean[] {false, true, false, true}, unknown);
    }
}
