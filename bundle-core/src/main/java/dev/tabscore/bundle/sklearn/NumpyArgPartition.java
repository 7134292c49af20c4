package dev.tabscore.bundle.sklearn;

/**
 * numpy's scalar {@code np.argpartition} for float64 with one kth ({@code introselect_} in {@code
 * npysort/selection.cpp}): which indices end up first, and in which order, decides KNNImputer's
 * donors among equal distances and the order it sums them in. NaN sorts last, as numpy's {@code
 * Tag::less} puts it.
 *
 * <p>numpy 1.x always runs this code; numpy 2.x runs it where the CPU lacks AVX2, and otherwise
 * x86-simd-sort's {@code argselect}, which chooses differently among exactly equal values (a
 * measured fact: docs/sklearn-coverage/KNNImputer.md).
 */
final class NumpyArgPartition {

    private NumpyArgPartition() {}

    /** numpy's {@code Tag::less} for doubles: NaN is larger than everything else. */
    private static boolean less(double a, double b) {
        return a < b || b != b && a == a;
    }

    /**
     * Partitions {@code idx} (initially 0..n-1) so that its first {@code kth + 1} entries are the
     * indices of the {@code kth + 1} smallest values, as numpy orders them.
     *
     * @param v the values, not modified
     * @param kth the position that must hold its order statistic
     * @return the permuted indices
     */
    static int[] argpartition(double[] v, int kth) {
        int num = v.length;
        int[] idx = new int[num];
        for (int i = 0; i < num; i++) {
            idx[i] = i;
        }
        if (num > 0) {
            introselect(v, idx, 0, num, kth);
        }
        return idx;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** {@code introselect_<arg=true>} on {@code idx[off .. off + num)}, without a pivot stack. */
    private static void introselect(double[] v, int[] idx, int off, int num, int kth) {
        int low = 0;
        int high = num - 1;
        if (kth - low < 3) {
            dumbSelect(v, idx, off + low, high - low + 1, kth - low);
            return;
        } else if (kth == num - 1) {
            // the last maximum goes to the end (numpy's fast path for partition(x, -1))
            int maxidx = low;
            double maxval = v[idx[off + low]];
            for (int k = low + 1; k < num; k++) {
                if (!less(v[idx[off + k]], maxval)) {
                    maxidx = k;
                    maxval = v[idx[off + k]];
                }
            }
            swap(idx, off + kth, off + maxidx);
            return;
        }
        int depthLimit = msb(num) * 2;
        while (low + 1 < high) {
            int ll = low + 1;
            int hh = high;
            if (depthLimit > 0 || hh - ll < 5) {
                int mid = low + (high - low) / 2;
                median3Swap(v, idx, off, low, mid, high);
            } else {
                int mid = ll + medianOfMedian5(v, idx, off + ll, hh - ll);
                swap(idx, off + mid, off + low);
                ll--;
                hh++;
            }
            depthLimit--;
            double pivot = v[idx[off + low]];
            // unguarded partition
            for (; ; ) {
                do {
                    ll++;
                } while (less(v[idx[off + ll]], pivot));
                do {
                    hh--;
                } while (less(pivot, v[idx[off + hh]]));
                if (hh < ll) {
                    break;
                }
                swap(idx, off + ll, off + hh);
            }
            swap(idx, off + low, off + hh);
            if (hh >= kth) {
                high = hh - 1;
            }
            if (hh <= kth) {
                low = ll;
            }
        }
        if (high == low + 1 && less(v[idx[off + high]], v[idx[off + low]])) {
            swap(idx, off + high, off + low);
        }
    }

    private static int msb(int n) {
        int depth = 0;
        while ((n >>>= 1) != 0) {
            depth++;
        }
        return depth;
    }

    private static void median3Swap(double[] v, int[] idx, int off, int low, int mid, int high) {
        if (less(v[idx[off + high]], v[idx[off + mid]])) {
            swap(idx, off + high, off + mid);
        }
        if (less(v[idx[off + high]], v[idx[off + low]])) {
            swap(idx, off + high, off + low);
        }
        if (less(v[idx[off + low]], v[idx[off + mid]])) {
            swap(idx, off + low, off + mid);
        }
        swap(idx, off + mid, off + low + 1);
    }

    private static int median5(double[] v, int[] idx, int off) {
        if (less(v[idx[off + 1]], v[idx[off]])) {
            swap(idx, off + 1, off);
        }
        if (less(v[idx[off + 4]], v[idx[off + 3]])) {
            swap(idx, off + 4, off + 3);
        }
        if (less(v[idx[off + 3]], v[idx[off]])) {
            swap(idx, off + 3, off);
        }
        if (less(v[idx[off + 4]], v[idx[off + 1]])) {
            swap(idx, off + 4, off + 1);
        }
        if (less(v[idx[off + 2]], v[idx[off + 1]])) {
            swap(idx, off + 2, off + 1);
        }
        if (less(v[idx[off + 3]], v[idx[off + 2]])) {
            return less(v[idx[off + 3]], v[idx[off + 1]]) ? 1 : 3;
        }
        return 2;
    }

    private static int medianOfMedian5(double[] v, int[] idx, int off, int num) {
        int nmed = num / 5;
        for (int i = 0, subleft = 0; i < nmed; i++, subleft += 5) {
            int m = median5(v, idx, off + subleft);
            swap(idx, off + subleft + m, off + i);
        }
        if (nmed > 2) {
            introselect(v, idx, off, nmed, nmed / 2);
        }
        return nmed / 2;
    }

    private static void dumbSelect(double[] v, int[] idx, int off, int num, int kth) {
        for (int i = 0; i <= kth; i++) {
            int minidx = i;
            double minval = v[idx[off + i]];
            for (int k = i + 1; k < num; k++) {
                if (less(v[idx[off + k]], minval)) {
                    minidx = k;
                    minval = v[idx[off + k]];
                }
            }
            swap(idx, off + i, off + minidx);
        }
    }
}
