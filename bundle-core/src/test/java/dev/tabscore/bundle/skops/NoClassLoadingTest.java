package dev.tabscore.bundle.skops;

import static dev.tabscore.bundle.skops.SkopsWriter.node;
import static dev.tabscore.bundle.skops.SkopsWriter.object;
import static dev.tabscore.bundle.skops.SkopsWriter.skops;
import static dev.tabscore.bundle.skops.SkopsWriter.type;
import static dev.tabscore.bundle.skops.SkopsWriter.validArrays;
import static dev.tabscore.bundle.skops.SkopsWriter.validSchema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Names in a bundle are only compared with allow-lists, never resolved to Java classes: a file
 * naming a real class on the class path ({@link LoadProbe}, whose static initializer sets a flag)
 * as a skops class, type, function or loader, or as a pickle global, is refused while that class
 * stays unloaded. The readers run in a class loader that records every class they ask for, so a
 * {@code Class.forName} or {@code loadClass} on a name from the file would be seen even if it did
 * not initialize the class.
 */
class NoClassLoadingTest {

    /** Named as a string: a class literal would load the probe into this test's loader. */
    private static final String PROBE = "dev.tabscore.bundle.skops.LoadProbe";

    private static final String PROBE_MODULE = "dev.tabscore.bundle.skops";

    @Test
    void aSkopsFileNamingARealClassIsRefusedWithoutLoadingIt() throws Exception {
        String schema =
                validSchema(
                        2,
                        "a",
                        object(PROBE_MODULE, "LoadProbe"),
                        "b",
                        type(PROBE_MODULE, "LoadProbe"),
                        "c",
                        node("FunctionNode", PROBE_MODULE, "LoadProbe", ""),
                        "d",
                        node(PROBE, PROBE_MODULE, "LoadProbe", "\"content\": {}"),
                        "e",
                        object("java.lang", "Runtime"));
        byte[] file = skops(schema, validArrays());
        try (RecordingLoader loader = RecordingLoader.overMainClasses()) {
            Class<?> registry = loader.loadClass("dev.tabscore.bundle.sklearn.SklearnRegistry");
            Class<?> limits = loader.loadClass("dev.tabscore.bundle.skops.SkopsLimits");
            Class<?> policy = loader.loadClass("dev.tabscore.bundle.skops.TrustPolicy");
            Method read =
                    loader.loadClass("dev.tabscore.bundle.skops.SkopsReader")
                            .getMethod("read", byte[].class, String.class, policy, limits);
            Object trust = registry.getMethod("standard").invoke(null);
            Object defaults = limits.getMethod("defaults").invoke(null);
            String message =
                    refusal(
                            () -> read.invoke(null, file, "probe.skops", trust, defaults),
                            "UNTRUSTED_TYPE");
            assertTrue(message.contains("schema.json names 5 untrusted types"), message);
            loader.assertNeverAskedFor(PROBE, "java.lang.Runtime");
        }
        assertFalse(LoadProbeFlag.INITIALIZED.get(), "the probe class was initialized");
    }

    @Test
    void aPickleNamingARealClassIsRefusedWithoutLoadingIt() throws Exception {
        byte[] pickle =
                ("\u0080\u0002c" + PROBE_MODULE + "\nLoadProbe\n)R.")
                        .getBytes(StandardCharsets.ISO_8859_1);
        byte[] file = torchFile(pickle);
        try (RecordingLoader loader = RecordingLoader.overMainClasses()) {
            Method read =
                    loader.loadClass("dev.tabscore.bundle.torch.StateDictReader")
                            .getMethod("read", byte[].class, String.class);
            String message = refusal(() -> read.invoke(null, file, "probe.pt"), "PICKLE_REFUSED");
            assertTrue(
                    message.contains(
                            "GLOBAL '"
                                    + PROBE_MODULE
                                    + " LoadProbe' is not on the "
                                    + "weights-only allow-list"),
                    message);
            loader.assertNeverAskedFor(PROBE);
        }
        assertFalse(LoadProbeFlag.INITIALIZED.get(), "the probe class was initialized");
    }

    /** Runs a reflective call that must fail with a BundleFormatException of this reason. */
    private static String refusal(ReflectiveCall call, String reason) {
        InvocationTargetException e = assertThrows(InvocationTargetException.class, call::run);
        Throwable cause = e.getCause();
        assertEquals(
                "dev.tabscore.bundle.BundleFormatException",
                cause.getClass().getName(),
                String.valueOf(cause));
        try {
            assertEquals(
                    reason,
                    String.valueOf(cause.getClass().getMethod("reason").invoke(cause)),
                    cause.getMessage());
        } catch (ReflectiveOperationException r) {
            throw new AssertionError(r);
        }
        return cause.getMessage();
    }

    private static byte[] torchFile(byte[] pickle) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface ReflectiveCall {
        Object run() throws Exception;
    }

    /**
     * Defines the main classes of bundle-core itself (child first), so that every class their code
     * resolves through its own loader is asked of this one and recorded.
     */
    private static final class RecordingLoader extends URLClassLoader {

        private static final String OURS = "dev.tabscore.bundle.";

        private final Set<String> asked = ConcurrentHashMap.newKeySet();

        private RecordingLoader(URL mainClasses, ClassLoader parent) {
            super(new URL[] {mainClasses}, parent);
        }

        static RecordingLoader overMainClasses() {
            URL main = SkopsReader.class.getProtectionDomain().getCodeSource().getLocation();
            return new RecordingLoader(main, NoClassLoadingTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            if (!name.startsWith(OURS)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notMain) {
                        return super.loadClass(name, resolve);
                    }
                }
                return c;
            }
        }

        void assertNeverAskedFor(String... names) {
            assertTrue(
                    asked.contains("dev.tabscore.bundle.zip.SafeZip"),
                    "the readers did not run in the recording loader: " + asked);
            for (String name : names) {
                boolean seen =
                        asked.stream().anyMatch(n -> n.equals(name) || n.startsWith(name + "$"));
                assertFalse(seen, "a reader asked for " + name + ": " + List.copyOf(asked));
            }
        }
    }
}
