import { builtinKinds } from '../../api/kinds/registry';
import type { ResourceKind } from '../../api/kinds/kind';
import { defaultPrinter } from './defaultPrinter';
import { podPrinter } from './pods';
import { printerFor } from './registry';
import { ago, columnNames, printRow } from './testing';

describe('printerFor', () => {
  it('has a printer for every built-in kind, one cell per column even for a bare object', () => {
    for (const kind of builtinKinds) {
      const printer = printerFor(kind);
      expect(printer.columns.filter((c) => c.format === 'name').length).toBe(1);
      expect(printer.cells({ metadata: { name: 'bare' } }, Date.now())).toHaveLength(printer.columns.length);
    }
    expect(printerFor(builtinKinds.find((k) => k.kind === 'Pod')!)).toBe(podPrinter);
  });

  it('prints roles, clusterroles and CRDs with Kubernetes’ default NAME CREATED AT', () => {
    for (const name of ['Role', 'ClusterRole', 'CustomResourceDefinition']) expect(printerFor(builtinKinds.find((k) => k.kind === name)!)).toBe(defaultPrinter);
    expect(columnNames(defaultPrinter).wide).toEqual(['NAME', 'CREATED AT']);
    expect(printRow(defaultPrinter, { metadata: { name: 'view', creationTimestamp: '2024-04-30T08:15:00.123Z' } })).toEqual({ Name: 'view', 'Created At': '2024-04-30T08:15:00Z' });
    expect(printRow(defaultPrinter, { metadata: { name: 'new' } })['Created At']).toBe('0001-01-01T00:00:00Z');
  });

  it('prints custom resources with their CRD’s columns, one printer per served kind', () => {
    const crKind = (columns?: ResourceKind['printerColumns']): ResourceKind => ({ ...builtinKinds[0]!, group: 'stable.example.com', kind: 'Shirt', unstructured: true, printerColumns: columns });
    const withColumns = crKind([{ name: 'Color', type: 'string', jsonPath: '.spec.color' }]);
    expect(columnNames(printerFor(withColumns)).wide).toEqual(['NAME', 'COLOR']);
    expect(printerFor(withColumns)).toBe(printerFor(withColumns));
    expect(printRow(printerFor(crKind()), { metadata: { name: 'a', creationTimestamp: ago(5) } })).toEqual({ Name: 'a', Age: '5s' });
  });
});
