// Container image references (R-DATA-4): the OCI/distribution reference grammar, checked by
// @swimlane/docker-reference, a tag or a digest and never `latest`; digest pins; ECR
// repository names.
import { parseFamiliarName } from "@swimlane/docker-reference";
import { text } from "./fields";

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

/** A digest-pinned image: the tag is for people, the digest is what runs. */
export const pinnedImage = image.superRefine((ref, ctx) => {
  try {
    if (!parseImage(ref).digest) ctx.addIssue({ code: "custom", message: "must be pinned by digest (…@sha256:<64 hex digits>): a tag can be moved" });
  } catch {
    // reported by `image`
  }
});

/** An ECR repository name (lower-case path segments). */
export const ecrRepositoryName = text("an ECR repository name such as agent-platform").regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
  message: "must be an ECR repository name such as agent-platform",
});
