// A stand-in Kubernetes API server on 127.0.0.1 for the preflight (R-ENV-14): HTTPS with a
// certificate made for the run (openssl), bearer-token authentication, and the documents a
// cluster answers with (test/fixtures/kube-api, in the API's own shapes: APIResourceList,
// StorageClassList, CSIDriver, Gateway, GatewayClass). What a cluster lacks is a 404, as
// the API server answers; an aggregated API whose server is down is a 503. The real
// Kubernetes client (@kubernetes/client-node) talks to it through a kubeconfig.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";

const FIXTURES = path.join(__dirname, "..", "fixtures", "kube-api");
export const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));

export const TOKEN = "preflight-test-token";

/** What a cluster holds, as the paths it answers. */
export type Cluster = Record<string, { status: number; body: unknown }>;

const ok = (body: unknown) => ({ status: 200, body });

/** The prerequisites, each as the paths it answers (present) — a scenario leaves some out. */
export const PRESENT = {
  gatewayApi: { "/apis/gateway.networking.k8s.io/v1": ok(fixture("apis__gateway.networking.k8s.io__v1")) },
  gateway: { "/apis/gateway.networking.k8s.io/v1/namespaces/gateway-system/gateways/platform-gateway": ok(fixture("gateway__gateway-system__platform-gateway")) },
  gatewayClass: { "/apis/gateway.networking.k8s.io/v1/gatewayclasses/amazon-vpc-lattice": ok(fixture("gatewayclass__amazon-vpc-lattice")) },
  metricsServer: { "/apis/metrics.k8s.io/v1beta1": ok(fixture("apis__metrics.k8s.io__v1beta1")) },
  argoRollouts: { "/apis/argoproj.io/v1alpha1": ok(fixture("apis__argoproj.io__v1alpha1")) },
  prometheusOperator: { "/apis/monitoring.coreos.com/v1": ok(fixture("apis__monitoring.coreos.com__v1")) },
  ebsCsiDriver: { "/apis/storage.k8s.io/v1/csidrivers/ebs.csi.aws.com": ok(fixture("csidriver__ebs.csi.aws.com")) },
  storageClasses: (which: string) => ({ "/apis/storage.k8s.io/v1/storageclasses": ok(fixture(`storageclasses__${which}`)) }),
};

function statusBody(code: number, path: string) {
  const reason = code === 404 ? "NotFound" : code === 403 ? "Forbidden" : code === 401 ? "Unauthorized" : "ServiceUnavailable";
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `the server could not find the requested resource (${path})`, reason, code };
}

let cert: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1, made once per run with openssl. */
function certificate(): { key: string; cert: string } {
  if (cert) return cert;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kube-tls-"));
  const res = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=fake-kube-apiserver", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")],
    { encoding: "utf8" },
  );
  if (res.status !== 0) throw new Error(`openssl could not make the fake API server's certificate (apt-get install openssl): ${res.stderr}`);
  cert = { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  fs.rmSync(dir, { recursive: true, force: true });
  return cert;
}

export interface FakeApi {
  url: string;
  kubeconfig: string;
  /** Every request the server saw: method and path. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the server with the given cluster; every other path is a 404. */
export async function startFakeApi(cluster: Cluster): Promise<FakeApi> {
  const tls = certificate();
  const requests: string[] = [];
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const p = (req.url ?? "/").split("?")[0];
    requests.push(`${req.method} ${p}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, statusBody(401, p));
    const answer = cluster[p];
    if (!answer) return send(404, statusBody(404, p));
    send(answer.status, answer.status >= 400 ? statusBody(answer.status, p) : answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: fake",
    "  cluster:",
    `    server: ${url}`,
    `    certificate-authority-data: ${Buffer.from(tls.cert).toString("base64")}`,
    "contexts:",
    "- name: fake",
    "  context:",
    "    cluster: fake",
    "    user: preflight",
    "current-context: fake",
    "users:",
    "- name: preflight",
    "  user:",
    `    token: ${TOKEN}`,
    "",
  ].join("\n");
  return {
    url,
    kubeconfig,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
