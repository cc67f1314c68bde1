package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.quicktheories.core.Gen;

/**
 * Runs the scripts of a model-based test: QuickTheories generates them from a seed and shrinks a
 * failing one; then the shortest failing script seen is cut further, one operation at a time, as
 * long as it still fails, and the failure names that script, the seed and the cause.
 */
final class ModelScripts {
    /** Fewest operations a passing check must have run: a property that ran less proved too little. */
    static final int MIN_OPERATIONS = 1000;

    /** Most re-runs spent cutting a failing script down. */
    private static final int MAX_CUTS = 400;

    private ModelScripts() {}

    /** What a script's failing transaction block throws on purpose. */
    static final class BlockFailed extends RuntimeException {
        BlockFailed() {
            super("the block failed on purpose", null, false, false);
        }
    }

    /**
     * Runs {@code body} in {@code vault.transaction}, whose block then throws {@link BlockFailed}
     * when {@code fails}, and checks the transaction committed or threw as asked; after a rollback
     * runs {@code restore}, which puts the models back as they were before it.
     */
    static void transaction(Vault vault, boolean fails, Runnable body, Runnable restore) {
        try {
            vault.transaction(() -> {
                body.run();
                if (fails) {
                    throw new BlockFailed();
                }
            });
            assertThat(fails).as("the transaction committed").isFalse();
        } catch (BlockFailed e) {
            assertThat(fails).as("the transaction threw").isTrue();
            restore.run();
        }
    }

    /**
     * Runs {@code examples} scripts from {@code scripts} through {@code run}, which throws an
     * {@link AssertionError} when the vault and the model disagree.
     *
     * @throws AssertionError naming the minimal failing script, the seed and the cause, or when the
     *     scripts held fewer than {@link #MIN_OPERATIONS} operations in all
     */
    static <T> void check(long seed, int examples, Gen<List<T>> scripts, Consumer<List<T>> run) {
        List<List<T>> smallest = new ArrayList<>(1);
        long[] operations = {0};
        try {
            qt().withFixedSeed(seed)
                    .withExamples(examples)
                    .withShrinkCycles(100)
                    .forAll(scripts)
                    .checkAssert(ops -> {
                        operations[0] += ops.size();
                        try {
                            run.accept(ops);
                        } catch (AssertionError e) {
                            if (smallest.isEmpty()
                                    || ops.size() < smallest.get(0).size()) {
                                smallest.clear();
                                smallest.add(List.copyOf(ops));
                            }
                            throw e;
                        }
                    });
        } catch (AssertionError failure) {
            if (smallest.isEmpty()) {
                throw failure;
            }
            List<T> script = cut(smallest.get(0), run);
            AssertionError cause = failureOf(script, run);
            AssertionError report = new AssertionError(
                    "the vault and the model disagree (seed " + seed
                            + "); minimal script of " + script.size() + " operations:\n" + script
                            + "\nfails with: " + (cause == null ? "(no longer fails alone)" : cause.getMessage())
                            + "\n--- QuickTheories' report ---\n" + failure.getMessage(),
                    cause == null ? failure : cause);
            throw report;
        }
        if (operations[0] < MIN_OPERATIONS) {
            throw new AssertionError("the scripts held only " + operations[0] + " operations in all (seed " + seed
                    + "); at least " + MIN_OPERATIONS + " are needed");
        }
    }

    /** @return {@code script} with every operation removed whose removal keeps it failing */
    private static <T> List<T> cut(List<T> script, Consumer<List<T>> run) {
        List<T> current = new ArrayList<>(script);
        int runs = 0;
        boolean shorter = true;
        while (shorter && runs < MAX_CUTS) {
            shorter = false;
            for (int i = current.size() - 1; i >= 0 && runs < MAX_CUTS; i--) {
                List<T> candidate = new ArrayList<>(current);
                candidate.remove(i);
                runs++;
                if (failureOf(candidate, run) != null) {
                    current = candidate;
                    shorter = true;
                }
            }
        }
        return current;
    }

    private static <T> AssertionError failureOf(List<T> script, Consumer<List<T>> run) {
        try {
            run.accept(script);
            return null;
        } catch (AssertionError e) {
            return e;
        }
    }
}
