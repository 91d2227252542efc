/**
 * One run of a probe (the kubelet's prober): exec runs the command in the container (success on
 * exit code 0), httpGet asks http(s)://<pod IP>:<port><path> (success on 200-399), tcpSocket
 * opens a connection; each gives up after timeoutSeconds. A runtime that has no real network
 * (the fake one) answers network probes itself.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { Container } from '../../api/kinds/core/container';
import type { Probe } from '../../api/kinds/core/probe';
import type { ContainerRuntime } from '../runtime/interface';

export type ProbeResult = 'success' | 'failure';

export interface ProbeTarget {
  readonly runtime: ContainerRuntime;
  readonly containerId: string;
  readonly container: Container;
  /** The pod's IP (the host's for hostNetwork pods). */
  readonly podIP: string | undefined;
}

/** A runtime that answers network probes itself (no real pod network). */
export interface NetworkProbingRuntime {
  probeNetwork(containerId: string, port: number): boolean;
}

export function answersNetworkProbes(runtime: ContainerRuntime): runtime is ContainerRuntime & NetworkProbingRuntime {
  return typeof (runtime as Partial<NetworkProbingRuntime>).probeNetwork === 'function';
}

const discard = () => new Writable({ write: (_c, _e, cb) => cb() });

export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.exec) {
      const signal = AbortSignal.timeout(timeoutMs);
      const session = await target.runtime.exec(target.containerId, probe.exec.command ?? [], { tty: false, stdout: discard(), stderr: discard(), signal, timeoutMs });
      const code = await Promise.race([session.exitCode, new Promise<number>((resolve) => signal.addEventListener('abort', () => resolve(-1), { once: true }))]);
      return code === 0 ? 'success' : 'failure';
    }
    const action = probe.httpGet ?? probe.tcpSocket;
    if (!action) return 'success';
    const port = resolvePort(action.port, target.container);
    if (port === undefined) return 'failure';
    if (answersNetworkProbes(target.runtime)) return target.runtime.probeNetwork(target.containerId, port) ? 'success' : 'failure';
    const host = action.host || target.podIP;
    if (!host) return 'failure';
    if (probe.httpGet) return await httpProbe(probe.httpGet.scheme === 'HTTPS', host, port, probe.httpGet.path ?? '/', probe.httpGet.httpHeaders ?? [], timeoutMs);
    return await tcpProbe(host, port, timeoutMs);
  } catch {
    return 'failure';
  }
}

/** A port number, or a named port of the container. */
export function resolvePort(port: string | number | undefined, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function httpProbe(https: boolean, host: string, port: number, path: string, headers: readonly { name: string; value: string }[], timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = (https ? httpsRequest : httpRequest)(
      { host, port, path, method: 'GET', timeout: timeoutMs, headers: { 'User-Agent': 'kube-probe/1.32', ...Object.fromEntries(headers.map((h) => [h.name, h.value])) }, ...(https ? { rejectUnauthorized: false } : {}) },
      (res) => {
        res.resume();
        resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400 ? 'success' : 'failure');
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('failure'));
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve('success');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('failure');
    });
    socket.once('error', () => resolve('failure'));
  });
}
