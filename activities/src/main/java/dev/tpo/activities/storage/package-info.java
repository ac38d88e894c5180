/**
 * Where and how the steps store things: a run's artifact store, step output keys by input digest, the JSON
 * conventions, the run manifest, training checkpoints, the local model cache, scratch folders and pinned inputs.
 */
package dev.tpo.activities.storage;
