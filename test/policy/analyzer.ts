// The policy pack as `pulumi preview --policy-pack policy` runs it (R-CI-5): the pack's
// own process, started through @pulumi/pulumi's policy-pack entry point
// (cmd/run-policy-pack: `node …/run-policy-pack <engine> <pack dir>`, what the Node.js
// language host runs for a policy pack), prints its port; the engine then speaks the
// analyzer gRPC protocol (proto/pulumi/analyzer.proto): GetAnalyzerInfo, Configure with
// the enforcement levels the CLI resolves from the pack and --policy-pack-config
// (resolveConfig in ./harness, after pkg/resource/analyzer/config.go), Analyze per
// resource with its inputs, AnalyzeStack with every resource's outputs. Properties go
// over the wire as the engine marshals them for analyzers (secrets as secret
// signatures, which the policy SDK's deserialize.ts unwraps).
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import type { RecordedResource } from "../../render/mockRuntime";
import { resolveConfig, urnOf } from "./harness";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (m: string) => require(require.resolve(m, { paths: [pulumiDir] }));
/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = fromPulumi("@grpc/grpc-js");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb");

const PACK_DIR = path.resolve(__dirname, "../../policy");
const LEVEL = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 } as Record<string, number>;
const LEVEL_NAME = ["advisory", "mandatory", "disabled", "remediate"];

export interface Diagnostic {
  policy: string;
  level: string;
  message: string;
  urn: string;
}

/** JSON without the undefined a Struct cannot carry. */
const plain = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v ?? {}));

export class Analyzer {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly client: any,
  ) {}

  /** Starts the pack's process and connects to the port it prints. */
  static async start(): Promise<Analyzer> {
    const entry = path.join(pulumiDir, "cmd", "run-policy-pack");
    // The engine address is where the pack would send log messages; nothing here logs.
    const proc = spawn(process.execPath, [entry, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    proc.stderr!.on("data", (d) => (err += d));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      proc.stdout!.on("data", (d) => {
        out += d;
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(m[1]);
      });
      proc.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before printing its port:\n${err}`)));
    });
    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    return new Analyzer(proc, client);
  }

  stop(): void {
    this.client.close();
    this.proc.kill();
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => this.client[method](req, (e: Error | null, res: T) => (e ? reject(e) : resolve(res))));
  }

  /** The pack's name and its policies with their declared enforcement levels. */
  async info(): Promise<{ name: string; policies: Array<{ name: string; level: string; description: string }> }> {
    const res: any = await this.call("getAnalyzerInfo", new Empty());
    return {
      name: res.getName(),
      policies: res.getPoliciesList().map((p: any) => ({ name: p.getName(), level: LEVEL_NAME[p.getEnforcementlevel()], description: p.getDescription() })),
    };
  }

  /** Configure, as the CLI does with policy/config/<configName>.json. */
  async configure(configName: string): Promise<void> {
    const req = new pb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, { level, props }] of resolveConfig(configName)) {
      const c = new pb.PolicyConfig();
      c.setEnforcementlevel(LEVEL[level]);
      c.setProperties(Struct.fromJavaScript(plain(props)));
      map.set(name, c);
    }
    await this.call("configure", req);
  }

  private options(r: Pick<RecordedResource, "options">) {
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(r.options?.protect === true);
    o.setIgnorechangesList(r.options?.ignoreChanges ?? []);
    o.setAdditionalsecretoutputsList(r.options?.additionalSecretOutputs ?? []);
    if (r.options?.deleteBeforeReplace !== undefined) {
      o.setDeletebeforereplacedefined(true);
      o.setDeletebeforereplace(r.options.deleteBeforeReplace);
    }
    return o;
  }

  /** The server sends "<policy description>\n<violation message>" (makeReportViolationFun in @pulumi/policy's server.js); the message is the second part. */
  private diagnostics(res: any): Diagnostic[] {
    return res.getDiagnosticsList().map((d: any) => {
      const text: string = d.getMessage();
      const description: string = d.getDescription();
      const message = description && text.startsWith(`${description}\n`) ? text.slice(description.length + 1) : text;
      return { policy: d.getPolicyname(), level: LEVEL_NAME[d.getEnforcementlevel()], message, urn: d.getUrn() };
    });
  }

  /**
   * Analyze (each custom resource's inputs, one call each), then AnalyzeStack (every
   * resource's outputs). `analyze` narrows the Analyze calls to the resources a case
   * changed: a resource policy's answer depends on that resource alone, so the others
   * would repeat the baseline's.
   */
  async run(stack: string, resources: RecordedResource[], analyze: RecordedResource[] = resources): Promise<Diagnostic[]> {
    const out: Diagnostic[] = [];
    for (const r of analyze.filter((x) => x.custom)) {
      const req = new pb.AnalyzeRequest();
      req.setType(r.type);
      req.setName(r.name);
      req.setUrn(urnOf(stack, r));
      req.setProperties(Struct.fromJavaScript(plain(r.inputs)));
      req.setOptions(this.options(r));
      for (const d of this.diagnostics(await this.call("analyze", req))) out.push({ ...d, urn: d.urn || urnOf(stack, r) });
    }
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const a = new pb.AnalyzerResource();
        a.setType(r.type);
        a.setName(r.name);
        a.setUrn(urnOf(stack, r));
        a.setProperties(Struct.fromJavaScript(plain(r.outputs)));
        a.setOptions(this.options(r));
        return a;
      }),
    );
    out.push(...this.diagnostics(await this.call("analyzeStack", req)));
    return out;
  }
}
