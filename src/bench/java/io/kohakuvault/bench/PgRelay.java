package io.kohakuvault.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay between the PostgreSQL driver and the server that reads the wire protocol as it
 * passes and counts what a call costs: round trips (the driver writes a request in one go, every
 * message of it pipelined, a JDBC batch included, and then waits for the answer: a burst of
 * messages that ends with a {@code Sync}, a simple {@code Query} or a {@code Flush} is one round
 * trip; the server's {@code ReadyForQuery} messages are counted too, and are more when the driver
 * pipelines a simple {@code Query} before an extended one, as its autosave savepoints), the
 * statements executed ({@code Execute} and simple {@code Query} messages) and, by text, which
 * statements they were (a {@code Bind} names the statement a {@code Parse} prepared; a simple
 * {@code Query} carries its text).
 *
 * <p>It is for the untimed counting pass only: every message goes through two more hops and a
 * copy, so nothing timed runs through it. Connect through it with {@code sslmode=disable} and
 * {@code gssEncMode=disable}, so that the stream is plain protocol from the first byte.
 */
final class PgRelay implements AutoCloseable {
    private final String host;
    private final int port;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean closed;

    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong readyForQuery = new AtomicLong();
    private final AtomicLong executes = new AtomicLong();
    private final AtomicLong bytesToServer = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final Map<String, AtomicLong> byStatement = new ConcurrentHashMap<>();

    /** What one call (or a few) cost, read between {@link #mark()} and {@link #since(Mark)}. */
    record Mark(
            long roundTrips,
            long readyForQuery,
            long executes,
            long bytesToServer,
            long bytesToClient,
            Map<String, Long> statements) {}

    /**
     * @param host the server's host
     * @param port the server's port
     */
    PgRelay(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "pg-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the port to connect to instead of the server's */
    int port() {
        return listener.getLocalPort();
    }

    /** @return the counters now, to subtract from later ones */
    Mark mark() {
        Map<String, Long> copy = new LinkedHashMap<>();
        byStatement.forEach((k, v) -> copy.put(k, v.get()));
        return new Mark(
                roundTrips.get(), readyForQuery.get(), executes.get(), bytesToServer.get(), bytesToClient.get(), copy);
    }

    /** @return what passed since {@code start} */
    Mark since(Mark start) {
        Mark now = mark();
        Map<String, Long> statements = new LinkedHashMap<>();
        now.statements().forEach((k, v) -> {
            long d = v - start.statements().getOrDefault(k, 0L);
            if (d > 0) {
                statements.put(k, d);
            }
        });
        return new Mark(
                now.roundTrips() - start.roundTrips(),
                now.readyForQuery() - start.readyForQuery(),
                now.executes() - start.executes(),
                now.bytesToServer() - start.bytesToServer(),
                now.bytesToClient() - start.bytesToClient(),
                statements);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                start("pg-relay-up", () -> upstream(client, server));
                start("pg-relay-down", () -> downstream(server, client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("pg relay: " + e);
                }
            }
        }
    }

