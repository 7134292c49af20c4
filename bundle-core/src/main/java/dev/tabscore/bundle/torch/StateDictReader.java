package dev.tabscore.bundle.torch;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.torch.PyObjects.PyDict;
import dev.tabscore.bundle.zip.SafeZip;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code torch.save(model.state_dict())} file weights-only, without running Python objects.
 *
 * <pre>{@code
 * Map<String, Tensor> weights = StateDictReader.read(bytes, "model_state.pt");
 * float[] w0 = weights.get("0.weight").toFloats();   // shape [64, 11], row-major
 * }</pre>
 *
 * <p>The file is a zip ({@link SafeZip}: central directory, CRCs checked). The single entry {@code
 * <prefix>/data.pkl} gives the prefix (torch writes the file name without extension, or {@code
 * archive}). The pickle is decoded and interpreted by an allow-list interpreter of our own
 * (protocol 2 and below; globals {@code collections.OrderedDict}, {@code
 * torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and {@code
 * torch.<T>Storage}; anything else is refused with {@link Reason#PICKLE_REFUSED}, naming the global
 * and its byte offset, before any object is built). Each persistent id {@code ('storage', type,
 * key, location, numel)} names zip entry {@code <prefix>/data/<key>}, which must hold exactly
 * {@code numel} elements; views (offset, strides) are resolved into contiguous tensors. {@code
 * <prefix>/byteorder} ({@code little} or {@code big}) is honoured; without it the data is
 * little-endian. Other records ({@code version}, {@code .format_version}, {@code
 * .storage_alignment}, {@code .data/serialization_id}) are ignored. The dtype is kept; see {@link
 * Tensor} for the exact conversions. The OrderedDict's {@code _metadata} is not returned.
 */
public final class StateDictReader {

    private StateDictReader() {}

    /**
     * Reads a state_dict with {@link TorchLimits#defaults()}.
     *
     * @param ptFile the whole {@code .pt} file
     * @param artifact the artifact name for messages, e.g. {@code model_state.pt}
     * @return the tensors by key, in file order (a {@link LinkedHashMap}, unmodifiable)
     * @throws BundleFormatException if the file is malformed, hostile or over a limit
     */
    public static Map<String, Tensor> read(byte[] ptFile, String artifact) {
        return read(ptFile, artifact, TorchLimits.defaults());
    }

    /**
     * Reads a state_dict.
     *
     * @param ptFile the whole {@code .pt} file
     * @param artifact the artifact name for messages
     * @param limits the limits to enforce
     * @return the tensors by key, in file order (unmodifiable)
     * @throws BundleFormatException if the file is malformed, hostile or over a limit
     */
    public static Map<String, Tensor> read(byte[] ptFile, String artifact, TorchLimits limits) {
        SafeZip zip = SafeZip.read(ptFile, artifact, limits.zip());
        String prefix = prefix(zip);
        String pickleEntry = prefix + "/data.pkl";
        if (zip.size(pickleEntry) > limits.maxPickleBytes()) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    artifact
                            + ": entry "
                            + pickleEntry
                            + " holds "
                            + zip.size(pickleEntry)
                            + " bytes; the limit is "
                            + limits.maxPickleBytes());
        }
        boolean bigEndian = bigEndian(zip, prefix);
        Object root =
                WeightsOnlyUnpickler.unpickle(
                        zip.entry(pickleEntry), artifact + " entry " + pickleEntry, limits);
        if (!(root instanceof PyDict dict)) {
            throw refused(
                    artifact,
                    "data.pkl holds a "
                            + PyObjects.typeName(root)
                            + ", not a state_dict (an OrderedDict or dict of tensors)");
        }
        if (dict.items.size() > limits.maxTensors()) {
            throw new BundleFormatException(
                    Reason.LIMIT_EXCEEDED,
                    artifact
                            + ": "
                            + dict.items.size()
                            + " tensors; the limit is "
                            + limits.maxTensors());
        }
        StorageViews views = new StorageViews(zip, prefix, bigEndian, limits);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> entry : dict.items.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw refused(
                        artifact,
                        "a state_dict key is a "
                                + PyObjects.typeName(entry.getKey())
                                + ", not a str");
            }
            if (!(entry.getValue() instanceof TensorRef view)) {
                throw refused(
                        artifact,
                        "state_dict key '"
                                + name
                                + "' holds a "
                                + PyObjects.typeName(entry.getValue())
                                + ", not a tensor");
            }
            tensors.put(name, views.materialize(name, view));
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static String prefix(SafeZip zip) {
        List<String> pickles =
                zip.names().stream()
                        .filter(
                                name ->
                                        name.endsWith("/data.pkl")
                                                && name.indexOf('/') == name.length() - 9)
                        .toList();
        if (pickles.size() != 1) {
            throw refused(
                    zip.artifact(),
                    "expected one <prefix>/data.pkl entry, found "
                            + (pickles.isEmpty() ? "none" : pickles)
                            + "; not a torch.save file");
        }
        String pickle = pickles.get(0);
        return pickle.substring(0, pickle.length() - "/data.pkl".length());
    }

    private static boolean bigEndian(SafeZip zip, String prefix) {
        String entry = prefix + "/byteorder";
        if (!zip.has(entry)) {
            return false;
        }
        if (zip.size(entry) > 16) {
            throw refused(
                    zip.artifact(),
                    "entry "
                            + entry
                            + " holds "
                            + zip.size(entry)
                            + " bytes; expected 'little' or 'big'");
        }
        String order = new String(zip.entry(entry), StandardCharsets.US_ASCII).strip();
        return switch (order) {
            case "little" -> false;
            case "big" -> true;
            default ->
                    throw refused(
                            zip.artifact(),
                            "entry " + entry + " says '" + order + "'; expected 'little' or 'big'");
        };
    }

    private static BundleFormatException refused(String artifact, String what) {
        return new BundleFormatException(Reason.PICKLE_REFUSED, artifact + ": " + what);
    }
}
