package jp.mamori.auditlog.jcs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript {@code Number.prototype.toString()} for doubles (ECMA-262 §6.1.6.1.20), the number form RFC
 * 8785 §3.2.2.3 prescribes: the shortest decimal that reads back as the same double, in plain notation
 * for exponents from -7 to 20 and in {@code d.ddde±x} notation outside.
 */
public final class EcmaNumbers {

    private EcmaNumbers() {}

    public static String toString(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("RFC 8785 has no form for " + x);
        }
        if (x == 0) {
            return "0"; // also -0
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e21 && Math.abs(x) <= 9007199254740992.0) {
            return Long.toString((long) x);
        }
        boolean negative = x < 0;
        BigDecimal exact = new BigDecimal(Math.abs(x));
        String digits = null;
        int n = 0; // the decimal point sits after n digits: value = 0.digits * 10^n
        for (int p = 1; p <= 17 && digits == null; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean downOk = down.doubleValue() == Math.abs(x);
            boolean upOk = up.doubleValue() == Math.abs(x);
            BigDecimal pick = null;
            if (downOk && upOk) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                if (cmp < 0) {
                    pick = down;
                } else if (cmp > 0) {
                    pick = up;
                } else {
                    pick = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
                }
            } else if (downOk) {
                pick = down;
            } else if (upOk) {
                pick = up;
            }
            if (pick != null) {
                BigDecimal stripped = pick.stripTrailingZeros();
                digits = stripped.unscaledValue().toString();
                n = digits.length() - stripped.scale();
            }
        }
        if (digits == null) {
            throw new IllegalStateException("no decimal form found for " + x);
        }
        return (negative ? "-" : "") + format(digits, n);
    }

    /** ECMA-262 Number::toString steps 6–12 for significand digits {@code s} (k digits) and exponent n. */
    private static String format(String s, int n) {
        int k = s.length();
        StringBuilder sb = new StringBuilder(k + 8);
        if (k <= n && n <= 21) {
            sb.append(s);
            sb.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(s);
        } else {
            int e = n - 1;
            sb.append(s.charAt(0));
            if (k > 1) {
                sb.append('.').append(s, 1, k);
            }
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }
}
