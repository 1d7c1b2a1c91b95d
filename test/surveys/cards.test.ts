import QRCode from 'qrcode';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyUrl } from '../../src/features/surveys/surveys.cards';
import { createTestApp, one, type SignedIn, type TestApp } from '../support/app';
import { decodeEntities, fieldsWithErrors } from '../support/html';
import { procedure } from '../reports/fixtures';

/**
 * The survey cards (issue 24): one printable card per chosen procedure with the office's name, the procedure and the
 * QR code of its public survey page; the QR image alone for receipts. The address is PUBLIC_URL's when set.
 */
let t: TestApp;
let qo: SignedIn;
let orgCode: string;
let pa: number;
let pb: number;

beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://dichvucong.example.vn/qms' } });
  qo = await t.signIn('quality_officer');
  pa = await procedure(t, '1.001776.000.00.00.H42');
  pb = await procedure(t, 'P-B');
  orgCode = (await one<{ code: string }>(t, 'select code from organisation where id = 1'))!.code;
});
afterAll(async () => t?.close());

describe('survey addresses', () => {
  it('puts the organisation and procedure codes in the path, the counter in the query, all encoded', () => {
    expect(surveyUrl('https://a.vn/qms/', 'LĐ TB', 'P/1')).toBe('https://a.vn/qms/s/L%C4%90%20TB/P%2F1');
    expect(surveyUrl('https://a.vn', 'X', 'P1', 'Quầy 2')).toBe('https://a.vn/s/X/P1?counter=Qu%E1%BA%A7y%202');
  });
});

describe('the cards page', () => {
  it('prints one card per chosen procedure, with the office, the procedure, the address and the counter', async () => {
    const res = await qo.get(`/surveys/cards?procedure=${pa}&counter=${encodeURIComponent('Quầy số 2')}&size=a5`);
    expect(res.status).toBe(200);
    const html = decodeEntities(res.text);
    expect(res.text).toContain('data-cards="1"');
    expect(res.text).toContain('survey-cards-a5');
    expect(res.text).toContain('Phòng Lao động - Thương binh và Xã hội');
    expect(res.text).toContain('Quy trình 1.001776.000.00.00.H42');
    expect(res.text).not.toContain('Quy trình P-B</p>');
    // the address written out is the one a citizen types (the counter is in the QR code, below)
    expect(html).toContain(`<code>https://dichvucong.example.vn/qms/s/${encodeURIComponent(orgCode)}/1.001776.000.00.00.H42</code>`);
    expect(res.text).toContain('Quầy: Quầy số 2');
    expect(html).toContain(`/surveys/cards/${pa}/qr.svg?counter=Qu%E1%BA%A7y%20s%E1%BB%91%202`);
    // no PUBLIC_URL notice: it is set
    expect(res.text).not.toContain('PUBLIC_URL');
  });

  it('prints every active procedure with all=1, and none without a choice', async () => {
    expect((await qo.get('/surveys/cards?all=1')).text).toContain('data-cards="2"');
    const none = await qo.get('/surveys/cards');
    expect(none.status).toBe(200);
    expect(none.text).not.toContain('data-cards=');
    expect(none.text).toContain('Chưa chọn thủ tục nào.');
  });

  it('refuses a counter name too long with the message next to the field, and bad sizes and ids', async () => {
    const res = await qo.get(`/surveys/cards?procedure=${pb}&counter=${'x'.repeat(41)}`);
    expect(res.status).toBe(422);
    expect(fieldsWithErrors(res.text)).toEqual(['counter']);
    expect(res.text).toContain('Tối đa 40 ký tự.');
    expect((await qo.get('/surveys/cards?size=a3')).status).toBe(422);
    expect((await qo.get('/surveys/cards?procedure=abc')).status).toBe(422);
  });

  it('says where the address comes from when PUBLIC_URL is not set', async () => {
    const other = await createTestApp();
    try {
      const p = await procedure(other, 'P-X');
      const res = await (await other.signIn('quality_officer')).get(`/surveys/cards?procedure=${p}`).set('Host', 'qms.local:3000');
      expect(res.text).toContain('PUBLIC_URL');
      expect(res.text).toContain('http://qms.local:3000/s/');
    } finally {
      await other.close();
    }
  });
});

describe('the QR image', () => {
  it('is an SVG of exactly the survey address', async () => {
    const res = await qo.get(`/surveys/cards/${pa}/qr.svg?counter=Q1`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const url = `https://dichvucong.example.vn/qms/s/${encodeURIComponent(orgCode)}/1.001776.000.00.00.H42?counter=Q1`;
    const body = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
    expect(body).toBe(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  });

  it('is 404 for a procedure of no card (unknown or another organisation)', async () => {
    expect((await qo.get('/surveys/cards/999999/qr.svg')).status).toBe(404);
  });
});

describe('who may print cards', () => {
  it('is the quality officer or the admin; staff and leaders get 403, anonymous is sent to sign in', async () => {
    expect((await (await t.signIn('admin')).get('/surveys/cards')).status).toBe(200);
    expect((await (await t.signIn('staff')).get('/surveys/cards')).status).toBe(403);
    expect((await (await t.signIn('leader')).get(`/surveys/cards/${pa}/qr.svg`)).status).toBe(403);
    const anon = await request(t.app).get('/surveys/cards');
    expect(anon.status).toBe(303);
  });
});
