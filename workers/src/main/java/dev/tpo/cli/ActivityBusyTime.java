package dev.tpo.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How long at least one activity of a run was working, from its history: the union of the activities' last
 * attempts (shards overlap, so their times are not summed). What is left of the run's wall time is orchestration:
 * workflow tasks, scheduling, queueing and the client.
 */
final class ActivityBusyTime {
    private ActivityBusyTime() {}

    static Duration of(List<StepRecord> steps) {
        List<Instant[]> intervals = new ArrayList<>();
        for (StepRecord s : steps) {
            if (s.startedAt() != null && s.closedAt() != null) {
                intervals.add(new Instant[] {s.startedAt(), s.closedAt()});
            }
        }
        intervals.sort(Comparator.comparing(i -> i[0]));
        Duration busy = Duration.ZERO;
        Instant from = null;
        Instant to = null;
        for (Instant[] i : intervals) {
            if (to == null || i[0].isAfter(to)) {
                if (to != null) {
                    busy = busy.plus(Duration.between(from, to));
                }
                from = i[0];
                to = i[1];
            } else if (i[1].isAfter(to)) {
                to = i[1];
            }
        }
        return to == null ? busy : busy.plus(Duration.between(from, to));
    }
}
