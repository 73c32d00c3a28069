// The deliver job's sweep delivering 10,000 pending webhooks to a local receiver against a naive
// one-at-a-time loop, each in its own process (deliver-child.ts). The receiver runs here, in the
// parent, and verifies every signature with the standardwebhooks library, so both sides pay the
// same receiver and each delivery is checked, not just counted.
import { generateWebhookSecret } from '../../lib/delivery/webhooks/sign.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { runChild } from './child.js';
import type { DeliverMode, DeliverResult } from './deliver-child.js';

export type { DeliverResult };

export interface DeliverBenchResult {
  sweep: DeliverResult;
  naive: DeliverResult;
  /** Deliveries the receiver accepted per side (verified signature, distinct webhook-id). */
  received: { sweep: number; naive: number };
}

export async function measureDelivery(): Promise<DeliverBenchResult> {
  const secret = generateWebhookSecret();
  const receiver = await startWebhookReceiver([secret]);
  try {
    const measure = async (mode: DeliverMode): Promise<[DeliverResult, number]> => {
      const before = new Set(receiver.received.map((r) => r.messageId)).size;
      const result = await runChild<DeliverResult>('./deliver-child.ts', { timeoutMs: 600_000, args: [mode, receiver.url, secret] });
      return [result, new Set(receiver.received.map((r) => r.messageId)).size - before];
    };
    const [sweep, sweepReceived] = await measure('sweep');
    const [naive, naiveReceived] = await measure('naive');
    if (receiver.badSignatures > 0) throw new Error(`${String(receiver.badSignatures)} deliveries failed signature verification`);
    return { sweep, naive, received: { sweep: sweepReceived, naive: naiveReceived } };
  } finally {
    await receiver.close();
  }
}
