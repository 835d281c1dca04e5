package dev.unmask.diffusion.run;

import dev.unmask.diffusion.data.Sequence;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What data a run trained and was evaluated on, as observed: digests of its training and held-out
 * splits (every row's ids, in order) and a hash of every batch the trainer took, in the order it
 * took them. Two runs saw the same documents in the same order when their split digests agree and
 * one run's batch hashes are a prefix of the other's.
 *
 * @param trainDigest SHA-256 of the training split's rows
 * @param heldOutDigest SHA-256 of the held-out rows (the tokens evaluation scores)
 * @param batchHashes a 64-bit hash of each batch's ids, one per batch taken
 */
public record DataTrace(String trainDigest, String heldOutDigest, List<Long> batchHashes) {

    public DataTrace {
        batchHashes = List.copyOf(batchHashes);
    }

    /** How many leading batches this run and {@code other} share. */
    public int commonBatches(DataTrace other) {
        int n = Math.min(batchHashes.size(), other.batchHashes.size());
        for (int i = 0; i < n; i++) {
            if (!batchHashes.get(i).equals(other.batchHashes.get(i))) {
                return i;
            }
        }
        return n;
    }

    /** Whether both runs had the same splits and took the same batches for as long as both trained. */
    public boolean sameDataAs(DataTrace other) {
        int shorter = Math.min(batchHashes.size(), other.batchHashes.size());
        return trainDigest.equals(other.trainDigest) && heldOutDigest.equals(other.heldOutDigest)
                && commonBatches(other) == shorter;
    }

    /** SHA-256 over every row's ids, rows in order. */
    static String digest(List<Sequence> rows) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(Long.BYTES);
            for (Sequence row : rows) {
                for (long id : row.ids()) {
                    sha.update(buf.clear().putLong(id).array());
                }
                sha.update(buf.clear().putLong(-1).array()); // row boundary
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** FNV-1a over a batch's ids, row by row. */
    static long hash(long[][] ids) {
        long h = 0xcbf29ce484222325L;
        for (long[] row : ids) {
            for (long id : row) {
                h = (h ^ id) * 0x100000001b3L;
            }
            h = (h ^ -1L) * 0x100000001b3L;
        }
        return h;
    }
}
