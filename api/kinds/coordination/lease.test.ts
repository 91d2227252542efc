import { decodeObject } from '../decode';
import { admit, causesOf } from '../testing';
import { leaseKind } from './lease';

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
    const object = admit(leaseKind, lease());
    expect(object.spec?.renewTime).toBe('2024-05-01T10:00:10.123456Z');
  });

  it('accepts coordinated leader election fields', () => {
    const body = lease();
    Object.assign(body.spec, { strategy: 'OldestEmulationVersion', preferredHolder: 'kube-controller-manager-b' });
    expect(() => admit(leaseKind, body)).not.toThrow();
    Object.assign(body.spec, { strategy: 'example.com/my-strategy' });
    expect(() => admit(leaseKind, body)).not.toThrow();
  });

  it('rejects a non-positive duration, negative transitions, unknown strategies and a holder without strategy', () => {
    const body = lease();
    Object.assign(body.spec, { leaseDurationSeconds: 0, leaseTransitions: -1, preferredHolder: 'x' });
    expect(causesOf(() => admit(leaseKind, body))).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
      'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
    ]);
    const bad = lease();
    Object.assign(bad.spec, { strategy: 'Newest' });
    expect(causesOf(() => admit(leaseKind, bad))).toEqual(['spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"']);
  });

  it('rejects bad times and int32 overflow as decode errors (400)', () => {
    const body = lease();
    Object.assign(body.spec, { renewTime: 'yesterday' });
    expect(() => admit(leaseKind, body)).toThrow(expect.objectContaining({ code: 400, message: expect.stringContaining('spec.renewTime') }));
    const big = lease();
    Object.assign(big.spec, { leaseDurationSeconds: 2 ** 31 });
    expect(() => admit(leaseKind, big)).toThrow(expect.objectContaining({ code: 400 }));
  });

  it('requires a namespace and reports unknown fields', () => {
    const body = lease();
    delete (body.metadata as { namespace?: string }).namespace;
    expect(causesOf(() => admit(leaseKind, body))).toEqual(['metadata.namespace: Required value']);
    expect(() => decodeObject(leaseKind, { ...lease(), spec: { holderIdentiy: 'x' } })).toThrow('strict decoding error: unknown field "spec.holderIdentiy"');
  });
});
