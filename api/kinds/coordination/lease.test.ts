import { isStatusError } from '../../status';
import { decodeObject, defaultObject, validateObject } from '../decode';
import { leaseKind, type Lease } from './lease';

function admit(body: unknown, old?: Lease) {
  const { object } = decodeObject(leaseKind, body);
  defaultObject(leaseKind, object);
  validateObject(leaseKind, object, old);
  return object;
}

function causes(fn: () => unknown, code = 422): string[] {
  try {
    fn();
  } catch (err) {
    expect(isStatusError(err, code)).toBe(true);
    return ((err as { details?: { causes?: { field: string; message: string }[] } }).details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
  throw new Error('expected an error');
}

describe('Lease', () => {
  const lease = () => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-1', namespace: 'kube-node-lease' },
    spec: {
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      leaseTransitions: 0,
      acquireTime: '2024-05-01T10:00:00.000000Z',
      renewTime: '2024-05-01T10:00:10.123456Z',
    },
  });

  it('accepts a node heartbeat lease with microsecond times', () => {
    const object = admit(lease());
    expect(object.spec?.renewTime).toBe('2024-05-01T10:00:10.123456Z');
  });

  it('accepts coordinated leader election fields', () => {
    const body = lease();
    Object.assign(body.spec, { strategy: 'OldestEmulationVersion', preferredHolder: 'kube-controller-manager-b' });
    expect(() => admit(body)).not.toThrow();
    Object.assign(body.spec, { strategy: 'example.com/my-strategy' });
    expect(() => admit(body)).not.toThrow();
  });

  it('rejects a non-positive duration, negative transitions, unknown strategies and a holder without strategy', () => {
    const body = lease();
    Object.assign(body.spec, { leaseDurationSeconds: 0, leaseTransitions: -1, preferredHolder: 'x' });
    expect(causes(() => admit(body))).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
      'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
    ]);
    const bad = lease();
    Object.assign(bad.spec, { strategy: 'Newest' });
    expect(causes(() => admit(bad))).toEqual(['spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"']);
  });

  it('rejects bad times and int32 overflow as decode errors (400)', () => {
    const body = lease();
    Object.assign(body.spec, { renewTime: 'yesterday' });
    expect(() => admit(body)).toThrow(expect.objectContaining({ code: 400, message: expect.stringContaining('spec.renewTime') }));
    const big = lease();
    Object.assign(big.spec, { leaseDurationSeconds: 2 ** 31 });
    expect(() => admit(big)).toThrow(expect.objectContaining({ code: 400 }));
  });

  it('requires a namespace and reports unknown fields', () => {
    const body = lease();
    delete (body.metadata as { namespace?: string }).namespace;
    expect(causes(() => admit(body))).toEqual(['metadata.namespace: Required value']);
    expect(() => decodeObject(leaseKind, { ...lease(), spec: { holderIdentiy: 'x' } })).toThrow('strict decoding error: unknown field "spec.holderIdentiy"');
  });
});
