package dev.tabscore.bundle.sklearn;

/**
 * {@code scipy.stats.norm.ppf}, the inverse of the standard normal CDF, computed as scipy computes
 * it: Cephes' {@code ndtri} (S. L. Moshier's rational approximations, the algorithm scipy.special
 * has shipped since its first release), then {@code * scale + loc} with scale 1 and loc 0. Every
 * step is a basic operation or {@code sqrt} (exact in both languages) except two {@code log} calls,
 * here {@link Math#log} (on x86-64 HotSpot it agreed with glibc's log on 6,999 of 7,000 arguments,
 * StrictMath's fdlibm on 6,812); where they agree the result is bit-exact, else within 4 ulps
 * (NormalPpfTest measures it against scipy).
 */
final class NormalPpf {

    private static final double EXP_MINUS_2 = 0.13533528323661269189;
    private static final double SQRT_2PI = 2.50662827463100050242E0;

    /** Central range, |y - 0.5| <= 3/8: numerator and (monic) denominator. */
    private static final double[] P0 = {
        -5.99633501014107895267E1,
        9.80010754185999661536E1,
        -5.66762857469070293439E1,
        1.39312609387279679503E1,
        -1.23916583867381258016E0
    };

    private static final double[] Q0 = {
        1.95448858338141759834E0,
        4.67627912898881538453E0,
        8.63602421390890590575E1,
        -2.25462687854119370527E2,
        2.00260212380060660359E2,
        -8.20372256168333339912E1,
        1.59056225126211695515E1,
        -1.18331621121330003142E0
    };

    /** Tails, z = sqrt(-2 log y) in [2, 8). */
    private static final double[] P1 = {
        4.05544892305962419923E0,
        3.15251094599893866154E1,
        5.71628192246421288162E1,
        4.40805073893200834700E1,
        1.46849561928858024014E1,
        2.18663306850790267539E0,
        -1.40256079171354495875E-1,
        -3.50424626827848203418E-2,
        -8.57456785154685413611E-4
    };

    private static final double[] Q1 = {
        1.57799883256466749731E1,
        4.53907635128879210584E1,
        4.13172038254672030440E1,
        1.50425385692907503408E1,
        2.50464946208309415979E0,
        -1.42182922854787788574E-1,
        -3.80806407691578277194E-2,
        -9.33259480895457427372E-4
    };

    /** Far tails, z in [8, 64). */
    private static final double[] P2 = {
        3.23774891776946035970E0,
        6.91522889068984211695E0,
        3.93881025292474443415E0,
        1.33303460815807542389E0,
        2.01485389549179081538E-1,
        1.23716634817820021358E-2,
        3.01581553508235416007E-4,
        2.65806974686737550832E-6,
        6.23974539184983293730E-9
    };

    private static final double[] Q2 = {
        6.02427039364742014255E0,
        3.67983563856160859403E0,
        1.37702099489081330271E0,
        2.16236993594496635890E-1,
        1.34204006088543189037E-2,
        3.28014464682127739104E-4,
        2.89247864745380683936E-6,
        6.79019408009981274425E-9
    };

    private NormalPpf() {}

    /**
     * Returns {@code scipy.stats.norm.ppf(q)}.
     *
     * @param q a probability
     * @return -inf at 0, +inf at 1, NaN outside [0, 1] or for NaN
     */
    static double ppf(double q) {
        if (!(q >= 0 && q <= 1)) {
            return Double.NaN;
        }
        if (q == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q == 1) {
            return Double.POSITIVE_INFINITY;
        }
        return ndtri(q) * 1.0 + 0.0;
    }

    private static double ndtri(double y0) {
        double y = y0;
        boolean negate = true;
        if (y > 1.0 - EXP_MINUS_2) {
            y = 1.0 - y;
            negate = false;
        }
        if (y > EXP_MINUS_2) {
            y = y - 0.5;
            double y2 = y * y;
            double x = y + y * (y2 * poly(y2, P0) / monic(y2, Q0));
            return x * SQRT_2PI;
        }
        double x = Math.sqrt(-2.0 * Math.log(y));
        double x0 = x - Math.log(x) / x;
        double z = 1.0 / x;
        double x1 = x < 8.0 ? z * poly(z, P1) / monic(z, Q1) : z * poly(z, P2) / monic(z, Q2);
        x = x0 - x1;
        return negate ? -x : x;
    }

    /** Horner's rule, highest coefficient first ({@code polevl}). */
    private static double poly(double x, double[] c) {
        double r = c[0];
        for (int i = 1; i < c.length; i++) {
            r = r * x + c[i];
        }
        return r;
    }

    /** Horner's rule with an implicit leading 1 ({@code p1evl}). */
    private static double monic(double x, double[] c) {
        double r = x + c[0];
        for (int i = 1; i < c.length; i++) {
            r = r * x + c[i];
        }
        return r;
    }
}
