// The export/restore rehearsal's real parts, all on 127.0.0.1: a PostgreSQL server
// (Debian's postgresql package: initdb and pg_ctl in a temporary directory) and an
// S3-compatible server (s3rver, from npm). The scripts under test are run exactly as the
// rendered pods run them: the container's command, with the environment it declares.
import { ChildProcess, SpawnSyncReturns, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../e2e/harness";

export const JOBS = path.resolve(__dirname, "../../jobs");
const INSTALL = "apt-get install postgresql awscli (bash .ci/run does this)";

function which(name: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

/** The directory of initdb/pg_ctl (Debian keeps them out of PATH), newest major first. */
function postgresBin(): string {
  const base = "/usr/lib/postgresql";
  const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const m of majors) if (fs.existsSync(path.join(base, m, "bin", "initdb"))) return path.join(base, m, "bin");
  const initdb = which("initdb");
  if (initdb) return path.dirname(initdb);
  throw new Error(`PostgreSQL's initdb is not installed; install it with \`${INSTALL}\``);
}

/** Fails with the install command when a tool the scripts call is missing. */
export function requireDataTools(): void {
  for (const tool of ["psql", "pg_dump", "pg_restore", "aws", "sha256sum"]) {
    if (!which(tool)) throw new Error(`${tool} is not installed; install it with \`${INSTALL}\``);
  }
  postgresBin();
}

export interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

const result = (r: SpawnSyncReturns<string>): Result => ({ status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" });

/** A throw-away PostgreSQL cluster with a password-authenticated admin user, like RDS's master. */
export class Postgres {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-pg-"));
  readonly admin = "memory_admin";
  readonly adminPassword = "admin-Pa55-rehearsal";
  port = 0;
  private readonly bin = postgresBin();
  // initdb refuses to run as root: the server runs as the postgres user then.
  private readonly as = process.getuid?.() === 0 ? userIds("postgres") : undefined;

  async start(): Promise<void> {
    this.port = await freePort();
    fs.chmodSync(this.dir, 0o755);
    const pw = path.join(this.dir, "pw");
    fs.writeFileSync(pw, this.adminPassword);
    if (this.as) {
      fs.chownSync(this.dir, this.as.uid, this.as.gid);
      fs.chownSync(pw, this.as.uid, this.as.gid);
    }
    this.server("initdb", ["-D", path.join(this.dir, "data"), "-U", this.admin, "--auth=scram-sha-256", `--pwfile=${pw}`, "--no-sync"]);
    fs.rmSync(pw);
    this.server("pg_ctl", [
      "-D", path.join(this.dir, "data"), "-l", path.join(this.dir, "log"), "-w", "start",
      "-o", `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c fsync=off`,
    ]);
  }

  stop(): void {
    if (this.port) spawnSync(path.join(this.bin, "pg_ctl"), ["-D", path.join(this.dir, "data"), "-m", "immediate", "stop"], this.spawnOpts());
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  url(user: string, password: string, database: string): string {
    return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}?sslmode=disable`;
  }

  /** Runs SQL as `user` and returns the unaligned, tuples-only output; throws on error. */
  sql(user: string, password: string, database: string, sql: string): string {
    const r = this.psql(user, password, database, sql);
    if (r.status !== 0) throw new Error(`psql as ${user} on ${database}: ${r.stderr}`);
    return r.stdout.trim();
  }

  psql(user: string, password: string, database: string, sql: string): Result {
    return result(
      spawnSync("psql", ["--no-psqlrc", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "--dbname", this.url(user, password, database), "-c", sql], {
        encoding: "utf8",
      }),
    );
  }

  adminSql(sql: string, database = "postgres"): string {
    return this.sql(this.admin, this.adminPassword, database, sql);
  }

  databaseExists(name: string): boolean {
    return this.adminSql(`SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === "1";
  }

  private server(tool: string, args: string[]): void {
    const r = spawnSync(path.join(this.bin, tool), args, this.spawnOpts());
    if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}${r.stdout}`);
  }

  private spawnOpts() {
    return { encoding: "utf8" as const, ...(this.as ? { uid: this.as.uid, gid: this.as.gid } : {}) };
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0) throw new Error(`running as root, PostgreSQL needs the "${name}" user; install it with \`${INSTALL}\``);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * An S3-compatible server (s3rver) with one bucket, on a free port, and in front of it the
 * endpoint the jobs' scripts talk to. s3rver (3.7, the newest) stores objects faithfully
 * but knows neither conditional writes nor additional checksums, so that front does three
 * things S3 does, as S3 documents them, and nothing else: it refuses a PUT with
 * `If-None-Match: *` to a key that exists (412 PreconditionFailed: "Conditional writes",
 * S3 user guide); it keeps the `x-amz-checksum-sha256` a PUT carried and returns it on a
 * HEAD with `x-amz-checksum-mode: ENABLED` ("Checking object integrity"); and it records
 * every request's method, key and those headers, so a test can say what the scripts asked
 * of S3. The tests' own reads and writes (`get`, `put`, standing in for another
 * credential) go to s3rver directly. Each runs in its own process: the tests run the
 * scripts synchronously, which would block a server in this one.
 */
export class S3 {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-s3-"));
  readonly bucket = "agent-platform-rehearsal-backups";
  /** s3rver itself. */
  endpoint = "";
  /** The front the scripts use. */
  front = "";
  readonly requestLog = path.join(this.dir, "requests.jsonl");
  private children: ChildProcess[] = [];

  async start(): Promise<void> {
    const port = await freePort();
    const program = `
      const S3rver = require("s3rver");
      const server = new S3rver({ address: "127.0.0.1", port: ${port}, silent: true, directory: ${JSON.stringify(path.join(this.dir, "data"))},
        configureBuckets: [{ name: ${JSON.stringify(this.bucket)} }] });
      server.run().then(() => console.log("ready"), (e) => { console.error(e); process.exit(1); });`;
    await this.spawnReady(program, "s3rver");
    this.endpoint = `http://127.0.0.1:${port}`;
    const frontPort = await freePort();
    const front = `
      const http = require("http"), fs = require("fs");
      const up = { host: "127.0.0.1", port: ${port} };
      const sums = new Map();
      const log = (r) => fs.appendFileSync(${JSON.stringify(this.requestLog)}, JSON.stringify(r) + "\\n");
      const forward = (req, body, res, extra) => {
        const u = http.request({ ...up, method: req.method, path: req.url, headers: req.headers }, (r) => {
          const headers = { ...r.headers, ...(r.statusCode === 200 ? extra : {}) };
          res.writeHead(r.statusCode, headers);
          r.pipe(res);
          if (req.method === "PUT" && r.statusCode === 200 && req.headers["x-amz-checksum-sha256"]) sums.set(req.url.split("?")[0], req.headers["x-amz-checksum-sha256"]);
        });
        u.end(body);
      };
      http.createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks);
          const key = req.url.split("?")[0];
          log({ method: req.method, key, ifNoneMatch: req.headers["if-none-match"], checksum: req.headers["x-amz-checksum-sha256"], checksumMode: req.headers["x-amz-checksum-mode"] });
          // s3rver keeps an object as <directory>/<bucket>/<key>._S3rver_object.
          if (req.method === "PUT" && req.headers["if-none-match"] === "*" && fs.existsSync(${JSON.stringify(path.join(this.dir, "data"))} + decodeURIComponent(key) + "._S3rver_object")) {
            res.writeHead(412, { "content-type": "application/xml" });
            res.end("<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>");
            return;
          }
          const sum = req.method === "HEAD" && req.headers["x-amz-checksum-mode"] === "ENABLED" ? sums.get(key) : undefined;
          forward(req, body, res, sum ? { "x-amz-checksum-sha256": sum } : {});
        });
      }).listen(${frontPort}, "127.0.0.1", () => console.log("ready"));`;
    await this.spawnReady(front, "the S3 front");
    this.front = `http://127.0.0.1:${frontPort}`;
  }

  private async spawnReady(program: string, what: string): Promise<void> {
    const child = spawn(process.execPath, ["-e", program], { cwd: path.resolve(__dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] });
    this.children.push(child);
    await new Promise<void>((resolve, reject) => {
      let err = "";
      child.stderr!.on("data", (d) => (err += String(d)));
      child.stdout!.on("data", (d) => String(d).includes("ready") && resolve());
      child.once("exit", (code) => reject(new Error(`${what} exited (${code}): ${err}`)));
    });
  }

  /** What the scripts asked of S3 since the log was last read. */
  requests(): Array<{ method: string; key: string; ifNoneMatch?: string; checksum?: string; checksumMode?: string }> {
    if (!fs.existsSync(this.requestLog)) return [];
    const lines = fs.readFileSync(this.requestLog, "utf8").trim().split("\n").filter(Boolean);
    fs.rmSync(this.requestLog);
    return lines.map((l) => JSON.parse(l));
  }

  async stop(): Promise<void> {
    for (const child of this.children) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** The environment the AWS CLI needs for this server (static test keys, no instance metadata). */
  env(home: string): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_MAX_ATTEMPTS: "1",
      AWS_CONFIG_FILE: path.join(home, "aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, "aws-credentials"),
      S3_ENDPOINT_URL: this.front,
      BUCKET: this.bucket,
    };
  }

  /** Keys under a prefix, sorted. */
  list(home: string, prefix: string): string[] {
    const r = this.aws(home, ["s3api", "list-objects-v2", "--bucket", this.bucket, "--prefix", prefix, "--query", "Contents[].Key", "--output", "text"]);
    if (r.status !== 0) throw new Error(r.stderr);
    const out = r.stdout.trim();
    return out === "None" || out === "" ? [] : out.split(/\s+/).sort();
  }

  get(home: string, key: string): Buffer {
    const file = path.join(home, `get-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const r = this.aws(home, ["s3", "cp", "--only-show-errors", `s3://${this.bucket}/${key}`, file]);
    if (r.status !== 0) throw new Error(r.stderr);
    const data = fs.readFileSync(file);
    fs.rmSync(file);
    return data;
  }

  put(home: string, key: string, data: Buffer): void {
    const file = path.join(home, `put-${Date.now()}`);
    fs.writeFileSync(file, data);
    const r = this.aws(home, ["s3", "cp", "--only-show-errors", file, `s3://${this.bucket}/${key}`]);
    fs.rmSync(file);
    if (r.status !== 0) throw new Error(r.stderr);
  }

  /** An upload through the front with S3's SHA-256, as the export role's credentials would make one. */
  putChecked(home: string, key: string, data: Buffer): void {
    const file = path.join(home, `put-${Date.now()}`);
    fs.writeFileSync(file, data);
    const r = result(
      spawnSync("aws", ["--endpoint-url", this.front, "s3api", "put-object", "--bucket", this.bucket, "--key", key, "--body", file, "--checksum-algorithm", "SHA256"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: home, ...this.env(home) },
      }),
    );
    fs.rmSync(file);
    if (r.status !== 0) throw new Error(r.stderr);
  }

  private aws(home: string, args: string[]): Result {
    return result(
      spawnSync("aws", ["--endpoint-url", this.endpoint, ...args], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: home, ...this.env(home) },
      }),
    );
  }
}

