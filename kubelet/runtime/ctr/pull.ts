/**
 * Pulling an image with `ctr images pull`, bounded in time. ctr contacts only the registry the
 * reference names (docker.io for short names); any failure is an ImagePullError saying why.
 */
import { ImagePullError } from '../interface';
import { ctrMessage, CtrError, type Ctr } from './ctr';
import { normalizeImageRef } from './images';

/** A reference ctr can pull: [registry[:port]/]path[:tag][@sha256:digest], lower-case path components. */
const referencePattern = /^(?:[A-Za-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

export function validImageReference(ref: string): boolean {
  return ref.length > 0 && ref.length <= 512 && referencePattern.test(ref);
}

export async function pullImage(ctr: Ctr, ref: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
  if (!validImageReference(ref)) throw new ImagePullError(`invalid image reference ${JSON.stringify(ref)}`);
  const name = normalizeImageRef(ref);
  let stderr: string;
  let code: number;
  try {
    ({ stderr, code } = await ctr.exec(['images', 'pull', name], { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) }));
  } catch (err) {
    const why = err instanceof CtrError ? ctrMessage(err.stderr) : err instanceof Error ? err.message : String(err);
    throw new ImagePullError(`failed to pull image ${JSON.stringify(ref)}: ${why}`);
  }
  if (code !== 0) throw new ImagePullError(`failed to pull image ${JSON.stringify(ref)}: ${ctrMessage(stderr) || `ctr exit code ${code}`}`);
  return name;
}
