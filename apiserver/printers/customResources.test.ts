import { customResourcePrinter } from './customResources';
import { ago, columnNames, now, printRow } from './testing';

const shirt = {
  apiVersion: 'stable.example.com/v1',
  kind: 'Shirt',
  metadata: { name: 'example1', namespace: 'default', creationTimestamp: ago(30) },
  spec: { color: 'blue', size: 'S', sizes: [{ eu: 38 }, { eu: 40 }], price: 19.5, stock: 12, onSale: true, big: 1234567.5, tags: { b: '<x>', a: 1 } },
  status: { shippedAt: ago(7200), conditions: [{ type: 'Ready', status: 'True' }] },
};

describe('custom resource printer', () => {
  it('prints NAME AGE when the CRD declares no columns', () => {
    const printer = customResourcePrinter(undefined);
    expect(columnNames(printer).wide).toEqual(['NAME', 'AGE']);
    expect(printer.columns[1]).toMatchObject({ type: 'date', priority: 0 });
    expect(printRow(printer, shirt)).toEqual({ Name: 'example1', Age: '30s' });
  });

  it('prints NAME then the declared columns, typed as declared', () => {
    const printer = customResourcePrinter([
      { name: 'Color', type: 'string', jsonPath: '.spec.color' },
      { name: 'Size', type: 'string', jsonPath: '.spec.size', description: 'The size', priority: 1, format: 'byte' },
      { name: 'First EU', type: 'integer', jsonPath: '.spec.sizes[*].eu' },
      { name: 'Price', type: 'number', jsonPath: '.spec.price' },
      { name: 'Stock', type: 'integer', jsonPath: '.spec.stock' },
      { name: 'On Sale', type: 'boolean', jsonPath: '.spec.onSale' },
      { name: 'Shipped', type: 'date', jsonPath: '.status.shippedAt' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
    ]);
    expect(columnNames(printer)).toEqual({
      normal: ['NAME', 'COLOR', 'FIRST EU', 'PRICE', 'STOCK', 'ON SALE', 'SHIPPED', 'READY', 'MISSING'],
      wide: ['NAME', 'COLOR', 'SIZE', 'FIRST EU', 'PRICE', 'STOCK', 'ON SALE', 'SHIPPED', 'READY', 'MISSING'],
    });
    expect(printer.columns[1]).toEqual({ name: 'Color', type: 'string', format: '', description: 'Custom resource definition column (in JSONPath format): .spec.color', priority: 0 });
    expect(printer.columns[2]).toEqual({ name: 'Size', type: 'string', format: 'byte', description: 'The size', priority: 1 });
    expect(printRow(printer, shirt)).toEqual({
      Name: 'example1',
      Color: 'blue',
      Size: 'S',
      'First EU': 38,
      Price: 19.5,
      Stock: 12,
      'On Sale': true,
      Shipped: '120m',
      Ready: 'True',
      Missing: null,
    });
  });

  it('prints other values in string columns as Go does, and nothing for a value of the wrong type', () => {
    const printer = customResourcePrinter([
      { name: 'Sizes', type: 'string', jsonPath: '.spec.sizes' },
      { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
      { name: 'Big', type: 'string', jsonPath: '.spec.big' },
      { name: 'Stock', type: 'string', jsonPath: '.spec.stock' },
      { name: 'Sale', type: 'string', jsonPath: '.spec.onSale' },
      { name: 'Price', type: 'integer', jsonPath: '.spec.price' },
      { name: 'Color', type: 'integer', jsonPath: '.spec.color' },
      { name: 'Bad Date', type: 'date', jsonPath: '.spec.color' },
      { name: 'No Date', type: 'date', jsonPath: '.spec.stock' },
    ]);
    expect(printer.cells(shirt as never, now).slice(1)).toEqual(['[{"eu":38},{"eu":40}]', '{"a":1,"b":"\\u003cx\\u003e"}', '1.2345675e+06', '12', 'true', 19, null, '<invalid>', null]);
  });
});
