import { FieldSet } from './fieldSet';
import { ancientChangesManager, capUpdateManagers, decodeManagedFields, encodeManagedFields, ManagedFieldsError, managerId, printManager, type Managers } from './managers';
import { fieldElement } from './pathElement';

describe('managedFields entries', () => {
  const entries = [
    { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-03T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:replicas': {} } }, subresource: 'status' },
    { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2024-01-02T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:template': {} } } },
  ];

  it('round-trips, sorted as Kubernetes sorts them: Apply first, then by time', () => {
    const managers = decodeManagedFields(entries);
    expect([...managers.keys()]).toContain('{"manager":"kubectl","operation":"Apply"}');
    expect([...managers.keys()]).toContain('{"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","subresource":"status"}');
    expect(encodeManagedFields(managers)).toEqual([entries[2], entries[1], entries[0]]);
  });

  it('writes the fields in the order of ManagedFieldsEntry', () => {
    expect(Object.keys(encodeManagedFields(decodeManagedFields([entries[0]]))![0]!)).toEqual(['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource']);
  });

  it('drops managers that own nothing, and writes no list at all without managers', () => {
    const managers: Managers = new Map([[managerId({ manager: 'x', operation: 'Update', apiVersion: 'v1', subresource: '' }), { manager: 'x', operation: 'Update', apiVersion: 'v1', subresource: '', set: new FieldSet() }]]);
    expect(encodeManagedFields(managers)).toBeUndefined();
    expect(decodeManagedFields(undefined).size).toBe(0);
  });

  it.each([
    [[{ operation: 'Patch', apiVersion: 'v1', fieldsType: 'FieldsV1' }], 'operation must be `Apply` or `Update`'],
    [[{ operation: 'Update', fieldsType: 'FieldsV1' }], 'apiVersion must not be empty'],
    [[{ operation: 'Update', apiVersion: 'v1' }], 'missing fieldsType in managed fields entry 0'],
    [[{ operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV2' }], 'invalid fieldsType "FieldsV2" in managed fields entry 0'],
    [[{ operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'k:{': {} } }], 'error decoding versioned set of entry 0'],
  ])('rejects a malformed entry %j', (list, message) => {
    expect(() => decodeManagedFields(list)).toThrow(ManagedFieldsError);
    expect(() => decodeManagedFields(list)).toThrow(message);
  });

  it('identifies a manager by the JSON of its name, operation, apiVersion (Update only) and subresource', () => {
    const who = { manager: 'say "hi"\\\n\u00e9', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status' } as const;
    for (let i = 0; i < 2; i++) expect(managerId(who)).toBe(JSON.stringify(who));
    expect(managerId({ ...who, operation: 'Apply' })).toBe(JSON.stringify({ manager: who.manager, operation: 'Apply', subresource: 'status' }));
    expect(managerId({ manager: '', operation: 'Update', apiVersion: '', subresource: '' })).toBe('{"operation":"Update"}');
  });

  it('names managers as conflict messages do', () => {
    expect(printManager({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', subresource: '' })).toBe('"kubectl"');
    expect(printManager({ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', subresource: '' })).toBe('"kubectl-client-side-apply" using apps/v1');
    expect(printManager({ manager: 'hpa', operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale' })).toBe('"hpa" with subresource "scale" using apps/v1');
  });
});

describe('capUpdateManagers', () => {
  it('merges the oldest Update managers into ancient-changes beyond the cap', () => {
    const managers: Managers = new Map();
    for (let i = 0; i < 4; i++) {
      const who = { manager: `m${i}`, operation: 'Update', apiVersion: 'v1', subresource: '' } as const;
      managers.set(managerId(who), { ...who, set: FieldSet.of([fieldElement(`f${i}`)]), time: `2024-01-0${i + 1}T00:00:00Z` });
    }
    const capped = capUpdateManagers(managers, 2);
    expect([...capped.values()].map((m) => m.manager).sort()).toEqual([ancientChangesManager, 'm3']);
    const ancient = [...capped.values()].find((m) => m.manager === ancientChangesManager)!;
    expect(ancient.set.paths().flat()).toEqual(['f:f0', 'f:f1', 'f:f2']);
    expect(ancient.time).toBe('2024-01-03T00:00:00Z');
    expect(capUpdateManagers(managers, 10)).toBe(managers);
  });
});
