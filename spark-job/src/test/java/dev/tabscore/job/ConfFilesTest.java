package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.quality.GateSpec;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped configs load and pass validation, quality section included. */
class ConfFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"local.yaml", "nightly.yaml"})
    void shippedConfigsAreValid(String name) {
        JobConfig c =
                JobConfigLoader.complete(
                        JobConfigLoader.read(JobTesting.repoRoot().resolve("conf").resolve(name)));
        assertEquals("fail_before_commit", c.quality().onGateFailure());
        GateSpec gates = QualityConfig.gateSpec(c.quality().gates());
        assertTrue(gates.maxRejectRate() != null, "a reject-rate gate");
        assertTrue(c.output().rejectsUri().endsWith("/_tabscore_rejects"), c.output().toString());
        assertTrue(
                c.output().reportUri().endsWith("/_tabscore_report.html"), c.output().toString());
        assertEquals(
                Path.of(c.output().summaryUri()).getParent(),
                Path.of(c.output().reportUri()).getParent());
    }
}