/** What the rehearsal reads of a rendered pod: its containers' commands, environment and mounts. */
export interface RenderedContainer {
  name: string;
  command: string[];
  env: Array<{ name: string; value?: string }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
export interface RenderedPod {
  initContainers?: RenderedContainer[];
  containers: RenderedContainer[];
  volumes: Array<{ name: string; secret?: { items: Array<{ key: string; path: string }> } }>;
}

/** The container of a rendered pod with that name. */
export function containerOf(pod: RenderedPod, name: string): RenderedContainer {
  const found = [...(pod.initContainers ?? []), ...pod.containers].filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`expected one container named ${name}, found ${found.length}`);
  return found[0];
}

/**
 * A host directory standing in for a Secret volume of the pod: one file per item of the
 * volume, at the item's path, holding the value given for the item's key. A key the
 * volume projects and the test gives no value for is an error.
 */
export function secretDir(pod: RenderedPod, volume: string, data: Record<string, string>, parent: string): string {
  const v = pod.volumes.find((x) => x.name === volume);
  if (!v?.secret) throw new Error(`the pod has no Secret volume ${volume}`);
  const dir = fs.mkdtempSync(path.join(parent, `${volume}-`));
  for (const { key, path: file } of v.secret.items) {
    if (!(key in data)) throw new Error(`Secret volume ${volume} projects key ${key}, which the test gives no value`);
    fs.writeFileSync(path.join(dir, file), data[key], { mode: 0o400 });
  }
  return dir;
}

