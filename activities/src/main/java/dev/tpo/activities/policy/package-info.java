/** The policy model: loaded and sampled, the thought prompt it answers under, the DPO config it trains with. */
package dev.tpo.activities.policy;
