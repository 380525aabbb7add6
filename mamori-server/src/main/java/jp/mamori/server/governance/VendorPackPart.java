package jp.mamori.server.governance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The vendors' emergency contacts by system (連絡体制図), as the contact chart's CSV. */
@Component
@Order(60)
class VendorPackPart implements InspectionPackPart {

    private final VendorRegister register;
    private final ContactChart chart;
    private final MessageSource messages;

    VendorPackPart(VendorRegister register, ContactChart chart, MessageSource messages) {
        this.register = register;
        this.chart = chart;
        this.messages = messages;
    }

    @Override
    public String title() {
        return "委託事業者の連絡体制図";
    }

    @Override
    public String whenMissing() {
        return "事業者が登録されていません";
    }

    @Override
    public List<PackFile> render(Request request) {
        int vendors = register.all().size();
        if (vendors == 0) {
            return List.of();
        }
        byte[] csv = chart.csv(
                StandardCharsets.UTF_8,
                messages.getMessage("vendors.chart.noSystem", null, Locale.JAPANESE),
                messages.getMessage("vendors.chart.missing", null, Locale.JAPANESE));
        return List.of(new PackFile("連絡体制図.csv", csv, vendors + " 事業者、システム別の緊急連絡先、UTF-8", null));
    }
}
