import type { Pod } from '../../api/kinds/core/pod';
import { StatusError } from '../../api/status';
import { chooseContainer, containerNames, dialErrorMessage, nodeAgentError } from './podTarget';

function pod(containers: string[], initContainers: string[] = []): Pod {
  const named = (names: string[]) => names.map((name) => ({ name, image: 'busybox' }));
  return { metadata: { name: 'web' }, spec: { containers: named(containers), ...(initContainers.length ? { initContainers: named(initContainers) } : {}) } };
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return `${err.code} ${err.message}`;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('chooseContainer', () => {
  it('defaults to the only container and checks a named one against every container', () => {
    expect(chooseContainer(pod(['app']), '')).toBe('app');
    expect(chooseContainer(pod(['app'], ['setup']), 'setup')).toBe('setup');
    expect(message(() => chooseContainer(pod(['app']), 'db'))).toBe('400 container db is not valid for pod web');
  });

  it('lists init containers first when asking for a name, as Kubernetes does', () => {
    expect(containerNames(pod(['a', 'b'], ['init']))).toEqual(['init', 'a', 'b']);
    expect(message(() => chooseContainer(pod(['a', 'b'], ['init']), ''))).toBe('400 a container name must be specified for pod web, choose one of: [init a b]');
  });
});

describe('node agent failures', () => {
  it('words dial errors as Go does', () => {
    const endpoint = { host: '127.0.0.1', port: 10250 };
    expect(dialErrorMessage(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), endpoint)).toBe('dial tcp 127.0.0.1:10250: connect: connection refused');
    expect(dialErrorMessage(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), { host: 'node-a', port: 1 })).toBe('dial tcp: lookup node-a: no such host');
    expect(dialErrorMessage(new Error('socket hang up'), endpoint)).toBe('socket hang up');
  });

  it('keeps the agent\'s message and code', () => {
    expect(nodeAgentError(400, 'container "c" is waiting to start\n').toStatus()).toMatchObject({ code: 400, reason: 'BadRequest', message: 'container "c" is waiting to start' });
    expect(nodeAgentError(404, '').toStatus()).toMatchObject({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
    expect(nodeAgentError(500, 'boom').toStatus()).toMatchObject({ code: 500, reason: 'InternalError', message: 'Internal error occurred: boom' });
    const other = nodeAgentError(503, '').toStatus();
    expect(other).toMatchObject({ code: 503, message: 'the node agent answered with the status code 503' });
    expect(other.reason).toBeUndefined();
  });
});
