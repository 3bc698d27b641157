package io.rustmq.benchmarks.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of {@code rustmq-perf}: {@code --name value}, {@code --name=value} and boolean flags. Every
 * option must be declared (with or without a value) so that a typo is an error, not a silently ignored option.
 * Typed getters check the value and name the option in their message.
 */
public final class Args {
    /** A bad command line; the message says which option and why. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong
         */
        public UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values;
    private final List<String> positional;

    private Args(Map<String, String> values, List<String> positional) {
        this.values = values;
        this.positional = positional;
    }

    /**
     * Parses arguments.
     *
     * @param args the arguments (without the mode word)
     * @param withValue the options that take a value, without the leading dashes
     * @param flags the options that take none
     * @return the parsed options
     * @throws UsageException for an unknown option, a missing value, a value given to a flag, or a repeated option
     */
    public static Args parse(String[] args, Set<String> withValue, Set<String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String value;
            if (flags.contains(name)) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (withValue.contains(name)) {
                if (inline != null) {
                    value = inline;
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
            if (values.put(name, value) != null) {
                throw new UsageException("--" + name + " is given twice");
            }
        }
        return new Args(values, Collections.unmodifiableList(positional));
    }

    /**
     * Arguments that are not options.
     *
     * @return them, in order
     */
    public List<String> positional() {
        return positional;
    }

    /**
     * Whether an option or flag was given.
     *
     * @param name the option without dashes
     * @return {@code true} if present
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * A text option.
     *
     * @param name the option
     * @param def the default
     * @return the value or the default
     */
    public String string(String name, String def) {
        return values.getOrDefault(name, def);
    }

    /**
     * A boolean flag.
     *
     * @param name the flag
     * @return whether it was given
     */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /**
     * A whole number, with an optional thousands separator {@code _} or {@code ,}, and suffix {@code k} (x1000)
     * or {@code m} (x1,000,000) for counts.
     *
     * @param name the option
     * @param def the default
     * @param min the smallest accepted value
     * @return the value
     * @throws UsageException if not a number or below {@code min}
     */
    public long count(String name, long def, long min) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        long n = parseScaled(name, v, 1000);
        if (n < min) {
            throw new UsageException("--" + name + " must be at least " + min + ", got " + v);
        }
        return n;
    }

    /**
     * A size in bytes: a number with an optional suffix {@code k}/{@code KiB} (x1024) or {@code m}/{@code MiB}
     * (x1024x1024).
     *
     * @param name the option
     * @param def the default
     * @param min the smallest accepted value
     * @return the value in bytes
     * @throws UsageException if not a size, below {@code min}, or above 2^31-1
     */
    public int bytes(String name, int def, int min) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        long n = parseScaled(name, v, 1024);
        if (n < min || n > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " must be between " + min + " and " + Integer.MAX_VALUE
                    + " bytes, got " + v);
        }
        return (int) n;
    }

    /**
     * A decimal number.
     *
     * @param name the option
     * @param def the default
     * @param min the smallest accepted value
     * @return the value
     * @throws UsageException if not a number or below {@code min}
     */
    public double decimal(String name, double def, double min) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        double d;
        try {
            d = Double.parseDouble(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
        if (!(d >= min)) {
            throw new UsageException("--" + name + " must be at least " + min + ", got " + v);
        }
        return d;
    }

    /**
     * One of a fixed set of words, case-insensitive.
     *
     * @param name the option
     * @param def the default
     * @param allowed the accepted words, lower case
     * @return the value in lower case
     * @throws UsageException if not one of {@code allowed}
     */
    public String choice(String name, String def, List<String> allowed) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new UsageException("--" + name + " must be one of " + String.join("|", allowed) + ", got '" + v
                    + "'");
        }
        return lower;
    }

    static long parseScaled(String name, String text, long unit) {
        String s = text.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
        long scale = 1;
        if (s.endsWith("kib") || s.endsWith("kb")) {
            scale = unit;
            s = s.substring(0, s.length() - (s.endsWith("kib") ? 3 : 2));
        } else if (s.endsWith("mib") || s.endsWith("mb")) {
            scale = unit * unit;
            s = s.substring(0, s.length() - (s.endsWith("mib") ? 3 : 2));
        } else if (s.endsWith("k")) {
            scale = unit;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            scale = unit * unit;
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), scale);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--" + name + " expects a whole number (optionally with k or m), got '" + text
                    + "'");
        }
    }
}
