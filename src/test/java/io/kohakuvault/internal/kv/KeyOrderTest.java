package io.kohakuvault.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KeyOrder sorts exactly as a plain stable sort by unsigned bytes would. */
class KeyOrderTest {
    private record Item(byte[] key, int arrival) {}

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 10, 1000, 20_000})
    void sort_matchesStableUnsignedSort_onAwkwardKeys(int n) {
        Random random = new Random(n);
        Item[] items = new Item[n];
        for (int i = 0; i < n; i++) {
            items[i] = new Item(awkwardKey(random), i);
        }
        Item[] expected = items.clone();
        Arrays.sort(expected, (a, b) -> Arrays.compareUnsigned(a.key(), b.key())); // stable
        Function<Item, byte[]> key = Item::key;
        KeyOrder.sort(items, key);
        assertThat(items).containsExactly(expected);
    }

    /** Shared prefixes, keys that are prefixes of others, high bytes, empty keys and duplicates. */
    private static byte[] awkwardKey(Random random) {
        List<Byte> bytes = new ArrayList<>();
        String prefix = random.nextInt(4) == 0 ? "" : "image:0000";
        for (byte b : prefix.getBytes()) {
            bytes.add(b);
        }
        int tail = random.nextInt(12);
        for (int i = 0; i < tail; i++) {
            int kind = random.nextInt(3);
            bytes.add((byte) (kind == 0 ? 0 : kind == 1 ? 0xff : '0' + random.nextInt(3)));
        }
        byte[] key = new byte[bytes.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = bytes.get(i);
        }
        return key;
    }
}
