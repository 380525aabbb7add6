/**
 * The access log (アクセスログ): every access to medical information and every authentication
 * event, recorded so that it can be searched and reviewed. Other modules write through
 * {@link jp.mamori.server.audit.SecurityEvents}.
 */
@NullMarked
@ApplicationModule(displayName = "Access log")
package jp.mamori.server.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
