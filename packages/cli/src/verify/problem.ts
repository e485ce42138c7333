import { UnprocessableError } from '@gibbon/contracts';

/** Where in the build file a problem is: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/**
 * What `gibbon verify` found wrong with a build file: each problem a line of its own, with
 * `file:line:column` when the position is known, so an editor can jump to it.
 */
export class ScriptProblems extends UnprocessableError {
  constructor(
    readonly kind: 'syntax' | 'types' | 'load' | 'graph' | 'schema',
    readonly problems: readonly string[],
  ) {
    super(problems.join('\n'));
  }
}

export function located(file: string, position: Position | undefined, text: string): string {
  return position ? `${file}:${position.line}:${position.column}: ${text}` : `${file}: ${text}`;
}
