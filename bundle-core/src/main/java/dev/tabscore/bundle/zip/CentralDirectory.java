package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the central directory and, through {@link EndRecord} and {@link LocalHeader}, the end
 * records and every local header; checks names, duplicates, declared sizes against the limits, and
 * that entries neither overlap nor run out of bounds. Reads no entry data; {@link EntryReader} does
 * that.
 */
final class CentralDirectory {

    private static final long CENTRAL_SIG = 0x02014b50L;
    static final int CENTRAL_SIZE = 46;
    private static final int ZIP64_EXTRA_ID = 0x0001;

    /** Traditional, strong, and central-directory encryption. */
    static final int ENCRYPTION_FLAGS = 0x0001 | 0x0040 | 0x2000;

    private static final int FLAG_UTF8 = 0x0800;

    private CentralDirectory() {}

    /** Returns the checked entries in central-directory order. */
    static List<ZipEntryRecord> read(ZipBytes bytes, ZipLimits limits) {
        EndRecord dir = EndRecord.locate(bytes, limits);
        String artifact = bytes.artifact();
        List<ZipEntryRecord> entries = new ArrayList<>((int) dir.entryCount());
        Set<String> seen = new HashSet<>();
        long end = dir.offset() + dir.size();
        long pos = dir.offset();
        long totalBytes = 0;
        for (int i = 0; i < dir.entryCount(); i++) {
            if (end - pos < CENTRAL_SIZE || bytes.u32(pos, "central header") != CENTRAL_SIG) {
                throw ZipErrors.archive(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        "central directory entry "
                                + i
                                + " of "
                                + dir.entryCount()
                                + " is missing or has a bad signature "
                                + "at offset "
                                + pos);
            }
            int nameLen = bytes.u16(pos + 28, "central header");
            int extraLen = bytes.u16(pos + 30, "central header");
            int commentLen = bytes.u16(pos + 32, "central header");
            long next = pos + CENTRAL_SIZE + nameLen + extraLen + commentLen;
            if (next > end) {
                throw ZipErrors.archive(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        "central directory entry "
                                + i
                                + " runs past the end of the central directory");
            }
            ZipEntryRecord entry = readEntry(bytes, pos, dir.offset(), limits);
            if (!seen.add(entry.name())) {
                throw ZipErrors.entry(
                        Reason.ZIP_DUPLICATE_ENTRY,
                        artifact,
                        entry.name(),
                        "appears more than once in the central directory");
            }
            totalBytes += entry.size();
            if (totalBytes > limits.maxTotalBytes()) {
                throw ZipErrors.entry(
                        Reason.LIMIT_EXCEEDED,
                        artifact,
                        entry.name(),
                        "brings the declared uncompressed total to "
                                + totalBytes
                                + " bytes, over the limit of "
                                + limits.maxTotalBytes());
            }
            entries.add(entry);
            pos = next;
        }
        if (pos != end) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    "central directory declares "
                            + dir.size()
                            + " bytes but its "
                            + dir.entryCount()
                            + " entries use "
                            + (pos - dir.offset()));
        }
        checkNoOverlap(entries, artifact);
        return entries;
    }

    private static ZipEntryRecord readEntry(
            ZipBytes bytes, long pos, long directoryOffset, ZipLimits limits) {
        String artifact = bytes.artifact();
        int flags = bytes.u16(pos + 8, "central header");
        int method = bytes.u16(pos + 10, "central header");
        long crc = bytes.u32(pos + 16, "central header");
        long compressedSize = bytes.u32(pos + 20, "central header");
        long size = bytes.u32(pos + 24, "central header");
        int nameLen = bytes.u16(pos + 28, "central header");
        int extraLen = bytes.u16(pos + 30, "central header");
        long diskStart = bytes.u16(pos + 34, "central header");
        long localOffset = bytes.u32(pos + 42, "central header");
        byte[] rawName = bytes.slice(pos + CENTRAL_SIZE, nameLen, "entry name");
        String name = decodeName(rawName, flags, artifact);
        EntryNames.check(name, artifact);

        long extra = pos + CENTRAL_SIZE + nameLen;
        long extraEnd = extra + extraLen;
        while (extraEnd - extra >= 4) {
            int id = bytes.u16(extra, "extra field");
            int len = bytes.u16(extra + 2, "extra field");
            long field = extra + 4;
            if (len > extraEnd - field) {
                throw ZipErrors.entry(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        name,
                        "has an extra field that runs past its extra area");
            }
            if (id == ZIP64_EXTRA_ID) {
                long fieldEnd = field + len;
                if (size == ZipBytes.SATURATED_32) {
                    size = zip64Value(bytes, field, fieldEnd, name);
                    field += 8;
                }
                if (compressedSize == ZipBytes.SATURATED_32) {
                    compressedSize = zip64Value(bytes, field, fieldEnd, name);
                    field += 8;
                }
                if (localOffset == ZipBytes.SATURATED_32) {
                    localOffset = zip64Value(bytes, field, fieldEnd, name);
                    field += 8;
                }
                if (diskStart == ZipBytes.SATURATED_16 && fieldEnd - field >= 4) {
                    diskStart = bytes.u32(field, "zip64 extra field");
                }
            }
            extra += 4 + len;
        }
        if (size == ZipBytes.SATURATED_32
                || compressedSize == ZipBytes.SATURATED_32
                || localOffset == ZipBytes.SATURATED_32) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "declares a zip64 size or offset but has no zip64 extra field");
        }
        if (diskStart != 0) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "starts on disk " + diskStart + "; multi-disk archives are not supported");
        }
        if ((flags & ENCRYPTION_FLAGS) != 0) {
            throw ZipErrors.entry(
                    Reason.ZIP_UNSAFE_ENTRY,
                    artifact,
                    name,
                    String.format(
                            "is encrypted (flags 0x%04x); encrypted entries are not supported",
                            flags));
        }
        if (method != ZipEntryRecord.STORED && method != ZipEntryRecord.DEFLATED) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "uses compression method " + method + "; supported: 0 (STORED), 8 (DEFLATED)");
        }
        if (size > limits.maxEntryBytes()) {
            throw ZipErrors.entry(
                    Reason.LIMIT_EXCEEDED,
                    artifact,
                    name,
                    "declares "
                            + size
                            + " uncompressed bytes, over the limit of "
                            + limits.maxEntryBytes()
                            + " per entry");
        }
        if (method == ZipEntryRecord.STORED && compressedSize != size) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    name,
                    "is STORED but declares "
                            + compressedSize
                            + " stored bytes and "
                            + size
                            + " uncompressed bytes");
        }
        long dataOffset =
                LocalHeader.dataOffset(
                        bytes,
                        localOffset,
                        directoryOffset,
                        name,
                        rawName,
                        method,
                        flags,
                        crc,
                        compressedSize,
                        size);
        return new ZipEntryRecord(
                name, method, flags, crc, compressedSize, size, localOffset, dataOffset);
    }

    private static long zip64Value(ZipBytes bytes, long field, long fieldEnd, String name) {
        if (fieldEnd - field < 8) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    bytes.artifact(),
                    name,
                    "has a zip64 extra field too short for the values it must hold");
        }
        return bytes.u64(field, "zip64 extra field");
    }

    private static String decodeName(byte[] raw, int flags, String artifact) {
        if ((flags & FLAG_UTF8) != 0) {
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw))
                        .toString();
            } catch (CharacterCodingException e) {
                throw ZipErrors.archive(
                        Reason.ZIP_UNSAFE_ENTRY,
                        artifact,
                        "an entry name is flagged UTF-8 but is not valid UTF-8");
            }
        }
        for (byte b : raw) {
            if (b < 0) {
                // Code page 437 names would decode differently elsewhere: refuse them.
                throw ZipErrors.archive(
                        Reason.ZIP_UNSAFE_ENTRY,
                        artifact,
                        "entry name '"
                                + ZipErrors.printable(new String(raw, StandardCharsets.ISO_8859_1))
                                + "' is not ASCII and lacks the UTF-8 flag");
            }
        }
        return new String(raw, StandardCharsets.US_ASCII);
    }

    private static void checkNoOverlap(List<ZipEntryRecord> entries, String artifact) {
        List<ZipEntryRecord> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(ZipEntryRecord::localHeaderOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            ZipEntryRecord previous = byOffset.get(i - 1);
            ZipEntryRecord current = byOffset.get(i);
            if (previous.dataEnd() > current.localHeaderOffset()) {
                throw ZipErrors.entry(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        current.name(),
                        "overlaps entry '"
                                + ZipErrors.printable(previous.name())
                                + "' (its "
                                + "header at "
                                + current.localHeaderOffset()
                                + " lies inside "
                                + "data that ends at "
                                + previous.dataEnd()
                                + ")");
            }
        }
    }
}
