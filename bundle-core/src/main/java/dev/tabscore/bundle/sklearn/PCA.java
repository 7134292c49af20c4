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
 */
public final class PCA extends ProjectionTransformer {

    PCA(Projection projection) {
        super(projection);
    }

    static PCA fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double[][] components = Projection.matrix(a, "components_", in.size());
        double[] mean = Batches.copyOfWidth(a.doubles("mean_"), in.size(), "mean_");
        boolean newer = FittedAttributes.sklearnAtLeast(a, 1, 5);
        double[] scale = null;
        if (a.bool("whiten")) {
            double[] ev =
                    Batches.copyOfWidth(
                            a.doubles("explained_variance_"),
                            components.length,
                            "explained_variance_");
            scale = new double[ev.length];
            for (int j = 0; j < ev.length; j++) {
                scale[j] = Math.sqrt(ev[j]);
                if (newer && scale[j] < Math.ulp(1.0)) {
                    scale[j] = Math.ulp(1.0);
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
        return new PCA(new Projection("PCA", components, mean, !newer, scale));
    }
}
