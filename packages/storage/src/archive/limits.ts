/** Caps on what extracting one archive may create; exceeding one is an `InputError`. */
export interface ArchiveLimits {
  /** Sum of the sizes of the files in the archive, in bytes. */
  maxExpandedBytes: number;
  /** Files, folders and links together. */
  maxEntries: number;
  /**
   * Decompressed bytes per compressed byte, checked once `ratioFloorBytes` have come out: a
   * zip bomb (gigabytes of zeros in kilobytes) is refused long before it fills the disk. Real
   * caches and artifacts (sources, node_modules, binaries) stay far below it.
   */
  maxRatio: number;
  ratioFloorBytes: number;
}

const GiB = 1024 * 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxExpandedBytes: 10 * GiB,
  maxEntries: 100_000,
  maxRatio: 200,
  ratioFloorBytes: 64 * 1024 * 1024,
};

/**
 * What the decompressed tar stream itself may grow to: the files plus, per entry, a header
 * and padding (a long name adds a PAX header). This backstop also stops streams that are no
 * tar at all, like gigabytes of gzipped zeros.
 */
export function maxTarStreamBytes(limits: ArchiveLimits): number {
  return limits.maxExpandedBytes + (limits.maxEntries + 2) * 4096;
}
