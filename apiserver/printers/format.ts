/** How Kubernetes' printers write labels, selectors, container lists and booleans into cells. */
import type { LabelSelector } from '../../api/kinds/meta';

/** labels.FormatLabels: `a=1,b=2` sorted by key, or `<none>`. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const text = Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`)
    .join(',');
  return text || '<none>';
}

/**
 * metav1.LabelSelectorAsSelector(selector).String(): requirements sorted by key, matchLabels as
 * `k=v`, expressions as `k in (a,b)`, `k notin (a)`, `k`, `!k` with their values sorted. Unlike
 * api/labels' formatLabelSelector (which reads every requirement as a set), a matchLabels entry
 * and a one-value In expression print differently here, as they do in Kubernetes.
 */
export function labelSelectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const parts: { key: string; text: string }[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, text: `${key}=${value}` }));
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const list = [...values].sort().join(',');
    const text =
      operator === 'In' ? `${key} in (${list})` : operator === 'NotIn' ? `${key} notin (${list})` : operator === 'DoesNotExist' ? `!${key}` : key;
    parts.push({ key, text });
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, or `<none>` when it selects everything. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  return labelSelectorString(selector) || '<none>';
}

/** layoutContainerCells: the containers' names and images, each comma-separated. */
export function containerCells(containers: readonly { readonly name: string; readonly image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** printBoolPtr: True, False, or <unset>. */
export function boolPointer(value: boolean | undefined): string {
  return value === undefined ? '<unset>' : value ? 'True' : 'False';
}

/** net.JoinHostPort: IPv6 addresses in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
