/** core/v1 Endpoints: the addresses that implement a Service (v1.32). */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import * as s from '../../schema/schema';
import { validateIP, validateNonSpecialIP } from '../../validation/ip';
import { isDNS1123Subdomain } from '../../validation/names';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { ObjectReference } from './objectReference';
import { protocols, validateDNS1123Label, validatePortNumber, validateQualifiedName } from './serviceValidation';

export const EndpointAddress = s.object(
  'io.k8s.api.core.v1.EndpointAddress',
  'EndpointAddress is a tuple that describes single IP address.',
  {
    hostname: s.string('The Hostname of this endpoint'),
    ip: s.string('The IP of this endpoint. May not be loopback (127.0.0.0/8 or ::1), link-local (169.254.0.0/16 or fe80::/10), or link-local multicast (224.0.0.0/24 or ff02::/16).'),
    nodeName: s.string('Optional: Node hosting this endpoint. This can be used to determine endpoints local to a node.'),
    targetRef: ObjectReference.doc('Reference to object providing the endpoint.'),
  },
  { required: ['ip'] },
).with({ mapType: 'atomic' });
export type EndpointAddress = s.Static<typeof EndpointAddress>;

/** core/v1 EndpointPort (discovery/v1 has its own EndpointPort). */
export const CoreV1EndpointPort = s.object(
  'io.k8s.api.core.v1.EndpointPort',
  'EndpointPort is a tuple that describes a single port.',
  {
    appProtocol: s.string('The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand. This field follows standard Kubernetes label syntax.'),
    name: s.string('The name of this port. This must match the \'name\' field in the corresponding ServicePort. Must be a DNS_LABEL. Optional only if one port is defined.'),
    port: s.int32('The port number of the endpoint.'),
    protocol: s.enumOf(protocols, 'The IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.', { default: 'TCP' }),
  },
  { required: ['port'] },
).with({ mapType: 'atomic' });
export type CoreV1EndpointPort = s.Static<typeof CoreV1EndpointPort>;

export const EndpointSubset = s.object(
  'io.k8s.api.core.v1.EndpointSubset',
  'EndpointSubset is a group of addresses with a common set of ports. The expanded set of endpoints is the Cartesian product of Addresses x Ports.',
  {
    addresses: s.array(EndpointAddress, 'IP addresses which offer the related ports that are marked as ready. These endpoints should be considered safe for load balancers and clients to utilize.', { listType: 'atomic' }),
    notReadyAddresses: s.array(EndpointAddress, 'IP addresses which offer the related ports but are not currently marked as ready because they have not yet finished starting, have recently failed a readiness check, or have recently failed a liveness check.', { listType: 'atomic' }),
    ports: s.array(CoreV1EndpointPort, 'Port numbers available on the related IP addresses.', { listType: 'atomic' }),
  },
);
export type EndpointSubset = s.Static<typeof EndpointSubset>;

export const Endpoints = topLevelObject(
  'io.k8s.api.core.v1.Endpoints',
  'Endpoints is a collection of endpoints that implement the actual service.',
  { group: '', version: 'v1', kind: 'Endpoints' },
  {
    subsets: s.array(EndpointSubset, 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.', { listType: 'atomic' }),
  },
);
export type Endpoints = s.Static<typeof Endpoints>;

function validateEndpointAddress(address: EndpointAddress, path: FieldPath): FieldError[] {
  const errs = validateIP(child(path, 'ip'), address.ip);
  if (address.hostname) errs.push(...validateDNS1123Label(address.hostname, child(path, 'hostname')));
  if (address.nodeName !== undefined) {
    for (const msg of isDNS1123Subdomain(address.nodeName)) errs.push(field.invalid(child(path, 'nodeName'), address.nodeName, msg));
  }
  errs.push(...validateNonSpecialIP(child(path, 'ip'), address.ip));
  return errs;
}

function validateEndpointPort(port: CoreV1EndpointPort, requireName: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(field.required(child(path, 'name')));
  else if (port.name) errs.push(...validateDNS1123Label(port.name, child(path, 'name')));
  errs.push(...validatePortNumber(port.port, child(path, 'port')));
  if (port.appProtocol !== undefined) errs.push(...validateQualifiedName(port.appProtocol, child(path, 'appProtocol')));
  return errs;
}

/** ValidateEndpoints: each subset has addresses, valid non-special IPs, and valid ports. */
export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((subset, i) => {
    const at = index('subsets', i);
    const addresses = subset.addresses ?? [];
    const notReady = subset.notReadyAddresses ?? [];
    if (addresses.length === 0 && notReady.length === 0) errs.push(field.required(at, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(at, 'addresses'), j))));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(at, 'notReadyAddresses'), j))));
    const ports = subset.ports ?? [];
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p, ports.length > 1, index(child(at, 'ports'), j))));
  });
  return errs;
}

export const endpointsKind = defineKind<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  categories: [],
  namespaced: true,
  schema: Endpoints,
  subresources: {},
  validate: (ep) => validateEndpoints(ep),
});
