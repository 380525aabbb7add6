/**
 * A tamper-evident audit log: an RFC 9162 Merkle tree over canonical event bytes, its hashes kept in
 * C2SP tlog-tiles, with inclusion and consistency proofs. Start with {@link jp.mamori.auditlog.MerkleLog}.
 */
package jp.mamori.auditlog;
