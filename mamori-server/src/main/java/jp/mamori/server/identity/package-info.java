/**
 * Identity and terminal access (利用者の識別・認証): accounts by 職種 and role, passwords by the
 * guideline's rules, second factors, shared terminals with one active user, throttling, break-the-
 * glass and the sign-in that business applications reuse through OpenID Connect.
 */
@NullMarked
@ApplicationModule(displayName = "Identity")
package jp.mamori.server.identity;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
