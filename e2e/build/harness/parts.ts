/**
 * What the harness needs from the outside parts the tests start (test-kit's recording server,
 * s3rver, git remote and webhook signing). Only test files may import `@gibbon/test-kit` (lint
 * rule), so tests start those parts and hand them in; these shapes are all the harness relies on.
 */

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** A stand-in for GitHub's REST API that records what it was sent. */
export interface GithubStandIn {
  readonly url: string;
  readonly requests: readonly RecordedCall[];
  close(): Promise<void>;
}

/** An S3-protocol server shared by public-api and the runners. */
export interface SharedS3 {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Where the server keeps the objects on disk (scanned for leaked secrets). */
  readonly directory: string;
  createBucket(): Promise<string>;
  close(): Promise<void>;
}

/** A repository on a git remote the runner clones from. */
export interface RemoteRepository {
  readonly url: string;
  /** The bare repository's folder (for refs GitHub keeps, like `refs/pull/N/head`). */
  readonly directory: string;
  commit(
    files: Record<string, string | null>,
    options: { message: string; branch?: string },
  ): Promise<string>;
}

export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

/** Makes a private repository that only `auth` may read. */
export type CreateRepository = (name: string, auth: GitCredentials) => Promise<RemoteRepository>;

/** Signs a webhook delivery as GitHub does. */
export type SignDelivery = (input: { event: string; payload: unknown; secret: string }) => {
  headers: Record<string, string>;
  body: string;
};
