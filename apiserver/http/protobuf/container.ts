/**
 * core/v1 Container and what it holds (k8s.io/api/core/v1/generated.proto): ports, environment,
 * resources, volume mounts, probes, lifecycle hooks and security context, plus the small
 * reference and selector messages volumes share with them.
 */
import { always, bool, defineMessage, inline, int32, int64, list, map, msg, str } from './descriptor';
import { IntOrString, Quantity } from './meta';

const core = 'k8s.io.api.core.v1.';

// --- references and selectors ---------------------------------------------------------------

export const LocalObjectReference = defineMessage(`${core}LocalObjectReference`, {
  name: str(1),
});

export const ObjectFieldSelector = defineMessage(`${core}ObjectFieldSelector`, {
  apiVersion: str(1),
  fieldPath: always(str(2)),
});

export const ResourceFieldSelector = defineMessage(`${core}ResourceFieldSelector`, {
  containerName: str(1),
  resource: always(str(2)),
  divisor: msg(3, Quantity),
});

export const KeyToPath = defineMessage(`${core}KeyToPath`, {
  key: always(str(1)),
  path: always(str(2)),
  mode: always(int32(3)),
});

// --- environment ------------------------------------------------------------------------------

export const ConfigMapKeySelector = defineMessage(`${core}ConfigMapKeySelector`, {
  localObjectReference: inline(1, LocalObjectReference),
  key: always(str(2)),
  optional: always(bool(3)),
});

export const SecretKeySelector = defineMessage(`${core}SecretKeySelector`, {
  localObjectReference: inline(1, LocalObjectReference),
  key: always(str(2)),
  optional: always(bool(3)),
});

export const EnvVarSource = defineMessage(`${core}EnvVarSource`, {
  fieldRef: msg(1, ObjectFieldSelector),
  resourceFieldRef: msg(2, ResourceFieldSelector),
  configMapKeyRef: msg(3, ConfigMapKeySelector),
  secretKeyRef: msg(4, SecretKeySelector),
});

export const EnvVar = defineMessage(`${core}EnvVar`, {
  name: always(str(1)),
  value: str(2),
  valueFrom: msg(3, EnvVarSource),
});

const ConfigMapEnvSource = defineMessage(`${core}ConfigMapEnvSource`, {
  localObjectReference: inline(1, LocalObjectReference),
  optional: always(bool(2)),
});

const SecretEnvSource = defineMessage(`${core}SecretEnvSource`, {
  localObjectReference: inline(1, LocalObjectReference),
  optional: always(bool(2)),
});

export const EnvFromSource = defineMessage(`${core}EnvFromSource`, {
  prefix: str(1),
  configMapRef: msg(2, ConfigMapEnvSource),
  secretRef: msg(3, SecretEnvSource),
});

// --- ports, resources, mounts ---------------------------------------------------------------

export const ContainerPort = defineMessage(`${core}ContainerPort`, {
  name: str(1),
  hostPort: int32(2),
  containerPort: always(int32(3)),
  protocol: str(4),
  hostIP: str(5),
});

const ResourceClaim = defineMessage(`${core}ResourceClaim`, {
  name: always(str(1)),
  request: str(2),
});

export const ResourceRequirements = defineMessage(`${core}ResourceRequirements`, {
  limits: map(1, Quantity),
  requests: map(2, Quantity),
  claims: list(3, ResourceClaim),
});

const ContainerResizePolicy = defineMessage(`${core}ContainerResizePolicy`, {
  resourceName: always(str(1)),
  restartPolicy: always(str(2)),
});

const VolumeMount = defineMessage(`${core}VolumeMount`, {
  name: always(str(1)),
  readOnly: bool(2),
  recursiveReadOnly: always(str(7)),
  mountPath: always(str(3)),
  subPath: str(4),
  mountPropagation: always(str(5)),
  subPathExpr: str(6),
});

const VolumeDevice = defineMessage(`${core}VolumeDevice`, {
  name: always(str(1)),
  devicePath: always(str(2)),
});

// --- probes and lifecycle -------------------------------------------------------------------

const ExecAction = defineMessage(`${core}ExecAction`, {
  command: list(1, 'string'),
});

const HTTPHeader = defineMessage(`${core}HTTPHeader`, {
  name: always(str(1)),
  value: always(str(2)),
});

