// Kubernetes CronJob schedules (R-DATA-2, R-DATA-3): five fields checked by cron-parser,
// with the longest gap between two runs, so the export's freshness alert can say "older
// than twice the schedule".
import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { memoize } from "../shared/memo";
import { text } from "./fields";

/** A cron schedule parsed into its text and the longest gap between two runs. */
export interface Schedule {
  text: string;
  /** Longest time between consecutive runs over a year, seconds. */
  maxGapSeconds: number;
}

/**
 * The longest gap between consecutive runs of a 5-field schedule over one year (in
 * `timeZone`). Walking a year of runs through cron-parser costs about 100 ms for a daily
 * schedule, and every parse of a stack's configuration asks for it: memoized.
 */
export const scheduleMaxGap = memoize((expr: string, timeZone: string) => `${timeZone} ${expr}`, walkMaxGap);

function walkMaxGap(expr: string, timeZone: string): number {
  const start = new Date("2026-01-01T00:00:00Z");
  const end = start.getTime() + 366 * 86400_000;
  const it = CronExpressionParser.parse(expr, { currentDate: start, tz: timeZone });
  let prev = it.next().getTime();
  let max = 0;
  for (let i = 0; i < 5000; i++) {
    const next = it.next().getTime();
    max = Math.max(max, next - prev);
    if (next > end) break;
    prev = next;
  }
  return Math.round(max / 1000);
}

/**
 * A Kubernetes CronJob schedule: five fields (minute hour day-of-month month
 * day-of-week), checked by cron-parser; the longest gap between runs is computed so
 * alerts can say "older than twice the schedule".
 */
export const cronSchedule = (description: string) =>
  text("a cron schedule such as \"15 2 * * *\"")
    .transform((expr, ctx): Schedule => {
      const fields = expr.trim().split(/\s+/);
      if (fields.length !== 5) {
        ctx.addIssue({ code: "custom", message: "must be a five-field cron schedule (minute hour day-of-month month day-of-week) such as \"15 2 * * *\"" });
        return z.NEVER;
      }
      try {
        return { text: fields.join(" "), maxGapSeconds: scheduleMaxGap(fields.join(" "), "Etc/UTC") };
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `must be a valid cron schedule: ${(e as Error).message}` });
        return z.NEVER;
      }
    })
    .meta({ type: "cron schedule" })
    .describe(description);
