package jp.mamori.server.identity;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param cardAgent where the terminal agent (PC/SC card reader) serves card taps on each terminal;
 *     the lock screen listens there, and a keyboard-emulating reader works without it
 */
@ConfigurationProperties("mamori.terminal")
record TerminalSettings(@DefaultValue("http://127.0.0.1:47611") URI cardAgent) {}
