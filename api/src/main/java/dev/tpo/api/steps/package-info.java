/**
 * The step inputs and outputs, the run's result and its progress: everything that travels through Temporal history
 * and that people read in the Web UI, {@code tpo status} and the reports.
 *
 * <p>Every record here (and {@link dev.tpo.api.ArtifactRef}, and the run spec's records) carries
 * {@code @JsonNaming(SnakeCaseStrategy)}, so its JSON has the run spec's snake_case keys whichever ObjectMapper
 * writes it: Temporal's default data converter, the steps' own file writers, a test environment or a user's own
 * client alike. A naming setting on a custom data converter would reach only the clients and workers built with
 * it; any other Java client would write and expect camelCase, and neither side could read the other's payloads.
 * Map keys (metric names such as {@code train/loss}, step names, categories) are data and stay as they are.
 */
package dev.tpo.api.steps;
