package io.kohakuvault;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The live {@code Map<String, V>} view of a {@link TypedKVault}, from {@link TypedKVault#asMap()}.
 * Keys that are not strings are simply absent.
 *
 * @param <V> the values' type
 */
final class TypedKVaultMap<V> extends AbstractMap<String, V> {
    private final TypedKVault<V> kv;

    TypedKVaultMap(TypedKVault<V> kv) {
        this.kv = kv;
    }

    @Override
    public @Nullable V get(Object key) {
        return key instanceof String k ? kv.get(k) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && kv.exists(k);
    }

    @Override
    public @Nullable V put(String key, V value) {
        V old = kv.get(key);
        kv.put(key, value);
        return old;
    }

    @Override
    public @Nullable V remove(Object key) {
        if (!(key instanceof String k)) {
            return null;
        }
        V old = kv.get(k);
        if (old != null) {
            kv.delete(k);
        }
        return old;
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, kv.size());
    }

    @Override
    public boolean isEmpty() {
        return kv.isEmpty();
    }

    @Override
    public void clear() {
        kv.clear();
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                Iterator<Map.Entry<String, V>> entries = kv.iterator();
                return new Iterator<>() {
                    private @Nullable String last;

                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public Map.Entry<String, V> next() {
                        Map.Entry<String, V> e = entries.next();
                        last = e.getKey();
                        return e;
                    }

                    @Override
                    public void remove() {
                        if (last == null) {
                            throw new IllegalStateException("next() has not been called");
                        }
                        kv.delete(last);
                        last = null;
                    }
                };
            }

            @Override
            public int size() {
                return TypedKVaultMap.this.size();
            }

            @Override
            public void clear() {
                kv.clear();
            }
        };
    }
}
