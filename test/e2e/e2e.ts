/**
 * Shared setup for the end-to-end suites: a private control plane and the real kubectl pointed at
 * it, plus the corpus of real-world manifests (test/fixtures/manifests, from the Kubernetes website).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { useControlPlane, type TestControlPlane } from '../harness/apiserver';
import { useKubectl, type Kubectl, type KubectlResult } from '../harness/kubectl';

export const corpusRoot = join(__dirname, '../fixtures/manifests/k8s-website');

export interface Cluster {
  readonly plane: TestControlPlane;
  kubectl(): Kubectl;
  /** Runs kubectl and fails the test, showing stderr, if it does not exit 0. */
  ok(args: readonly string[], stdin?: string): Promise<string>;
  /** Runs kubectl expecting a failure; returns what it printed. */
  fails(args: readonly string[], stdin?: string): Promise<KubectlResult>;
}

export function useCluster(): Cluster {
  const plane = useControlPlane();
  const kubectl = useKubectl(() => plane.url);
  return {
    plane,
    kubectl: () => kubectl.get(),
    ok: async (args, stdin) => {
      const result = await kubectl.get().run(args, stdin === undefined ? {} : { stdin });
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
      return result.stdout;
    },
    fails: async (args, stdin) => {
      const result = await kubectl.get().run(args, stdin === undefined ? {} : { stdin });
      if (result.code === 0) throw new Error(`kubectl ${args.join(' ')} succeeded, a failure was expected: ${result.stdout}`);
      return result;
    },
  };
}

/** Every YAML file of the corpus, relative to its root, namespaces and CRDs first. */
export function corpusFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
  const rank = (f: string) => (/namespace/.test(f) ? 0 : /resource-definition/.test(f) ? 1 : 2);
  return walk(corpusRoot)
    .map((f) => relative(corpusRoot, f))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
