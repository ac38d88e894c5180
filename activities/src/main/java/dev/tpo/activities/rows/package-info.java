/** The rows of the JSONL files the steps write and read: prompts of a shard, generations, judgements, answers. */
package dev.tpo.activities.rows;
