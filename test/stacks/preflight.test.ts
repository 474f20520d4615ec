// R-ENV-14: what a stack needs of the cluster and the account, who provides it, and the
// preflight that checks a live cluster (the real Kubernetes client against a stand-in API
// server on 127.0.0.1, test/helpers/fakeKubeApi.ts) and the image registry (the real ECR
// client against a stand-in endpoint), as `npm run preflight` and `pulumi preview` run it.
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { parseStackConfig } from "../../components/config";
import { ROOT } from "../../components/config/stackFile";
import { ecrImage, prerequisites } from "../../components/model/prerequisites";
import { findingLines, runPreflight } from "../../components/preflight";
import { Recorder, runWithMocks } from "../../render/mockRuntime";
import { preflightCli } from "../../scripts/preflight";
import { Cluster, PRESENT, startFakeApi } from "../helpers/fakeKubeApi";
import { patchedRaw } from "../helpers/config";

const cfgOf = (stack: string, patch: Record<string, unknown> = {}) => parseStackConfig(patchedRaw(stack, patch), stack);
const ids = (stack: string, patch: Record<string, unknown> = {}) => prerequisites(cfgOf(stack, patch)).map((p) => `${p.id}:${p.providedBy}`);

/** The prod cluster with every prerequisite a prod stack checks. */
const PREPARED_PROD: Cluster = {
  ...PRESENT.gatewayApi,
  ...PRESENT.gateway,
  ...PRESENT.metricsServer,
  ...PRESENT.ebsCsiDriver,
  ...PRESENT.storageClasses("eks-gp3-default"),
};

async function lines(stack: string, cluster: Cluster, patch: Record<string, unknown> = {}): Promise<string[]> {
  const api = await startFakeApi(cluster);
  try {
    return findingLines(await runPreflight(prerequisites(cfgOf(stack, patch)), { kubeconfig: api.kubeconfig }, { registry: false }));
  } finally {
    await api.close();
  }
}

