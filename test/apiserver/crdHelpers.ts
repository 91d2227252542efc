/** Helpers of the CustomResourceDefinition integration tests. */
import type { RestClient } from '../../client/restClient';
import type { LooseObj } from './crudHelpers';
import { eventually } from './helpers';

export const crdsPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function conditionOf(crd: LooseObj, type: string): Condition | undefined {
  return ((crd.status?.conditions ?? []) as Condition[]).find((c) => c.type === type);
}

/** Polls the CRD until Established=True (10 s deadline). */
export async function waitEstablished(client: RestClient, name: string): Promise<LooseObj> {
  return eventually(
    `CRD ${name} Established`,
    async () => {
      const res = await client.raw('GET', `${crdsPath}/${name}`);
      const crd = res.json as LooseObj;
      return res.status === 200 && conditionOf(crd, 'Established')?.status === 'True' ? crd : undefined;
    },
    10_000,
  );
}
