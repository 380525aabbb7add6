/**
 * Signed tree heads: C2SP tlog-checkpoint notes, signed and verified as C2SP signed-note Ed25519
 * signatures with the JDK's own Ed25519.
 */
package jp.mamori.auditlog.checkpoint;
