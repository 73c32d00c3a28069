// The Slack channel for the deliver job's sweep (lib/delivery/sweep.ts): each watch's own Slack
// incoming webhook, its URL opened with the configured key, each delivery's body the Block Kit
// message of one signal. Slack takes no signature headers; the sweep's at-least-once window can
// repeat a message there (Slack has no idempotency key for incoming webhooks).
import { slackDestinations } from '../../db/watch-delivery-repo.js';
import type { ChannelEndpoint, DeliveryChannelSpec } from '../sweep.js';
import type { SendTarget } from '../webhooks/send.js';
import { openSlackUrl } from './slack-url.js';
import { slackItemMessage } from './watch-message.js';

/** A watch's Slack webhook as a send target: one lane per watch. */
export function slackTarget(watchId: string, url: string): SendTarget {
  return { key: `slack:${watchId}`, url, headers: () => ({}) };
}

export function slackChannel(key: Buffer): DeliveryChannelSpec {
  return {
    channel: 'slack',
    enqueuesPerItem: true,
    resolve: async (db, watchIds) => {
      const resolved = new Map<string, ChannelEndpoint>();
      for (const destination of await slackDestinations(db, watchIds)) {
        const url = openSlackUrl(key, destination.watchId, destination.urlSealed);
        resolved.set(destination.watchId, {
          target: slackTarget(destination.watchId, url),
          body: (_delivery, signalJson) => JSON.stringify(slackItemMessage(destination.watchName, signalJson)),
        });
      }
      return resolved;
    },
  };
}
