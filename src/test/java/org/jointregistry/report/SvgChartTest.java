package org.jointregistry.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

/** The chart code alone: bar lengths, withheld bars, escaping, the reference line. */
class SvgChartTest {

    private static final int PLOT = SvgChart.WIDTH - SvgChart.LABEL_WIDTH - SvgChart.TEXT_WIDTH;

    @Test
    void barsAreProportionalAndAWithheldOneIsOnlyText() {
        Document svg = parse(SvgChart.bars("By <commune>", List.of(new SvgChart.Bar("Calais", 4.0, "4"),
                new SvgChart.Bar("A&B \"x\"", 1.0, "1"), new SvgChart.Bar("Loon-Plage", null, "fewer than 3")),
                4, null, null));
        List<Element> bars = svg.select("rect");
        assertEquals(2, bars.size(), "no bar for the withheld value");
        assertEquals(String.valueOf(PLOT), bars.get(0).attr("width"));
        assertEquals(String.valueOf(Math.round(PLOT / 4.0)), bars.get(1).attr("width"));
        assertEquals(List.of("Calais", "4", "A&B \"x\"", "1", "Loon-Plage", "fewer than 3"),
                svg.select("text").eachText());
        assertEquals("By <commune>", svg.selectFirst("title").text());
        assertEquals(String.valueOf(4 + 3 * SvgChart.ROW + 4), svg.selectFirst("svg").attr("height"));
        assertTrue(svg.select("line").isEmpty());
    }

    @Test
    void nothingInTheMarkupNeedsMoreThanThePagesPolicy() {
        String markup = SvgChart.bars("t", List.of(new SvgChart.Bar("<script>alert(1)</script>", 1.0, "1")), 1,
                0.5, "Women: 50%") + SvgChart.columns("t", List.of(new SvgChart.Bar("Jan", 2.0, "2")), 2);
        assertFalse(markup.contains("<script"), markup);
        assertFalse(markup.contains("style="), "presentation attributes only");
        assertFalse(markup.contains("href"), "no reference to anything outside");
    }

    @Test
    void aReferenceLineMarksTheShareToCompareWith() {
        Document svg = parse(SvgChart.bars("shares", List.of(new SvgChart.Bar("Body search", 0.75, "75.00%")), 1,
                0.5, "Women among volunteers: 50.00%"));
        Element line = svg.selectFirst("line");
        assertEquals(String.valueOf(SvgChart.LABEL_WIDTH + Math.round(PLOT * 0.5)), line.attr("x1"));
        assertEquals(line.attr("x1"), line.attr("x2"));
        assertTrue(svg.select("text").eachText().contains("Women among volunteers: 50.00%"));
        assertEquals(String.valueOf(Math.round(PLOT * 0.75)), svg.selectFirst("rect").attr("width"));
    }

    @Test
    void columnsStandOnABaseLineInOrder() {
        Document svg = parse(SvgChart.columns("months", List.of(new SvgChart.Bar("Jan 18", 3.0, "3"),
                new SvgChart.Bar("Feb 18", 0.0, "0"), new SvgChart.Bar("Mar 18", null, "fewer than 3"),
                new SvgChart.Bar("Apr 18", 6.0, "6")), 6));
        List<Element> columns = svg.select("rect");
        assertEquals(3, columns.size());
        int plotHeight = SvgChart.COLUMN_CHART_HEIGHT - 18 - 34;
        assertEquals(String.valueOf(Math.round(plotHeight / 2.0)), columns.get(0).attr("height"));
        assertEquals("0", columns.get(1).attr("height"));
        assertEquals(String.valueOf(plotHeight), columns.get(2).attr("height"));
        int slot = SvgChart.WIDTH / 4;
        assertTrue(Integer.parseInt(columns.get(2).attr("x")) > 3 * slot, "April is the fourth slot");
        assertEquals(List.of("3", "Jan 18", "0", "Feb 18", "fewer than 3", "Mar 18", "6", "Apr 18"),
                svg.select("text").eachText());
    }

    private static Document parse(String svg) {
        return Jsoup.parse(svg, Parser.xmlParser());
    }
}
