import { admit, causesOf, websiteManifests } from '../testing';
import { Binding, initialPodStatus, podKind, validateBinding, type Pod } from './pod';

/** The update path: the new object is decoded and defaulted, then validated against the old. */
function update(old: Pod, change: (pod: Pod) => void): Pod {
  const next = structuredClone(old);
  change(next);
  return admit(podKind, next, old);
}

const meta = { name: 'web', namespace: 'default' };

describe('Pod', () => {
  it('defaults a realistic pod as Kubernetes does', () => {
    const pod = admit(podKind, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...meta, labels: { app: 'web' } },
      spec: {
        serviceAccount: 'builder',
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80, name: 'http' }],
            env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
            readinessProbe: { httpGet: { port: 'http' } },
            livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 0 },
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
          },
          { name: 'sidecar', image: 'busybox', command: ['sleep', 'infinity'] },
        ],
        volumes: [{ name: 'cache', emptyDir: {} }],
      },
    });
    const [nginx, sidecar] = pod.spec!.containers;
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: 'builder',
      serviceAccount: 'builder',
    });
    expect(nginx).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      readinessProbe: { httpGet: { port: 'http', path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      livenessProbe: { periodSeconds: 10 },
    });
    expect(nginx!.env![0]!.valueFrom!.fieldRef!.apiVersion).toBe('v1');
    expect(sidecar).toMatchObject({ imagePullPolicy: 'Always', resources: {} });
  });

  it('accepts every Pod manifest of the Kubernetes website', () => {
    let pods = 0;
    for (const { doc } of websiteManifests(podKind)) {
      expect(() => admit(podKind, doc)).not.toThrow();
      pods++;
    }
    expect(pods).toBeGreaterThanOrEqual(10);
  });

  it('rejects wrong types with 400 and unknown fields by path', () => {
    const body = (container: Record<string, unknown>) => ({ metadata: meta, spec: { containers: [{ name: 'c', image: 'nginx', ...container }] } });
    expect(() => admit(podKind, body({ ports: [{ containerPort: '80' }] }))).toThrow(
      expect.objectContaining({ code: 400, message: expect.stringContaining('spec.containers[0].ports[0].containerPort') }),
    );
    expect(() => admit(podKind, body({ resources: { limits: { cpu: 'lots' } } }))).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => admit(podKind, body({ imagePullPolicyy: 'Always' }))).toThrow('strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"');
  });

  it('reports schema violations as 422 with Kubernetes field paths', () => {
    expect(causesOf(() => admit(podKind, { metadata: meta, spec: { containers: [{ image: 'nginx' }], restartPolicy: 'Sometimes' } }))).toEqual([
      'spec.containers[0].name: Required value',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
    expect(causesOf(() => admit(podKind, { metadata: meta, spec: {} }))).toEqual(['spec.containers: Required value']);
  });

  it('validates containers beyond the schema', () => {
    const errs = causesOf(() =>
      admit(podKind, {
        metadata: meta,
        spec: {
          initContainers: [{ name: 'web', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } }],
          containers: [
            { name: 'web', ports: [{ containerPort: 70000 }], volumeMounts: [{ name: 'missing', mountPath: '/data' }] },
            { name: 'Bad_Name', image: 'nginx', resources: { limits: { cpu: '1' }, requests: { cpu: '2' } } },
          ],
        },
      }),
    );
    expect(errs).toEqual(
      expect.arrayContaining([
        'spec.containers[0].image: Required value',
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
        expect.stringMatching(/^spec\.containers\[1\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/),
        'spec.containers[1].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
        'spec.initContainers[0].name: Duplicate value: "web"',
        'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ]),
    );
  });

  it('forbids ephemeral containers and a node with scheduling gates on create', () => {
    const spec = {
      nodeName: 'node-1',
      schedulingGates: [{ name: 'example.com/wait' }],
      containers: [{ name: 'c', image: 'nginx' }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'c' }],
    };
    expect(causesOf(() => admit(podKind, { metadata: meta, spec }))).toEqual([
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
      'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared',
    ]);
  });

  describe('updates', () => {
    const base = () =>
      admit(podKind, {
        metadata: meta,
        spec: {
          containers: [{ name: 'c', image: 'nginx:1.26' }],
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
          schedulingGates: [{ name: 'example.com/one' }, { name: 'example.com/two' }],
          activeDeadlineSeconds: 600,
          nodeSelector: { disk: 'ssd' },
        },
      });

    it('allows images, lower deadlines, added tolerations, removed gates and gated node selector additions', () => {
      const pod = update(base(), (p) => {
        p.spec!.containers[0]!.image = 'nginx:1.27';
        p.spec!.initContainers![0]!.image = 'busybox:1.37';
        p.spec!.activeDeadlineSeconds = 300;
        p.spec!.tolerations = [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { key: 'b', operator: 'Exists' }];
        p.spec!.schedulingGates = [{ name: 'example.com/two' }];
        p.spec!.nodeSelector = { disk: 'ssd', zone: 'a' };
      });
      expect(pod.spec!.containers[0]!.image).toBe('nginx:1.27');
    });

    it('forbids any other change of the spec', () => {
      const errs = causesOf(() => update(base(), (p) => (p.spec!.nodeName = 'node-1')));
      expect(errs).toHaveLength(1);
      expect(errs[0]).toMatch(
        /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
      );
      expect(errs[0]).toContain('spec.nodeName: null -> "node-1"');
    });

    it('checks the updatable fields themselves', () => {
      expect(causesOf(() => update(base(), (p) => (p.spec!.activeDeadlineSeconds = 900)))).toEqual([
        'spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value',
      ]);
      expect(causesOf(() => update(base(), (p) => (p.spec!.tolerations = [])))).toEqual([
        'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
      ]);
      expect(causesOf(() => update(base(), (p) => p.spec!.schedulingGates!.push({ name: 'example.com/three' })))).toEqual([
        "spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/three'",
      ]);
      expect(causesOf(() => update(base(), (p) => p.spec!.containers.push({ name: 'd', image: 'x' })))).toEqual([
        'spec.containers: Forbidden: pod updates may not add or remove containers',
      ]);
      expect(causesOf(() => update(base(), (p) => (p.spec!.nodeSelector = { disk: 'hdd' })))[0]).toBe(
        'spec.nodeSelector: Invalid value: {"disk":"hdd"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)',
      );
    });

    it('lets a negative grace period become 1', () => {
      const old = base();
      old.spec!.terminationGracePeriodSeconds = -1;
      expect(() => update(old, (p) => (p.spec!.terminationGracePeriodSeconds = 1))).not.toThrow();
      expect(() => update(old, (p) => (p.spec!.terminationGracePeriodSeconds = 2))).toThrow('pod updates may not change fields');
    });

    it('accepts status updates that leave the spec alone and keeps pod IPs in step', () => {
      const old = base();
      const pod = update(old, (p) => (p.status = { phase: 'Running', podIP: '10.0.0.5', hostIP: '192.168.1.2', conditions: [{ type: 'Ready', status: 'True' }] }));
      expect(pod.status).toMatchObject({ podIPs: [{ ip: '10.0.0.5' }], hostIPs: [{ ip: '192.168.1.2' }] });
      expect(causesOf(() => update(old, (p) => (p.status = { podIPs: [{ ip: 'not-an-ip' }] })))).toEqual([
        'status.podIPs[0]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ]);
    });
  });

  it('selects by the fields Kubernetes supports', () => {
    const pod = admit(podKind, { metadata: meta, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } });
    pod.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.9' }] };
    const fields = podKind.selectableFields!;
    expect(Object.fromEntries(Object.entries(fields).map(([k, get]) => [k, get(pod)]))).toEqual({
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.9',
      'status.nominatedNodeName': '',
    });
  });

  it('gives a new pod phase Pending and its QoS class', () => {
    const pod = admit(podKind, {
      metadata: meta,
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
    });
    expect(initialPodStatus(pod)).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
    // Before defaulting too: requests are taken from limits first.
    const raw = { spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } } as Pod;
    expect(initialPodStatus(raw).qosClass).toBe('Guaranteed');
    expect(raw.spec!.containers[0]!.resources!.requests).toBeUndefined();
  });
});

describe('Binding', () => {
  it('is a named object type with a required target', () => {
    expect(Binding.node).toMatchObject({ name: 'io.k8s.api.core.v1.Binding', required: ['target'] });
    expect(validateBinding({ target: { kind: 'Node', name: 'n1' } })).toEqual([]);
    expect(validateBinding({ target: { kind: 'Pod' } }).map((e) => e.field)).toEqual(['target.kind', 'target.name']);
  });
});
