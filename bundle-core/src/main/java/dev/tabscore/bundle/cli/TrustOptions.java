package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.signing.Signer;
import dev.tabscore.bundle.signing.TrustConfig;
import dev.tabscore.bundle.signing.TrustConfigException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The signature options shared by {@code verify}, {@code inspect} and {@code score}. */
final class TrustOptions {

    @Option(
            names = "--trust-key",
            paramLabel = "PEM",
            description =
                    "Accept model_signing signatures made with this public key (PEM; EC"
                            + " P-256/P-384/P-521 or Ed25519; repeatable).")
    List<String> keys = new ArrayList<>();

    @Option(
            names = "--trust-root",
            paramLabel = "PEM",
            description =
                    "Accept certificate-based signatures chaining to this root"
                            + " certificate (PEM; repeatable).")
    List<String> roots = new ArrayList<>();

    @Option(
            names = "--require-signature",
            description = "Refuse a bundle that is not signed (exit 70).")
    boolean require;

    /**
     * Loads the trust files; a file that cannot be read is a usage error (exit 2).
     *
     * @param cmd the command, for the error
     * @param conf the Hadoop configuration
     * @return the trust configuration
     */
    TrustConfig load(CommandLine cmd, Configuration conf) {
        if (require && keys.isEmpty() && roots.isEmpty()) {
            throw new CommandLine.ParameterException(
                    cmd,
                    "--require-signature needs" + " --trust-key or --trust-root: whose signature?");
        }
        try {
            return TrustConfig.load(keys, roots, require, conf);
        } catch (TrustConfigException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage(), e);
        }
    }

    /**
     * Describes the verified signer, or why there is none.
     *
     * @param signer the bundle's signer, or null
     * @param trust the configuration used
     * @return e.g. {@code signed by key sha256:...}
     */
    static String describe(Signer signer, TrustConfig trust) {
        if (signer != null) {
            return "signed by " + signer.describe() + " (verified)";
        }
        return trust.active()
                ? "not signed (accepted: --require-signature not given)"
                : "signature not checked (no --trust-key / --trust-root)";
    }
}
