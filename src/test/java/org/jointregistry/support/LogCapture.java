package org.jointregistry.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Captures every log record the service emits while it is open, from every
 * logger and thread of the test JVM (the service runs in it), at the levels
 * the configuration sets. Each record is kept as all a log sink could ever
 * write of it: logger, level, formatted message, parameters, MDC, and every
 * exception in its chain with its message. Use with canary strings:
 *
 * <pre>
 * try (LogCapture logs = LogCapture.start()) {
 *     ... requests carrying a canary and a token ...
 *     logs.assertContainsNone(canary, token);
 * }
 * </pre>
 */
public final class LogCapture implements AutoCloseable {

    private final Queue<String> records = new ConcurrentLinkedQueue<>();
    private final Handler handler = new Handler() {
        private final Formatter messages = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            records.add(describe(record, messages));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
        handler.setLevel(Level.ALL);
        root().addHandler(handler);
    }

    /** Starts capturing, and proves the capture live with a probe record (a dead capture would pass any test). */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        String probe = "log capture probe " + System.nanoTime();
        Logger.getLogger(LogCapture.class.getName()).info(probe);
        if (capture.records.stream().noneMatch(r -> r.contains(probe))) {
            capture.close();
            throw new IllegalStateException("the capture handler receives nothing: is the JBoss LogManager in use?");
        }
        return capture;
    }

    /** All records captured so far, one per line (a record's exceptions follow on its line). */
    public List<String> records() {
        return new ArrayList<>(records);
    }

    /** Fails naming each secret that reached the log, and the record it is in. */
    public void assertContainsNone(String... secrets) {
        List<String> leaks = new ArrayList<>();
        for (String record : records) {
            for (String secret : secrets) {
                if (record.contains(secret)) {
                    leaks.add("[" + secret + "] in: " + record);
                }
            }
        }
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " secret(s) reached the log:\n" + String.join("\n", leaks));
        }
    }

    @Override
    public void close() {
        root().removeHandler(handler);
    }

    /** The formatter of the service's console handler, to check the configured log format. */
    public static Formatter consoleFormatter() {
        return Arrays.stream(root().getHandlers())
                .flatMap(LogCapture::selfAndNested)
                .filter(h -> h.getClass().getSimpleName().contains("Console"))
                .map(Handler::getFormatter)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no console handler on the root logger"));
    }

    private static Stream<Handler> selfAndNested(Handler handler) {
        Stream<Handler> self = Stream.of(handler);
        if (handler instanceof ExtHandler ext) {
            return Stream.concat(self, Arrays.stream(ext.getHandlers())
                    .flatMap(LogCapture::selfAndNested));
        }
        return self;
    }

    private static String describe(LogRecord record, Formatter messages) {
        StringBuilder line = new StringBuilder()
                .append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ")
                .append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : messages.formatMessage(record));
        if (record.getParameters() != null) {
            line.append(" | parameters ").append(Arrays.deepToString(record.getParameters()));
        }
        if (record instanceof ExtLogRecord ext && !ext.getMdcCopy().isEmpty()) {
            line.append(" | mdc ").append(ext.getMdcCopy());
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            line.append(" | ").append(t);
            for (Throwable suppressed : t.getSuppressed()) {
                line.append(" | suppressed ").append(suppressed);
            }
        }
        return line.toString();
    }

    private static Logger root() {
        return Logger.getLogger("");
    }
}
