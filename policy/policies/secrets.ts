// Secrets policies (R-WL-6, R-MON-4, R-CI-5): secrets travel only in Kubernetes Secrets,
// found by the variable's or key's name and by what the value looks like (a JWT, a
// webhook URL, a connection URL with a password, a private key, an access key, a
// password in a configuration file), in containers, ConfigMaps and Helm values; Grafana's
// admin password from a Secret and no anonymous access.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type Props, containersOf, forPods, forType, list } from "./common";

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|DATABASE_URL)$/i;

/** What a secret looks like, whatever it is called: [what it is, pattern]. */
export const SECRET_VALUES: Array<[string, RegExp]> = [
  ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["a Slack webhook URL", /https:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9/_-]{8,}/],
  ["a webhook URL with a token in it", /https?:\/\/[^\s"']*[?&](token|key|api_key|apikey|secret|sig|signature)=[^\s&"']{8,}/i],
  ["a PagerDuty or Opsgenie key", /\b(routing_key|service_key|api_key)\s*:\s*["']?[A-Za-z0-9+/=_-]{20,}/],
  ["a connection URL with a password", /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"'$]+:[^\s@/"'$]+@/i],
  ["a private key", /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/],
  ["an AWS access key", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  // password: hunter2 / password = "hunter2" in a file's content; a *_file path, a
  // placeholder ($VAR, ${VAR}, {{ }}) or an empty value is not a password.
  ["a password in a configuration file", /^\s*["']?[\w.-]*(password|passwd|secret|api_?key|token)["']?\s*[:=]\s*["']?(?![$/{]|["']|\s*$)[^\s"'#]{4,}/im],
];

/** The kinds of secret a string holds, by its look. */
export const secretLooks = (text: string): string[] => SECRET_VALUES.filter(([, re]) => re.test(text)).map(([kind]) => kind);

/** Every string in a value with its path: ["grafana.adminPassword", "…"]. */
function strings(v: unknown, at = ""): Array<[string, string]> {
  if (typeof v === "string") return [[at, v]];
  if (Array.isArray(v)) return v.flatMap((e, i) => strings(e, `${at}[${i}]`));
  if (typeof v === "object" && v !== null) return Object.entries(v).flatMap(([k, e]) => strings(e, at ? `${at}.${k}` : k));
  return [];
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: "no-plaintext-secrets",
  description:
    "R-WL-6, R-CI-5: secrets travel only in Kubernetes Secrets: no container has a secret-named variable with a literal value or a value that looks like a secret (a JWT, a webhook URL with its token, a connection URL with a password, a private key, an AWS access key), no ConfigMap a secret-named key or such a value (a password in a file's content included), and no Helm release such a value. (Policies see secret values unwrapped, so that they come from `--secret` config is checked by the config parser.)",
  remediationSteps: "Put the value in a Pulumi secret, deliver it through the platform Secret (mounted as a file, read through <NAME>_FILE); give a chart the name of a Secret (existingSecret) instead of the value.",
  validateResource: [
    forPods((_args, pod, what, report) => {
      for (const c of containersOf(pod)) {
        for (const e of list(c.env)) {
          if (e.value === undefined) continue;
          if (SECRET_NAME.test(e.name)) report(`${what}: container ${c.name} sets ${e.name} to a literal value; deliver it from a Secret (R-WL-6)`);
          else for (const kind of secretLooks(String(e.value))) report(`${what}: container ${c.name} sets ${e.name} to ${kind}; deliver it from a Secret (R-WL-6)`);
        }
        for (const [i, a] of [...list(c.command), ...list(c.args)].entries()) {
          for (const kind of secretLooks(String(a))) report(`${what}: container ${c.name} has ${kind} in its command line (word ${i + 1}); deliver it from a Secret (R-WL-6)`);
        }
      }
    }),
    forType("kubernetes:core/v1:ConfigMap", (props, what, report) => {
      for (const [key, value] of Object.entries((props.data ?? {}) as Props)) {
        if (SECRET_NAME.test(key.replace(/[^A-Za-z0-9]/g, "_"))) report(`${what}: key ${key} looks like a secret; move it to a Secret (R-WL-6)`);
        else for (const kind of secretLooks(String(value))) report(`${what}: key ${key} holds ${kind}; move it to a Secret (R-WL-6)`);
      }
    }),
    forType("kubernetes:helm.sh/v3:Release", (props, what, report) => {
      for (const [at, value] of strings(props.values ?? {})) {
        const leaf = at.slice(at.lastIndexOf(".") + 1);
        if (/^(admin)?password$/i.test(leaf) && value !== "") report(`${what}: values.${at} is a password in the release's values; give the chart an existing Secret instead (R-WL-6, R-MON-4)`);
        else for (const kind of secretLooks(value)) report(`${what}: values.${at} holds ${kind}; give the chart an existing Secret instead (R-WL-6)`);
      }
    }),
  ],
};

/** Grafana's values in a release: the grafana chart's own, or kube-prometheus-stack's `grafana`. */
function grafanaValues(props: Props): Props | undefined {
  const chart = String(props.chart);
  if (/(^|\/)grafana$/.test(chart)) return props.values ?? {};
  if (/(^|\/)kube-prometheus-stack$/.test(chart) && props.values?.grafana?.enabled !== false) return props.values?.grafana ?? {};
  return undefined;
}

export const grafanaAccess: ResourceValidationPolicy = {
  name: "grafana-no-anonymous-admin-from-secret",
  description:
    "R-MON-4, R-CI-5: Grafana, deployed by its own chart or by kube-prometheus-stack, takes its admin credentials from an existing Secret and allows no anonymous access.",
  remediationSteps: "Set grafana.admin.existingSecret (MonitoringStack generates the password) and grafana.ini auth.anonymous.enabled false; never set adminPassword.",
  validateResource: forType("kubernetes:helm.sh/v3:Release", (props, what, report) => {
    const g = grafanaValues(props);
    if (!g) return;
    const problems: string[] = [];
    if (!g.admin?.existingSecret) problems.push("the admin credentials do not come from an existing Secret (admin.existingSecret)");
    const ini = g["grafana.ini"] ?? {};
    const anonymous = ini["auth.anonymous"]?.enabled ?? ini.auth?.anonymous?.enabled;
    if (anonymous === true || anonymous === "true") problems.push("anonymous access is on (grafana.ini auth.anonymous.enabled)");
    if (problems.length) report(`${what}: Grafana: ${problems.join("; ")} (R-MON-4)`);
  }),
};
