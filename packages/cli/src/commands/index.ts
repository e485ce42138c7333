import { adminCommand } from './admin';
import {
  buildsCommand,
  cancelCommand,
  logsCommand,
  reposCommand,
  triggerCommand,
} from './api-commands';
import type { Command } from './command';
import { paramsCommand } from './params';
import { runCommand } from './run';
import { serverCommand } from './server';
import { testCommand } from './test-pipelines';
import { verifyCommand } from './verify';

/** Every subcommand, in the order `gibbon --help` lists them. */
export const commands: readonly Command[] = [
  runCommand,
  verifyCommand,
  testCommand,
  reposCommand,
  buildsCommand,
  logsCommand,
  triggerCommand,
  cancelCommand,
  paramsCommand,
  adminCommand,
  serverCommand,
];
