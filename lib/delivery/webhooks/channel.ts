// The webhook channel for the sweep (lib/delivery/sweep.ts): each watch's endpoint, secrets opened
// with the configured key, each delivery's body the `signal.matched` envelope.
import { sendingEndpoints } from '../../db/webhook-endpoints-repo.js';
import type { ChannelEndpoint, DeliveryChannelSpec } from '../sweep.js';
import { signalMatchedBody, webhookTarget } from './webhook-target.js';

export function webhookChannel(key: Buffer): DeliveryChannelSpec {
  return {
    channel: 'webhook',
    enqueuesPerItem: true,
    resolve: async (db, watchIds) => {
      const endpoints = await sendingEndpoints(db, watchIds);
      const resolved = new Map<string, ChannelEndpoint>();
      for (const endpoint of endpoints) {
        const watch = { id: endpoint.watchId, name: endpoint.watchName };
        resolved.set(endpoint.watchId, {
          target: webhookTarget(endpoint, key),
          body: (delivery, signalJson) => signalMatchedBody(watch, signalJson, new Date(delivery.createdAt)),
        });
      }
      return resolved;
    },
  };
}
