package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TargetEncoder against real scikit-learn: binary and continuous targets (1.3.2 and 1.9.1),
 * multiclass with str, object and int classes (1.9.1; multiclass arrived in 1.4); string columns
 * with a NaN category, an int column; fresh rows with unseen categories, case and whitespace
 * variants, empty strings, missing values, unseen ints.
 */
class TargetEncoderTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of(
                                                "target-binary",
                                                "target-continuous",
                                                "target-multiclass",
                                                "target-multiclass-obj",
                                                "target-multiclass-int",
                                                "target-cv-splitter")
                                        .filter(c -> SklearnFixture.exists(v, c))
                                        .map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnBitForBit(String release, String name) {
        int cells = SklearnFixture.load(release, name).check(SklearnFixture.EXACT);
        assertTrue(cells >= 90, "cells compared: " + cells);
    }

    /** Unknown categories are counted and feed the known-category checks of the row policies. */
    @ParameterizedTest(name = "sklearn-{0}")
    @ValueSource(strings = {"1.9.1", "1.3.2"})
    void unknownCategoriesFeedTheQualityChecks(String release) {
        SklearnFixture f = SklearnFixture.load(release, "target-binary");
        Map<String, KnownCategories> known = f.pre.knownCategories();
        assertEquals(List.of("city", "plan", "level"), List.copyOf(known.keySet()));
        ColumnBatch rows = f.rows;
        boolean[] unknown = new boolean[rows.rowCount()];
        int marked = known.get("city").markUnknown(rows.column("city"), unknown);
        // per block of ten: 'oslo', 'Oslo ', 'Paris', '' are unknown; NaN is a fitted category
        assertEquals(12, marked);
        TransformStats stats = new TransformStats();
        f.pre.transform(rows, stats);
        assertEquals(12, stats.column("city").unknownCount());
        assertEquals(6, stats.column("plan").unknownCount()); // PRO, enterprise, x3
        assertEquals(9, stats.column("level").unknownCount()); // 6, 0, -1, x3
    }

    @ParameterizedTest(name = "sklearn-{0}")
    @ValueSource(strings = {"1.9.1", "1.3.2"})
    void refusesANoneCategoryNamingTheColumn(String release) {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> SklearnFixture.load(release, "target-none-category"));
        assertEquals(Reason.UNSUPPORTED_OPTION, e.reason());
        assertTrue(
                e.getMessage().contains("categories_[0] of column 'city' holds None"),
                e.getMessage());
    }
}
