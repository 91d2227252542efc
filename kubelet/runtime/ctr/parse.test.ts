import { parseDeleteExitCode, parseGoTime, parseImages, parseImportOutput, parseTasks, parseVersion } from './parse';
import { parseContainerInfo } from './records';

test('ctr tables are split at their header columns, cells may hold spaces', () => {
  const images = [
    'REF                         TYPE                                       DIGEST                                                                  SIZE    PLATFORMS   LABELS ',
    'marina.local/busybox:latest application/vnd.oci.image.manifest.v1+json sha256:2f6b0ffa5c800d55a22553504d14c8b87c275d50d20011b4008151008c7cdaad 2.0 MiB linux/amd64 -      ',
  ].join('\n');
  expect(parseImages(images)).toEqual([
    { ref: 'marina.local/busybox:latest', mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:2f6b0ffa5c800d55a22553504d14c8b87c275d50d20011b4008151008c7cdaad' },
  ]);
  expect(parseTasks('TASK    PID      STATUS    \nc2      13951    RUNNING\nc3      0        WEIRD\n')).toEqual([
    { id: 'c2', pid: 13951, status: 'RUNNING' },
    { id: 'c3', pid: 0, status: 'UNKNOWN' },
  ]);
  expect(parseTasks('')).toEqual([]);
});

test('exit codes, imports, versions and times', () => {
  expect(parseDeleteExitCode('time="2026-11-21T08:52:21Z" level=warning msg="task c2 exit with non-zero exit code 137"\n')).toBe(137);
  expect(parseDeleteExitCode('')).toBe(0);
  expect(parseImportOutput('unpacking marina.local/busybox:latest (sha256:' + 'a'.repeat(64) + ')...done\n')).toEqual([{ ref: 'marina.local/busybox:latest', digest: `sha256:${'a'.repeat(64)}` }]);
  expect(parseVersion('Client:\n  Version:  1.6.20~ds1\n\nServer:\n  Version:  1.6.21\n')).toBe('1.6.21');
  expect(parseGoTime('2026-11-21T08:51:51.772011475Z')!.toISOString()).toBe('2026-11-21T08:51:51.772Z');
  expect(parseGoTime('0001-01-01T00:00:00Z')).toBeUndefined();
  expect(parseGoTime(42)).toBeUndefined();
});

test('a container record comes from ctr containers info', () => {
  const info = JSON.stringify({ ID: 'abc', Labels: { a: 'b', n: 1 }, CreatedAt: '2026-11-21T08:51:51.772011475Z', Spec: { linux: { cgroupsPath: '/marina/ns/abc' } } });
  expect(parseContainerInfo('abc', info)).toEqual({ id: 'abc', labels: { a: 'b' }, createdAt: new Date('2026-11-21T08:51:51.772Z'), cgroupsPath: '/marina/ns/abc' });
  expect(() => parseContainerInfo('abc', 'nope')).toThrow(/not JSON/);
});
