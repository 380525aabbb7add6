/**
 * What every capability stands on: the database (embedded PostgreSQL by default), the data folder,
 * language selection and the web shell.
 */
@NullMarked
@ApplicationModule(displayName = "Platform", type = ApplicationModule.Type.OPEN)
package jp.mamori.server.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
