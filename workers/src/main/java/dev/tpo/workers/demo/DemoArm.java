package dev.tpo.workers.demo;

/** The two loops the demo compares from the same seed: TPO (thought prompt) and the direct-response baseline. */
public enum DemoArm {
    TPO,
    DRB;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
