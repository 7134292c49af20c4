package dev.tabscore.job.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Spark's own Parquet {@link WriteSupport} with the run's identity columns ({@link IdentityValues})
 * on every row, without their ever being part of the rows Spark projects, sorts and copies before
 * the write: those copies of the constant strings were most of the write's cost
 * (docs/benchmarks.md, "Identity columns").
 *
 * <p>A file's first row is written by Spark's writer for the file's schema (the row joined with the
 * identity row); every later row by Spark's writer for the rows' own columns, the identity fields
 * added by {@link IdentityFieldsConsumer} as Spark wrote them for the first row. Spark does the
 * encoding (its schema conversion, timestamp type and rebase rules, the footer's Spark schema), so
 * a file is the one a literal column would have given; the footer also carries the identity once as
 * key-value metadata ({@link IdentityValues#footer}).
 */
public final class IdentityWriteSupport extends WriteSupport<InternalRow> {

    private final WriteSupport<InternalRow> whole = SparkInternals.sparkParquetWriteSupport();
    private final WriteSupport<InternalRow> own = SparkInternals.sparkParquetWriteSupport();
    private final BinaryOperator<InternalRow> joined = SparkInternals.rowJoiner();
    private InternalRow identity;
    private int ownFields;
    private IdentityFieldsConsumer consumer;

    @Override
    public WriteContext init(Configuration conf) {
        IdentityValues values = IdentityValues.fromConf(conf);
        identity = values.row();
        ownFields = SparkInternals.rowsParquetWriteFields(conf);
        own.init(SparkInternals.rowsParquetWriteConf(conf));
        WriteContext c = whole.init(conf);
        Map<String, String> meta = new HashMap<>(c.getExtraMetaData());
        meta.putAll(values.footer());
        return new WriteContext(c.getSchema(), meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        consumer = new IdentityFieldsConsumer(recordConsumer, ownFields);
        whole.prepareForWrite(consumer);
        own.prepareForWrite(consumer);
    }

    @Override
    public void write(InternalRow row) {
        if (consumer.recorded()) {
            own.write(row);
        } else {
            whole.write(joined.apply(row, identity));
        }
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
        return whole.finalizeWrite();
    }
}
