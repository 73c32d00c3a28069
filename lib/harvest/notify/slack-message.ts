// The Slack message of one run: a header, then one section per signal — its title linked to its
// URL, then source, category and score — plus the same as plain lines in `text`, which Slack shows
// in notifications and where blocks cannot be rendered. Titles come from the public, so `&`, `<`
// and `>` are escaped everywhere Slack parses mrkdwn: an item titled `<!channel>` pings no one.
import type { Signal } from '../../model/signal.js';
import { isArtifactKind } from '../classify/categories.js';
import { notificationScore } from './select.js';

/** What a message shows of a signal. */
export type SlackSignal = Pick<Signal, 'id' | 'source' | 'kind' | 'url' | 'title' | 'category' | 'salience' | 'discoveryScore'>;

/** Slack takes at most 50 blocks per message; one is the header. */
export const MAX_SIGNALS_PER_MESSAGE = 49;
/** Longer titles are cut (with `…`): a section's text must stay under Slack's 3,000 characters. */
export const MAX_TITLE_CHARS = 150;
/** Longer URLs are not linked (the title is shown alone). */
const MAX_URL_CHARS = 1500;

export interface SlackTextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

export type SlackBlock = { type: 'header'; text: SlackTextObject } | { type: 'section'; text: SlackTextObject };

export interface SlackMessage {
  /** The plain fallback (notifications, clients without blocks); mrkdwn, escaped. */
  text: string;
  blocks: SlackBlock[];
}

export interface BuiltMessage {
  message: SlackMessage;
  /** The ids of the signals the message carries, in order: the ones to mark notified once it is sent. */
  signalIds: string[];
}

/** Escapes the three characters Slack's mrkdwn gives a meaning to (links, mentions, entities). */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function shorten(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** `<url|title>` for an http(s) URL Slack can link; the escaped title alone otherwise. */
export function linkedTitle(signal: SlackSignal): string {
  const title = escapeMrkdwn(shorten(signal.title, MAX_TITLE_CHARS) || signal.url);
  if (!/^https?:\/\//i.test(signal.url) || signal.url.length > MAX_URL_CHARS) return title;
  // `|` would end the URL part of the link; a URL cannot contain a raw one anyway.
  const url = escapeMrkdwn(signal.url.replace(/\|/g, '%7C'));
  return `<${url}|${title}>`;
}

/** `hackernews · outage · salience 87.5`. */
export function facts(signal: SlackSignal): string {
  const score = notificationScore(signal);
  const scoreName = isArtifactKind(signal.kind) ? 'discovery' : 'salience';
  const parts = [signal.source, signal.category ?? 'unclassified', `${scoreName} ${score === null ? '–' : score.toFixed(1)}`];
  return escapeMrkdwn(parts.join(' · '));
}

function headline(count: number): string {
  return `Signal Harvester: ${String(count)} new signal${count === 1 ? '' : 's'}`;
}

/** The message for the first `maxSignals` (at most MAX_SIGNALS_PER_MESSAGE) signals, in the given order. */
export function buildSlackMessage(signals: readonly SlackSignal[], maxSignals: number = MAX_SIGNALS_PER_MESSAGE): BuiltMessage {
  const shown = signals.slice(0, Math.max(0, Math.min(maxSignals, MAX_SIGNALS_PER_MESSAGE)));
  const title = headline(shown.length);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: title } }];
  const lines = [escapeMrkdwn(title)];
  for (const signal of shown) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${linkedTitle(signal)}*\n${facts(signal)}` } });
    lines.push(`• ${linkedTitle(signal)} (${facts(signal)})`);
  }
  return { message: { text: lines.join('\n'), blocks }, signalIds: shown.map((signal) => signal.id) };
}
