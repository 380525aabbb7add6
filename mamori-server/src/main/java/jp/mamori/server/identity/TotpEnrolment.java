package jp.mamori.server.identity;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import jp.mamori.server.platform.MamoriProperties;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * TOTP enrolment: a QR code for the authenticator app, then a code from it to confirm. Confirming
 * proves possession, so it completes a sign-in that was waiting for its second factor; the
 * recovery codes are shown once.
 */
@Controller
class TotpEnrolment {

    private static final String PENDING = "mamori.totp.pending";
    private final SecondFactors factors;
    private final AccountStore accounts;
    private final SignInCompletion completion;
    private final MamoriProperties properties;

    TotpEnrolment(
            SecondFactors factors, AccountStore accounts, SignInCompletion completion, MamoriProperties properties) {
        this.factors = factors;
        this.accounts = accounts;
        this.completion = completion;
        this.properties = properties;
    }

    @GetMapping("/account/totp")
    String start(Authentication auth, HttpSession session, Model model) {
        MamoriPrincipal principal = (MamoriPrincipal) auth.getPrincipal();
        boolean enrolled = factors.hasTotp(principal.accountId());
        boolean fullySignedIn = Factors.multiFactor(Factors.of(auth)) || !principal.secondFactorRequired();
        if (enrolled && !fullySignedIn) {
            // Replacing a factor needs the factor: someone who only knows the password cannot.
            return "redirect:/login/second-factor";
        }
        byte[] secret = factors.beginTotp(principal.accountId());
        session.setAttribute(PENDING, Boolean.TRUE);
        String uri = Totp.otpauthUri(properties.facilityName() + " Mamori", principal.loginId(), secret);
        model.addAttribute("qr", qrSvg(uri));
        model.addAttribute(
                "secret", Base32.encode(secret).replaceAll("(.{4})", "$1 ").strip());
        return "account/totp";
    }

    @PostMapping("/account/totp")
    String confirm(
            @RequestParam String code,
            Authentication auth,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        MamoriPrincipal principal = (MamoriPrincipal) auth.getPrincipal();
        Account account = accounts.byId(principal.accountId()).orElseThrow();
        if (request.getSession().getAttribute(PENDING) == null || !factors.confirmTotp(account, code)) {
            return "redirect:/account/totp?error";
        }
        request.getSession().removeAttribute(PENDING);
        List<String> codes = factors.newRecoveryCodes(account);
        completion.store(SignInCompletion.withFactor(auth, principal, Factors.TOTP), request, response);
        model.addAttribute("codes", codes);
        return "account/recovery-codes";
    }

    static String qrSvg(String text) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0);
            StringBuilder path = new StringBuilder();
            for (int y = 0; y < m.getHeight(); y++) {
                for (int x = 0; x < m.getWidth(); x++) {
                    if (m.get(x, y)) {
                        path.append('M').append(x).append(',').append(y).append("h1v1h-1z");
                    }
                }
            }
            int q = 4;
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-" + q + " -" + q + " "
                    + (m.getWidth() + 2 * q) + " " + (m.getHeight() + 2 * q)
                    + "\" width=\"220\" height=\"220\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
                    + "<rect x=\"-" + q + "\" y=\"-" + q + "\" width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                    + "<path d=\"" + path + "\" fill=\"#000\"/></svg>";
        } catch (WriterException e) {
            throw new IllegalStateException("Cannot draw the QR code", e);
        }
    }
}
