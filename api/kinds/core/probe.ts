/** core/v1 probes and lifecycle hooks: Probe, the handler actions, Lifecycle. */
import * as s from '../../schema/schema';

export const ExecAction = s.object('io.k8s.api.core.v1.ExecAction', 'ExecAction describes a "run in container" action.', {
  command: s.array(
    s.string(),
    "Command is the command line to execute inside the container, the working directory for the command is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.",
    { listType: 'atomic' },
  ),
});
export type ExecAction = s.Static<typeof ExecAction>;

export const HTTPHeader = s.object(
  'io.k8s.api.core.v1.HTTPHeader',
  'HTTPHeader describes a custom header to be used in HTTP probes',
  {
    name: s.string('The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.'),
    value: s.string('The header field value'),
  },
  { required: ['name', 'value'] },
);
export type HTTPHeader = s.Static<typeof HTTPHeader>;

export const HTTPGetAction = s.object(
  'io.k8s.api.core.v1.HTTPGetAction',
  'HTTPGetAction describes an action based on HTTP Get requests.',
  {
    host: s.string('Host name to connect to, defaults to the pod IP. You probably want to set "Host" in httpHeaders instead.'),
    httpHeaders: s.array(HTTPHeader, 'Custom headers to set in the request. HTTP allows repeated headers.', { listType: 'atomic' }),
    path: s.string('Path to access on the HTTP server.', { default: '/' }),
    port: s.intOrString('Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
    scheme: s.enumOf(['HTTP', 'HTTPS'], 'Scheme to use for connecting to the host. Defaults to HTTP.', { default: 'HTTP' }),
  },
  { required: ['port'] },
);
export type HTTPGetAction = s.Static<typeof HTTPGetAction>;

export const TCPSocketAction = s.object(
  'io.k8s.api.core.v1.TCPSocketAction',
  'TCPSocketAction describes an action based on opening a socket',
  {
    host: s.string('Optional: Host name to connect to, defaults to the pod IP.'),
    port: s.intOrString('Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
  },
  { required: ['port'] },
);
export type TCPSocketAction = s.Static<typeof TCPSocketAction>;

export const GRPCAction = s.object(
  'io.k8s.api.core.v1.GRPCAction',
  'GRPCAction specifies an action involving a GRPC service.',
  {
    port: s.int32('Port number of the gRPC service. Number must be in the range 1 to 65535.'),
    service: s.string(
      'Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md). If this is not specified, the default behavior is defined by gRPC.',
      { default: '' },
    ),
  },
  { required: ['port'] },
);
export type GRPCAction = s.Static<typeof GRPCAction>;

export const SleepAction = s.object(
  'io.k8s.api.core.v1.SleepAction',
  'SleepAction describes a "sleep" action.',
  { seconds: s.int64('Seconds is the number of seconds to sleep.') },
  { required: ['seconds'] },
);
export type SleepAction = s.Static<typeof SleepAction>;

export const Probe = s.object(
  'io.k8s.api.core.v1.Probe',
  'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
  {
    exec: ExecAction.doc('Exec specifies a command to execute in the container.'),
    failureThreshold: s.int32('Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.', { default: 3 }),
    grpc: GRPCAction.doc('GRPC specifies a GRPC HealthCheckRequest.'),
    httpGet: HTTPGetAction.doc('HTTPGet specifies an HTTP GET request to perform.'),
    initialDelaySeconds: s.int32('Number of seconds after the container has started before liveness probes are initiated.'),
    periodSeconds: s.int32('How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.', { default: 10 }),
    successThreshold: s.int32(
      'Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.',
      { default: 1 },
    ),
    tcpSocket: TCPSocketAction.doc('TCPSocket specifies a connection to a TCP port.'),
    terminationGracePeriodSeconds: s.int64(
      'Optional duration in seconds the pod needs to terminate gracefully upon probe failure. If this value is nil, the pod\'s terminationGracePeriodSeconds will be used. Otherwise, this value overrides the value provided by the pod spec.',
    ),
    timeoutSeconds: s.int32('Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1.', { default: 1 }),
  },
);
export type Probe = s.Static<typeof Probe>;

export const LifecycleHandler = s.object(
  'io.k8s.api.core.v1.LifecycleHandler',
  'LifecycleHandler defines a specific action that should be taken in a lifecycle hook. One and only one of the fields, except TCPSocket must be specified.',
  {
    exec: ExecAction.doc('Exec specifies a command to execute in the container.'),
    httpGet: HTTPGetAction.doc('HTTPGet specifies an HTTP GET request to perform.'),
    sleep: SleepAction.doc('Sleep represents a duration that the container should sleep.'),
    tcpSocket: TCPSocketAction.doc(
      'Deprecated. TCPSocket is NOT supported as a LifecycleHandler and kept for backward compatibility. There is no validation of this field and lifecycle hooks will fail at runtime when it is specified.',
    ),
  },
);
export type LifecycleHandler = s.Static<typeof LifecycleHandler>;

export const Lifecycle = s.object(
  'io.k8s.api.core.v1.Lifecycle',
  'Lifecycle describes actions that the management system should take in response to container lifecycle events. For the PostStart and PreStop lifecycle handlers, management of the container blocks until the action is complete.',
  {
    postStart: LifecycleHandler.doc(
      'PostStart is called immediately after a container is created. If the handler fails, the container is terminated and restarted according to its restart policy.',
    ),
    preStop: LifecycleHandler.doc(
      "PreStop is called immediately before a container is terminated due to an API request or management event such as liveness/startup probe failure, preemption, resource contention, etc. The container's termination grace period countdown begins before the PreStop hook is executed.",
    ),
  },
);
export type Lifecycle = s.Static<typeof Lifecycle>;
