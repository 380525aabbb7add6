/**
 * The offline export of a log (events, hash tiles, signed checkpoints, the verifier key) and its
 * verifier, which an auditor runs without the server.
 */
package jp.mamori.auditlog.export;
