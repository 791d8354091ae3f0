package org.jointregistry.aggregate;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jointregistry.common.Csv;

/**
 * Writes {@link CsvTable} responses as {@link Csv} (with a header line), with
 * k in the X-Min-Cell-Size response header and the perturbation's bound in
 * X-Max-Perturbation. Empty cells are nulls; a commune
 * typed as a formula stays text in a spreadsheet, numbers are never affected.
 */
@Provider
@Produces(Csv.TEXT_CSV)
public class CsvWriter implements MessageBodyWriter<CsvTable> {

    public static final String MIN_CELL_SIZE_HEADER = "X-Min-Cell-Size";
    public static final String MAX_PERTURBATION_HEADER = "X-Max-Perturbation";

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return CsvTable.class.isAssignableFrom(type) && mediaType.isCompatible(MediaType.valueOf(Csv.TEXT_CSV));
    }

    @Override
    public void writeTo(CsvTable table, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        headers.putSingle("Content-Type", Csv.TEXT_CSV + "; charset=UTF-8");
        headers.putSingle(MIN_CELL_SIZE_HEADER, table.minCellSize());
        headers.putSingle(MAX_PERTURBATION_HEADER, table.maxPerturbation());
        Csv.RowWriter csv = Csv.writer(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        csv.row(table.csvHeader());
        for (List<?> line : table.csvLines()) {
            csv.row(line);
        }
        csv.flush();
    }
}
