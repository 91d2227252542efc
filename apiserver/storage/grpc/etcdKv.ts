/**
 * etcd's KV service (Range, Txn, Compact) over grpcChannel.ts: typed requests in, typed
 * responses out. The watch stream (etcdWatch.ts) may share the same channel.
 */
import { decodeRange, decodeTxn, encodeCompaction, encodeRange, encodeTxn, type RangeRequest, type RangeResponse, type TxnRequest, type TxnResponse } from './etcdMessages';
import { GrpcChannel, grpcFrame, type GrpcChannelOptions } from './grpcChannel';

export class EtcdKv {
  private readonly channel: GrpcChannel;

  /** On a channel of its own (closed with it), or on a shared one (closed by its owner). */
  constructor(channel: GrpcChannelOptions | GrpcChannel) {
    this.channel = channel instanceof GrpcChannel ? channel : new GrpcChannel(channel);
  }

  async range(request: RangeRequest, deadlineMs?: number): Promise<RangeResponse> {
    const message = await this.channel.call('/etcdserverpb.KV/Range', grpcFrame(encodeRange(request)), deadlineMs);
    return decodeRange(message);
  }

  async txn(request: TxnRequest): Promise<TxnResponse> {
    const message = await this.channel.call('/etcdserverpb.KV/Txn', grpcFrame(encodeTxn(request)));
    return decodeTxn(message);
  }

  /** Compacts history before `revision` (not waiting for the physical removal). */
  async compact(revision: number): Promise<void> {
    await this.channel.call('/etcdserverpb.KV/Compact', grpcFrame(encodeCompaction(revision)));
  }

  close(): void {
    this.channel.close();
  }
}
