// Least privilege for the add-ons (R-WL-9): the namespaces the program owns besides the
// platform's, their Pod Security levels with the reason for any exception, and their
// deny-by-default NetworkPolicies with each allowance stated. components/monitoring/ and
// components/delivery/ declare them; the render prints them as the privileges summary.
export * from "./access";
export * from "./cluster";
export * from "./common";
export * from "./delivery";
export * from "./monitoring";
