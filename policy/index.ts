// The policy pack `pulumi preview --policy-pack policy` loads. It only wraps the policies of
// ./policies (the PolicyPack constructor starts the policy server, so tests import the
// policies, never this file). Enforcement: mandatory unless policy/config/<stack>.json,
// passed with --policy-pack-config, says otherwise (advisory in dev; the prod-* policies
// disabled outside prod).
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./policies/index";

new PolicyPack(PACK_NAME, { enforcementLevel: "mandatory", policies: POLICIES });
