/**
 * Verifies OpenSSF model_signing signatures of a bundle before anything in it is parsed: the
 * Sigstore bundle in {@code model.sig} ({@link SigstoreBundle}), its DSSE signature with the JDK's
 * crypto ({@link Dsse}, {@link CertificateChains}), the in-toto statement's file list against the
 * bundle's files ({@link InTotoStatement}, {@link SignedFileList}); {@link SignatureCheck} runs
 * them in order for {@link dev.tabscore.bundle.Bundle#open}.
 */
package dev.tabscore.bundle.signing;
