package jp.mamori.auditlog.export;

import java.util.Optional;

/**
 * Outcome of verifying an export.
 *
 * @param events events read
 * @param checkpoints signed checkpoints checked
 * @param expired events among them that are expired (only their leaf hash is left)
 * @param problem the first problem found, empty when the export verifies
 */
public record VerificationResult(long events, int checkpoints, long expired, Optional<Problem> problem) {

    public boolean ok() {
        return problem.isEmpty();
    }
}
