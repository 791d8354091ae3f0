package org.jointregistry.atrest;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;

/**
 * The service's entry point. Without arguments it serves; with one it runs an
 * operator's key command against the configured database and key-encryption
 * key, then exits (README "Data at rest"):
 * <pre>
 *   generate-master-key FILE          (before the first start; needs nothing else)
 *   rotate-kek
 *   rotate-data-key ORGANISATION [--reseal]
 *   shred ORGANISATION --yes-destroy-its-testimony
 * </pre>
 */
@QuarkusMain
public class RegistryMain {

    private static final String USAGE = "usage: generate-master-key FILE | rotate-kek | "
            + "rotate-data-key ORGANISATION [--reseal] | shred ORGANISATION --yes-destroy-its-testimony";

    public static void main(String... args) throws Exception {
        if (args.length == 2 && "generate-master-key".equals(args[0])) {
            // Needs neither database nor configuration: runs before Quarkus.
            MasterKeyFile.generate(Path.of(args[1]));
            System.out.println("Wrote a new key-encryption key to " + args[1]
                    + ": keep it outside the database and its backups, readable by the service only.");
            return;
        }
        warmUpTink();
        Quarkus.run(Commands.class, args);
    }

    /**
     * Registers Tink's key types on a thread of their own while Quarkus starts
     * on this one. The start needs them only at its end (KeyOperations opens
     * the key-encryption key at the StartupEvent, after Flyway, Hibernate and
     * the HTTP routes), and loading them, protobuf included, is some 500
     * classes on the start's one busy thread; here that loading overlaps the
     * rest of the start on another core. Nothing else changes:
     * registration is idempotent and thread-safe, the key check at start
     * registers again (finding them registered, or waiting for this thread),
     * and if Tink cannot register, that check fails the start as before.
     */
    private static void warmUpTink() {
        Thread warmUp = new Thread(() -> {
            try {
                Sealing.register();
            } catch (IllegalStateException e) {
                // Reported by the key check at start, which registers again and stops the service.
            }
        }, "tink-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** Serves, or runs one key command. */
    public static class Commands implements QuarkusApplication {

        @Inject
        KeyOperations keys;

        @Override
        public int run(String... args) throws Exception {
            List<String> command = List.of(args);
            if (command.isEmpty()) {
                Quarkus.waitForExit();
                return 0;
            }
            switch (command.get(0)) {
                case "rotate-kek" -> keys.rotateKeyEncryptionKey();
                case "rotate-data-key" -> {
                    if (command.size() < 2) {
                        return usage();
                    }
                    keys.rotateDataKey(command.get(1), command.contains("--reseal"));
                }
                case "shred" -> {
                    if (command.size() != 3 || !"--yes-destroy-its-testimony".equals(command.get(2))) {
                        return usage();
                    }
                    keys.shred(command.get(1));
                }
                default -> {
                    return usage();
                }
            }
            return 0;
        }

        private static int usage() {
            System.err.println(USAGE);
            return 2;
        }
    }
}
