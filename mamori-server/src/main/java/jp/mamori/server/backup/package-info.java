/**
 * Backup (バックアップ): the state of the institution's backup repositories, read from the repositories
 * themselves — generations per dataset, whether they are locked against deletion, what the ransomware
 * guard found, and restore drills — as evidence for checklist item 3-② and the BCP. The backups
 * themselves are made by {@code mamori-backup} on the systems that hold the data; the server only
 * watches, with an append key, and never deletes.
 */
@NullMarked
@ApplicationModule(displayName = "Backup")
package jp.mamori.server.backup;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
