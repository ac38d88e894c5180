package dev.tpo.activities.report;

/** A training pair as the run report shows it: chosen and rejected sample, each thought and response apart. */
record PairTranscript(
        int iteration,
        String promptId,
        String prompt,
        String chosenThought,
        String chosenResponse,
        double chosenScore,
        String rejectedThought,
        String rejectedResponse,
        Double rejectedScore,
        boolean rejectedMalformed) {}
