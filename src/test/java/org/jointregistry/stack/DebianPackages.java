package org.jointregistry.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The external programs a drill or the benchmark runs, from Debian's packages:
 * as root where apt-get is, the missing ones are installed (one `apt-get
 * update`, then one install); otherwise the run stops at once, before any
 * work, saying which command to run.
 */
public final class DebianPackages {

    private DebianPackages() {
    }

    /**
     * Installs {@code packages} unless {@code complete}, as root with apt-get;
     * else fails naming {@code who} and the command that would.
     */
    public static void ensure(String who, boolean complete, List<String> packages)
            throws IOException, InterruptedException {
        if (complete) {
            return;
        }
        String install = "apt-get install -y --no-install-recommends " + String.join(" ", packages);
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new IllegalStateException(who + " needs Debian's " + packages + ": run `sudo apt-get update && "
                    + "sudo " + install + "` (or install them your system's way), or run it as root on Debian");
        }
        run(List.of("apt-get", "update", "-qq"));
        // Waits for a dpkg lock another installation holds, rather than failing at once.
        List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "-o",
                "DPkg::Lock::Timeout=600", "--no-install-recommends"));
        command.addAll(packages);
        run(command);
    }

    /** Whether {@code program} is an executable file in a folder of PATH. */
    public static boolean onPath(String program) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /** Whether {@code command} runs and exits 0 (Debian's pgbench wrapper exits 1 without the real program). */
    public static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
