package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SelectFromModel over linear models (1.2.2, 1.5.2, 1.9.1) and tree models (1.2.2, 1.3.2, 1.5.2,
 * 1.6.1, 1.8.0, 1.9.1) against real scikit-learn.
 */
class SelectFromModelTest {

    static final List<String> CASES =
            List.of(
                    "sfm-logreg-default",
                    "sfm-logreg-l1-default",
                    "sfm-logreg-multi-median-l2",
                    "sfm-linearsvc-multi-inf",
                    "sfm-linearsvc-l1-neginf",
                    "sfm-ridgeclf-ord1-max",
                    "sfm-ridge-max-tie",
                    "sfm-linreg-float",
                    "sfm-lasso-default",
                    "sfm-elasticnet-l1-default",
                    "sfm-elasticnet-mean",
                    "sfm-linearsvr-median",
                    "sfm-linreg-multi-target",
                    "sfm-prefit",
                    "sfm-logreg-9class-inf");

    /** Trees, forests, gradient boosting (importances from the stored trees) and SGD models. */
    static final List<String> TREE_CASES =
            List.of(
                    "sfm-forest-default",
                    "sfm-forest-reg-median",
                    "sfm-forest-entropy-max",
                    "sfm-extratrees-scaled",
                    "sfm-extratrees-reg-float",
                    "sfm-tree-clf-default",
                    "sfm-tree-reg-median",
                    "sfm-extratree-clf",
                    "sfm-extratree-reg-best",
                    "sfm-gb-clf-default",
                    "sfm-gb-multiclass-median",
                    "sfm-gb-reg-max",
                    "sfm-forest-prefit",
                    "sfm-forest-one-column",
                    "sfm-forest-pipeline",
                    "sfm-adaboost-clf",
                    "sfm-adaboost-reg-median");

    static final List<String> SGD_CASES =
            List.of(
                    "sfm-sgd-hinge",
                    "sfm-sgd-log-multi",
                    "sfm-sgd-modified-huber",
                    "sfm-sgd-reg-huber");

    static Stream<Arguments> treeCases() {
        // every allow_nan rule: 1.2 none, 1.3 trees, 1.4 forests, 1.6 ExtraTree*, 1.9 always
        return Stream.of("1.9.1", "1.8.0", "1.6.1", "1.5.2", "1.3.2", "1.2.2")
                .flatMap(
                        v ->
                                Stream.concat(TREE_CASES.stream(), SGD_CASES.stream())
                                        .map(c -> Arguments.of(v, c)));
    }

