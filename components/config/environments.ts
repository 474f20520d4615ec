// The names every part of the configuration agrees on: the project, its environments and
// the delivery strategies.
/** The Pulumi project name; every key of ours is `agent-platform:<key>`. */
export const PROJECT = "agent-platform";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const STRATEGIES = ["rolling", "blueGreen", "canary"] as const;
export type Strategy = (typeof STRATEGIES)[number];
