package dev.tabscore.bundle.zip;

/**
 * One checked entry: what the central directory declares, and where its data starts.
 *
 * @param name the entry name, already checked by {@link EntryNames}
 * @param method 0 (STORED) or 8 (DEFLATED)
 * @param flags the general-purpose flags
 * @param crc the declared CRC-32
 * @param compressedSize the bytes stored in the archive
 * @param size the uncompressed bytes
 * @param localHeaderOffset where the local header starts
 * @param dataOffset where the (possibly compressed) data starts
 */
record ZipEntryRecord(
        String name,
        int method,
        int flags,
        long crc,
        long compressedSize,
        long size,
        long localHeaderOffset,
        long dataOffset) {

    static final int STORED = 0;
    static final int DEFLATED = 8;

    /** Returns the offset just past the entry's data (a data descriptor may follow). */
    long dataEnd() {
        return dataOffset + compressedSize;
    }
}
