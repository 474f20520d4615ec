// Disaster recovery in a second region (R-DATA-8) as plain IAM and S3 documents: S3
// replication of exports/ to a bucket there, encrypted under a key of that region, by a
// role S3 assumes; that bucket as write-once as the first (writeOnceStatements). RDS's
// automated backups are replicated by RDS itself (InstanceAutomatedBackupsReplication),
// which needs no document.
import { DATA_NAMES } from "../names";
import { PolicyDocument, denyInsecureTransport, writeOnceStatements } from "./aws";

const doc = (...Statement: Array<Record<string, unknown>>): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** S3 replication assumes its role as the service s3.amazonaws.com, for this account only. */
export function replicationTrustPolicy(accountId: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

export interface ReplicationRefs {
  sourceBucketArn: string;
  sourceKeyArn: string;
  sourceRegion: string;
  replicaBucketArn: string;
  replicaKeyArn: string;
  replicaRegion: string;
}

/**
 * What S3 replication needs ("Setting up permissions for live replication", S3 user
 * guide): read the source's replication configuration and exports' versions, decrypt
 * them with the source key through S3, write replicas (and delete markers) into the
 * replica bucket, encrypt them with the replica key through S3 there.
 */
export function replicationRolePolicy(r: ReplicationRefs): PolicyDocument {
  const exports = `${DATA_NAMES.prefixes.exports}/*`;
  return doc(
    { Sid: "ReadTheSource", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: r.sourceBucketArn },
    {
      Sid: "ReadExportVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
      Resource: `${r.sourceBucketArn}/${exports}`,
    },
    {
      Sid: "WriteReplicas",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: `${r.replicaBucketArn}/${exports}`,
    },
    {
      Sid: "DecryptTheSource",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: r.sourceKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${r.sourceRegion}.amazonaws.com` } },
    },
    {
      Sid: "EncryptTheReplicas",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: r.replicaKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${r.replicaRegion}.amazonaws.com` } },
    },
  );
}

/** The replica bucket's policy: TLS only, never deleted, write-once like the source. */
export function replicaBucketPolicy(bucketArn: string, breakGlassRoleArn: string): PolicyDocument {
  return doc(
    denyInsecureTransport(bucketArn),
    { Sid: "DenyBucketDeletion", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: bucketArn },
    // Replicas arrive by replication (s3:ReplicateObject, s3:ReplicateDelete), never by a
    // put or a delete of anyone's: both are denied to all but the break-glass role.
    {
      Sid: "DenyDirectWrites",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/*`,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": breakGlassRoleArn } },
    },
    writeOnceStatements(bucketArn, breakGlassRoleArn)[1],
  );
}

/** The replication rule: every export, delete markers too (the drill's prune), into the replica key. */
export function replicationRules(replicaBucketArn: string, replicaKeyArn: string) {
  return [
    {
      id: "exports-to-the-second-region",
      status: "Enabled",
      priority: 1,
      filter: { prefix: `${DATA_NAMES.prefixes.exports}/` },
      deleteMarkerReplication: { status: "Enabled" },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
      destination: { bucket: replicaBucketArn, encryptionConfiguration: { replicaKmsKeyId: replicaKeyArn } },
    },
  ];
}
