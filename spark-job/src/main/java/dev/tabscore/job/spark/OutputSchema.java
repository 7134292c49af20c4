package dev.tabscore.job.spark;

import dev.tabscore.bundle.OutputLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output row layout: kept input columns (ids, then passthrough) with their input types, the
 * prediction columns of the bundle's task, then the identity columns every row carries. The
 * partition function emits the first two parts ({@link #of}); the Parquet write appends the
 * identity columns to every row ({@link IdentityParquetFormat}), so no task converts the same
 * values on every row and no sort copies them.
 */
public final class OutputSchema {

    /** The identity columns, in order. */
    public static final List<String> IDENTITY =
            List.of(
                    "bundle_name",
                    "bundle_version",
                    "bundle_digest",
                    "run_id",
                    "scored_at",
                    "bundle_signer");

    private OutputSchema() {}

    /**
     * Builds the schema of the rows the partition function emits (identity columns excluded).
     *
     * @param input the input schema
     * @param keep the input field indexes to copy
     * @param layout the prediction columns
     * @return the output schema
     */
    public static StructType of(StructType input, List<Integer> keep, OutputLayout layout) {
        List<StructField> fields = new ArrayList<>();
        for (int i : keep) {
            fields.add(input.fields()[i]);
        }
        for (String c : layout.numericColumns()) {
            fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
        }
        if (layout.labelColumn() != null) {
            fields.add(
                    DataTypes.createStructField(layout.labelColumn(), DataTypes.StringType, false));
        }
        return DataTypes.createStructType(fields);
    }
}
