package dev.tabscore.bundle.io;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.manifest.ArtifactPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files of one bundle directory, read through Hadoop {@link FileSystem}, so local paths, {@code
 * file:}, {@code s3a://} and {@code gs://} all work the same. Files are read whole into memory
 * (bundles are small; every read is capped) because each byte read is also hashed.
 */
public final class BundleFiles {

    private final String uri;
    private final Path root;
    private final FileSystem fs;

    private BundleFiles(String uri, Path root, FileSystem fs) {
        this.uri = redact(uri);
        this.root = root;
        this.fs = fs;
    }

    /**
     * Opens a bundle directory.
     *
     * @param uri a local path or a Hadoop URI ({@code s3a://bucket/models/churn/3})
     * @param conf the Hadoop configuration (credentials and endpoints come from it)
     * @return the bundle's files
     * @throws BundleFormatException if the directory cannot be reached
     */
    public static BundleFiles open(String uri, Configuration conf) {
        String shown = redact(uri);
        try {
            Path root = toPath(uri);
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(root);
            if (!status.isDirectory()) {
                throw new BundleFormatException(
                        Reason.ARTIFACT_MISMATCH, "bundle " + shown + " is not a directory");
            }
            return new BundleFiles(uri, root, fs);
        } catch (FileNotFoundException e) {
            throw new BundleFormatException(
                    Reason.ARTIFACT_MISMATCH, "bundle " + shown + " does not exist");
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            // A scheme no connector serves: the location is wrong, retrying cannot help.
            throw new BundleFormatException(
                    Reason.ARTIFACT_MISMATCH,
                    "bundle " + shown + " cannot be reached: " + redact(e.getMessage()));
        } catch (IOException e) {
            // A storage fault (an object store's 503, a timeout), not the bundle's: retryable.
            // Hadoop's messages may repeat the URI, credentials included ("Wrong FS: ..."), so
            // neither the message nor the cause is passed on unredacted.
            throw new BundleFormatException(
                    Reason.IO_ERROR,
                    "bundle " + shown + " cannot be reached: " + redact(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(
                    Reason.ARTIFACT_MISMATCH,
                    "bundle " + shown + " is not a usable location: " + redact(e.getMessage()));
        }
    }

    /**
     * Turns a local path or URI string into a Hadoop path; a bare path is a local file.
     *
     * @param uri a path or URI
     * @return the Hadoop path
     */
    public static Path toPath(String uri) {
        URI parsed = URI.create(uri.replace(" ", "%20"));
        if (parsed.getScheme() == null) {
            URI local = new java.io.File(uri).getAbsoluteFile().toURI();
            String path = local.getPath();
            if (path.length() > 1 && path.endsWith("/")) {
                // File.toURI() ends an existing directory with '/', and Hadoop's getParent()
                // of such a path is the directory itself
                try {
                    local =
                            new URI(
                                    local.getScheme(),
                                    null,
                                    path.substring(0, path.length() - 1),
                                    null);
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("bad local path " + uri, e);
                }
            }
            return new Path(local);
        }
        return new Path(uri);
    }

    /**
     * Removes credentials a URI may carry in its user-info part ({@code s3a://KEY:SECRET@bucket}),
     * so that no message, log line or summary ever shows them.
     *
     * @param text a URI or a message containing URIs; null stays null
     * @return the text with every {@code scheme://user:info@} reduced to {@code scheme://***@}
     */
    public static String redact(String text) {
        return text == null
                ? null
                : text.replaceAll("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@", "$1***@");
    }

    /**
     * Returns the bundle's URI as given, without credentials.
     *
     * @return the URI
     */
    public String uri() {
        return uri;
    }

    /**
     * Returns a location for messages: the bundle URI plus a relative path.
     *
     * @param relative a path inside the bundle
     * @return e.g. {@code s3a://b/m/preprocessor.skops}
     */
    public String describe(String relative) {
        return uri.endsWith("/") ? uri + relative : uri + "/" + relative;
    }

    /**
     * Reads one file whole.
     *
     * @param relative a safe path inside the bundle ({@link ArtifactPaths#isSafe})
     * @param maxBytes refuse files larger than this
     * @return the bytes
     * @throws BundleFormatException naming the artifact if it is missing, too large or unreadable
     */
    public byte[] read(String relative, long maxBytes) {
        if (!ArtifactPaths.isSafe(relative)) {
            throw new BundleFormatException(
                    Reason.ARTIFACT_MISMATCH,
                    "artifact path '" + relative + "' is not a plain relative path");
        }
        Path p = new Path(root, relative);
        try {
            FileStatus status = fs.getFileStatus(p);
            if (status.getLen() > maxBytes) {
                throw new BundleFormatException(
                        Reason.LIMIT_EXCEEDED,
                        "artifact "
                                + describe(relative)
                                + " is "
                                + status.getLen()
                                + " bytes, more than the limit of "
                                + maxBytes);
            }
            byte[] out = new byte[(int) status.getLen()];
            try (FSDataInputStream in = fs.open(p)) {
                in.readFully(out);
                if (in.read() >= 0) {
                    throw new BundleFormatException(
                            Reason.ARTIFACT_MISMATCH,
                            "artifact " + describe(relative) + " grew while it was read");
                }
            }
            return out;
        } catch (FileNotFoundException e) {
            throw new BundleFormatException(
                    Reason.ARTIFACT_MISMATCH, "artifact " + describe(relative) + " is missing");
        } catch (IOException e) {
            // The store failed to deliver the bytes (a 503, a reset): nothing says the artifact
            // is bad, so this is retryable, unlike a size or digest mismatch.
            throw new BundleFormatException(
                    Reason.IO_ERROR,
                    "artifact " + describe(relative) + " cannot be read: " + redact(e.getMessage()),
                    e);
        }
    }

    /**
     * Lists every file under the bundle directory, at any depth (directories themselves are not
     * listed), as paths relative to it with '/' separators, sorted.
     *
     * @param maxFiles refuse a directory holding more files than this
     * @return the relative paths
     * @throws BundleFormatException ({@link Reason#LIMIT_EXCEEDED}) past the limit, ({@link
     *     Reason#IO_ERROR}) if the store cannot list it
     */
    public java.util.List<String> list(int maxFiles) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String prefix = root.toUri().getPath();
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        try {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                String p = it.next().getPath().toUri().getPath();
                if (!p.startsWith(prefix)) {
                    throw new BundleFormatException(
                            Reason.ARTIFACT_MISMATCH,
                            "bundle " + uri + " lists " + p + ", which is outside it");
                }
                if (out.size() == maxFiles) {
                    throw new BundleFormatException(
                            Reason.LIMIT_EXCEEDED,
                            "bundle " + uri + " holds more than " + maxFiles + " files");
                }
                out.add(p.substring(prefix.length()));
            }
        } catch (IOException e) {
            throw new BundleFormatException(
                    Reason.IO_ERROR,
                    "bundle " + uri + " cannot be listed: " + redact(e.getMessage()),
                    e);
        }
        java.util.Collections.sort(out);
        return out;
    }

    /**
     * Hashes one file with sha256 as it streams in, without holding it in memory.
     *
     * @param relative a path inside the bundle, as {@link #list} returns it
     * @return the lowercase hex digest
     * @throws BundleFormatException naming the file if it is missing or unreadable
     */
    public String sha256(String relative) {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (FSDataInputStream in = fs.open(new Path(root, relative))) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (FileNotFoundException e) {
            throw new BundleFormatException(
                    Reason.ARTIFACT_MISMATCH, "file " + describe(relative) + " is missing");
        } catch (IOException e) {
            throw new BundleFormatException(
                    Reason.IO_ERROR,
                    "file " + describe(relative) + " cannot be read: " + redact(e.getMessage()),
                    e);
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /**
     * Tells whether a file exists in the bundle.
     *
     * @param relative a safe relative path
     * @return true if it exists (as a file or directory)
     */
    public boolean exists(String relative) {
        try {
            return fs.exists(new Path(root, relative));
        } catch (IOException e) {
            throw new BundleFormatException(
                    Reason.IO_ERROR,
                    "bundle " + uri + " cannot be" + " listed: " + redact(e.getMessage()),
                    e);
        }
    }
}
