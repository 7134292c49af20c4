package dev.tabscore.job;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.OutputLayout;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.quality.ColumnPolicy;
import dev.tabscore.bundle.quality.GateSpec;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.job.spark.InputContract;
import dev.tabscore.job.spark.OutputSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * What the driver decides about the input before scoring: the contract checked, the columns read
 * (contract, id and passthrough only: Parquet and ORC decode nothing else), the fields kept, the
 * output schema and the quality policies. Everything here fails before any task runs.
 *
 * @param input the input, pruned to the columns read
 * @param schema its schema
 * @param contract the contract resolved against it
 * @param keep the id and passthrough fields copied to the output
 * @param idFields the id fields (for rejects and reports)
 * @param rejectFields the fields kept in the rejects
 * @param outSchema the scored rows' schema before the identity columns
 * @param policies the data-quality policy of each input column
 * @param quality the quality model the gates judge
 * @param gates the configured gates
 */
record InputPlan(
        Dataset<Row> input,
        StructType schema,
        InputContract contract,
        List<Integer> keep,
        List<Integer> idFields,
        List<Integer> rejectFields,
        StructType outSchema,
        Map<String, ColumnPolicy> policies,
        QualityModel quality,
        GateSpec gates) {

    /**
     * Plans the input read by {@link InputReader}.
     *
     * @param input the input as read, every column
     * @param config the run's config
     * @param bundle the verified bundle
     * @param literalColumn a backfill's snapshot column, appended after scoring (null: none)
     * @return the plan
     */
    static InputPlan of(Dataset<Row> input, JobConfig config, Bundle bundle, String literalColumn) {
        // A backfill's snapshot column is appended after scoring, like the identity.
        InputContract.check(input.schema(), bundle.manifest());
        input =
                input.select(
                        neededColumns(input.schema(), bundle.manifest(), config, literalColumn)
                                .stream()
                                .map(functions::col)
                                .toArray(Column[]::new));
        StructType schema = input.schema();
        InputContract contract = InputContract.check(schema, bundle.manifest());
        List<Integer> keep = keptFields(schema, config, literalColumn);
        OutputLayout layout = bundle.outputs();
        refuseNameCollisions(layout, config, literalColumn);
        StructType outSchema = OutputSchema.of(schema, keep, layout);
        Map<String, ColumnPolicy> policies = policies(bundle, config);
        QualityModel quality = new QualityModel(bundle, policies);
        GateSpec gates = QualityConfig.gateSpec(config.quality().gates());
        return new InputPlan(
                input,
                schema,
                contract,
                keep,
                idFields(schema, config),
                rejectFields(keep, contract),
                outSchema,
                policies,
                quality,
                gates);
    }

    /** The input columns a run reads: contract, id and passthrough columns, in input order. */
    private static List<String> neededColumns(
            StructType schema, Manifest manifest, JobConfig config, String literalColumn) {
        Set<String> want = new HashSet<>();
        manifest.input().columns().forEach(c -> want.add(c.name()));
        want.addAll(config.input().idColumns());
        want.addAll(config.input().passthroughColumns());
        want.remove(literalColumn);
        List<String> out = new ArrayList<>();
        for (String f : schema.fieldNames()) {
            if (want.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<Integer> keptFields(
            StructType schema, JobConfig config, String literalColumn) {
        List<String> names = new ArrayList<>(config.input().idColumns());
        names.addAll(config.input().passthroughColumns());
        names.remove(literalColumn); // appended after scoring
        List<Integer> keep = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            int idx = List.of(schema.fieldNames()).indexOf(n);
            if (idx < 0) {
                missing.add(n);
            } else if (!keep.contains(idx)) {
                keep.add(idx);
            }
        }
        if (!missing.isEmpty()) {
            throw new BundleException(
                    Reason.INPUT_SCHEMA,
                    "id/passthrough columns "
                            + missing
                            + " are not in the input; input columns are "
                            + List.of(schema.fieldNames()));
        }
        return keep;
    }

    private static List<Integer> idFields(StructType schema, JobConfig config) {
        List<Integer> out = new ArrayList<>();
        for (String n : config.input().idColumns()) {
            int i = List.of(schema.fieldNames()).indexOf(n);
            if (i >= 0) {
                out.add(i);
            }
        }
        return out;
    }

    /** Input fields kept in the rejects: ids, contract and passthrough columns, input order. */
    private static List<Integer> rejectFields(List<Integer> keep, InputContract contract) {
        TreeSet<Integer> fields = new TreeSet<>(keep);
        for (InputContract.Resolved c : contract.columns()) {
            fields.add(c.fieldIndex());
        }
        return List.copyOf(fields);
    }

    /**
     * Refuses, as a config error before any work, an id or passthrough column named like a column
     * the job adds (a prediction, an identity column), in any letter case: Spark would fail late,
     * with a code that looks retryable, or (the identity is appended inside the Parquet write)
     * write files whose columns no case-insensitive reader can tell apart.
     */
    private static void refuseNameCollisions(
            OutputLayout layout, JobConfig config, String literalColumn) {
        List<String> added = new ArrayList<>(layout.numericColumns());
        if (layout.labelColumn() != null) {
            added.add(layout.labelColumn());
        }
        added.addAll(OutputSchema.IDENTITY);
        List<String> kept = new ArrayList<>(config.input().idColumns());
        kept.addAll(config.input().passthroughColumns());
        kept.remove(literalColumn);
        // Compared as Spark resolves names by default (spark.sql.caseSensitive=false): a file
        // holding both Run_ID and run_id would make every later read of it ambiguous.
        java.util.Set<String> addedLower = new java.util.HashSet<>();
        for (String a : added) {
            addedLower.add(a.toLowerCase(java.util.Locale.ROOT));
        }
        List<String> clash =
                kept.stream()
                        .filter(k -> addedLower.contains(k.toLowerCase(java.util.Locale.ROOT)))
                        .distinct()
                        .toList();
        if (!clash.isEmpty()) {
            throw new ConfigException(
                    "id/passthrough columns "
                            + clash
                            + " have the names of "
                            + "columns the job writes "
                            + added
                            + "; rename them in the input or leave "
                            + "them out of input.id_columns / input.passthrough_columns");
        }
        if (literalColumn != null
                && addedLower.contains(literalColumn.toLowerCase(java.util.Locale.ROOT))) {
            throw new ConfigException(
                    "backfill.partition_column '"
                            + literalColumn
                            + "' is the "
                            + "name of a column the job writes "
                            + added);
        }
    }

    private static Map<String, ColumnPolicy> policies(Bundle bundle, JobConfig config) {
        try {
            return QualityModel.resolvePolicies(
                    bundle.manifest(),
                    bundle.preprocessor(),
                    config.quality().defaults(),
                    config.quality().columns());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
