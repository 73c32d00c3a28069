// The scheduled jobs, by their serverless.yml function names: what `runJob` accepts, what
// `POST /v1/admin/jobs/{name}` may start, and what the admin function may invoke (serverless.yml
// grants lambda:InvokeFunction on exactly these). A new job is added here, to serverless.yml's
// functions and to that IAM statement; a test checks that every scheduled function is listed here
// and that the statement names exactly these.
export const JOB_NAMES = ['janitor', 'discover', 'evolve-topics', 'deliver', 'graph-build', 'digest'] as const;

export type JobName = (typeof JOB_NAMES)[number];

/** Whether `name` (e.g. a URL segment) names a job. */
export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}
