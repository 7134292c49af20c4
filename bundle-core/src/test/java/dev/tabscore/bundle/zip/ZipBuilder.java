package dev.tabscore.bundle.zip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip archives byte by byte for tests, including the broken ones no library writes:
 * duplicate or unsafe names, wrong CRCs, lying sizes, data descriptors on STORED entries, alignment
 * padding, unknown methods and encryption flags.
 */
public final class ZipBuilder {

    private final List<Spec> specs = new ArrayList<>();

    /** One entry to write; the setters break it on purpose. */
    public static final class Spec {
        private final String name;
        private final byte[] payload;
        private final long realSize;
        private int method;
        private int flags;
        private long crc;
        private long declaredSize;
        private int align;

        private Spec(String name, byte[] payload, long realSize, long realCrc, int method) {
            this.name = name;
            this.payload = payload;
            this.realSize = realSize;
            this.method = method;
            this.crc = realCrc;
            this.declaredSize = realSize;
        }

        /**
         * Declares another CRC-32.
         *
         * @param value the CRC to write
         * @return this spec
         */
        public Spec crc(long value) {
            this.crc = value;
            return this;
        }

        /**
         * Declares another uncompressed size (and, for STORED, stored size).
         *
         * @param value the size to write
         * @return this spec
         */
        public Spec declaredSize(long value) {
            this.declaredSize = value;
            return this;
        }

        /**
         * Writes another method number, keeping the payload as is.
         *
         * @param value the method number
         * @return this spec
         */
        public Spec method(int value) {
            this.method = value;
            return this;
        }

        /**
         * Sets general-purpose flags; bit 3 writes torch's style of data descriptor.
         *
         * @param value the flags
         * @return this spec
         */
        public Spec flags(int value) {
            this.flags = value;
            return this;
        }

        /**
         * Pads the local extra field so the data starts at a multiple of {@code value}.
         *
         * @param value the alignment, e.g. 64
         * @return this spec
         */
        public Spec align(int value) {
            this.align = value;
            return this;
        }
    }

    /**
     * Adds a STORED entry.
     *
     * @param name the entry name
     * @param data the bytes
     * @return the entry's spec
     */
    public Spec stored(String name, byte[] data) {
        Spec spec = new Spec(name, data, data.length, crcOf(data), 0);
        specs.add(spec);
        return spec;
    }

    /**
     * Adds a DEFLATED entry.
     *
     * @param name the entry name
     * @param data the uncompressed bytes
     * @return the entry's spec
     */
    public Spec deflated(String name, byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        Spec spec = new Spec(name, out.toByteArray(), data.length, crcOf(data), 8);
        specs.add(spec);
        return spec;
    }

    /**
     * Adds a STORED entry holding UTF-8 text.
     *
     * @param name the entry name
     * @param text the text
     * @return the entry's spec
     */
    public Spec text(String name, String text) {
        return stored(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the archive.
     *
     * @return the archive bytes
     */
    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Spec s : specs) {
            byte[] name = s.name.getBytes(StandardCharsets.UTF_8);
            boolean descriptor = (s.flags & 0x0008) != 0;
            int extraLen = 0;
            if (s.align > 0) {
                int unpadded = out.size() + 30 + name.length + 4;
                extraLen = 4 + (s.align - unpadded % s.align) % s.align;
            }
            offsets.add((long) out.size());
            writeInt(out, 0x04034b50);
            writeShort(out, 20);
            writeShort(out, s.flags);
            writeShort(out, s.method);
            writeShort(out, 0);
            writeShort(out, 0x21);
            writeInt(out, descriptor ? 0 : s.crc);
            writeInt(out, descriptor ? 0 : compressedSize(s));
            writeInt(out, descriptor ? 0 : s.declaredSize);
            writeShort(out, name.length);
            writeShort(out, extraLen);
            out.writeBytes(name);
            if (extraLen > 0) {
                writeShort(out, 0x4246);
                writeShort(out, extraLen - 4);
                out.writeBytes(new byte[extraLen - 4]);
            }
            out.writeBytes(s.payload);
            if (descriptor) {
                writeInt(out, 0x08074b50);
                writeInt(out, s.crc);
                writeInt(out, compressedSize(s));
                writeInt(out, s.declaredSize);
            }
        }
        long directoryOffset = out.size();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            byte[] name = s.name.getBytes(StandardCharsets.UTF_8);
            writeInt(out, 0x02014b50);
            writeShort(out, 20);
            writeShort(out, 20);
            writeShort(out, s.flags);
            writeShort(out, s.method);
            writeShort(out, 0);
            writeShort(out, 0x21);
            writeInt(out, s.crc);
            writeInt(out, compressedSize(s));
            writeInt(out, s.declaredSize);
            writeShort(out, name.length);
            writeShort(out, 0);
            writeShort(out, 0);
            writeShort(out, 0);
            writeShort(out, 0);
            writeInt(out, 0);
            writeInt(out, offsets.get(i));
            out.writeBytes(name);
        }
        long directorySize = out.size() - directoryOffset;
        writeInt(out, 0x06054b50);
        writeShort(out, 0);
        writeShort(out, 0);
        writeShort(out, specs.size());
        writeShort(out, specs.size());
        writeInt(out, directorySize);
        writeInt(out, directoryOffset);
        writeShort(out, 0);
        return out.toByteArray();
    }

    private static long compressedSize(Spec s) {
        // A STORED entry's stored size follows the declared size, so a lie stays consistent.
        return s.method == 0 && s.declaredSize != s.realSize ? s.declaredSize : s.payload.length;
    }

    /**
     * Returns the CRC-32 of some bytes.
     *
     * @param data the bytes
     * @return the CRC
     */
    public static long crcOf(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
    }

    private static void writeInt(ByteArrayOutputStream out, long v) {
        writeShort(out, (int) (v & 0xffff));
        writeShort(out, (int) ((v >>> 16) & 0xffff));
    }
}
