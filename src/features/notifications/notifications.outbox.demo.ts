import { scopedDb, withoutOrganisation } from '../../core/db/scope';
import type { DemoContext } from '../demo-context';
import { renderNoticeMail, renderTestMail } from './notifications.mail';
import { queueMail } from './notifications.outbox';
import { claimOutbox, markOutboxFailedAttempt, markOutboxSent } from './notifications.outbox.queries';
import { LEASE_MS } from './notifications.sender';
import type { NoticeKind } from './notifications.tables';

/**
 * The outbox of the model office as if e-mail had been configured last week: messages sent with the SMTP server's
 * answer, one refused for good (a mailbox that no longer exists, to resend from the page), one possibly sent twice.
 * Each goes through the sender's own steps (claim, record), under a demo sender's name; none is left waiting, so
 * configuring SMTP_URL on the demo database sends nothing by itself. Addresses are in the reserved `.example` domain.
 */
interface Spec {
  username: string;
  kind: NoticeKind;
  link: string;
  code: string;
  title: string;
  daysAgo: number;
  outcome: 'sent' | 'refused' | 'twice' | 'test';
}

const SPECS: Spec[] = [
  {
    username: 'canbo',
    kind: 'action_assigned',
    link: '/actions/mine',
    code: 'NC-2026-001',
    title: 'Bổ sung phiếu kiểm soát quá trình',
    daysAgo: 6,
    outcome: 'sent',
  },
  { username: 'lanhdao', kind: 'revision_approve', link: '/documents', code: 'QT-01', title: 'Quy trình kiểm soát tài liệu', daysAgo: 5, outcome: 'sent' },
  { username: 'thuky', kind: 'feedback_triage', link: '/feedback', code: 'PA-2026-003', title: 'Phản ánh tại Bộ phận Một cửa', daysAgo: 4, outcome: 'twice' },
  {
    username: 'motcua',
    kind: 'document_acknowledge',
    link: '/documents/current',
    code: 'QT-05',
    title: 'Quy trình tiếp nhận hồ sơ',
    daysAgo: 3,
    outcome: 'refused',
  },
  { username: 'phophong', kind: 'due_soon', link: '/nonconformities', code: 'NC-2026-002', title: 'Khắc phục hồ sơ trễ hạn', daysAgo: 1, outcome: 'sent' },
  { username: 'admin', kind: 'action_assigned', link: '/admin/outbox', code: '', title: '', daysAgo: 7, outcome: 'test' },
];

const at = (now: Date, daysAgo: number, minutes = 0) => new Date(now.getTime() - daysAgo * 86_400_000 + minutes * 60_000);

export async function seedOutbox(demo: DemoContext): Promise<void> {
  const db = scopedDb(withoutOrganisation(demo.ctx.db), 1);
  const owner = 'demo-sender';
  for (const [i, s] of SPECS.entries()) {
    const user = demo.users[s.username];
    if (!user) continue;
    const queuedAt = at(demo.now, s.daysAgo);
    const to = `${s.username}@phong-ldtbxh.example`;
    const mail =
      s.outcome === 'test'
        ? renderTestMail('vi', demo.ctx.config.publicUrl, { name: user.fullName })
        : renderNoticeMail('vi', { kind: s.kind, link: s.link, params: { code: s.code, title: s.title }, dueOn: null }, demo.ctx.config.publicUrl, {
            name: user.fullName,
          });
    const id = await queueMail(
      db,
      { kind: s.outcome === 'test' ? 'test' : 'notice', userId: user.id, notificationId: null, to, lang: 'vi', ...mail, idempotencyKey: `demo.${i + 1}` },
      queuedAt,
    );
    if (id === undefined) continue;
    const claim = (minutes: number) =>
      claimOutbox(db, id, owner, at(demo.now, s.daysAgo, minutes).toISOString(), new Date(at(demo.now, s.daysAgo, minutes).getTime() + LEASE_MS).toISOString());
    const answer = (minutes: number) => `250 2.0.0 Ok: queued as DEMO${i + 1}${minutes}`;
    await claim(1);
    if (s.outcome === 'refused') {
      await markOutboxFailedAttempt(
        db,
        id,
        owner,
        at(demo.now, s.daysAgo, 1).toISOString(),
        `550 5.1.1 <${to}>: Recipient address rejected: User unknown`,
        null,
      );
    } else if (s.outcome === 'twice') {
      // the first sender stopped before recording; the next one took it over when its lease ran out
      await claim(10);
      await markOutboxSent(db, id, owner, at(demo.now, s.daysAgo, 10).toISOString(), answer(10));
    } else {
      await markOutboxSent(db, id, owner, at(demo.now, s.daysAgo, 1).toISOString(), answer(1));
    }
  }
  demo.log(`Outbox: ${SPECS.length} e-mails (sent, one refused, one possibly sent twice).`);
}
