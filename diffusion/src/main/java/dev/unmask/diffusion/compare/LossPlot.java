package dev.unmask.diffusion.compare;

import java.util.List;
import java.util.Locale;

/**
 * Training loss against wall-clock seconds for several runs, as one self-contained SVG (written
 * by hand: axes, ticks, a polyline per run, a legend). Losses are in nats; both axes start at 0
 * seconds and at the lowest loss plotted.
 */
public final class LossPlot {
    static final int WIDTH = 720;
    static final int HEIGHT = 400;
    static final int LEFT = 64;
    static final int RIGHT = 170;
    static final int TOP = 36;
    static final int BOTTOM = 48;
    /** One colour per series, in order. */
    static final List<String> COLOURS = List.of("#1f77b4", "#d62728", "#2ca02c", "#9467bd");

    /** A named curve. */
    public record Series(String name, List<LossPoint> points) {}

    private LossPlot() {}

    public static String svg(String title, List<Series> series) {
        double maxSeconds = 1e-9;
        double minLoss = Double.POSITIVE_INFINITY;
        double maxLoss = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (LossPoint p : s.points()) {
                if (Double.isFinite(p.loss())) {
                    maxSeconds = Math.max(maxSeconds, p.seconds());
                    minLoss = Math.min(minLoss, p.loss());
                    maxLoss = Math.max(maxLoss, p.loss());
                }
            }
        }
        if (!Double.isFinite(minLoss)) {
            minLoss = 0;
            maxLoss = 1;
        }
        if (maxLoss - minLoss < 1e-6) {
            maxLoss = minLoss + 1;
        }
        double lo = Math.floor(minLoss);
        double hi = Math.ceil(maxLoss);
        double x0 = LEFT;
        double x1 = WIDTH - RIGHT;
        double y0 = HEIGHT - BOTTOM;
        double y1 = TOP;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", LEFT,
                escape(title)));
        // axes, ticks and grid
        svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1f V%.1f H%.1f\" stroke=\"black\" fill=\"none\"/>%n",
                x0, y1, y0, x1));
        for (int i = 0; i <= 5; i++) {
            double seconds = maxSeconds * i / 5;
            double x = x0 + (x1 - x0) * i / 5;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/>%n", x, y1, x, y0));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    x, y0 + 16, tick(seconds)));
        }
        for (int i = 0; i <= 4; i++) {
            double loss = lo + (hi - lo) * i / 4;
            double y = y0 - (y0 - y1) * i / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/>%n", x0, y, x1, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    x0 - 6, y + 4, tick(loss)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">wall-clock seconds"
                + "</text>%n", (x0 + x1) / 2, HEIGHT - 10));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %.1f)\">training loss (nats)</text>%n", (y0 + y1) / 2, (y0 + y1) / 2));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS.get(k % COLOURS.size());
            StringBuilder points = new StringBuilder();
            for (LossPoint p : s.points()) {
                if (!Double.isFinite(p.loss())) {
                    continue;
                }
                double x = x0 + (x1 - x0) * p.seconds() / maxSeconds;
                double y = y0 - (y0 - y1) * (p.loss() - lo) / (hi - lo);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                    + "points=\"%s\"><title>%s</title></polyline>%n", colour, points.toString().trim(),
                    escape(s.name())));
            double ly = TOP + 12 + 20 * k;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"%s\" stroke-width=\"3\"/>%n", x1 + 12, ly, x1 + 32, ly, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", x1 + 38, ly + 4,
                    escape(s.name())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String tick(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%d", Math.round(v))
                : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
