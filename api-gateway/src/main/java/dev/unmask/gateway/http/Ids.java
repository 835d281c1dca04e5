package dev.unmask.gateway.http;

import java.util.UUID;

/** Ids in paths: a malformed one names nothing, so it is a 404 like a missing one. */
public final class Ids {
    private Ids() {}

    public static UUID parse(String text, String what) {
        try {
            if (text != null && text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiException.notFound(what);
    }
}
