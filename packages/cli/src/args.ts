import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '@gibbon/contracts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs with the CLI's conventions: unknown flags and missing values become an
 * InputError whose message a user can act on (the command prints it with its usage line).
 */
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

export function parseCommandArgs<T extends Options>(argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(message.replace(/\. To specify a positional argument.*$/s, '.'), {
      cause: error,
    });
  }
}

export const helpOption = { help: { type: 'boolean', short: 'h' } } as const;
