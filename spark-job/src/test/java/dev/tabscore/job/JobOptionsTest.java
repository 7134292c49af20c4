package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flags over the YAML config through picocli's default values ({@link YamlDefaults}): no Spark,
 * only the command line and the merged config.
 */
class JobOptionsTest {

    @TempDir Path tmp;

    private Path yaml(String text) throws IOException {
        Path f = tmp.resolve("job.yaml");
        Files.writeString(f, text);
        return f;
    }

    private static JobConfig merged(Path config, String... flags) {
        ScoringJob job = new ScoringJob();
        List<String> args = new java.util.ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(flags));
        ScoringJob.commandLine(job).parseArgs(args.toArray(new String[0]));
        return job.merged();
    }

    @Test
    void theFileFillsWhatNoFlagGives() throws IOException {
        Path f =
                yaml(
                        """
                bundle: {uri: b1, trust: {keys: [k1.pem, k2.pem], require_signature: true}}
                input: {uris: [in1, in2], format: CSV, id_columns: [id]}
                output: {uri: o1, mode: overwrite, summary_stdout: line}
                scoring: {batch_size: 77, device: "gpu:1", model: onnx, threads_per_task: 3}
                run_id: r1
                spark: {master: "local[3]", app_name: nightly}
                quality: {on_gate_failure: publish_and_flag}
                """);
        JobConfig c = merged(f);
        assertEquals("b1", c.bundle().uri());
        assertEquals(List.of("k1.pem", "k2.pem"), c.bundle().trust().keys());
        assertEquals(true, c.bundle().trust().requireSignature());
        assertEquals(List.of("in1", "in2"), c.input().uris());
        assertEquals("csv", c.input().format());
        assertEquals(List.of("id"), c.input().idColumns());
        assertNull(c.input().passthroughColumns());
        assertEquals("overwrite", c.output().mode());
        assertEquals("line", c.output().summaryStdout());
        assertEquals(new JobConfig.ScoringSection(77, "gpu:1", "onnx", 3), c.scoring());
        assertEquals("r1", c.runId());
        assertEquals("local[3]", c.spark().master());
        assertEquals("nightly", c.spark().appName());
        assertEquals("publish_and_flag", c.quality().onGateFailure());
        assertNull(BackfillConfig.complete(c.backfill()), "no backfill without its keys");
    }

    @Test
    void aFlagGivenReplacesTheFilesValueAndList() throws IOException {
        Path f =
                yaml(
                        """
                bundle: {uri: b1}
                input: {uris: [in1, in2], id_columns: [id]}
                output: {uri: o1, mode: overwrite}
                scoring: {batch_size: 77}
                backfill: {force: true, fail_fast: true}
                """);
        JobConfig c =
                merged(
                        f,
                        "--bundle",
                        "b2",
                        "--input",
                        "in3",
                        "--mode",
                        "error_if_exists",
                        "--batch-size",
                        "5",
                        "--force=false",
                        "--fail-fast",
                        "--id-col",
                        "a",
                        "--id-col",
                        "b");
        assertEquals("b2", c.bundle().uri());
        assertEquals(List.of("in3"), c.input().uris());
        assertEquals(List.of("a", "b"), c.input().idColumns());
        assertEquals("error_if_exists", c.output().mode());
        assertEquals(5, c.scoring().batchSize());
        assertEquals(false, c.backfill().force(), "--force=false turns off the file's true");
        assertEquals(true, c.backfill().failFast(), "a bare flag over the file's true is true");
    }

    @Test
    void mapFlagsAddToTheFilesEntries() throws IOException {
        Path f =
                yaml(
                        """
                input: {options: {header: "true", sep: ";"}}
                spark: {conf: {spark.a: "1", spark.b: "2"}}
                quality:
                  columns: {age: {on_null: reject}}
                  gates: {max_reject_rate: 0.01, max_psi: 0.25}
                """);
        JobConfig c =
                merged(
                        f,
                        "--input-option",
                        "sep=,",
                        "--conf",
                        "spark.b=3",
                        "--policy",
                        "region.on_unknown=fail",
                        "--gate",
                        "max_psi=0.2");
        assertEquals(Map.of("header", "true", "sep", ","), c.input().options());
        assertEquals(Map.of("spark.a", "1", "spark.b", "3"), c.spark().conf());
        assertEquals("reject", c.quality().columns().get("age").onNull());
        assertEquals("fail", c.quality().columns().get("region").onUnknown());
        assertEquals(0.01, c.quality().gates().maxRejectRate());
        assertEquals(0.2, c.quality().gates().maxPsi().asDouble());
    }

    @Test
    void aYamlValueIsTakenLiterally() throws IOException {
        Path f = yaml("input: {uris: [\"s3a://lake/${env}/x\"]}\nrun_id: \"a${b}\"\n");
        JobConfig c = merged(f);
        assertEquals(List.of("s3a://lake/${env}/x"), c.input().uris());
        assertEquals("a${b}", c.runId());
    }

    @Test
    void anUnknownYamlKeyIsRefusedByName() throws IOException {
        Path f = yaml("output: {uri: o1, partition: [a]}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> merged(f));
        assertTrue(e.getMessage().contains("unknown key 'partition'"), e.getMessage());
        assertTrue(e.getMessage().contains("partition_by"), "lists the known keys");
        assertEquals(ExitCodes.BAD_CONFIG, ScoringJob.run("--config", f.toString()));
    }

    @Test
    void aYamlValueOutsideItsFlagsValuesIsRefusedByKey() throws IOException {
        Path f = yaml("output: {uri: o1, mode: replace}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> merged(f));
        assertTrue(
                e.getMessage()
                        .contains(
                                "output.mode (--mode) must be one of "
                                        + "[error_if_exists, overwrite, overwrite_partitions], got 'replace'"),
                e.getMessage());
        Path g = yaml("scoring: {device: \"tpu:0\"}\n");
        e = assertThrows(ConfigException.class, () -> merged(g));
        assertTrue(e.getMessage().contains("scoring.device (--device)"), e.getMessage());
        assertEquals(ExitCodes.BAD_CONFIG, ScoringJob.run("--config", g.toString()));
    }

    @Test
    void aFlagOutsideItsEnumIsABadCommandLine() throws IOException {
        Path f = yaml("bundle: {uri: b1}\n");
        assertEquals(
                ExitCodes.BAD_CONFIG, ScoringJob.run("--config", f.toString(), "--format", "json"));
        assertEquals(
                ExitCodes.BAD_CONFIG,
                ScoringJob.run("--config", f.toString(), "--on-gate-failure", "ignore"));
    }
}
