import type { Command } from './command';
import { runCommand } from './run';

/** Every subcommand, in the order `gibbon --help` lists them. */
export const commands: readonly Command[] = [runCommand];
