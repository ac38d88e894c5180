package dev.tpo.workers;

import java.util.List;

/** The activity objects a worker registers per queue; a seam so wiring tests can serve test doubles. */
public interface StepImplementations {
    List<Object> control();

    List<Object> gpu();
}
