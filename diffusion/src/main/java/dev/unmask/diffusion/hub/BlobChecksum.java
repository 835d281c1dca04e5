package dev.unmask.diffusion.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a blob's ETag promises. The Hub names an LFS file by the sha256 of its bytes (64 hex
 * digits, in {@code X-Linked-Etag}) and a small file kept in git by its git blob id (40 hex
 * digits: {@code sha1("blob " + size + "\0" + content)}), the same hashes {@code huggingface_hub}'s
 * {@code sha_fileobj} and {@code git_hash} compute. Another ETag (a mirror's) can only be checked
 * by size.
 */
public final class BlobChecksum {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

    private final String expected;
    private final MessageDigest digest;

    private BlobChecksum(String expected, MessageDigest digest) {
        this.expected = expected;
        this.digest = digest;
    }

    /** A checksum for the blob named {@code etag} of {@code size} bytes. */
    public static BlobChecksum forEtag(String etag, long size) {
        String e = etag.toLowerCase(Locale.ROOT);
        if (SHA256.matcher(e).matches()) {
            return new BlobChecksum(e, sha("SHA-256"));
        }
        if (SHA1.matcher(e).matches() && size >= 0) {
            MessageDigest sha1 = sha("SHA-1");
            sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return new BlobChecksum(e, sha1);
        }
        return new BlobChecksum(null, null);
    }

    /** Whether the ETag is a hash this class can check. */
    public boolean verifiable() {
        return digest != null;
    }

    public String algorithm() {
        return digest == null ? "none" : digest.getAlgorithm().equals("SHA-1") ? "git-sha1" : "sha256";
    }

    public void update(byte[] bytes, int offset, int length) {
        if (digest != null) {
            digest.update(bytes, offset, length);
        }
    }

    /** The hash of everything updated so far, in hex ({@code null} when not verifiable). */
    public String actual() {
        return digest == null ? null : HexFormat.of().formatHex(digest.digest());
    }

    public String expected() {
        return expected;
    }

    /** The git blob id of {@code content}, as {@code git hash-object} prints it. */
    public static String gitBlobSha1(byte[] content) {
        BlobChecksum c = forEtag("0".repeat(40), content.length);
        c.update(content, 0, content.length);
        return c.actual();
    }

    public static String sha256(byte[] content) {
        BlobChecksum c = forEtag("0".repeat(64), content.length);
        c.update(content, 0, content.length);
        return c.actual();
    }

    private static MessageDigest sha(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
    }
}
