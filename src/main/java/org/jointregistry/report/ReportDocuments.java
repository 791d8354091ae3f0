package org.jointregistry.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;
import com.openhtmltopdf.util.XRLog;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Calendar;
import java.util.EnumSet;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;

/**
 * Renders the joint report's JSON document as a printable HTML page and as
 * PDF, server-side: a Qute template, inline SVG charts, one stylesheet inlined
 * and allowed by its hash, nothing fetched (the PDF renderer is refused every
 * external resource, and SVG scripts). The PDF of the same document, language
 * and creation time is the same bytes: its dates are the given time and its
 * file identifier is derived from the document's hash.
 */
@ApplicationScoped
public class ReportDocuments {

    public static final String PDF = "application/pdf";

    /** The page's one stylesheet, inlined; the policy allows it by hash. */
    static final String CSS = resource("report/document.css");

    /**
     * The document's own Content-Security-Policy: nothing loads, runs or frames;
     * the inline stylesheet is allowed by its SHA-256 alone (no 'unsafe-inline').
     * SVG presentation attributes are not styles, so the charts need no more.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'sha256-"
            + Base64.getEncoder().encodeToString(sha256(CSS.getBytes(StandardCharsets.UTF_8)))
            + "'; img-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** Bundled with PDFBox and embedded (subset) in each PDF, so the PDF reads the same everywhere. */
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final String FONT_FAMILY = "Liberation Sans";

    static {
        // openhtmltopdf logs on its own console handler, outside the service's log settings, and its
        // diagnostics may quote the document's text; a failure to render still throws.
        XRLog.setLoggingEnabled(false);
    }

    @Inject
    Template report;

    @Inject
    ObjectMapper json;

    /** The document as a complete HTML page (UTF-8). */
    public String html(String document, ReportLanguage language, ReportPage.Snapshot snapshot) {
        try {
            return report.data("page", ReportView.page(json.readTree(document), language, CSS, snapshot)).render();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The report document is not JSON", e);
        }
    }

    /** The same page as PDF, dated {@code createdAt}. */
    public byte[] pdf(String document, ReportLanguage language, ReportPage.Snapshot snapshot, Instant createdAt) {
        PdfRendererBuilder builder = new PdfRendererBuilder()
                .useFastMode()
                .withHtmlContent(html(document, language, snapshot), null)
                .useSVGDrawer(new BatikSVGDrawer(BatikSVGDrawer.SvgScriptMode.SECURE,
                        BatikSVGDrawer.SvgExternalResourceMode.SECURE))
                .useExternalResourceAccessControl((uri, type) -> false,
                        ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI)
                .useExternalResourceAccessControl((uri, type) -> false,
                        ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI)
                .withProducer("Joint Incident Registry");
        for (int weight : List.of(400, 700)) {
            builder.useFont(() -> ReportDocuments.class.getResourceAsStream(FONT), FONT_FAMILY, weight,
                    BaseRendererBuilder.FontStyle.NORMAL, true,
                    EnumSet.of(BaseRendererBuilder.FSFontUseCase.DOCUMENT, BaseRendererBuilder.FSFontUseCase.SVG));
        }
        try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
            renderer.layout();
            try (PDDocument pdf = renderer.createPDFKeepOpen()) {
                PDDocumentInformation info = pdf.getDocumentInformation();
                Calendar at = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
                at.setTimeInMillis(createdAt.toEpochMilli());
                info.setCreationDate(at);
                info.setModificationDate(at);
                // PDFBox would otherwise write a file identifier made from the clock.
                byte[] id = Arrays.copyOf(sha256((document + '\n' + language.code() + '\n' + createdAt)
                        .getBytes(StandardCharsets.UTF_8)), 16);
                COSArray ids = new COSArray();
                ids.add(new COSString(id));
                ids.add(new COSString(id));
                pdf.getDocument().getTrailer().setItem(COSName.ID, ids);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                pdf.save(out);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The report PDF could not be written", e);
        }
    }

    /** An RFC 9530 Repr-Digest header value: {@code sha-256=:base64:}. */
    public static String reprDigest(byte[] body) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(body)) + ":";
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ReportDocuments.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
