// Field schemas the stack configuration is built from. Each one checks a value against
// what its consumer accepts (the Kubernetes API, Argo Rollouts, Prometheus, AWS) and
// turns unit strings into parsed values, so nothing invalid reaches a manifest and the
// model never parses a unit. Messages say what is allowed and, where a typo is likely,
// what was probably meant.
import { parseFamiliarName } from "@swimlane/docker-reference";
import { CronExpressionParser } from "cron-parser";
import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import {
  BYTE_SIZE_HELP,
  DURATION_HELP,
  Duration,
  isGoDuration,
  QUANTITY_HELP,
  Quantity,
  parseByteSize,
  parseDuration,
  parseQuantity,
} from "./units";

/** A value that must be written as a string: a number gets a hint to quote it. */
export const text = (what: string) =>
  z.string({
    error: (iss) =>
      typeof iss.input === "number" || typeof iss.input === "boolean"
        ? `must be ${what} written as a string: quote it ("${String(iss.input)}")`
        : `must be ${what}`,
  });

export interface DurationRule {
  /** Smallest allowed length in seconds (inclusive); 0 allows "0s". */
  min?: number;
  /** Largest allowed length in seconds (inclusive). */
  max?: number;
  /** The consumer takes integer seconds (probe, Job and Rollout fields). */
  wholeSeconds?: boolean;
  /** Who reads the value, for the message ("Kubernetes probe fields take whole seconds"). */
  consumer?: string;
  /** The text goes to a Go reader (Argo Rollouts): no days or weeks. */
  go?: boolean;
}

function formatSeconds(s: number): string {
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/**
 * A Go/Prometheus duration ("30s", "1h30m") parsed into `{text, seconds}`. A bare number
 * is refused with a hint ("did you mean 10s?"); bounds and whole seconds are checked
 * against what the consumer accepts.
 */
export const duration = (description: string, rule: DurationRule = {}) =>
  z
    .string({
      error: (iss) =>
        typeof iss.input === "number"
          ? `must be a duration with a unit: did you mean "${iss.input}s"?`
          : `must be ${DURATION_HELP}`,
    })
    .superRefine((d, ctx) => {
      const s = parseDuration(d);
      const why = rule.consumer ? ` (${rule.consumer})` : "";
      if (s === undefined) {
        const hint = /^\d+$/.test(d.trim()) ? `: did you mean "${d.trim()}s"?` : "";
        ctx.addIssue({ code: "custom", message: `must be ${DURATION_HELP}${hint}` });
        return;
      }
      const min = rule.min ?? 0;
      if (rule.go && !isGoDuration(d)) {
        ctx.addIssue({ code: "custom", message: `must use the units h, m, s or ms${why || " (Argo Rollouts reads Go durations)"}` });
      } else if (s < min) {
        // parseDuration has no negative durations, so a minimum of 0 is never missed.
        ctx.addIssue({ code: "custom", message: `must be at least ${formatSeconds(min)}${why}` });
      } else if (rule.max !== undefined && s > rule.max) {
        ctx.addIssue({ code: "custom", message: `must be at most ${formatSeconds(rule.max)}${why}` });
      } else if (rule.wholeSeconds && !Number.isInteger(s)) {
        ctx.addIssue({ code: "custom", message: `must be whole seconds${why}` });
      }
    })
    .transform((d): Duration => ({ text: d.trim(), seconds: parseDuration(d) as number }))
    .meta({ type: "duration" })
    .describe(description);

/** A Kubernetes resource quantity parsed into `{text, value}` (cores or bytes). */
export const quantity = (description: string) =>
  z
    .preprocess((v) => (typeof v === "number" ? String(v) : v), z.string({ error: `must be ${QUANTITY_HELP}` }))
    .superRefine((q, ctx) => {
      if (parseQuantity(q) === undefined) ctx.addIssue({ code: "custom", message: `must be ${QUANTITY_HELP}` });
    })
    .transform((q): Quantity => ({ text: q.trim(), value: parseQuantity(q) as number }))
    .meta({ type: "quantity" })
    .describe(description);

/** A Prometheus byte size ("40GB") parsed into `{text, bytes}`. */
export const byteSize = (description: string) =>
  text(BYTE_SIZE_HELP)
    .superRefine((s, ctx) => {
      // Stryker disable next-line StringLiteral: equivalent; zod words an empty message with text()'s error, the same "must be <the size form>"
      if (parseByteSize(s) === undefined) ctx.addIssue({ code: "custom", message: `must be ${BYTE_SIZE_HELP}` });
    })
    .transform((s) => ({ text: s.trim(), bytes: parseByteSize(s) as number }))
    .meta({ type: "size" })
    .describe(description);

/** An IPv4 or IPv6 CIDR, parsed by ipaddr.js; the address must be the network address. */
export const cidr = text("a CIDR such as 10.0.0.0/8").superRefine((c, ctx) => {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(c);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be a CIDR such as 10.0.0.0/8 (valid address octets, a prefix length within the address size)" });
    return;
  }
  // ipaddr.js accepts legacy IPv4 forms ("10.1", and "010.0.0.1" as octal, i.e. 8.0.0.1);
  // the Kubernetes API does not (Go's net.ParseCIDR refuses leading zeros).
  if (parsed[0].kind() === "ipv4" && !/^((0|[1-9]\d{0,2})\.){3}(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/.test(c)) {
    ctx.addIssue({ code: "custom", message: "must be a CIDR in dotted-quad form such as 10.0.0.0/8" });
    return;
  }
  // Compared as addresses, not as text: IPv6 has many spellings of one address (2001:DB8::, 2001:0db8::).
  const [address, prefix] = parsed;
  const network = (address.kind() === "ipv4" ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(c);
  if (network.toNormalizedString() !== address.toNormalizedString()) {
    ctx.addIssue({ code: "custom", message: `has host bits set: did you mean "${network.toString()}/${prefix}"?` });
  }
}).meta({ type: "CIDR" });

/** True when CIDR `inner` lies inside CIDR `outer` (both already valid, same family). */
export function cidrContains(outer: string, inner: string): boolean {
  const [oAddr, oLen] = ipaddr.parseCIDR(outer);
  const [iAddr, iLen] = ipaddr.parseCIDR(inner);
  if (oAddr.kind() !== iAddr.kind() || iLen < oLen) return false;
  return (iAddr as ipaddr.IPv4).match(oAddr as ipaddr.IPv4, oLen);
}

/** A DNS-1123 label: namespaces, release names, Gateway names. */
export const dnsLabel = text("a DNS label").regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: "must be a DNS label: lower-case letters, digits and '-', at most 63 characters",
});

