// Alertmanager configuration (R-MON-5) as a pure function: routing by priority, grouping
// and repeat intervals per priority, inhibition, the Watchdog dead-man route. Receiver
// keys and URLs are passed in: the component hands it Pulumi secrets (the result is a
// secret), the render hands it MASKED_RECEIVERS, the end-to-end test local URLs.
import type { StackConfig } from "../config/schema";
import type { Priority } from "./alerts/common";

export interface ReceiverSecrets {
  pagerdutyRoutingKey?: string;
  slackWebhookUrl: string;
  ticketWebhookUrl: string;
  watchdogUrl: string;
  smtpPassword?: string;
}

/** Syntactically valid stand-ins for the secrets, used for the reviewable render. */
export const MASKED_RECEIVERS: Required<ReceiverSecrets> = {
  pagerdutyRoutingKey: "MASKED-pagerduty-routing-key",
  slackWebhookUrl: "https://masked.invalid/slack-webhook",
  ticketWebhookUrl: "https://masked.invalid/ticket-webhook",
  watchdogUrl: "https://masked.invalid/watchdog",
  smtpPassword: "MASKED-smtp-password",
};

/** Overrides for the test harness: where the PagerDuty Events API lives. */
export interface Endpoints {
  pagerdutyUrl?: string;
}

export const RECEIVERS = {
  page: "pagerduty-and-slack-incident",
  incident: "slack-incident",
  minor: "slack-and-email",
  ticket: "ticket-webhook",
  deadman: "watchdog-deadman",
  none: "null",
} as const;

/** R-MON-5's response targets, as docs/alerts.md states them. */
export const RESPOND_WITHIN: Record<Priority, string> = {
  P0: "15 min",
  P1: "30 min",
  P2: "2 h",
  P3: "next business day",
};

export const PRIORITY_LIST: Priority[] = ["P0", "P1", "P2", "P3"];

/** Which receiver each priority goes to, given the paging posture (R-ENV-7). */
export function receiverFor(priority: Priority, paging: boolean): string {
  if (priority === "P0" || priority === "P1") return paging ? RECEIVERS.page : RECEIVERS.incident;
  return priority === "P2" ? RECEIVERS.minor : RECEIVERS.ticket;
}

const GROUP_BY = ["alertname", "namespace", "service", "priority"];

const SLACK_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.priority }} {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})';
const SLACK_TEXT =
  "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\nservice: {{ .Labels.service }}, namespace: {{ .Labels.namespace }}\nrunbook: {{ .Annotations.runbook_url }}\n{{ end }}";

export type RoutingArgs = Pick<StackConfig, "alerting">;

export function alertmanagerConfig(cfg: RoutingArgs, secrets: ReceiverSecrets, endpoints: Endpoints = {}) {
  const r = cfg.alerting.receivers;
  const paging = cfg.alerting.paging;
  if (paging && !secrets.pagerdutyRoutingKey) {
    throw new Error("alertmanagerConfig: alerting.paging is on but no PagerDuty routing key was given");
  }
  const slack = (channel: string) => ({
    api_url: secrets.slackWebhookUrl,
    channel,
    send_resolved: true,
    title: SLACK_TITLE,
    text: SLACK_TEXT,
  });

  const receivers: Array<Record<string, unknown>> = [
    { name: RECEIVERS.none },
    {
      name: RECEIVERS.deadman,
      webhook_configs: [{ url: secrets.watchdogUrl, send_resolved: false }],
    },
    { name: RECEIVERS.incident, slack_configs: [slack(r.slackIncidentChannel)] },
    {
      name: RECEIVERS.minor,
      slack_configs: [slack(r.slackChannel)],
      email_configs: [{ to: r.emailTo, send_resolved: true, headers: { Subject: SLACK_TITLE } }],
    },
    { name: RECEIVERS.ticket, webhook_configs: [{ url: secrets.ticketWebhookUrl, send_resolved: true }] },
  ];
  if (paging) {
    receivers.push({
      name: RECEIVERS.page,
      pagerduty_configs: [
        {
          routing_key: secrets.pagerdutyRoutingKey,
          ...(endpoints.pagerdutyUrl ? { url: endpoints.pagerdutyUrl } : {}),
          send_resolved: true,
          severity: '{{ if eq .CommonLabels.severity "critical" }}critical{{ else }}warning{{ end }}',
          description: "[{{ .CommonLabels.priority }}] {{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}",
          details: {
            priority: "{{ .CommonLabels.priority }}",
            severity: "{{ .CommonLabels.severity }}",
            service: "{{ .CommonLabels.service }}",
            namespace: "{{ .CommonLabels.namespace }}",
            runbook_url: "{{ .CommonAnnotations.runbook_url }}",
            firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
          },
        },
      ],
      slack_configs: [slack(r.slackIncidentChannel)],
    });
  }

  const timing = cfg.alerting.routing;
  const priorityRoute = (p: Priority) => ({
    receiver: receiverFor(p, paging),
    matchers: [`priority="${p}"`],
    group_wait: timing[p].groupWait.text,
    group_interval: timing[p].groupInterval.text,
    repeat_interval: timing[p].repeatInterval.text,
  });

  return {
    global: {
      smtp_smarthost: r.smarthost,
      smtp_from: r.emailFrom,
      smtp_require_tls: true,
      ...(secrets.smtpPassword ? { smtp_auth_username: r.emailFrom, smtp_auth_password: secrets.smtpPassword } : {}),
    },
    route: {
      // Anything without a priority (e.g. the chart's cluster alerts) still reaches people.
      receiver: RECEIVERS.minor,
      group_by: GROUP_BY,
      group_wait: timing.P2.groupWait.text,
      group_interval: timing.P2.groupInterval.text,
      repeat_interval: timing.P2.repeatInterval.text,
      routes: [
        // The heartbeat goes to the dead-man's switch every minute and nowhere else.
        {
          receiver: RECEIVERS.deadman,
          matchers: ['alertname="Watchdog"'],
          group_wait: cfg.alerting.heartbeat.groupWait.text,
          group_interval: cfg.alerting.heartbeat.repeatInterval.text,
          repeat_interval: cfg.alerting.heartbeat.repeatInterval.text,
        },
        // kube-prometheus-stack's helper alert that only exists to inhibit info alerts.
        { receiver: RECEIVERS.none, matchers: ['alertname="InfoInhibitor"'] },
        ...PRIORITY_LIST.map(priorityRoute),
      ],
    },
    inhibit_rules: [
      // A critical alert mutes the warning of the same alert on the same service.
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ["alertname", "namespace", "service"],
      },
    ],
    receivers,
  };
}
