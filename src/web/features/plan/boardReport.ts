/** The board report: every commitment's icons by priority and the exceptions, as a page, a CSV and a tagged PDF. */
import type { Request, Router } from 'express';
import { toCsv, type CsvCell } from '../../../services/csv.js';
import type { Services } from '../../../services/index.js';
import { requestContext, requirePermission } from '../../middleware/auth.js';
import { noStore } from '../../middleware/security.js';
import { boardReportPdf } from './pdf.js';
import { summaryView } from './view.js';

export function boardReportRoutes(router: Router, services: Services): void {
  async function report(req: Request) {
    const r = await services.plan.boardReport(requestContext(req));
    return {
      ...r,
      groups: r.groups.map((g) => ({ priority: g.priority, commitments: g.commitments.map(summaryView) })),
    };
  }

  router.get('/improvement-plan/board-report', requirePermission('plan:view'), noStore, async (req, res) => {
    res.render('plan/board-report.njk', await report(req));
  });

  router.get('/improvement-plan/board-report.csv', requirePermission('plan:view'), noStore, async (req, res) => {
    const r = await report(req);
    const rows: CsvCell[][] = [
      [
        'priority',
        'reference',
        'commitment',
        'status',
        'measure',
        'owner',
        'target',
        'latest',
        'trajectory_value',
        'variation',
        'assurance',
        'forecast_probability',
      ],
    ];
    for (const g of r.groups) {
      for (const c of g.commitments) {
        rows.push([
          g.priority?.title ?? 'No priority area',
          c.reference,
          c.statement,
          c.statusText,
          c.measure,
          c.owner,
          c.target,
          c.latest,
          c.expected,
          c.variationIcon ?? '',
          c.assurance ?? '',
          c.forecastProbability ?? '',
        ]);
      }
    }
    rows.push([]);
    rows.push(['exception', 'reference', 'detail']);
    for (const e of r.exceptions) rows.push([e.kind, e.reference, e.text]);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`board-report-${r.today}.csv`)
      .send(toCsv(rows, { bom: true, lineEnding: 'windows' }));
  });

  router.get('/improvement-plan/board-report.pdf', requirePermission('plan:view'), noStore, async (req, res) => {
    const r = await report(req);
    const pdf = await boardReportPdf(r);
    res.type('application/pdf').attachment(`board-report-${r.today}.pdf`).send(pdf);
  });
}
