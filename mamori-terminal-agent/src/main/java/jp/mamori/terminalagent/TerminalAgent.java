package jp.mamori.terminalagent;

import java.util.List;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.TerminalFactory;

/**
 * Runs on a shared terminal beside the browser: waits for IC cards on any PC/SC reader, reads each
 * card's UID and hands it to the Mamori lock screen open in the browser, which then asks for the
 * PIN. The card's UID alone signs nobody in.
 *
 * <p>{@code java -jar mamori-terminal-agent.jar --mamori https://mamori.example.jp [--port 47611]}
 */
public final class TerminalAgent {

    static final int DEFAULT_PORT = 47611;

    private TerminalAgent() {}

    public static void main(String[] args) throws Exception {
        String origin = null;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mamori" -> origin = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("Unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (origin == null) {
            System.err.println("Usage: mamori-terminal-agent --mamori https://your-mamori-server [--port 47611]");
            System.exit(2);
        }
        CardTerminals readers = TerminalFactory.getDefault().terminals();
        List<CardTerminal> present;
        try {
            present = readers.list();
        } catch (CardException e) {
            System.err.println("No PC/SC service or reader found: " + e.getMessage()
                    + ". Install the reader's driver (on Linux: pcscd) and connect the reader.");
            System.exit(1);
            return;
        }
        System.out.println(
                "Readers: " + present.stream().map(CardTerminal::getName).toList());
        try (CardFeed feed = new CardFeed(port, origin)) {
            System.out.println("Card feed on http://127.0.0.1:" + feed.port() + "/card/events for " + origin);
            while (true) {
                readers.waitForChange();
                for (CardTerminal reader : readers.list(CardTerminals.State.CARD_INSERTION)) {
                    try {
                        feed.publish(read(reader));
                    } catch (CardException | CardUid.CardReadException e) {
                        System.err.println(reader.getName() + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    static String read(CardTerminal reader) throws CardException {
        Card card = reader.connect("*");
        try {
            return CardUid.fromResponse(card.getBasicChannel()
                    .transmit(new CommandAPDU(CardUid.GET_UID))
                    .getBytes());
        } finally {
            card.disconnect(false);
        }
    }
}
