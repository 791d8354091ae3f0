package org.jointregistry.report;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the document writes figures in its language: counts with digit grouping,
 * shares as percentages with the JSON's precision (4 decimals of a share are 2
 * of a percentage, so nothing is rounded away), dates in words. The symbols are
 * fixed here rather than taken from the JDK's locale data, which changes
 * between releases (French grouping became U+202F in Java 13): a snapshot's
 * document must read the same on every runtime.
 */
final class Figures {

    private static final char NO_BREAK_SPACE = '\u00a0';

    private final ReportLanguage language;
    private final DecimalFormat counts;
    private final DecimalFormat percentages;

    Figures(ReportLanguage language) {
        this.language = language;
        DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(Locale.ROOT);
        symbols.setGroupingSeparator(language == ReportLanguage.FR ? NO_BREAK_SPACE : ',');
        symbols.setDecimalSeparator(language == ReportLanguage.FR ? ',' : '.');
        this.counts = new DecimalFormat("#,##0", symbols);
        this.percentages = new DecimalFormat("#,##0.00", symbols);
    }

    String count(long value) {
        return counts.format(value);
    }

    /** A share of 0 to 1 as a percentage: 0.5714 is 57.14% (57,14 % in French). */
    String share(BigDecimal share) {
        String number = percentages.format(share.movePointRight(2));
        return language == ReportLanguage.FR ? number + NO_BREAK_SPACE + "%" : number + "%";
    }

    String date(LocalDate day) {
        return day.format(DateTimeFormatter.ofPattern("d MMMM uuuu", language.locale()));
    }

    /** An instant as recorded, with its offset: "10 January 2018, 11:00 (+01:00)". */
    String dateTime(OffsetDateTime at) {
        return date(at.toLocalDate()) + ", " + at.format(DateTimeFormatter.ofPattern("HH:mm")) + " ("
                + at.getOffset().getId().replace("Z", "+00:00") + ")";
    }

    String month(YearMonth month) {
        return month.format(DateTimeFormatter.ofPattern("MMMM uuuu", language.locale()));
    }

    String shortMonth(YearMonth month) {
        return month.format(DateTimeFormatter.ofPattern("MMM uu", language.locale()));
    }
}
