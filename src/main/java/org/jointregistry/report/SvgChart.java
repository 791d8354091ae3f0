package org.jointregistry.report;

import java.util.List;

/**
 * The report's charts as inline SVG: horizontal bars for a breakdown, columns
 * for a time series. Everything is drawn with presentation attributes (no
 * style attribute, no script, no external reference), so the same markup works
 * under the page's Content-Security-Policy and in the PDF renderer. A bar
 * without a value (a suppressed cell) is drawn as no bar at all, only its text,
 * so no length can hint at a withheld figure.
 */
public final class SvgChart {

    /** One bar: its label, its value (null when withheld) and the text written beside it. */
    public record Bar(String label, Double value, String text) {
    }

    static final int WIDTH = 620;
    static final int ROW = 22;
    static final int LABEL_WIDTH = 210;
    static final int TEXT_WIDTH = 110;
    static final int COLUMN_CHART_HEIGHT = 220;
    static final String FONT = "Liberation Sans, Arial, Helvetica, sans-serif";
    static final String BAR_COLOUR = "#2b6a99";
    static final String REFERENCE_COLOUR = "#b3261e";
    static final String MUTED_COLOUR = "#666666";

    private SvgChart() {
    }

    /**
     * Horizontal bars scaled to {@code max}; with a reference, a vertical line at
     * that value, labelled (women's share of volunteers beside each category's
     * share of incidents involving women).
     */
    public static String bars(String title, List<Bar> bars, double max, Double reference, String referenceText) {
        int top = reference == null ? 4 : 22;
        int height = top + Math.max(bars.size(), 1) * ROW + 4;
        int plot = WIDTH - LABEL_WIDTH - TEXT_WIDTH;
        StringBuilder svg = open(title, height);
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = top + i * ROW;
            text(svg, LABEL_WIDTH - 6, y + 15, "end", "#222222", bar.label());
            int length = 0;
            if (bar.value() != null) {
                length = (int) Math.round(plot * scaled(bar.value(), max));
                svg.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 3).append("\" width=\"")
                        .append(length).append("\" height=\"").append(ROW - 6).append("\" fill=\"")
                        .append(BAR_COLOUR).append("\"/>");
            }
            text(svg, LABEL_WIDTH + length + 4, y + 15, "start", bar.value() == null ? MUTED_COLOUR : "#222222",
                    bar.text());
        }
        if (reference != null) {
            int x = LABEL_WIDTH + (int) Math.round(plot * scaled(reference, max));
            svg.append("<line x1=\"").append(x).append("\" y1=\"16\" x2=\"").append(x).append("\" y2=\"")
                    .append(height).append("\" stroke=\"").append(REFERENCE_COLOUR)
                    .append("\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>");
            text(svg, x, 12, "middle", REFERENCE_COLOUR, referenceText);
        }
        return svg.append("</svg>").toString();
    }

    /** Vertical columns in order (months), each labelled below and its text above. */
    public static String columns(String title, List<Bar> bars, double max) {
        int labels = 34;
        int plotTop = 18;
        int plotHeight = COLUMN_CHART_HEIGHT - plotTop - labels;
        StringBuilder svg = open(title, COLUMN_CHART_HEIGHT);
        int slot = bars.isEmpty() ? WIDTH : WIDTH / bars.size();
        int base = plotTop + plotHeight;
        svg.append("<line x1=\"0\" y1=\"").append(base).append("\" x2=\"").append(WIDTH).append("\" y2=\"")
                .append(base).append("\" stroke=\"").append(MUTED_COLOUR).append("\" stroke-width=\"1\"/>");
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int centre = i * slot + slot / 2;
            int length = 0;
            if (bar.value() != null) {
                length = (int) Math.round(plotHeight * scaled(bar.value(), max));
                int width = Math.max(slot * 3 / 5, 1);
                svg.append("<rect x=\"").append(centre - width / 2).append("\" y=\"").append(base - length)
                        .append("\" width=\"").append(width).append("\" height=\"").append(length)
                        .append("\" fill=\"").append(BAR_COLOUR).append("\"/>");
            }
            text(svg, centre, base - length - 4, "middle", bar.value() == null ? MUTED_COLOUR : "#222222",
                    bar.text());
            text(svg, centre, base + 16, "middle", "#222222", bar.label());
        }
        return svg.append("</svg>").toString();
    }

    private static double scaled(double value, double max) {
        return max <= 0 ? 0 : Math.min(Math.max(value / max, 0), 1);
    }

    private static StringBuilder open(String title, int height) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" font-family=\"").append(FONT).append("\" font-size=\"12\"><title>")
                .append(escape(title)).append("</title>");
        return svg;
    }

    private static void text(StringBuilder svg, int x, int y, String anchor, String colour, String text) {
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
                .append("\" fill=\"").append(colour).append("\">").append(escape(text)).append("</text>");
    }

    /** XML text and attribute escaping: labels come from data (commune names). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
