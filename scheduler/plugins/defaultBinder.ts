/** DefaultBinder (Kubernetes' defaultbinder): binds the pod with a pods/NAME/binding request. */
import type { Pod } from '../../api/kinds/core/pod';
import { error, isFrameworkHandle, success, type BindPlugin, type CycleState, type PluginFactory, type SchedulerApi, type Status } from '../framework/interfaces';

export const name = 'DefaultBinder';

export class DefaultBinder implements BindPlugin {
  readonly name = name;

  constructor(private readonly api: SchedulerApi) {}

  async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    try {
      await this.api.bind(pod, nodeName);
      return success;
    } catch (err) {
      return error(err instanceof Error ? err.message : String(err));
    }
  }
}

export const factory: PluginFactory = (_args, handle) => {
  if (!isFrameworkHandle(handle)) throw new Error(`${name} needs the scheduler's framework handle`);
  return new DefaultBinder(handle.api);
};
