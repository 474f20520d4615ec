// Pure model of the monitoring stack (R-MON-1, R-MON-2), by what it builds: scraping,
// chart values, the charts' pods.
export * from "./pods";
export * from "./scraping";
export * from "./values";
