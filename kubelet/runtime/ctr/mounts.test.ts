import { mountArgs, parseSnapshotMounts } from './mounts';

test('snapshot mounts become mount(8) arguments', () => {
  const [overlay] = parseSnapshotMounts('[{"Type":"overlay","Source":"overlay","Options":["index=off","lowerdir=/l"]}]');
  expect(mountArgs(overlay!, '/t')).toEqual(['-t', 'overlay', '-o', 'index=off,lowerdir=/l', 'overlay', '/t']);
  expect(mountArgs({ type: 'bind', source: '/s', options: ['rbind', 'ro'] }, '/t')).toEqual(['--rbind', '-o', 'ro', '/s', '/t']);
  expect(() => parseSnapshotMounts('{}')).toThrow(/not a list/);
});
