import { KeyedLock } from './keyedLock';

test('a keyed lock runs one key in order and different keys concurrently', async () => {
  const lock = new KeyedLock();
  const order: string[] = [];
  let release!: () => void;
  const first = lock.run('a', () => new Promise<void>((r) => (release = r)).then(() => void order.push('a1')));
  const second = lock.run('a', async () => void order.push('a2'));
  await lock.run('b', async () => void order.push('b1'));
  expect(order).toEqual(['b1']);
  release();
  await Promise.all([first, second]);
  expect(order).toEqual(['b1', 'a1', 'a2']);
  await expect(lock.run('c', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
  await expect(lock.run('c', async () => 1)).resolves.toBe(1);
});
