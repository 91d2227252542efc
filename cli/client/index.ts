/**
 * The `marina` client verbs (a kubectl-like CLI that is better for CI), registered on the
 * `marina` program by `registerClientCommands`; `runClient` runs one command line in-process
 * against any Io (the integration tests use it).
 */
import { Command, CommanderError } from 'commander';
import { createCli, commanderExitCode, configureTree, type Cli } from './command';
import { withGlobalFlags } from './context';
import { processIo, type Io } from './io';
import { annotateCommand, labelCommand } from './labels';
import { applyCommand } from './apply';
import { deleteCommand } from './delete';
import { execCommand } from './exec';
import { getCommand } from './get';
import { logsCommand } from './logs';
import { patchCommand } from './patch';
import { rolloutCommand } from './rollout';
import { scaleCommand } from './scale';
import { waitCommand } from './wait';
import { completionCommand } from './completion';
import { configCommand } from './config';
import { createCommand } from './create';
import { describeCommand } from './describe';
import { diffCommand } from './diff';
import { editCommand } from './edit';
import { eventsCommand } from './events';
import { explainCommand } from './explain';
import { apiResourcesCommand, clusterInfoCommand, versionCommand } from './info';

/** Every verb, in the order `marina --help` lists them. */
export const clientVerbs: readonly ((cli: Cli) => Command)[] = [
  applyCommand,
  getCommand,
  describeCommand,
  createCommand,
  deleteCommand,
  diffCommand,
  editCommand,
  logsCommand,
  execCommand,
  scaleCommand,
  rolloutCommand,
  waitCommand,
  labelCommand,
  annotateCommand,
  patchCommand,
  eventsCommand,
  apiResourcesCommand,
  explainCommand,
  versionCommand,
  clusterInfoCommand,
  configCommand,
  completionCommand,
];

/** Whether `name` is a client verb (so `marina NAME …` needs none of the components' code). */
export function isClientVerb(name: string): boolean {
  const cli = createCli(processIo(), () => undefined);
  return clientVerbs.some((make) => make(cli).name() === name);
}

/**
 * Adds the client verbs to `program`. The global flags are accepted before the verb too
 * (`marina -n kube-system get pods`); the program then reads its own options only before a
 * subcommand, so other subcommands keep theirs.
 */
export function registerClientCommands(program: Command, io: Io = processIo(), exit: (err: CommanderError) => never = processExit): Command {
  const cli = createCli(io, (code) => {
    process.exitCode = code;
  });
  withGlobalFlags(program.enablePositionalOptions());
  for (const make of clientVerbs) {
    const cmd = make(cli);
    configureTree(cmd, io, exit);
    program.addCommand(cmd);
  }
  // An unknown verb or global flag is a usage error (exit 2), as for the verbs' own flags.
  program.exitOverride((err) => exit(err));
  return program;
}

function processExit(err: CommanderError): never {
  process.exit(commanderExitCode(err));
}

/** Runs one `marina` command line (without the program name) in-process; resolves with its exit code. */
export async function runClient(argv: readonly string[], io: Io): Promise<number> {
  let code = 0;
  const cli = createCli(io, (c) => {
    code = c;
  });
  const program = new Command('marina');
  withGlobalFlags(program.enablePositionalOptions());
  const exit = (err: CommanderError): never => {
    throw err;
  };
  for (const make of clientVerbs) program.addCommand(make(cli));
  configureTree(program, io, exit);
  try {
    await program.parseAsync(['node', 'marina', ...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return commanderExitCode(err);
    throw err;
  }
  return code;
}