/**
 * A path inside the container, as a host path: the longest mount path it lies under is
 * replaced by the host directory given for that mount's volume. Paths under no mount are
 * returned as they are; a path under a mount the test gives no directory is an error.
 */
function hostPath(c: RenderedContainer, dirs: Record<string, string>, value: string): string {
  const mount = [...c.volumeMounts]
    .sort((a, b) => b.mountPath.length - a.mountPath.length)
    .find((m) => value === m.mountPath || value.startsWith(`${m.mountPath}/`));
  if (!mount) return value;
  if (!(mount.name in dirs)) throw new Error(`${c.name}: ${value} lies under the mount of volume ${mount.name}, which the test gives no directory`);
  return dirs[mount.name] + value.slice(mount.mountPath.length);
}

/**
 * Runs a rendered container's command on this host, as the pod runs it: the command and
 * every environment variable the container declares, with paths under its mounts pointing
 * into the given host directories (by volume name), then `extra` on top (what the cluster
 * supplies besides: the S3 endpoint and its keys, a request ConfigMap's variables), and
 * nothing else but PATH.
 */
export function runContainer(c: RenderedContainer, dirs: Record<string, string>, extra: Record<string, string> = {}): Result {
  const [shell, ...args] = c.command;
  if (shell !== "/bin/sh") throw new Error(`${c.name}: expected a /bin/sh command, found ${c.command.join(" ")}`);
  const env: Record<string, string> = {};
  for (const { name, value } of c.env) {
    if (value === undefined) throw new Error(`${c.name}: env ${name} has no literal value`);
    env[name] = hostPath(c, dirs, value);
  }
  return result(
    spawnSync("sh", args.map((a) => hostPath(c, dirs, a)), {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env, ...extra },
      timeout: 120_000,
    }),
  );
}

