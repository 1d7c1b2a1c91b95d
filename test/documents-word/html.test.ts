import { describe, expect, it } from 'vitest';
import { sentencesOf, sentenceDiff } from '../../src/features/documents/documents.compare';
import { htmlLines, sanitizeHtml } from '../../src/features/documents/documents.html';

/** The allow-list that Word HTML goes through, and the text of a revision for comparing (documents.html.ts). */
describe('sanitizeHtml', () => {
  it('keeps structure and safe links, drops scripts, styles, handlers, images and the address of unsafe links', () => {
    const hostile = [
      '<h2 style="color:red" onclick="x()">Mục đích</h2>',
      '<p class="a">Một <strong>câu</strong><script>alert(1)</script> hai.<img src="x" onerror="alert(2)"></p>',
      '<p><a href="java&#x09;script:alert(1)">xấu</a> <a href="https://dichvucong.gov.vn" target="_blank">tốt</a> <a href="#footnote-1">1</a></p>',
      '<table><tr><td colspan="2" style="width:9in">Ô</td><td rowspan="x">B</td></tr></table>',
      '<iframe src="https://evil"><p>ẩn</p></iframe><style>p{}</style><svg><script>1</script></svg>',
      '<ul><li>Mục <em>mở',
    ].join('');
    expect(sanitizeHtml(hostile)).toBe(
      '<h2>Mục đích</h2><p>Một <strong>câu</strong> hai.</p><p><a>xấu</a> <a href="https://dichvucong.gov.vn" rel="noopener noreferrer nofollow">tốt</a> <a>1</a></p>' +
        '<table><tr><td colspan="2">Ô</td><td>B</td></tr></table><ul><li>Mục <em>mở</em></li></ul>',
    );
  });

  it('escapes text that looks like markup and keeps entities as text', () => {
    expect(sanitizeHtml('<p>a &lt;b&gt; &amp; c < d "e"</p>')).toBe('<p>a &lt;b&gt; &amp; c &lt; d "e"</p>');
  });
});

describe('the text of a revision', () => {
  it('reads headings, paragraphs, list items and table rows as lines, cells separated by " · "', () => {
    expect(
      htmlLines('<h1>Quy trình</h1><p>Câu một.<br>Câu hai.</p><ul><li>Ý một</li></ul><table><tr><td><p>Bước</p></td><td>Trách nhiệm</td></tr></table>'),
    ).toEqual(['Quy trình', 'Câu một. Câu hai.', 'Ý một', 'Bước · Trách nhiệm']);
  });

  it('cuts sentences at . ! ? … before a capital or a digit, not inside numbers or abbreviations in lower case', () => {
    expect(sentencesOf(['Hồ sơ trả trong 1.5 ngày. Đúng hạn! Số 2 v.v. tiếp theo? 3 bản.']).map((s) => s.text)).toEqual([
      'Hồ sơ trả trong 1.5 ngày.',
      'Đúng hạn!',
      'Số 2 v.v. tiếp theo?',
      '3 bản.',
    ]);
  });

  it('a Markdown table and the same Word table compare equal', () => {
    const md = { source: 'markdown' as const, body: '| Bước | Trách nhiệm |\n|---|---|\n| 1 | **Một cửa** |' };
    const word = {
      source: 'docx' as const,
      body: '<table><tr><td><p>Bước</p></td><td><p>Trách nhiệm</p></td></tr><tr><td><p>1</p></td><td><p>Một cửa</p></td></tr></table>',
    };
    expect(sentenceDiff(md, word)).toEqual([{ text: 'Bước · Trách nhiệm\n1 · Một cửa\n', added: false, removed: false }]);
  });
});
