package io.outdial.dialer.contact;

import java.util.ArrayList;
import java.util.List;

/** A contact's numbers in column order, with their storage encoding. */
public record PhoneSet(List<Phone> phones) {
    public PhoneSet {
        phones = List.copyOf(phones);
        if (phones.isEmpty()) {
            throw new IllegalArgumentException("a contact needs at least one phone number, got none");
        }
    }

    /** The first number: the contact's identity for duplicates and stop-list flags at import. */
    public String primary() {
        return phones.get(0).e164();
    }

    public Phone get(int i) {
        return phones.get(i);
    }

    /** True when a number other than {@code index} is still dialable. */
    public boolean otherDialable(int index) {
        for (int i = 0; i < phones.size(); i++) {
            if (i != index && !phones.get(i).invalid()) {
                return true;
            }
        }
        return false;
    }

    /** After an attempt on number {@code index}: reached resets its failures, else they grow. */
    public PhoneSet afterAttempt(int index, boolean reached, boolean invalid) {
        List<Phone> out = new ArrayList<>(phones);
        Phone p = phones.get(index);
        out.set(index, new Phone(p.label(), p.e164(), reached ? 0 : p.failures() + 1, p.invalid() || invalid));
        return new PhoneSet(out);
    }

    /** {@code mobile=+380501234567|work=+380441234567} */
    public String encodeNumbers() {
        StringBuilder sb = new StringBuilder();
        for (Phone p : phones) {
            sb.append(sb.length() == 0 ? "" : "|").append(p.label()).append('=').append(p.e164());
        }
        return sb.toString();
    }

    /** {@code 0|2x}: failures per number, {@code x} marks an invalid one. */
    public String encodeState() {
        StringBuilder sb = new StringBuilder();
        for (Phone p : phones) {
            sb.append(sb.length() == 0 ? "" : "|").append(p.failures()).append(p.invalid() ? "x" : "");
        }
        return sb.toString();
    }

    /** Reverses {@link #encodeNumbers()} and {@link #encodeState()} (state may be null: all fresh). */
    public static PhoneSet decode(String numbers, String state) {
        String[] ns = numbers.split("\\|");
        String[] st = state == null || state.isEmpty() ? new String[0] : state.split("\\|");
        List<Phone> out = new ArrayList<>();
        for (int i = 0; i < ns.length; i++) {
            int eq = ns[i].indexOf('=');
            String s = i < st.length ? st[i] : "0";
            boolean invalid = s.endsWith("x");
            int failures = Integer.parseInt(invalid ? s.substring(0, s.length() - 1) : s);
            out.add(new Phone(ns[i].substring(0, eq), ns[i].substring(eq + 1), failures, invalid));
        }
        return new PhoneSet(out);
    }
}
