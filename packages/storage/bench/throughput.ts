import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LocalDiskBlobStore } from '../src';
import { S3BlobStore } from '../src/s3';
import type { BlobStore } from '../src';
import { run, startS3rverChild } from './processes';
import type { S3rverChild } from './processes';
import { residentFraction } from './page-cache';
import { measure } from './rss';
import { countingSink, generatedStream } from './streams';

/**
 * `pnpm bench`: put and get throughput on local disk beside `cp` of the same file, and on
 * s3rver (a child process) beside it; peak RSS growth of this process while a 512 MiB
 * generated stream goes through each store. The disk is shared and noisy, so every figure is
 * the median of RUNS interleaved rounds in rotating order, each step started after a `sync`
 * so one step's write-back does not slow the next. An untimed first round makes every round alike: each
 * output then already exists (`cp` truncates `out`, a put replaces the object, and both free
 * 512 MiB of old pages) and each input is in the page cache, which is checked before every
 * timed step. Figures only; nothing here passes or fails CI.
 */
const MiB = 1024 * 1024;
const SIZE = Number(process.env.GIBBON_BENCH_MIB ?? 512) * MiB;
const RUNS = Number(process.env.GIBBON_BENCH_RUNS ?? 5);
const RSS_LIMIT = 64 * MiB;
/** `GIBBON_BENCH_S3=0` leaves s3rver out (a quicker local-disk run). */
const WITH_S3 = process.env.GIBBON_BENCH_S3 !== '0';

function optionalNumber(variable: string, unit: number): number | undefined {
  const value = process.env[variable];
  return value === undefined ? undefined : Number(value) * unit;
}

interface Step {
  run: () => Promise<unknown>;
  /** The file the step reads, when it is one: checked to be in the page cache beforehand. */
  input?: string;
}

/** The least page-cache residency seen of a step's input before it was timed. */
const residency = { least: 1, checked: 0, unknown: 0 };

async function checkResidency(input: string | undefined): Promise<void> {
  if (input === undefined) return;
  const fraction = await residentFraction(input);
  if (fraction === undefined) residency.unknown += 1;
  else {
    residency.checked += 1;
    residency.least = Math.min(residency.least, fraction);
  }
}

/**
 * Runs each named step once per round, rounds interleaved, after one untimed round; returns
 * the median seconds.
 */
/** Every timed round of every step, printed beside the medians to show the noise. */
const roundTimes: Record<string, number[]> = {};

async function medians(steps: Record<string, Step>): Promise<Record<string, number>> {
  const times = roundTimes;
  const entries = Object.entries(steps);
  for (let round = 0; round <= RUNS; round += 1) {
    // Each round starts one step later, so no step always follows the same one: on this disk
    // (ext4 mounted with `discard`) a step's journal commits pay for the blocks its
    // predecessor freed, which made whichever step came after `cp + sync` twice as slow.
    const order = [
      ...entries.slice(round % entries.length),
      ...entries.slice(0, round % entries.length),
    ];
    for (const [name, { run: step, input }] of order) {
      await run('sync');
      await checkResidency(input);
      const { seconds } = await measure(step);
      if (round > 0) (times[name] ??= []).push(seconds);
    }
  }
  return Object.fromEntries(
    Object.keys(steps).map((name) => [
      name,
      (times[name] ?? []).sort((a, b) => a - b)[RUNS >> 1] ?? NaN,
    ]),
  );
}

/** Peak RSS growth of a generated-stream put and a get read to the end, for one store. */
async function rssOf(store: BlobStore): Promise<{ put: number; get: number }> {
  const put = await measure(() => store.put('bench/generated', generatedStream(SIZE)));
  const get = await measure(async () => {
    const sink = countingSink();
    await pipeline(await store.get('bench/generated'), sink);
    if (sink.bytes !== SIZE) throw new Error(`get read ${sink.bytes} of ${SIZE} bytes`);
  });
  return { put: put.peakGrowthBytes, get: get.peakGrowthBytes };
}

/** The cheapest way Node writes a stream to a file, so a get's figure is the store's. */
async function writeFileFrom(stream: Readable, path: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for await (const chunk of stream) await handle.write(chunk as Buffer);
  } finally {
    await handle.close();
  }
}

const fileStream = (path: string) => createReadStream(path, { highWaterMark: MiB });

