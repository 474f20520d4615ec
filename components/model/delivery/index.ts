// Progressive delivery with Argo Rollouts (R-PD-1..9), as pure data: the analyses and
// their PromQL (analysis, queries), the Rollout, HTTPRoute, migration Job and controller
// values (rollout), and the plan with its worst-case rollback times (plan).
export * from "./analysis";
export * from "./plan";
export * from "./queries";
export * from "./rollout";
