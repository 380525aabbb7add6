package jp.mamori.backup.snapshot;

import java.util.List;

/**
 * What the ransomware guard measured against the previous generation, and its verdict.
 *
 * @param comparedWith the previous generation's name, or null for a first backup
 * @param previousFiles files in the previous generation
 * @param changed files whose content changed
 * @param changedShare changed ÷ previous files
 * @param renamed files that reappeared under a new extension
 * @param entropyJumps changed files whose sampled entropy rose to that of random data
 * @param ransomNotes added files named like known ransom notes
 * @param suspect the generation looks like mass encryption
 * @param reasons why, in words
 */
public record GuardReport(
        String comparedWith,
        long previousFiles,
        long changed,
        double changedShare,
        long renamed,
        long entropyJumps,
        List<String> ransomNotes,
        boolean suspect,
        List<String> reasons) {}
