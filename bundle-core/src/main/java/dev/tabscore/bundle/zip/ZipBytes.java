package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.Reason;

/** Bounds-checked little-endian reads over the archive bytes. */
final class ZipBytes {

    /** A 32-bit field with this value defers to the zip64 record or extra field. */
    static final long SATURATED_32 = 0xffffffffL;

    /** A 16-bit field with this value defers to the zip64 record or extra field. */
    static final int SATURATED_16 = 0xffff;

    private final byte[] data;
    private final String artifact;

    ZipBytes(byte[] data, String artifact) {
        this.data = data;
        this.artifact = artifact;
    }

    byte[] data() {
        return data;
    }

    String artifact() {
        return artifact;
    }

    long length() {
        return data.length;
    }

    /** Fails unless {@code [pos, pos + len)} lies inside the archive. */
    void require(long pos, long len, String what) {
        if (pos < 0 || len < 0 || pos > data.length - len) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    what
                            + " at offset "
                            + pos
                            + " ("
                            + len
                            + " bytes) runs past the end of the "
                            + data.length
                            + "-byte archive (truncated?)");
        }
    }

    int u16(long pos, String what) {
        require(pos, 2, what);
        int p = (int) pos;
        return (data[p] & 0xff) | (data[p + 1] & 0xff) << 8;
    }

    long u32(long pos, String what) {
        require(pos, 4, what);
        int p = (int) pos;
        return (data[p] & 0xffL)
                | (data[p + 1] & 0xffL) << 8
                | (data[p + 2] & 0xffL) << 16
                | (data[p + 3] & 0xffL) << 24;
    }

    /** Reads an unsigned 64-bit value; values over {@link Long#MAX_VALUE} are refused. */
    long u64(long pos, String what) {
        long low = u32(pos, what);
        long high = u32(pos + 4, what);
        if (high > Integer.MAX_VALUE) {
            throw ZipErrors.archive(
                    Reason.ZIP_MALFORMED,
                    artifact,
                    what + " at offset " + pos + " is larger than 2^63");
        }
        return high << 32 | low;
    }

    byte[] slice(long pos, int len, String what) {
        require(pos, len, what);
        byte[] out = new byte[len];
        System.arraycopy(data, (int) pos, out, 0, len);
        return out;
    }
}
