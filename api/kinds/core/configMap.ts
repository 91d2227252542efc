import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { validateDataKeys, validateImmutableData } from './dataKeys';

export const ConfigMap = topLevelObject(
  'io.k8s.api.core.v1.ConfigMap',
  'ConfigMap holds configuration data for pods to consume.',
  { group: '', version: 'v1', kind: 'ConfigMap' },
  {
    binaryData: s.map(s.bytes(), 'BinaryData contains the binary data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values are base64 encoded.'),
    data: s.map(s.string(), 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.'),
    immutable: s.boolean('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
  },
);
export type ConfigMap = s.Static<typeof ConfigMap>;

export const configMapKind = defineKind<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  categories: [],
  namespaced: true,
  schema: ConfigMap,
  subresources: {},
  validate: (cm, old) => [
    ...validateDataKeys([cm.data ?? {}, cm.binaryData ?? {}], ['data', 'binaryData']),
    ...(old ? validateImmutableData(cm, old, ['data', 'binaryData']) : []),
  ],
});
