package dev.tabscore.bundle.skops;

/**
 * An array read from a {@code .npy} entry: C order, little-endian, widened to one of three Java
 * primitive arrays, or, for numpy's fixed-width unicode dtype {@code <U n}, strings.
 *
 * @param dtype the numpy descr as stored, e.g. {@code <f8}
 * @param shape the shape; empty for a 0-d scalar
 * @param doubles the values for {@code <f8 <f4}, else null
 * @param longs the values for {@code <i8 <i4 |u1}, else null
 * @param booleans the values for {@code |b1}, else null
 * @param strings the values for {@code <U n} (trailing NULs removed, as numpy does), else null
 * @param fields for a structured dtype (a tree's node records), one plain column per named field in
 *     order, else null
 */
public record NpyArray(
        String dtype,
        long[] shape,
        double[] doubles,
        long[] longs,
        boolean[] booleans,
        String[] strings,
        java.util.Map<String, NpyArray> fields) {

    /**
     * Creates a numeric, boolean or string array.
     *
     * @param dtype the numpy descr
     * @param shape the shape
     * @param doubles the float values, or null
     * @param longs the integer values, or null
     * @param booleans the boolean values, or null
     * @param strings the string values, or null
     */
    public NpyArray(
            String dtype,
            long[] shape,
            double[] doubles,
            long[] longs,
            boolean[] booleans,
            String[] strings) {
        this(dtype, shape, doubles, longs, booleans, strings, null);
    }

    /**
     * Creates a numeric or boolean array.
     *
     * @param dtype the numpy descr
     * @param shape the shape
     * @param doubles the float values, or null
     * @param longs the integer values, or null
     * @param booleans the boolean values, or null
     */
    public NpyArray(
            String dtype, long[] shape, double[] doubles, long[] longs, boolean[] booleans) {
        this(dtype, shape, doubles, longs, booleans, null);
    }

    /**
     * Returns the element count.
     *
     * @return the number of elements
     */
    public int size() {
        if (fields != null) {
            return fields.values().iterator().next().size();
        }
        if (doubles != null) {
            return doubles.length;
        }
        if (strings != null) {
            return strings.length;
        }
        return longs != null ? longs.length : booleans.length;
    }

    /**
     * Returns the values as doubles (integers and booleans converted exactly as numpy's {@code
     * astype(float64)} would).
     *
     * @return a new or shared double array
     * @throws IllegalStateException for a string array
     */
    public double[] asDoubles() {
        if (doubles != null) {
            return doubles;
        }
        if (strings != null || fields != null) {
            throw new IllegalStateException("a " + dtype + " array has no plain numeric values");
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs != null ? (double) longs[i] : (booleans[i] ? 1.0 : 0.0);
        }
        return out;
    }
}
