package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.ReleaseCases;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.skops.Npy;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The parameter surface of the scalers, imputers, MissingIndicator and FunctionTransformer, as
 * written by real scikit-learn 1.2.2, 1.3.2, 1.4.2, 1.5.2, 1.6.1, 1.7.2, 1.8.0 and 1.9.1
 * (surface/make_surface.py; 99 or 100 cases per release): each case's Java features on fresh rows
 * with NaN, -0.0, infinities, huge and tiny magnitudes and training extremes must equal
 * scikit-learn's bit for bit (inexact ufuncs: within the envelope of their ulp contract), and Java
 * must refuse exactly the rows scikit-learn refuses.
 */
class SurfaceFixtureTest {

    static final Path ROOT = Paths.get("src/test/resources/surface");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyCaseOfEveryRelease() throws IOException {
        return ReleaseCases.each(ROOT, 791, SurfaceFixtureTest::checkCase);
    }

    @Test
    void maxAbsScalerAtDefaultsFrom19IsAccepted() throws IOException {
        Preprocessor p = load(ROOT.resolve("sklearn-1.9.1/maxabs-default"));
        assertEquals(List.of("x", "z", "n"), p.featureNamesOut());
    }

    @Test
    void infinityInAColumnTheImputerDropsIsRefusedNamingIt() throws IOException {
        Path c = ROOT.resolve("sklearn-1.9.1/imp-mean");
        Preprocessor p = load(c);
        ColumnBatch row = sliceRow(frame(c), 13);
        ScoringException e = assertThrows(ScoringException.class, () -> p.transform(row, null));
        assertEquals("e", e.column());
        assertTrue(e.getMessage().contains("infinity"), e.getMessage());
    }

    @Test
    void whatScikitLearnFitsButTabscoreRefusesNamesTheReason() throws IOException {
        dev.tabscore.bundle.BundleFormatException na =
                assertThrows(
                        dev.tabscore.bundle.BundleFormatException.class,
                        () ->
                                Preprocessor.load(
                                        Files.readAllBytes(
                                                ROOT.resolve("refused/imp-mv-pdna.skops")),
                                        "imp-mv-pdna.skops"));
        assertTrue(na.getMessage().contains("missing_values"), na.getMessage());
        assertEquals(dev.tabscore.bundle.Reason.SCHEMA_INVALID, na.reason());
        dev.tabscore.bundle.BundleFormatException kw =
                assertThrows(
                        dev.tabscore.bundle.BundleFormatException.class,
                        () ->
                                Preprocessor.load(
                                        Files.readAllBytes(
                                                ROOT.resolve("refused/ft-kw-args.skops")),
                                        "ft-kw-args.skops"));
        assertEquals(dev.tabscore.bundle.Reason.UNSUPPORTED_OPTION, kw.reason());
        assertTrue(
                kw.getMessage()
                        .contains("FunctionTransformer(kw_args=<dict>) is not" + " supported"),
                kw.getMessage());
    }

    static Preprocessor load(Path c) throws IOException {
        return Preprocessor.load(
                Files.readAllBytes(c.resolve("preprocessor.skops")), "preprocessor.skops");
    }

    static ColumnBatch frame(Path c) throws IOException {
        JsonNode meta = JSON.readTree(c.resolve("case.json").toFile());
        String frame = meta.get("frame").asText().replace("objnone", "obj");
        return ParquetColumns.read(
                Files.readAllBytes(ROOT.resolve("frames/" + frame + ".parquet")),
                frame + ".parquet");
    }

    private static void checkCase(Path c) throws IOException {
        JsonNode meta = JSON.readTree(c.resolve("case.json").toFile());
        Preprocessor p = load(c);
        ColumnBatch all = frame(c);
        int ulps = contractOf(c.getFileName().toString());
        if (meta.get("full_ok").asBoolean()) {
            ColumnBatch got = p.transformColumns(all, null);
            if (meta.has("object_full")) {
                compareObjects(meta.get("object_full"), got, c + " whole frame");
            } else {
                compare(
                        npy(c.resolve("expected.npy")),
                        got,
                        envelope(p, all, ulps),
                        c + " whole frame");
            }
        } else {
            assertThrows(
                    ScoringException.class,
                    () -> p.transformColumns(all, null),
                    c + ": scikit-learn refuses the whole frame");
        }
        JsonNode ok = meta.get("rows_ok");
        NpyArray rows = meta.has("object_rows") ? null : npy(c.resolve("rows.npy"));
        for (int i = 0; i < ok.size(); i++) {
            ColumnBatch row = sliceRow(all, i);
            String where = c.getFileName() + " row " + i;
            if (!ok.get(i).asBoolean()) {
                assertThrows(
                        ScoringException.class,
                        () -> p.transformColumns(row, null),
                        where + ": scikit-learn refuses this row");
                continue;
            }
            ColumnBatch got;
            try {
                got = p.transformColumns(row, null);
            } catch (ScoringException e) {
                throw new AssertionError(
                        where + ": scikit-learn transforms it, Java refused: " + e.getMessage(), e);
            }
            if (rows == null) {
                JsonNode one = JSON.createArrayNode().add(meta.get("object_rows").get(i));
                compareObjects(one, got, where);
            } else {
                int d = (int) rows.shape()[1];
                double[] want = new double[d];
                System.arraycopy(rows.asDoubles(), i * d, want, 0, d);
                compare(
                        new NpyArray("<f8", new long[] {1, d}, want, null, null),
                        got,
                        envelope(p, row, ulps),
                        where);
            }
        }
    }

