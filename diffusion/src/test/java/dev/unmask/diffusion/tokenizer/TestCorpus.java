package dev.unmask.diffusion.tokenizer;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A generated, seeded corpus: English function words, made-up words with a Zipf-like spread, some accents. */
final class TestCorpus {
    static final List<String> COMMON = List.of("the", "of", "and", "to", "in", "a", "is", "that", "was", "for");
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ran", "te", "so", "vu", "ne", "pol", "dar",
        "qui", "ex", "sta", "ber", "on", "ti", "gra", "mé", "ür", "zo"};
    private static final String[] PUNCTUATION = {",", ".", ";", "!", "?", " --"};

    private TestCorpus() {}

    static List<String> lines(int count, long seed) {
        Random random = new Random(seed);
        List<String> vocabulary = new ArrayList<>(COMMON);
        while (vocabulary.size() < 400) {
            StringBuilder word = new StringBuilder();
            int syllables = 1 + random.nextInt(4);
            for (int i = 0; i < syllables; i++) {
                word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            if (random.nextInt(10) == 0) {
                word.setCharAt(0, Character.toUpperCase(word.charAt(0)));
            }
            vocabulary.add(word.toString());
        }
        List<String> lines = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            StringBuilder line = new StringBuilder();
            int words = 6 + random.nextInt(12);
            for (int i = 0; i < words; i++) {
                if (i > 0) {
                    line.append(' ');
                }
                double r = random.nextDouble();
                line.append(vocabulary.get((int) (vocabulary.size() * r * r * r)));
                if (random.nextInt(8) == 0) {
                    line.append(PUNCTUATION[random.nextInt(PUNCTUATION.length)]);
                }
            }
            if (random.nextInt(5) == 0) {
                line.append(' ').append(1900 + random.nextInt(120));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Writes {@code lines} as a UTF-8 file, one per line. */
    static Path write(Path file, List<String> lines) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        return file;
    }
}
