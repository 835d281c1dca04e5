package dev.unmask.corpus;

/**
 * One training document as read from a corpus file.
 *
 * @param prompt the conditioning text of a prompt/completion pair, never masked; null for plain text
 * @param text the text to learn: the whole document, or the completion
 * @param source where it came from, {@code file:line} (the first line of a multi-line document)
 */
public record Document(String prompt, String text, String source) {

    public Document {
        if (text == null) {
            throw new IllegalArgumentException("document text must not be null (" + source + ")");
        }
    }

    /** A plain-text document, without prompt. */
    public static Document of(String text, String source) {
        return new Document(null, text, source);
    }

    public boolean hasPrompt() {
        return prompt != null;
    }
}
