import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { validateDataKeys, validateImmutableData } from './dataKeys';

export const Secret = topLevelObject(
  'io.k8s.api.core.v1.Secret',
  'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
  { group: '', version: 'v1', kind: 'Secret' },
  {
    data: s.map(s.bytes(), 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string.'),
    immutable: s.boolean('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).'),
    stringData: s.map(s.string(), 'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.'),
    type: s.string('Used to facilitate programmatic handling of secret data.', { default: 'Opaque' }),
  },
);
export type Secret = s.Static<typeof Secret>;

/** Keys each well-known secret type must carry in data. */
const requiredKeys: Record<string, readonly string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function validateSecret(secret: Secret, old?: Secret): FieldError[] {
  const data = secret.data ?? {};
  const errs = validateDataKeys([data], ['data']);
  const type = secret.type ?? 'Opaque';
  for (const key of requiredKeys[type] ?? []) if (!(key in data)) errs.push(field.required(`data[${key}]`));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(field.required('data[username]', 'basic-auth secrets need a username or a password'));
  }
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (old) {
    if ((old.type ?? 'Opaque') !== type) errs.push(field.invalid('type', type, 'field is immutable'));
    errs.push(...validateImmutableData(secret, old, ['data']));
  }
  return errs;
}

export const secretKind = defineKind<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: Secret,
  subresources: {},
  selectableFields: { type: (secret) => secret.type ?? '' },
  defaults: (secret) => {
    // stringData is write-only: fold it into data (base64) and drop it, as Kubernetes does.
    if (secret.stringData) {
      secret.data ??= {};
      for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(v, 'utf8').toString('base64');
      delete secret.stringData;
    }
  },
  validate: validateSecret,
});
