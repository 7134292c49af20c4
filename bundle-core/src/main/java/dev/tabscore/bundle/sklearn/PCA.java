package dev.tabscore.bundle.sklearn;

import java.util.List;

/**
 * scikit-learn's {@code sklearn.decomposition.PCA}, transform only, dense input: up to scikit-learn
 * 1.4 {@code (X - mean_) @ components_.T}, from 1.5 {@code X @ components_.T - mean_ @
 * components_.T} (chosen by {@code _sklearn_version}); with {@code whiten} divided by {@code
 * sqrt(explained_variance_)}, which from 1.5 is first raised to at least eps. Names {@code pca0,
 * pca1, ...}. NaN and infinity are refused (input check). The solver and the number of components
 * only shaped the stored {@code components_}.
 *
 * <p>Exactness: the products go through BLAS in numpy, so this is not bit-exact; contract {@link
 * Projection#bound}.
 *
 * <p>On a float32 input (after a {@code dtype=np.float32} encoder, {@link NarrowFloatSteps}) the
 * fitted arrays are float32 and numpy computes in float32: up to 1.4 {@code X - mean_} rounded to
 * float32, then {@code sgemm}; from 1.5 {@code sgemm} minus the float32 {@code mean_ @ C.T}; the
 * whitening scale {@code sqrt(explained_variance_)} in float32, from 1.5 raised to float32's eps
 * (2^-23, not float64's). Within {@code APPROX_REL32} ({@link Projection}).
 */
public final class PCA extends ProjectionTransformer {

    PCA(Projection projection) {
        super(projection);
    }

    static PCA fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double[][] components = Projection.matrix(a, "components_", in.size());
        double[] mean = Projection.vector(a, "mean_", in.size());
        boolean newer = FittedAttributes.sklearnAtLeast(a, 1, 5);
        boolean float32 = a.inputIsFloat32();
        double[] scale = null;
        if (a.bool("whiten")) {
            double[] ev = Projection.vector(a, "explained_variance_", components.length);
            // finfo(scale.dtype).eps
            double eps = float32 ? 0x1p-23 : Math.ulp(1.0);
            scale = new double[ev.length];
            for (int j = 0; j < ev.length; j++) {
                // sqrt in float32 is the double sqrt rounded once (53 >= 2 * 24 + 2)
                scale[j] = float32 ? NarrowFloatSteps.round(Math.sqrt(ev[j])) : Math.sqrt(ev[j]);
                if (newer && scale[j] < eps) {
                    scale[j] = eps;
                }
            }
        }
        a.ignore(
                "n_components",
                "copy",
                "svd_solver",
                "tol",
                "iterated_power",
                "n_oversamples",
                "power_iteration_normalizer",
                "random_state",
                "_fit_svd_solver",
                "noise_variance_",
                "n_samples_",
                "n_components_",
                "explained_variance_",
                "explained_variance_ratio_",
                "singular_values_",
                "n_features_");
        return new PCA(new Projection("PCA", components, mean, !newer, scale, float32));
    }
}