export const port = z.number().int().min(1).max(65535);

/** An absolute URL with an explicit http(s) scheme (and, if `requirePort`, an explicit port). */
export const httpUrl = (description: string, opts: { https?: boolean; requirePort?: boolean } = {}) => {
  const scheme = opts.https ? "https" : "http(s)";
  const example = opts.requirePort ? `${scheme}://host:port` : `${scheme}://host/path`;
  return text(`an ${scheme} URL such as ${example}`)
    .superRefine((u, ctx) => {
      let url: URL;
      try {
        url = new URL(u);
      } catch {
        ctx.addIssue({ code: "custom", message: `must be an absolute ${scheme} URL such as ${example} (the scheme is required)` });
        return;
      }
      const okScheme = opts.https ? url.protocol === "https:" : url.protocol === "http:" || url.protocol === "https:";
      if (!okScheme || !/^[a-z]+:\/\//i.test(u)) {
        ctx.addIssue({ code: "custom", message: `must be an ${scheme} URL such as ${example}; got the scheme "${url.protocol.slice(0, -1)}"` });
      } else if (opts.requirePort && !/:\d+$/.test(authority(u))) {
        // url.port is "" for a scheme's default port, so the text is read: "http://host:80" names one.
        ctx.addIssue({ code: "custom", message: `must name a port explicitly, such as ${example}` });
      }
    })
    .meta({ type: opts.https ? "https URL" : "URL" })
    .describe(description);
};

/**
 * The authority of a URL written `scheme://authority/...`: what lies between "//" and the
 * first "/", "?" or "#". (A special scheme's URL always has a host: WHATWG URL refuses
 * "http://" and "http://:80".)
 */
