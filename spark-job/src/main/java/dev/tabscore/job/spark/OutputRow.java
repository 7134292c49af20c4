package dev.tabscore.job.spark;

import dev.tabscore.bundle.OutputLayout;
import dev.tabscore.bundle.ScoredBatch;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The one mutable output row of a task (kept input values, then predictions), refilled for each row
 * the writer pulls: primitives are set in place (no boxing, no array per row), strings and other
 * values by reference. Spark's operators downstream copy a row before they ask for the next one
 * (the projection that appends the identity columns writes an UnsafeRow), which is the contract of
 * every row iterator in Spark. Not thread-safe: one per task.
 */
final class OutputRow {

    private enum Kind {
        LONG,
        INT,
        SHORT,
        BYTE,
        DOUBLE,
        FLOAT,
        BOOLEAN,
        OTHER
    }

    /** Spark's SpecificInternalRow: setLong etc. write primitives in place. */
    private final InternalRow row;

    private final int[] keep;
    private final Kind[] kinds;
    private final DataType[] types;
    private final int width;
    private final boolean label;
    private final Map<String, UTF8String> labels = new HashMap<>();

    OutputRow(StructType input, int[] keep, OutputLayout layout) {
        this.keep = keep.clone();
        this.kinds = new Kind[keep.length];
        this.types = new DataType[keep.length];
        this.width = layout.width();
        this.label = layout.labelColumn() != null;
        this.row =
                SparkInternals.mutableRow(
                        OutputSchema.of(
                                input, java.util.Arrays.stream(keep).boxed().toList(), layout));
        for (int k = 0; k < keep.length; k++) {
            types[k] = input.fields()[keep[k]].dataType();
            kinds[k] = kind(types[k]);
        }
    }

    private static Kind kind(DataType t) {
        if (t instanceof LongType || t instanceof TimestampType || t instanceof TimestampNTZType) {
            return Kind.LONG;
        }
        if (t instanceof IntegerType || t instanceof DateType) {
            return Kind.INT;
        }
        if (t instanceof ShortType) {
            return Kind.SHORT;
        }
        if (t instanceof ByteType) {
            return Kind.BYTE;
        }
        if (t instanceof DoubleType) {
            return Kind.DOUBLE;
        }
        if (t instanceof FloatType) {
            return Kind.FLOAT;
        }
        return t instanceof BooleanType ? Kind.BOOLEAN : Kind.OTHER;
    }

    /**
     * Fills the row.
     *
     * @param in the input row
     * @param scored the batch's predictions
     * @param i the prediction row
     * @return the (reused) output row
     */
    InternalRow fill(InternalRow in, ScoredBatch scored, int i) {
        for (int k = 0; k < keep.length; k++) {
            int f = keep[k];
            if (in.isNullAt(f)) {
                row.setNullAt(k);
                continue;
            }
            switch (kinds[k]) {
                case LONG -> row.setLong(k, in.getLong(f));
                case INT -> row.setInt(k, in.getInt(f));
                case SHORT -> row.setShort(k, in.getShort(f));
                case BYTE -> row.setByte(k, in.getByte(f));
                case DOUBLE -> row.setDouble(k, in.getDouble(f));
                case FLOAT -> row.setFloat(k, in.getFloat(f));
                case BOOLEAN -> row.setBoolean(k, in.getBoolean(f));
                default ->
                        row.update(
                                k,
                                types[k] instanceof StringType
                                        ? in.getUTF8String(f)
                                        : in.get(f, types[k]));
            }
        }
        int c = keep.length;
        for (int j = 0; j < width; j++) {
            row.setDouble(c++, scored.value(i, j));
        }
        if (label) {
            row.update(c, labels.computeIfAbsent(scored.labels()[i], UTF8String::fromString));
        }
        return row;
    }
}
