/** Pod IPs of the fake runtime: host addresses of a node's IPv4 pod CIDR. */

/** Host addresses of an IPv4 CIDR, handed out in order and reused once released. */
export class IpPool {
  private readonly base: number;
  private readonly size: number;
  private next = 2;
  private readonly used = new Set<number>();

  constructor(cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
    if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
    const bits = Number(m[5]);
    const addr = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    this.base = (addr & mask) >>> 0;
    this.size = 2 ** (32 - bits);
  }

  allocate(): string {
    for (let tries = 0; tries < this.size; tries++) {
      const n = this.next;
      this.next = this.next + 1 >= this.size - 1 ? 2 : this.next + 1;
      if (!this.used.has(n)) {
        this.used.add(n);
        return ipString(this.base + n);
      }
    }
    throw new Error('no free pod IP');
  }

  release(ip: string): void {
    const parts = ip.split('.').map(Number);
    const n = ((((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0) - this.base) >>> 0;
    this.used.delete(n);
  }
}

function ipString(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
