/** The `marina` command: one executable, a subcommand per component. */
import { Command } from 'commander';
import { apiserverCommand } from './apiserverCommand';
import { controllerManagerCommand } from './controllerManagerCommand';
import { upCommand } from './upCommand';

const program = new Command();
program.name('marina').description('A small Kubernetes-style control plane').version('0.1.0');
program.addCommand(apiserverCommand());
program.addCommand(controllerManagerCommand());
program.addCommand(upCommand());
program.showHelpAfterError();

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`marina: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
