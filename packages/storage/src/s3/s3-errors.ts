import { NotFoundError } from '@gibbon/contracts';

/** The parts of an AWS SDK error we look at; vendor errors never leave this folder. */
interface SdkErrorShape {
  name?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

/** The S3 error code (`NoSuchKey`, `InvalidRange`, …) or the HTTP status as a string. */
export function s3ErrorCode(error: unknown): string | undefined {
  const { name, Code } = shape(error);
  if (typeof Code === 'string') return Code;
  return typeof name === 'string' ? name : undefined;
}

export function s3HttpStatus(error: unknown): number | undefined {
  return shape(error).$metadata?.httpStatusCode;
}

/** HEAD answers carry no body, so a missing key or bucket shows up only as a 404 `NotFound`. */
export function isS3NotFound(error: unknown): boolean {
  const code = s3ErrorCode(error);
  return code === 'NoSuchKey' || code === 'NotFound' || s3HttpStatus(error) === 404;
}

export function isS3InvalidRange(error: unknown): boolean {
  return s3ErrorCode(error) === 'InvalidRange' || s3HttpStatus(error) === 416;
}

/**
 * Translates an SDK error at the store's edge: a missing object becomes `NotFoundError`, a
 * missing bucket or any other failure an `Error` that names the operation, key and bucket and
 * keeps the SDK error as its `cause`.
 */
export function translateS3Error(
  error: unknown,
  operation: string,
  key: string,
  bucket: string,
): Error {
  const code = s3ErrorCode(error);
  if (code === 'NoSuchBucket') {
    return new Error(`S3 bucket "${bucket}" does not exist (during ${operation} of "${key}").`, {
      cause: error,
    });
  }
  if (isS3NotFound(error)) {
    return new NotFoundError(`No stored object has the key ${JSON.stringify(key)}.`, {
      cause: error,
    });
  }
  const message = typeof shape(error).message === 'string' ? String(shape(error).message) : code;
  return new Error(
    `S3 ${operation} of "${key}" in bucket "${bucket}" failed: ${message ?? 'unknown error'}.`,
    { cause: error },
  );
}
