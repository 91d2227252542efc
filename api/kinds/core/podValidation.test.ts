import { errorMessage } from '../../field/errors';
import { applyDefaults } from '../../schema/walk';
import type { Container } from './container';
import { defaultPodSpec } from './podDefaults';
import { PodSpec, type PodTemplateSpec } from './podSpec';
import { validatePodSpec, validatePodTemplateSpec } from './podValidation';

/** A defaulted spec (schema defaults, then computed ones), as validation sees it. */
function spec(partial: Partial<PodSpec> & { containers?: Container[] }): PodSpec {
  const s = { containers: [{ name: 'app', image: 'nginx' }], ...structuredClone(partial) } as PodSpec;
  applyDefaults(PodSpec, s);
  defaultPodSpec(s);
  return s;
}

function errors(partial: Partial<PodSpec>, path = 'spec', isPod = true): string[] {
  return validatePodSpec(spec(partial), path, { isPod }).map(errorMessage);
}

function withContainer(c: Partial<Container>, rest: Partial<PodSpec> = {}): string[] {
  return errors({ containers: [{ name: 'app', image: 'nginx', ...c }], ...rest });
}

describe('validatePodSpec', () => {
  it('accepts a plain spec', () => {
    expect(errors({})).toEqual([]);
  });

  it('requires at least one container and unique names across init containers', () => {
    expect(errors({ containers: [] })).toEqual(['spec.containers: Required value']);
    expect(errors({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'x' }], initContainers: [{ name: 'a', image: 'x' }] })).toEqual([
      'spec.containers[1].name: Duplicate value: "a"',
      'spec.initContainers[0].name: Duplicate value: "a"',
    ]);
  });

  it('checks ports: numbers, names, duplicates, host port conflicts', () => {
    expect(
      errors({
        containers: [
          { name: 'a', image: 'x', ports: [{ containerPort: 80, name: 'http', hostPort: 8080 }, { containerPort: 81, name: 'http' }, { containerPort: 82, name: 'Not_Valid' }] },
          { name: 'b', image: 'x', ports: [{ containerPort: 90, hostPort: 8080 }] },
        ],
      }),
    ).toEqual([
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
      'spec.containers[0].ports[2].name: Invalid value: "Not_Valid": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
    ]);
  });

  it('requires host ports to match container ports under hostNetwork on pods, not templates', () => {
    const s: Partial<PodSpec> = { hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }] };
    expect(errors(s)).toEqual(['spec.containers[0].ports[0].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true']);
    expect(errors(s, 'spec.template.spec', false)).toEqual([]);
  });

  it('checks environment variables and their sources', () => {
    expect(
      withContainer({
        env: [
          { name: 'A=B', value: 'x' },
          { name: 'BOTH', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          { name: 'NONE', valueFrom: {} },
          { name: 'FIELD', valueFrom: { fieldRef: { fieldPath: 'spec.restartPolicy' } } },
          { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1Mi' } } },
        ],
        envFrom: [{ prefix: 'P_' }, { configMapRef: { name: 'cm' } }],
      }),
    ).toEqual([
      "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
      'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      'spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.restartPolicy": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      'spec.containers[0].env[5].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource',
      'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]);
  });

  it('checks volume mounts and devices against the volumes', () => {
    expect(
      withContainer(
        {
          volumeMounts: [
            { name: 'data', mountPath: '/data', subPath: '../escape' },
            { name: 'data', mountPath: '/data' },
            { name: 'nope', mountPath: '/nope', mountPropagation: 'Bidirectional' },
            { name: 'data', mountPath: '/ro', recursiveReadOnly: 'Enabled' },
          ],
          volumeDevices: [{ name: 'data', devicePath: '/dev/xvda' }],
        },
        { volumes: [{ name: 'data', emptyDir: {} }] },
      ),
    ).toEqual([
      'spec.containers[0].volumeMounts[0].name: Invalid value: "data": must not already exist in volumeDevices',
      'spec.containers[0].volumeMounts.subPath: Invalid value: "../escape": must not contain \'..\'',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
      'spec.containers[0].volumeMounts[1].name: Invalid value: "data": must not already exist in volumeDevices',
      'spec.containers[0].volumeMounts[2].name: Not found: "nope"',
      'spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers',
      'spec.containers[0].volumeMounts[3].name: Invalid value: "data": must not already exist in volumeDevices',
      'spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true',
      'spec.containers[0].volumeDevices[0].name: Invalid value: "data": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode',
      'spec.containers[0].volumeDevices[0].name: Invalid value: "data": must not already exist in volumeMounts',
    ]);
  });

  it('requires exactly one probe handler and probe-specific thresholds', () => {
    expect(
      withContainer({
        livenessProbe: { successThreshold: 2, exec: { command: ['true'] } },
        readinessProbe: { exec: { command: ['true'] }, httpGet: { port: 80 }, terminationGracePeriodSeconds: 5 },
        startupProbe: { initialDelaySeconds: -1 },
      }),
    ).toEqual([
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
      'spec.containers[0].startupProbe: Required value: must specify a handler type',
      'spec.containers[0].startupProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('checks lifecycle hooks, with sleep bounded by the grace period', () => {
    expect(withContainer({ lifecycle: { preStop: { sleep: { seconds: 60 } }, postStart: {} } })).toEqual([
      'spec.containers[0].lifecycle.postStart: Required value: must specify a handler type',
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.',
    ]);
  });

  it('allows probes and lifecycle on sidecars only, and restartPolicy on init containers only', () => {
    const probe = { exec: { command: ['true'] } };
    expect(errors({ initContainers: [{ name: 'side', image: 'x', restartPolicy: 'Always', startupProbe: probe, lifecycle: { preStop: probe } }] })).toEqual([]);
    expect(errors({ initContainers: [{ name: 'init', image: 'x', readinessProbe: probe }], containers: [{ name: 'a', image: 'x', restartPolicy: 'Always' }] })).toEqual([
      'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('checks resources: names, signs, requests against limits, extended resources', () => {
    expect(
      withContainer({
        resources: {
          limits: { memory: '1Gi', gpu: '1', 'example.com/gpu': '2' },
          requests: { memory: '2Gi', cpu: '-1', 'example.com/gpu': '1', 'example.com/fpga': '1.5' },
        },
      }),
    ).toEqual([
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2',
      'spec.containers[0].resources.requests[example.com/fpga]: Invalid value: "1.5": must be an integer',
      'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    ]);
    expect(withContainer({ resources: { limits: { 'hugepages-2Mi': '3Mi' } } })).toEqual([
      'spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
      'spec.containers[0].resources: Forbidden: HugePages require cpu or memory',
    ]);
  });

  it('checks resource claims against the pod claims', () => {
    expect(
      withContainer(
        { resources: { claims: [{ name: 'gpu' }, { name: 'gpu' }, { name: 'other' }] } },
        { resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }, { name: 'both', resourceClaimName: 'a', resourceClaimTemplateName: 'b' }] },
      ),
    ).toEqual([
      'spec.resourceClaims[1]: Invalid value: {"name":"both","resourceClaimName":"a","resourceClaimTemplateName":"b"}: at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified',
      'spec.containers[0].resources.claims[1]: Duplicate value: "gpu"',
      'spec.containers[0].resources.claims[2]: Invalid value: "other": must be one of the names in pod.spec.resourceClaims: both, gpu',
    ]);
  });

  it('checks security contexts', () => {
    expect(
      withContainer(
        {
          securityContext: {
            runAsUser: -1,
            allowPrivilegeEscalation: false,
            privileged: true,
            seccompProfile: { type: 'Localhost' },
            appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'x' },
          },
        },
        { hostPID: true, shareProcessNamespace: true, securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1' }, { name: 'Bad', value: '1' }] }, hostNetwork: true },
      ).filter((e) => !e.includes('hostPort')),
    ).toEqual([
      'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      'spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
      expect.stringMatching(/^spec\.containers\[0\]\.securityContext: Invalid value: .*: cannot set `allowPrivilegeEscalation` to false and `privileged` to true$/),
      'spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: "x": can only be set when AppArmor type is Localhost',
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
      "spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
      'spec.securityContext.sysctls[1].name: Invalid value: "Bad": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
    ]);
  });

  it('checks pod-level fields', () => {
    expect(
      errors({
        activeDeadlineSeconds: 0,
        dnsPolicy: 'None',
        hostname: 'Host',
        nodeSelector: { 'bad key!': 'v' },
        serviceAccountName: 'Bad',
        readinessGates: [{ conditionType: 'bad/type/x' }],
        schedulingGates: [{ name: 'g' }, { name: 'g' }],
        hostAliases: [{ ip: '10.0.0.300', hostnames: ['ok.example.com'] }],
        tolerations: [{ operator: 'Equal', value: 'x' }],
        os: { name: 'linux' },
        securityContext: { windowsOptions: { runAsUserName: 'x' } },
      }).map((e) => e.replace(/: (a lowercase|a qualified|name part).*$/, ': …')),
    ).toEqual([
      'spec.nodeSelector: Invalid value: "bad key!": …',
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      'spec.readinessGates[0].conditionType: Invalid value: "bad/type/x": …',
      'spec.schedulingGates[1]: Duplicate value: "g"',
      'spec.serviceAccountName: Invalid value: "Bad": …',
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      'spec.hostname: Invalid value: "Host": …',
      expect.stringMatching(/^spec\.tolerations\[0\]\.operator: Invalid value: "Equal": operator must be Exists when `key` is empty/),
      'spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'spec.securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod',
    ]);
  });

  it('checks ephemeral containers', () => {
    expect(
      errors({
        ephemeralContainers: [
          { name: 'app', image: 'busybox', targetContainerName: 'missing', ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'v', mountPath: '/v', subPath: 'x' }] },
        ],
        volumes: [{ name: 'v', emptyDir: {} }],
      }),
    ).toEqual([
      'spec.ephemeralContainers[0].name: Duplicate value: "app"',
      'spec.ephemeralContainers[0].targetContainerName: Not found: "missing"',
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });
});

describe('validatePodTemplateSpec', () => {
  const template = (t: Partial<PodTemplateSpec>): PodTemplateSpec => ({ ...t, spec: t.spec ? spec(t.spec) : undefined });

  it('validates labels at <path>.labels and the spec at <path>.spec', () => {
    expect(
      validatePodTemplateSpec(template({ metadata: { labels: { app: 'bad value' } }, spec: { containers: [{ name: 'c' }] } }), 'spec.template')
        .map(errorMessage)
        .map((e) => e.replace(/: a valid label.*$/, ': …')),
    ).toEqual(['spec.template.labels: Invalid value: "bad value": …', 'spec.template.spec.containers[0].image: Required value']);
  });

  it('requires a spec and forbids ephemeral containers', () => {
    expect(validatePodTemplateSpec({ metadata: {} }, 'spec.template').map(errorMessage)).toEqual(['spec.template.spec.containers: Required value']);
    const t = template({ spec: { containers: [{ name: 'c', image: 'x' }], ephemeralContainers: [{ name: 'd', image: 'x' }] } });
    expect(validatePodTemplateSpec(t, 'spec.template').map(errorMessage)).toEqual([
      'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
    ]);
  });
});
