package dev.tpo.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's autograd switch is per thread, and DJL turns it off only on the thread that started the engine. On any
 * other thread (a worker's activity pool, an executor) it is on, and an in-place update of a leaf parameter fails
 * ("a leaf Variable that requires grad is being used in an in-place operation"). Training turns it off for its
 * own thread (the gradient collector still turns it on around each backward pass) and restores it after.
 */
public final class GradMode implements AutoCloseable {
    private final boolean previous;

    private GradMode() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static GradMode offOnThisThread() {
        return new GradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
