/**
 * The append-only backup vault: an HTTPS server on a separate host that stores repository objects
 * for clients holding an append token (create and read, never overwrite or delete), and the client
 * backend that reaches it with a pinned certificate. Start with {@link jp.mamori.backup.vault.VaultCommand}
 * and {@link jp.mamori.backup.vault.HttpBackend}.
 */
@NullMarked
package jp.mamori.backup.vault;

import org.jspecify.annotations.NullMarked;
