package dev.tabscore.bundle.signing;

import dev.tabscore.bundle.io.BundleFiles;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Whom a bundle's signature must come from: trusted public keys (for key-based model_signing
 * signatures) and root certificates (for certificate-based ones), and whether an unsigned bundle is
 * refused. With no key, no root and no requirement, signatures are not looked at.
 *
 * @param keys trusted public keys
 * @param roots trusted root certificates (trust anchors of the signing certificate's chain)
 * @param requireSignature refuse a bundle without {@code model.sig}
 */
public record TrustConfig(
        List<TrustedKey> keys, List<X509Certificate> roots, boolean requireSignature) {

    private static final long MAX_TRUST_FILE_BYTES = 1L << 20;

    /** Copies the lists. */
    public TrustConfig {
        keys = List.copyOf(keys);
        roots = List.copyOf(roots);
    }

    /**
     * Returns the configuration that checks nothing.
     *
     * @return no keys, no roots, signature not required
     */
    public static TrustConfig none() {
        return new TrustConfig(List.of(), List.of(), false);
    }

    /**
     * Whether {@link dev.tabscore.bundle.Bundle#open} verifies signatures at all.
     *
     * @return true if a key or root is configured or a signature is required
     */
    public boolean active() {
        return requireSignature || !keys.isEmpty() || !roots.isEmpty();
    }

    /**
     * Reads the trust files (local paths or Hadoop URIs).
     *
     * @param keyFiles PEM public keys
     * @param rootFiles PEM root certificates
     * @param requireSignature refuse unsigned bundles
     * @param conf the Hadoop configuration to reach them
     * @return the configuration
     * @throws TrustConfigException naming the file that cannot be read or parsed
     */
    public static TrustConfig load(
            List<String> keyFiles,
            List<String> rootFiles,
            boolean requireSignature,
            Configuration conf) {
        List<TrustedKey> keys = new ArrayList<>();
        for (String f : keyFiles) {
            for (var k : PemFiles.publicKeys(read(f, conf), f)) {
                keys.add(TrustedKey.of(k, f));
            }
        }
        List<X509Certificate> roots = new ArrayList<>();
        for (String f : rootFiles) {
            roots.addAll(PemFiles.certificates(read(f, conf), f));
        }
        return new TrustConfig(keys, roots, requireSignature);
    }

    private static byte[] read(String file, Configuration conf) {
        Path p = BundleFiles.toPath(file);
        try (InputStream in = p.getFileSystem(conf == null ? new Configuration() : conf).open(p)) {
            byte[] b = in.readNBytes((int) MAX_TRUST_FILE_BYTES + 1);
            if (b.length > MAX_TRUST_FILE_BYTES) {
                throw new TrustConfigException(
                        "trust file "
                                + BundleFiles.redact(file)
                                + " is larger than "
                                + MAX_TRUST_FILE_BYTES
                                + " bytes",
                        null);
            }
            return b;
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof TrustConfigException t) {
                throw t;
            }
            throw new TrustConfigException(
                    "trust file "
                            + BundleFiles.redact(file)
                            + " cannot be read: "
                            + BundleFiles.redact(e.getMessage()),
                    e);
        }
    }
}
