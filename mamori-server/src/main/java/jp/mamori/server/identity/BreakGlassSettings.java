package jp.mamori.server.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Break-the-glass (緊急時の例外的アクセス).
 *
 * @param duration how long an emergency sign-in lasts before it must be renewed
 */
@ConfigurationProperties("mamori.break-glass")
record BreakGlassSettings(@DefaultValue("60m") Duration duration) {}
