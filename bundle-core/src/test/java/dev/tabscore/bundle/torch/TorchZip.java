package dev.tabscore.bundle.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds torch.save-like zip files (STORED entries under a prefix) for tests. */
final class TorchZip {

    private final String prefix;
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    TorchZip(String prefix) {
        this.prefix = prefix;
    }

    TorchZip pickle(byte[] pickle) {
        return entry("data.pkl", pickle);
    }

    TorchZip entry(String name, byte[] data) {
        entries.put(prefix + "/" + name, data);
        return this;
    }

    TorchZip data(String key, byte[] data) {
        return entry("data/" + key, data);
    }

    byte[] bytes() {
        entries.putIfAbsent(prefix + "/version", "3\n".getBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
