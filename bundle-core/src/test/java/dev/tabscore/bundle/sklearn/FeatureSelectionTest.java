package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** VarianceThreshold, SelectKBest and SelectPercentile against real scikit-learn. */
class FeatureSelectionTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of(
                                                "variance-default",
                                                "variance-threshold",
                                                "kbest-3",
                                                "kbest-tie",
                                                "kbest-all",
                                                "kbest-regression",
                                                "percentile-default",
                                                "percentile-50",
                                                "percentile-tie",
                                                "percentile-chi2")
                                        .map(c -> Arguments.of(v, c)));
    }

    /**
     * Fitted selectors on fresh rows: selected columns bit for bit (NaN and infinity pass
     * VarianceThreshold; the univariate selectors refuse them in any column, as scikit-learn does),
     * names as get_feature_names_out. The cases include duplicated columns (tied scores) and a
     * constant column (NaN score).
     */
    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void selectsWhatScikitLearnSelects(String release, String name) {
        SklearnFixture f = SklearnFixture.load(release, name);
        int cells = f.check(SklearnFixture.EXACT);
        // percentile-default keeps nothing: 10% of 9 features is int(0.9) = 0 and the best
        // score is tied, so no score is above the threshold
        assertEquals(name.equals("percentile-default"), f.featureNames().isEmpty(), name);
        assertTrue(cells > 0 || f.featureNames().isEmpty(), "cells compared: " + cells);
    }

    /**
     * scikit-learn's own {@code _get_support_mask} on score vectors with ties, NaN, infinities and
     * signed zeros, for many k and percentiles, and numpy's percentile threshold bit for bit.
     */
    @ParameterizedTest(name = "sklearn-{0}")
    @ValueSource(strings = {"1.9.1", "1.3.2"})
    void supportMasksMatchScikitLearnTiesIncluded(String release) throws IOException {
        JsonNode doc =
                new ObjectMapper()
                        .readTree(
                                Paths.get(
                                                "src/test/resources/sklearn-transformers/sklearn-"
                                                        + release
                                                        + "/support-masks.json")
                                        .toFile());
        int n = 0;
        for (JsonNode c : doc.get("cases")) {
            double[] scores = new double[c.get("scores").size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = SklearnFixture.parse(c.get("scores").get(i).asText());
            }
            boolean[] want = new boolean[c.get("mask").size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = c.get("mask").get(i).asBoolean();
            }
            boolean[] got;
            String label;
            if (c.get("kind").asText().equals("k")) {
                long k = c.get("k").isTextual() ? -1 : c.get("k").asLong();
                got = SelectKBest.mask(scores, k);
                label = "k=" + c.get("k");
            } else {
                double p = c.get("percentile").asDouble();
                got = SelectPercentile.mask(scores, p);
                label = "percentile=" + p;
                if (p != 0 && p != 100) {
                    double t = SelectPercentile.percentile(SupportMask.cleanNans(scores), 100 - p);
                    double w = SklearnFixture.parse(c.get("threshold").asText());
                    assertTrue(
                            Double.compare(w, t) == 0 || w == t,
                            label + " " + c.get("scores") + ": threshold " + t + " != " + w);
                }
            }
            assertArrayEquals(want, got, label + " on " + c.get("scores"));
            n++;
        }
        assertTrue(n > 700, "cases: " + n);
    }

    @Test
    void varianceThresholdPassesValuesThroughUntouched() {
        VarianceThreshold v = new VarianceThreshold(new double[] {0.0, 2.0, Double.NaN}, 0.0);
        var out =
                v.transform(
                        batch(
                                "a",
                                new double[] {1},
                                "b",
                                new double[] {Double.NEGATIVE_INFINITY},
                                "c",
                                new double[] {2}),
                        null);
        assertEquals(List.of("b"), out.names());
        assertEquals(Double.NEGATIVE_INFINITY, Nodes.doubles(out, 0)[0]);
    }
}
