// A watch's Slack incoming webhook URL: what is accepted (https, host hooks.slack.com, a webhook
// path — so the sender can only ever post to Slack, and no address check is needed), and how it is
// shown once stored. The URL is a credential: anyone holding it can post to the channel, so it is
// never echoed in full, only as a hint, and stored sealed.
import { openSecret, sealSecret } from '../webhooks/secret-box.js';

/** `/services/T…/B…/secret`, `/triggers/…`, `/workflows/…`: Slack's webhook paths. */
const SLACK_PATH = /^\/(services|triggers|workflows)\/[A-Za-z0-9_/-]{10,400}$/;
export const SLACK_HOST = 'hooks.slack.com';

/** Why a URL is refused, or undefined when it is a Slack incoming webhook URL. */
export function slackUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (url.hostname !== SLACK_HOST || url.port !== '' || url.username !== '' || url.password !== '') return `must be a Slack incoming webhook on ${SLACK_HOST}`;
  if (url.search !== '' || url.hash !== '' || !SLACK_PATH.test(url.pathname)) return 'must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)';
  return undefined;
}

/** `hooks.slack.com/services/T0…/…wxyz`: the kind and team prefix, and the last 4 characters. */
export function slackUrlHint(value: string): string {
  const url = new URL(value);
  const [, kind = '', first = ''] = url.pathname.split('/');
  return `${url.hostname}/${kind}/${first.slice(0, 2)}…/…${url.pathname.slice(-4)}`;
}

/**
 * Seals a watch's Slack URL at rest with the webhook secrets' key (../webhooks/secret-box.ts), bound
 * to `slack:<watch id>` so neither a webhook secret nor another watch's URL opens as this one.
 */
export function sealSlackUrl(key: Buffer, watchId: string, url: string): string {
  return sealSecret(key, `slack:${watchId}`, url);
}

export function openSlackUrl(key: Buffer, watchId: string, sealed: string): string {
  return openSecret(key, `slack:${watchId}`, sealed);
}
