package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.dict;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.dtype;
import static dev.tabscore.bundle.sklearn.Nodes.f8;
import static dev.tabscore.bundle.sklearn.Nodes.float64;
import static dev.tabscore.bundle.sklearn.Nodes.list;
import static dev.tabscore.bundle.sklearn.Nodes.none;
import static dev.tabscore.bundle.sklearn.Nodes.obj;
import static dev.tabscore.bundle.sklearn.Nodes.objects;
import static dev.tabscore.bundle.sklearn.Nodes.slice;
import static dev.tabscore.bundle.sklearn.Nodes.tuple;
import static dev.tabscore.bundle.sklearn.Nodes.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ColumnTransformerTest {

    private static final String CT = "sklearn.compose._column_transformer";

    static ObjectNode scaler(double mean, double scale) {
        return obj(
                "sklearn.preprocessing._data",
                "StandardScaler",
                "with_mean",
                true,
                "with_std",
                true,
                "copy",
                true,
                "n_features_in_",
                1,
                "n_samples_seen_",
                10,
                "mean_",
                f8(mean),
                "var_",
                f8(scale * scale),
                "scale_",
                f8(scale));
    }

    static ObjectNode maxAbs(double scale) {
        return obj(
                "sklearn.preprocessing._data",
                "MaxAbsScaler",
                "copy",
                true,
                "n_features_in_",
                1,
                "n_samples_seen_",
                10,
                "max_abs_",
                f8(scale),
                "scale_",
                f8(scale));
    }

    static ObjectNode identity(String... names) {
        return obj(
                "sklearn.preprocessing._function_transformer",
                "FunctionTransformer",
                "func",
                none(),
                "inverse_func",
                none(),
                "validate",
                false,
                "accept_sparse",
                true,
                "check_inverse",
                false,
                "feature_names_out",
                "one-to-one",
                "kw_args",
                none(),
                "inv_kw_args",
                none(),
                "_sklearn_output_config",
                dict("transform", "default"),
                "feature_names_in_",
                objects((Object[]) names),
                "n_features_in_",
                names.length);
    }

    /**
     * Inputs a, b, c, d: 'num' scales a, 'gone' drops b, 'twice' reads a again, and the remainder
     * passes c and d through, stored as each version stores it.
     */
    static ObjectNode ct(String version) {
        Object remCols =
                switch (version) {
                    case "1.2.1" -> list(2, 3);
                    case "1.6.1" ->
                            obj(
                                    CT,
                                    "_RemainderColsList",
                                    "data",
                                    list(2, 3),
                                    "future_dtype",
                                    "str",
                                    "warning_was_emitted",
                                    false,
                                    "warning_enabled",
                                    true);
                    default -> list("c", "d");
                };
        Object remTrans = version.equals("1.2.1") ? "passthrough" : identity("c", "d");
        ObjectNode ct =
                obj(
                        CT,
                        "ColumnTransformer",
                        "transformers",
                        list(),
                        "remainder",
                        "passthrough",
                        "sparse_threshold",
                        0.3,
                        "n_jobs",
                        none(),
                        "transformer_weights",
                        none(),
                        "verbose",
                        false,
                        "verbose_feature_names_out",
                        true,
                        "feature_names_in_",
                        objects("a", "b", "c", "d"),
                        "n_features_in_",
                        4,
                        "_columns",
                        list(list("a"), list("b"), list("a")),
                        "_transformer_to_input_indices",
                        dict(
                                "num",
                                list(0),
                                "gone",
                                list(1),
                                "twice",
                                list(0),
                                "remainder",
                                list(2, 3)),
                        "_remainder",
                        tuple("remainder", "passthrough", remCols),
                        "sparse_output_",
                        false,
                        "transformers_",
                        list(
                                tuple("num", scaler(1, 2), list("a")),
                                tuple("gone", "drop", list("b")),
                                tuple("twice", maxAbs(4), list("a")),
                                tuple("remainder", remTrans, remCols)),
                        "output_indices_",
                        dict(
                                "num",
                                slice(0, 1),
                                "gone",
                                slice(0, 0),
                                "twice",
                                slice(1, 2),
                                "remainder",
                                slice(2, 4)),
                        "_sklearn_version",
                        version);
        return switch (version) {
            case "1.2.1" ->
                    with(
                            ct,
                            "_n_features",
                            4,
                            "_name_to_fitted_passthrough",
                            dict("remainder", identity("c", "d")));
            case "1.6.1" -> with(ct, "force_int_remainder_cols", true);
            default -> ct;
        };
    }

    static Transformer build(ObjectNode node) {
        return new GraphBuilder(SklearnRegistry.standard()).build(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.6.1", "1.9.1"})
    void branchesInOrderWithAColumnUsedTwiceAndTheRemainderLast(String version) {
        ColumnTransformer t = (ColumnTransformer) build(ct(version));
        assertEquals(
                List.of("num__a", "twice__a", "remainder__c", "remainder__d"),
                t.featureNamesOut(List.of("a", "b", "c", "d")));
        assertEquals(List.of("a", "c", "d"), t.requiredColumns());
        // by name: reordered, an extra column, and the dropped column absent
        ColumnBatch out =
                t.transform(
                        batch(
                                "d",
                                new double[] {40, 41},
                                "extra",
                                new double[] {0, 0},
                                "c",
                                new double[] {30, Double.NaN},
                                "a",
                                new double[] {5, 9}),
                        null);
        assertArrayEquals(new double[] {2, 4}, doubles(out, 0));
        assertArrayEquals(new double[] {1.25, 2.25}, doubles(out, 1));
        assertArrayEquals(new double[] {30, Double.NaN}, doubles(out, 2));
        assertArrayEquals(new double[] {40, 41}, doubles(out, 3));
    }

    @Test
    void namesWithoutPrefixMustBeUnique() {
        ObjectNode twice = ct("1.9.1");
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> build(with(twice, "verbose_feature_names_out", false)));
        assertTrue(
                e.getMessage().contains("Output feature names: [a] are not unique"),
                e.getMessage());
        ObjectNode once =
                with(
                        twice,
                        "verbose_feature_names_out",
                        false,
                        "_transformer_to_input_indices",
                        dict(
                                "num",
                                list(0),
                                "gone",
                                list(1),
                                "twice",
                                list(),
                                "remainder",
                                list(2, 3)),
                        "output_indices_",
                        dict(
                                "num",
                                slice(0, 1),
                                "gone",
                                slice(0, 0),
                                "twice",
                                slice(0, 0),
                                "remainder",
                                slice(1, 3)));
        assertEquals(
                List.of("a", "c", "d"), build(once).featureNamesOut(List.of("a", "b", "c", "d")));
        assertEquals(
                List.of("a:num", "a:twice", "c:remainder", "d:remainder"),
                build(with(twice, "verbose_feature_names_out", "{feature_name}:{transformer_name}"))
                        .featureNamesOut(List.of("a", "b", "c", "d")));
        // a format without the branch name may repeat a name: scikit-learn checks only bare names,
        // and the features stay positional
        Transformer repeats = build(with(twice, "verbose_feature_names_out", "{feature_name}"));
        assertEquals(
                List.of("a", "a", "c", "d"), repeats.featureNamesOut(List.of("a", "b", "c", "d")));
        ColumnBatch out =
                repeats.transform(
                        batch(
                                "a",
                                new double[] {5, 9},
                                "c",
                                new double[] {30, 31},
                                "d",
                                new double[] {40, 41}),
                        null);
        assertArrayEquals(new double[] {2, 4}, doubles(out, 0));
        assertArrayEquals(new double[] {1.25, 2.25}, doubles(out, 1));
    }

    @Test
    void transformerWeightsMultiplyTheBranchOutput() {
        Transformer t =
                build(with(ct("1.9.1"), "transformer_weights", dict("num", 3, "remainder", 0.5)));
        ColumnBatch out =
                t.transform(
                        batch(
                                "a",
                                new double[] {5},
                                "c",
                                new double[] {30},
                                "d",
                                new double[] {40}),
                        null);
        assertArrayEquals(new double[] {6}, doubles(out, 0));
        assertArrayEquals(new double[] {1.25}, doubles(out, 1));
        assertArrayEquals(new double[] {15}, doubles(out, 2));
    }

    @Test
    void aSparseOutputHoldsNoNegativeZero() {
        // scipy's csr_matrix stores no zero, -0.0 included: the densified matrix scikit-learn's
        // caller sees has +0.0 there (found by the differential fuzzer, 'sparse-negative-zero')
        Transformer id = FunctionTransformer.identity();
        List<ColumnTransformer.Branch> branches =
                List.of(new ColumnTransformer.Branch(0, "num", new int[] {0}, id, Double.NaN));
        ColumnBatch in = batch("a", new double[] {-0.0, 0.0, -1.5, Double.NaN});
        double[] sparse =
                doubles(
                        new ColumnTransformer(List.of("a"), branches, true, null, true)
                                .transform(in, null),
                        0);
        assertEquals(0L, Double.doubleToRawLongBits(sparse[0]));
        assertArrayEquals(new double[] {0.0, 0.0, -1.5, Double.NaN}, sparse);
        double[] dense =
                doubles(
                        new ColumnTransformer(List.of("a"), branches, true, null, false)
                                .transform(in, null),
                        0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(dense[0]));
    }

    @Test
    void refusesInconsistentFittedAttributes() {
        ObjectNode node = ct("1.9.1");
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node,
                                                "_remainder",
                                                tuple("remainder", "passthrough", list("d")))));
        assertEquals(Reason.ATTRIBUTE_INVALID, e.reason());
        e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node,
                                                "output_indices_",
                                                dict(
                                                        "num",
                                                        slice(0, 2),
                                                        "gone",
                                                        slice(0, 0),
                                                        "twice",
                                                        slice(2, 3),
                                                        "remainder",
                                                        slice(3, 5)))));
        assertTrue(
                e.getMessage()
                        .contains(
                                "output_indices_['num'] is 0:2, but the fitted"
                                        + " transformers give 0:1"),
                e.getMessage());
        e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node,
                                                "transformers_",
                                                list(tuple("num", scaler(1, 2), "a")),
                                                "_transformer_to_input_indices",
                                                dict("num", list(0), "remainder", list()),
                                                "output_indices_",
                                                none())));
        assertTrue(
                e.getMessage().contains("transformers_[0] 'num' selects a scalar column 'a'"),
                e.getMessage());
    }

    /** 'cat' = Pipeline(imputer most_frequent, onehot handle_unknown=error) on column r. */
    static ObjectNode catPipeline(ObjectNode onehot) {
        ObjectNode imputer =
                obj(
                        "sklearn.impute._base",
                        "SimpleImputer",
                        "missing_values",
                        Double.NaN,
                        "add_indicator",
                        false,
                        "keep_empty_features",
                        false,
                        "strategy",
                        "most_frequent",
                        "fill_value",
                        none(),
                        "copy",
                        true,
                        "feature_names_in_",
                        objects("r"),
                        "n_features_in_",
                        1,
                        "_fit_dtype",
                        dtype("object"),
                        "indicator_",
                        none(),
                        "statistics_",
                        objects("n"));
        ObjectNode pipe =
                obj(
                        "sklearn.pipeline",
                        "Pipeline",
                        "steps",
                        list(tuple("imputer", imputer), tuple("onehot", onehot)),
                        "transform_input",
                        none(),
                        "memory",
                        none(),
                        "verbose",
                        false);
        return obj(
                CT,
                "ColumnTransformer",
                "transformers",
                list(),
                "remainder",
                "drop",
                "sparse_threshold",
                0.3,
                "n_jobs",
                none(),
                "transformer_weights",
                none(),
                "verbose",
                false,
                "verbose_feature_names_out",
                true,
                "feature_names_in_",
                objects("x", "r"),
                "n_features_in_",
                2,
                "_columns",
                list(list("x"), list("r")),
                "_transformer_to_input_indices",
                dict("num", list(0), "cat", list(1), "remainder", list()),
                "_remainder",
                tuple("remainder", "drop", list()),
                "sparse_output_",
                false,
                "transformers_",
                list(tuple("num", scaler(0, 1), list("x")), tuple("cat", pipe, list("r"))));
    }

    static ObjectNode onehot() {
        return obj(
                "sklearn.preprocessing._encoders",
                "OneHotEncoder",
                "categories",
                "auto",
                "sparse_output",
                false,
                "dtype",
                float64(),
                "handle_unknown",
                "error",
                "drop",
                none(),
                "min_frequency",
                none(),
                "max_categories",
                none(),
                "_infrequent_enabled",
                false,
                "n_features_in_",
                1,
                "categories_",
                list(objects("n", "s")),
                "drop_idx_",
                none(),
                "_n_features_outs",
                list(2));
    }

    @Test
    void errorsNameTheStepPath() {
        Transformer t = build(catPipeline(onehot()));
        assertEquals(
                List.of("num__x", "cat__r_n", "cat__r_s"), t.featureNamesOut(List.of("x", "r")));
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () ->
                                t.transform(
                                        batch(
                                                "x",
                                                new double[] {1, 2},
                                                "r",
                                                new String[] {null, "S"}),
                                        null));
        assertEquals(
                "transformers_[1] 'cat' > steps[1] 'onehot': column 'r', row 1: unknown"
                        + " category 'S' (OneHotEncoder, handle_unknown='error')",
                e.getMessage());
        assertEquals("r", e.column());

        BundleFormatException bad =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        catPipeline(
                                                with(
                                                        onehot(),
                                                        "drop",
                                                        "first",
                                                        "drop_idx_",
                                                        objects(0.5)))));
        assertTrue(
                bad.getMessage()
                        .startsWith(
                                "transformers_[1] 'cat' > steps[1] 'onehot':"
                                        + " OneHotEncoder.drop_idx_ holds 0.5"),
                bad.getMessage());
        bad =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        catPipeline(
                                                obj(
                                                        "sklearn.preprocessing._data",
                                                        "KernelCenterer"))));
        assertEquals(Reason.UNSUPPORTED_OPTION, bad.reason());
        assertTrue(
                bad.getMessage()
                        .startsWith(
                                "transformers_[1] 'cat' > steps[1] 'onehot':"
                                        + " sklearn.preprocessing._data.KernelCenterer is not supported"),
                bad.getMessage());
        bad =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        catPipeline(
                                                with(
                                                        onehot(),
                                                        "sparse_output",
                                                        false,
                                                        "colour",
                                                        "blue"))));
        assertTrue(
                bad.getMessage()
                        .contains(
                                "OneHotEncoder has attributes tabscore does not"
                                        + " know, [colour]"),
                bad.getMessage());
    }
}
