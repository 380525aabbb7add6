package jp.mamori.auditlog;

/**
 * One C2SP tlog-tiles tile: {@code width} consecutive hashes at tile level {@code level}. A level-0 tile
 * holds leaf hashes; each hash of a level-{@code L} tile is the root of a full tile of level {@code L-1}.
 * Full tiles hold {@value #WIDTH} hashes, partial tiles 1 to 255.
 *
 * @param hashes {@code width * 32} bytes
 */
public record Tile(int level, long index, int width, byte[] hashes) {

    /** Hashes in a full tile; the tile height is 8. */
    public static final int WIDTH = 256;

    public static final int HEIGHT = 8;

    public Tile {
        if (level < 0 || level > 63 || index < 0 || width < 1 || width > WIDTH) {
            throw new IllegalArgumentException(
                    "no such tile: level " + level + ", index " + index + ", width " + width);
        }
        if (hashes.length != width * Hashes.SIZE) {
            throw new IllegalArgumentException(
                    "tile of width " + width + " needs " + width * Hashes.SIZE + " bytes, got " + hashes.length);
        }
    }

    public boolean isFull() {
        return width == WIDTH;
    }

    /** The tile's path as C2SP tlog-tiles defines it: {@code tile/<L>/<N>[.p/<W>]}. */
    public String path() {
        return path(level, index, width);
    }

    public static String path(int level, long index, int width) {
        StringBuilder sb = new StringBuilder("tile/").append(level).append('/').append(encodeIndex(index));
        if (width < WIDTH) {
            sb.append(".p/").append(width);
        }
        return sb.toString();
    }

    /** Index {@code 1234067} becomes {@code x001/x234/067}. */
    static String encodeIndex(long index) {
        String digits = Long.toString(index);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 3) {
            if (i + 3 < digits.length()) {
                sb.append('x').append(digits, i, i + 3).append('/');
            } else {
                sb.append(digits, i, i + 3);
            }
        }
        return sb.toString();
    }

    /** Width of tile {@code index} at {@code level} in a tree of {@code treeSize} leaves, 0 if it is empty. */
    public static int widthAt(int level, long index, long treeSize) {
        long entries = level * HEIGHT >= 64 ? 0 : treeSize >>> (level * HEIGHT);
        long fullTiles = entries >>> HEIGHT;
        if (index < fullTiles) {
            return WIDTH;
        }
        if (index == fullTiles) {
            return (int) (entries & (WIDTH - 1));
        }
        return 0;
    }
}
