package dev.unmask.diffusion.hub;

import java.nio.charset.StandardCharsets;

/** Percent-encoding as Python's {@code urllib.parse.quote(s, safe)}: unreserved characters and {@code safe} stay. */
final class UrlPath {
    private UrlPath() {}

    static String quote(String s, String safe) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || "_.-~".indexOf(c) >= 0 || safe.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
