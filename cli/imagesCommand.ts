/**
 * `marina images import FILE.tar`: loads an OCI or Docker image archive into a node agent's
 * containerd namespace, for machines that cannot pull from a registry. Prints one line per image.
 */
import { Command } from 'commander';
import { hostname } from 'node:os';
import { importImageArchive } from '../kubelet/images/importArchive';

interface ImportOptions {
  readonly containerdAddress: string;
  readonly containerdNamespace?: string;
  readonly nodeName?: string;
}

export function imagesCommand(out: NodeJS.WritableStream = process.stdout): Command {
  const images = new Command('images').description("Manage images in a node agent's containerd namespace");
  images
    .command('import')
    .description('Load an OCI or Docker image archive (tar) into containerd')
    .argument('<file>', 'the image archive')
    .option('--containerd-address <socket>', "containerd's socket", '/run/containerd/containerd.sock')
    .option('--containerd-namespace <ns>', 'the containerd namespace (default: marina-<node name>, as `marina kubelet`)')
    .option('--node-name <name>', 'the node whose agent will use the images (default: this host name)')
    .action(async (file: string, opts: ImportOptions) => {
      const namespace = opts.containerdNamespace ?? `marina-${opts.nodeName ?? hostname()}`;
      const imported = await importImageArchive({ address: opts.containerdAddress, namespace, file });
      for (const image of imported) out.write(`imported ${image.ref} (${image.digest}) into namespace ${namespace}\n`);
    });
  return images;
}