/**
 * `runContainer`, asynchronously, sampling every process's command line (/proc/<pid>/cmdline)
 * every few milliseconds while it runs: the lines that contain any of `secrets`.
 */
export async function runContainerWatching(
  c: RenderedContainer,
  dirs: Record<string, string>,
  extra: Record<string, string>,
  secrets: string[],
): Promise<Result & { leaks: string[]; samples: number }> {
  const [shell, ...args] = c.command;
  if (shell !== "/bin/sh") throw new Error(`${c.name}: expected a /bin/sh command, found ${c.command.join(" ")}`);
  const env: Record<string, string> = {};
  for (const { name, value } of c.env) env[name] = hostPath(c, dirs, value!);
  const child = spawn("sh", args.map((a) => hostPath(c, dirs, a)), { env: { PATH: process.env.PATH ?? "", ...env, ...extra } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += String(d)));
  child.stderr.on("data", (d) => (stderr += String(d)));
  const leaks = new Set<string>();
  let samples = 0;
  const sample = () => {
    samples++;
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let line = "";
      try {
        line = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        continue; // gone already
      }
      if (secrets.some((x) => line.includes(x))) leaks.add(line);
    }
  };
  const timer = setInterval(sample, 5);
  const status = await new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
  clearInterval(timer);
  return { status, stdout, stderr, leaks: [...leaks], samples };
}
