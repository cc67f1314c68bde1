package io.kohakuvault.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operating-system user that runs a test cluster's {@code initdb}, {@code pg_ctl} and
 * {@code postgres}. These three refuse to run as root, and CI runs the tests as root: then they run
 * as {@code nobody}, through util-linux's {@code setpriv} (no PAM, no login shell, supplementary
 * groups cleared) or, where that is missing, {@code runuser}; the directories they write are
 * handed to that user first. As any other user they run directly, as that user.
 */
final class ServerUser {
    /** The account a root JVM hands the server to: it exists everywhere, and owns nothing. */
    static final String UNPRIVILEGED = "nobody";

    /** A user's numeric ids, as /etc/passwd gives them. */
    private record Ids(int uid, int gid) {}

    private final String name;
    private final List<String> prefix;
    private final Ids ids;

    private ServerUser(String name, List<String> prefix, Ids ids) {
        this.name = name;
        this.prefix = List.copyOf(prefix);
        this.ids = ids;
    }

    /**
     * @return the user for this JVM: itself, or {@code nobody} when it runs as root
     * @throws IllegalStateException when the JVM is root and there is no {@code nobody} in
     *     /etc/passwd, or neither {@code setpriv} nor {@code runuser}
     */
    static ServerUser forThisJvm() {
        if (!isRoot()) {
            return new ServerUser(System.getProperty("user.name"), List.of(), new Ids(-1, -1));
        }
        Ids ids = passwdIds(UNPRIVILEGED)
                .orElseThrow(() -> new IllegalStateException("the JVM runs as root, and PostgreSQL refuses to: it "
                        + "would run the server as '" + UNPRIVILEGED + "', but /etc/passwd has no such user"));
        Optional<Path> setpriv = executable("setpriv", "/usr/bin", "/bin");
        if (setpriv.isPresent()) {
            return new ServerUser(
                    UNPRIVILEGED,
                    List.of(
                            setpriv.get().toString(),
                            "--reuid=" + ids.uid(),
                            "--regid=" + ids.gid(),
                            "--clear-groups",
                            "--"),
                    ids);
        }
        Optional<Path> runuser = executable("runuser", "/usr/sbin", "/sbin", "/usr/bin", "/bin");
        if (runuser.isPresent()) {
            return new ServerUser(UNPRIVILEGED, List.of(runuser.get().toString(), "-u", UNPRIVILEGED, "--"), ids);
        }
        throw new IllegalStateException("the JVM runs as root, and PostgreSQL refuses to: it would run the "
                + "server as '" + UNPRIVILEGED + "' through setpriv or runuser (util-linux), but neither is installed");
    }

    /** @return whether this JVM runs as root (uid 0); false where there are no Unix uids */
    static boolean isRoot() {
        if (!File.separator.equals("/")) {
            return false;
        }
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** @return the user's name, for messages */
    String name() {
        return name;
    }

    /** @return whether the server runs as another user than this JVM */
    boolean switches() {
        return !prefix.isEmpty();
    }

    /** @return {@code command} as this user runs it: unchanged, or behind setpriv or runuser */
    List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /**
     * Gives {@code path} (not what it holds) to this user, when that is another user than this
     * JVM's; otherwise does nothing.
     *
     * @throws IOException when the owner cannot be changed
     */
    void own(Path path) throws IOException {
        if (!switches()) {
            return;
        }
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        // The JDK takes a number where no user or group has that name: the ids need no names.
        view.setOwner(lookup.lookupPrincipalByName(Integer.toString(ids.uid())));
        view.setGroup(lookup.lookupPrincipalByGroupName(Integer.toString(ids.gid())));
    }

    /** @return the uid and primary gid of {@code user} in /etc/passwd, if it is there */
    private static Optional<Ids> passwdIds(String user) {
        try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.map(line -> line.split(":", -1))
                    .filter(fields -> fields.length >= 4 && fields[0].equals(user))
                    .findFirst()
                    .map(fields -> new Ids(Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @return the first executable {@code name} in {@code dirs}, then on the PATH */
    static Optional<Path> executable(String name, String... dirs) {
        List<String> search = new ArrayList<>(List.of(dirs));
        String path = System.getenv("PATH");
        if (path != null) {
            search.addAll(List.of(path.split(File.pathSeparator)));
        }
        return search.stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
