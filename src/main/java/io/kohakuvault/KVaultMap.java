package io.kohakuvault;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The live {@code Map<String, byte[]>} view of a {@link KVault}, from {@link KVault#asMap()}.
 * Keys that are not strings are simply absent; values are compared by reference, as arrays are.
 */
final class KVaultMap extends AbstractMap<String, byte[]> {
    private final KVault kv;

    KVaultMap(KVault kv) {
        this.kv = kv;
    }

    @Override
    public byte @Nullable [] get(Object key) {
        return key instanceof String k ? kv.get(k) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && kv.exists(k);
    }

    @Override
    public byte @Nullable [] put(String key, byte[] value) {
        byte[] old = kv.get(key);
        kv.put(key, value);
        return old;
    }

    @Override
    public byte @Nullable [] remove(Object key) {
        if (!(key instanceof String k)) {
            return null;
        }
        byte[] old = kv.get(k);
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
    public Set<Map.Entry<String, byte[]>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, byte[]>> iterator() {
                Iterator<Map.Entry<String, byte[]>> entries = kv.iterator();
                return new Iterator<>() {
                    private @Nullable String last;

                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public Map.Entry<String, byte[]> next() {
                        Map.Entry<String, byte[]> e = entries.next();
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
                return KVaultMap.this.size();
            }

            @Override
            public void clear() {
                kv.clear();
            }
        };
    }
}
