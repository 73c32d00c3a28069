// Charts as inline SVG: no script, no image request, fixed proportions and an explicit width and
// height (the stylesheet's sizes win once loaded; before, nothing falls back to 300×150 and moves), colours from the stylesheet (dark mode included). Each is an image to assistive
// technology with a text alternative saying what it shows.
import { html, type Html } from '../html.js';

export interface DayCount {
  day: string;
  count: number;
}

function summary(days: readonly DayCount[]): string {
  const total = days.reduce((sum, day) => sum + day.count, 0);
  const peak = days.reduce((best, day) => (day.count > best.count ? day : best), days[0] ?? { day: '', count: 0 });
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return `${String(total)} signals from ${first} to ${last}${peak.count > 0 ? `, most on ${peak.day} (${String(peak.count)})` : ''}`;
}

/** A small line of daily counts (trending topics). */
export function sparkline(days: readonly DayCount[], label: string): Html {
  const width = 160;
  const height = 40;
  const max = Math.max(1, ...days.map((day) => day.count));
  const step = days.length > 1 ? width / (days.length - 1) : width;
  const points = days.map((day, i) => `${(i * step).toFixed(1)},${(height - 2 - (day.count / max) * (height - 4)).toFixed(1)}`);
  const text = `${label}: ${summary(days)}`;
  return html`<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="${text}"><title>${text}</title>${
    points.length === 0 ? '' : html`<polygon class="area" points="0,${height} ${points.join(' ')} ${width},${height}"/><polyline class="line" points="${points.join(' ')}"/>`
  }</svg>`;
}

/**
 * Bars of daily counts with a caption (a topic's timeline). The label (a topic's name, maybe
 * right-to-left) is isolated in the caption, so the counts after it keep their order.
 */
export function timelineChart(days: readonly DayCount[], label: string): Html {
  const width = 600;
  const height = 120;
  const max = Math.max(1, ...days.map((day) => day.count));
  const slot = width / Math.max(1, days.length);
  const text = `${label}: ${summary(days)}`;
  return html`<figure><svg class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="${text}"><title>${text}</title>${days.map((day, i) => {
    const barHeight = (day.count / max) * (height - 4);
    return html`<rect x="${(i * slot + slot * 0.1).toFixed(1)}" y="${(height - barHeight).toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${barHeight.toFixed(1)}"><title>${day.day}: ${day.count}</title></rect>`;
  })}</svg><figcaption class="muted"><bdi>${label}</bdi>: ${summary(days)}.</figcaption></figure>`;
}
