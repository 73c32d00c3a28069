// GET /admin/jobs: recent runs of the scheduled jobs (status, start, duration, error), filtered by
// job and paged by run id exactly as `GET /v1/admin/jobs` (its query schema, the same repository
// call). Served by the web-admin function (lib/web/admin-app.ts). POST /admin/jobs: run one job now, as `POST /v1/admin/jobs/{name}` does (startJob: a queued
// row, then the asynchronous invoke), then back to the list with the queued run named.
import type { Context } from 'hono';
import * as z from 'zod/mini';
import { startJob } from '../../api/jobs-api.js';
import { listJobRunsRoute } from '../../api/jobs-routes.js';
import { getDb } from '../../db/client.js';
import { listJobRuns, type JobRun } from '../../db/job-runs-repo.js';
import type { AppEnv } from '../../http/index.js';
import { JOB_NAMES } from '../../jobs/names.js';
import type { FieldError } from '../../validation/field-errors.js';
import { requireAdminPage } from '../admin-guard.js';
import { errorSummary, selectField } from '../components/form.js';
import { csrfField, formFields, parseForm } from '../components/post-form.js';
import { dateTime } from '../components/signal-row.js';
import { html, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';
import { parsePageQuery, rawValue } from '../query.js';
import { guardPost } from '../session/middleware.js';

const runForm = z.strictObject({ job: z.enum(JOB_NAMES) });
/** The run just queued, shown above the list after the redirect. */
const QUEUED = /^[1-9][0-9]{0,17}$/;

function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${String(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function runRow(run: JobRun): Html {
  return html`<tr><td class="num">${run.id}</td><td>${run.job}</td><td><span class="status status-${run.status}">${run.status}</span></td><td>${dateTime(run.startedAt)}</td><td class="num">${duration(run.durationMs)}</td><td dir="auto">${run.error ?? (typeof run.details.trigger === 'string' ? run.details.trigger : '')}</td></tr>`;
}

function runButtons(c: Context<AppEnv>): Html {
  return html`<section aria-labelledby="run-h"><h2 id="run-h">Run a job now</h2>
<ul class="cards">${JOB_NAMES.map(
    (job) => html`<li class="card"><form method="post" action="/admin/jobs">${csrfField(c)}<input type="hidden" name="job" value="${job}"><button type="submit">Run ${job}</button></form></li>`,
  )}</ul></section>`;
}

function filterForm(raw: Record<string, string | string[]>, errors: readonly FieldError[]): Html {
  return html`<form class="filters" method="get" action="/admin/jobs" aria-label="Filter runs">
${selectField({ name: 'job', label: 'Job', value: rawValue(raw, 'job'), errors, options: [['', 'Any'], ...JOB_NAMES.map((job) => [job, job] as const)] })}
${selectField({ name: 'limit', label: 'Per page', value: rawValue(raw, 'limit') || '20', errors, options: ['20', '50', '100'].map((n) => [n, n] as const) })}
<div><button type="submit">Apply</button></div>
</form>`;
}

async function jobsPage(c: Context<AppEnv>): Promise<Response> {
  const parsed = parsePageQuery(listJobRunsRoute.query, c.req.url, { pageOnly: ['queued'] });
  // `queued` is the page's own (the run Run now just queued): a run id, or a mistake to say.
  const queued = [parsed.raw.queued ?? []].flat().filter((value) => value !== '');
  const queuedErrors: FieldError[] = queued.length === 0 || (queued.length === 1 && QUEUED.test(queued[0] ?? '')) ? [] : [{ location: 'query', field: 'queued', message: 'must be one run id' }];
  if (!parsed.ok || queuedErrors.length > 0) {
    const errors = [...(parsed.ok ? [] : parsed.errors), ...queuedErrors];
    return renderPage(c, { title: 'Jobs', status: 400, body: html`${errorSummary(errors)}${filterForm(parsed.raw, errors)}` });
  }
  const query = parsed.value;
  const runs = await listJobRuns(await getDb(), { job: query.job, limit: query.limit + 1, before: query.before });
  const page = runs.slice(0, query.limit);
  const next = runs.length > query.limit ? page.at(-1)?.id : undefined;
  const params = new URLSearchParams();
  if (query.job !== undefined) params.set('job', query.job);
  params.set('limit', String(query.limit));
  const table =
    page.length === 0
      ? html`<p>No runs yet.</p>`
      : html`<div class="table-wrap"><table><caption class="sr-only">Job runs, newest first</caption><thead><tr><th scope="col" class="num">Run</th><th scope="col">Job</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col" class="num">Duration</th><th scope="col">Trigger or error</th></tr></thead><tbody>${page.map(runRow)}</tbody></table></div>`;
  return renderPage(c, {
    title: 'Jobs',
    body: html`${queued[0] === undefined ? '' : html`<p class="card" role="status">Run ${queued[0]} is queued; reload to follow it.</p>`}
${runButtons(c)}
<section aria-labelledby="runs-h"><h2 id="runs-h">Recent runs</h2>
${filterForm(parsed.raw, [])}
${table}
<nav class="pager" aria-label="Pages">${query.before === undefined ? '' : html`<a href="/admin/jobs?${params.toString()}">Newest</a>`}${next === undefined ? '' : html`<a class="next" href="/admin/jobs?${params.toString()}&amp;before=${next}">Older runs</a>`}</nav>
</section>`,
  });
}

async function runJob(c: Context<AppEnv>): Promise<Response> {
  const parsed = parseForm(runForm, await formFields(c));
  if (!parsed.ok) return renderPage(c, { title: 'Jobs', status: 400, body: html`${errorSummary(parsed.errors)}<p><a href="/admin/jobs">Back to the jobs</a></p>` });
  const run = await startJob(parsed.value.job, c.get('caller').keyId);
  c.get('log').info('job queued', { job: run.job, run_id: run.id, via: 'web' });
  return c.redirect(`/admin/jobs?queued=${run.id}`, 303);
}

export const adminJobsPage: WebPage = {
  name: 'admin-jobs',
  mount(app) {
    app.use('/admin/jobs', requireAdminPage());
    app.get('/admin/jobs', jobsPage);
    app.post('/admin/jobs', guardPost(), runJob);
  },
};
