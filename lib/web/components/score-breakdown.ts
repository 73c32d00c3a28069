// Why a signal scored what it did, from its score_details (lib/harvest/score): the formula, who
// classified it, and every term as stored. Terms are shown generically (a new formula's terms
// appear without a change here); the known ones get a plain-words label.
import { html, type Html } from '../html.js';

const FORMULAS: Readonly<Record<string, string>> = {
  'salience/1': 'min(100, (base + engagement points + urgency points) × category boost × sentiment multiplier × decay)',
  'discovery/2': '0.6 × emergence + 0.4 × obscurity, halving weekly from publication',
};

const LABELS: Readonly<Record<string, string>> = {
  likes: 'Likes',
  reposts: 'Reposts',
  replies: 'Replies',
  quotes: 'Quotes',
  raw: 'Weighted engagement',
  engagementPoints: 'Engagement points',
  urgencyPoints: 'Urgency points',
  basePoints: 'Base points',
  categoryBoost: 'Category boost',
  sentimentMultiplier: 'Sentiment multiplier',
  ageHours: 'Age (hours)',
  ageDays: 'Age (days)',
  decay: 'Decay',
  undecayed: 'Score at age 0',
  novelty: 'Novelty',
  emergence: 'Emergence',
  obscurity: 'Obscurity',
  base: 'Base (score at age 0)',
  attention: 'Attention',
  velocity: 'Velocity (per day)',
  feedBase: 'Feed base',
  mentions: 'Mentions by other sources',
  linkMentions: 'Other sources linking it (same harvest)',
  groupMentions: 'Other sources in its duplicate group',
};

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function scoreBreakdown(details: Record<string, unknown>): Html {
  const formula = typeof details.formula === 'string' ? details.formula : undefined;
  const components = isRecord(details.components) ? details.components : {};
  const extra = Object.entries(details).filter(([key]) => key !== 'formula' && key !== 'components' && key !== 'by');
  const rows = [...Object.entries(components), ...extra];
  if (formula === undefined && rows.length === 0) return html`<p class="muted">No score details were stored for this signal.</p>`;
  return html`${formula === undefined ? '' : html`<p>Formula <code>${formula}</code>${FORMULAS[formula] === undefined ? '' : html`: ${FORMULAS[formula]}`}.</p>`}
${typeof details.by === 'string' ? html`<p>Classified by <strong>${details.by}</strong>.</p>` : ''}
<div class="table-wrap"><table><caption class="sr-only">Score terms</caption><thead><tr><th scope="col">Term</th><th scope="col" class="num">Value</th></tr></thead><tbody>${rows.map(
    ([key, value]) => html`<tr><th scope="row">${LABELS[key] ?? key}</th><td class="num">${formatValue(value)}</td></tr>`,
  )}</tbody></table></div>`;
}