    private static void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** Client to server: the startup message (no type byte), then typed messages. */
    private void upstream(Socket client, Socket server) {
        Map<String, String> prepared = new ConcurrentHashMap<>();
        String[] unnamed = {""};
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream(), 1 << 16));
                OutputStream out = server.getOutputStream()) {
            int length = in.readInt();
            byte[] startup = new byte[length];
            writeInt(startup, 0, length);
            in.readFully(startup, 4, length - 4);
            out.write(startup);
            bytesToServer.addAndGet(length);
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int len = in.readInt();
                byte[] message = new byte[len + 1];
                message[0] = (byte) type;
                writeInt(message, 1, len);
                in.readFully(message, 5, len - 4);
                switch (type) {
                    case 'Q' -> {
                        executes.incrementAndGet();
                        count(cString(message, 5) + " [simple query]");
                    }
                    case 'P' -> {
                        int at = 5;
                        String name = cString(message, at);
                        at += name.getBytes(StandardCharsets.UTF_8).length + 1;
                        String sql = cString(message, at);
                        if (name.isEmpty()) {
                            unnamed[0] = sql;
                        } else {
                            prepared.put(name, sql);
                        }
                    }
                    case 'B' -> {
                        int at = 5;
                        String portal = cString(message, at);
                        at += portal.getBytes(StandardCharsets.UTF_8).length + 1;
                        String name = cString(message, at);
                        count(name.isEmpty() ? unnamed[0] : prepared.getOrDefault(name, "?"));
                    }
                    case 'E' -> executes.incrementAndGet();
                    default -> {
                        // Sync, Describe, Close, Flush, Terminate, CopyData...: passed on, not counted
                    }
                }
                // The driver writes a request in one go and then waits: a burst that ends with a Sync, a
                // simple Query or a Flush is one round trip, however many statements it pipelines. Looked
                // at before the message goes on: the next request cannot come before its answer.
                if (in.available() == 0 && (type == 'S' || type == 'Q' || type == 'H')) {
                    roundTrips.incrementAndGet();
                }
                out.write(message);
                bytesToServer.addAndGet(message.length);
            }
        } catch (EOFException e) {
            // the connection ended
        } catch (IOException e) {
            // the other side closed
        } finally {
            closeQuietly(server);
        }
    }

    /** Server to client: typed messages from the first byte; counts ReadyForQuery. */
    private void downstream(Socket server, Socket client) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(server.getInputStream(), 1 << 16));
                OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[1 << 16];
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int len = in.readInt();
                buffer[0] = (byte) type;
                writeInt(buffer, 1, len);
                int header = 5;
                int remaining = len - 4;
                // Large rows (a 1 MiB value) pass in pieces; only the type matters here.
                int first = Math.min(remaining, buffer.length - header);
                in.readFully(buffer, header, first);
                remaining -= first;
                if (type == 'Z') {
                    readyForQuery.incrementAndGet();
                }
                out.write(buffer, 0, header + first);
                while (remaining > 0) {
                    int n = Math.min(remaining, buffer.length);
                    in.readFully(buffer, 0, n);
                    out.write(buffer, 0, n);
                    remaining -= n;
                }
                bytesToClient.addAndGet(len + 1L);
            }
        } catch (EOFException e) {
            // the connection ended
        } catch (IOException e) {
            // the other side closed
        } finally {
            closeQuietly(client);
        }
    }

    private void count(String sql) {
        byStatement.computeIfAbsent(shorten(sql), k -> new AtomicLong()).incrementAndGet();
    }

    /** @return the statement's text with long IN lists and VALUES lists folded, for the report */
    static String shorten(String sql) {
        String s = sql.replaceAll("\\s+", " ").trim().replaceAll("\\$\\d+", "?");
        s = fold(s, ROWS, "(?, ?, ?, null, ?) x ");
        s = fold(s, PARAMETERS, "? x ");
        s = s.replaceAll("vault_[a-z_]+\\.", "");
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }

    private static final Pattern ROWS =
            Pattern.compile("\\(\\?, \\?, \\?, null, \\?\\)(, \\(\\?, \\?, \\?, null, \\?\\))+");
    private static final Pattern PARAMETERS = Pattern.compile("\\?(, \\?){3,}");

    /** Replaces each run that {@code p} matches by {@code label} and how many items it held. */
    private static String fold(String s, Pattern p, String label) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int items = m.group().split(label.startsWith("(") ? "\\), \\(" : ", ").length;
            m.appendReplacement(out, Matcher.quoteReplacement(label + items));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String cString(byte[] message, int from) {
        int end = from;
        while (end < message.length && message[end] != 0) {
            end++;
        }
        return new String(message, from, end - from, StandardCharsets.UTF_8);
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        synchronized (sockets) {
            sockets.forEach(PgRelay::closeQuietly);
        }
    }
}