describe("R-ENV-14: cluster prerequisites, by stack", () => {
  it("R-ENV-14: each stack needs what its objects use; by default the cluster provides it", () => {
    assert.deepEqual(ids("dev"), ["storage-class:cluster"], "dev: the volumes (monitoring, in-cluster PostgreSQL)");
    assert.deepEqual(ids("staging"), ["storage-class:cluster"], "staging installs its own Argo Rollouts and has no HPA");
    assert.deepEqual(ids("prod"), ["gateway-api-crds:cluster", "gateway:cluster", "metrics-server:cluster", "storage-class:cluster", "image:cluster"]);
  });

  it("R-ENV-14: what a stack installs is provided by the stack; installing the Gateway needs its class, installing the StorageClass needs its CSI driver", () => {
    const all = {
      cluster: {
        gatewayApi: { install: true },
        gateway: { install: true, className: "amazon-vpc-lattice" },
        metricsServer: { install: true },
        storageClass: { install: true, name: "gp3" },
      },
    };
    assert.deepEqual(ids("prod", all), ["gateway-api-crds:stack", "gateway-class:cluster", "metrics-server:stack", "csi-driver:cluster", "image:cluster"]);
    const p = prerequisites(cfgOf("prod", all));
    assert.deepEqual(p[0].check, { kind: "served", groupVersion: "gateway.networking.k8s.io/v1", resources: ["gateways", "httproutes"] });
    assert.deepEqual(p[1].check, { kind: "object", group: "gateway.networking.k8s.io", version: "v1", plural: "gatewayclasses", name: "amazon-vpc-lattice" });
    assert.deepEqual(p[3].check, { kind: "csiDriver", name: "ebs.csi.aws.com" });
  });

  it("R-ENV-14: add-ons the platform team runs become prerequisites; without volumes or an HPA nothing is asked of storage or metrics", () => {
    assert.deepEqual(ids("staging", { delivery: { installController: false }, monitoring: { install: false } }), [
      "argo-rollouts-crds:cluster",
      "prometheus-operator-crds:cluster",
    ]);
    assert.deepEqual(ids("dev", { monitoring: { install: false }, memoryStore: { mode: "external" } }), ["prometheus-operator-crds:cluster"]);
    assert.deepEqual(ids("dev", { delivery: { strategy: "canary" }, autoscaling: { enabled: true, minReplicas: 1 } }), [
      "gateway-api-crds:cluster",
      "gateway:cluster",
      "metrics-server:cluster",
      "storage-class:cluster",
    ]);
    assert.deepEqual(ids("prod", { delivery: { strategy: "blueGreen" } }).slice(0, 1), ["metrics-server:cluster"], "blue/green routes by Services: neither CRDs nor Gateway");
  });

  it("R-ENV-14: a named class is checked by name; the image is checked only in ECR", () => {
    assert.deepEqual(prerequisites(cfgOf("dev", { cluster: { storageClass: { name: "fast" } } }))[0].check, { kind: "storageClass", name: "fast" });
    assert.deepEqual(ecrImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform:1.4.2@sha256:" + "a".repeat(64)), {
      registryId: "123456789012",
      region: "eu-west-1",
      repository: "agent-platform",
      tag: "1.4.2",
      digest: `sha256:${"a".repeat(64)}`,
    });
    assert.deepEqual(ecrImage("123456789012.dkr.ecr.us-east-2.amazonaws.com/team/agent-platform:2"), { registryId: "123456789012", region: "us-east-2", repository: "team/agent-platform", tag: "2" });
    assert.equal(ecrImage("ghcr.io/acme/agent-platform:1.4.2"), undefined);
    assert.equal(ecrImage("12345678901.dkr.ecr.eu-west-1.amazonaws.com/agent-platform:1"), undefined, "an account ID has 12 digits");
  });

  it("R-ENV-14: installing a prerequisite says what it installs, and is refused when it cannot say", () => {
    const msg = (patch: Record<string, unknown>) => {
      try {
        cfgOf("prod", patch);
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    };
    assert.match(msg({ cluster: { gateway: { install: true } } }), /agent-platform:cluster\.gateway\.className = \(not set\): is required to install the Gateway \(cluster\.gateway\.install\): the GatewayClass/);
    assert.match(msg({ cluster: { gateway: { install: true, className: "eg", protocol: "HTTPS" } } }), /agent-platform:cluster\.gateway\.tlsSecretName = \(not set\): is required for an HTTPS listener/);
    assert.match(msg({ cluster: { gateway: { install: true, className: "eg", tlsSecretName: "tls" } } }), /an HTTP listener terminates no TLS/);
    assert.match(msg({ cluster: { storageClass: { install: true } } }), /agent-platform:cluster\.storageClass\.name = \(not set\): is required to install the StorageClass \(cluster\.storageClass\.install\)/);
    assert.equal(msg({ cluster: { gateway: { install: true, className: "eg", protocol: "HTTPS", tlsSecretName: "tls" }, storageClass: { install: true, name: "gp3" } } }), "");
  });
});

