package jp.mamori.backup.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a directory tree.
 *
 * @param name the entry's name within its directory
 * @param type {@code file}, {@code dir} or {@code symlink}
 * @param mode POSIX permission bits, or -1 where the file system has none
 * @param mtime modification time, nanoseconds since the epoch
 * @param ctime status-change time (nanoseconds), or 0 where unknown; used to detect changed files
 * @param inode the inode number, or 0 where unknown; used to detect changed files
 * @param size the content length in bytes
 * @param dosAttributes Windows attributes present on the file ({@code R}, {@code H}, {@code S},
 *     {@code A}), or null where the file system has none
 * @param linkTarget a symbolic link's target
 * @param content the IDs of the file's chunks, in order (hex)
 * @param subtree a directory's tree blob ID (hex)
 * @param entropy Shannon entropy (bits per byte) of the first 64 KiB, for the ransomware guard
 */
public record Node(
        String name,
        String type,
        int mode,
        long mtime,
        long ctime,
        long inode,
        long size,
        @Nullable String dosAttributes,
        @Nullable String linkTarget,
        @Nullable List<String> content,
        @Nullable String subtree,
        double entropy) {

    public static final String FILE = "file";
    public static final String DIR = "dir";
    public static final String SYMLINK = "symlink";

    @JsonIgnore
    public boolean isFile() {
        return FILE.equals(type);
    }

    @JsonIgnore
    public boolean isDir() {
        return DIR.equals(type);
    }

    /** Same size, times and inode: the content is taken as unchanged without reading it. */
    public boolean looksUnchanged(Node other) {
        return isFile()
                && other.isFile()
                && size == other.size
                && mtime == other.mtime
                && ctime == other.ctime
                && inode == other.inode;
    }
}
