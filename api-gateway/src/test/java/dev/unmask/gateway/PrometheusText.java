package dev.unmask.gateway;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line is a {@code # HELP},
 * a {@code # TYPE} or a sample of a family whose TYPE came first; anything else throws.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*\\})? (\\S+)( -?\\d+)?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");

    /** Series (name with its labels as written) to value. */
    final Map<String, Double> samples = new LinkedHashMap<>();
    /** Family name to its type. */
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                out.types.put(m.group(1), m.group(2));
            } else if (HELP.matcher(line).matches()) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (out.family(name) == null) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": sample of an undeclared family: " + line);
                }
                String labels = m.group(2) == null ? "" : m.group(2);
                out.samples.put(name + labels, value(m.group(3), i + 1));
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + " is not Prometheus text: " + line);
            }
        }
        return out;
    }

    private static double value(String text, int line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + line + ": bad value " + text, e);
                }
            }
        };
    }

    /** The declared family of a sample name (histograms and summaries add suffixes; counters add _total). */
    String family(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created", "_gcount", "_gsum"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    /** The value of the series {@code name{labels}} with the labels in any order, or 0 when absent. */
    double value(String name, String... labelPairs) {
        Double v = find(name, labelPairs);
        return v == null ? 0 : v;
    }

    /** The value of the series, or null when absent. */
    Double find(String name, String... labelPairs) {
        outer:
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String series = e.getKey();
            int brace = series.indexOf('{');
            String seriesName = brace < 0 ? series : series.substring(0, brace);
            if (!seriesName.equals(name)) {
                continue;
            }
            String labels = brace < 0 ? "" : series.substring(brace);
            for (int i = 0; i < labelPairs.length; i += 2) {
                String pair = labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"";
                if (!labels.contains("{" + pair) && !labels.contains("," + pair)) {
                    continue outer;
                }
            }
            return e.getValue();
        }
        return null;
    }
}
