import { describe, expect, it } from 'vitest';
import '../../src/features/catalogs';
import { renderNoticeMail, renderTestMail } from '../../src/features/notifications/notifications.mail';

/** The e-mails' words (issue 26): both languages, the link and the settings page, values escaped, one-line subjects. */
describe('notice e-mails', () => {
  const notice = {
    kind: 'overdue' as const,
    link: '/nonconformities/7',
    params: { code: 'NC-2026-007', title: 'Hồ sơ <b>trễ</b> "hạn"\r\nBcc: x@example.com' },
    dueOn: '2026-12-01',
  };

  it('escapes what the record holds and keeps the subject on one line', () => {
    const mail = renderNoticeMail('vi', notice, 'https://qms.example.gov.vn/', { name: 'Lê <Văn> Nam' });
    expect(mail.subject).toBe('Đã quá hạn: NC-2026-007 — Hồ sơ <b>trễ</b> "hạn" Bcc: x@example.com');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).toContain('Hồ sơ &#60;b&#62;trễ&#60;/b&#62; &#34;hạn&#34;');
    expect(mail.html).toContain('Kính gửi Lê &#60;Văn&#62; Nam,');
    expect(mail.html).not.toMatch(/<b>|<script|<img|style=/);
    expect(mail.html).toContain('<a href="https://qms.example.gov.vn/nonconformities/7">Mở hồ sơ</a>');
    expect(mail.text).toContain('Hạn: 01/12/2026');
    expect(mail.text).toContain('https://qms.example.gov.vn/account/notifications');
  });

  it('speaks English to those who chose it, and greets without a name when there is none', () => {
    const mail = renderNoticeMail('en', { ...notice, params: { code: 'NC-2026-007', title: null }, dueOn: null }, undefined);
    expect(mail.subject).toBe('Overdue: NC-2026-007');
    expect(mail.text.split('\n')[0]).toBe('Hello,');
    expect(mail.text).toContain('Open the record: /nonconformities/7');
    expect(mail.text).not.toContain('Due:');
    expect(mail.text).toContain('To change how you are notified, go to: /account/notifications');
    expect(renderTestMail('en', undefined).subject).toBe('Test message from the quality management system');
  });
});
