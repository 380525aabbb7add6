/**
 * RFC 8785 JSON Canonicalization Scheme: a strict JSON parser and the canonical serialization whose bytes
 * are the leaf data of an audit event.
 */
package jp.mamori.auditlog.jcs;
