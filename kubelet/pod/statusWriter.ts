/**
 * Writes pods' statuses through pods/<name>/status only when they change (the kubelet's status
 * manager): it remembers what it last wrote (or found already written) for each pod, skips a
 * status equal to it, and on a conflict re-reads the pod and tries again.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { PodStatus } from '../../api/kinds/core/podStatus';
import { isStatusError } from '../../api/status';
import type { RestClient } from '../../client/restClient';
import { unlimited, type RequestLimit } from '../requestLimit';
import { stableJson } from '../stableJson';

const pods = { group: '', version: 'v1', resource: 'pods' };

export class StatusWriter {
  private readonly written = new Map<string, { readonly json: string; readonly status: PodStatus }>();
  /** Status writes so far. */
  writes = 0;

  constructor(
    private readonly client: RestClient,
    private readonly limit: RequestLimit = unlimited,
  ) {}

  /** The status last computed and written for the pod, if any. */
  last(uid: string): PodStatus | undefined {
    return this.written.get(uid)?.status;
  }

  /** Writes `status` unless it equals what was last written (or what the API has). */
  async write(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata?.uid ?? '';
    const json = stableJson(status);
    const previous = this.written.get(uid);
    if (previous?.json === json) return false;
    if (!previous && pod.status && stableJson(pod.status) === json) {
      this.written.set(uid, { json, status });
      return false;
    }
    const res = this.client.resource<Pod>(pods, pod.metadata?.namespace);
    let current: Pod = pod;
    for (let attempt = 0; ; attempt++) {
      try {
        const body = { ...current, status };
        await this.limit(() => res.updateStatus(body));
        break;
      } catch (err) {
        if (isStatusError(err, 404)) return false; // gone: nothing to report to
        if (!isStatusError(err, 409) || attempt >= 3) throw err;
        current = await this.limit(() => res.get(pod.metadata?.name ?? ''));
        if (current.metadata?.uid !== uid) return false;
      }
    }
    this.written.set(uid, { json, status });
    this.writes++;
    return true;
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }
}
