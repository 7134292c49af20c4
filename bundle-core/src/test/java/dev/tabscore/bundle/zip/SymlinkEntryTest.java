package dev.tabscore.bundle.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A zip entry marked as a Unix symbolic link is only bytes to {@link SafeZip}: nothing is
 * extracted, no path from the archive reaches the file system, and the link's target is returned as
 * the entry's data (docs/security.md).
 */
class SymlinkEntryTest {

    private static final long CENTRAL_SIG = 0x02014b50L;

    /** {@code S_IFLNK | 0777} in the high 16 bits of the external attributes. */
    private static final long SYMLINK_ATTRIBUTES = 0xA1FFL << 16;

    @Test
    void aSymlinkEntryIsReadAsItsTargetTextAndNothingIsCreated() {
        byte[] target = "../../../../etc/passwd".getBytes(StandardCharsets.US_ASCII);
        ZipBuilder builder = new ZipBuilder();
        builder.stored("link", target);
        builder.stored("data", new byte[] {1, 2, 3});
        byte[] zip = markSymlink(builder.build(), "link");

        SafeZip read = SafeZip.read(zip, "links.zip", ZipLimits.defaults());
        assertEquals(List.of("link", "data"), read.names());
        assertArrayEquals(target, read.entry("link"));
        assertFalse(Files.exists(Path.of("link")), "an entry was written to the file system");
    }

    /** Sets "made by Unix" and symlink mode bits on the central entry of that name. */
    private static byte[] markSymlink(byte[] zip, String name) {
        byte[] out = zip.clone();
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (int p = 0; p + 46 <= out.length; p++) {
            if (u32(out, p) != CENTRAL_SIG || u16(out, p + 28) != wanted.length) {
                continue;
            }
            String entry = new String(out, p + 46, wanted.length, StandardCharsets.US_ASCII);
            if (entry.equals(name)) {
                out[p + 5] = 3; // version made by: Unix
                for (int i = 0; i < 4; i++) {
                    out[p + 38 + i] = (byte) (SYMLINK_ATTRIBUTES >>> (8 * i));
                }
                return out;
            }
        }
        throw new AssertionError("no central entry " + name);
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL)
                | (b[p + 1] & 0xffL) << 8
                | (b[p + 2] & 0xffL) << 16
                | (b[p + 3] & 0xffL) << 24;
    }
}
