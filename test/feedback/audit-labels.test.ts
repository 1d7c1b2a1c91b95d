import { describe, expect, it } from 'vitest';
import '../../src/features/catalogs';
import { valueText } from '../../src/features/audit-log/audit-log.view';

/** The audit trail words a feedback record's channel and outcome as the register does, and a dossier's as before. */
const ctx = (entity: string, lang: 'vi' | 'en' = 'vi') => ({
  lang,
  timeZone: 'Asia/Ho_Chi_Minh',
  entity,
  refs: { users: new Map(), units: new Map(), procedures: new Map(), documents: new Map(), entities: new Map() },
});

describe('audit trail values of the channel and the outcome', () => {
  it('are the feedback register’s words for a feedback record', () => {
    expect(valueText(ctx('feedback'), 'channel', 'phone')).toBe('Điện thoại');
    expect(valueText(ctx('feedback'), 'outcome', 'nonconformity')).toBe('Chuyển thành sự không phù hợp');
    expect(valueText(ctx('feedback', 'en'), 'channel', 'portal')).toBe('Public-service portal');
  });

  it('stay the dossiers’ words for a dossier, whatever the entity it is written under', () => {
    expect(valueText(ctx('dossier'), 'channel', 'online')).toBe('Trực tuyến');
    expect(valueText(ctx('dossier_import'), 'channel', 'online')).toBe('Trực tuyến');
    expect(valueText(ctx('dossier', 'en'), 'channel', 'online')).toBe('Online');
  });
});
