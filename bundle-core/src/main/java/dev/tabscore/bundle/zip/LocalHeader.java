package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks a local file header against its central-directory entry: same name and method, no
 * encryption, the same CRC and sizes unless a data descriptor follows, and data that ends before
 * the central directory.
 */
final class LocalHeader {

    private static final long LOCAL_SIG = 0x04034b50L;
    private static final int LOCAL_SIZE = 30;
    private static final int FLAG_DATA_DESCRIPTOR = 0x0008;

    private LocalHeader() {}

    /** Checks the local header against the central entry; returns where the data starts. */
    static long dataOffset(
            ZipBytes bytes,
            long localOffset,
            long directoryOffset,
            String name,
            byte[] rawName,
            int method,
            int flags,
            long crc,
            long compressedSize,
            long size) {
        String artifact = bytes.artifact();
        if (localOffset > directoryOffset - LOCAL_SIZE
                || bytes.u32(localOffset, "local header") != LOCAL_SIG) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "has no local header at offset " + localOffset + " (out of bounds)");
        }
        int localFlags = bytes.u16(localOffset + 6, "local header");
        int localMethod = bytes.u16(localOffset + 8, "local header");
        long localCrc = bytes.u32(localOffset + 14, "local header");
        long localCompressed = bytes.u32(localOffset + 18, "local header");
        long localSize = bytes.u32(localOffset + 22, "local header");
        int nameLen = bytes.u16(localOffset + 26, "local header");
        int extraLen = bytes.u16(localOffset + 28, "local header");
        if ((localFlags & CentralDirectory.ENCRYPTION_FLAGS) != 0) {
            throw ZipErrors.entry(
                    Reason.ZIP_UNSAFE_ENTRY,
                    artifact,
                    name,
                    String.format(
                            "is encrypted (local flags 0x%04x); encrypted entries are not supported",
                            localFlags));
        }
        if (localMethod != method) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "local header says "
                            + "method "
                            + localMethod
                            + ", central directory says "
                            + method);
        }
        byte[] localName = bytes.slice(localOffset + LOCAL_SIZE, nameLen, "local entry name");
        if (!Arrays.equals(localName, rawName)) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "has a local header "
                            + "named '"
                            + ZipErrors.printable(
                                    new String(localName, StandardCharsets.ISO_8859_1))
                            + "'");
        }
        // With a data descriptor the local sizes are 0 (torch writes them so); the central
        // directory is authoritative either way, and the CRC is checked on the data itself.
        if ((flags & FLAG_DATA_DESCRIPTOR) == 0
                && (localCrc != crc
                        || !sameSize(localCompressed, compressedSize)
                        || !sameSize(localSize, size))) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "local header declares " + "CRC/sizes that differ from the central directory");
        }
        long dataOffset = localOffset + LOCAL_SIZE + nameLen + extraLen;
        if (dataOffset > directoryOffset || compressedSize > directoryOffset - dataOffset) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "data (offset "
                            + dataOffset
                            + ", "
                            + compressedSize
                            + " bytes) runs past the start of the "
                            + "central directory at "
                            + directoryOffset
                            + " (out of bounds)");
        }
        return dataOffset;
    }

    private static boolean sameSize(long local, long central) {
        return local == central || local == ZipBytes.SATURATED_32;
    }
}
