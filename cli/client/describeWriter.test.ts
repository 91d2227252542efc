import { DescribeWriter, describeTime, tabwrite } from './describeWriter';

describe('describe output', () => {
  it('aligns consecutive cells column by column, as Go\'s tabwriter', () => {
    expect(tabwrite(['Name:\tweb', 'Namespace:\tdefault', 'Containers:', '  app:', '    Image:\tnginx'])).toBe('Name:       web\nNamespace:  default\nContainers:\n  app:\n    Image:  nginx');
  });

  it('writes fields, maps and tables', () => {
    const w = new DescribeWriter().field(0, 'Name', 'web').map(0, 'Labels', { b: '2', a: '1' }).map(0, 'Annotations', {});
    w.line(0, 'Events:').table(1, ['Type', 'Reason'], [['Normal', 'Created']]);
    expect(w.toString()).toBe('Name:         web\nLabels:       a=1\n              b=2\nAnnotations:  <none>\nEvents:\n  Type    Reason\n  ----    ------\n  Normal  Created\n');
  });

  it('prints times as kubectl\'s describe', () => {
    expect(describeTime('2026-01-02T03:04:05Z')).toBe('Fri, 02 Jan 2026 03:04:05 +0000');
    expect(describeTime(undefined)).toBe('<unset>');
  });
});
