package org.jointregistry.ha;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jointregistry.stack.DebianPackages;

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
        DebianPackages.ensure("The HA drill", Stream.of(PATRONI, ETCD, HAPROXY)
                .allMatch(p -> Files.isExecutable(Path.of(p))) && newestPostgres().isPresent(), PACKAGES);
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
}