const HTTPGetAction = defineMessage(`${core}HTTPGetAction`, {
  path: str(1),
  port: always(msg(2, IntOrString)),
  host: str(3),
  scheme: str(4),
  httpHeaders: list(5, HTTPHeader),
});

const TCPSocketAction = defineMessage(`${core}TCPSocketAction`, {
  port: always(msg(1, IntOrString)),
  host: str(2),
});

const GRPCAction = defineMessage(`${core}GRPCAction`, {
  port: always(int32(1)),
  service: always(str(2)),
});

const ProbeHandler = defineMessage(`${core}ProbeHandler`, {
  exec: msg(1, ExecAction),
  httpGet: msg(2, HTTPGetAction),
  tcpSocket: msg(3, TCPSocketAction),
  grpc: msg(4, GRPCAction),
});

const Probe = defineMessage(`${core}Probe`, {
  handler: inline(1, ProbeHandler),
  initialDelaySeconds: int32(2),
  timeoutSeconds: int32(3),
  periodSeconds: int32(4),
  successThreshold: int32(5),
  failureThreshold: int32(6),
  terminationGracePeriodSeconds: always(int64(7)),
});

const SleepAction = defineMessage(`${core}SleepAction`, {
  seconds: always(int64(1)),
});

const LifecycleHandler = defineMessage(`${core}LifecycleHandler`, {
  exec: msg(1, ExecAction),
  httpGet: msg(2, HTTPGetAction),
  tcpSocket: msg(3, TCPSocketAction),
  sleep: msg(4, SleepAction),
});

const Lifecycle = defineMessage(`${core}Lifecycle`, {
  postStart: msg(1, LifecycleHandler),
  preStop: msg(2, LifecycleHandler),
});

// --- security context -----------------------------------------------------------------------

const Capabilities = defineMessage(`${core}Capabilities`, {
  add: list(1, 'string'),
  drop: list(2, 'string'),
});

export const SELinuxOptions = defineMessage(`${core}SELinuxOptions`, {
  user: str(1),
  role: str(2),
  type: str(3),
  level: str(4),
});

export const WindowsSecurityContextOptions = defineMessage(`${core}WindowsSecurityContextOptions`, {
  gmsaCredentialSpecName: always(str(1)),
  gmsaCredentialSpec: always(str(2)),
  runAsUserName: always(str(3)),
  hostProcess: always(bool(4)),
});

export const SeccompProfile = defineMessage(`${core}SeccompProfile`, {
  type: always(str(1)),
  localhostProfile: always(str(2)),
});

export const AppArmorProfile = defineMessage(`${core}AppArmorProfile`, {
  type: always(str(1)),
  localhostProfile: always(str(2)),
});

const SecurityContext = defineMessage(`${core}SecurityContext`, {
  capabilities: msg(1, Capabilities),
  privileged: always(bool(2)),
  seLinuxOptions: msg(3, SELinuxOptions),
  windowsOptions: msg(10, WindowsSecurityContextOptions),
  runAsUser: always(int64(4)),
  runAsGroup: always(int64(8)),
  runAsNonRoot: always(bool(5)),
  readOnlyRootFilesystem: always(bool(6)),
  allowPrivilegeEscalation: always(bool(7)),
  procMount: always(str(9)),
  seccompProfile: msg(11, SeccompProfile),
  appArmorProfile: msg(12, AppArmorProfile),
});

// --- the container --------------------------------------------------------------------------

export const Container = defineMessage(`${core}Container`, {
  name: always(str(1)),
  image: str(2),
  command: list(3, 'string'),
  args: list(4, 'string'),
  workingDir: str(5),
  ports: list(6, ContainerPort),
  envFrom: list(19, EnvFromSource),
  env: list(7, EnvVar),
  resources: msg(8, ResourceRequirements),
  resizePolicy: list(23, ContainerResizePolicy),
  restartPolicy: always(str(24)),
  volumeMounts: list(9, VolumeMount),
  volumeDevices: list(21, VolumeDevice),
  livenessProbe: msg(10, Probe),
  readinessProbe: msg(11, Probe),
  startupProbe: msg(22, Probe),
  lifecycle: msg(12, Lifecycle),
  terminationMessagePath: str(13),
  terminationMessagePolicy: str(20),
  imagePullPolicy: str(14),
  securityContext: msg(15, SecurityContext),
  stdin: bool(16),
  stdinOnce: bool(17),
  tty: bool(18),
});
