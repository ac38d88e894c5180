package dev.tpo.activities.judging;

import dev.tpo.method.judge.Judge;
import java.util.List;

/**
 * A judge with what it runs on. Judges never close models or tokenizers handed to them, so the step closes them
 * here, after the judge.
 */
public record LoadedJudge(Judge judge, List<AutoCloseable> resources) implements AutoCloseable {
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            judge.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close " + r, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
