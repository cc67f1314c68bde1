package io.kohakuvault.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error for long work, with bytes, rate and time left; shown only when
 * a person watches a terminal. Otherwise it does and prints nothing.
 */
final class Progress implements AutoCloseable {
    private final @org.jspecify.annotations.Nullable ProgressBar bar;

    private Progress(@org.jspecify.annotations.Nullable ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * @param io the command's streams
     * @param task what is being done
     * @param totalBytes how many bytes the work is, or -1 when unknown
     * @return a bar on a terminal, else one that does nothing
     */
    static Progress start(Io io, String task, long totalBytes) {
        if (!io.interactive()) {
            return new Progress(null);
        }
        PrintStream err = io.err();
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes)
                .setUnit(" MiB", 1 << 20)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .build();
        return new Progress(bar);
    }

    /** @param bytes bytes just done */
    void step(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
