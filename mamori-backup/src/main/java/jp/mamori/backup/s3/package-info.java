/**
 * Repositories in S3-compatible object storage with Object Lock: every object is written once with a
 * COMPLIANCE retention date, so not even the bucket owner can remove it early. Start with {@link
 * jp.mamori.backup.s3.S3Backend}.
 */
@NullMarked
package jp.mamori.backup.s3;

import org.jspecify.annotations.NullMarked;
