// Supply-chain policies (R-DATA-4, R-CI-5): images pinned (by digest in prod, and in prod
// only from the repositories the pack's configuration declares), Helm charts pinned to an
// exact version.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeResource, forPods, forType, list, parseImage } from "./common";

export const imagesPinned: ResourceValidationPolicy = {
  name: "images-pinned",
  description: "R-DATA-4: no container image is untagged or `latest`: every image names a fixed tag or a digest.",
  remediationSteps: "Pin the image by a release tag, or better by digest (…@sha256:<digest>).",
  validateResource: forPods((_args, pod, what, report, patch) => {
    for (const c of containersOf(pod)) {
      // A patch that leaves a container's image alone states none; its image is judged where it is declared.
      if (patch && c.image === undefined) continue;
      const ref = parseImage(String(c.image ?? ""));
      if (ref === undefined) {
        report(`${what}: container ${c.name} runs ${JSON.stringify(c.image ?? "")}, which is not an image reference; pin a tag or digest (R-DATA-4)`);
        continue;
      }
      const { tag, digest } = ref;
      if (!digest && (!tag || tag === "latest")) report(`${what}: container ${c.name} runs ${c.image}, ${tag ? "the mutable tag latest" : "untagged (latest)"}; pin a tag or digest (R-DATA-4)`);
    }
  }),
};

export const prodImageDigests: ResourceValidationPolicy = {
  name: "prod-image-digests",
  description: "R-DATA-4: prod deploys images pinned by digest (an untagged or latest image is images-pinned's to report).",
  remediationSteps: "Set the image to …@sha256:<digest> (docs/data.md: how to read the digest).",
  validateResource: forPods((_args, pod, what, report) => {
    for (const c of containersOf(pod)) {
      // An unparseable, untagged or latest image is images-pinned's to report.
      const { tag, digest } = parseImage(String(c.image ?? "")) ?? {};
      if (!digest && tag && tag !== "latest") report(`${what}: container ${c.name} runs ${c.image} without a digest; prod pins images by digest (R-DATA-4)`);
    }
  }),
};

/** The repository of an image reference, as the distribution/reference grammar normalises it: docker.io/library/postgres. */
export const repositoryOf = (image: string): string | undefined => parseImage(image)?.repository;

export const prodImageRegistry: ResourceValidationPolicy = {
  name: "prod-image-registry",
  description:
    "R-DATA-4, R-CI-5: prod runs images only from the repositories this policy's configuration declares (the platform's ECR repository and the pinned third-party images of its Jobs), however the reference is spelled.",
  remediationSteps: "Push the image to the declared ECR repository (docs/data.md), or add its repository to prod-image-registry.repositories in policy/config/prod.json after review.",
  configSchema: { properties: { repositories: { type: "array", items: { type: "string" }, default: [] } } },
  validateResource: forPods((args, pod, what, report) => {
    const allowed = list(args.getConfig<{ repositories?: string[] }>().repositories).map((r) => repositoryOf(String(r)) ?? String(r));
    for (const c of containersOf(pod)) {
      const repo = repositoryOf(String(c.image ?? ""));
      // An image that does not parse is images-pinned's to report.
      if (repo !== undefined && !allowed.includes(repo)) report(`${what}: container ${c.name} runs ${c.image}, from ${repo}, which prod does not admit; use the declared registry (R-DATA-4)`);
    }
  }),
};

/** An exact chart version (semver, optionally v-prefixed): no range, no wildcard. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const CHARTS = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart"];

export const chartsPinned: ResourceValidationPolicy = {
  name: "helm-charts-pinned",
  description: "R-DATA-4, R-CI-5: every Helm release or chart names an exact chart version (no range, no newest), so a preview shows what `up` installs.",
  remediationSteps: "Set version to the exact chart version the docs were checked against (e.g. 79.5.0), as components/monitoring/monitoring-stack.ts does.",
  validateResource: (args, report) => {
    if (!CHARTS.includes(args.type)) return;
    const version = args.props.version;
    const what = describeResource(args.type, args.props, args.name);
    const chart = args.props.chart ?? args.name;
    if (version === undefined || version === "") report(`${what}: chart ${chart} has no version, so every up installs the newest; pin it (R-DATA-4)`);
    else if (!EXACT_VERSION.test(String(version))) report(`${what}: chart ${chart} version ${version} is a range; pin an exact version (R-DATA-4)`);
  },
};
