/**
 * Governance (ガバナンス): the on-site inspection cybersecurity checklist of MHLW as data, the
 * institution's answers with 確認日 and 目標日 and their history, and proposals that Mamori works out
 * from its own state for a person to confirm. Mamori never answers an item by itself.
 */
@NullMarked
@ApplicationModule(displayName = "Governance")
package jp.mamori.server.governance;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