    /** The contract of the inexact ufunc a case name mentions ({@code ft-log1p-std}), else 0. */
    static int contractOf(String caseName) {
        int k = 0;
        for (String part : caseName.split("-")) {
            Ufunc u = Ufunc.byName(part);
            if (u != null) {
                k = Math.max(k, u.ulps());
            }
        }
        return k;
    }

    private static ColumnBatch[] envelope(Preprocessor p, ColumnBatch in, int ulps) {
        if (ulps == 0) {
            return null;
        }
        return new ColumnBatch[] {
            p.transformColumns(in, new TransformStats().nudgeUfuncResults(ulps)),
            p.transformColumns(in, new TransformStats().nudgeUfuncResults(-ulps))
        };
    }

    private static void compare(NpyArray want, ColumnBatch got, ColumnBatch[] env, String where) {
        int n = (int) want.shape()[0];
        int d = (int) want.shape()[1];
        assertEquals(d, got.columnCount(), where + ": width");
        double[] w = want.asDoubles();
        for (int j = 0; j < d; j++) {
            double[] g = asDoubles(got.column(j));
            for (int i = 0; i < n; i++) {
                double x = w[i * d + j];
                double y = g[i];
                if (Double.doubleToLongBits(x) == Double.doubleToLongBits(y) || x != x && y != y) {
                    continue;
                }
                if (env != null) {
                    double a = asDoubles(env[0].column(j))[i];
                    double b = asDoubles(env[1].column(j))[i];
                    if (Math.min(a, b) <= x && x <= Math.max(a, b)) {
                        continue;
                    }
                    fail(
                            where
                                    + ", feature "
                                    + got.names().get(j)
                                    + " row "
                                    + i
                                    + ": sklearn "
                                    + x
                                    + ", java "
                                    + y
                                    + ", outside the contract envelope ["
                                    + a
                                    + ", "
                                    + b
                                    + "]");
                }
                fail(
                        where
                                + ", feature "
                                + got.names().get(j)
                                + " row "
                                + i
                                + ": sklearn "
                                + x
                                + " ("
                                + Double.toHexString(x)
                                + "), java "
                                + y
                                + " ("
                                + Double.toHexString(y)
                                + ")");
            }
        }
    }

    private static void compareObjects(JsonNode want, ColumnBatch got, String where) {
        for (int i = 0; i < want.size(); i++) {
            JsonNode row = want.get(i);
            assertEquals(row.size(), got.columnCount(), where + ": width");
            for (int j = 0; j < row.size(); j++) {
                JsonNode w = row.get(j);
                Object g = got.column(j).isMissing(i) ? null : got.column(j).valueAt(i);
                String cell = where + ", feature " + got.names().get(j) + " row " + i;
                if (w.isNull()) {
                    assertTrue(g == null || g instanceof Double dd && dd.isNaN(), cell + ": " + g);
                } else if (w.isTextual()) {
                    assertEquals(w.asText(), g, cell);
                } else if (w.isBoolean()) {
                    assertEquals(w.asBoolean() ? 1.0 : 0.0, asDoubles(got.column(j))[i], cell);
                } else {
                    assertEquals(w.asDouble(), asDoubles(got.column(j))[i], cell);
                }
            }
        }
    }

    static double[] asDoubles(Column c) {
        return NumericInput.doubles(c, "feature", "test");
    }

    static NpyArray npy(Path p) throws IOException {
        return Npy.parse(Files.readAllBytes(p), p.getFileName().toString(), SkopsLimits.defaults());
    }

    /**
     * Row {@code i} alone, with the whole frame's dtypes as pandas' {@code df.iloc[[i]]} keeps
     * them: an int64 column with a null anywhere is float64 in pandas.
     */
    static ColumnBatch sliceRow(ColumnBatch all, int i) {
        ColumnBatch.Builder b = ColumnBatch.builder(1);
        for (int j = 0; j < all.columnCount(); j++) {
            Column c = all.column(j);
            Column one;
            if (c instanceof DoubleColumn d) {
                one = new DoubleColumn(new double[] {d.values()[i]});
            } else if (c instanceof LongColumn l) {
                boolean anyNull = false;
                for (int r = 0; r < l.size(); r++) {
                    anyNull |= l.isMissing(r);
                }
                one =
                        anyNull
                                ? new DoubleColumn(
                                        new double[] {
                                            l.isMissing(i) ? Double.NaN : (double) l.values()[i]
                                        })
                                : new LongColumn(new long[] {l.values()[i]}, null);
            } else if (c instanceof BooleanColumn bc) {
                one =
                        new BooleanColumn(
                                new boolean[] {bc.values()[i]},
                                bc.missing() == null ? null : new boolean[] {bc.missing()[i]});
            } else {
                one = new StringColumn(new String[] {((StringColumn) c).values()[i]});
            }
            b.add(all.names().get(j), one);
        }
        return b.build();
    }
}
