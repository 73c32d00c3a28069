// What a webhook endpoint is: the HTTPS URL a watch delivers to, signed per Standard Webhooks with
// a per-endpoint secret that is shown once and stored encrypted (infra/migrations/0010).

export interface WebhookEndpoint {
  /** The watch it belongs to (one endpoint per watch). */
  watchId: string;
  url: string;
  /** `whsec_` and a few characters of the current secret. */
  secretPrefix: string;
  /** While a rotation's overlap lasts, when the previous secret stops signing; else null. */
  previousExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint as the sender needs it: still-sealed secrets (current first). */
export interface SendingEndpoint {
  watchId: string;
  watchName: string;
  url: string;
  /** The current sealed secret, then the previous one while its overlap lasts. */
  sealedSecrets: string[];
}
