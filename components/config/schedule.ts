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

const DAY_MS = 86400_000;
const START = Date.UTC(2026, 0, 1);
const END = START + 366 * DAY_MS;

/**
 * The longest gap between consecutive runs of a 5-field schedule (UTC, as a CronJob
 * without `timeZone` runs) over a year from 2026-01-01, seconds: from the first run to the
 * first run after the year. Day by day from cron-parser's parsed fields, with its rule
 * for the two day fields (CronExpression.js, #matchDayOfMonth: both restricted, either
 * matches; one restricted, it must). cron-parser's own iterator, at about a millisecond
 * per run, took a third of a second for a daily schedule; `walkMaxGap` still answers the
 * schedules with L or # (last day, nth weekday), and test/config proves both agree.
 */
export const scheduleMaxGap = memoize(
  (expr: string) => expr,
  (expr: string): number => {
    const f = CronExpressionParser.parse(expr, { tz: "Etc/UTC" }).fields;
    if (f.dayOfMonth.hasLastChar || f.dayOfWeek.hasLastChar || f.dayOfWeek.nthDay > 0) return walkMaxGap(expr);
    const nums = (v: readonly (number | string)[]) => v.filter((x): x is number => typeof x === "number");
    const times = nums(f.hour.values).flatMap((h) => nums(f.minute.values).map((m) => (h * 60 + m) * 60_000)).sort((x, y) => x - y);
    const months = new Set(nums(f.month.values));
    const doms = new Set(nums(f.dayOfMonth.values));
    const dows = new Set(nums(f.dayOfWeek.values).map((d) => d % 7));
    const domRestricted = !f.dayOfMonth.isWildcard;
    const dowRestricted = !f.dayOfWeek.isWildcard;
    const runsOn = (d: Date) => {
      if (!months.has(d.getUTCMonth() + 1)) return false;
      const dom = doms.has(d.getUTCDate());
      const dow = dows.has(d.getUTCDay());
      return domRestricted && dowRestricted ? dom || dow : domRestricted ? dom : dowRestricted ? dow : true;
    };
    let prev: number | undefined;
    let max = 0;
    // Eight years hold two runs of any schedule, a 29 February one included.
    for (let day = START; day < START + 8 * 366 * DAY_MS; day += DAY_MS) {
      if (!runsOn(new Date(day))) continue;
      for (const t of times) {
        const run = day + t;
        if (run <= START) continue;
        if (prev !== undefined) {
          max = Math.max(max, run - prev);
          if (run > END) return Math.round(max / 1000);
        }
        prev = run;
      }
    }
    return Math.round(max / 1000);
  },
);

/** The same gap through cron-parser's iterator, run by run (UTC). */
export function walkMaxGap(expr: string): number {
  const it = CronExpressionParser.parse(expr, { currentDate: new Date(START), tz: "Etc/UTC" });
  let prev = it.next().getTime();
  let max = 0;
  for (let i = 0; i < 600_000; i++) {
    const next = it.next().getTime();
    max = Math.max(max, next - prev);
    if (next > END) break;
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
        return { text: fields.join(" "), maxGapSeconds: scheduleMaxGap(fields.join(" ")) };
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `must be a valid cron schedule: ${(e as Error).message}` });
        return z.NEVER;
      }
    })
    .meta({ type: "cron schedule" })
    .describe(description);
