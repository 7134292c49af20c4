package dev.tabscore.bundle.sklearn;

import java.util.List;

/**
 * scikit-learn's {@code sklearn.decomposition.TruncatedSVD}, transform only, dense input: {@code
 * X @ components_.T} (no centring, no whitening), names {@code truncatedsvd0, ...}. NaN and
 * infinity are refused (input check). Exactness: BLAS order, contract {@link Projection#bound}. On
 * a float32 input (after a {@code dtype=np.float32} encoder, {@link NarrowFloatSteps}) {@code
 * components_} is float32 and numpy projects with {@code sgemm}: each dot product summed in double
 * and rounded to float32, within {@code APPROX_REL32} ({@link Projection}).
 */
public final class TruncatedSVD extends ProjectionTransformer {

    TruncatedSVD(Projection projection) {
        super(projection);
    }

    static TruncatedSVD fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double[][] components = Projection.matrix(a, "components_", in.size());
        a.ignore(
                "n_components",
                "algorithm",
                "n_iter",
                "n_oversamples",
                "power_iteration_normalizer",
                "random_state",
                "tol",
                "explained_variance_",
                "explained_variance_ratio_",
                "singular_values_");
        return new TruncatedSVD(
                new Projection("TruncatedSVD", components, null, false, null, a.inputIsFloat32()));
    }
}
