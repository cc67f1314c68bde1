package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Java example of the documentation compiles: each {@code ```java} block of README.md and each
 * {@code <pre>{@code ...}</pre>} block of the public javadoc (src/main/java/io/kohakuvault/*.java)
 * becomes the body of a method in a class of its own, after a {@link #PRELUDE} that declares what
 * the examples take as given ({@code vault}, {@code kv}, {@code bytes}, ...). A failure names the
 * file and line of the example and the compiler's message.
 */
class DocExamplesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    /** The imports and fields every example may use; an example's own declarations shadow them. */
    private static final String PRELUDE = String.join(
            "\n",
            "package doc.examples;",
            "import io.kohakuvault.*;",
            "import java.io.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import static java.nio.charset.StandardCharsets.UTF_8;",
            "@SuppressWarnings(\"all\")",
            "class %s {",
            "    record Settings(String theme, int fontSize) {}",
            "    record Event(long at, String kind) {}",
            "    Vault vault; KVault kv;",
            "    byte[] bytes, defaults, order, orderIds, v, sha256;",
            "    float[] embedding, query;",
            "    long now, size;",
            "    InputStream inputStream; OutputStream outputStream;",
            "    void example() throws Exception {");

    private static final int PRELUDE_LINES = PRELUDE.split("\n", -1).length;

    /** An example: where it is written, and its code. */
    record Example(String file, int firstLine, String code) {}

    @Test
    void examples_compile() throws IOException {
        List<Example> examples = new ArrayList<>(readmeExamples(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("src/main/java/io/kohakuvault"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                examples.addAll(javadocExamples(file));
            }
        }
        assertThat(examples).as("examples found").hasSizeGreaterThan(20);
        assertThat(compile(examples)).as("examples that do not compile").isEmpty();
    }

    /** The {@code ```java} blocks of a Markdown file; import lines are left to the prelude. */
    static List<Example> readmeExamples(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Example> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int first = i + 1;
            StringBuilder code = new StringBuilder();
            for (i = first; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                String line = lines.get(i);
                code.append(line.startsWith("import ") ? "" : line).append('\n');
            }
            found.add(new Example(ROOT.relativize(file).toString(), first + 1, code.toString()));
        }
        return found;
    }

    private static final Pattern JAVADOC_BLOCK = Pattern.compile("<pre>\\{@code(.*?)}</pre>", Pattern.DOTALL);

    /** The {@code <pre>{@code ...}</pre>} blocks of a source file's javadoc, shell commands left out. */
    static List<Example> javadocExamples(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<Example> found = new ArrayList<>();
        Matcher m = JAVADOC_BLOCK.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start(1))
                            .chars()
                            .filter(c -> c == '\n')
                            .count()
                    + 1;
            StringBuilder code = new StringBuilder();
            for (String raw : m.group(1).split("\n", -1)) {
                code.append(raw.replaceFirst("^\\s*\\* ?", "").replace("&#64;", "@"))
                        .append('\n');
            }
            String body = code.toString();
            if (body.strip().startsWith("./")) {
                continue; // a command line, not Java
            }
            found.add(new Example(ROOT.relativize(file).toString(), line, body));
        }
        return found;
    }

    /** @return one line per compiler error: file:line: message */
    static List<String> compile(List<Example> examples) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            String name = "Example" + i;
            String source = PRELUDE.formatted(name) + "\n" + examples.get(i).code() + "\n    }\n}\n";
            sources.add(
                    new SimpleJavaFileObject(
                            URI.create("string:///doc/examples/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return source;
                        }
                    });
        }
        Path out = Files.createTempDirectory("doc-examples");
        try (StandardJavaFileManager files =
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options =
                    List.of("-proc:none", "-d", out.toString(), "-classpath", System.getProperty("java.class.path"));
            javac.getTask(null, files, diagnostics, options, null, sources).call();
        } finally {
            try (Stream<Path> walk = Files.walk(out)) {
                for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
                continue;
            }
            String name = Path.of(d.getSource().toUri().getPath()).getFileName().toString();
            Example e = examples.get(Integer.parseInt(name.replaceAll("\\D", "")));
            long line = e.firstLine() + d.getLineNumber() - PRELUDE_LINES - 1;
            errors.add(e.file() + ":" + line + ": " + d.getMessage(Locale.ROOT));
        }
        return errors;
    }
}
