package dev.tabscore.bundle.zip;

import dev.tabscore.bundle.Reason;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A zip archive read from memory with every check a hostile file calls for; nothing touches the
 * disk and nothing is inflated past a limit.
 *
 * <p>Usage: {@code SafeZip zip = SafeZip.read(bytes, "model_state.pt", ZipLimits.defaults());} then
 * {@code zip.names()} (central-directory order), {@code zip.has(name)} and {@code zip.entry(name)},
 * which returns a fresh copy of the entry's bytes. {@link #read} parses the central directory
 * itself (zip64 end records and extra fields included), checks every local header, refuses unsafe
 * names ({@code ..}, absolute, drive letters, backslashes, empty), duplicate names, overlapping or
 * out-of-bounds entries, encrypted entries and methods other than STORED and DEFLATED, compares
 * every declared size with the {@link ZipLimits} before allocating, and verifies every entry's size
 * and CRC-32 up front (inflating in 64 KiB chunks, never past the declared size), so a {@code
 * SafeZip} that was returned holds only good entries. Torch files read as they are: STORED entries
 * with data descriptors (flag 0x0808, local sizes 0: the central directory's sizes and CRC are
 * used), 64-byte alignment padding in extra fields, and 0-byte entries. Every failure is a {@link
 * dev.tabscore.bundle.BundleFormatException} whose reason is {@link Reason#ZIP_MALFORMED}, {@link
 * Reason#ZIP_UNSAFE_ENTRY}, {@link Reason#ZIP_DUPLICATE_ENTRY} or {@link Reason#LIMIT_EXCEEDED} and
 * whose message names the artifact and the entry. The byte array is kept, not copied: do not modify
 * it afterwards ({@link #entry} re-checks the CRC, so a change is detected rather than returned).
 * Instances are immutable and thread-safe.
 */
public final class SafeZip {

    private final ZipBytes bytes;
    private final Map<String, ZipEntryRecord> entries;
    private final List<String> names;

    private SafeZip(ZipBytes bytes, Map<String, ZipEntryRecord> entries) {
        this.bytes = bytes;
        this.entries = entries;
        this.names = List.copyOf(entries.keySet());
    }

    /**
     * Reads and checks an archive held in memory.
     *
     * @param data the whole archive; kept by reference, so it must not be modified afterwards
     * @param artifact the name used in error messages, e.g. {@code preprocessor.skops}
     * @param limits the limits on entry count and declared sizes
     * @return the checked archive
     * @throws dev.tabscore.bundle.BundleFormatException if the archive is malformed, unsafe or over
     *     a limit
     */
    public static SafeZip read(byte[] data, String artifact, ZipLimits limits) {
        ZipBytes bytes = new ZipBytes(data, artifact);
        Map<String, ZipEntryRecord> byName = new LinkedHashMap<>();
        for (ZipEntryRecord entry : CentralDirectory.read(bytes, limits)) {
            byName.put(entry.name(), entry);
        }
        for (ZipEntryRecord entry : byName.values()) {
            EntryReader.verify(bytes, entry);
        }
        return new SafeZip(bytes, Collections.unmodifiableMap(byName));
    }

    /**
     * Returns the artifact name given to {@link #read}.
     *
     * @return the artifact name
     */
    public String artifact() {
        return bytes.artifact();
    }

    /**
     * Returns the entry names in central-directory order.
     *
     * @return an unmodifiable list of names
     */
    public List<String> names() {
        return names;
    }

    /**
     * Tells whether an entry exists.
     *
     * @param name the exact entry name
     * @return true if the archive has an entry of that name
     */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /**
     * Returns the declared uncompressed size of an entry, without reading it.
     *
     * @param name the exact entry name
     * @return the size in bytes
     * @throws dev.tabscore.bundle.BundleFormatException if there is no such entry
     */
    public long size(String name) {
        return require(name).size();
    }

    /**
     * Returns a fresh copy of an entry's uncompressed bytes, its CRC-32 checked again.
     *
     * @param name the exact entry name
     * @return the bytes
     * @throws dev.tabscore.bundle.BundleFormatException if there is no such entry, or its data no
     *     longer matches its CRC-32
     */
    public byte[] entry(String name) {
        return EntryReader.read(bytes, require(name));
    }

    private ZipEntryRecord require(String name) {
        ZipEntryRecord entry = entries.get(name);
        if (entry == null) {
            throw ZipErrors.entry(
                    Reason.ZIP_MALFORMED,
                    bytes.artifact(),
                    name,
                    "is missing; the archive has " + describeNames());
        }
        return entry;
    }

    private String describeNames() {
        int shown = Math.min(names.size(), 12);
        String list = String.join(", ", names.subList(0, shown));
        if (names.isEmpty()) {
            return "no entries";
        }
        return names.size() + " entries: " + list + (shown < names.size() ? ", ..." : "");
    }

    /**
     * Returns a short description for logs.
     *
     * @return the artifact and entry count
     */
    @Override
    public String toString() {
        return "SafeZip[" + bytes.artifact() + ", " + names.size() + " entries]";
    }
}
