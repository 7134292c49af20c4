package dev.tabscore.job.spark;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * Opens a Parquet writer of Spark internal rows outside a Spark write job, with Spark's own
 * {@code ParquetWriteSupport}: the rejects files are then typed and encoded exactly as Spark
 * writes the same schema (decimals, timestamps, nested values), and read back by Spark as such.
 */
final class RejectsParquet {

    private RejectsParquet() {}

    static ParquetWriter<InternalRow> open(Path path, StructType schema, Configuration base)
            throws IOException {
        Configuration conf = new Configuration(base);
        ParquetWriteSupport.setSchema(schema, conf);
        // The settings Spark's Parquet writer copies from the session (ParquetUtils
        // .prepareWrite), read from the task's view of it.
        SQLConf sql = SQLConf.get();
        for (ConfigEntry<?> e : List.of(SQLConf.PARQUET_WRITE_LEGACY_FORMAT(),
                SQLConf.PARQUET_OUTPUT_TIMESTAMP_TYPE(), SQLConf.PARQUET_FIELD_ID_WRITE_ENABLED(),
                SQLConf.PARQUET_ANNOTATE_VARIANT_LOGICAL_TYPE())) {
            conf.set(e.key(), sql.getConfString(e.key(), e.defaultValueString()));
        }
        return new Builder(HadoopOutputFile.fromPath(path, conf)).withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    private static final class Builder extends ParquetWriter.Builder<InternalRow, Builder> {
        Builder(org.apache.parquet.io.OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<InternalRow> getWriteSupport(Configuration conf) {
            return new ParquetWriteSupport();
        }
    }
}
