// The logs-and-traces stack (R-OBS-1..5): chart values, names, redaction, namespaces.
export * from "./collector";
export * from "./grafana";
export * from "./names";
export * from "./namespaces";
export * from "./redaction";
export * from "./stores";
export * from "./uptime";
