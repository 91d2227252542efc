import type { Pod } from '../../api/kinds/core/pod';
import { podKind } from '../../api/kinds/core/pod';
import { configMapKind } from '../../api/kinds/core/configMap';
import type { AdmissionAttributes } from './admission';
import { addDefaultTolerations, defaultTolerationSeconds } from './defaultTolerationSeconds';

const pod = (tolerations?: NonNullable<Pod['spec']>['tolerations']): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'x' }], ...(tolerations ? { tolerations } : {}) },
});

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

const attrs = (object: Pod | undefined, operation: 'CREATE' | 'UPDATE' | 'DELETE' = 'CREATE', subresource?: string): AdmissionAttributes => ({
  operation,
  kind: podKind,
  namespace: 'ns',
  name: 'p',
  subresource,
  object,
  oldObject: undefined,
  dryRun: false,
});

describe('DefaultTolerationSeconds', () => {
  it('adds both tolerations for 300 s to a pod without them', () => {
    const p = pod();
    expect(addDefaultTolerations(p)).toBe(true);
    expect(p.spec?.tolerations).toEqual([notReady, unreachable]);
    expect(addDefaultTolerations(p)).toBe(false);
  });

  it('keeps tolerations the pod has, adding only the missing one', () => {
    const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 10 };
    const p = pod([own, { key: 'other', operator: 'Exists', effect: 'NoSchedule' }]);
    addDefaultTolerations(p);
    expect(p.spec?.tolerations).toEqual([own, { key: 'other', operator: 'Exists', effect: 'NoSchedule' }, unreachable]);
  });

  it('treats an empty key or effect as tolerating everything', () => {
    const all = pod([{ operator: 'Exists' }]);
    expect(addDefaultTolerations(all)).toBe(false);
    const anyEffect = pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }]);
    addDefaultTolerations(anyEffect);
    expect(anyEffect.spec?.tolerations).toEqual([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, notReady]);
    // A NoSchedule toleration does not cover the NoExecute taint.
    const noSchedule = pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }]);
    addDefaultTolerations(noSchedule);
    expect(noSchedule.spec?.tolerations).toHaveLength(3);
  });

  it('takes configured seconds', () => {
    const p = pod();
    addDefaultTolerations(p, { notReady: 5, unreachable: 7 });
    expect(p.spec?.tolerations?.map((t) => t.tolerationSeconds)).toEqual([5, 7]);
  });

  it('admits pods on create and update only, never subresources or other kinds', async () => {
    const plugin = defaultTolerationSeconds();
    const created = pod();
    await plugin.admit!(attrs(created));
    expect(created.spec?.tolerations).toHaveLength(2);
    const updated = pod();
    await plugin.admit!(attrs(updated, 'UPDATE'));
    expect(updated.spec?.tolerations).toHaveLength(2);
    const status = pod();
    await plugin.admit!(attrs(status, 'UPDATE', 'status'));
    expect(status.spec?.tolerations).toBeUndefined();
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: { containers: [] } };
    await plugin.admit!({ ...attrs(undefined), kind: configMapKind, object: other });
    expect((other.spec as { tolerations?: unknown }).tolerations).toBeUndefined();
  });
});
