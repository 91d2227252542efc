/**
 * How a client verb is wired into commander: the global flags, output and usage errors routed to
 * the verb's Io, exit codes (0 success, 1 failure, 2 usage error — commander's own usage errors
 * included), and one `error: …` line for whatever the verb throws.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { goDurationMs } from '../flags';
import { globalOptions, openSession, withGlobalFlags, type Session } from './context';
import { reportError, type Io } from './io';

export interface VerbContext<O> {
  readonly io: Io;
  readonly cmd: Command;
  /** The verb's options (global flags included). */
  readonly opts: O;
  /** The positional arguments (variadic ones flattened). */
  readonly args: string[];
  /** Connects (kubeconfig, context, namespace) on first use. */
  session(): Promise<Session>;
}

export interface Cli {
  readonly io: Io;
  /** Defines a verb: global flags added, the action's errors reported, its exit code kept. */
  verb<O>(cmd: Command, action: (ctx: VerbContext<O>) => Promise<number | void>): Command;
}

export function createCli(io: Io, setExitCode: (code: number) => void): Cli {
  return {
    io,
    verb<O>(cmd: Command, action: (ctx: VerbContext<O>) => Promise<number | void>): Command {
      withGlobalFlags(cmd);
      cmd.action(async (...params: unknown[]) => {
        const command = params[params.length - 1] as Command;
        let session: Promise<Session> | undefined;
        const args = command.processedArgs.flatMap((a: unknown) => (Array.isArray(a) ? (a as string[]) : a === undefined ? [] : [String(a)]));
        const ctx: VerbContext<O> = {
          io,
          cmd: command,
          opts: { ...globalOptions(command), ...command.opts() } as O,
          args,
          session: () => (session ??= openSession(io, globalOptions(command))),
        };
        let code: number;
        try {
          code = (await action(ctx)) ?? 0;
        } catch (err) {
          code = reportError(io, err);
        }
        setExitCode(code);
      });
      return cmd;
    },
  };
}

/**
 * Routes a command tree's help and errors to `io` and turns commander's exits into exit codes:
 * help and --version 0, usage errors 2. `exit` is process.exit for the real process; tests throw.
 */
export function configureTree(cmd: Command, io: Io, exit: (err: CommanderError) => never): void {
  cmd.configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  cmd.exitOverride((err) => exit(err));
  for (const sub of cmd.commands) configureTree(sub, io, exit);
}

/** The exit code of a commander exit: 0 for help and version, 2 for usage errors. */
export function commanderExitCode(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
  // A command group run without its subcommand prints its help as an error: a usage error.
  return err.exitCode === 0 ? 0 : 2;
}

/** A boolean flag that also takes `--flag=true|false`, as kubectl's. */
export function boolOption(flags: string, description: string, defaultValue: boolean): Option {
  return new Option(flags, description).default(defaultValue).argParser((v: string) => {
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new InvalidArgumentError('must be true or false');
  });
}

/** A Go duration (`30s`, `5m`, `1h`, `500ms`; a bare number is seconds) in ms. */
export function parseDuration(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const ms = goDurationMs(value);
  if (ms === undefined) throw new InvalidArgumentError('must be a duration such as 30s, 5m or 1h');
  return ms;
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
