package dev.tpo.cli;

/**
 * An activity Temporal is running or retrying now, as {@code tpo status} shows it.
 *
 * @param workflowId       the run or the iteration child it belongs to
 * @param heartbeatDetails the last heartbeat's payload as JSON, null before the first heartbeat
 * @param lastFailure      why the previous attempt failed, null on the first attempt
 */
record PendingStep(
        String workflowId,
        String type,
        String state,
        int attempt,
        String heartbeatDetails,
        String lastHeartbeat,
        String lastFailure,
        String worker) {}
