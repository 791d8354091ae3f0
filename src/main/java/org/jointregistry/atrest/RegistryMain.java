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
        Quarkus.run(Commands.class, args);
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
