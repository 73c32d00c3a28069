// Slack messages of one watch (Block Kit): a signal as it arrives, or a digest — a header, then one
// section per signal (its title linked to its URL, then source, category and score), the same as
// plain lines in `text` for notifications. Built from the signals' API JSON (what the webhook
// payloads carry too), with the run-level notifier's pieces (lib/harvest/notify/slack-message.ts),
// so `&`, `<` and `>` are escaped everywhere Slack parses mrkdwn: a title `<!channel>` pings no one.
import { escapeMrkdwn, facts, linkedTitle, shorten, type SlackMessage, type SlackSignal } from '../../harvest/notify/slack-message.js';
import type { DigestPeriod } from '../../model/watch-delivery.js';
import type { SignalKind } from '../../model/signal.js';

/** A header's plain text: Slack allows 150 characters. */
const MAX_HEADER_CHARS = 150;

/** The fields of a signal's API JSON a message shows. */
interface SignalJsonFields {
  id: string;
  source: string;
  kind: SignalKind;
  url: string;
  title: string;
  category: string | null;
  salience: number | null;
  discovery_score: number | null;
}

/** What a message shows of a signal, from its API JSON text. */
export function slackSignalOf(json: string): SlackSignal {
  const signal = JSON.parse(json) as SignalJsonFields;
  return {
    id: signal.id,
    source: signal.source,
    kind: signal.kind,
    url: signal.url,
    title: signal.title,
    category: signal.category,
    salience: signal.salience,
    discoveryScore: signal.discovery_score,
  };
}

function header(text: string): SlackMessage['blocks'][number] {
  // plain_text: Slack parses no mrkdwn in it, so nothing to escape.
  return { type: 'header', text: { type: 'plain_text', text: shorten(text, MAX_HEADER_CHARS) } };
}

function section(signal: SlackSignal): SlackMessage['blocks'][number] {
  return { type: 'section', text: { type: 'mrkdwn', text: `*${linkedTitle(signal)}*\n${facts(signal)}` } };
}

function line(signal: SlackSignal): string {
  return `• ${linkedTitle(signal)} (${facts(signal)})`;
}

/** One signal that matched the watch `watchName` (per-item delivery). */
export function slackItemMessage(watchName: string, signalJson: string): SlackMessage {
  const signal = slackSignalOf(signalJson);
  const title = `${watchName}: new signal`;
  return { text: `${escapeMrkdwn(shorten(title, MAX_HEADER_CHARS))}\n${line(signal)}`, blocks: [header(title), section(signal)] };
}

const PERIOD_WORDS: Readonly<Record<DigestPeriod, string>> = { daily: 'daily digest', weekly: 'weekly digest' };

/** A digest of the watch `watchName`: its signals in the order given (best first). At most 49 (a header and 49 sections). */
export function slackDigestMessage(watchName: string, period: DigestPeriod, end: Date, signalJsons: readonly string[]): SlackMessage {
  const signals = signalJsons.slice(0, 49).map(slackSignalOf);
  const title = `${watchName}: ${PERIOD_WORDS[period]} to ${end.toISOString().slice(0, 10)}, ${String(signals.length)} new`;
  return {
    text: [escapeMrkdwn(shorten(title, MAX_HEADER_CHARS)), ...signals.map(line)].join('\n'),
    blocks: [header(title), ...signals.map(section)],
  };
}
