package org.jointregistry.ha;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The engines of the highly available layout, from Debian's packages: Patroni,
 * etcd (server and client), HAProxy and PostgreSQL. As root, the drill installs
 * the missing ones with apt-get; otherwise it stops and says what to install.
 */
final class HaPackages {

    static final String PATRONI = "/usr/bin/patroni";
    static final String ETCD = "/usr/bin/etcd";
    static final String HAPROXY = "/usr/sbin/haproxy";
    private static final Path POSTGRESQL = Path.of("/usr/lib/postgresql");
    private static final List<String> PACKAGES = List.of("patroni", "etcd-server", "etcd-client", "haproxy",
            "postgresql");

    private HaPackages() {
    }

    /** Installs what is missing (as root), or fails saying which apt-get command would. */
    static void ensureInstalled() throws IOException, InterruptedException {
        boolean complete = Stream.of(PATRONI, ETCD, HAPROXY).allMatch(p -> Files.isExecutable(Path.of(p)))
                && newestPostgres().isPresent();
        if (complete) {
            return;
        }
        String install = "apt-get install -y --no-install-recommends " + String.join(" ", PACKAGES);
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("The HA drill needs Debian's " + PACKAGES + ": run `sudo apt-get update && "
                    + "sudo " + install + "`, or run the drill as root");
        }
        // Waits for a dpkg lock another installation holds, rather than failing at once.
        run(List.of("apt-get", "update", "-qq"));
        List<String> command = new java.util.ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "-o",
                "DPkg::Lock::Timeout=600", "--no-install-recommends"));
        command.addAll(PACKAGES);
        run(command);
    }

    /** The bin directory of the newest PostgreSQL the packages installed, /usr/lib/postgresql/N/bin. */
    static Path postgresBinaries() {
        return newestPostgres().orElseThrow(() -> new IllegalStateException("No PostgreSQL under " + POSTGRESQL));
    }

    private static Optional<Path> newestPostgres() {
        if (!Files.isDirectory(POSTGRESQL)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(POSTGRESQL)) {
            return versions.filter(v -> v.getFileName().toString().matches("[0-9]+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
        }
    }
}