/** s3rver in a child process, and an opened store on it. */
async function openS3(work: string): Promise<{ child: S3rverChild; store: S3BlobStore }> {
  const child = await startS3rverChild(join(work, 's3rver'));
  const store = new S3BlobStore({
    bucket: 'bench',
    region: 'us-east-1',
    endpoint: child.endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // Unset: the store's defaults, which are what the README reports.
    partSize: optionalNumber('GIBBON_BENCH_S3_PART_MIB', MiB),
    queueSize: optionalNumber('GIBBON_BENCH_S3_QUEUE', 1),
  });
  try {
    await store.open();
  } catch (error) {
    child.stop();
    throw error;
  }
  return { child, store };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'gibbon-bench-'));
  const source = join(work, 'source.bin');
  const out = join(work, 'out.bin');
  let s3rver: S3rverChild | undefined;
  try {
    await pipeline(generatedStream(SIZE), createWriteStream(source));
    const durable = new LocalDiskBlobStore({ root: join(work, 'durable') });
    const fast = new LocalDiskBlobStore({ root: join(work, 'fast'), durable: false });
    await durable.open();
    await fast.open();
    const s3 = WITH_S3 ? await openS3(work) : undefined;
    s3rver = s3?.child;

    const rss = {
      'local disk': await rssOf(durable),
      ...(s3 && { s3rver: await rssOf(s3.store) }),
    };
    const readTo = (store: BlobStore) => async () =>
      writeFileFrom(await store.get('bench/file'), out);
    const object = join(work, 'durable', 'objects', 'bench', 'file');
    const local = await medians({
      cp: { run: () => run('cp', source, out), input: source },
      'cp + sync': {
        run: () => run('sh', '-c', 'cp "$0" "$1" && sync "$1"', source, out),
        input: source,
      },
      'local put (fsync, the default)': {
        run: () => durable.put('bench/file', fileStream(source)),
        input: source,
      },
      'local put (durable: false)': {
        run: () => fast.put('bench/file', fileStream(source)),
        input: source,
      },
      'local get': { run: readTo(durable), input: object },
    });
    const remote = s3
      ? await medians({
          's3rver put': {
            run: () => s3.store.put('bench/file', fileStream(source)),
            input: source,
          },
          's3rver get': { run: readTo(s3.store) },
        })
      : {};
    await s3?.store.close();
    print({ ...local, ...remote }, rss);
  } finally {
    s3rver?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

function print(times: Record<string, number>, rss: Record<string, { put: number; get: number }>) {
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(34)} ${value}`);
  console.log(
    `Gibbon storage benchmark ${new Date().toISOString()}: ${SIZE / MiB} MiB, median of ${RUNS}, ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ` +
      `load average at the end ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    residency.checked > 0
      ? `  inputs in the page cache before each timed step: at least ${(residency.least * 100).toFixed(1)}% (fincore, ${residency.checked} checks)`
      : '  inputs in the page cache: not checked (no fincore)',
  );
  for (const [name, seconds] of Object.entries(times)) {
    const rounds = roundTimes[name] ?? [];
    line(
      name,
      `${seconds.toFixed(2).padStart(6)} s ${(SIZE / MiB / seconds).toFixed(0).padStart(6)} MiB/s` +
        `   (rounds ${rounds.map((round) => round.toFixed(2)).join(' ')})`,
    );
  }
  const ratio = (a: string, b: string) => ((times[a] ?? NaN) / (times[b] ?? NaN)).toFixed(2);
  console.log('  time ratios (target ≤ 1.5):');
  line('local put (fsync) / cp + sync', ratio('local put (fsync, the default)', 'cp + sync'));
  line('local put (durable: false) / cp', ratio('local put (durable: false)', 'cp'));
  line('local get / cp', ratio('local get', 'cp'));
  console.log(
    `  peak RSS growth, ${SIZE / MiB} MiB generated stream (limit ${RSS_LIMIT / MiB} MiB):`,
  );
  for (const [store, { put, get }] of Object.entries(rss)) {
    for (const [op, growth] of [
      ['put', put],
      ['get', get],
    ] as const) {
      line(
        `${store} ${op}`,
        `${(growth / MiB).toFixed(1).padStart(6)} MiB ${growth < RSS_LIMIT ? 'ok' : 'OVER'}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
