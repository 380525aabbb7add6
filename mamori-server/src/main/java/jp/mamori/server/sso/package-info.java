/**
 * Single sign-on for business applications (EHR, レセコン, PACS): an OpenID Connect provider on
 * the Mamori sign-in, with signing keys that rotate and back-channel logout when a session ends.
 */
@NullMarked
@ApplicationModule(displayName = "Single sign-on")
package jp.mamori.server.sso;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
