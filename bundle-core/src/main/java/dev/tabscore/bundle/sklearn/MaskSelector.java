package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;

/**
 * A feature selector of scikit-learn's {@code SelectorMixin}: the subclass computes the fitted
 * support mask exactly as its {@code _get_support_mask} does; transforming and naming then only
 * apply that mask ({@link SupportMask}).
 */
abstract class MaskSelector implements Transformer {

    private final SupportMask support;

    MaskSelector(SupportMask support) {
        this.support = support;
    }

    /**
     * Returns the support mask.
     *
     * @return per input column, whether it is kept
     */
    public final boolean[] support() {
        return support.mask();
    }

    /** {@inheritDoc} */
    @Override
    public final ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        return support.apply(in);
    }

    /** {@inheritDoc} */
    @Override
    public final List<String> featureNamesOut(List<String> in) {
        return support.names(in);
    }
}
