/** The review app's GET pages: queue, exception, dashboard. Every page needs a signed-in person. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../app/runtime.js';
import { calibrationLabel, createCalibrationStore } from '../shadow/calibration-store.js';
import type { Identity } from '../guard/identity.js';
import { requireIdentity, takeFlash } from './auth.js';
import { loadDashboard } from './dashboard-data.js';
import { dashboardBody } from './dashboard-page.js';
import { computeDigestRequests } from '../runner/digest-requests.js';
import { autonomyBody, type AutonomyView } from './autonomy-page.js';
import { buildShadowReport } from '../shadow/report.js';
import { buildQaReport } from '../shadow/qa-report.js';
import { createQaStore } from '../shadow/qa-store.js';
import { controlsRules } from '../guard/autonomy.js';

async function loadAutonomyView(runtime: Runtime): Promise<AutonomyView> {
  const qa = createQaStore(runtime.db);
  return {
    report: buildShadowReport(await runtime.shadow.list()),
    qa: buildQaReport(await qa.list()),
    pending: await qa.pending(50),
    rules: [...(await runtime.autonomy.rules()), ...controlsRules(runtime.controls)],
    globalMode: await runtime.mode.get(),
  };
}
import { loadEvalSummary } from './eval-report.js';
import { loadException } from './exception-data.js';
import { exceptionBody } from './exception-page.js';
import type { SafeHtml } from './html.js';
import { BASE, page, type PageOptions } from './layout.js';
import { QueueFilter, loadQueue } from './queue-data.js';
import { queueBody } from './queue-page.js';
import { formatIssues } from '../issues.js';

export interface PagesDeps {
  runtime: Runtime;
  /** Where `settle eval --json` left the report of the current build. */
  evalReportPath: string;
}

/** Render a page for the signed-in person, with a fresh CSRF token and any pending message. */
export function send(
  request: FastifyRequest,
  reply: FastifyReply,
  o: {
    title: string;
    current: PageOptions['current'];
    body: (csrf: string) => SafeHtml;
    scripts?: string[];
    status?: number;
  },
): FastifyReply {
  const user = request.session.get('user');
  const csrf = reply.generateCsrf();
  const flash = takeFlash(request);
  return reply
    .code(o.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      page({
        title: o.title,
        current: o.current,
        user,
        csrf,
        flash,
        body: o.body(csrf),
        ...(o.scripts ? { scripts: o.scripts } : {}),
      }),
    );
}

const InvoiceParam = z.object({ invoiceId: z.coerce.number().int().positive() });

export function registerPages(app: FastifyInstance, deps: PagesDeps): void {
  const { runtime } = deps;
  const withIdentity =
    (handler: (identity: Identity, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const identity = requireIdentity(request, reply);
      // Return the reply even when it is already being sent: an async handler resolving to
      // undefined makes fastify send a second time while the session is still being saved.
      return identity ? handler(identity, request, reply) : reply;
    };

  app.get(
    BASE,
    withIdentity(async (_identity, request, reply) => {
      const parsed = QueueFilter.safeParse(request.query);
      const filter = parsed.success ? parsed.data : {};
      const error = parsed.success ? undefined : formatIssues(parsed.error, { root: 'query' });
      const items = await loadQueue(runtime, filter);
      return send(request, reply, {
        title: 'Review queue',
        current: 'queue',
        body: () => queueBody(items, filter, error),
      });
    }),
  );

  app.get(
    `${BASE}/exceptions/:invoiceId`,
    withIdentity(async (identity, request, reply) => {
      const params = InvoiceParam.safeParse(request.params);
      if (!params.success) return reply.code(404).type('text/plain').send('No such invoice id.');
      const [view, mode] = await Promise.all([
        loadException(runtime, identity, params.data.invoiceId),
        runtime.mode.get(),
      ]);
      const title = `Invoice ${view.context?.invoice.invoiceNumber ?? params.data.invoiceId}`;
      return send(request, reply, {
        title,
        current: 'exception',
        status: view.context ? 200 : 404,
        body: (csrf) => exceptionBody(view, identity, mode, csrf),
      });
    }),
  );

  app.get(
    `${BASE}/autonomy`,
    withIdentity(async (identity, request, reply) => {
      const view = await loadAutonomyView(runtime);
      return send(request, reply, {
        title: 'Earned autonomy',
        current: 'autonomy',
        body: (csrf) => autonomyBody(view, identity, csrf),
      });
    }),
  );

  app.get(
    `${BASE}/dashboard`,
    withIdentity(async (identity, request, reply) => {
      const shadow = buildShadowReport(await runtime.shadow.list());
      const [data, queue, evalSummary, mode] = await Promise.all([
        loadDashboard(runtime.db, runtime.now()),
        loadQueue(runtime),
        loadEvalSummary(deps.evalReportPath),
        runtime.mode.get(),
      ]);
      const current = await createCalibrationStore(runtime.db).latest();
      const calibration = current ? { artifact: current.artifact, label: calibrationLabel(current) } : undefined;
      const now = runtime.now();
      const supplierRequests = await computeDigestRequests(runtime.db, new Date(now.getTime() - 30 * 86_400_000), now);
      const view = {
        data,
        oldest: queue[0],
        waiting: queue.length,
        evalSummary,
        mode,
        controls: runtime.controls,
        shadow,
        calibration,
        supplierRequests,
        now,
      };
      return send(request, reply, {
        title: 'Dashboard',
        current: 'dashboard',
        scripts: ['chart.umd.min.js', 'dashboard.js'],
        body: (csrf) => dashboardBody(view, identity, csrf),
      });
    }),
  );
}
