import type { Command } from './command';
import { runCommand } from './run';
import { verifyCommand } from './verify';

/** Every subcommand, in the order `gibbon --help` lists them. */
export const commands: readonly Command[] = [runCommand, verifyCommand];
