// R-DATA-0, R-DATA-2, R-DATA-3, R-DATA-5: the export and restore rehearsal with real
// parts. A real PostgreSQL and an S3-compatible server run on 127.0.0.1; the containers
// prod renders, run here with their own commands and environment (paths under their
// mounts pointing at host directories built from their volumes), bootstrap the roles,
// export a seeded memory-store
// database as the read-only backup role, and restore it into a fresh database, which must
// be identical table by table. Then the failure paths: a tampered or truncated export is
// refused before the target is touched, an existing target is never overwritten, and a
// failed upload leaves the previous good export the newest one.
import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JOBS, Postgres, RenderedPod, Result, S3, containerOf, requireDataTools, runContainer, secretDir } from "./harness";
import { objects, one, stack } from "../helpers/mocks";

const APP = { role: "agent_app", password: "app-Pa55-rehearsal" };
const BACKUP = { role: "agent_backup", password: "backup-Pa55-rehearsal" };
const TABLES = ["agents", "tasks", "memories"];

describe("R-DATA-5: export and restore rehearsed against a real PostgreSQL and S3-compatible server", function () {
  this.timeout(300_000);
  const pg = new Postgres();
  const s3 = new S3();
  let home: string;
  const work = () => fs.mkdtempSync(path.join(home, "work-"));

  // The pods as prod renders them: their commands and environment are what runs here.
  type PodName = "bootstrap" | "export" | "restore";
  let pods: Record<PodName, RenderedPod>;
  // Host directories standing in for each pod's volumes, by volume name (the work volume per run).
  let volumes: Record<PodName, Record<string, string>>;

  /** Runs one container of a rendered pod; `extra` is what the cluster adds (S3 endpoint and keys, a request ConfigMap). */
  const run = (pod: PodName, container: string, dir: string, extra: Record<string, string> = {}, dirs: Record<string, string> = {}): Result =>
    runContainer(containerOf(pods[pod], container), { ...volumes[pod], work: dir, ...dirs }, { ...s3.env(home), ...extra });
  const exportOnce = (extra: Record<string, string> = {}) => {
    const dir = work();
    const dump = run("export", "dump", dir);
    assert.equal(dump.status, 0, dump.stderr);
    return { dir, upload: run("export", "upload", dir, extra) };
  };
  /** A restore as `kubectl create job --from=cronjob/…` runs it; `request` is what the request ConfigMap would set. */
  const restore = (request: Record<string, string> = {}) => {
    const dir = work();
    const fetch = run("restore", "fetch", dir, request);
    if (fetch.status !== 0) return fetch;
    return run("restore", "restore", dir, request);
  };
  /** Row count and a content hash per table, read as the app role. */
  const fingerprint = (database: string) =>
    Object.fromEntries(
      TABLES.map((t) => [
        t,
        pg.sql(APP.role, APP.password, database, `SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x`),
      ]),
    );

  before(async () => {
    requireDataTools();
    const r = await stack("prod");
    const bootstrap = objects(r, "Job").filter((j) => j.metadata.name.startsWith("agent-platform-db-bootstrap-"));
    assert.equal(bootstrap.length, 1, "prod declares one bootstrap Job");
    const cronPod = (name: string) => (one(r, "CronJob", name) as any).spec.jobTemplate.spec.template.spec as RenderedPod;
    pods = {
      bootstrap: (bootstrap[0] as any).spec.template.spec,
      export: cronPod("agent-platform-export"),
      restore: cronPod("agent-platform-restore"),
    };
    home = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-rehearsal-"));
    await pg.start();
    await s3.start();
    // What the Secrets hold (the admin Secret's keys; each pod projects the items it needs).
    const admin = {
      ADMIN_DATABASE_URL: pg.url(pg.admin, pg.adminPassword, "postgres"),
      APP_ROLE_PASSWORD: APP.password,
      BACKUP_ROLE_PASSWORD: BACKUP.password,
    };
    const token = fs.mkdtempSync(path.join(home, "aws-token-"));
    fs.writeFileSync(path.join(token, "token"), "not-a-real-token"); // the static keys of s3.env() come first in the CLI's chain
    volumes = {
      bootstrap: { scripts: JOBS, admin: secretDir(pods.bootstrap, "admin", admin, home) },
      export: {
        scripts: JOBS,
        "aws-token": token,
        "backup-db": secretDir(pods.export, "backup-db", { DATABASE_URL: pg.url(BACKUP.role, BACKUP.password, "memory") }, home),
      },
      restore: { scripts: JOBS, "aws-token": token, admin: secretDir(pods.restore, "admin", admin, home) },
    };
  });
  after(async () => {
    pg.stop();
    await s3.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it("R-DATA-0: the bootstrap creates the least-privilege roles and the database, and can run again", () => {
    // The rendered Job's own command and environment: database name and role names come from the stack.
    for (const attempt of [1, 2]) {
      const r = runContainer(containerOf(pods.bootstrap, "bootstrap"), volumes.bootstrap);
      assert.equal(r.status, 0, `run ${attempt}: ${r.stderr}`);
    }
    const attrs = pg.adminSql(
      `SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname IN ('agent_app', 'agent_backup') ORDER BY 1`,
    );
    assert.equal(attrs, "agent_app|f|f|f|f|f|t\nagent_backup|f|f|f|f|f|t", "login roles without any elevated attribute");
    assert.equal(pg.adminSql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'memory'"), "agent_app");
    assert.equal(pg.adminSql("SELECT pg_has_role('agent_backup', 'pg_read_all_data', 'MEMBER')"), "t");
    // The passwords come from the files: the roles log in with them.
    assert.equal(pg.sql(APP.role, APP.password, "memory", "SELECT current_user"), "agent_app");
  });

  it("R-DATA-0: seed the memory store as the platform's role; the backup role reads it and cannot write", () => {
    pg.sql(
      APP.role,
      APP.password,
      "memory",
      `CREATE TABLE agents (id bigserial PRIMARY KEY, name text NOT NULL, spawned_at timestamptz NOT NULL DEFAULT '2026-11-23T00:00:00Z');
       CREATE TABLE tasks (id bigserial PRIMARY KEY, agent_id bigint REFERENCES agents(id), status text, payload jsonb);
       CREATE TABLE memories (id bigserial PRIMARY KEY, agent_id bigint REFERENCES agents(id), body text, embedding real[], blob bytea);
       INSERT INTO agents (name) SELECT 'agent-' || g FROM generate_series(1, 200) g;
       INSERT INTO tasks (agent_id, status, payload) SELECT 1 + g % 200, (ARRAY['done','failed','running'])[1 + g % 3], jsonb_build_object('g', g, 'q', 'quote '' and "double"') FROM generate_series(1, 3000) g;
       INSERT INTO memories (agent_id, body, embedding, blob) SELECT 1 + g % 200, repeat('m' || g, 5) || E'\\nline two', ARRAY[g / 7.0, g / 11.0]::real[], decode(md5(g::text), 'hex') FROM generate_series(1, 5000) g;`,
    );
    assert.equal(pg.sql(BACKUP.role, BACKUP.password, "memory", "SELECT count(*) FROM memories"), "5000");
    const write = pg.psql(BACKUP.role, BACKUP.password, "memory", "INSERT INTO agents (name) VALUES ('intruder')");
    assert.notEqual(write.status, 0);
    assert.match(write.stderr, /permission denied for table agents/);
  });

  let firstKey = "";
  let firstSha = "";
  let seeded: Record<string, string>;

  it("R-DATA-2: the export uploads a custom-format dump and its SHA-256 under a dated key, then the latest pointer", () => {
    seeded = fingerprint("memory");
    const { dir, upload } = exportOnce();
    assert.equal(upload.status, 0, upload.stderr);
    const keys = s3.list(home, "exports/");
    assert.equal(keys.length, 3, keys.join(", "));
    const dump = keys.find((k) => k.endsWith(".dump"))!;
    assert.match(dump, /^exports\/\d{4}-\d{2}-\d{2}\/memory-\d{4}-\d{2}-\d{2}T\d{6}Z\.dump$/);
    assert.deepEqual(keys, [dump, `${dump}.sha256`, "exports/latest"].sort());
    const object = s3.get(home, dump);
    assert.equal(object.subarray(0, 5).toString(), "PGDMP", "pg_dump's custom format");
    const sha = createHash("sha256").update(object).digest("hex");
    assert.equal(s3.get(home, `${dump}.sha256`).toString(), `${sha}  memory.dump\n`, "the checksum of the bytes in the bucket");
    assert.equal(s3.get(home, "exports/latest").toString(), `${sha}  ${dump}\n`);
    assert.deepEqual(fs.readFileSync(path.join(dir, "memory.dump")), object);
    firstKey = dump;
    firstSha = sha;
  });

  it("R-DATA-5: the restore creates the target database, owned by the app role, identical table by table", () => {
    assert.equal(pg.databaseExists("memory_restore"), false);
    const r = restore(); // no request: the CronJob's DEFAULT_TARGET_DATABASE, memory_restore
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${firstKey.replace(/[.]/g, "\\.")} restored into memory_restore`));
    assert.deepEqual(fingerprint("memory_restore"), seeded);
    assert.deepEqual(Object.keys(seeded), TABLES);
    assert.equal(pg.adminSql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'memory_restore'"), "agent_app");
    assert.equal(pg.adminSql("SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public'", "memory_restore"), "agent_app");
    // Sequences continue after the restored rows.
    assert.equal(pg.sql(APP.role, APP.password, "memory_restore", "INSERT INTO agents (name) VALUES ('next') RETURNING id"), "201");
  });

  it("R-DATA-5: an existing target database is refused and left as it was", () => {
    const before = fingerprint("memory_restore");
    const r = restore({ TARGET_DATABASE: "memory_restore" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /restore: database memory_restore exists; restore into a new name \(nothing was changed\)/);
    assert.deepEqual(fingerprint("memory_restore"), before);
  });

  for (const [what, corrupt] of [
    ["a tampered export (one byte changed)", (b: Buffer) => Buffer.concat([b.subarray(0, 100), Buffer.from([b[100] ^ 0xff]), b.subarray(101)])],
    ["a truncated export (half of it)", (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
  ] as const) {
    it(`R-DATA-5: ${what} is refused with a clear error before the target database is created`, () => {
      const good = s3.get(home, firstKey);
      s3.put(home, firstKey, corrupt(good));
      try {
        const r = restore({ TARGET_DATABASE: "memory_tampered" });
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, new RegExp(`restore: checksum mismatch for ${firstKey.replace(/[.]/g, "\\.")}: expected ${firstSha}, got [0-9a-f]{64}; refusing a truncated or tampered export`));
        assert.equal(pg.databaseExists("memory_tampered"), false, "nothing was created");
      } finally {
        s3.put(home, firstKey, good);
      }
    });
  }

  it("R-DATA-5: an archive that is not a pg_dump archive is refused even with a matching checksum, before the target is created", () => {
    const bogus = Buffer.from("not a dump\n");
    const sha = createHash("sha256").update(bogus).digest("hex");
    const key = "exports/2026-01-01/memory-2026-01-01T000000Z.dump";
    s3.put(home, key, bogus);
    s3.put(home, `${key}.sha256`, Buffer.from(`${sha}  memory.dump\n`));
    const r = restore({ TARGET_DATABASE: "memory_bogus", EXPORT_KEY: key });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /restore: the export is not a readable pg_dump archive; refusing/);
    assert.equal(pg.databaseExists("memory_bogus"), false);
  });

  it("R-DATA-3: a failed upload exits non-zero and keeps the previous good export the newest one", async () => {
    pg.sql(APP.role, APP.password, "memory", "INSERT INTO agents (name) VALUES ('after-the-first-export')");
    await new Promise((r) => setTimeout(r, 1100)); // a new dated key, one second later
    const before = s3.list(home, "exports/");
    const { upload } = exportOnce({ S3_ENDPOINT_URL: "http://127.0.0.1:9" }); // nothing listens on port 9
    assert.notEqual(upload.status, 0);
    assert.match(upload.stderr, /export: upload of exports\/\d{4}-\d{2}-\d{2}\/memory-[\dTZ-]+\.dump failed/);
    assert.deepEqual(s3.list(home, "exports/"), before, "nothing new in the bucket");
    assert.equal(s3.get(home, "exports/latest").toString(), `${firstSha}  ${firstKey}\n`, "latest still names the good export");
    // And the latest export restores to the data as it was then.
    const r = restore({ TARGET_DATABASE: "memory_restore_previous" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fingerprint("memory_restore_previous"), seeded);
  });

  it("R-DATA-3: a dump that cannot connect fails before anything is uploaded", () => {
    const dir = work();
    const wrongPassword = secretDir(pods.export, "backup-db", { DATABASE_URL: pg.url(BACKUP.role, "wrong-password", "memory") }, home);
    const before = s3.list(home, "exports/");
    const dump = run("export", "dump", dir, {}, { "backup-db": wrongPassword });
    assert.notEqual(dump.status, 0);
    assert.match(dump.stderr, /export: pg_dump failed/);
    const upload = run("export", "upload", dir);
    assert.notEqual(upload.status, 0);
    assert.match(upload.stderr, /export: no complete dump in /);
    assert.deepEqual(s3.list(home, "exports/"), before);
  });
});
