package dev.tabscore.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device rule, every case, without Spark or the engine; and the accumulator entry. */
class TaskDeviceTest {

    private static final List<String> NONE = List.of();

    private static void assertChoice(
            TaskDevice.Choice c, String chosen, String device, boolean fellBack) {
        assertEquals(chosen, c.chosen().toString(), c.toString());
        assertEquals(device, c.device().toString(), c.toString());
        assertEquals(fellBack, c.fallback() != null, c.toString());
    }

    @Test
    void cpuIsTheCpuWhateverTheTaskHolds() {
        assertChoice(TaskDevice.decide(Device.CPU, NONE, 0), "cpu", "cpu", false);
        assertChoice(TaskDevice.decide(Device.CPU, NONE, 2), "cpu", "cpu", false);
        assertChoice(TaskDevice.decide(Device.CPU, List.of("1"), 2), "cpu", "cpu", false);
        // Not even an address that is no index matters.
        assertChoice(TaskDevice.decide(Device.CPU, List.of("GPU-3f2a"), 2), "cpu", "cpu", false);
    }

    @Test
    void autoWithoutTaskGpusIsTheEnginesView() {
        assertChoice(TaskDevice.decide(Device.AUTO, NONE, 0), "cpu", "cpu", false);
        assertChoice(TaskDevice.decide(Device.AUTO, NONE, 1), "gpu:0", "gpu:0", false);
        assertChoice(TaskDevice.decide(Device.AUTO, NONE, 4), "gpu:0", "gpu:0", false);
    }

    @Test
    void autoTakesTheTasksFirstGpuAddress() {
        assertChoice(TaskDevice.decide(Device.AUTO, List.of("1"), 2), "gpu:1", "gpu:1", false);
        assertChoice(TaskDevice.decide(Device.AUTO, List.of("0"), 2), "gpu:0", "gpu:0", false);
        TaskDevice.Choice two = TaskDevice.decide(Device.AUTO, List.of("3", "2"), 4);
        assertChoice(two, "gpu:3", "gpu:3", false);
        assertEquals(List.of("3", "2"), two.taskGpus());
        assertChoice(TaskDevice.decide(Device.AUTO, List.of(" 2 "), 4), "gpu:2", "gpu:2", false);
    }

    @Test
    void autoWithTaskGpusFallsBackToTheCpuWithoutCuda() {
        TaskDevice.Choice c = TaskDevice.decide(Device.AUTO, List.of("1", "0"), 0);
        assertChoice(c, "gpu:1", "cpu", true);
        assertEquals(
                "device gpu:1 (auto, from the task's Spark GPU [1, 0]) was chosen but the "
                        + "PyTorch engine sees no CUDA GPU (a jar with the CPU natives, built without "
                        + "-Pcuda, or no CUDA device on this host)",
                c.fallback());
    }

    @Test
    void aTaskGpuPastTheEnginesCountFallsBackNamingBoth() {
        TaskDevice.Choice c = TaskDevice.decide(Device.AUTO, List.of("3"), 1);
        assertChoice(c, "gpu:3", "cpu", true);
        assertTrue(c.fallback().contains("sees only 1 GPU(s)"), c.fallback());
        assertTrue(c.fallback().contains("CUDA_VISIBLE_DEVICES"), c.fallback());
    }

    @Test
    void explicitGpuIsThatGpuWhateverTheTaskHolds() {
        assertChoice(TaskDevice.decide(Device.gpu(1), NONE, 2), "gpu:1", "gpu:1", false);
        assertChoice(TaskDevice.decide(Device.gpu(0), List.of("1"), 2), "gpu:0", "gpu:0", false);
    }

    @Test
    void explicitGpuFallsBackToTheCpuWhenTheEngineLacksIt() {
        TaskDevice.Choice none = TaskDevice.decide(Device.gpu(0), NONE, 0);
        assertChoice(none, "gpu:0", "cpu", true);
        assertTrue(
                none.fallback()
                        .startsWith(
                                "device gpu:0 (configured) was chosen but the "
                                        + "PyTorch engine sees no CUDA GPU"),
                none.fallback());
        assertChoice(TaskDevice.decide(Device.gpu(2), NONE, 2), "gpu:2", "cpu", true);
    }

    @Test
    void aTaskGpuAddressThatIsNoIndexIsRefusedByName() {
        for (int engineGpus : new int[] {0, 2}) {
            BundleException e =
                    assertThrows(
                            BundleException.class,
                            () ->
                                    TaskDevice.decide(
                                            Device.AUTO, List.of("GPU-3f2a", "1"), engineGpus));
            assertEquals(Reason.SCORING_FAILED, e.reason());
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "the task's Spark GPU address 'GPU-3f2a' (of "
                                            + "[GPU-3f2a, 1]) is not a CUDA device index"),
                    e.getMessage());
        }
        assertThrows(BundleException.class, () -> TaskDevice.decide(Device.AUTO, List.of("-1"), 2));
    }

    @Test
    void outsideATaskThereAreNoTaskGpus() {
        assertEquals(NONE, TaskDevice.taskGpus());
        assertChoice(TaskDevice.forCurrentTask("cpu", 1), "cpu", "cpu", false);
    }

    @Test
    void bundleOpenEntriesRoundTrip() {
        TaskDevice.Choice fell = TaskDevice.decide(Device.AUTO, List.of("1", "0"), 0);
        BundleOpen open = new BundleOpen("executor-3/pid-9@host", fell);
        String entry = open.encode();
        assertEquals("executor-3/pid-9@host\tcpu\tgpu:1\t1,0\t" + fell.fallback(), entry);
        assertEquals(open, BundleOpen.decode(entry));
        BundleOpen plain =
                new BundleOpen("executor-1/pid-2@h", TaskDevice.decide(Device.CPU, NONE, 0));
        assertEquals(plain, BundleOpen.decode(plain.encode()));
        assertNull(plain.device().fallback());
        // An entry that is a JVM id alone (the format before devices were reported).
        assertEquals(
                new BundleOpen("executor-1/pid-2@h", null),
                BundleOpen.decode("executor-1/pid-2@h"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BundleOpen.decode("a\tb"));
        assertEquals("bundle_opens entry 'a\tb' has 2 tab-separated fields, not 5", e.getMessage());
    }
}
