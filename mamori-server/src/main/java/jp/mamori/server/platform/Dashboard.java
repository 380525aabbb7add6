package jp.mamori.server.platform;

import java.util.List;

/**
 * A card on the start page. Each capability contributes its cards through a bean of this type, so
 * the shell knows nothing of their insides.
 */
public interface Dashboard {

    List<Card> cards();

    /**
     * @param titleKey message key of the card's title
     * @param value the figure or state shown large
     * @param noteKey message key of the line under it
     * @param link where the card leads
     * @param level ok, warn or alert
     */
    record Card(String titleKey, String value, String noteKey, String link, String level) {}
}
