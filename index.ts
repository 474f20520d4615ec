// Composition root: validate the stack's config (one clear error, nothing declared on
// failure), declare everything, export the outputs.
import { loadStackConfig } from "./components/config";
import { createStack } from "./components/stack";

const outputs = createStack(loadStackConfig());

export const environment = outputs.environment;
export const namespace = outputs.namespace;
export const serviceName = outputs.serviceName;
export const serviceUrl = outputs.serviceUrl;
export const workload = outputs.workload;
export const replicas = outputs.replicas;
export const deliveryPlan = outputs.deliveryPlan;
export const data = outputs.data;
