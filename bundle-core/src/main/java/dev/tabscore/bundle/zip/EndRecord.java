package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.Reason;

/**
 * The end-of-central-directory record, and the zip64 end record when a locator points at one (torch
 * writes them even for small files): where the central directory lies and how many entries it
 * declares.
 *
 * @param entryCount the number of entries
 * @param offset where the central directory starts
 * @param size the central directory's size in bytes
 */
record EndRecord(long entryCount, long offset, long size) {

    private static final long EOCD_SIG = 0x06054b50L;
    private static final long ZIP64_LOCATOR_SIG = 0x07064b50L;
    private static final long ZIP64_EOCD_SIG = 0x06064b50L;
    private static final int EOCD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_EOCD_SIZE = 56;
    private static final int MAX_COMMENT = 0xffff;

    /** Finds and checks the end records; refuses multi-disk archives and too many entries. */
    static EndRecord locate(ZipBytes bytes, ZipLimits limits) {
        String artifact = bytes.artifact();
        long length = bytes.length();
        if (length < EOCD_SIZE) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    "is " + length + " bytes, too short to be a zip archive (truncated?)");
        }
        long eocd = -1;
        long lowest = Math.max(0, length - EOCD_SIZE - MAX_COMMENT);
        for (long p = length - EOCD_SIZE; p >= lowest; p--) {
            if (bytes.u32(p, "end record") == EOCD_SIG
                    && bytes.u16(p + 20, "end record") == length - p - EOCD_SIZE) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    "has no end-of-central-directory record (truncated, or not a zip archive)");
        }
        long disk = bytes.u16(eocd + 4, "end record");
        long directoryDisk = bytes.u16(eocd + 6, "end record");
        long entriesOnDisk = bytes.u16(eocd + 8, "end record");
        long entryCount = bytes.u16(eocd + 10, "end record");
        long size = bytes.u32(eocd + 12, "end record");
        long offset = bytes.u32(eocd + 16, "end record");
        long directoryLimit = eocd;
        long locator = eocd - ZIP64_LOCATOR_SIZE;
        if (locator >= 0 && bytes.u32(locator, "zip64 locator") == ZIP64_LOCATOR_SIG) {
            long recordDisk = bytes.u32(locator + 4, "zip64 locator");
            long record = bytes.u64(locator + 8, "zip64 locator");
            long disks = bytes.u32(locator + 16, "zip64 locator");
            if (recordDisk != 0 || disks != 1) {
                throw ZipErrors.archive(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        "is a multi-disk archive (" + disks + " disks), which is not supported");
            }
            if (record > locator - ZIP64_EOCD_SIZE
                    || bytes.u32(record, "zip64 end record") != ZIP64_EOCD_SIG) {
                throw ZipErrors.archive(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        "zip64 locator points at offset "
                                + record
                                + ", where there is no zip64 end record");
            }
            disk = bytes.u32(record + 16, "zip64 end record");
            directoryDisk = bytes.u32(record + 20, "zip64 end record");
            entriesOnDisk = bytes.u64(record + 24, "zip64 end record");
            entryCount =
                    agree(
                            artifact,
                            "entry count",
                            entryCount,
                            ZipBytes.SATURATED_16,
                            bytes.u64(record + 32, "zip64 end record"));
            size =
                    agree(
                            artifact,
                            "central directory size",
                            size,
                            ZipBytes.SATURATED_32,
                            bytes.u64(record + 40, "zip64 end record"));
            offset =
                    agree(
                            artifact,
                            "central directory offset",
                            offset,
                            ZipBytes.SATURATED_32,
                            bytes.u64(record + 48, "zip64 end record"));
            directoryLimit = record;
        }
        if (disk != 0 || directoryDisk != 0 || entriesOnDisk != entryCount) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    "is a multi-disk archive, which is not supported");
        }
        if (entryCount > limits.maxEntries()) {
            throw ZipErrors.archive(
                    Reason.LIMIT_EXCEEDED,
                    artifact,
                    "declares "
                            + entryCount
                            + " entries, over the limit of "
                            + limits.maxEntries());
        }
        if (offset > directoryLimit || size > directoryLimit - offset) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    "central directory (offset "
                            + offset
                            + ", "
                            + size
                            + " bytes) runs past its end record at "
                            + eocd);
        }
        if (entryCount * CentralDirectory.CENTRAL_SIZE > size) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    "central directory of "
                            + size
                            + " bytes is too small for "
                            + entryCount
                            + " entries");
        }
        return new EndRecord(entryCount, offset, size);
    }

    /** The 32-bit end record must agree with the zip64 record wherever it is not saturated. */
    private static long agree(
            String artifact, String what, long classic, long saturated, long zip64) {
        if (classic != saturated && classic != zip64) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    what
                            + " differs between "
                            + "the end record ("
                            + classic
                            + ") and the zip64 end record ("
                            + zip64
                            + ")");
        }
        return zip64;
    }
}
