package dev.tabscore.job.spark;

import java.io.IOException;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.plain.FixedLenByteArrayPlainValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridValuesWriter;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Writes the column chunk of a column that holds one value on every row of a row group, as
 * parquet-java's own column writer writes it in the v1 data pages Spark writes: a one-entry PLAIN
 * dictionary page and a data page of dictionary ids (bit width 0: every id is 0); for an optional
 * column that is null on every row, a data page of definition levels alone.
 *
 * <p>Hand-written because parquet-java writes a column only value by value through its record
 * consumer, about 80 ns a value: for the identity's six columns that was a quarter of a scoring
 * task's time (docs/benchmarks.md, "Identity columns written as pages"), while a constant's chunk
 * is two pages whatever the number of rows. The pages are built with parquet-java's own encoders
 * and written through its {@link ParquetFileWriter}, which writes the page headers, the column and
 * offset indexes and the footer's chunk metadata.
 */
final class ConstantColumnChunk {

    private static final ByteBufferAllocator HEAP = new HeapByteBufferAllocator();

    private ConstantColumnChunk() {}

    /**
     * Writes one column chunk.
     *
     * @param w the file writer, inside a row group ({@code startBlock})
     * @param column the column
     * @param rows the row group's rows
     * @param value the value on every row, as Spark's writer gave it to parquet-java (a {@link
     *     Binary}, a Long or an Integer), or null for a column null on every row
     * @param codec the file's compression codec
     * @param compressor its compressor
     * @param statistics whether the column keeps min/max statistics
     */
    static void write(
            ParquetFileWriter w,
            ColumnDescriptor column,
            long rows,
            Object value,
            CompressionCodecName codec,
            BytesInputCompressor compressor,
            boolean statistics)
            throws IOException {
        // parquet-java counts a page's values in an int, and so does a row group's writer.
        int n = Math.toIntExact(rows);
        PrimitiveType type = column.getPrimitiveType();
        Statistics<?> stats =
                statistics ? Statistics.createStats(type) : Statistics.noopStats(type);
        w.startColumn(column, rows, codec);
        if (value == null) {
            if (column.getMaxDefinitionLevel() != 1 || column.getMaxRepetitionLevel() != 0) {
                throw new IllegalStateException(
                        "column " + column + " is null on every row but not an optional field");
            }
            RunLengthBitPackingHybridValuesWriter levels =
                    new RunLengthBitPackingHybridValuesWriter(1, 64, 64, HEAP);
            for (int i = 0; i < n; i++) {
                levels.writeInteger(0);
            }
            stats.incrementNumNulls(rows);
            BytesInput page = BytesInput.copy(levels.getBytes());
            levels.close();
            dataPage(w, n, page, stats, compressor, Encoding.RLE, Encoding.PLAIN);
        } else {
            if (column.getMaxDefinitionLevel() != 0 || column.getMaxRepetitionLevel() != 0) {
                throw new IllegalStateException(
                        "column " + column + " has a value on every row but is not required");
            }
            // PLAIN: a BINARY value after its length, a fixed-length one (INT96) without.
            ValuesWriter dictionary =
                    switch (type.getPrimitiveTypeName()) {
                        case INT96 -> new FixedLenByteArrayPlainValuesWriter(12, 64, 64, HEAP);
                        case FIXED_LEN_BYTE_ARRAY ->
                                new FixedLenByteArrayPlainValuesWriter(
                                        type.getTypeLength(), 64, 64, HEAP);
                        default -> new PlainValuesWriter(64, 64, HEAP);
                    };
            switch (type.getPrimitiveTypeName()) {
                case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> {
                    dictionary.writeBytes((Binary) value);
                    stats.updateStats((Binary) value);
                }
                case INT64 -> {
                    dictionary.writeLong((Long) value);
                    stats.updateStats((long) (Long) value);
                }
                case INT32 -> {
                    dictionary.writeInteger((Integer) value);
                    stats.updateStats((int) (Integer) value);
                }
                default ->
                        throw new IllegalStateException(
                                "no constant column chunk for " + type + " (" + column + ")");
            }
            BytesInput plain = BytesInput.copy(dictionary.getBytes());
            dictionary.close();
            w.writeDictionaryPage(
                    new DictionaryPage(
                            BytesInput.copy(compressor.compress(plain)),
                            Math.toIntExact(plain.size()),
                            1,
                            Encoding.PLAIN_DICTIONARY));
            // One dictionary entry: ids of bit width 0, the byte that says so, then the run.
            RunLengthBitPackingHybridEncoder ids =
                    new RunLengthBitPackingHybridEncoder(0, 64, 64, HEAP);
            for (int i = 0; i < n; i++) {
                ids.writeInt(0);
            }
            BytesInput page =
                    BytesInput.copy(
                            BytesInput.concat(BytesInput.from(new byte[] {0}), ids.toBytes()));
            ids.close();
            dataPage(w, n, page, stats, compressor, Encoding.BIT_PACKED, Encoding.PLAIN_DICTIONARY);
        }
        w.endColumn();
    }

    /** One v1 data page of {@code n} rows (no repetition levels: top-level fields). */
    private static void dataPage(
            ParquetFileWriter w,
            int n,
            BytesInput page,
            Statistics<?> stats,
            BytesInputCompressor compressor,
            Encoding definitionLevels,
            Encoding values)
            throws IOException {
        w.writeDataPage(
                n,
                Math.toIntExact(page.size()),
                compressor.compress(page),
                stats,
                n,
                Encoding.BIT_PACKED,
                definitionLevels,
                values);
    }
}
