// What every cross-field rule shares: how a message names a setting, and the two-scrapes
// rule of a rate window.
import type { Path } from "../messages";
import type { StackConfig } from "../schema";

/** Names a setting with its value and, for profile defaults, where the value came from. */
export type Ref = (path: Path, value?: unknown) => string;

/** A rate window needs two samples: at least two scrape intervals. */
export function twoScrapes(cfg: StackConfig, ref: Ref, path: Path, seconds: number): string[] {
  return seconds < 2 * cfg.monitoring.scrapeInterval.seconds
    ? [`${ref(path)}: must span at least two scrapes (2 × ${ref(["monitoring", "scrapeInterval"])}), or rate() has nothing to compute`]
    : [];
}
