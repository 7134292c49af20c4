package dev.tabscore.bundle.skops;

/**
 * An array read from a {@code .npy} entry: C order, little-endian, widened to one of three
 * Java primitive arrays, or for a numpy unicode array ({@code <U<n>}) to strings.
 *
 * @param dtype the numpy descr as stored, e.g. {@code <f8}
 * @param shape the shape; empty for a 0-d scalar
 * @param doubles the values for {@code <f8 <f4}, else null
 * @param longs the values for {@code <i8 <i4 |u1}, else null
 * @param booleans the values for {@code |b1}, else null
 * @param strings the values for {@code <U<n>} (trailing NULs stripped, as numpy reads them),
 *     else null
 */
public record NpyArray(String dtype, long[] shape, double[] doubles, long[] longs,
        boolean[] booleans, String[] strings) {

    /**
     * A numeric or bool array.
     *
     * @param dtype the numpy descr as stored, e.g. {@code <f8}
     * @param shape the shape; empty for a 0-d scalar
     * @param doubles the values for {@code <f8 <f4}, else null
     * @param longs the values for {@code <i8 <i4 |u1}, else null
     * @param booleans the values for {@code |b1}, else null
     */
    public NpyArray(String dtype, long[] shape, double[] doubles, long[] longs,
            boolean[] booleans) {
        this(dtype, shape, doubles, longs, booleans, null);
    }

    /**
     * Returns the element count.
     *
     * @return the number of elements
     */
    public int size() {
        if (doubles != null) {
            return doubles.length;
        }
        if (strings != null) {
            return strings.length;
        }
        return longs != null ? longs.length : booleans.length;
    }

    /**
     * Returns the values as doubles (integers and booleans converted exactly as numpy's
     * {@code astype(float64)} would).
     *
     * @return a new or shared double array
     */
    public double[] asDoubles() {
        if (doubles != null) {
            return doubles;
        }
        if (strings != null) {
            throw new IllegalStateException("a " + dtype + " array holds strings");
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs != null ? (double) longs[i] : (booleans[i] ? 1.0 : 0.0);
        }
        return out;
    }
}
