package dev.tabscore.bundle.io;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a small, flat Parquet file into a {@link ColumnBatch} without Spark: golden batches and the
 * single-machine {@code tabscore bundle score}. Types map as pandas would see them: double and
 * float to {@link DoubleColumn} (null becomes NaN), int32/int64 to {@link LongColumn} with a
 * missing mask, boolean to {@link BooleanColumn}, UTF-8 strings to {@link StringColumn} (null stays
 * null; NaN, null and "" remain distinct). Nested or other types are refused by name.
 */
public final class ParquetColumns {

    private static final int MAX_ROWS = 50_000_000;

    private ParquetColumns() {}

    /**
     * Reads Parquet bytes.
     *
     * @param data the file content
     * @param artifact the name to use in messages
     * @return the batch
     */
    public static ColumnBatch read(byte[] data, String artifact) {
        return read(new BytesInputFile(data), artifact);
    }

    /**
     * Reads a Parquet file.
     *
     * @param file the file
     * @param artifact the name to use in messages
     * @return the batch
     */
    public static ColumnBatch read(InputFile file, String artifact) {
        return read(file, artifact, name -> true);
    }

    /**
     * Reads some columns of a Parquet file; the others are not decoded (nor type-checked).
     *
     * @param file the file
     * @param artifact the name to use in messages
     * @param wanted which columns to read, by name
     * @return the batch, columns in file order
     */
    public static ColumnBatch read(
            InputFile file, String artifact, java.util.function.Predicate<String> wanted) {
        try (ParquetFileReader reader = ParquetFileReader.open(file)) {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            List<Type> kept = new ArrayList<>();
            for (Type t : fileSchema.getFields()) {
                if (wanted.test(t.getName())) {
                    kept.add(t);
                }
            }
            MessageType schema = new MessageType(fileSchema.getName(), kept);
            reader.setRequestedSchema(schema);
            long total = reader.getRecordCount();
            if (total > MAX_ROWS) {
                throw refused(
                        artifact,
                        "has "
                                + total
                                + " rows; the single-machine reader takes at"
                                + " most "
                                + MAX_ROWS
                                + " (use the Spark job)");
            }
            List<Type> fields = schema.getFields();
            ColumnSink[] sinks = new ColumnSink[fields.size()];
            for (int i = 0; i < sinks.length; i++) {
                sinks[i] = ColumnSink.of(fields.get(i), (int) total, artifact);
            }
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema, fileSchema);
            int row = 0;
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records =
                        io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++, row++) {
                    Group g = records.read();
                    for (int c = 0; c < sinks.length; c++) {
                        sinks[c].accept(g, c, row);
                    }
                }
            }
            ColumnBatch.Builder batch = ColumnBatch.builder(row);
            for (int c = 0; c < sinks.length; c++) {
                batch.add(fields.get(c).getName(), sinks[c].build(row));
            }
            return batch.build();
        } catch (IOException | RuntimeException e) {
            if (e instanceof BundleFormatException bfe) {
                throw bfe;
            }
            throw refused(artifact, "cannot be read as Parquet: " + e.getMessage());
        }
    }

    private static BundleFormatException refused(String artifact, String what) {
        return new BundleFormatException(Reason.ATTRIBUTE_INVALID, artifact + " " + what);
    }

    /** Collects one column's values as rows arrive. */
    private abstract static class ColumnSink {
        final boolean[] missing;

        ColumnSink(int rows) {
            missing = new boolean[rows];
        }

        static ColumnSink of(Type field, int rows, String artifact) {
            if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
                throw refused(
                        artifact,
                        "column '"
                                + field.getName()
                                + "' is nested or repeated ("
                                + field
                                + "); only flat columns are read");
            }
            PrimitiveType p = field.asPrimitiveType();
            LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
            switch (p.getPrimitiveTypeName()) {
                case DOUBLE:
                case FLOAT:
                    return new DoubleSink(rows, p.getPrimitiveTypeName());
                case INT32:
                case INT64:
                    if (logical != null
                            && !(logical
                                    instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation)) {
                        break;
                    }
                    return new LongSink(rows, p.getPrimitiveTypeName());
                case BOOLEAN:
                    return new BooleanSink(rows);
                case BINARY:
                    if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
                        return new StringSink(rows);
                    }
                    break;
                default:
                    break;
            }
            throw refused(
                    artifact,
                    "column '"
                            + field.getName()
                            + "' has type "
                            + field
                            + "; supported: double, float, int32, int64, boolean, string");
        }

        void accept(Group g, int field, int row) {
            if (g.getFieldRepetitionCount(field) == 0) {
                missing[row] = true;
            } else {
                take(g, field, row);
            }
        }

        abstract void take(Group g, int field, int row);

        abstract Column build(int rows);

        boolean[] maskOrNull(int rows) {
            for (int i = 0; i < rows; i++) {
                if (missing[i]) {
                    return Arrays.copyOf(missing, rows);
                }
            }
            return null;
        }
    }

    private static final class DoubleSink extends ColumnSink {
        private final double[] values;
        private final boolean isFloat;

        DoubleSink(int rows, PrimitiveType.PrimitiveTypeName type) {
            super(rows);
            values = new double[rows];
            isFloat = type == PrimitiveType.PrimitiveTypeName.FLOAT;
        }

        @Override
        void take(Group g, int field, int row) {
            values[row] = isFloat ? g.getFloat(field, 0) : g.getDouble(field, 0);
        }

        @Override
        Column build(int rows) {
            double[] out = Arrays.copyOf(values, rows);
            for (int i = 0; i < rows; i++) {
                if (missing[i]) {
                    out[i] = Double.NaN;
                }
            }
            return new DoubleColumn(out);
        }
    }

    private static final class LongSink extends ColumnSink {
        private final long[] values;
        private final boolean isInt;

        LongSink(int rows, PrimitiveType.PrimitiveTypeName type) {
            super(rows);
            values = new long[rows];
            isInt = type == PrimitiveType.PrimitiveTypeName.INT32;
        }

        @Override
        void take(Group g, int field, int row) {
            values[row] = isInt ? g.getInteger(field, 0) : g.getLong(field, 0);
        }

        @Override
        Column build(int rows) {
            return new LongColumn(Arrays.copyOf(values, rows), maskOrNull(rows));
        }
    }

    private static final class BooleanSink extends ColumnSink {
        private final boolean[] values;

        BooleanSink(int rows) {
            super(rows);
            values = new boolean[rows];
        }

        @Override
        void take(Group g, int field, int row) {
            values[row] = g.getBoolean(field, 0);
        }

        @Override
        Column build(int rows) {
            return new BooleanColumn(Arrays.copyOf(values, rows), maskOrNull(rows));
        }
    }

    private static final class StringSink extends ColumnSink {
        private final List<String> values;

        StringSink(int rows) {
            super(rows);
            values = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                values.add(null);
            }
        }

        @Override
        void take(Group g, int field, int row) {
            values.set(row, g.getString(field, 0));
        }

        @Override
        Column build(int rows) {
            return new StringColumn(values.subList(0, rows).toArray(new String[0]));
        }
    }
}
