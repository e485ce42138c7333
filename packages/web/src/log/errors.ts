/**
 * What counts as an error line for "jump to the first error". Deliberately simple, so a
 * reader can predict it: the words error, failed or fatal (whole words, any case: not
 * "errors", not "TypeError"); npm's `npm ERR!`; and the engine's own lines about how a job
 * ended that do not say "failed" ("Job errored: …", "The job timed out after 60 s.", "The
 * build script exited with code 1 …"). A false hit costs one click, so no finer rules.
 */
const errorPatterns: readonly RegExp[] = [
  /\b(?:error|failed|fatal)\b/i,
  /^npm ERR!/,
  /^Job errored: /,
  /^The (?:job|build) timed out\b/,
  /^The build script (?:exited with code|was killed by)\b/,
];

export function isErrorLine(plain: string): boolean {
  return errorPatterns.some((pattern) => pattern.test(plain));
}
