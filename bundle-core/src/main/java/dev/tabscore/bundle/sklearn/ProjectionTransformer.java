package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;

/**
 * A linear projection of scikit-learn's decompositions (PCA, TruncatedSVD): the subclass reads its
 * fitted attributes into a {@link Projection}, which transforms and names.
 */
abstract class ProjectionTransformer implements Transformer {

    private final Projection projection;

    ProjectionTransformer(Projection projection) {
        this.projection = projection;
    }

    final Projection projection() {
        return projection;
    }

    /** {@inheritDoc} */
    @Override
    public final ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        return projection.apply(in);
    }

    /** {@inheritDoc} */
    @Override
    public final List<String> featureNamesOut(List<String> in) {
        return projection.names();
    }
}
