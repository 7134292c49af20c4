package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.decomposition.TruncatedSVD}, transform only, dense input: {@code
 * X @ components_.T} (no centring, no whitening), names {@code truncatedsvd0, ...}. NaN and
 * infinity are refused (input check). Exactness: BLAS order, contract {@link Projection#bound}.
 */
public final class TruncatedSVD implements Transformer {

    private final Projection projection;

    TruncatedSVD(Projection projection) {
        this.projection = projection;
    }

    Projection projection() {
        return projection;
    }

    static TruncatedSVD fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        double[][] components = Projection.matrix(a, "components_", in.size());
        a.ignore("n_components", "algorithm", "n_iter", "n_oversamples",
                "power_iteration_normalizer", "random_state", "tol", "explained_variance_",
                "explained_variance_ratio_", "singular_values_");
        return new TruncatedSVD(new Projection("TruncatedSVD", components, null, false, null));
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        return projection.apply(in);
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        return projection.names();
    }
}
