import { adminCommand } from './admin';
import { approveCommand, rejectCommand } from './approve';
import { buildsCommand, cancelCommand, logsCommand, triggerCommand } from './api-commands';
import { auditCommand } from './audit';
import { deliveriesCommand } from './deliveries';
import { artifactsCommand, buildCommand, retryCommand } from './build-commands';
import type { Command } from './command';
import { orgsCommand, runnersCommand, tokensCommand } from './manage';
import { paramsCommand } from './params';
import { reposCommand } from './repos';
import { runCommand } from './run';
import { schedulesCommand } from './schedules';
import { serverCommand } from './server';
import { testCommand } from './test-pipelines';
import { verifyCommand } from './verify';

/** Every subcommand, in the order `gibbon --help` lists them. */
export const commands: readonly Command[] = [
  runCommand,
  verifyCommand,
  testCommand,
  orgsCommand,
  reposCommand,
  schedulesCommand,
  deliveriesCommand,
  buildsCommand,
  buildCommand,
  logsCommand,
  triggerCommand,
  cancelCommand,
  approveCommand,
  rejectCommand,
  retryCommand,
  artifactsCommand,
  paramsCommand,
  tokensCommand,
  runnersCommand,
  auditCommand,
  adminCommand,
  serverCommand,
];