function authority(u: string): string {
  return u.slice(u.indexOf("//") + 2).split(/[/?#]/)[0];
}

/** The parts of an OCI image reference (distribution/reference grammar). */
export interface ImageRef {
  domain: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Parses an image reference with the distribution/reference grammar; throws with its reason. */
export function parseImage(ref: string): ImageRef {
  const r = parseFamiliarName(ref);
  // Stryker disable next-line StringLiteral: equivalent; a reference parseFamiliarName accepts always has both (the domain defaults to docker.io), the fallbacks only satisfy its optional types
  return { domain: r.domain ?? "", repository: r.repository ?? "", tag: r.tag, digest: r.digest };
}

/**
 * A container image reference, checked against the OCI/distribution reference grammar
 * (lower-case repository, tag and digest forms) by @swimlane/docker-reference, pinned by
 * tag or digest and never `latest`.
 */
export const image = text("an image reference such as registry/agent-platform:1.4.2").superRefine((ref, ctx) => {
  let parsed: ImageRef;
  try {
    parsed = parseImage(ref);
  } catch (e) {
    // Stryker disable next-line Regex: equivalent; @swimlane/docker-reference writes "invalid reference format" only at a message's start (src/parsers.ts)
    const reason = String((e as Error).message).replace(/^invalid reference format:?\s*/, "");
    ctx.addIssue({
      code: "custom",
      message: `must be an image reference such as registry/agent-platform:1.4.2 or …@sha256:<64 hex digits>${reason ? ` (${reason})` : ""}`,
    });
    return;
  }
  if (!parsed.tag && !parsed.digest) {
    ctx.addIssue({ code: "custom", message: "must name a tag or a digest (an untagged image means :latest)" });
  } else if (parsed.tag === "latest") {
    ctx.addIssue({ code: "custom", message: "must not use the mutable tag 'latest'" });
  }
}).meta({ type: "image reference" });

export const ratio = z.number().gt(0).lt(1);
export const percent = z.number().int().min(1).max(100);
export const chartVersion = text("an exact chart version such as 1.2.3").regex(/^\d+\.\d+\.\d+$/, {
  message: "must be an exact chart version such as 1.2.3",
});

/** A digest-pinned image: the tag is for people, the digest is what runs. */
export const pinnedImage = image.superRefine((ref, ctx) => {
  try {
    if (!parseImage(ref).digest) ctx.addIssue({ code: "custom", message: "must be pinned by digest (…@sha256:<64 hex digits>): a tag can be moved" });
  } catch {
    // reported by `image`
  }
});

/** A cron schedule parsed into its text and the longest gap between two runs. */
export interface Schedule {
  text: string;
  /** Longest time between consecutive runs over a year, seconds. */
  maxGapSeconds: number;
}

/**
 * Walking a year of runs through cron-parser costs about 100 ms for a daily schedule, and
 * every parse of a stack's configuration asks for it; the answer depends on the two
 * arguments only, so it is computed once per process.
 */
const maxGaps = new Map<string, number>();

/**
 * Forgets the computed gaps. For mutation testing only (test/helpers/mutate-hooks.ts):
 * StrykerJS runs many mutants in one process, and a mutant of the walk must not be
 * answered from a gap computed under another.
 */
// Stryker disable next-line BlockStatement: test support; emptying it changes which mutants a cached gap hides, not what a parse answers
export function forgetScheduleGaps(): void {
  maxGaps.clear();
}

/** The longest gap between consecutive runs of a 5-field schedule over one year (in `timeZone`). */
export function scheduleMaxGap(expr: string, timeZone: string): number {
  const key = `${timeZone} ${expr}`;
  let gap = maxGaps.get(key);
  // Stryker disable next-line ConditionalExpression: equivalent when always true; without the cache the same number is computed again
  if (gap === undefined) {
    gap = walkMaxGap(expr, timeZone);
    maxGaps.set(key, gap);
  }
  return gap;
}

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

/** A PostgreSQL identifier we can write unquoted: lower case, no reserved look-alikes. */
export const pgIdentifier = text("a PostgreSQL name such as agent_app").regex(/^[a-z_][a-z0-9_]{0,62}$/, {
  message: "must be a lower-case PostgreSQL name (letters, digits, _; at most 63 characters) such as agent_app",
});

/** Requests and limits of one container. */
export const containerResources = (what: string) =>
  z
    .strictObject({
      requests: z.strictObject({ cpu: quantity(`CPU request of ${what}.`), memory: quantity(`Memory request of ${what}.`) }),
      limits: z.strictObject({
        cpu: quantity(`CPU limit of ${what}; not below the request.`),
        memory: quantity(`Memory limit of ${what}; not below the request.`),
      }),
    })
    .describe(`Requests and limits of ${what}.`);

/** An ECR repository name (lower-case path segments). */
export const ecrRepositoryName = text("an ECR repository name such as agent-platform").regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
  message: "must be an ECR repository name such as agent-platform",
});
