package jp.mamori.server.governance;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;

/**
 * Reads the vendor register's forms. Every refused field is reported at once, by the field's name,
 * so that the page can say what is wrong and where; nothing is stored from a form with a problem.
 */
final class VendorInput {

    static final int MAX_NAME = 200;
    static final int MAX_TEXT = 2000;

    private static final Pattern PHONE = Pattern.compile("\\+?[0-9()\\- ]+");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)+");
    private static final Pattern LOGIN_SEPARATORS = Pattern.compile("[\\s,、]+");
    private static final DateTimeFormatter SLASHED =
            DateTimeFormatter.ofPattern("uuuu/M/d").withResolverStyle(ResolverStyle.STRICT);

    private VendorInput() {}

    /**
     * One refused field.
     *
     * @param field the form field's name; its label is the message {@code vendors.field.<field>}
     * @param messageKey what is wrong, with the label as {0} and the value as {1}
     */
    record Problem(String field, String messageKey, String value) {}

    static final class Refused extends RuntimeException {
        final List<Problem> problems;

        Refused(List<Problem> problems) {
            super("refused: " + problems.size() + " problems");
            this.problems = List.copyOf(problems);
        }
    }

    /** Each problem as one sentence that names the field and what is wrong with it. */
    static List<String> describe(List<Problem> problems, MessageSource messages, Locale locale) {
        return problems.stream()
                .map(p -> messages.getMessage(
                        p.messageKey(),
                        new Object[] {
                            messages.getMessage("vendors.field." + p.field(), null, p.field(), locale), p.value()
                        },
                        locale))
                .toList();
    }

    static VendorRegister.Details vendor(Map<String, String> form) {
        Fields f = new Fields(form);
        String name = f.required("name", MAX_NAME);
        String corporate = f.optional("corporateNumber", 20);
        if (corporate != null) {
            corporate = Normalizer.normalize(corporate, Normalizer.Form.NFKC).replace("-", "");
            if (!validCorporateNumber(corporate)) {
                f.refuse("corporateNumber", "vendors.error.corporateNumber", corporate);
            }
        }
        String address = f.optional("address", MAX_TEXT);
        String systemsText = f.optional("systems", MAX_TEXT);
        List<String> systems = systemsText == null
                ? List.of()
                : new ArrayList<>(new LinkedHashSet<>(Arrays.stream(systemsText.split("\\R"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList()));
        String accountsText = f.optional("accounts", MAX_TEXT);
        List<String> logins = accountsText == null
                ? List.of()
                : new ArrayList<>(new LinkedHashSet<>(Arrays.stream(LOGIN_SEPARATORS.split(accountsText))
                        .filter(s -> !s.isEmpty())
                        .toList()));
        f.done();
        return new VendorRegister.Details(name, corporate, address, List.copyOf(systems), List.copyOf(logins));
    }

    static VendorRegister.Contact contact(Map<String, String> form) {
        Fields f = new Fields(form);
        String name = f.required("contactName", MAX_NAME);
        String role = f.optional("role", MAX_NAME);
        String phone = f.optional("phone", 40);
        if (phone != null) {
            phone = Normalizer.normalize(phone, Normalizer.Form.NFKC).replace('ー', '-');
            long digits = phone.chars().filter(Character::isDigit).count();
            if (!PHONE.matcher(phone).matches() || digits < 10 || digits > 15) {
                f.refuse("phone", "vendors.error.phone", phone);
            }
        }
        String email = f.optional("email", MAX_NAME);
        if (email != null) {
            email = Normalizer.normalize(email, Normalizer.Form.NFKC);
            if (!EMAIL.matcher(email).matches()) {
                f.refuse("email", "vendors.error.email", email);
            }
        }
        boolean emergency = f.yes("emergency");
        boolean aroundTheClock = f.yes("aroundTheClock");
        if (phone == null && email == null) {
            f.refuse("phone", "vendors.error.noWayToReach", "");
        } else if (emergency && phone == null) {
            // an incident does not wait for an e-mail to be read
            f.refuse("phone", "vendors.error.emergencyNeedsPhone", "");
        }
        f.done();
        return new VendorRegister.Contact(0, name, role, phone, email, emergency, aroundTheClock);
    }

    static VendorRegister.Contract contract(Map<String, String> form) {
        Fields f = new Fields(form);
        String title = f.required("title", MAX_NAME);
        LocalDate from = f.date("validFrom", true);
        LocalDate to = f.date("validTo", false);
        if (from != null && to != null && to.isBefore(from)) {
            f.refuse("validTo", "vendors.error.endsBeforeStart", to + " < " + from);
        }
        boolean clauses = f.yes("securityClauses");
        boolean remote = f.yes("remoteMaintenance");
        String data = f.optional("dataHandled", MAX_TEXT);
        f.done();
        return new VendorRegister.Contract(0, title, from, to, clauses, remote, data);
    }

    /**
     * 法人番号: 13 digits, the first a check digit over the other twelve — 9 minus the sum of the
     * digits weighted 1 and 2 alternately from the last, modulo 9.
     */
    static boolean validCorporateNumber(String number) {
        if (number.length() != 13 || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int sum = 0;
        for (int n = 1; n <= 12; n++) {
            int digit = number.charAt(13 - n) - '0';
            sum += digit * (n % 2 == 1 ? 1 : 2);
        }
        return number.charAt(0) - '0' == 9 - sum % 9;
    }

    /** A date as the date input sends it (2025-04-01), or as people type it (2025/4/1). */
    static @Nullable LocalDate parseDate(String value) {
        String v = Normalizer.normalize(value.strip(), Normalizer.Form.NFKC);
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v, SLASHED);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** A form's fields, collecting every problem before giving up. */
    static final class Fields {
        private final Map<String, String> form;
        private final List<Problem> problems = new ArrayList<>();

        Fields(Map<String, String> form) {
            this.form = form;
        }

        void refuse(String field, String key, String value) {
            problems.add(new Problem(field, key, value));
        }

        @Nullable
        String optional(String field, int max) {
            String v = form.get(field);
            if (v == null || v.isBlank()) {
                return null;
            }
            v = v.strip();
            if (v.length() > max) {
                refuse(field, "vendors.error.tooLong", String.valueOf(max));
                return null;
            }
            return v;
        }

        String required(String field, int max) {
            String v = optional(field, max);
            if (v == null && problems.stream().noneMatch(p -> p.field().equals(field))) {
                refuse(field, "vendors.error.required", "");
            }
            return v == null ? "" : v;
        }

        @Nullable
        LocalDate date(String field, boolean required) {
            String v = form.get(field);
            if (v == null || v.isBlank()) {
                if (required) {
                    refuse(field, "vendors.error.required", "");
                }
                return null;
            }
            LocalDate d = parseDate(v);
            if (d == null) {
                refuse(field, "vendors.error.date", v.strip());
            }
            return d;
        }

        boolean yes(String field) {
            String v = form.get(field);
            if (v == null || v.isBlank()) {
                return false;
            }
            return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "on", "yes", "はい", "1" -> true;
                case "false", "off", "no", "いいえ", "0" -> false;
                default -> {
                    refuse(field, "vendors.error.yesNo", v.strip());
                    yield false;
                }
            };
        }

        void done() {
            if (!problems.isEmpty()) {
                throw new Refused(problems);
            }
        }
    }
}
