package io.outdial.fallback.engine;

import io.outdial.fallback.scheme.Block;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Picks a split branch from a hash of scheme, block and recipient: the same recipient, the same branch. */
final class ABSplit {

    private ABSplit() {
    }

    /** A number in [0, 100) fixed for this recipient at this block. */
    static int bucket(String schemeId, String blockId, String recipientId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((schemeId + "\u0000" + blockId + "\u0000" + recipientId).getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
            return (int) (v % 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Block.Branch pick(String schemeId, String blockId, String recipientId, Block.Split split) {
        int b = bucket(schemeId, blockId, recipientId);
        int upTo = 0;
        for (Block.Branch br : split.branches()) {
            upTo += br.percent();
            if (b < upTo) {
                return br;
            }
        }
        return split.branches().get(split.branches().size() - 1);
    }
}
