package jp.mamori.server.notification;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param webhooks URLs that receive each notification as a JSON POST (chat or paging systems)
 * @param timeout how long one webhook delivery may take
 */
@ConfigurationProperties("mamori.notify")
record NotificationSettings(@DefaultValue List<URI> webhooks, @DefaultValue("5s") Duration timeout) {}
