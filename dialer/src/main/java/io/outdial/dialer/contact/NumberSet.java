package io.outdial.dialer.contact;

import java.util.Arrays;

/**
 * A compact set of E.164 numbers (as longs, open addressing): about 16 bytes per number, so a
 * million-row import can remember what it has seen without holding strings. Not thread-safe.
 */
public final class NumberSet {
    private static final long EMPTY = 0L;
    private long[] slots = new long[1024];
    private int size;

    /** Adds the number; false when it was already present. */
    public boolean add(String e164) {
        return addKey(PhoneNormalizer.key(e164));
    }

    public boolean contains(String e164) {
        return containsKey(PhoneNormalizer.key(e164));
    }

    public boolean addKey(long key) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("number key 0 is not an E.164 number");
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int i = index(key, slots.length);
        while (slots[i] != EMPTY) {
            if (slots[i] == key) {
                return false;
            }
            i = (i + 1) & (slots.length - 1);
        }
        slots[i] = key;
        size++;
        return true;
    }

    public boolean containsKey(long key) {
        int i = index(key, slots.length);
        while (slots[i] != EMPTY) {
            if (slots[i] == key) {
                return true;
            }
            i = (i + 1) & (slots.length - 1);
        }
        return false;
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        Arrays.stream(old).filter(k -> k != EMPTY).forEach(this::addKey);
    }

    private static int index(long key, int length) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & (length - 1);
    }
}
