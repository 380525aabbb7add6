package jp.mamori.server.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The guideline's password rules: letters, digits and symbols mixed, at least 13 characters, or at
 * least 8 when the account signs in with a second factor; nothing guessable (the user's ID, name or
 * birthday, a common password, one character repeated, a keyboard run); none of the last few
 * passwords again (checked by {@link PasswordService}, which holds the history).
 */
@Component
class PasswordPolicy {

    static final int MIN_LENGTH_SINGLE_FACTOR = 13;
    static final int MIN_LENGTH_WITH_SECOND_FACTOR = 8;
    static final int MAX_LENGTH = 128;

    private static final String[] RUNS = {
        "0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc"
    };
    private final Set<String> common;

    PasswordPolicy() {
        this.common = loadCommonPasswords();
    }

    /** Who the password is for, so that it can be checked against what others may know of them. */
    record Subject(String loginId, String displayName, @Nullable LocalDate birthDate, boolean secondFactor) {}

    /** The violated rules as message keys; empty when the password is acceptable. */
    List<String> violations(String password, Subject subject) {
        List<String> out = new ArrayList<>();
        int min = subject.secondFactor() ? MIN_LENGTH_WITH_SECOND_FACTOR : MIN_LENGTH_SINGLE_FACTOR;
        int length = password.codePointCount(0, password.length());
        if (length < min) {
            out.add(subject.secondFactor() ? "password.rule.length8" : "password.rule.length13");
        }
        if (length > MAX_LENGTH) {
            out.add("password.rule.tooLong");
        }
        boolean letter = password.chars().anyMatch(c -> c < 128 && Character.isLetter(c));
        boolean digit = password.chars().anyMatch(c -> c >= '0' && c <= '9');
        boolean symbol = password.chars().anyMatch(c -> c < 128 && !Character.isLetterOrDigit(c) && c > ' ');
        if (!(letter && digit && symbol)) {
            out.add("password.rule.mix");
        }
        if (guessable(password, subject)) {
            out.add("password.rule.guessable");
        }
        return out;
    }

    private boolean guessable(String password, Subject subject) {
        String lower = password.toLowerCase(Locale.ROOT);
        for (String candidate : List.of(lower, normalize(lower), normalize(stripAffixes(lower)))) {
            if (dominatedByCommonWord(candidate, password.length())) {
                return true;
            }
        }
        if (containsPersonal(lower, subject.loginId())) {
            return true;
        }
        for (String part : subject.displayName().toLowerCase(Locale.ROOT).split("[\\s\u3000]+")) {
            if (containsPersonal(lower, part)) {
                return true;
            }
        }
        LocalDate birth = subject.birthDate();
        if (birth != null) {
            for (String pattern : List.of("yyyyMMdd", "yyMMdd", "MMdd", "ddMM", "yyyy-MM-dd", "yyyy/MM/dd")) {
                if (lower.contains(birth.format(DateTimeFormatter.ofPattern(pattern)))) {
                    return true;
                }
            }
        }
        return repetitive(lower);
    }

    /** The whole password, or a common word making up half of it or more, is on the list. */
    private boolean dominatedByCommonWord(String candidate, int length) {
        if (common.contains(candidate) || common.contains(stripAffixes(candidate))) {
            return true;
        }
        for (int len = candidate.length(); len >= 5 && len * 2 >= length; len--) {
            for (int i = 0; i + len <= candidate.length(); i++) {
                if (common.contains(candidate.substring(i, i + len))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean containsPersonal(String password, String value) {
        String v = value.toLowerCase(Locale.ROOT).strip();
        return v.length() >= 3 && password.contains(v);
    }

    /** Most of the password is one character repeated or a keyboard or alphabet run. */
    private static boolean repetitive(String lower) {
        long distinct = lower.chars().distinct().count();
        if (distinct <= Math.max(2, lower.length() / 4)) {
            return true;
        }
        String core = stripAffixes(lower);
        for (String run : RUNS) {
            for (int len = core.length(); len >= 6; len--) {
                for (int i = 0; i + len <= core.length(); i++) {
                    String piece = core.substring(i, i + len);
                    if (len * 10 >= core.length() * 6
                            && (run.contains(piece)
                                    || new StringBuilder(run)
                                            .reverse()
                                            .toString()
                                            .contains(piece))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Undoes the usual substitutions (p@ssw0rd → password). */
    private static String normalize(String lower) {
        StringBuilder b = new StringBuilder(lower.length());
        for (char c : lower.toCharArray()) {
            b.append(
                    switch (c) {
                        case '@', '4' -> 'a';
                        case '0' -> 'o';
                        case '1', '!' -> 'i';
                        case '3' -> 'e';
                        case '$', '5' -> 's';
                        case '7' -> 't';
                        default -> c;
                    });
        }
        return b.toString();
    }

    /** The word inside decorations: "!!Password2024#" → "password". */
    private static String stripAffixes(String s) {
        return s.replaceAll("^[^a-z]+", "").replaceAll("[^a-z]+$", "");
    }

    private static Set<String> loadCommonPasswords() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("/identity/common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("The common-password list is missing from the application");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String w = line.strip().toLowerCase(Locale.ROOT);
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w);
                    words.add(normalize(w));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the common-password list", e);
        }
        return words;
    }
}
