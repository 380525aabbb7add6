/** The command line: {@code verify}, {@code prove}, {@code consistency} and the proof checks. */
package jp.mamori.auditlog.cli;
