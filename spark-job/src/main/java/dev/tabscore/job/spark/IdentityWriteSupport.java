package dev.tabscore.job.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Spark's own Parquet {@link WriteSupport}, fed each scored row joined with the run's identity row
 * ({@link IdentityValues}), so that the identity columns are written on every row without ever
 * being part of the rows Spark projects, sorts and copies before the write: those copies of the
 * constant strings were most of the write's cost (docs/benchmarks.md, "Identity columns").
 *
 * <p>Spark's writer does the encoding (its schema conversion, timestamp type and rebase rules, the
 * footer's Spark schema), so a file is the one a literal column would have given; the footer also
 * carries the identity once as key-value metadata ({@link IdentityValues#footer}).
 */
public final class IdentityWriteSupport extends WriteSupport<InternalRow> {

    private final WriteSupport<InternalRow> spark = SparkInternals.sparkParquetWriteSupport();
    private final BinaryOperator<InternalRow> joined = SparkInternals.rowJoiner();
    private InternalRow identity;

    @Override
    public WriteContext init(Configuration conf) {
        IdentityValues values = IdentityValues.fromConf(conf);
        identity = values.row();
        WriteContext c = spark.init(conf);
        Map<String, String> meta = new HashMap<>(c.getExtraMetaData());
        meta.putAll(values.footer());
        return new WriteContext(c.getSchema(), meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        spark.prepareForWrite(recordConsumer);
    }

    @Override
    public void write(InternalRow row) {
        spark.write(joined.apply(row, identity));
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
        return spark.finalizeWrite();
    }
}
