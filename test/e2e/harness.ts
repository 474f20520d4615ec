// End-to-end harness: a fake platform target serving the metric contract, a webhook sink
// standing in for PagerDuty, Slack, the ticket system and the dead-man's switch, and
// real Prometheus and Alertmanager processes on 127.0.0.1. Everything started here is
// stopped by stopAll().
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import * as net from "net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The metric contract of REQUIREMENTS §5, healthy unless errorRatio is raised. */
export class FakePlatform {
  errorRatio = 0;
  readonly rps = 20;
  private requests = { ok: 0, err: 0 };
  private last = Date.now();
  private server?: http.Server;
  port = 0;

  private advance() {
    const now = Date.now();
    const n = (this.rps * (now - this.last)) / 1000;
    this.last = now;
    this.requests.err += n * this.errorRatio;
    this.requests.ok += n * (1 - this.errorRatio);
  }

  metrics(): string {
    this.advance();
    const s = 'service="agent-platform"';
    const total = this.requests.ok + this.requests.err;
    const lines = [
      "# TYPE http_requests_total counter",
      `http_requests_total{${s},route="/api/v1/tasks",method="POST",code="200"} ${this.requests.ok}`,
      `http_requests_total{${s},route="/api/v1/tasks",method="POST",code="500"} ${this.requests.err}`,
      "# TYPE http_request_duration_seconds histogram",
      ...[0.1, 0.25, 0.5, 1, 2.5].map((le) => `http_request_duration_seconds_bucket{${s},route="/api/v1/tasks",method="POST",le="${le}"} ${le >= 0.25 ? total : total * 0.5}`),
      `http_request_duration_seconds_bucket{${s},route="/api/v1/tasks",method="POST",le="+Inf"} ${total}`,
      `http_request_duration_seconds_sum{${s},route="/api/v1/tasks",method="POST"} ${total * 0.15}`,
      `http_request_duration_seconds_count{${s},route="/api/v1/tasks",method="POST"} ${total}`,
      "# TYPE agents_active gauge",
      `agents_active{${s}} 12`,
      "# TYPE tasks_total counter",
      `tasks_total{${s},status="completed"} ${total / 10}`,
      "# TYPE agent_spawn_total counter",
      `agent_spawn_total{${s},result="success"} ${total / 20}`,
      "# TYPE swarm_coordination_total counter",
      `swarm_coordination_total{${s},result="success"} ${total / 20}`,
      "# TYPE process_resident_memory_bytes gauge",
      `process_resident_memory_bytes 134217728`,
    ];
    return lines.join("\n") + "\n";
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      if (req.url === "/metrics") {
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
        res.end(this.metrics());
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export interface Received {
  path: string;
  at: number;
  body: any;
}

/** Records every POST; stands in for PagerDuty, Slack, the ticket system and the dead-man's switch. */
export class WebhookSink {
  readonly received: Received[] = [];
  private server?: http.Server;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        let body: unknown = data;
        try {
          body = JSON.parse(data);
        } catch {
          /* keep text */
        }
        this.received.push({ path: req.url ?? "", at: Date.now(), body });
        // PagerDuty's Events API answers 202; Slack and webhooks 200.
        res.writeHead(req.url === "/pagerduty" ? 202 : 200, { "Content-Type": "application/json" });
        res.end(req.url === "/pagerduty" ? '{"status":"success","message":"Event processed"}' : "ok");
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  url(p: string): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

const children: ChildProcess[] = [];

/** Starts a long-running process; its output is kept for failure messages. */
export function start(cmd: string, args: string[]): { proc: ChildProcess; log: () => string } {
  const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out = (out + d).slice(-20000)));
  proc.stderr!.on("data", (d) => (out = (out + d).slice(-20000)));
  children.push(proc);
  return { proc, log: () => out };
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    children.splice(0).map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          const kill = setTimeout(() => p.kill("SIGKILL"), 5000);
          p.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          p.kill("SIGTERM");
        }),
    ),
  );
}

export async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

export async function waitFor<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>, everyMs = 500): Promise<T> {
  const end = Date.now() + deadlineMs;
  let lastErr: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastErr = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${lastErr ? ` (last error: ${String(lastErr)})` : ""}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
