// Field schemas the stack configuration is built from. Each one checks a value against
// what its consumer accepts (the Kubernetes API, Argo Rollouts, Prometheus, AWS) and
// turns unit strings into parsed values, so nothing invalid reaches a manifest and the
// model never parses a unit. Messages say what is allowed and, where a typo is likely,
// what was probably meant.
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

/** A duration a Kubernetes field holds as whole seconds (periodSeconds, activeDeadlineSeconds, ...). */
export const wholeSeconds = (description: string, consumer: string, min = 1, max?: number) =>
  duration(description, { min, max, wholeSeconds: true, consumer });

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


export const ratio = z.number().gt(0).lt(1);
export const percent = z.number().int().min(1).max(100);
export const chartVersion = text("an exact chart version such as 1.2.3").regex(/^\d+\.\d+\.\d+$/, {
  message: "must be an exact chart version such as 1.2.3",
});



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
