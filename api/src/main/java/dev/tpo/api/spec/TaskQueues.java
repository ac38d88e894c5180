package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The Temporal task queues the run's activities go to; workers poll them by role.
 *
 * @param gpu     generation, model judges, reference log-probs, training, evaluation (default tpo-gpu)
 * @param control prompt selection, endpoint and verifier judges, pairing, reports (default tpo-control)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskQueues(String gpu, String control) {
    public static final String DEFAULT_GPU = "tpo-gpu";
    public static final String DEFAULT_CONTROL = "tpo-control";

    public TaskQueues {
        gpu = gpu == null ? DEFAULT_GPU : gpu;
        control = control == null ? DEFAULT_CONTROL : control;
    }

    public static TaskQueues defaults() {
        return new TaskQueues(null, null);
    }

    void validate(SpecProblems p, String path) {
        for (String[] q : new String[][] {{"gpu", gpu}, {"control", control}}) {
            if (!q[1].matches("[A-Za-z0-9._-]{1,200}")) {
                p.add(path + "." + q[0], "'" + q[1] + "' is not a task queue name (letters, digits, . _ -)");
            }
        }
    }
}
