package dev.tabscore.job.spark;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.manifest.Manifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks an input schema against the manifest's raw input contract on the driver, before any task
 * runs, and decides how each column is read into a column batch.
 *
 * <p>Allowed coercions, and only these (each is the conversion pandas and scikit-learn apply to the
 * same Parquet values):
 *
 * <ul>
 *   <li>float64 column: double as is; long, int, short, byte widened to double; decimal to the
 *       nearest double (scikit-learn converts pandas' Decimal objects with float()); string parsed
 *       value by value as Python's float(str) does (scikit-learn's check_array on an object
 *       column), a value that does not parse being an invalid cell.
 *   <li>int64 column: long, int, short, byte as integers; double as is (pandas turns an integer
 *       column with missing values into float64, and the encoders compare numerically); decimal and
 *       string as for float64.
 *   <li>string column: string only.
 *   <li>bool column: boolean only.
 * </ul>
 *
 * Float, timestamp, date, binary and nested types are refused: float32 would round, and
 * scikit-learn raises on timestamps, dates and sequences (the dirty-data corpus records what it
 * does). Extra input columns are ignored.
 */
public final class InputContract implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How one contract column is read from a Spark row. */
    public enum Read {
        /** A double column. */
        DOUBLE,
        /** An integer column widened to double. */
        INTEGER_AS_DOUBLE,
        /** An integer column kept as int64. */
        LONG,
        /** A string column. */
        STRING,
        /** A boolean column. */
        BOOLEAN,
        /** A decimal column, to the nearest double. */
        DECIMAL_AS_DOUBLE,
        /** A string column parsed as Python's float(str). */
        PARSE_DOUBLE
    }

    /**
     * One contract column, resolved against the input schema.
     *
     * @param name the column name
     * @param fieldIndex its index in the input rows
     * @param read how to read it
     * @param sparkType the input's Spark type, for messages
     */
    public record Resolved(String name, int fieldIndex, Read read, String sparkType)
            implements Serializable {}

    private final List<Resolved> columns;

    private InputContract(List<Resolved> columns) {
        this.columns = columns;
    }

    /**
     * Checks {@code schema} against the manifest.
     *
     * @param schema the input schema
     * @param manifest the bundle manifest
     * @return how to read each contract column
     * @throws BundleException with {@link Reason#INPUT_SCHEMA} naming every missing column and
     *     every column of a type the contract does not allow
     */
    public static InputContract check(StructType schema, Manifest manifest) {
        List<String> missing = new ArrayList<>();
        List<String> badType = new ArrayList<>();
        List<Resolved> resolved = new ArrayList<>();
        for (Manifest.InputColumn c : manifest.input().columns()) {
            int idx = indexOf(schema, c.name());
            if (idx < 0) {
                missing.add(c.name());
                continue;
            }
            StructField f = schema.fields()[idx];
            Read read = readFor(c.dtype(), f.dataType());
            if (read == null) {
                badType.add(
                        "'"
                                + c.name()
                                + "' is "
                                + f.dataType().simpleString()
                                + " but the bundle expects "
                                + c.dtype()
                                + " (allowed: "
                                + allowed(c.dtype())
                                + ")");
                continue;
            }
            resolved.add(new Resolved(c.name(), idx, read, f.dataType().simpleString()));
        }
        if (!missing.isEmpty() || !badType.isEmpty()) {
            StringBuilder msg =
                    new StringBuilder("input does not meet the contract of bundle '")
                            .append(manifest.name())
                            .append("':");
            if (!missing.isEmpty()) {
                msg.append(" missing columns ").append(missing).append(';');
            }
            for (String b : badType) {
                msg.append(' ').append(b).append(';');
            }
            msg.append(" input columns are ").append(List.of(schema.fieldNames()));
            throw new BundleException(Reason.INPUT_SCHEMA, msg.toString());
        }
        return new InputContract(List.copyOf(resolved));
    }

    /**
     * Returns the resolved columns in contract order.
     *
     * @return the columns
     */
    public List<Resolved> columns() {
        return columns;
    }

    private static int indexOf(StructType schema, String name) {
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isInteger(DataType t) {
        return t instanceof LongType
                || t instanceof IntegerType
                || t instanceof ShortType
                || t instanceof ByteType;
    }

    static Read readFor(String dtype, DataType t) {
        switch (dtype) {
            case "float64":
                if (t instanceof DoubleType) {
                    return Read.DOUBLE;
                }
                return isInteger(t) ? Read.INTEGER_AS_DOUBLE : textOrDecimal(t);
            case "int64":
                if (isInteger(t)) {
                    return Read.LONG;
                }
                return t instanceof DoubleType ? Read.DOUBLE : textOrDecimal(t);
            case "string":
                return t instanceof StringType ? Read.STRING : null;
            case "bool":
                return t instanceof BooleanType ? Read.BOOLEAN : null;
            default:
                return null;
        }
    }

    private static Read textOrDecimal(DataType t) {
        if (t instanceof DecimalType) {
            return Read.DECIMAL_AS_DOUBLE;
        }
        return t instanceof StringType ? Read.PARSE_DOUBLE : null;
    }

    private static String allowed(String dtype) {
        return switch (dtype) {
            case "float64" -> "double, bigint, int, smallint, tinyint, decimal, string of numbers";
            case "int64" -> "bigint, int, smallint, tinyint, double, decimal, string of numbers";
            case "string" -> "string";
            case "bool" -> "boolean";
            default -> "nothing: unknown contract dtype '" + dtype + "'";
        };
    }
}
