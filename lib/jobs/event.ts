// What a job's Lambda is invoked with, read in one place: an EventBridge scheduled event, the
// admin endpoint's `{"source":"admin","runId":"…"}` (asynchronous invoke: the queued job_runs row
// to take over), or anything else (`npm run invoke`, the console). Only a well-formed run id is
// taken from an event; anything else in it is ignored.

/** The payload POST /v1/admin/jobs/{name} invokes a job with. */
export interface AdminJobEvent {
  source: 'admin';
  /** The queued job_runs row the run takes over. */
  runId: string;
}

/** How a run was started, recorded in its details. */
export type JobTrigger = 'schedule' | 'admin' | 'invoke';

export interface JobEventInfo {
  trigger: JobTrigger;
  /** The queued run to take over (admin runs only). */
  runId?: string;
}

const RUN_ID = /^[1-9][0-9]{0,17}$/;

export function readJobEvent(event: unknown): JobEventInfo {
  if (typeof event !== 'object' || event === null) return { trigger: 'invoke' };
  const { source, runId } = event as { source?: unknown; runId?: unknown };
  if (source === 'aws.events') return { trigger: 'schedule' };
  if (source === 'admin') return typeof runId === 'string' && RUN_ID.test(runId) ? { trigger: 'admin', runId } : { trigger: 'admin' };
  return { trigger: 'invoke' };
}