describe("R-ENV-14: the preflight against a live cluster (stand-in API server, real client)", () => {
  it("R-ENV-14: a cluster with everything prod needs: no line", async () => {
    assert.deepEqual(await lines("prod", PREPARED_PROD), []);
  });

  it("R-ENV-14: a new EKS cluster: one line per missing prerequisite, each naming it, what needs it and how to provide it", async () => {
    const out = await lines("prod", PRESENT.storageClasses("eks-new"));
    assert.deepEqual(
      out.map((l) => l.split(";")[0]),
      [
        "missing: Gateway API CRDs (standard channel, gateway.networking.k8s.io/v1 HTTPRoute) (gateway.networking.k8s.io/v1 is not served)",
        "missing: Gateway gateway-system/platform-gateway (not found)",
        "missing: metrics-server (metrics.k8s.io/v1beta1) (metrics.k8s.io/v1beta1 is not served)",
        "missing: a default StorageClass on a CSI driver (no StorageClass is annotated storageclass.kubernetes.io/is-default-class=true)",
      ],
    );
    assert.equal(
      out[2],
      "missing: metrics-server (metrics.k8s.io/v1beta1) (metrics.k8s.io/v1beta1 is not served); needed by the HPA scales on CPU and memory, which only metrics-server reports; provide it: `pulumi config set --path cluster.metricsServer.install true` (chart 3.13.0), or the EKS add-on: aws eks create-addon --cluster-name <cluster> --addon-name metrics-server",
    );
    assert.match(out[0], /provide it: `pulumi config set --path cluster\.gatewayApi\.install true` \(installs v1\.2\.1\), or kubectl apply -f https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v1\.2\.1\/standard-install\.yaml$/);
  });

  it("R-ENV-14: with and without each prerequisite: exactly its line", async () => {
    const without: Array<[string, Cluster, string]> = [
      ["Gateway API CRDs", { ...PREPARED_PROD, "/apis/gateway.networking.k8s.io/v1": undefined as never }, "missing: Gateway API CRDs"],
      ["the Gateway", { ...PREPARED_PROD, "/apis/gateway.networking.k8s.io/v1/namespaces/gateway-system/gateways/platform-gateway": undefined as never }, "missing: Gateway gateway-system/platform-gateway"],
      ["metrics-server", { ...PREPARED_PROD, "/apis/metrics.k8s.io/v1beta1": undefined as never }, "missing: metrics-server"],
      ["the default class", { ...PREPARED_PROD, ...PRESENT.storageClasses("eks-new") }, "missing: a default StorageClass on a CSI driver"],
      ["the CSI driver", { ...PREPARED_PROD, "/apis/storage.k8s.io/v1/csidrivers/ebs.csi.aws.com": undefined as never }, "missing: a default StorageClass on a CSI driver"],
    ];
    for (const [what, cluster, line] of without) {
      const defined = Object.fromEntries(Object.entries(cluster).filter(([, v]) => v !== undefined));
      const out = await lines("prod", defined);
      assert.equal(out.length, 1, `without ${what}: ${out.join(" | ")}`);
      assert.ok(out[0].startsWith(line), `without ${what}: ${out[0]}`);
    }
  });

  it("R-ENV-14: the metrics API registered but unavailable, and an in-tree default class whose CSI driver is not installed, are missing", async () => {
    const out = await lines("prod", { ...PREPARED_PROD, "/apis/metrics.k8s.io/v1beta1": { status: 503, body: {} }, ...PRESENT.storageClasses("eks-gp2-default"), "/apis/storage.k8s.io/v1/csidrivers/ebs.csi.aws.com": undefined as never });
    assert.deepEqual(
      out.map((l) => l.split(";")[0]),
      [
        "missing: metrics-server (metrics.k8s.io/v1beta1) (metrics.k8s.io/v1beta1 is registered but not available (HTTP 503))",
        "missing: a default StorageClass on a CSI driver (gp2 provisions through ebs.csi.aws.com, which is not installed (no CSIDriver ebs.csi.aws.com))",
      ],
    );
  });

  it("R-ENV-14: storage: a local provisioner that is no CSI driver still provisions; a class that provisions nothing does not; a named class must exist", async () => {
    assert.deepEqual(await lines("dev", PRESENT.storageClasses("kind")), []);
    const none = await lines("dev", PRESENT.storageClasses("static"));
    assert.equal(none[0].split(";")[0], "missing: a default StorageClass on a CSI driver (local-storage provisions nothing (kubernetes.io/no-provisioner): claims stay Pending)");
    const named = await lines("dev", PRESENT.storageClasses("eks-gp3-default"), { cluster: { storageClass: { name: "io2" } } });
    assert.equal(named[0].split(";")[0], "missing: StorageClass io2 on a CSI driver (not found)");
    assert.deepEqual(await lines("dev", { ...PRESENT.storageClasses("eks-gp3-default"), ...PRESENT.ebsCsiDriver }, { cluster: { storageClass: { name: "gp3" } } }), []);
  });

  it("R-ENV-14: what cannot be checked is never taken as present: a refused token, an unreachable server", async () => {
    const api = await startFakeApi(PREPARED_PROD);
    try {
      const wrong = api.kubeconfig.replace(/token: .*/, "token: not-the-token");
      const out = findingLines(await runPreflight(prerequisites(cfgOf("staging")), { kubeconfig: wrong }));
      assert.deepEqual(out, [
        `not checked: a default StorageClass on a CSI driver (could not ask the cluster at ${api.url}: HTTP 401); needed by Prometheus, Alertmanager and Grafana volumes; provide it: \`pulumi config set --path cluster.storageClass.install true\` with cluster.storageClass.name (EBS gp3 through ebs.csi.aws.com), or mark a class default: kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true`,
      ]);
    } finally {
      await api.close();
    }
    const gone = await startFakeApi({});
    const kubeconfig = gone.kubeconfig;
    await gone.close();
    const out = findingLines(await runPreflight(prerequisites(cfgOf("staging")), { kubeconfig }));
    assert.match(out[0], /^not checked: a default StorageClass on a CSI driver \(could not ask the cluster at https:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it("R-ENV-14: the preflight only reads, and reads only what the stack needs", async () => {
    const api = await startFakeApi(PREPARED_PROD);
    try {
      await runPreflight(prerequisites(cfgOf("prod")), { kubeconfig: api.kubeconfig }, { registry: false });
      assert.deepEqual(api.requests.sort(), [
        "GET /apis/gateway.networking.k8s.io/v1",
        "GET /apis/gateway.networking.k8s.io/v1/namespaces/gateway-system/gateways/platform-gateway",
        "GET /apis/metrics.k8s.io/v1beta1",
        "GET /apis/storage.k8s.io/v1/csidrivers/ebs.csi.aws.com",
        "GET /apis/storage.k8s.io/v1/storageclasses",
      ]);
    } finally {
      await api.close();
    }
  });
});

/** A stand-in ECR endpoint (the JSON protocol the AWS SDK speaks) holding some images. */
async function fakeEcr(images: Record<string, string[]>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const send = (status: number, doc: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(doc));
      };
      if (req.headers["x-amz-target"] !== "AmazonEC2ContainerRegistry_V20150921.DescribeImages") return send(400, { __type: "UnknownOperationException" });
      const q = JSON.parse(body) as { repositoryName: string; imageIds: Array<{ imageTag?: string; imageDigest?: string }> };
      const repo = images[q.repositoryName];
      if (!repo) return send(400, { __type: "RepositoryNotFoundException", message: `The repository with name '${q.repositoryName}' does not exist` });
      const id = q.imageIds[0];
      if (!repo.includes(id.imageDigest ?? id.imageTag ?? "")) return send(400, { __type: "ImageNotFoundException", message: "The image requested does not exist in the specified repository." });
      send(200, { imageDetails: [{ repositoryName: q.repositoryName, imageTags: id.imageTag ? [id.imageTag] : [] }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("R-ENV-14: the image in its registry (stand-in ECR endpoint, real client)", () => {
  const env: Record<string, string | undefined> = {};
  const set = (k: string, v: string | undefined) => {
    if (!(k in env)) env[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  afterEach(() => {
    for (const [k, v] of Object.entries(env)) set(k, v);
    for (const k of Object.keys(env)) delete env[k];
  });

  for (const [what, images, expected] of [
    ["pushed", { "agent-platform": ["sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e"] }, []],
    ["not pushed yet", { "agent-platform": [] }, ["missing: image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform:1.4.2@sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e (not in 123456789012/agent-platform)"]],
    ["in no repository: the bootstrap stack has not run", {}, ["missing: image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform:1.4.2@sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e (no repository agent-platform in 123456789012 (eu-west-1))"]],
  ] as Array<[string, Record<string, string[]>, string[]]>) {
    it(`R-ENV-14: prod's image ${what}`, async () => {
      const ecr = await fakeEcr(images);
      set("AWS_ENDPOINT_URL_ECR", ecr.url);
      set("AWS_ACCESS_KEY_ID", "AKIAFAKEPREFLIGHT00");
      set("AWS_SECRET_ACCESS_KEY", "fake-secret");
      set("AWS_PROFILE", undefined);
      try {
        const image = prerequisites(cfgOf("prod")).filter((p) => p.id === "image");
        const out = findingLines(await runPreflight(image, {}));
        assert.deepEqual(out.map((l) => l.split(";")[0]), expected);
        if (expected.length) assert.match(out[0], /; provide it: push it first \(README: a new account\): the repository agent-platform comes from the bootstrap stack$/);
      } finally {
        await ecr.close();
      }
    });
  }
});

describe("R-ENV-14: `npm run preflight` and `pulumi preview`", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-preflight-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("R-ENV-14: the command, in-process: a line per prerequisite; exit 1 while one is missing, 0 once the cluster holds it", async () => {
    const api = await startFakeApi(PRESENT.storageClasses("eks-new"));
    fs.writeFileSync(path.join(dir, "kubeconfig"), api.kubeconfig);
    try {
      let out = "";
      const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
      assert.equal(await preflightCli(["staging", "--kubeconfig", path.join(dir, "kubeconfig")], io), 1);
      assert.equal(out.split("\n")[0], "Preflight of stack staging:");
      assert.match(out, /^ {2}missing: a default StorageClass on a CSI driver \(no StorageClass is annotated/m);
    } finally {
      await api.close();
    }
    const ready = await startFakeApi({ ...PRESENT.storageClasses("eks-gp3-default"), ...PRESENT.ebsCsiDriver });
    fs.writeFileSync(path.join(dir, "kubeconfig"), ready.kubeconfig);
    try {
      let out = "";
      const io = { out: (t: string) => (out += t), err: (t: string) => (out += t) };
      assert.equal(await preflightCli(["staging", "--kubeconfig", path.join(dir, "kubeconfig")], io), 0);
      assert.equal(out, "Preflight of stack staging:\n  ok: a default StorageClass on a CSI driver\n");
      out = "";
      assert.equal(await preflightCli(["qa"], io), 2);
      assert.match(out, /^error: no stack file Pulumi\.qa\.yaml; known stacks: dev, prod, staging\n$/);
    } finally {
      await ready.close();
    }
  });

  it("R-ENV-14: the command as a process, with installs: what the stack installs is said, not checked", async () => {
    const api = await startFakeApi({ ...PREPARED_PROD });
    fs.writeFileSync(path.join(dir, "kubeconfig"), api.kubeconfig);
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const prod = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), `${prod}  agent-platform:cluster:\n    metricsServer:\n      install: true\n`);
    try {
      const res = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register", path.join(ROOT, "scripts/preflight.ts"), "prod", "--no-registry", "--kubeconfig", path.join(dir, "kubeconfig"), "--config-dir", dir], { cwd: ROOT });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });
      assert.equal(res.status, 0, res.stdout + res.stderr);
      assert.equal(
        res.stdout,
        [
          "Preflight of stack prod:",
          "  ok: Gateway API CRDs (standard channel, gateway.networking.k8s.io/v1 HTTPRoute)",
          "  ok: Gateway gateway-system/platform-gateway",
          "  installed by this stack: metrics-server (metrics.k8s.io/v1beta1)",
          "  ok: a default StorageClass on a CSI driver",
          "  skipped (--no-registry): image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform:1.4.2@sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e",
          "",
        ].join("\n"),
      );
    } finally {
      await api.close();
    }
  });

  it("R-ENV-14: under the program (index.ts), a missing prerequisite stops it before anything is declared; with it, the stack is declared", async () => {
    const previous = process.env.KUBECONFIG;
    const program = () => (require("../../index") as () => Promise<unknown>)();
    let recorder = new Recorder();
    const run = async (cluster: Cluster) => {
      const api = await startFakeApi(cluster);
      fs.writeFileSync(path.join(dir, "kubeconfig"), api.kubeconfig);
      process.env.KUBECONFIG = path.join(dir, "kubeconfig");
      recorder = new Recorder();
      try {
        const raw = patchedRaw("staging", {});
        delete raw["agent-platform:kubeconfig"]; // the ambient kubeconfig, as when the stack sets none
        return await runWithMocks("staging", raw, program, recorder);
      } finally {
        await api.close();
        if (previous === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = previous;
      }
    };
    await assert.rejects(run(PRESENT.storageClasses("eks-new")), (e: Error) => {
      assert.equal(e.constructor.name, "RunError");
      assert.equal(
        e.message.split("\n").slice(0, 2).join("\n"),
        'stack "staging" needs what the cluster or the account does not hold (README: a new cluster; `npm run preflight -- staging` checks again):\n  missing: a default StorageClass on a CSI driver (no StorageClass is annotated storageclass.kubernetes.io/is-default-class=true); needed by Prometheus, Alertmanager and Grafana volumes; provide it: `pulumi config set --path cluster.storageClass.install true` with cluster.storageClass.name (EBS gp3 through ebs.csi.aws.com), or mark a class default: kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true',
      );
      return true;
    });
    assert.deepEqual(recorder.resources, [], "nothing declared");
    const declared = await run({ ...PRESENT.storageClasses("eks-gp3-default"), ...PRESENT.ebsCsiDriver });
    assert.ok(declared.resources.length > 50, `${declared.resources.length} resources`);
  });
});
