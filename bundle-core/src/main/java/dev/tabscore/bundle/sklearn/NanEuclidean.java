package dev.tabscore.bundle.sklearn;

/**
 * scikit-learn's {@code nan_euclidean_distances(X, Y)} from one row of X to every row of Y, in its
 * formula's order: missing cells set to 0, {@code d = -2 x.y + |x|^2 + |y|^2} clipped at 0, minus
 * {@code sum x_k^2} over the k missing in y and {@code sum y_k^2} over the k missing in x, clipped
 * at 0 again, NaN where no coordinate is present in both, divided by the count of coordinates
 * present in both, times the number of features, square root.
 *
 * <p>numpy computes the dot products through BLAS ({@code X @ Y.T}) and the norms with {@code
 * einsum}; their order of additions (blocking, FMA, SIMD lanes) is not reproducible, so tabscore
 * sums each left to right and the distances agree within rounding, not bit for bit. What that does
 * to an imputed value is KNNImputer's stated tolerance.
 */
final class NanEuclidean {

    /** The unit roundoff of float64. */
    private static final double U = 0x1p-53;

    private final double[] y;
    private final boolean[] yMissing;
    private final double[] yNorm;
    private final int[] yPresent;
    private final int[] yGrid;
    private final int rows;
    private final int width;

    /**
     * Prepares the fitted rows.
     *
     * @param fitX {@code _fit_X} row-major, {@code rows x width}, missing cells as stored
     * @param fitMissing {@code _mask_fit_X} row-major
     * @param rows the number of fitted rows
     * @param width the number of features
     */
    NanEuclidean(double[] fitX, boolean[] fitMissing, int rows, int width) {
        this.rows = rows;
        this.width = width;
        this.yMissing = fitMissing;
        this.y = new double[fitX.length];
        this.yNorm = new double[rows];
        this.yPresent = new int[rows];
        this.yGrid = new int[rows];
        for (int j = 0; j < rows; j++) {
            double s = 0;
            yGrid[j] = Integer.MAX_VALUE;
            for (int k = 0; k < width; k++) {
                int at = j * width + k;
                double v = fitMissing[at] ? 0.0 : fitX[at];
                y[at] = v;
                s += v * v;
                yPresent[j] += fitMissing[at] ? 0 : 1;
                yGrid[j] = Math.min(yGrid[j], lowestBit(v));
            }
            yNorm[j] = s;
        }
    }

