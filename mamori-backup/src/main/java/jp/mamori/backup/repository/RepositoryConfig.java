package jp.mamori.backup.repository;

/**
 * The repository's parameters, stored sealed as the {@code config} object.
 *
 * @param version format version, 1
 * @param id random repository ID (hex), for messages and caches
 * @param chunkMin smallest chunk in bytes (except a file's last)
 * @param chunkAvg the chunker's target average
 * @param chunkMax largest chunk
 * @param chunkerSeed the secret the chunker's gear table is derived from, so that chunk boundaries
 *     do not reveal content to someone who has not the key
 * @param packSize a pack is closed once it reaches this many bytes
 * @param zstdLevel compression level for blobs that compress
 * @param lockDays how long new packs and generations are retained on backends with retention
 *     (S3 Object Lock); 0 for none
 */
public record RepositoryConfig(
        int version,
        String id,
        int chunkMin,
        int chunkAvg,
        int chunkMax,
        byte[] chunkerSeed,
        int packSize,
        int zstdLevel,
        int lockDays) {

    public static RepositoryConfig fresh(int lockDays) {
        return new RepositoryConfig(
                1,
                ObjectNames.hex(Crypto.random(16)),
                256 * 1024,
                1024 * 1024,
                4 * 1024 * 1024,
                Crypto.random(32),
                Integer.getInteger("mamori.backup.pack-size", 16 * 1024 * 1024),
                3,
                lockDays);
    }
}
