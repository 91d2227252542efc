/** The `marina` command: one executable, a subcommand per component, and the client verbs. */
import { Command } from 'commander';

/**
 * The component subcommands, each loaded only when used: a component process (started by
 * `marina up` or a script) loads its own code and not every other component's, which halves
 * its startup time. A client verb loads only the client; `marina --help` loads everything.
 */
const components: Record<string, () => Promise<Command>> = {
  apiserver: async () => load<typeof import('./apiserverCommand')>('./apiserverCommand').apiserverCommand(),
  'controller-manager': async () => load<typeof import('./controllerManagerCommand')>('./controllerManagerCommand').controllerManagerCommand(),
  scheduler: async () => load<typeof import('./schedulerCommand')>('./schedulerCommand').schedulerCommand(),
  kubelet: async () => load<typeof import('./kubeletCommand')>('./kubeletCommand').kubeletCommand(),
  up: async () => load<typeof import('./upCommand')>('./upCommand').upCommand(),
  down: async () => load<typeof import('./upCommand')>('./upCommand').downCommand(),
  images: async () => load<typeof import('./imagesCommand')>('./imagesCommand').imagesCommand(),
};

/** require() with the module's type (a dynamic import would make this file an ES module). */
function load<T>(path: string): T {
  return require(path) as T;
}

async function main(): Promise<void> {
  const program = new Command();
  program.name('marina').description('A small Kubernetes-style control plane').version('0.1.0');
  const name = process.argv[2];
  const component = name !== undefined && Object.hasOwn(components, name) ? components[name] : undefined;
  if (component) {
    program.addCommand(await component());
  } else {
    const client = load<typeof import('./client/index')>('./client/index');
    // A client verb needs none of the components: the CLI starts in a fraction of the time.
    if (name === undefined || !client.isClientVerb(name)) for (const make of Object.values(components)) program.addCommand(await make());
    client.registerClientCommands(program);
  }
  program.showHelpAfterError();
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`marina: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
