package jp.mamori.backup.repository;

/**
 * Where a blob is stored and how.
 *
 * @param pack the pack's name
 * @param offset where the sealed blob starts in the pack
 * @param length the sealed blob's length
 * @param rawLength the blob's plaintext length
 * @param compressed whether the plaintext was zstd-compressed before sealing
 */
public record BlobEntry(
        BlobType type, BlobId id, String pack, int offset, int length, int rawLength, boolean compressed) {}
