// Progressive delivery with Argo Rollouts (R-PD-1..9), as pure data: the analyses and
// their PromQL (analysis, queries), the Rollout, HTTPRoute, migration Job and controller
// values (rollout), the plan with its worst-case rollback times (plan), and the Job
// through which `pulumi up` awaits the rollout's verdict (verdict).
export * from "./analysis";
export * from "./plan";
export * from "./queries";
export * from "./rollout";
export * from "./verdict";
export * from "./verdicts";
export * from "./evidence";
export * from "./simulator";
export * from "./random";
export * from "./rendered";
export * from "./scraped";
