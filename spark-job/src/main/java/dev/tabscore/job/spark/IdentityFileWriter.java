package dev.tabscore.job.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;

/**
 * One Parquet file of scored rows with the run's identity columns, written in two steps. The rows'
 * own columns are written by Spark's own Parquet writer (through parquet-java: its encodings, row
 * groups, statistics and indexes) into a temporary local file; when the file is closed it is copied
 * into place column chunk by column chunk, without decoding ({@link
 * ParquetFileWriter#appendColumnChunk}), each row group given the identity's constant column chunks
 * ({@link ConstantColumnChunk}), and the footer given the whole schema and Spark's metadata for it.
 * The identity's values are those Spark's writer gives parquet-java for them (its timestamp type
 * and rebase rules), taken from writing the first row with the whole schema into nowhere.
 *
 * <p>The result reads as the file Spark writes with literal identity columns
 * (IdentityParquetFormatTest), while the identity costs two pages per column and row group instead
 * of a value per row.
 */
final class IdentityFileWriter extends OutputWriter {

    private final String path;
    private final Configuration conf;
    private final IdentityValues identity;
    private final InternalRow identityRow;
    private final int ownFields;
    private final java.nio.file.Path tempDir;
    private final Path rowsFile;
    private final TaskAttemptContext rowsContext;
    private final RecordWriter<Void, InternalRow> rows;
    private Object[] identityValues;

