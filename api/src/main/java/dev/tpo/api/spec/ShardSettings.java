package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How many activities one step fans out to (one per GPU worker slot is a good start).
 *
 * @param generate shards of the iteration's prompts for generation (default 4)
 * @param judge    shards for judging (default 4; each judges one generation shard's outputs)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ShardSettings(Integer generate, Integer judge) {
    public ShardSettings {
        generate = generate == null ? 4 : generate;
        judge = judge == null ? generate : judge;
    }

    public static ShardSettings defaults() {
        return new ShardSettings(null, null);
    }

    void validate(SpecProblems p, String path) {
        p.range(path + ".generate", generate, 1, 1024);
        p.range(path + ".judge", judge, 1, 1024);
        if (judge > generate) {
            p.add(
                    path + ".judge",
                    judge + " judge shards for " + generate + " generation shards: each judge shard "
                            + "takes whole generation shards, so judge must be <= generate");
        }
    }
}
