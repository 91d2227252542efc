/**
 * etcd's KV service (Range, Txn, Compact) over unaryChannel.ts: typed requests in, typed
 * responses out. The watch stream stays on the etcd3 package (etcdWatch.ts): it is one
 * long-lived call, so its per-call cost does not matter.
 */
import { decodeRange, decodeTxn, encodeCompaction, encodeRange, encodeTxn, type RangeRequest, type RangeResponse, type TxnRequest, type TxnResponse } from './etcdMessages';
import { grpcFrame, UnaryChannel, type UnaryChannelOptions } from './unaryChannel';

export class EtcdKv {
  private readonly channel: UnaryChannel;

  constructor(options: UnaryChannelOptions) {
    this.channel = new UnaryChannel(options);
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
