/**
 * How long steps stay alive and resume: the heartbeat pump, the progress details a retry resumes from, and the
 * drain that ends steps early when the worker is shutting down.
 */
package dev.tpo.activities.heartbeat;
