package dev.unmask.gateway.http;

/**
 * Bounds what an error response repeats of the client's input: a long value is cut, so an error
 * is never much larger than the request that caused it would need.
 */
public final class Echo {
    /** The most characters of one client value repeated in a message. */
    public static final int MAX_CHARS = 120;

    private Echo() {}

    /** {@code value}, cut to {@link #MAX_CHARS} characters with a note of how many were left out. */
    public static String of(String value) {
        return cut(value, MAX_CHARS);
    }

    /** {@code text}, cut to {@code max} characters (never inside a surrogate pair) with a note of the rest. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "... (" + (text.length() - end) + " more characters)";
    }
}
