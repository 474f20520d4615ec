// Environment profiles (R-ENV-1..8, R-ENV-12): the base every environment shares
// (base.ts), each environment's differences (dev.ts, staging.ts, prod.ts) and the alert
// presets they name (alerting.ts). A stack file names its environment and states only
// what differs from the profile (R-ENV-10); parse.ts merges it over, key by key.
import type { Environment, Profile } from "../schema";
import { DEV } from "./dev";
import { PROD } from "./prod";
import { STAGING } from "./staging";

export { presetAlerting } from "./alerting";

export const PROFILES: Record<Environment, Profile> = { dev: DEV, staging: STAGING, prod: PROD };
