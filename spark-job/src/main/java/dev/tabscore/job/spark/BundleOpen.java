package dev.tabscore.job.spark;

import dev.tabscore.bundle.model.Device;
import java.util.Arrays;
import java.util.List;

/**
 * One bundle open by a task, as it travels to the driver in the {@code tabscore.bundle_opens}
 * accumulator: the JVM and the device choice, tab-separated in one string, so the accumulator (and
 * the Spark UI showing it) stays a list of strings.
 *
 * @param jvm the JVM's id ({@link ExecutorBundles#jvmId()})
 * @param device how the opening task resolved its device; null for an entry that names only a JVM
 */
public record BundleOpen(String jvm, TaskDevice.Choice device) {

    /**
     * Returns the accumulator entry: {@code jvm TAB device TAB chosen TAB gpus TAB fallback}.
     *
     * @return the entry
     */
    public String encode() {
        return String.join(
                "\t",
                jvm,
                device.device().toString(),
                device.chosen().toString(),
                String.join(",", device.taskGpus()),
                device.fallback() == null ? "" : clean(device.fallback()));
    }

    /**
     * Reads an entry of {@link #encode}; an entry without tabs is a JVM id alone.
     *
     * @param entry the accumulator entry
     * @return the open
     * @throws IllegalArgumentException naming the entry if it has another shape
     */
    public static BundleOpen decode(String entry) {
        String[] f = entry.split("\t", -1);
        if (f.length == 1) {
            return new BundleOpen(entry, null);
        }
        if (f.length != 5) {
            throw new IllegalArgumentException(
                    "bundle_opens entry '"
                            + entry
                            + "' has "
                            + f.length
                            + " tab-separated fields, not 5");
        }
        List<String> gpus = f[3].isEmpty() ? List.of() : Arrays.asList(f[3].split(","));
        return new BundleOpen(
                f[0],
                new TaskDevice.Choice(
                        gpus,
                        Device.parse(f[2]),
                        Device.parse(f[1]),
                        f[4].isEmpty() ? null : f[4]));
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
