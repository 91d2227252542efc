import { builtinKinds } from '../../api/kinds/registry';
import { applyMergePatch } from '../../api/patch/mergePatch';
import { applyStrategicMergePatch } from '../../api/patch/strategicMergePatch';
import { createThreeWayPatch } from './threeWay';

const schema = builtinKinds.find((k) => k.group === 'apps' && k.kind === 'Deployment')!.schema;
const strategic = { strategic: true, schema };

function deployment(containers: unknown[], extra: Record<string, unknown> = {}) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, template: { spec: { containers } }, ...extra } };
}

describe('three-way apply patch', () => {
  it('is empty when the manifest matches what is live', () => {
    const m = deployment([{ name: 'a', image: 'one' }]);
    expect(createThreeWayPatch(m, m, { ...m, status: { replicas: 2 } }, strategic)).toEqual({});
  });

  it('sets what changed, deletes what the manifest dropped since last time, leaves what others set', () => {
    const original = { metadata: { name: 'x', labels: { a: '1', b: '2' } }, data: { k: 'v' } };
    const modified = { metadata: { name: 'x', labels: { a: '1' } }, data: { k: 'w' } };
    const current = { metadata: { name: 'x', labels: { a: '1', b: '2', other: 'kept' } }, data: { k: 'v' } };
    const patch = createThreeWayPatch(original, modified, current, { strategic: false });
    expect(patch).toEqual({ metadata: { labels: { b: null } }, data: { k: 'w' } });
    expect(applyMergePatch(current, patch)).toEqual({ metadata: { name: 'x', labels: { a: '1', other: 'kept' } }, data: { k: 'w' } });
  });

  it('patches merging lists by their key (containers by name), keeping fields others set', () => {
    const original = deployment([{ name: 'a', image: 'one' }, { name: 'b', image: 'two' }]);
    const modified = deployment([{ name: 'a', image: 'one-v2' }]);
    const current = deployment([{ name: 'a', image: 'one', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'two' }]);
    const patch = createThreeWayPatch(original, modified, current, strategic);
    expect(patch).toEqual({
      spec: {
        template: {
          spec: {
            containers: [{ name: 'a', image: 'one-v2' }, { $patch: 'delete', name: 'b' }],
            '$setElementOrder/containers': [{ name: 'a' }],
          },
        },
      },
    });
    const result = applyStrategicMergePatch(schema, current, patch) as ReturnType<typeof deployment>;
    expect(result.spec.template.spec.containers).toEqual([{ name: 'a', image: 'one-v2', env: [{ name: 'X', value: '1' }] }]);
  });

  it('replaces lists whole in a JSON merge patch (custom resources)', () => {
    const patch = createThreeWayPatch({ spec: { sizes: [1, 2] } }, { spec: { sizes: [3] } }, { spec: { sizes: [1, 2], extra: true } }, { strategic: false });
    expect(patch).toEqual({ spec: { sizes: [3] } });
  });

  it('drops a field set to null in the manifest', () => {
    expect(createThreeWayPatch(undefined, { spec: { paused: null } }, { spec: { paused: true } }, { strategic: false })).toEqual({ spec: { paused: null } });
  });
});
