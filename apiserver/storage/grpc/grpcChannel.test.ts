/** gRPC calls over the hand-framed connection, against Node's own HTTP/2 server acting as a gRPC server. */
import { GrpcChannel, GrpcError } from './grpcChannel';
import { useHttp2Server } from './testHttp2Server';

/** A gRPC frame: flag, length, message. */
function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

const big = Buffer.alloc(300 * 1024, 'b');

const server = useHttp2Server(() => (stream, headers) => {
  const path = String(headers[':path']);
  if (path === '/test.Svc/Fail') {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '11', 'grpc-message': 'required%20revision%20has%20been%20compacted' }, { endStream: true });
    return;
  }
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  if (path === '/test.Svc/Echo') {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => stream.end(Buffer.concat(chunks)));
    return;
  }
  // Stream: on the first request message, three answers in one write (one spread over many
  // frames), then one more, split mid-header, and the end.
  stream.once('data', () => {
    stream.write(Buffer.concat([frame(Buffer.from('one')), frame(big), frame(Buffer.from('three'))]));
    const last = frame(Buffer.from('four'));
    stream.write(last.subarray(0, 3));
    setImmediate(() => stream.end(last.subarray(3)));
  });
});

describe('GrpcChannel', () => {
  it('answers unary calls with the message, or with the status etcd sent', async () => {
    const channel = new GrpcChannel({ endpoints: [server.endpoint()] });
    try {
      expect((await channel.call('/test.Svc/Echo', frame(Buffer.from('hi')))).toString()).toBe('hi');
      const err = await channel.call('/test.Svc/Fail', frame(Buffer.from('x'))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrpcError);
      expect((err as GrpcError).message).toBe('OUT_OF_RANGE: required revision has been compacted');
    } finally {
      channel.close();
    }
  });

  it('splits a stream into its messages however they are framed, then ends with the status', async () => {
    const channel = new GrpcChannel({ endpoints: [server.endpoint()] });
    try {
      const messages: Buffer[] = [];
      const end = await new Promise<GrpcError | undefined>((resolve) => {
        const call = channel.stream('/test.Svc/Stream', { onMessage: (m) => messages.push(Buffer.from(m)), onEnd: resolve });
        call.send(frame(Buffer.from('start')));
      });
      expect(end).toBeUndefined();
      expect(messages.map((m) => (m.length > 100 ? `${m.length} bytes` : m.toString()))).toEqual(['one', `${big.length} bytes`, 'three', 'four']);
      expect(messages[1]!.equals(big)).toBe(true);
    } finally {
      channel.close();
    }
  });

  it('refuses calls once closed', async () => {
    const channel = new GrpcChannel({ endpoints: [server.endpoint()] });
    channel.close();
    await expect(channel.call('/test.Svc/Echo', frame(Buffer.from('x')))).rejects.toThrow(/UNAVAILABLE: the etcd client is closed/);
  });
});
