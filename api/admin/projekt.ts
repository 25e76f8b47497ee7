// Projects (insatser): withdrawing one.
import type { Router } from 'express';
import { svPeriod } from '../../domain/texts.js';
import { withdrawProject } from '../../services/obligations.js';
import { isoDay } from '../../services/rapportering.js';
import { actor } from '../auth.js';
import { confirmPage } from '../pages/admin.js';
import { doneMessages, html, PageError, withDone, type AdminKit } from './kit.js';

doneMessages({
  aterkallad: 'Insatsen är återkallad. Inga fler rapporter väntas från den.',
});

export function projectPages(k: AdminKit, r: Router): void {
  const { deps, prisma, page, fid, onlyOfficial, chrome } = k;
  page(r, { method: 'get', path: '/insatser/:key/aterkalla', summary: 'confirm withdrawing a project (Swedish HTML page; signed in with a session cookie as admin or secretary)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återkalla en insats');
    const p = await prisma.project.findUnique({ where: { forbundId_key: { forbundId: fid(req), key: String(req.params.key) } } });
    if (!p) throw new PageError(404, 'Insatsen finns inte', ['Det finns ingen sådan insats i förbundet.']);
    const open = await prisma.reportingObligation.count({ where: { projectId: p.id, status: 'open' } });
    html(
      res,
      200,
      confirmPage({
        chrome: await chrome(req, res, 'other'),
        title: `Återkalla ${p.name}?`,
        lead: p.status === 'withdrawn' ? 'Insatsen är redan återkallad.' : `Insatsen har ${open} ${open === 1 ? 'rapport' : 'rapporter'} kvar att lämna. När den återkallas väntas inga fler, och påminnelserna slutar.`,
        facts: [['Insats', p.name], ['Huvudman', p.huvudman || '–'], ['Period', svPeriod(isoDay(p.startDate), isoDay(p.endDate))]],
        warning: 'Återkalla bara en insats som styrelsen har beslutat att avsluta i förtid eller som aldrig blev av. Det går inte att ångra här.',
        action: `/admin/insatser/${encodeURIComponent(p.key)}/aterkalla`,
        button: 'Ja, återkalla insatsen',
        back: { href: '/admin', text: 'Nej, tillbaka' },
        danger: true,
      }),
    );
  });

  page(r, { method: 'post', path: '/insatser/:key/aterkalla', summary: 'withdraw a project, as POST projects/:key/withdraw; the official only (HTML form POST from this site; signed in as admin or secretary; answers with a redirect)', params: { key: 'project key' }, response: { contentType: 'text/html' } }, async (req, res) => {
    onlyOfficial(req, 'återkalla en insats');
    const x = await withdrawProject(deps, { forbundId: fid(req), key: String(req.params.key), actor: actor(req) });
    res.redirect(303, withDone('/admin', 'aterkallad', { later: !x.workflowNotified }));
  });

}
