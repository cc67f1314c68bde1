package io.kohakuvault.cli;

import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.NotFoundException;
import io.kohakuvault.internal.db.ServerUrls;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point: builds the command tree and maps every failure to the exit statuses of the
 * contract (0 done, 1 not found or damaged, 2 bad usage) with one line on standard error.
 */
@Command(
        name = "kohakuvault",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Look inside, verify, back up and copy KohakuVault files.",
        footer = "Exit status: 0 done, 1 not found or damaged, 2 bad usage.")
public final class Main implements Runnable {
    /** Exit status when something was not found or is damaged. */
    static final int NOT_FOUND = 1;
    /** Exit status on bad usage. */
    static final int USAGE = 2;

    /** A JDBC URL in a message, up to a blank or the quote picocli puts around an argument. */
    private static final Pattern JDBC_URL = Pattern.compile("(?i)jdbc:[^\\s']+");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs one command and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(new Io(System.in, out, err, System.console() != null), args);
        System.exit(status);
    }

    /**
     * Runs one command with the given streams.
     *
     * @param io where input comes from and output goes
     * @param args the command line
     * @return the exit status
     */
    static int run(Io io, String... args) {
        int status = commandLine(io).execute(args);
        io.flush();
        return status;
    }

    /**
     * @param io the streams the commands use
     * @return the command tree, with its error handling
     */
    static CommandLine commandLine(Io io) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand("info", new InfoCommand(io));
        cli.addSubcommand("ls", new LsCommand(io));
        cli.addSubcommand("get", new GetCommand(io));
        cli.addSubcommand("put", new PutCommand(io));
        cli.addSubcommand("rm", new RmCommand(io));
        cli.addSubcommand("cat", new CatCommand(io));
        cli.addSubcommand("export", new ExportCommand(io));
        cli.addSubcommand("plot", new PlotCommand(io));
        cli.addSubcommand("verify", new VerifyCommand(io));
        cli.addSubcommand("backup", new BackupCommand(io));
        cli.addSubcommand("copy", new CopyCommand(io));
        cli.addSubcommand("generate-completion", new AutoComplete.GenerateCompletion());
        PrintWriter out = new PrintWriter(io.text(), true);
        PrintWriter err = new PrintWriter(io.err(), true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, args) -> {
            String message = e instanceof CommandLine.UnmatchedArgumentException u
                            && u.getCommandLine() == cli
                            && !u.getUnmatched().isEmpty()
                    ? "unknown command '" + u.getUnmatched().get(0) + "'"
                    : oneLine(e.getMessage());
            // picocli's messages repeat the arguments they could not place, a jdbc: URL among them
            message =
                    JDBC_URL.matcher(message).replaceAll(m -> Matcher.quoteReplacement(ServerUrls.redacted(m.group())));
            err.println("kohakuvault: " + message + " (see kohakuvault --help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            err.println("kohakuvault: " + oneLine(message(e)));
            return status(e);
        });
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    private static int status(Exception e) {
        if (e instanceof CliException cli) {
            return cli.status();
        }
        if (e instanceof InvalidArgumentException) {
            return USAGE;
        }
        return NOT_FOUND;
    }

    private static String message(Exception e) {
        if (e instanceof CliException || e instanceof KohakuVaultException || e instanceof NotFoundException) {
            return String.valueOf(e.getMessage());
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String oneLine(@org.jspecify.annotations.Nullable String message) {
        return message == null ? "failed" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The version, from the jar's manifest (the library's version). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kohakuvault " + (version == null ? "(development build)" : version)};
        }
    }

    /** Keeps the JDK's standard input for {@code put -}. */
    static InputStream stdin() {
        return System.in;
    }
}