    IdentityFileWriter(String path, TaskAttemptContext context) {
        this.path = path;
        this.conf = context.getConfiguration();
        this.identity = IdentityValues.fromConf(conf);
        this.identityRow = identity.row();
        this.ownFields = SparkInternals.rowsParquetWriteFields(conf);
        try {
            tempDir =
                    Files.createTempDirectory(SparkInternals.scratchDirectory(), "tabscore-rows-");
            rowsFile = new Path(tempDir.resolve("rows.parquet").toUri());
            rowsContext =
                    new TaskAttemptContextImpl(
                            SparkInternals.rowsParquetWriteConf(conf), context.getTaskAttemptID());
            rows = new RowsFormat(rowsFile).getRecordWriter(rowsContext);
        } catch (IOException e) {
            deleteScratch();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            deleteScratch();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(InternalRow row) {
        if (identityValues == null) {
            identityValues = sparkEncoding(row);
        }
        try {
            rows.write(null, row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What Spark's writer gives parquet-java for each identity field, with this row first. */
    private Object[] sparkEncoding(InternalRow row) {
        WriteSupport<InternalRow> whole = SparkInternals.sparkParquetWriteSupport();
        whole.init(conf);
        IdentityFieldsConsumer recorder = new IdentityFieldsConsumer(NOWHERE, ownFields);
        whole.prepareForWrite(recorder);
        whole.write(SparkInternals.rowJoiner().apply(row, identityRow));
        return recorder.identityValues(identity.fields().size());
    }

    @Override
    public void close() {
        try {
            rows.close(rowsContext);
            assemble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteScratch();
        }
    }

    private void deleteScratch() {
        if (tempDir == null) {
            return; // not created
        }
        try {
            FileSystem.getLocal(conf).delete(new Path(tempDir.toUri()), true);
        } catch (IOException e) {
            // A scratch file left behind; the file itself is written or failed above.
        }
    }

    @Override
    public String path() {
        return path;
    }

    private void assemble() throws IOException {
        WriteSupport.WriteContext whole = SparkInternals.sparkParquetWriteSupport().init(conf);
        MessageType schema = whole.getSchema();
        HadoopInputFile in = HadoopInputFile.fromPath(rowsFile, conf);
        CodecFactory codecs = new CodecFactory(conf, ParquetOutputFormat.getPageSize(conf));
        try (ParquetFileReader reader = ParquetFileReader.open(in);
                SeekableInputStream stream = in.newStream()) {
            ParquetMetadata footer = reader.getFooter();
            ParquetFileWriter w =
                    new ParquetFileWriter(
                            HadoopOutputFile.fromPath(new Path(path), conf),
                            schema,
                            ParquetFileWriter.Mode.CREATE,
                            ParquetOutputFormat.getLongBlockSize(conf),
                            conf.getInt(
                                    ParquetOutputFormat.MAX_PADDING_BYTES,
                                    ParquetWriter.MAX_PADDING_SIZE_DEFAULT),
                            conf.getInt(
                                    ParquetOutputFormat.COLUMN_INDEX_TRUNCATE_LENGTH,
                                    ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH),
                            conf.getInt(
                                    ParquetOutputFormat.STATISTICS_TRUNCATE_LENGTH,
                                    ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH),
                            ParquetOutputFormat.getPageWriteChecksumEnabled(conf));
            List<BlockMetaData> blocks = footer.getBlocks();
            CompressionCodecName codec =
                    blocks.isEmpty()
                            ? ParquetOutputFormat.getCompression(conf)
                            : blocks.get(0).getColumns().get(0).getCodec();
            try {
                copy(reader, stream, footer, w, schema, codec, codecs.getCompressor(codec));
                Map<String, String> meta =
                        new HashMap<>(footer.getFileMetaData().getKeyValueMetaData());
                meta.putAll(whole.getExtraMetaData());
                meta.putAll(identity.footer());
                w.end(meta);
            } catch (IOException | RuntimeException e) {
                w.abort();
                throw e;
            }
        } finally {
            codecs.release();
        }
    }

    /** Every row group: the rows' own chunks copied as they are, then the identity's. */
    private void copy(
            ParquetFileReader reader,
            SeekableInputStream stream,
            ParquetMetadata footer,
            ParquetFileWriter w,
            MessageType schema,
            CompressionCodecName codec,
            BytesInputCompressor compressor)
            throws IOException {
        List<ColumnDescriptor> leaves = schema.getColumns();
        List<ColumnDescriptor> identityLeaves =
                leaves.subList(leaves.size() - identityValues().length, leaves.size());
        w.start();
        for (BlockMetaData block : footer.getBlocks()) {
            w.startBlock(block.getRowCount());
            for (ColumnChunkMetaData c : block.getColumns()) {
                w.appendColumnChunk(
                        schema.getColumnDescription(c.getPath().toArray()),
                        stream,
                        c,
                        reader.readBloomFilter(c),
                        reader.readColumnIndex(c),
                        reader.readOffsetIndex(c));
            }
            for (int i = 0; i < identityLeaves.size(); i++) {
                ColumnDescriptor d = identityLeaves.get(i);
                ConstantColumnChunk.write(
                        w,
                        d,
                        block.getRowCount(),
                        identityValues()[i],
                        codec,
                        compressor,
                        ParquetOutputFormat.getStatisticsEnabled(conf, d.getPath()[0]));
            }
            w.endBlock();
        }
    }

    /** The identity's values; a file without rows never needs them. */
    private Object[] identityValues() {
        return identityValues != null ? identityValues : new Object[identity.fields().size()];
    }

    /** Spark's Parquet writer for the rows' own columns, into the temporary file. */
    private static final class RowsFormat extends ParquetOutputFormat<InternalRow> {
        private final Path file;

        RowsFormat(Path file) {
            super(SparkInternals.sparkParquetWriteSupport());
            this.file = file;
        }

        @Override
        public Path getDefaultWorkFile(TaskAttemptContext context, String extension) {
            return file;
        }
    }

    /** A record consumer that drops everything: the first row's whole write, for its encoding. */
    private static final RecordConsumer NOWHERE =
            new RecordConsumer() {
                @Override
                public void startMessage() {}

                @Override
                public void endMessage() {}

                @Override
                public void startField(String field, int index) {}

                @Override
                public void endField(String field, int index) {}

                @Override
                public void startGroup() {}

                @Override
                public void endGroup() {}

                @Override
                public void addInteger(int value) {}

                @Override
                public void addLong(long value) {}

                @Override
                public void addBoolean(boolean value) {}

                @Override
                public void addBinary(Binary value) {}

                @Override
                public void addFloat(float value) {}

                @Override
                public void addDouble(double value) {}
            };
}
