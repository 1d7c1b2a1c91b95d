import { diffArrays } from 'diff';
import { renderMarkdown } from '../../core/files';
import { htmlLines } from './documents.html';
import type { RevisionSource } from './documents.tables';
import type { DiffPart } from './documents.text';

/**
 * Two revisions compared as text, sentence by sentence (issue 25): whether a revision was typed in Markdown or read
 * from Word, its content is first rendered to HTML, then read as lines (headings, paragraphs, list items, table rows:
 * documents.html.ts) and each line cut into sentences. The diff then marks whole sentences removed or added, so a
 * reader sees "Hồ sơ được trả trong 5 ngày." become "… 3 ngày." — never `##`, `**` or `|---|` — and a Markdown
 * revision compares with the Word revision that followed it.
 */
export interface RevisionContent {
  source: RevisionSource;
  body: string;
}

/** The HTML of a revision's content: Word revisions keep sanitised HTML, Markdown ones are rendered. */
export function contentHtml(rev: RevisionContent): string {
  return rev.source === 'docx' ? rev.body : renderMarkdown(rev.body);
}

/** The text of a revision, one line per heading, paragraph, list item or table row. */
export function revisionLines(rev: RevisionContent): string[] {
  return rev.body.trim() === '' ? [] : htmlLines(contentHtml(rev));
}

/** The plain text searched for a revision (search index). */
export function searchableBody(rev: RevisionContent): string {
  return rev.source === 'docx' ? revisionLines(rev).join('\n\n') : rev.body;
}

/** The Markdown a draft's form starts from: a Markdown revision's own, or the text of one written in Word. */
export const markdownStart = (rev: RevisionContent | undefined): string => (!rev ? '' : rev.source === 'docx' ? revisionLines(rev).join('\n\n') : rev.body);

/** A sentence ends with . ! ? or … followed by a space and a capital letter, a digit or an opening quote or bracket. */
const SENTENCE_END = /(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"“‘(])/u;

export interface Sentence {
  text: string;
  /** What follows it when printed: a line break after a line's last sentence, else a space. */
  after: '\n' | ' ';
}

export function sentencesOf(lines: string[]): Sentence[] {
  const out: Sentence[] = [];
  for (const line of lines) {
    const parts = line.split(SENTENCE_END).filter((s) => s !== '');
    parts.forEach((text, i) => out.push({ text, after: i === parts.length - 1 ? '\n' : ' ' }));
  }
  return out;
}

const joined = (sentences: Sentence[]) => sentences.map((s) => s.text + s.after).join('');

/** The sentence diff of two revisions' texts, as parts the template prints in order (unchanged, removed, added). */
export function sentenceDiff(before: RevisionContent, after: RevisionContent): DiffPart[] {
  const a = sentencesOf(revisionLines(before));
  const b = sentencesOf(revisionLines(after));
  const changes = diffArrays(a, b, { comparator: (x, y) => x.text === y.text, timeout: 2000 });
  if (!changes) {
    return [
      { text: joined(a), added: false, removed: true },
      { text: joined(b), added: true, removed: false },
    ];
  }
  const parts: DiffPart[] = [];
  for (const c of changes) {
    const part = { text: joined(c.value), added: Boolean(c.added), removed: Boolean(c.removed) };
    const last = parts[parts.length - 1];
    if (last && last.added === part.added && last.removed === part.removed) last.text += part.text;
    else if (part.text !== '') parts.push(part);
  }
  return parts;
}