    /**
     * The distances from one row to every fitted row, and how far each squared distance may be from
     * scikit-learn's. Each of its five sums (the dot product over the n coordinates present in both
     * rows, the two norms, the squares missing in the other row) adds its nonzero products in an
     * order BLAS or einsum choose, with or without FMA; in any order a sum of n products is within
     * {@code gamma(n) = n u / (1 - n u)} ({@code u = 2^-53}) of the sum of their absolute values,
     * products of a 0 (a missing cell) being exact zeros that add exactly. Four additions and
     * subtractions, the division by the shared count and the multiplication by the width add at
     * most {@code 6 u} of the sum {@code M} of all absolute terms (every intermediate is below M;
     * clipping at 0 never widens a gap). tabscore's own left-to-right sums are one such order, so
     * the gap between the two values is at most twice that; the bound is that, times {@code 1 +
     * gamma(width + 8)} for the second-order terms and its own rounding. Where nothing rounds in
     * any order ({@link #exact}: small integers and the like) the bound is 0: the division and
     * multiplication that follow are the same correctly rounded operations in numpy, so the
     * distances are equal.
     *
     * @param x the row, any value at a missing position is ignored
     * @param xMissing where the row is missing
     * @param out receives {@code rows} distances (NaN where no coordinate is shared)
     * @param errSq receives per fitted row the bound on its squared distance's rounding
     */
    void distances(double[] x, boolean[] xMissing, double[] out, double[] errSq) {
        double[] x0 = new double[width];
        double xNorm = 0;
        int xPresent = 0;
        int xGrid = Integer.MAX_VALUE;
        for (int k = 0; k < width; k++) {
            x0[k] = xMissing[k] ? 0.0 : x[k];
            xGrid = Math.min(xGrid, lowestBit(x0[k]));
            xNorm += x0[k] * x0[k];
            xPresent += xMissing[k] ? 0 : 1;
        }
        for (int j = 0; j < rows; j++) {
            int base = j * width;
            double dot = 0;
            double absDot = 0;
            double xWhereYMissing = 0;
            double yWhereXMissing = 0;
            int present = 0;
            int onlyX = 0;
            int onlyY = 0;
            for (int k = 0; k < width; k++) {
                double yk = y[base + k];
                dot += x0[k] * yk;
                absDot += Math.abs(x0[k] * yk);
                boolean ym = yMissing[base + k];
                // the products by the 0/1 masks are kept: numpy's dot turns an overflowed
                // square times 0 into NaN
                xWhereYMissing += x0[k] * x0[k] * (ym ? 1.0 : 0.0);
                yWhereXMissing += (xMissing[k] ? 1.0 : 0.0) * (yk * yk);
                present += !ym && !xMissing[k] ? 1 : 0;
                onlyX += ym && !xMissing[k] ? 1 : 0;
                onlyY += !ym && xMissing[k] ? 1 : 0;
            }
            double d = -2.0 * dot;
            d += xNorm;
            d += yNorm[j];
            d = Math.max(d, 0.0);
            d -= xWhereYMissing;
            d -= yWhereXMissing;
            d = d < 0 ? 0.0 : d; // np.clip(d, 0, None), NaN kept
            double terms = 2 * absDot + xNorm + yNorm[j] + xWhereYMissing + yWhereXMissing;
            double err =
                    2
                            * (gamma(present) * 2 * absDot
                                    + gamma(xPresent) * xNorm
                                    + gamma(yPresent[j]) * yNorm[j]
                                    + gamma(onlyX) * xWhereYMissing
                                    + gamma(onlyY) * yWhereXMissing
                                    + 6 * U * terms)
                            * (1 + gamma(width + 8));
            if (present == 0) {
                out[j] = Double.NaN;
                errSq[j] = Double.NaN;
                continue;
            }
            if (exact(Math.min(xGrid, yGrid[j]), terms)) {
                err = 0.0; // no rounding in any order: scikit-learn's value is this one
            }
            errSq[j] = err / present * width;
            d /= present;
            d *= width;
            out[j] = Math.sqrt(d);
        }
    }

    /**
     * Whether every product and every partial sum, in any order, is exact: all values are multiples
     * of {@code 2^grid}, so all products and their sums are multiples of {@code 2^(2 grid)} (above
     * the subnormal spacing), and none exceeds the sum of the absolute terms, below {@code 2^(52 +
     * 2 grid)} (a factor 2 of margin for that sum's own rounding): small integers, values with few
     * binary digits.
     */
    private static boolean exact(int grid, double terms) {
        if (grid == Integer.MAX_VALUE) {
            return true; // all zeros
        }
        return 2L * grid >= -1074
                && 52L + 2L * grid < 1023
                && terms < Math.scalb(1.0, 52 + 2 * grid);
    }

    /** The exponent of a value's lowest set bit ({@code MAX_VALUE} for 0, non-finite: MIN). */
    private static int lowestBit(double v) {
        if (v == 0) {
            return Integer.MAX_VALUE;
        }
        if (!Double.isFinite(v)) {
            return Integer.MIN_VALUE / 4;
        }
        long bits = Double.doubleToRawLongBits(v);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        int exp = (int) ((bits >>> 52) & 0x7FF);
        if (exp == 0) {
            return -1074 + Long.numberOfTrailingZeros(mant); // subnormal
        }
        return exp - 1075 + Long.numberOfTrailingZeros(mant | 0x10000000000000L);
    }

    /** The bound of a sum of n products' rounding in any order, relative to its absolute terms. */
    static double gamma(int n) {
        return n * U / (1 - n * U);
    }

    int rows() {
        return rows;
    }
}
