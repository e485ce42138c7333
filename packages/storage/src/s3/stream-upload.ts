import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';

export interface StreamUploadTarget {
  client: S3Client;
  bucket: string;
  key: string;
  contentType?: string;
  /** Bytes per part; S3 wants at least 5 MiB for every part but the last. */
  partSize: number;
  /** Parts uploaded at once. */
  queueSize: number;
}

/**
 * Uploads a stream of unknown length with bounded, reused memory. Bytes are copied into at most
 * `queueSize + 1` part buffers of `partSize` that are recycled as parts complete, so memory
 * stays at about `partSize × (queueSize + 1)` however large the object, and no garbage beyond
 * the source's own chunks is made (lib-storage's `Upload` concatenates every part anew).
 * A body shorter than one part is a single PutObject. Part buffers stay untouched until their
 * request settles, so the SDK's retries resend the same bytes. On any failure (the source's
 * or S3's) reading stops, in-flight parts settle, the multipart upload is aborted so no parts
 * linger, and the first failure is rethrown.
 */
export async function uploadStream(target: StreamUploadTarget, source: Readable): Promise<void> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = bufferChunks(source);
  while (length < target.partSize) {
    const next = await iterator.next();
    if (next.done) {
      await putWhole(target, Buffer.concat(chunks, length));
      return;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const { UploadId } = await target.client.send(
    new CreateMultipartUploadCommand({
      Bucket: target.bucket,
      Key: target.key,
      ContentType: target.contentType,
    }),
  );
  if (!UploadId) throw new Error(`S3 returned no upload id for "${target.key}".`);
  const upload = new PartQueue(target, UploadId);
  try {
    for (const chunk of chunks) await upload.write(chunk);
    chunks.length = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      await upload.write(next.value);
    }
    await upload.complete();
  } catch (error) {
    source.destroy();
    await upload.abort();
    throw error;
  }
}

async function* bufferChunks(source: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of source as AsyncIterable<unknown>) {
    if (Buffer.isBuffer(chunk)) yield chunk;
    else if (chunk instanceof Uint8Array)
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    else if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else throw new TypeError('A blob body stream must yield bytes or strings, not objects.');
  }
}

function putWhole(target: StreamUploadTarget, body: Buffer): Promise<unknown> {
  return target.client.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: target.key,
      Body: body,
      ContentLength: body.length,
      ContentType: target.contentType,
    }),
  );
}

/** Fills part buffers from written chunks and keeps up to `queueSize` parts in flight. */
class PartQueue {
  private readonly spare: Buffer[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly completed: CompletedPart[] = [];
  private current: Buffer | undefined;
  private filled = 0;
  private nextPartNumber = 1;
  private failure: Error | undefined;

  constructor(
    private readonly target: StreamUploadTarget,
    private readonly uploadId: string,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const buffer = (this.current ??=
        this.spare.pop() ?? Buffer.allocUnsafe(this.target.partSize));
      const copied = chunk.copy(buffer, this.filled, offset);
      offset += copied;
      this.filled += copied;
      if (this.filled === buffer.length) await this.flush();
    }
  }

  async complete(): Promise<void> {
    if (this.filled > 0) await this.flush();
    await this.settle();
    this.throwIfFailed();
    this.completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await this.target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.target.bucket,
        Key: this.target.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.completed },
      }),
    );
  }

  /** Lets in-flight parts settle, then aborts; an abort that fails leaves S3 to expire parts. */
  async abort(): Promise<void> {
    await this.settle();
    await this.target.client
      .send(
        new AbortMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          UploadId: this.uploadId,
        }),
      )
      .catch(() => undefined);
  }

  /** Sends the current buffer as the next part, after waiting for a free slot. */
  private async flush(): Promise<void> {
    while (this.inFlight.size >= this.target.queueSize) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const buffer = this.current;
    if (!buffer) return;
    const body = buffer.subarray(0, this.filled);
    const partNumber = this.nextPartNumber++;
    this.current = undefined;
    this.filled = 0;
    const sending: Promise<void> = this.send(partNumber, body)
      .catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => {
        this.inFlight.delete(sending);
        this.spare.push(buffer);
      });
    this.inFlight.add(sending);
  }

  private async send(partNumber: number, body: Buffer): Promise<void> {
    const { ETag } = await this.target.client.send(
      new UploadPartCommand({
        Bucket: this.target.bucket,
        Key: this.target.key,
        UploadId: this.uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
      }),
    );
    this.completed.push({ PartNumber: partNumber, ETag });
  }

  private async settle(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
