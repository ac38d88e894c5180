package dev.tpo.activities;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch is per thread, and DJL turns it off only on the thread that started the engine. A
 * Temporal activity runs on a pool thread where it is on, and the trainer's in-place optimiser update then fails
 * ("a leaf Variable that requires grad is being used in an in-place operation"). Training turns it off for its own
 * thread (the trainer's gradient collector still turns it on around each backward pass) and restores it after.
 */
final class TorchGradMode implements AutoCloseable {
    private final boolean previous;

    private TorchGradMode() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    static TorchGradMode offOnThisThread() {
        return new TorchGradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
