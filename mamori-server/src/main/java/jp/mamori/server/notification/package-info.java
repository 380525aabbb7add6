/**
 * Notifications (通知): telling the people responsible at once — in the dashboard and through a
 * webhook into the institution's chat or paging system — when something needs them now, such as a
 * break-the-glass sign-in.
 */
@NullMarked
@ApplicationModule(displayName = "Notification")
package jp.mamori.server.notification;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
