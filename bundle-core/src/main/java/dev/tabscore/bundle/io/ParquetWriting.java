package dev.tabscore.bundle.io;

import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes a {@link ColumnBatch} as one flat Parquet file (single-machine scoring): doubles as double
 * (NaN stays NaN), longs as int64, booleans as boolean, strings as UTF-8; missing values as nulls.
 */
public final class ParquetWriting {

    private ParquetWriting() {}

    /**
     * Writes a batch, replacing any file at {@code path}.
     *
     * @param batch the rows
     * @param path where to write (local or any Hadoop file system)
     * @param conf the Hadoop configuration
     * @throws IOException if the file cannot be written
     */
    public static void write(ColumnBatch batch, Path path, Configuration conf) throws IOException {
        Types.MessageTypeBuilder schema = Types.buildMessage();
        for (int c = 0; c < batch.columnCount(); c++) {
            String name = batch.names().get(c);
            Column col = batch.column(c);
            if (col instanceof DoubleColumn) {
                schema.optional(PrimitiveTypeName.DOUBLE).named(name);
            } else if (col instanceof LongColumn) {
                schema.optional(PrimitiveTypeName.INT64).named(name);
            } else if (col instanceof BooleanColumn) {
                schema.optional(PrimitiveTypeName.BOOLEAN).named(name);
            } else {
                schema.optional(PrimitiveTypeName.BINARY)
                        .as(LogicalTypeAnnotation.stringType())
                        .named(name);
            }
        }
        MessageType type = schema.named("tabscore");
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        try (ParquetWriter<Group> w =
                ExampleParquetWriter.builder(HadoopOutputFile.fromPath(path, conf))
                        .withConf(conf)
                        .withType(type)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .build()) {
            for (int r = 0; r < batch.rowCount(); r++) {
                Group g = groups.newGroup();
                for (int c = 0; c < batch.columnCount(); c++) {
                    Column col = batch.column(c);
                    String name = batch.names().get(c);
                    if (col.isMissing(r) && !(col instanceof DoubleColumn)) {
                        continue; // null; a NaN double is written as NaN
                    }
                    if (col instanceof DoubleColumn d) {
                        g.append(name, d.values()[r]);
                    } else if (col instanceof LongColumn l) {
                        g.append(name, l.values()[r]);
                    } else if (col instanceof BooleanColumn b) {
                        g.append(name, b.values()[r]);
                    } else {
                        g.append(name, ((StringColumn) col).values()[r]);
                    }
                }
                w.write(g);
            }
        }
    }
}
