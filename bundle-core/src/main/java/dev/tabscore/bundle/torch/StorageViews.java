package dev.tabscore.bundle.torch;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.zip.SafeZip;
import dev.tabscore.bundle.zip.ZipLimits;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns {@link TensorRef} views into contiguous little-endian {@link Tensor}s. Every size is
 * checked before memory is allocated: the storage entry must hold exactly {@code numel * itemsize}
 * bytes, the view must stay inside its storage, and the tensor must fit the limits.
 */
final class StorageViews {

    private final SafeZip zip;
    private final String prefix;
    private final boolean bigEndian;
    private final TorchLimits limits;
    private final Map<String, byte[]> storageBytes = new HashMap<>();
    private long totalBytes;

    StorageViews(SafeZip zip, String prefix, boolean bigEndian, TorchLimits limits) {
        this.zip = zip;
        this.prefix = prefix;
        this.bigEndian = bigEndian;
        this.limits = limits;
    }

    /** Resolves one view into a tensor named {@code name}. */
    Tensor materialize(String name, TensorRef view) {
        StorageRef storage = view.storage();
        DType dtype = storage.dtype();
        int item = dtype.itemSize();
        long numel = elementCount(name, view.shape());
        long bytes = numel * item;
        if (numel > limits.maxTensorElements() || bytes > ZipLimits.MAX_ARRAY_BYTES) {
            throw limit(
                    "tensor '"
                            + name
                            + "' has "
                            + numel
                            + " elements; the limit is "
                            + limits.maxTensorElements());
        }
        totalBytes += bytes;
        if (totalBytes > limits.maxTotalTensorBytes()) {
            throw limit(
                    "the tensors up to '"
                            + name
                            + "' hold "
                            + totalBytes
                            + " bytes; the limit is "
                            + limits.maxTotalTensorBytes());
        }
        byte[] source = storage(name, storage);
        if (numel > 0) {
            long last = lastIndex(name, view);
            if (last >= storage.numel()) {
                throw refused(
                        "tensor '"
                                + name
                                + "' (offset "
                                + view.offset()
                                + ", size "
                                + Arrays.toString(view.shape())
                                + ", stride "
                                + Arrays.toString(view.stride())
                                + ") reaches element "
                                + last
                                + " of storage '"
                                + storage.key()
                                + "', which holds "
                                + storage.numel());
            }
        }
        byte[] out = new byte[(int) bytes];
        copyView(source, view, item, out);
        return Tensor.ofBytes(name, dtype, view.shape(), out);
    }

    private long elementCount(String name, long[] shape) {
        try {
            long numel = 1;
            for (long dim : shape) {
                numel = Math.multiplyExact(numel, dim);
            }
            Math.multiplyExact(numel, 8L);
            return numel;
        } catch (ArithmeticException e) {
            throw refused(
                    "tensor '"
                            + name
                            + "' has size "
                            + Arrays.toString(shape)
                            + ", whose element count overflows");
        }
    }

    private long lastIndex(String name, TensorRef view) {
        try {
            long last = view.offset();
            for (int d = 0; d < view.shape().length; d++) {
                last =
                        Math.addExact(
                                last, Math.multiplyExact(view.shape()[d] - 1, view.stride()[d]));
            }
            return last;
        } catch (ArithmeticException e) {
            throw refused("tensor '" + name + "': offset and strides overflow");
        }
    }

    /** Reads a storage entry once, after checking its size against the declared count. */
    private byte[] storage(String name, StorageRef storage) {
        byte[] cached = storageBytes.get(storage.key());
        if (cached != null) {
            return cached;
        }
        String entry = prefix + "/data/" + storage.key();
        if (!zip.has(entry)) {
            throw refused(
                    "storage '"
                            + storage.key()
                            + "' of tensor '"
                            + name
                            + "' has no zip entry "
                            + entry);
        }
        long expected;
        try {
            expected = Math.multiplyExact(storage.numel(), (long) storage.dtype().itemSize());
        } catch (ArithmeticException e) {
            expected = Long.MAX_VALUE;
        }
        long present = zip.size(entry);
        if (present != expected) {
            throw refused(
                    "storage '"
                            + storage.key()
                            + "' declares "
                            + storage.numel()
                            + " "
                            + storage.dtype()
                            + " elements ("
                            + expected
                            + " bytes) but zip entry "
                            + entry
                            + " holds "
                            + present
                            + " bytes");
        }
        byte[] bytes = zip.entry(entry);
        storageBytes.put(storage.key(), bytes);
        return bytes;
    }

    private void copyView(byte[] source, TensorRef view, int item, byte[] out) {
        long[] shape = view.shape();
        long[] stride = view.stride();
        int count = out.length / item;
        if (count == 0) {
            return;
        }
        if (isRowMajor(shape, stride)) {
            System.arraycopy(source, (int) (view.offset() * item), out, 0, out.length);
        } else {
            long[] index = new long[shape.length];
            long position = view.offset();
            for (int i = 0; i < count; i++) {
                System.arraycopy(source, (int) (position * item), out, i * item, item);
                for (int d = shape.length - 1; d >= 0; d--) {
                    index[d]++;
                    position += stride[d];
                    if (index[d] < shape[d]) {
                        break;
                    }
                    position -= index[d] * stride[d];
                    index[d] = 0;
                }
            }
        }
        if (bigEndian) {
            for (int i = 0; i < out.length; i += item) {
                reverse(out, i, item);
            }
        }
    }

    private static boolean isRowMajor(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    private static void reverse(byte[] data, int from, int length) {
        for (int i = 0, j = length - 1; i < j; i++, j--) {
            byte t = data[from + i];
            data[from + i] = data[from + j];
            data[from + j] = t;
        }
    }

    private BundleFormatException refused(String what) {
        return new BundleFormatException(Reason.PICKLE_REFUSED, zip.artifact() + ": " + what);
    }

    private BundleFormatException limit(String what) {
        return new BundleFormatException(Reason.LIMIT_EXCEEDED, zip.artifact() + ": " + what);
    }
}
