package dev.tabscore.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-JVM bundle cache: one entry per digest, device, model choice and threads, so that a
 * {@code --model state_dict} run never gets a TorchScript bundle cached by an earlier run of the
 * same digest (no bundle code runs), and at most {@link ExecutorBundles#MAX_BUNDLES} stay open.
 */
class ExecutorBundlesTest {

    private static final Path BUNDLE = Path.of("..", "sample-data", "bundle").toAbsolutePath();

    private static Bundle open(String model, int threads) {
        return Bundle.open(
                BUNDLE.toString(),
                BundleOptions.defaults().withDevice("cpu").withModel(model).withThreads(threads));
    }

    @Test
    void everythingThatChangesWhatRunsIsInTheKeyAndTheCacheIsBounded() {
        Bundle torchscript = open("torchscript", 1);
        assertTrue(ExecutorBundles.seed(torchscript, "torchscript", 1));
        assertFalse(
                ExecutorBundles.seed(open("torchscript", 1), "torchscript", 1),
                "the same key is opened once per JVM");

        Bundle stateDict = open("state_dict", 1);
        assertEquals("model_state.pt", stateDict.modelArtifact());
        assertTrue(
                ExecutorBundles.seed(stateDict, "state_dict", 1),
                "a state_dict run does not reuse the cached TorchScript bundle");
        List<String> keys = ExecutorBundles.openKeys();
        assertTrue(keys.stream().anyMatch(k -> k.contains("/model=state_dict/")), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.contains("/model=torchscript/")), keys.toString());

        for (int threads = 2; threads <= 4; threads++) {
            assertTrue(
                    ExecutorBundles.seed(open("state_dict", threads), "state_dict", threads),
                    "threads are part of the key");
        }
        keys = ExecutorBundles.openKeys();
        assertEquals(ExecutorBundles.MAX_BUNDLES, keys.size(), keys.toString());
        assertFalse(
                keys.stream().anyMatch(k -> k.contains("/model=torchscript/threads=1")),
                "the least recently used bundle was evicted (and closed): " + keys);
    }
}
