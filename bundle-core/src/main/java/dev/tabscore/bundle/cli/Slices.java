package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.util.Arrays;

/** Copies a row range of a column (single-machine scoring in batches). */
final class Slices {

    private Slices() {}

    static Column of(Column c, int start, int end) {
        if (c instanceof DoubleColumn d) {
            return new DoubleColumn(Arrays.copyOfRange(d.values(), start, end));
        }
        if (c instanceof LongColumn l) {
            return new LongColumn(
                    Arrays.copyOfRange(l.values(), start, end),
                    l.missing() == null ? null : Arrays.copyOfRange(l.missing(), start, end),
                    l.nullInBatch()); // the file as read decides int64 vs float64
        }
        if (c instanceof BooleanColumn b) {
            return new BooleanColumn(
                    Arrays.copyOfRange(b.values(), start, end),
                    b.missing() == null ? null : Arrays.copyOfRange(b.missing(), start, end),
                    b.nullInBatch());
        }
        return new StringColumn(Arrays.copyOfRange(((StringColumn) c).values(), start, end));
    }
}
