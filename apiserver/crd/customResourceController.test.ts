import { compareVersions } from './customResourceController';

describe('compareVersions', () => {
  it('orders versions as Kubernetes prefers them: GA, then beta, then alpha, newest first, then others', () => {
    const versions = ['foo10', 'v1alpha1', 'v11alpha2', 'v1', 'v2', 'v1beta1', 'v1beta2', 'v10', 'foo1', 'v12alpha1', 'v3beta1'];
    expect(versions.sort(compareVersions)).toEqual(['v10', 'v2', 'v1', 'v3beta1', 'v1beta2', 'v1beta1', 'v12alpha1', 'v11alpha2', 'v1alpha1', 'foo1', 'foo10']);
  });
});
