/** Judges built from the run spec, with the models they run on, and the judging half of evaluation. */
package dev.tpo.activities.judging;
