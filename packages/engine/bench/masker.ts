import { LineMasker } from '../src/masking/line-masker';
import { Masker } from '../src/masking/masker';
import { median } from './stats';

const MIB = 1024 * 1024;
const TOTAL_MIB = 64;
const ROUNDS = 5;

interface Case {
  name: string;
  secrets: string[];
  /** Bytes per write: a container's pipe reads (64 KiB) or a chatty line-by-line writer. */
  writeBytes: number;
}

/** A value of `length` characters that never occurs in the bench's log text. */
function secretOf(length: number, seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/';
  let value = '';
  for (let at = 0; value.length < length; at += 1) {
    value += alphabet[(at * 7 + seed * 13) % alphabet.length];
  }
  return value;
}

const cases: Case[] = [
  { name: 'one 24-char secret, 64 KiB writes', secrets: [secretOf(24, 1)], writeBytes: 64 * 1024 },
  { name: 'one 24-char secret, 120 B writes', secrets: [secretOf(24, 1)], writeBytes: 120 },
  {
    name: '50 24-char secrets, 64 KiB writes',
    secrets: Array.from({ length: 50 }, (_, at) => secretOf(24, at + 1)),
    writeBytes: 64 * 1024,
  },
  {
    name: 'one 65,536-char secret, 64 KiB writes',
    secrets: [secretOf(65_536, 3)],
    writeBytes: 64 * 1024,
  },
];

/** MiB/s of a LineMasker over TOTAL_MIB of log text (lines of lower-case words). */
function throughput(masker: Masker, writeBytes: number): number {
  const line = `${'build step output line with some words '.repeat(3)}\n`;
  const block = line.repeat(Math.ceil((64 * 1024) / line.length)).slice(0, 64 * 1024);
  const writes: string[] = [];
  for (let at = 0; at < block.length; at += writeBytes)
    writes.push(block.slice(at, at + writeBytes));
  const blocks = (TOTAL_MIB * MIB) / block.length;
  let lines = 0;
  const lineMasker = new LineMasker(masker, () => (lines += 1));
  const start = process.hrtime.bigint();
  for (let n = 0; n < blocks; n += 1) for (const write of writes) lineMasker.write(write);
  lineMasker.end();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (lines === 0) throw new Error('The masker bench produced no lines.');
  return TOTAL_MIB / seconds;
}

/** The masker alone (no Docker): MiB/s of masked log text for typical and extreme secrets. */
export function benchMasker(): void {
  console.log(`Masking ${TOTAL_MIB} MiB of log text (median of ${ROUNDS} rounds):`);
  for (const { name, secrets, writeBytes } of cases) {
    const masker = new Masker();
    for (const secret of secrets) masker.register(secret);
    const rounds = Array.from({ length: ROUNDS }, () => throughput(masker, writeBytes));
    console.log(`  ${name}: ${median(rounds).toFixed(0)} MiB/s`);
  }
}
