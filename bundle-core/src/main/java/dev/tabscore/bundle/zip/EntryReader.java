package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.Reason;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads one entry's data: copies (STORED) or inflates (DEFLATED) it, never producing more bytes
 * than the entry declares, then checks the size and the CRC-32.
 */
final class EntryReader {

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_IDLE_INFLATE_CALLS = 4;

    private EntryReader() {}

    /** Checks the entry without keeping its bytes: memory use is one 64 KiB chunk. */
    static void verify(ZipBytes bytes, ZipEntryRecord entry) {
        process(bytes, entry, null);
    }

    /** Returns the entry's checked bytes, in a new array of exactly the declared size. */
    static byte[] read(ZipBytes bytes, ZipEntryRecord entry) {
        byte[] target = new byte[(int) entry.size()];
        process(bytes, entry, target);
        return target;
    }

    private static void process(ZipBytes bytes, ZipEntryRecord entry, byte[] target) {
        CRC32 crc = new CRC32();
        int offset = (int) entry.dataOffset();
        int length = (int) entry.compressedSize();
        if (entry.method() == ZipEntryRecord.STORED) {
            crc.update(bytes.data(), offset, length);
            if (target != null) {
                System.arraycopy(bytes.data(), offset, target, 0, length);
            }
        } else {
            inflate(bytes, entry, offset, length, crc, target);
        }
        if (crc.getValue() != entry.crc()) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    bytes.artifact(),
                    entry.name(),
                    String.format(
                            "fails its CRC-32 check: computed %08x, declared %08x",
                            crc.getValue(), entry.crc()));
        }
    }

    private static void inflate(
            ZipBytes bytes,
            ZipEntryRecord entry,
            int offset,
            int length,
            CRC32 crc,
            byte[] target) {
        String artifact = bytes.artifact();
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes.data(), offset, length);
            byte[] chunk = new byte[(int) Math.min(CHUNK, entry.size() + 1)];
            long produced = 0;
            int idle = 0;
            while (!inflater.finished()) {
                int n;
                try {
                    n = inflater.inflate(chunk);
                } catch (DataFormatException e) {
                    throw ZipErrors.entry(
                            Reason.ZIP_MALFORMED,
                            artifact,
                            entry.name(),
                            "is not valid DEFLATE data: " + e.getMessage());
                }
                if (n == 0) {
                    if (inflater.needsInput()
                            || inflater.needsDictionary()
                            || ++idle > MAX_IDLE_INFLATE_CALLS) {
                        throw ZipErrors.entry(
                                Reason.ZIP_MALFORMED,
                                artifact,
                                entry.name(),
                                "has a truncated DEFLATE stream (ends after "
                                        + produced
                                        + " of "
                                        + entry.size()
                                        + " declared bytes)");
                    }
                    continue;
                }
                idle = 0;
                if (n > entry.size() - produced) {
                    throw ZipErrors.entry(
                            Reason.LIMIT_EXCEEDED,
                            artifact,
                            entry.name(),
                            "inflates past its declared size of "
                                    + entry.size()
                                    + " bytes (zip bomb?); stopped after "
                                    + (produced + n));
                }
                crc.update(chunk, 0, n);
                if (target != null) {
                    System.arraycopy(chunk, 0, target, (int) produced, n);
                }
                produced += n;
            }
            if (produced != entry.size()) {
                throw ZipErrors.entry(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        entry.name(),
                        "inflates to " + produced + " bytes but declares " + entry.size());
            }
            if (inflater.getRemaining() != 0) {
                throw ZipErrors.entry(
                        Reason.ZIP_MALFORMED,
                        artifact,
                        entry.name(),
                        "has "
                                + inflater.getRemaining()
                                + " bytes after the end of its DEFLATE stream");
            }
        } finally {
            inflater.end();
        }
    }
}
