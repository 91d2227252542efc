import type { Node } from '../api/kinds/core/node';
import {
  chooseSubprotocol,
  closeFrame,
  containerLogsQuery,
  containerPath,
  execOptionsError,
  execQuery,
  exitCodeOf,
  exitStatus,
  failureStatus,
  frame,
  nodeAgentEndpoint,
  nodeAgentUrl,
  parseContainerLogsQuery,
  parseContainerPath,
  parseExecQuery,
  parseFrame,
  parseTerminalSize,
} from './nodeAgent';

function node(addresses: { type: string; address: string }[], port?: number): Node {
  return { metadata: { name: 'n1' }, status: { addresses, ...(port !== undefined ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) } };
}

describe('where a node agent listens', () => {
  it('prefers the InternalIP, then the Hostname, at the advertised kubelet port (10250 by default)', () => {
    expect(nodeAgentEndpoint(node([{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.0.0.5' }], 4321))).toEqual({ host: '10.0.0.5', port: 4321 });
    expect(nodeAgentEndpoint(node([{ type: 'ExternalIP', address: '1.2.3.4' }, { type: 'Hostname', address: 'n1' }]))).toEqual({ host: 'n1', port: 10250 });
    expect(nodeAgentEndpoint(node([], 0))).toEqual({ error: 'no preferred addresses found; known addresses: []' });
  });

  it('builds URLs, with IPv6 hosts in brackets', () => {
    const q = new URLSearchParams({ follow: 'true' });
    expect(nodeAgentUrl({ host: '127.0.0.1', port: 80 }, '/containerLogs/a/b/c', q)).toBe('http://127.0.0.1:80/containerLogs/a/b/c?follow=true');
    expect(nodeAgentUrl({ host: '::1', port: 80 }, '/exec/a/b/c', new URLSearchParams(), 'ws')).toBe('ws://[::1]:80/exec/a/b/c');
  });
});

describe('paths and queries', () => {
  it('round-trips container paths, escaping names', () => {
    const path = containerPath('exec', { namespace: 'ns', pod: 'web-0', container: 'a b' });
    expect(path).toBe('/exec/ns/web-0/a%20b');
    expect(parseContainerPath(`${path}?command=ls`)).toEqual({ endpoint: 'exec', ref: { namespace: 'ns', pod: 'web-0', container: 'a b' } });
    expect(parseContainerPath('/containerLogs/ns/pod')).toBeUndefined();
    expect(parseContainerPath('/portForward/ns/pod/c')).toBeUndefined();
  });

  it('sends log options as Kubernetes does and reads them back', () => {
    const options = { follow: true, previous: false, timestamps: true, tailLines: 10, sinceSeconds: 60, limitBytes: 500 };
    const query = containerLogsQuery(options);
    expect(query.toString()).toBe('follow=true&timestamps=true&sinceSeconds=60&tailLines=10&limitBytes=500');
    expect(parseContainerLogsQuery(query)).toEqual(options);
    expect(() => parseContainerLogsQuery(new URLSearchParams('tailLines=ten'))).toThrow('tailLines: invalid integer "ten"');
  });

  it('sends exec flags as the kubelet reads them, and reads either form back', () => {
    const options = { command: ['sh', '-c', 'echo hi'], stdin: true, stdout: true, stderr: true, tty: false };
    const query = execQuery(options);
    expect(query.toString()).toBe('stdin=1&stdout=1&stderr=1&command=sh&command=-c&command=echo+hi');
    expect(parseExecQuery(query)).toEqual(options);
    // A terminal merges stderr into stdout.
    expect(parseExecQuery(new URLSearchParams('command=sh&stdout=true&stderr=true&tty=true'))).toMatchObject({ stdout: true, stderr: false, tty: true });
  });

  it('checks exec options as the kubelet does', () => {
    expect(execOptionsError({ command: ['ls'], stdin: false, stdout: false, stderr: false, tty: false })).toBe('you must specify at least 1 of stdin, stdout, stderr');
    expect(execOptionsError({ command: [], stdin: false, stdout: true, stderr: false, tty: false })).toBe('you must specify at least one command for the container');
    expect(execOptionsError({ command: ['ls'], stdin: false, stdout: true, stderr: false, tty: false })).toBeUndefined();
  });
});

describe('the exec stream protocol', () => {
  it('prefers v5, then v4, among what the client offers', () => {
    expect(chooseSubprotocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'])).toBe('v5.channel.k8s.io');
    expect(chooseSubprotocol(['v4.channel.k8s.io', 'channel.k8s.io'])).toBe('v4.channel.k8s.io');
    expect(chooseSubprotocol(['base64.channel.k8s.io'])).toBeUndefined();
  });

  it('frames data by channel', () => {
    expect(frame(1, 'hi')).toEqual(Buffer.from([1, 104, 105]));
    expect(closeFrame(0)).toEqual(Buffer.from([255, 0]));
    expect(parseFrame(Buffer.from([2, 120]))).toEqual({ channel: 2, data: Buffer.from('x') });
    expect(parseFrame(Buffer.alloc(0))).toBeUndefined();
    expect(parseTerminalSize(Buffer.from('{"Width":80,"Height":24}'))).toEqual({ Width: 80, Height: 24 });
    expect(parseTerminalSize(Buffer.from('80x24'))).toBeUndefined();
  });

  it('words exit statuses as kubectl reads them', () => {
    expect(exitStatus(0)).toEqual({ metadata: {}, status: 'Success' });
    const failed = exitStatus(3, ['false']);
    expect(failed).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    expect([exitCodeOf(exitStatus(0)), exitCodeOf(failed), exitCodeOf(failureStatus('no such container'))]).toEqual([0, 3, undefined]);
  });
});