    /**
     * SelectFromModel over a tree model: feature_importances_ computed from the stored node arrays
     * equals scikit-learn's property bit for bit, so do threshold_ and the columns kept; fresh rows
     * (NaN and infinity included: refused or passed on as each release's allow_nan tag of the
     * estimator says) transform as scikit-learn transforms them. SGD models, whose files hold a
     * Cython loss object (LossNode), select from coef_ as before.
     */
    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("treeCases")
    void selectsFromTreesAsScikitLearnDoes(String release, String name) {
        SklearnFixture f = SklearnFixture.load(release, name);
        int cells = f.check(SklearnFixture.EXACT);
        assertTrue(cells > 0, "cells compared: " + cells);
        if (!f.doc.has("feature_importances")) {
            assertTrue(name.startsWith("sfm-sgd"), name + " lacks feature_importances");
            return;
        }
        Transformer t = f.pre.graph();
        if (t instanceof Pipeline p) {
            t = p.steps().get(p.steps().size() - 1);
        }
        SelectFromModel sel = (SelectFromModel) t;
        double[] want = parse(f.doc.get("feature_importances"));
        double[] got = sel.importances();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(
                    0,
                    Double.compare(want[i], got[i]),
                    name + " importance " + i + ": " + got[i] + " != " + want[i]);
        }
        assertEquals(
                0,
                Double.compare(
                        SklearnFixture.parse(f.doc.get("threshold_").asText()), sel.threshold()),
                name + " threshold_");
    }

    static Stream<Arguments> cases() {
        return Stream.of("1.9.1", "1.5.2", "1.2.2")
                .flatMap(v -> CASES.stream().map(c -> Arguments.of(v, c)));
    }

    /**
     * Fitted SelectFromModel on fresh rows: the columns scikit-learn keeps, bit for bit, names as
     * get_feature_names_out, rows with NaN / infinity refused as scikit-learn refuses them.
     * Thresholds None (mean, and 1e-5 for Lasso, l1 LogisticRegression / LinearSVC, ElasticNet with
     * l1_ratio=1), mean, median, scaled, int, float, -inf; max_features with a tie; 1-d and 2-d
     * coef_ with norm_order 1, 2, inf, -inf; prefit.
     */
    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void selectsWhatScikitLearnSelects(String release, String name) {
        SklearnFixture f = SklearnFixture.load(release, name);
        int cells = f.check(SklearnFixture.EXACT);
        assertTrue(cells > 0, "cells compared: " + cells);
        assertFalse(f.featureNames().isEmpty());
        if (name.equals("sfm-ridge-max-tie")) {
            // s0 and its duplicate dup0 tie; the stable argsort keeps the earlier one
            assertEquals(List.of("s0"), f.featureNames());
        }
    }

    /**
     * Refused at load with exit 19 and the estimator named: an SVC (its coef_ is a property
     * computed from dual_coef_ and support_vectors_, not a stored attribute), and the sum of a
     * 9-row coef_ along axis 0 (numpy's order depends on the lost layout).
     */
    @ParameterizedTest(name = "sklearn-{0}")
    @ValueSource(strings = {"1.9.1", "1.5.2", "1.2.2"})
    void refusesWhatItCannotReproduce(String release) {
        BundleFormatException other =
                assertThrows(
                        BundleFormatException.class,
                        () -> SklearnFixture.load(release, "sfm-refused-svc"));
        assertEquals(Reason.UNSUPPORTED_OPTION, other.reason(), other.getMessage());
        assertEquals(19, other.reason().exitCode());
        assertTrue(
                other.getMessage()
                        .startsWith(
                                "SelectFromModel(estimator_=sklearn.svm._classes."
                                        + "SVC) is not supported"),
                other.getMessage());
        BundleFormatException wide =
                assertThrows(
                        BundleFormatException.class,
                        () -> SklearnFixture.load(release, "sfm-refused-9class-l1"));
        assertEquals(Reason.UNSUPPORTED_OPTION, wide.reason(), wide.getMessage());
        assertTrue(wide.getMessage().contains("over 9 rows"), wide.getMessage());
    }

    /**
     * numpy's {@code np.linalg.norm(coef_, axis=0, ord)}, {@code np.abs}, {@code np.mean} (pairwise
     * summation, up to 4099 terms), {@code np.median}, scikit-learn's {@code _calculate_threshold}
     * and {@code _get_support_mask} (max_features with ties) on random coefficient arrays, bit for
     * bit; numpy 2.4 (scikit-learn 1.9.1) and numpy 1.x (1.2.2).
     */
    @ParameterizedTest(name = "sklearn-{0}")
    @ValueSource(strings = {"1.9.1", "1.2.2"})
    void numpyArithmeticBitForBit(String release) throws IOException {
        JsonNode doc =
                new ObjectMapper()
                        .readTree(
                                Paths.get(
                                                "src/test/resources/sklearn-transformers/sklearn-"
                                                        + release
                                                        + "/from-model-numpy.json")
                                        .toFile());
        int masks = 0;
        for (JsonNode c : doc.get("cases")) {
            double[] coef = parse(c.get("coef"));
            long[] shape = new long[c.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = c.get("shape").get(i).asLong();
            }
            double order = SklearnFixture.parse(c.get("norm_order").asText());
            double[] imp = SelectFromModel.importances(coef, shape, order);
            String label = "shape " + c.get("shape") + " ord " + order;
            if (!c.get("importances").isNull()) {
                double[] want = parse(c.get("importances"));
                for (int i = 0; i < want.length; i++) {
                    assertEquals(
                            0,
                            Double.compare(want[i], imp[i]),
                            label + " importance " + i + ": " + imp[i] + " != " + want[i]);
                }
            }
            for (JsonNode s : c.get("selections")) {
                double want = SklearnFixture.parse(s.get("threshold_value").asText());
                double got = SelectFromModel.threshold(s.get("threshold").asText(), imp);
                assertTrue(
                        want == got, label + " " + s.get("threshold") + ": " + got + " != " + want);
                Long mf = s.get("max_features").isNull() ? null : s.get("max_features").asLong();
                boolean[] mask = SelectFromModel.mask(imp, got, mf);
                StringBuilder m = new StringBuilder();
                for (boolean b : mask) {
                    m.append(b ? '1' : '0');
                }
                assertEquals(s.get("mask").asText(), m.toString(), label + " " + s);
                masks++;
            }
        }
        assertTrue(masks > 1000, "masks: " + masks);
    }

    /**
     * Strings scikit-learn raises on ("mean*2", "2*mode", "1*2*mean", " mean") and scales Python's
     * float() reads but tabscore does not ("inf", "1_0"): refused (null), never guessed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mean*2", "2*mode", "1*2*mean", " mean", "inf*mean", "1_0*mean"})
    void thresholdStringsOutsidePlainDecimalScalesAreRefused(String spec) {
        assertEquals(null, SelectFromModel.threshold(spec, new double[] {1, 2}));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 129, 300})
    void pairwiseSumOfIntegersIsExact(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        assertEquals(n * (n - 1) / 2.0, SelectFromModel.sum(a));
        assertArrayEquals(
                new boolean[] {false, true},
                SelectFromModel.mask(
                        new double[] {1, 3}, SelectFromModel.mean(new double[] {1, 3}), null));
    }

    private static double[] parse(JsonNode arr) {
        double[] out = new double[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = SklearnFixture.parse(arr.get(i).asText());
        }
        return out;
    }
}
